package sla

import (
	"encoding/json"
	"time"
)

// State is the state of one clock.
type State string

// The states of a clock.
const (
	StateRunning  State = "running"  // counting, under the at-risk share
	StatePaused   State = "paused"   // not counting: the ticket is in a pause status
	StateAtRisk   State = "at_risk"  // running or paused, at or past the at-risk share, not past the target
	StateMet      State = "met"      // stopped within the target
	StateBreached State = "breached" // past the target, stopped or not
)

// Policy is what the clocks of every ticket share: desk.toml's [calendar],
// [sla] and the responded and resolved sets of [workflow].
type Policy struct {
	Calendar  *Calendar       // for business units; nil: always open
	AtRisk    float64         // share of the target, e.g. 0.75
	Pause     map[string]bool // statuses during which both clocks stop
	Responded map[string]bool // reaching one of these is the first response
	Resolved  map[string]bool // reaching one of these stops the resolution clock
}

// Change is one event of the ticket's log that has a "to": the create event
// and every transition, in log order.
type Change struct {
	At time.Time
	To string
}

// Clock is one SLA clock of a ticket.
type Clock struct {
	Target Duration
	// Due is when the counted time reaches Target: created + Target, pushed
	// later by the time that has not counted (pauses, stops before a
	// reopen), placed on the calendar for business units. While the clock
	// runs or is paused it assumes counting goes on from now; once stopped,
	// from the stop.
	Due time.Time
	// At is when the clock stopped: the first response, or the start of
	// the final run of resolved statuses. Nil while the clock runs.
	At *time.Time
	// Elapsed is the time counted, up to At or now: wall time for elapsed
	// units, business time for business units, less what did not count.
	Elapsed time.Duration
	// Left is Target less Elapsed, in the same time (business time for
	// business units); negative once the target is missed.
	Left  time.Duration
	State State
}

// Result is a ticket's two clocks; a clock is nil when no target applies.
type Result struct {
	Respond *Clock `json:"respond"`
	Resolve *Clock `json:"resolve"`
}

// MarshalJSON renders c as the "sla" object of the command line's JSON:
//
//	{"target": "1h", "due": "2026-11-22T10:14:00+08:00", "at": null, "elapsed": "26m", "left": "34m", "state": "running"}
//
// Times are RFC 3339 in the location they carry (Compute gives them the
// calendar's); elapsed and left are rendered by FormatElapsed in the target's unit.
func (c Clock) MarshalJSON() ([]byte, error) {
	var v struct {
		Target  string  `json:"target"`
		Due     string  `json:"due"`
		At      *string `json:"at"`
		Elapsed string  `json:"elapsed"`
		Left    string  `json:"left"`
		State   State   `json:"state"`
	}
	v.Target = c.Target.String()
	v.Due = c.Due.Format(time.RFC3339)
	if c.At != nil {
		s := c.At.Format(time.RFC3339)
		v.At = &s
	}
	v.Elapsed = FormatElapsed(c.Elapsed, c.Target.Unit)
	v.Left = FormatElapsed(c.Left, c.Target.Unit)
	v.State = c.State
	return json.Marshal(v)
}

// Compute runs a ticket's clocks from created to now over its status changes.
// respond and resolve are the targets that apply (nil: no clock); choosing
// them, e.g. a category's target overriding the priority's, is the caller's
// job. The semantics are in the package documentation.
func Compute(p Policy, created time.Time, changes []Change, respond, resolve *Duration, now time.Time) Result {
	if now.Before(created) {
		now = created
	}
	var buf [16]time.Time
	eff := buf[:0]
	prev := created
	for _, ch := range changes {
		t := ch.At
		if t.Before(prev) {
			t = prev
		}
		if t.After(now) {
			t = now
		}
		eff = append(eff, t)
		prev = t
	}
	loc := created.Location()
	if p.Calendar != nil {
		loc = p.Calendar.loc()
	}
	tl := timeline{p: &p, created: created, now: now, changes: changes, eff: eff, loc: loc}

	var r Result
	if respond != nil && respond.Valid() {
		end, stopped := now, false
		for i, ch := range changes {
			if p.Responded[ch.To] {
				end, stopped = eff[i], true
				break
			}
		}
		r.Respond = tl.clock(*respond, false, end, stopped)
	}
	if resolve != nil && resolve.Valid() {
		end, stopped := now, false
		if n := len(changes); n > 0 && p.Resolved[changes[n-1].To] {
			i := n - 1
			for i > 0 && p.Resolved[changes[i-1].To] {
				i--
			}
			end, stopped = eff[i], true
		}
		r.Resolve = tl.clock(*resolve, true, end, stopped)
	}
	return r
}

// timeline is a ticket's status over time: "" from created to the first
// change, then each change's To from its (clamped) time eff on.
type timeline struct {
	p       *Policy
	created time.Time
	now     time.Time
	changes []Change
	eff     []time.Time
	loc     *time.Location
}

// clock counts target over the timeline up to end, skipping pause statuses.
func (tl *timeline) clock(target Duration, resolution bool, end time.Time, stopped bool) *Clock {
	p := tl.p
	cal := p.Calendar
	business := target.Business()
	tlen := target.Length(cal)
	measure := func(a, b time.Time) time.Duration {
		if business {
			return cal.BusinessBetween(a, b)
		}
		return b.Sub(a)
	}
	add := func(t time.Time, d time.Duration) time.Time {
		if business {
			return cal.AddBusiness(t, d)
		}
		return t.Add(d)
	}
	// Only pauses stop a clock before its end. A resolution reopened later
	// was not a resolution: the time the ticket sat resolved before the
	// reopen counts, as FORMAT.md defines the resolution time (created to
	// the last resolution, less paused time).
	counts := func(status string) bool { return !p.Pause[status] }

	var counted time.Duration
	var due time.Time
	dueSet := false
	from, status := tl.created, ""
	for i := 0; i <= len(tl.changes); i++ {
		to := end
		if i < len(tl.changes) && tl.eff[i].Before(end) {
			to = tl.eff[i]
		}
		if to.After(from) && counts(status) {
			m := measure(from, to)
			if !dueSet && m >= tlen-counted {
				due, dueSet = add(from, tlen-counted), true
			}
			counted += m
		}
		if i == len(tl.changes) || !tl.eff[i].Before(end) {
			break
		}
		from, status = tl.eff[i], tl.changes[i].To
	}
	if !dueSet {
		due = add(end, tlen-counted)
	}

	c := &Clock{Target: target, Due: due.In(tl.loc), Elapsed: counted, Left: tlen - counted}
	if stopped {
		at := end.In(tl.loc)
		c.At = &at
		if counted <= tlen {
			c.State = StateMet
		} else {
			c.State = StateBreached
		}
		return c
	}
	share := p.AtRisk
	if share > 1 {
		share = 1
	}
	current := ""
	if n := len(tl.changes); n > 0 {
		current = tl.changes[n-1].To
	}
	switch {
	case counted > tlen:
		c.State = StateBreached
	case float64(counted) >= share*float64(tlen):
		c.State = StateAtRisk
	case p.Pause[current]:
		c.State = StatePaused
	default:
		c.State = StateRunning
	}
	return c
}
