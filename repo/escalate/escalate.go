package escalate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/gitdb"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
	"github.com/deskhq/desk/ticket/sla"
)

// Escalated is what desk escalate did, or would do, to one ticket.
type Escalated struct {
	ID, Path string
	Rule     string    // the [[escalation]] rule's name
	Clock    string    // respond, resolve or update
	State    sla.State // at_risk or breached
	Due      time.Time
	Changes  []string // "priority medium → high", "assignee li.si → duty.manager", "tag escalated"
}

// escalationField is the event field of an escalate event; its value names
// the rule, so that a rule escalates a ticket once.
const escalationField = "escalation"

// Result is what a run of desk escalate did.
type Result struct {
	Done    []Escalated
	Skipped []error // records that cannot be read
	Commit  string  // the commit made; "" for none (nothing to do, or a dry run)
}

// Run applies the [[escalation]] rules at now to the open tickets: each
// ticket takes the first rule that matches it and has not escalated it
// before, and gets one escalate event that names the rule, the clock and
// what changed. All of it is one commit (a Desk-Ticket trailer per ticket);
// with dryRun nothing is written. Done is in ticket order.
func Run(ctx context.Context, r *repo.Repo, now time.Time, a repo.Actor, dryRun bool) (res Result, err error) {
	c := r.Config
	if len(c.Escalation) == 0 {
		return res, nil
	}
	recs, err := r.RecordsWhere(ctx, func(h *records.Head) bool { return c.Open(h.Status) })
	if err != nil {
		return res, err
	}
	type plan struct {
		Escalated
		rule *config.Escalation
	}
	var plans []plan
	for _, rec := range recs {
		if rec.Err != nil {
			res.Skipped = append(res.Skipped, rec.Err)
			continue
		}
		if rule, clock, k := firstEscalation(c, &rec.Ticket, now); rule != nil {
			plans = append(plans, plan{Escalated{ID: rec.Ticket.ID, Path: rec.Path, Rule: rule.Name, Clock: clock, State: k.State, Due: k.Due}, rule})
		}
	}
	if len(plans) == 0 {
		return res, nil
	}
	apply := func(f *ticket.File, p *plan) error {
		t := &f.Ticket
		var changes []string
		if p.rule.Raise {
			if up := c.RaisedPriority(t.Priority); up != t.Priority {
				f.Doc.Set("", "priority", front.String(up))
				changes = append(changes, fmt.Sprintf("priority %s → %s", orNone(t.Priority), up))
			}
		}
		if p.rule.Assignee != "" && p.rule.Assignee != t.Assignee {
			f.Doc.Set("", "assignee", front.String(p.rule.Assignee))
			changes = append(changes, fmt.Sprintf("assignee %s → %s", orNone(t.Assignee), p.rule.Assignee))
		}
		if p.rule.Tag != "" && !slices.Contains(t.Tags, p.rule.Tag) {
			f.Doc.Set("", "tags", front.Strings(append(slices.Clone(t.Tags), p.rule.Tag)))
			changes = append(changes, "tag "+p.rule.Tag)
		}
		p.Changes = changes
		note := fmt.Sprintf("%s: %s clock %s, due %s", p.Rule, p.Clock, strings.ReplaceAll(string(p.State), "_", " "), p.Due.In(c.Location).Format("2006-01-02 15:04"))
		if len(changes) > 0 {
			note += "; " + strings.Join(changes, "; ")
		}
		f.AppendEvent(ticket.Event{At: a.At.In(c.Location), By: a.By, Action: "escalate", Field: escalationField, Value: p.Rule, Note: note})
		return f.Reparse()
	}
	if dryRun {
		for i := range plans {
			f, err := r.ReadTicket(plans[i].Path)
			if err != nil {
				return res, err
			}
			if err := apply(f, &plans[i]); err != nil {
				return res, err
			}
			res.Done = append(res.Done, plans[i].Escalated)
		}
		return res, nil
	}
	var done []Escalated
	hash, err := r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
		done = done[:0]
		var trailers strings.Builder
		for i := range plans {
			p := &plans[i]
			// Read again under the lock: a change since the listing is kept,
			// and a ticket escalated by a run in between is left alone.
			f, err := r.ReadTicket(p.Path)
			if err != nil {
				return "", err
			}
			if !c.Open(f.Ticket.Status) || escalatedBy(&f.Ticket, p.Rule) {
				continue
			}
			if err := apply(f, p); err != nil {
				return "", err
			}
			tx.Put(r.GitPath(p.Path), f.Doc.Bytes())
			done = append(done, p.Escalated)
			fmt.Fprintf(&trailers, "Desk-Ticket: %s\n", p.ID)
		}
		if len(done) == 0 {
			return "", nil
		}
		var body strings.Builder
		for _, e := range done {
			fmt.Fprintf(&body, "%s: %s (%s %s)\n", e.ID, e.Rule, e.Clock, e.State)
		}
		return fmt.Sprintf("escalate %d %s\n\n%s\n%sDesk-Action: escalate\n", len(done), plural(len(done), "ticket", "tickets"), body.String(), trailers.String()), nil
	})
	if err != nil {
		return res, err
	}
	res.Done = done
	if len(done) > 0 {
		res.Commit = hash.String()
	}
	return res, nil
}

// firstEscalation is the first rule that matches a ticket at now and has not
// escalated it yet, with the clock that made it match.
func firstEscalation(c *config.Config, t *ticket.Ticket, now time.Time) (*config.Escalation, string, *sla.Clock) {
	res := c.Clocks(t, now)
	for i := range c.Escalation {
		e := &c.Escalation[i]
		if escalatedBy(t, e.Name) ||
			(len(e.Priority) > 0 && !slices.Contains(e.Priority, t.Priority)) ||
			(len(e.Category) > 0 && !slices.Contains(e.Category, t.Category)) {
			continue
		}
		for name, k := range res.All() {
			if k.At == nil && string(k.State) == e.When && (e.Clock == "" || e.Clock == name) {
				return e, name, k
			}
		}
	}
	return nil, "", nil
}

// escalatedBy reports whether rule has escalated t already.
func escalatedBy(t *ticket.Ticket, rule string) bool {
	return slices.ContainsFunc(t.Events, func(e ticket.Event) bool {
		return e.Action == "escalate" && e.Field == escalationField && e.Value == rule
	})
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
