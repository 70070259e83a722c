package repo

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/sla"
)

// Selection chooses tickets, as the flags of desk ticket list do. A zero
// Selection selects every ticket, newest first.
type Selection struct {
	Statuses, Priorities, Categories []string // any of these; none: any
	// Assignee is the user the tickets are assigned to; "none" or "-" for
	// unassigned ones, "" for any.
	Assignee string
	Open     bool      // not resolved, closed or archived
	AtRisk   bool      // open, with a clock past sla.at_risk
	Breached bool      // with a clock that missed its target
	Since    time.Time // created on or after
	// Sort is "created" (newest first, the default) or "due" (soonest
	// deadline first, tickets with none last).
	Sort string
	// Clocks asks for every ticket's clocks, even when the filter and the
	// order do not need them.
	Clocks bool
}

// Listed is a ticket a listing selected, with its clocks at the time of the
// listing (zero when neither the filter nor Clocks needed them).
type Listed struct {
	Record *records.Record
	SLA    sla.Result
	Due    time.Time // soonest deadline: a running clock's due, or the promised due
}

// Check tells what the configuration c does not allow in f, as a
// UsageError naming the flag and the values allowed.
func (f Selection) Check(c *config.Config) error {
	for _, s := range f.Statuses {
		if !c.IsStatus(s) {
			return Usagef("--status %q is not allowed; use one of: %s", s, strings.Join(c.Workflow.Statuses, ", "))
		}
	}
	for _, p := range f.Priorities {
		if !slices.Contains(c.Priorities(), p) {
			return Usagef("--priority %q is not allowed; use one of: %s", p, strings.Join(c.Priorities(), ", "))
		}
	}
	for _, p := range f.Categories {
		if !slices.Contains(c.Tickets.Categories, p) {
			return Usagef("--category %q is not allowed; use one of: %s", p, strings.Join(c.Tickets.Categories, ", "))
		}
	}
	if f.Sort != "" && f.Sort != "created" && f.Sort != "due" {
		return Usagef("--sort %q is not allowed; use created or due", f.Sort)
	}
	return nil
}

// keeps reports whether a ticket's head passes the filter's fields that
// need no clock.
func (f *Selection) keeps(c *config.Config, h *records.Head) bool {
	switch {
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, h.Status),
		f.Open && !c.Open(h.Status),
		len(f.Priorities) > 0 && !slices.Contains(f.Priorities, h.Priority),
		len(f.Categories) > 0 && !slices.Contains(f.Categories, h.Category),
		f.Assignee != "" && !assigneeIs(f.Assignee, h.Assignee),
		!f.Since.IsZero() && h.Created.Before(f.Since):
		return false
	}
	return true
}

func assigneeIs(want, got string) bool {
	if want == "none" || want == "-" {
		return got == ""
	}
	return want == got
}

// List returns the tickets f selects at now, in f's order. Records that
// could not be read are left out and returned as skipped.
func (r *Repo) List(ctx context.Context, f Selection, now time.Time) (rows []Listed, skipped []error, err error) {
	if err := f.Check(r.Config); err != nil {
		return nil, nil, err
	}
	c := r.Config
	recs, err := r.RecordsWhere(ctx, func(h *records.Head) bool { return f.keeps(c, h) })
	if err != nil {
		return nil, nil, err
	}
	clocks := f.Clocks || f.AtRisk || f.Breached || f.Sort == "due"
	for _, rec := range recs {
		if rec.Err != nil {
			skipped = append(skipped, rec.Err)
			continue
		}
		t := &rec.Ticket
		l := Listed{Record: rec}
		if clocks {
			l.SLA = c.Clocks(t, now)
			l.Due = soonestDue(t, l.SLA, c.Open(t.Status))
		}
		if f.AtRisk && !(c.Open(t.Status) && hasState(l.SLA, sla.StateAtRisk)) {
			continue
		}
		if f.Breached && !hasState(l.SLA, sla.StateBreached) {
			continue
		}
		rows = append(rows, l)
	}
	if f.Sort == "due" {
		slices.SortStableFunc(rows, func(x, y Listed) int {
			switch {
			case x.Due.IsZero() && y.Due.IsZero():
				return 0
			case x.Due.IsZero():
				return 1
			case y.Due.IsZero():
				return -1
			}
			return x.Due.Compare(y.Due)
		})
	} else {
		slices.SortStableFunc(rows, func(x, y Listed) int {
			if n := y.Record.Ticket.Created.Compare(x.Record.Ticket.Created); n != 0 {
				return n
			}
			return strings.Compare(y.Record.Ticket.ID, x.Record.Ticket.ID)
		})
	}
	return rows, skipped, nil
}

// Queue returns the open tickets with a running clock at now, the one
// that runs out first first (desk sla): Due is that clock's due.
func (r *Repo) Queue(ctx context.Context, now time.Time) (rows []Listed, skipped []error, err error) {
	c := r.Config
	recs, err := r.RecordsWhere(ctx, func(h *records.Head) bool { return c.Open(h.Status) })
	if err != nil {
		return nil, nil, err
	}
	for _, rec := range recs {
		if rec.Err != nil {
			skipped = append(skipped, rec.Err)
			continue
		}
		if !c.Open(rec.Ticket.Status) {
			continue
		}
		res := c.Clocks(&rec.Ticket, now)
		_, k := FirstDue(res)
		if k == nil {
			continue
		}
		rows = append(rows, Listed{Record: rec, SLA: res, Due: k.Due})
	}
	slices.SortStableFunc(rows, func(x, y Listed) int { return x.Due.Compare(y.Due) })
	return rows, skipped, nil
}

// FirstDue is the running clock of res that is due first, and its name
// (respond, resolve, update); nil when no clock runs. Of clocks due at the
// same time, the first in that order.
func FirstDue(res sla.Result) (name string, first *sla.Clock) {
	for n, k := range res.All() {
		if k.At == nil && (first == nil || k.Due.Before(first.Due)) {
			name, first = n, k
		}
	}
	return name, first
}

func hasState(res sla.Result, s sla.State) bool {
	for _, k := range res.All() {
		if k.State == s {
			return true
		}
	}
	return false
}

// soonestDue is the earliest deadline of an open ticket: the due of a
// clock still running, or the due date promised to the requester.
func soonestDue(t *ticket.Ticket, res sla.Result, open bool) time.Time {
	var due time.Time
	consider := func(d time.Time) {
		if !d.IsZero() && (due.IsZero() || d.Before(due)) {
			due = d
		}
	}
	if open {
		if _, k := FirstDue(res); k != nil {
			consider(k.Due)
		}
		if t.Due != nil {
			consider(*t.Due)
		}
	}
	return due
}
