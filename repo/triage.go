package repo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
)

// TriageInput is how a ticket is classified: its category, its priority and
// why, and, when set, who takes it.
type TriageInput struct {
	Category, Priority, Reason, Assignee string
}

// Triage classifies f and moves it to triaged with one transition event. A
// missing field, or a category or priority desk.toml does not list, is a
// *UsageError; what the workflow refuses is a *RefusedError.
//
// An assignee or a priority left out is taken from the first [[routing]]
// rule that matches (round-robin for a team); a priority a rule gives needs
// no reason of its own, the rule is its reason.
func (r *Repo) Triage(ctx context.Context, f *ticket.File, in TriageInput, a Actor) error {
	c := r.Config
	if in.Category == "" {
		return Usagef("triage needs --category, --priority and --reason")
	}
	t := &f.Ticket
	desc, _ := f.Section(c.Heading("description"))
	given := in.Priority
	assignee, priority, rule, note, err := r.route(ctx, config.Routed{Category: in.Category, Channel: t.Channel, Org: t.Requester.Org,
		Title: t.Title, Description: desc, Tags: t.Tags}, cmp.Or(in.Assignee, t.Assignee), in.Priority, nil)
	if err != nil {
		return err
	}
	in.Priority = priority
	if in.Assignee == "" && assignee != t.Assignee {
		in.Assignee = assignee
	}
	if rule != nil && given == "" && strings.TrimSpace(in.Reason) == "" {
		in.Reason = "set by routing rule " + rule.Name
	}
	if in.Priority == "" || strings.TrimSpace(in.Reason) == "" {
		return Usagef("triage needs --category, --priority and --reason")
	}
	if !slices.Contains(c.Tickets.Categories, in.Category) {
		return Usagef("--category %q is not allowed; use one of: %s", in.Category, strings.Join(c.Tickets.Categories, ", "))
	}
	if !slices.Contains(c.Priorities(), in.Priority) {
		return Usagef("--priority %q is not allowed; use one of: %s", in.Priority, strings.Join(c.Priorities(), ", "))
	}
	f.Doc.Set("", "category", front.String(in.Category))
	f.Doc.Set("", "priority", front.String(in.Priority))
	f.Doc.Set("", "priority_reason", front.String(in.Reason))
	if in.Assignee != "" {
		f.Doc.Set("", "assignee", front.String(in.Assignee))
	}
	if err := f.Reparse(); err != nil {
		return err
	}
	msg := fmt.Sprintf("%s; %s: %s", in.Category, in.Priority, in.Reason)
	if note != "" {
		msg += "; " + note
	}
	return r.Transition(f, "triaged", msg, a)
}

// Assign hands f to user with an assign event. An empty user is a
// *UsageError, the assignee f already has a *RefusedError.
func (r *Repo) Assign(f *ticket.File, user string, a Actor) error {
	if strings.TrimSpace(user) == "" {
		return Usagef("the assignee is empty")
	}
	if f.Ticket.Assignee == user {
		return &RefusedError{ID: f.Ticket.ID, Msg: "already assigned to " + user}
	}
	return r.Set(f, [][2]string{{"assignee", user}}, a)
}
