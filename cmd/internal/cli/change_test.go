package cli

import (
	"strings"
	"testing"
)

// ticketAt registers a ticket in dir, takes it to status one command a step
// and returns its ID.
func ticketAt(t *testing.T, dir, status string) string {
	t.Helper()
	id := newTicket(t, dir, "Laptop does not power on")
	steps := map[string][][]string{
		"new":         nil,
		"triaged":     {{"triage", id, "--category", "hardware", "--priority", "high", "--reason", "sales blocked", "--assignee", "wang.wu"}},
		"in_progress": {{"move", id, "in_progress"}},
		"resolved":    {{"comment", id, "Replaced the adapter.", "--section", "handling"}, {"move", id, "resolved", "--resolution", "New adapter."}},
	}
	for _, s := range []string{"new", "triaged", "in_progress", "resolved"} {
		for _, args := range steps[s] {
			deskOK(t, append([]string{"-C", dir, "ticket"}, args...)...)
		}
		if s == status {
			return id
		}
	}
	t.Fatalf("ticketAt: no way to %s", status)
	return ""
}

// TestTicketChanges runs each command that changes a ticket on a ticket of
// its own, in one desk: what desk says, what the file holds after and the commit, or the
// exit status of a refusal that writes and commits nothing. ID in args and
// wants stands for the ticket's ID.
func TestTicketChanges(t *testing.T) {
	dir := newDesk(t)
	for _, tc := range []struct {
		name   string
		status string // of the ticket the command runs on
		args   []string
		stdin  string
		code   int
		said   string   // on standard error after "ID: ", when the command succeeds; also the commit's subject
		file   []string // in the ticket's file after
	}{
		{"triage classifies and assigns", "new", []string{"triage", "ID", "--category", "hardware", "--priority", "high", "--reason", "sales blocked", "--assignee", "wang.wu"},
			"", exitOK, "new → triaged (hardware, high)", []string{`status = "triaged"`, `category = "hardware"`, `priority = "high"`, `priority_reason = "sales blocked"`,
				`assignee = "wang.wu"`, "from = \"new\"\nto = \"triaged\"\nnote = \"hardware; high: sales blocked\""}},
		{"triage needs a reason", "new", []string{"triage", "ID", "--category", "hardware", "--priority", "high"}, "", exitUsage, "", nil},
		{"triage takes a configured priority", "new", []string{"triage", "ID", "--category", "hardware", "--priority", "urgent", "--reason", "r", "--assignee", "li.si"}, "", exitUsage, "", nil},
		{"triage of no ticket", "new", []string{"triage", "TS-20261122-99", "--category", "hardware", "--priority", "high", "--reason", "r", "--assignee", "li.si"}, "", exitEnv, "", nil},
		{"move with a note", "triaged", []string{"move", "ID", "in_progress", "--note", "on site"}, "", exitOK, "triaged → in_progress",
			[]string{`status = "in_progress"`, "action = \"transition\"\nfrom = \"triaged\"\nto = \"in_progress\"\nnote = \"on site\""}},
		{"move to resolved needs a handling record", "in_progress", []string{"move", "ID", "resolved", "--resolution", "Adapter replaced."}, "", exitRefused, "", nil},
		{"move outside the workflow", "new", []string{"move", "ID", "resolved"}, "", exitRefused, "", nil},
		{"move needs a status", "new", []string{"move", "ID"}, "", exitUsage, "", nil},
		{"assign", "triaged", []string{"assign", "ID", "li.si"}, "", exitOK, "assigned to li.si", []string{`assignee = "li.si"`, `action = "assign"`}},
		{"assign to no one", "triaged", []string{"assign", "ID", ""}, "", exitUsage, "", nil},
		{"assign no ticket", "new", []string{"assign", "TS-20261122-99", "li.si"}, "", exitEnv, "", nil},
		{"comment into a section", "in_progress", []string{"comment", "ID", "The adapter is dead.", "--section", "analysis"}, "", exitOK, "comment: The adapter is dead.",
			[]string{"action = \"comment\"\nnote = \"The adapter is dead.\"", "## Analysis\n\nThe adapter is dead.\n"}},
		{"comment from standard input", "new", []string{"comment", "ID", "-"}, "Called back.\nNo answer.\n", exitOK, "comment: Called back. No answer.",
			[]string{`note = "Called back.\nNo answer."`}},
		{"comment that is empty", "new", []string{"comment", "ID", " "}, "", exitUsage, "", nil},
		{"reply", "in_progress", []string{"reply", "ID", "The new adapter arrives at 15:00."}, "", exitOK, "reply: The new adapter arrives at 15:00.",
			[]string{"action = \"reply\"\nnote = \"The new adapter arrives at 15:00.\"\npublic = true"}},
		{"reply that is empty", "new", []string{"reply", "ID", " "}, "", exitUsage, "", nil},
		{"comment into no section", "new", []string{"comment", "ID", "x", "--section", "notes"}, "", exitUsage, "", nil},
		{"feedback", "resolved", []string{"feedback", "ID", "--rating", "basically_satisfied", "--confirmed-by", "Zhang San", "--via", "phone", "--comment", "slow but fine"},
			"", exitOK, "feedback: basically_satisfied", []string{"[feedback]\nrating = \"basically_satisfied\"\nconfirmed_by = \"Zhang San\"", `via = "phone"`, `comment = "slow but fine"`}},
		{"feedback needs a rating", "resolved", []string{"feedback", "ID", "--confirmed-by", "Zhang San"}, "", exitUsage, "", nil},
		{"feedback with a rating not allowed", "resolved", []string{"feedback", "ID", "--rating", "great", "--confirmed-by", "Zhang San"}, "", exitUsage, "", nil},
		{"set several keys", "triaged", []string{"set", "ID", "lead=wang.wu", "major=true", "tags=laptop, power"}, "", exitOK, "set lead, major, tags",
			[]string{`lead = "wang.wu"`, "major = true", `tags = ["laptop", "power"]`, "field = \"major\"\nvalue = \"true\""}},
		{"set an unknown key", "new", []string{"set", "ID", "colour=red"}, "", exitUsage, "", nil},
		{"set the status", "new", []string{"set", "ID", "status=closed"}, "", exitUsage, "", nil},
		{"set a priority not configured", "triaged", []string{"set", "ID", "priority=urgent"}, "", exitUsage, "", nil},
		{"set without a value", "new", []string{"set", "ID", "title"}, "", exitUsage, "", nil},
		{"part with a quantity", "in_progress", []string{"part", "ID", "DDR4  8GB module", "--qty", "2"}, "", exitOK, "part DDR4 8GB module × 2",
			[]string{"[[parts]]\nname = \"DDR4 8GB module\"\nqty = 2\n\n[[events]]", "action = \"update\"\nfield = \"parts\"\nvalue = \"DDR4 8GB module × 2\""}},
		{"part counted from one", "in_progress", []string{"part", "ID", "DDR4", "--qty", "0"}, "", exitUsage, "", nil},
		{"part without a name", "in_progress", []string{"part", "ID", " "}, "", exitUsage, "", nil},
		{"part of no ticket", "new", []string{"part", "TS-20261122-99", "DDR4"}, "", exitEnv, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := ticketAt(t, dir, tc.status)
			before, commits := ticketFile(t, dir, id), len(gitLog(t, dir))
			args := []string{"-C", dir, "ticket"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "ID", id))
			}
			_, stderr, err := deskIn(t, tc.stdin, plain, args...)
			wantCode(t, err, tc.code)
			after := ticketFile(t, dir, id)
			if tc.code != exitOK {
				if after != before || len(gitLog(t, dir)) != commits {
					t.Errorf("desk ticket %s was refused but wrote or committed:\n%s", tc.args, after)
				}
				return
			}
			if stderr != id+": "+tc.said+"\n" {
				t.Errorf("desk ticket %s says %q, want %q", tc.args, stderr, id+": "+tc.said+"\n")
			}
			if log := gitLog(t, dir); len(log) != commits+1 || log[0] != id+": "+tc.said {
				t.Errorf("desk ticket %s committed %q, want one commit %q", tc.args, log[0], id+": "+tc.said)
			}
			for _, want := range tc.file {
				if !strings.Contains(after, want) {
					t.Errorf("desk ticket %s: the ticket lacks %q:\n%s", tc.args, want, after)
				}
			}
		})
	}
}
