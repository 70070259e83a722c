package sla

import (
	"encoding/json"
	"iter"
	"slices"
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
	Calendar  *Calendar       // the default calendar, for targets without one; nil: always open
	AtRisk    float64         // share of the target, e.g. 0.75
	Pause     map[string]bool // statuses during which every clock stops
	Responded map[string]bool // reaching one of these is the first response
	Resolved  map[string]bool // reaching one of these stops the resolution and update clocks
}

// Change is one event of the ticket's log that has a "to": the create event
// and every transition, in log order.
type Change struct {
	At time.Time
	To string
}

// Target is an SLA target and the calendar it is counted on.
type Target struct {
	Duration
	// Calendar counts the business units of the target and gives the
	// clock's times their location; nil: Policy.Calendar.
	Calendar *Calendar
}

// Targets are the targets that apply to a ticket; a nil one has no clock.
type Targets struct {
	Respond, Resolve, Update *Target
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
	// Since is when the counting started: created, or for the update
	// clock the latest public reply or reopen before At or now.
	Since time.Time
	// Missed is, for the update clock, how many of its earlier stretches
	// (each ended by a public reply or a resolution) ran past the target;
	// 0 for the other clocks. State is the current stretch's alone.
	Missed int
}

// Result is a ticket's clocks; a clock is nil when no target applies.
type Result struct {
	Respond *Clock `json:"respond"`
	Resolve *Clock `json:"resolve"`
	Update  *Clock `json:"update,omitempty"`
}

// All yields the clocks that apply, named "respond", "resolve" and
// "update", in that order.
func (r Result) All() iter.Seq2[string, *Clock] {
	return func(yield func(string, *Clock) bool) {
		for _, k := range [...]struct {
			name string
			c    *Clock
		}{{"respond", r.Respond}, {"resolve", r.Resolve}, {"update", r.Update}} {
			if k.c != nil && !yield(k.name, k.c) {
				return
			}
		}
	}
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

// Compute runs a ticket's clocks from created to now over its status changes
// and the times of its public replies (in log order). t holds the targets
// that apply (nil: no clock); choosing them, e.g. a category's target
// overriding the priority's, is the caller's job. The semantics are in the
// package documentation.
func Compute(p Policy, created time.Time, changes []Change, replies []time.Time, t Targets, now time.Time) Result {
	if now.Before(created) {
		now = created
	}
	var buf [16]time.Time
	eff := buf[:0]
	prev := created
	for _, ch := range changes {
		eff = append(eff, clamp(ch.At, prev, now))
		prev = eff[len(eff)-1]
	}
	tl := timeline{p: &p, created: created, now: now, changes: changes, eff: eff}

	var r Result
	if valid(t.Respond) {
		end, stopped := now, false
		for i, ch := range changes {
			if p.Responded[ch.To] {
				end, stopped = eff[i], true
				break
			}
		}
		r.Respond = tl.clock(*t.Respond, created, end, stopped, tl.unpaused)
	}
	// The resolution and update clocks stop at the entry into the final
	// run of resolved statuses.
	end, stopped := now, false
	if n := len(changes); n > 0 && p.Resolved[changes[n-1].To] {
		i := n - 1
		for i > 0 && p.Resolved[changes[i-1].To] {
			i--
		}
		end, stopped = eff[i], true
	}
	if valid(t.Resolve) {
		r.Resolve = tl.clock(*t.Resolve, created, end, stopped, tl.unpaused)
	}
	if valid(t.Update) {
		r.Update = tl.update(*t.Update, replies, end, stopped)
	}
	return r
}

func valid(t *Target) bool { return t != nil && t.Valid() }

// clamp is t moved into [lo, hi], lo winning when hi is before it.
func clamp(t, lo, hi time.Time) time.Time {
	if t.After(hi) {
		t = hi
	}
	if t.Before(lo) {
		t = lo
	}
	return t
}

// timeline is a ticket's status over time: "" from created to the first
// change, then each change's To from its (clamped) time eff on.
type timeline struct {
	p       *Policy
	created time.Time
	now     time.Time
	changes []Change
	eff     []time.Time
}

// unpaused is what counts for the response and resolution clocks: any
// status but a pause. A resolution reopened later was not a resolution:
// the time the ticket sat resolved before the reopen counts, as FORMAT.md
// defines the resolution time (created to the last resolution, less paused
// time).
func (tl *timeline) unpaused(status string) bool { return !tl.p.Pause[status] }

// open is what counts for the update clock: neither a pause nor a
// resolved status.
func (tl *timeline) open(status string) bool { return !tl.p.Pause[status] && !tl.p.Resolved[status] }

// update is the keep-in-touch clock: it counts from created, and again
// from every public reply and every reopen (a change out of a resolved
// status) up to end; the stretches before the last one only add to Missed.
func (tl *timeline) update(target Target, replies []time.Time, end time.Time, stopped bool) *Clock {
	starts := []time.Time{tl.created}
	prev := tl.created
	for _, at := range replies {
		at = clamp(at, prev, tl.now)
		prev = at
		if at.Before(end) {
			starts = append(starts, at)
		}
	}
	for i := 1; i < len(tl.changes); i++ {
		if tl.p.Resolved[tl.changes[i-1].To] && !tl.p.Resolved[tl.changes[i].To] && tl.eff[i].Before(end) {
			starts = append(starts, tl.eff[i])
		}
	}
	slices.SortFunc(starts, time.Time.Compare)
	missed := 0
	last := len(starts) - 1
	for j := range last {
		if k := tl.clock(target, starts[j], starts[j+1], true, tl.open); k.State == StateBreached {
			missed++
		}
	}
	c := tl.clock(target, starts[last], end, stopped, tl.open)
	c.Missed = missed
	return c
}

// clock counts target over the timeline from start to end, in the statuses
// counts accepts.
func (tl *timeline) clock(target Target, start, end time.Time, stopped bool, counts func(string) bool) *Clock {
	p := tl.p
	cal := target.Calendar
	if cal == nil {
		cal = p.Calendar
	}
	loc := tl.created.Location()
	if cal != nil {
		loc = cal.loc()
	}
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

	var counted time.Duration
	var due time.Time
	dueSet := false
	from, status := tl.created, ""
	for i := 0; i <= len(tl.changes); i++ {
		to := end
		if i < len(tl.changes) && tl.eff[i].Before(end) {
			to = tl.eff[i]
		}
		if from.Before(start) {
			from = start
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

	c := &Clock{Target: target.Duration, Due: due.In(loc), Elapsed: counted, Left: tlen - counted, Since: start.In(loc)}
	if stopped {
		at := end.In(loc)
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
