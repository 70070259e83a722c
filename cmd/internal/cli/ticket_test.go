package cli

import (
	"encoding/json"
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

// editor sets $EDITOR to a shell command run on the file to edit.
func editor(t *testing.T, script string) {
	t.Helper()
	name := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(name, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", name)
}

func TestTicketNew(t *testing.T) {
	dir := newDesk(t)
	out, stderr := runDesk(t, plain, "-C", dir, "ticket", "new", "--title", "Laptop does not power on", "--requester", "Zhang San",
		"--contact", "zhang.san@example.com", "--channel", "phone", "--tag", "laptop,power", "--description", "The power LED stays off.")
	if out != "TS-20261122-1\n" || stderr != "Created TS-20261122-1 (tickets/2026/11/TS-20261122-1.md)\n" {
		t.Errorf("desk ticket new: %q, %q", out, stderr)
	}
	if text := ticketFile(t, dir, "TS-20261122-1"); !strings.Contains(text, `tags = ["laptop", "power"]`) || !strings.Contains(text, "The power LED stays off.") {
		t.Errorf("the ticket:\n%s", text)
	}
	if log := gitLog(t, dir, "-1"); !strings.HasPrefix(log[0], "TS-20261122-1: ") {
		t.Errorf("the commit: %q", log)
	}
	// The description from standard input, --json.
	out, _, err := deskIn(t, "Paper jams in tray 2.\n", plain, "-C", dir, "ticket", "new", "--title", "Printer jams", "--requester", "Li Na",
		"--contact", "555-0101", "--channel", "phone", "--json", "-")
	var js TicketJSON
	if err != nil || json.Unmarshal([]byte(out), &js) != nil || js.ID != "TS-20261122-2" || js.Status != "new" {
		t.Errorf("desk ticket new --json -: %v\n%s", err, out)
	}
	if text := ticketFile(t, dir, "TS-20261122-2"); !strings.Contains(text, "Paper jams in tray 2.") {
		t.Errorf("the description from standard input is not in the ticket:\n%s", text)
	}
	_, _, err = deskIn(t, "", plain, "-C", dir, "ticket", "new", "--title", "x", "extra")
	wantCode(t, err, exitUsage)
	_, _, err = deskIn(t, "", plain, "-C", dir, "ticket", "new", "--title", "No requester", "--channel", "phone")
	wantCode(t, err, exitRefused)
	if n := len(gitLog(t, dir)); n != 3 {
		t.Errorf("%d commits, want 3", n)
	}
}

// TestTicketNewTemplate: with no flags on a terminal, the ticket is written
// in $EDITOR; an empty title cancels.
func TestTicketNewTemplate(t *testing.T) {
	dir := newDesk(t)
	t.Chdir(dir)
	editor(t, `sed -i -e 's/^title = ""/title = "Projector shows no signal"/' -e 's/^channel = ""/channel = "phone"/' \
	-e 's/^name = ""/name = "Wang Fang"/' -e 's/^contact = ""/contact = "wang.fang@example.com"/' \
	-e 's/^<!--.*-->$/HDMI adapter broken./' "$1"`)
	out, stderr := runDesk(t, onTerminal, "ticket", "new")
	if out != "TS-20261122-1\n" || !strings.HasPrefix(stderr, "Created TS-20261122-1") {
		t.Fatalf("desk ticket new in $EDITOR: %q, %q", out, stderr)
	}
	text := ticketFile(t, dir, "TS-20261122-1")
	for _, want := range []string{`title = "Projector shows no signal"`, `name = "Wang Fang"`, "HDMI adapter broken."} {
		if !strings.Contains(text, want) {
			t.Errorf("the ticket lacks %q:\n%s", want, text)
		}
	}
	editor(t, "true")
	_, _, err := deskIn(t, "", onTerminal, "ticket", "new")
	wantCode(t, err, exitRefused)
	if n := len(gitLog(t, dir)); n != 2 {
		t.Errorf("%d commits, want 2: an empty title does not cancel", n)
	}
}

func TestTicketShow(t *testing.T) {
	dir := newDesk(t)
	id := newTicket(t, dir, "Laptop does not power on")
	out, _ := runDesk(t, plain, "-C", dir, "ticket", "show", id)
	for _, want := range []string{id + "  Laptop does not power on\n", "status:    new\n", "requester: Zhang San <zhang.san@example.com>\n",
		"\nlog:\n", "create → new", "The power LED stays off."} {
		if !strings.Contains(out, want) {
			t.Errorf("desk ticket show lacks %q:\n%s", want, out)
		}
	}
	deskOK(t, "-C", dir, "ticket", "triage", id, "--category", "hardware", "--priority", "high", "--reason", "cannot work", "--assignee", "li.si")
	colour, _ := runDesk(t, onTerminal, "-C", dir, "ticket", "show", id)
	plainOut, _ := runDesk(t, plain, "-C", dir, "ticket", "show", id)
	if !strings.Contains(plainOut, "sla respond: met,") || !strings.Contains(colour, "sla respond: \x1b[32mmet\x1b[0m,") {
		t.Errorf("desk ticket show on a terminal:\n%q\n%q", colour, plainOut)
	}
	if got := sgr.ReplaceAllString(colour, ""); got != plainOut {
		t.Errorf("without its colours, the terminal's text differs from the plain text:\n%q\n%q", got, plainOut)
	}
	out, _ = runDesk(t, plain, "-C", dir, "ticket", "show", id, "--json")
	var js TicketJSON
	if err := json.Unmarshal([]byte(out), &js); err != nil || js.ID != id || js.Body == nil || !strings.Contains(*js.Body, "The power LED stays off.") {
		t.Errorf("desk ticket show --json: %v\n%s", err, out)
	}
	_, _, err := deskIn(t, "", plain, "-C", dir, "ticket", "show", "TS-20261122-9")
	wantCode(t, err, exitEnv)
	_, _, err = deskIn(t, "", plain, "-C", dir, "ticket", "show", "../x")
	wantCode(t, err, exitUsage)
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

// TestTicketEdit runs desk ticket edit with $EDITOR a script that changes
// the file.
func TestTicketEdit(t *testing.T) {
	dir := newDesk(t)
	id := newTicket(t, dir, "Laptop does not power on")
	editor(t, `sed -i 's/^title = .*/title = "Laptop does not start"/' "$1"`)
	_, stderr := runDesk(t, plain, "-C", dir, "ticket", "edit", id)
	if stderr != id+": edited title\n" {
		t.Errorf("desk ticket edit says %q", stderr)
	}
	if text := ticketFile(t, dir, id); !strings.Contains(text, `title = "Laptop does not start"`) || !strings.Contains(text, `field = "title"`) {
		t.Errorf("the edited ticket:\n%s", text)
	}
	if log := gitLog(t, dir, "-1"); log[0] != id+": edited title" {
		t.Errorf("the commit: %q", log)
	}
	// No change, no commit.
	editor(t, "true")
	_, stderr = runDesk(t, plain, "-C", dir, "ticket", "edit", id)
	if stderr != id+": no change\n" || len(gitLog(t, dir)) != 3 {
		t.Errorf("an edit that changes nothing: %q", stderr)
	}
	// An edit that removes the log is refused and kept.
	editor(t, `sed -i '/^\[\[events\]\]$/,$d' "$1"`)
	_, _, err := deskIn(t, "", plain, "-C", dir, "ticket", "edit", id)
	wantCode(t, err, exitRefused)
	if msg := err.Error(); !strings.Contains(msg, "(your version is saved in ") {
		t.Errorf("the refusal does not say where the edit is: %s", msg)
	}
	if len(gitLog(t, dir)) != 3 {
		t.Error("a refused edit committed")
	}
	// The ticket changes while it is edited: refused, and the edit kept.
	editor(t, `sed -i 's/^title = .*/title = "Mine"/' "$1" && echo "Theirs." >> `+filepath.Join(dir, "tickets", "2026", "11", id+".md"))
	_, _, err = deskIn(t, "", plain, "-C", dir, "ticket", "edit", id)
	wantCode(t, err, exitRefused)
	if msg := err.Error(); !strings.Contains(msg, "the ticket changed while you edited it (your version is saved in ") {
		t.Errorf("an edit of a ticket that changed meanwhile: %s", msg)
	}
	editor(t, "false")
	_, _, err = deskIn(t, "", plain, "-C", dir, "ticket", "edit", id)
	wantCode(t, err, exitEnv)
}

func TestTicketLog(t *testing.T) {
	dir := newDesk(t)
	id := newTicket(t, dir, "Laptop does not power on")
	deskOK(t, "-C", dir, "ticket", "comment", id, "Checked the adapter.")
	out, _ := runDesk(t, plain, "-C", dir, "ticket", "log", id)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], id+": comment: Checked the adapter.") || !strings.Contains(lines[1], "Li Si") {
		t.Errorf("desk ticket log:\n%s", out)
	}
	out, _ = runDesk(t, plain, "-C", dir, "ticket", "log", id, "--json")
	var js []struct{ Hash, Subject string }
	if err := json.Unmarshal([]byte(out), &js); err != nil || len(js) != 2 || len(js[0].Hash) != 40 {
		t.Errorf("desk ticket log --json: %v\n%s", err, out)
	}
	_, _, err := deskIn(t, "", plain, "-C", dir, "ticket", "log", "TS-20261122-9")
	wantCode(t, err, exitEnv)
}
