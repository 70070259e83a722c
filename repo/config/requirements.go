package config

import (
	"strings"
	"time"

	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/sla"
)

// Missing returns the requirements of [required] that a ticket does not meet
// at status, in the order the configuration lists them.
func (c *Config) Missing(rec *records.Record, status string) []string {
	var out []string
	for _, req := range c.RequiredAt(status) {
		if !c.Has(rec, req) {
			out = append(out, req)
		}
	}
	return out
}

// Has reports whether a ticket holds a non-empty value for a requirement key
// ("title", "requester.name", "section:description", …).
func (c *Config) Has(rec *records.Record, req string) bool {
	if key, ok := strings.CutPrefix(req, "section:"); ok {
		s := rec.Section(c.Heading(key))
		return s.Present && !s.Empty
	}
	t := &rec.Ticket
	fb := t.Feedback
	if fb == nil {
		fb = &ticket.Feedback{}
	}
	switch req {
	case "title":
		return strings.TrimSpace(t.Title) != ""
	case "status":
		return t.Status != ""
	case "created":
		return !t.Created.IsZero()
	case "channel":
		return t.Channel != ""
	case "category":
		return t.Category != ""
	case "priority":
		return t.Priority != ""
	case "priority_reason":
		return strings.TrimSpace(t.PriorityReason) != ""
	case "assignee":
		return t.Assignee != ""
	case "due":
		return t.Due != nil
	case "tags":
		return len(t.Tags) > 0
	case "kb":
		return len(t.KB) > 0
	case "parts":
		return len(t.Parts) > 0
	case "lead":
		return strings.TrimSpace(t.Lead) != ""
	case "requester.name":
		return strings.TrimSpace(t.Requester.Name) != ""
	case "requester.org":
		return strings.TrimSpace(t.Requester.Org) != ""
	case "requester.contact":
		return strings.TrimSpace(t.Requester.Contact) != ""
	case "feedback.rating":
		return fb.Rating != ""
	case "feedback.confirmed_by":
		return strings.TrimSpace(fb.ConfirmedBy) != ""
	case "feedback.confirmed_at":
		return fb.ConfirmedAt != nil
	case "feedback.via":
		return fb.Via != ""
	case "feedback.comment":
		return strings.TrimSpace(fb.Comment) != ""
	case "sla.breach_reason":
		return strings.TrimSpace(t.SLA.BreachReason) != ""
	}
	return false
}

// Clocks computes the response, resolution and update clocks of a ticket
// at now.
func (c *Config) Clocks(t *ticket.Ticket, now time.Time) sla.Result {
	changes := make([]sla.Change, 0, len(t.Events))
	var replies []time.Time
	for _, e := range t.Events {
		if e.To != "" {
			changes = append(changes, sla.Change{At: e.At, To: e.To})
		}
		if e.Public {
			replies = append(replies, e.At)
		}
	}
	return sla.Compute(c.Policy, t.Created, changes, replies, c.Targets(t.Category, t.Priority), now)
}
