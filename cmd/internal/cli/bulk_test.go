package cli

import (
	"strings"
	"testing"
)

// TestBulk: move, assign, triage and set on several tickets, by ID or by
// --query, make one commit whose trailers name every ticket; a refusal by
// any writes nothing and lists every refusal; --dry-run writes nothing.
func TestBulk(t *testing.T) {
	dir := newDesk(t)
	a, b, c := newTicket(t, dir, "Laptop A"), newTicket(t, dir, "Laptop B"), newTicket(t, dir, "Laptop C")
	ab := []string{a, b}
	commits := func() int { return len(gitLog(t, dir)) }

	// Triaging three by a query is one commit.
	n := commits()
	_, stderr := deskOK(t, "-C", dir, "ticket", "triage", "--query", "status:new", "--category", "hardware", "--priority", "low", "--reason", "one user", "--assignee", "wang.wu")
	if commits() != n+1 || gitLog(t, dir)[0] != "3 tickets → triaged (hardware, low)" {
		t.Fatalf("triage --query made %d commits: %q", commits()-n, gitLog(t, dir)[0])
	}
	body := gitBody(t, dir)
	for _, id := range []string{a, b, c} {
		if !strings.Contains(body, "\nDesk-Ticket: "+id+"\n") || !strings.Contains(body, "\n"+id+": new → triaged (hardware, low)\n") {
			t.Errorf("the commit does not name %s:\n%s", id, body)
		}
		if !strings.Contains(stderr, id+": new → triaged (hardware, low)\n") {
			t.Errorf("desk does not say what it did to %s: %q", id, stderr)
		}
		if f := ticketFile(t, dir, id); !strings.Contains(f, `status = "triaged"`) {
			t.Errorf("%s was not triaged:\n%s", id, f)
		}
	}

	// Several IDs.
	n = commits()
	deskOK(t, "-C", dir, "ticket", "assign", a, b, "li.si")
	deskOK(t, "-C", dir, "ticket", "set", a, b, "priority=high", "tags=laptop")
	if commits() != n+2 || gitLog(t, dir)[0] != "2 tickets: set priority, tags" || gitLog(t, dir)[1] != "2 tickets assigned to li.si" {
		t.Errorf("assign and set of two tickets: %q", gitLog(t, dir)[:2])
	}
	if f := ticketFile(t, dir, c); strings.Contains(f, `assignee = "li.si"`) || strings.Contains(f, "tags =") {
		t.Errorf("a ticket not named was changed:\n%s", f)
	}

	// --dry-run prints and writes nothing.
	n = commits()
	out, stderr := deskOK(t, "-C", dir, "ticket", "move", "--query", "assignee:li.si", "in_progress", "--dry-run")
	if out != a+": triaged → in_progress\n"+b+": triaged → in_progress\n" || !strings.Contains(stderr, "nothing was written") || commits() != n {
		t.Errorf("move --dry-run: %q, %q, %d commits", out, stderr, commits()-n)
	}

	// One refusal: nothing is written, and every refusal is listed.
	deskOK(t, "-C", dir, "ticket", "move", a, "in_progress")
	n = commits()
	before := ticketFile(t, dir, b)
	_, _, err := deskIn(t, "", plain, append([]string{"-C", dir, "ticket", "move"}, append(ab, c, "resolved")...)...)
	wantCode(t, err, exitRefused)
	msg := err.Error()
	if !strings.HasPrefix(msg, "3 of 3 tickets refused; nothing was written:") ||
		!strings.Contains(msg, "\n  "+a+": cannot move to resolved; missing: section:handling") ||
		!strings.Contains(msg, "\n  "+b+": the workflow does not allow triaged → resolved") ||
		!strings.Contains(msg, "\n  "+c+": the workflow does not allow triaged → resolved") {
		t.Errorf("the refusal:\n%s", msg)
	}
	_, _, err = deskIn(t, "", plain, "-C", dir, "ticket", "move", a, b, "in_progress")
	wantCode(t, err, exitRefused)
	if !strings.HasPrefix(err.Error(), "1 of 2 tickets refused") || commits() != n || ticketFile(t, dir, b) != before {
		t.Errorf("a refused bulk move wrote: %v, %d commits", err, commits()-n)
	}

	// Usage errors.
	for _, args := range [][]string{
		{"move", "--query", "state:new", "closed"},       // unknown field
		{"move", "--query", "status:bogus", "closed"},    // unknown status
		{"move", a, "--query", "status:new", "closed"},   // IDs and a query
		{"move", "--query", "status:new"},                // no status
		{"assign", a, b},                                 // no user
		{"triage", a, "extra", "--category", "hardware"}, // not an ID
		{"set", "--query", "status:new"},                 // no pair
		{"set", a, "colour=red"},                         // an unknown key, for every ticket
		{"move", "--query", "status:new", "closed", "x"}, // two statuses
	} {
		wantExit(t, exitUsage, append([]string{"-C", dir, "ticket"}, args...)...)
	}
	if commits() != n {
		t.Errorf("a usage error committed")
	}

	// A query that matches nothing changes nothing and succeeds.
	_, stderr = deskOK(t, "-C", dir, "ticket", "assign", "--query", "status:closed", "li.si")
	if !strings.Contains(stderr, "no ticket matches") || commits() != n {
		t.Errorf("an empty query: %q", stderr)
	}
}
