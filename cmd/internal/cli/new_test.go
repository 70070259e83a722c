package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTicketNewTemplateUnchanged: a template saved as it was registers
// nothing and says why, with exit status 1 (it used to exit 1 in silence).
func TestTicketNewTemplateUnchanged(t *testing.T) {
	dir := newDesk(t)
	t.Chdir(dir)
	editor(t, "true")
	_, stderr, err := deskIn(t, "", onTerminal, "ticket", "new")
	wantCode(t, err, exitRefused)
	if err == nil || !strings.Contains(err.Error(), "the template was left unchanged; nothing was registered") {
		t.Errorf("desk ticket new with an unchanged template says %v (stderr %q)", err, stderr)
	}
	wantCommits(t, dir, 1)
}

// wantCommits fails unless dir has n commits.
func wantCommits(t *testing.T, dir string, n int) {
	t.Helper()
	if got := len(gitLog(t, dir)); got != n {
		t.Errorf("%d commits, want %d", got, n)
	}
}

// TestTicketNewTemplateKept: a template desk refuses (the contact and the
// channel left empty) is kept in .git/desk/new-ticket.md, and the error
// says where; the next desk ticket new opens it again, and once the ticket
// is registered the draft goes.
func TestTicketNewTemplateKept(t *testing.T) {
	dir := newDesk(t)
	t.Chdir(dir)
	editor(t, `sed -i -e 's/^title = ""/title = "Projector shows no signal"/' -e 's/^name = ""/name = "Wang Fang"/' \
	-e 's/^<!--.*-->$/HDMI adapter broken since Monday./' "$1"`)
	_, _, err := deskIn(t, "", onTerminal, "ticket", "new")
	wantCode(t, err, exitRefused)
	draft := filepath.Join(dir, ".git", "desk", "new-ticket.md")
	if err == nil || !strings.Contains(err.Error(), "your text is saved in .git/desk/new-ticket.md") || !strings.Contains(err.Error(), "--from .git/desk/new-ticket.md") {
		t.Fatalf("the refusal does not say where the text is: %v", err)
	}
	kept, rerr := os.ReadFile(draft)
	if rerr != nil || !strings.Contains(string(kept), "HDMI adapter broken since Monday.") || !strings.Contains(string(kept), `title = "Projector shows no signal"`) {
		t.Fatalf("the draft holds %q, %v", kept, rerr)
	}

	// Saved unchanged, the draft stays where it is.
	editor(t, "true")
	_, _, err = deskIn(t, "", onTerminal, "ticket", "new")
	wantCode(t, err, exitRefused)
	if _, serr := os.Stat(draft); serr != nil || !strings.Contains(err.Error(), "left unchanged") {
		t.Fatalf("an unchanged draft: %v; the draft: %v", err, serr)
	}

	// The editor opens the draft: filling in what was missing registers it.
	editor(t, `grep -q "HDMI adapter broken" "$1" || exit 1
	sed -i -e 's/^channel = ""/channel = "phone"/' -e 's/^contact = ""/contact = "wang.fang@example.com"/' "$1"`)
	out, stderr := runDesk(t, onTerminal, "ticket", "new")
	if out != "TS-20261122-1\n" || !strings.Contains(stderr, "resuming the ticket you began, kept in .git/desk/new-ticket.md") {
		t.Fatalf("desk ticket new on the draft: %q, %q", out, stderr)
	}
	if text := ticketFile(t, dir, "TS-20261122-1"); !strings.Contains(text, "HDMI adapter broken since Monday.") {
		t.Errorf("the ticket lost the text typed before:\n%s", text)
	}
	if _, serr := os.Stat(draft); !os.IsNotExist(serr) {
		t.Errorf("the draft is still there after the ticket was registered: %v", serr)
	}
}

// TestTicketNewFrom: --from registers a ticket written as the template,
// and refuses field flags beside it.
func TestTicketNewFrom(t *testing.T) {
	dir := newDesk(t)
	file := filepath.Join(t.TempDir(), "t.md")
	os.WriteFile(file, []byte("+++\ntitle = \"Badge reader dead\"\nchannel = \"email\"\n[requester]\nname = \"Li Na\"\ncontact = \"li.na@example.com\"\n+++\n\n## Description\n\nThe door stays shut.\n"), 0o644)
	out, _ := deskOK(t, "-C", dir, "ticket", "new", "--from", file)
	if out != "TS-20261122-1\n" || !strings.Contains(ticketFile(t, dir, "TS-20261122-1"), "The door stays shut.") {
		t.Errorf("desk ticket new --from: %q\n%s", out, ticketFile(t, dir, "TS-20261122-1"))
	}
	wantExit(t, exitUsage, "-C", dir, "ticket", "new", "--from", file, "--title", "x")
	os.WriteFile(file, []byte("+++\ntitle = \"No requester\"\n+++\n"), 0o644)
	wantExit(t, exitRefused, "-C", dir, "ticket", "new", "--from", file)
}

// TestCompleteMove: after a ticket, ticket move completes the statuses the
// workflow allows from its status, not every status.
func TestCompleteMove(t *testing.T) {
	dir := newDesk(t)
	id := ticketAt(t, dir, "in_progress")
	other := ticketAt(t, dir, "new")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{id, ""}, []string{"pending", "resolved"}},
		{[]string{other, ""}, []string{"triaged", "in_progress", "closed"}},
		{[]string{id, other, ""}, nil}, // nothing both may move to
		{[]string{id, "TS-"}, []string{id, other}},
	} {
		out, _ := deskOK(t, append([]string{"-C", dir, "__complete", "ticket", "move"}, tc.args...)...)
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.HasPrefix(line, ":") {
				name, _, _ := strings.Cut(line, "\t")
				got = append(got, name)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("completion of ticket move %q: %q, want %q", tc.args, got, tc.want)
		}
	}
}
