package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// gitBody returns the full message of the newest commit of dir.
func gitBody(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", dir, "log", "-1", "--format=%B").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestTicketLink: a link writes both tickets in one commit naming both,
// show lists it on both sides, --remove takes it away from both, and the
// links that would break the rules are refused with nothing written.
func TestTicketLink(t *testing.T) {
	dir := newDesk(t)
	orig, dup, third := newTicket(t, dir, "Laptop A"), newTicket(t, dir, "Laptop B"), newTicket(t, dir, "Laptop C")
	commits := len(gitLog(t, dir))

	_, stderr := runDesk(t, plain, "-C", dir, "ticket", "link", dup, "--duplicate-of", orig)
	if stderr != dup+": duplicate of "+orig+"\n" {
		t.Errorf("desk ticket link says %q", stderr)
	}
	if body := gitBody(t, dir); body != dup+": duplicate of "+orig+"\n\nDesk-Ticket: "+dup+"\nDesk-Ticket: "+orig+"\nDesk-Action: link" {
		t.Errorf("the commit:\n%s", body)
	}
	if n := len(gitLog(t, dir)); n != commits+1 {
		t.Errorf("%d commits, want %d", n, commits+1)
	}
	if f := ticketFile(t, dir, dup); !strings.Contains(f, `duplicate_of = "`+orig+`"`) ||
		!strings.Contains(f, "action = \"link\"\nfield = \"duplicate_of\"\nvalue = \""+orig+"\"\nnote = \"duplicate of "+orig+"\"") {
		t.Errorf("the duplicate:\n%s", f)
	}
	if f := ticketFile(t, dir, orig); !strings.Contains(f, `duplicates = ["`+dup+`"]`) || !strings.Contains(f, "field = \"duplicates\"\nvalue = \""+dup+"\"") {
		t.Errorf("the original:\n%s", f)
	}
	if out, _ := deskOK(t, "-C", dir, "ticket", "show", orig); !strings.Contains(out, "duplicates: "+dup+"\n") {
		t.Errorf("show of the original does not list its duplicate:\n%s", out)
	}
	if out, _ := deskOK(t, "-C", dir, "ticket", "show", dup); !strings.Contains(out, "duplicate of: "+orig+"\n") {
		t.Errorf("show of the duplicate does not name the original:\n%s", out)
	}
	deskOK(t, "-C", dir, "ticket", "link", third, "--parent", orig)
	deskOK(t, "-C", dir, "ticket", "link", third, "--related", dup)
	if out, _ := deskOK(t, "-C", dir, "ticket", "show", orig); !strings.Contains(out, "children:  "+third+"\n") {
		t.Errorf("show of the parent:\n%s", out)
	}
	if f := ticketFile(t, dir, dup); !strings.Contains(f, `related = ["`+third+`"]`) {
		t.Errorf("related is not on both sides:\n%s", f)
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"a duplicate of a duplicate", []string{third, "--duplicate-of", dup}, exitRefused},
		{"an original becoming a duplicate", []string{orig, "--duplicate-of", third}, exitRefused},
		{"a second original", []string{dup, "--duplicate-of", third}, exitRefused},
		{"the same link again", []string{third, "--related", dup}, exitRefused},
		{"a parent that descends from the ticket", []string{orig, "--parent", third}, exitRefused},
		{"removing a link that is not there", []string{orig, "--related", third, "--remove"}, exitRefused},
		{"to itself", []string{orig, "--related", orig}, exitUsage},
		{"to no ID", []string{orig, "--related", "nine"}, exitUsage},
		{"to no kind", []string{orig}, exitUsage},
		{"two kinds", []string{orig, "--related", dup, "--parent", third}, exitUsage},
		{"to a ticket that does not exist", []string{orig, "--related", "TS-20261122-9"}, exitEnv},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(gitLog(t, dir))
			wantExit(t, tc.code, append([]string{"-C", dir, "ticket", "link"}, tc.args...)...)
			if n := len(gitLog(t, dir)); n != before {
				t.Errorf("a refused link committed")
			}
		})
	}

	_, stderr = runDesk(t, plain, "-C", dir, "ticket", "link", dup, "--duplicate-of", orig, "--remove")
	if stderr != dup+": no longer a duplicate of "+orig+"\n" {
		t.Errorf("desk ticket link --remove says %q", stderr)
	}
	if f := ticketFile(t, dir, orig); strings.Contains(f, "duplicates =") || !strings.Contains(f, "note = \""+dup+" is no longer a duplicate of this ticket\"") {
		t.Errorf("the original after --remove:\n%s", f)
	}
	if f := ticketFile(t, dir, dup); strings.Contains(f, "duplicate_of =") {
		t.Errorf("the duplicate after --remove:\n%s", f)
	}
	out, _ := deskOK(t, "-C", dir, "check")
	if !strings.Contains(out, "no problems") {
		t.Errorf("desk check after linking:\n%s", out)
	}
}

// TestCloseDuplicate: resolving a duplicate says what it duplicates, in
// what desk says, the commit and the event's note.
func TestCloseDuplicate(t *testing.T) {
	dir := newDesk(t)
	orig := newTicket(t, dir, "Laptop A")
	dup := ticketAt(t, dir, "in_progress")
	deskOK(t, "-C", dir, "ticket", "link", dup, "--duplicate-of", orig)
	deskOK(t, "-C", dir, "ticket", "comment", dup, "Same as the other one.", "--section", "handling")
	_, stderr := deskOK(t, "-C", dir, "ticket", "move", dup, "resolved", "--resolution", "See "+orig+".", "--note", "closing")
	want := dup + ": in_progress → resolved (duplicate of " + orig + ")"
	if stderr != want+"\n" || gitLog(t, dir)[0] != want {
		t.Errorf("desk says %q, the commit %q; want %q", stderr, gitLog(t, dir)[0], want)
	}
	if f := ticketFile(t, dir, dup); !strings.Contains(f, "to = \"resolved\"\nnote = \"duplicate of "+orig+"; closing\"") {
		t.Errorf("the event does not say it is a duplicate:\n%s", f)
	}
}
