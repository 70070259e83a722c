package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ticketFile returns the text of ticket id's file in dir.
func ticketFile(t *testing.T, dir, id string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "tickets", "2026", "11", id+".md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestTicketLifecycle takes a ticket from triage to closed, one command and
// one commit a step.
func TestTicketLifecycle(t *testing.T) {
	dir := newDesk(t)
	id := newTicket(t, dir, "Printer jams")
	steps := []struct {
		args    []string
		stdin   string
		said    string // on standard error
		subject string // of the commit
	}{
		{[]string{"triage", id, "--category", "hardware", "--priority", "high", "--reason", "sales blocked", "--assignee", "wang.wu"},
			"", id + ": new → triaged (hardware, high)\n", id + ": new → triaged (hardware, high)"},
		{[]string{"assign", id, "li.si"}, "", id + ": assigned to li.si\n", id + ": assigned to li.si"},
		{[]string{"move", id, "in_progress", "--note", "on site"}, "", id + ": triaged → in_progress\n", id + ": triaged → in_progress"},
		{[]string{"comment", id, "-", "--section", "handling"}, "Replaced the pickup roller.\n", id + ": comment: Replaced the pickup roller.\n", id + ": comment: Replaced the pickup roller."},
		{[]string{"set", id, "tags=printer,roller", "lead=wang.wu"}, "", id + ": set tags, lead\n", id + ": set tags, lead"},
		{[]string{"move", id, "resolved", "--resolution", "Roller replaced."}, "", id + ": in_progress → resolved\n", id + ": in_progress → resolved"},
		{[]string{"feedback", id, "--rating", "satisfied", "--confirmed-by", "Zhang San", "--via", "phone"}, "", id + ": feedback: satisfied\n", id + ": feedback: satisfied"},
		{[]string{"move", id, "closed"}, "", id + ": resolved → closed\n", id + ": resolved → closed"},
	}
	for _, st := range steps {
		_, stderr, err := deskIn(t, st.stdin, plain, append([]string{"-C", dir, "ticket"}, st.args...)...)
		if err != nil || stderr != st.said {
			t.Fatalf("desk ticket %s: %v, %q; want %q", st.args, err, stderr, st.said)
		}
		if log := gitLog(t, dir, "-1"); log[0] != st.subject {
			t.Errorf("desk ticket %s committed %q, want %q", st.args, log[0], st.subject)
		}
	}
	text := ticketFile(t, dir, id)
	for _, want := range []string{`status = "closed"`, `assignee = "li.si"`, `tags = ["printer", "roller"]`, `lead = "wang.wu"`, "Roller replaced.", "Replaced the pickup roller.", `rating = "satisfied"`} {
		if !strings.Contains(text, want) {
			t.Errorf("the closed ticket lacks %q:\n%s", want, text)
		}
	}
	if n := len(gitLog(t, dir)); n != 2+len(steps) {
		t.Errorf("%d commits, want %d", n, 2+len(steps))
	}
	// Refusals write nothing: exit 1 for what the rules refuse, 2 for usage.
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"move", id, "triaged"}, exitRefused},
		{[]string{"assign", id, "li.si"}, exitRefused},
		{[]string{"assign", id, " "}, exitUsage},
		{[]string{"triage", id, "--category", "plumbing", "--priority", "high", "--reason", "r"}, exitUsage},
		{[]string{"set", id, "priority"}, exitUsage},
		{[]string{"feedback", "nonsense", "--rating", "satisfied"}, exitUsage},
		{[]string{"comment", id, "x", "--at", "yesterday"}, exitUsage},
	} {
		_, _, err := deskIn(t, "", plain, append([]string{"-C", dir, "ticket"}, tc.args...)...)
		if got := exitCode(err); err == nil || got != tc.code {
			t.Errorf("desk ticket %s: exit %d (%v), want %d", tc.args, got, err, tc.code)
		}
	}
	if n := len(gitLog(t, dir)); n != 2+len(steps) {
		t.Errorf("a refusal committed: %d commits", n)
	}
}
