package consist

import (
	"fmt"
	"time"
)

// Clock is the state of one SLA clock of a ticket.
type Clock struct {
	Target  Span
	At      *time.Time    // when the clock stopped (nil while it runs)
	Elapsed time.Duration // measured in the unit of the target, pauses left out
	State   string        // running | paused | at_risk | met | breached
}

// Targets returns the respond and resolve targets of a ticket: the priority's,
// overridden by its category's where that sets one.
func (c *Config) Targets(t *Ticket) (respond, resolve Span, err error) {
	var r, s string
	for _, p := range c.SLA.Priority {
		if p.Name == t.Priority {
			r, s = p.Respond, p.Resolve
		}
	}
	for _, p := range c.SLA.Category {
		if p.Name == t.Category {
			if p.Respond != "" {
				r = p.Respond
			}
			if p.Resolve != "" {
				s = p.Resolve
			}
		}
	}
	if r == "" || s == "" {
		return respond, resolve, fmt.Errorf("no SLA target for priority %q", t.Priority)
	}
	if respond, err = c.Span(r); err != nil {
		return
	}
	resolve, err = c.Span(s)
	return
}

type interval struct{ from, to time.Time }

// Evaluate computes both clocks of a ticket at now from its event log.
func (c *Config) Evaluate(t *Ticket, now time.Time) (respond, resolve Clock, err error) {
	if respond.Target, resolve.Target, err = c.Targets(t); err != nil {
		return
	}
	var paused []interval
	status, since := c.Workflow.Initial, t.Created
	var responded, resolvedAt *time.Time
	for i := range t.Events {
		e := &t.Events[i]
		if e.To == "" || e.Action == "create" {
			continue
		}
		if contains(c.SLA.Pause, status) {
			paused = append(paused, interval{since, e.At})
		}
		if responded == nil && contains(c.Workflow.Responded, e.To) {
			at := e.At
			responded = &at
		}
		inNow := contains(c.Workflow.Resolved, e.To)
		switch {
		case inNow && !contains(c.Workflow.Resolved, status):
			at := e.At
			resolvedAt = &at
		case !inNow && len(c.Workflow.Transitions[e.To]) > 0:
			resolvedAt = nil // reopened
		}
		status, since = e.To, e.At
	}
	if contains(c.SLA.Pause, status) {
		paused = append(paused, interval{since, now})
	}
	isPaused := contains(c.SLA.Pause, status)
	respond = c.clock(t.Created, respond.Target, responded, paused, now, isPaused)
	resolve = c.clock(t.Created, resolve.Target, resolvedAt, paused, now, isPaused)
	return
}

func (c *Config) clock(start time.Time, target Span, stop *time.Time, paused []interval, now time.Time, isPaused bool) Clock {
	end := now
	if stop != nil {
		end = *stop
	}
	measure := func(a, b time.Time) time.Duration {
		if b.After(end) {
			b = end
		}
		if !b.After(a) {
			return 0
		}
		if target.Business {
			return c.BusinessBetween(a, b)
		}
		return b.Sub(a)
	}
	elapsed := measure(start, end)
	for _, p := range paused {
		elapsed -= measure(p.from, p.to)
	}
	cl := Clock{Target: target, At: stop, Elapsed: elapsed}
	switch {
	case stop != nil && elapsed <= target.D:
		cl.State = "met"
	case elapsed > target.D:
		cl.State = "breached"
	case isPaused:
		cl.State = "paused"
	case float64(elapsed) >= c.SLA.AtRisk*float64(target.D):
		cl.State = "at_risk"
	default:
		cl.State = "running"
	}
	return cl
}
