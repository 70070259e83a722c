package repo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/deskhq/desk/ticket"
)

// triageTicket registers a new ticket and returns its ID.
func triageTicket(t *testing.T, r *Repo, a Actor) string {
	t.Helper()
	f, err := r.CreateTicket(context.Background(), NewTicket{Title: "Printer jams", Requester: "Wang Fang",
		Contact: "wang.fang@example.com", Channel: "phone", Description: "It jams."}, a)
	if err != nil {
		t.Fatal(err)
	}
	return f.Ticket.ID
}

func TestTriage(t *testing.T) {
	r, a := newKBRepo(t, "en")
	id := triageTicket(t, r, a)
	for _, tc := range []struct {
		name string
		in   TriageInput
	}{
		{"no reason", TriageInput{Category: "hardware", Priority: "high", Reason: " "}},
		{"no category", TriageInput{Priority: "high", Reason: "r"}},
		{"an unknown category", TriageInput{Category: "plumbing", Priority: "high", Reason: "r"}},
		{"an unknown priority", TriageInput{Category: "hardware", Priority: "urgent", Reason: "r"}},
	} {
		_, err := r.Change(context.Background(), id, func(f *ticket.File) (string, string, error) {
			return "", "", r.Triage(f, tc.in, a)
		})
		var usage *UsageError
		if !errors.As(err, &usage) {
			t.Errorf("%s: %v, want a usage error", tc.name, err)
		}
	}
	f, err := r.Change(context.Background(), id, func(f *ticket.File) (string, string, error) {
		return "triaged", "transition", r.Triage(f, TriageInput{Category: "hardware", Priority: "high", Reason: "sales blocked", Assignee: "li.si"}, a)
	})
	if err != nil {
		t.Fatal(err)
	}
	tk := f.Ticket
	last := tk.Events[len(tk.Events)-1]
	if tk.Status != "triaged" || tk.Category != "hardware" || tk.Priority != "high" || tk.PriorityReason != "sales blocked" || tk.Assignee != "li.si" ||
		last.Action != "transition" || last.To != "triaged" || last.Note != "hardware; high: sales blocked" {
		t.Errorf("triaged: %+v, last event %+v", tk, last)
	}
}

func TestAssign(t *testing.T) {
	r, a := newKBRepo(t, "en")
	id := triageTicket(t, r, a)
	assign := func(user string) (*ticket.File, error) {
		return r.Change(context.Background(), id, func(f *ticket.File) (string, string, error) {
			return "assigned", "assign", r.Assign(f, user, a)
		})
	}
	var usage *UsageError
	if _, err := assign(" "); !errors.As(err, &usage) {
		t.Errorf("an empty assignee: %v", err)
	}
	f, err := assign("li.si")
	if err != nil || f.Ticket.Assignee != "li.si" {
		t.Fatalf("assign: %v", err)
	}
	var refused *RefusedError
	if _, err := assign("li.si"); !errors.As(err, &refused) || !strings.Contains(err.Error(), "already assigned to li.si") {
		t.Errorf("assigning again: %v", err)
	}
}
