package repo

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/deskhq/desk/ticket"
)

// The tests of the ticket operations of the command line: triage, assign,
// log, edit.

// ticketRepo makes a repository (newKBRepo) with one new ticket and returns
// the ticket's ID.
func ticketRepo(t *testing.T) (*Repo, Actor, string) {
	t.Helper()
	r, a := newKBRepo(t, "en")
	f, err := r.CreateTicket(context.Background(), NewTicket{Title: "Printer jams", Requester: "Wang Fang",
		Contact: "wang.fang@example.com", Channel: "phone", Description: "It jams."}, a)
	if err != nil {
		t.Fatal(err)
	}
	return r, a, f.Ticket.ID
}

func TestTriage(t *testing.T) {
	r, a, id := ticketRepo(t)
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
			return "", "", r.Triage(context.Background(), f, tc.in, a)
		})
		var usage *UsageError
		if !errors.As(err, &usage) {
			t.Errorf("%s: %v, want a usage error", tc.name, err)
		}
	}
	f, err := r.Change(context.Background(), id, func(f *ticket.File) (string, string, error) {
		return "triaged", "transition", r.Triage(context.Background(), f, TriageInput{Category: "hardware", Priority: "high", Reason: "sales blocked", Assignee: "li.si"}, a)
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
	r, a, id := ticketRepo(t)
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

func TestTicketHistory(t *testing.T) {
	r, _, id := ticketRepo(t)
	commits, err := r.TicketHistory(id)
	if err != nil || len(commits) != 1 || commits[0].Action != "create" || !strings.HasPrefix(commits[0].Subject, id+": ") {
		t.Errorf("TicketHistory(%s) = %+v, %v", id, commits, err)
	}
	var nf *NotFoundError
	if _, err := r.TicketHistory("TS-20261122-9"); !errors.As(err, &nf) {
		t.Errorf("the history of a ticket that does not exist: %v", err)
	}
	var usage *UsageError
	if _, err := r.TicketHistory("../x"); !errors.As(err, &usage) {
		t.Errorf("the history of no ID: %v", err)
	}
}

func TestApplyEdit(t *testing.T) {
	r, a, id := ticketRepo(t)
	path, _ := r.TicketPath(id)
	orig, err := r.ReadTicket(path)
	if err != nil {
		t.Fatal(err)
	}
	before := orig.Doc.Bytes()
	edited := bytes.Replace(before, []byte(`title = "Printer jams"`), []byte(`title = "Printer jams on every job"`), 1)
	apply := func(before, edited []byte) (*ticket.File, []string, error) {
		var changed []string
		f, err := r.Change(context.Background(), id, func(f *ticket.File) (string, string, error) {
			var err error
			changed, err = r.ApplyEdit(f, before, edited, a)
			return "edited", "update", err
		})
		return f, changed, err
	}
	// The ticket as it was when the edit began no longer is.
	var refused *RefusedError
	if _, _, err := apply([]byte("an older version\n"), edited); !errors.As(err, &refused) || !strings.Contains(err.Error(), "the ticket changed while you edited it") {
		t.Errorf("an edit of an older version: %v", err)
	}
	f, changed, err := apply(before, edited)
	if err != nil || f.Ticket.Title != "Printer jams on every job" || strings.Join(changed, ",") != "title" {
		t.Fatalf("ApplyEdit: %v, %q", err, changed)
	}
	if last := f.Ticket.Events[len(f.Ticket.Events)-1]; last.Action != "update" {
		t.Errorf("the last event: %+v", last)
	}
}
