package cli

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// searchDesk is a desk with two tickets, one whose title and description
// hold terminal escapes, and an article.
func searchDesk(t *testing.T) string {
	t.Helper()
	dir := newDesk(t)
	deskOK(t, "-C", dir, "ticket", "new", "--title", "Printer \x1b[31mjams", "--requester", "Zhang San",
		"--contact", "zhang.san@example.com", "--channel", "phone", "--description", "The printer jams \x1b]0;pwned\x07 on every job.\x1b[2J")
	newTicket(t, dir, "Laptop does not power on")
	deskIn(t, "Open UDP 500 and 4500 on the firewall.\n", plain, "-C", dir, "kb", "new", "--title", "VPN error 809", "-")
	return dir
}

func TestSearch(t *testing.T) {
	dir := searchDesk(t)
	out, stderr := runDesk(t, plain, "-C", dir, "search", "laptop")
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "ticket  TS-20261122-2  Laptop does not power on") || !strings.Contains(stderr, "1 matches\n") {
		t.Errorf("desk search laptop:\n%s%s", out, stderr)
	}
	out, stderr = runDesk(t, plain, "-C", dir, "search", "--type", "kb", "--json", "firewall")
	var js struct {
		Total int
		Hits  []searchHit
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil || js.Total != 1 || js.Hits[0].ID != "vpn-error-809" || js.Hits[0].Type != "kb" {
		t.Errorf("desk search --type kb --json firewall: %v\n%s", err, out)
	}
	if stderr != "1 matches\n" {
		t.Errorf("desk search --json says %q", stderr)
	}
	_, stderr = runDesk(t, plain, "-C", dir, "search", "nothing-like-this")
	if stderr != "no matches\n" {
		t.Errorf("desk search with no match says %q", stderr)
	}
	_, stderr = runDesk(t, plain, "-C", dir, "search", "laptop", "--json")
	if !strings.Contains(stderr, "desk: --json after the query is searched as a word; flags go before the query\n") {
		t.Errorf("a flag after the query: %q", stderr)
	}
	for _, args := range [][]string{{"search"}, {"search", "--type", "wiki", "x"}, {"search", "--limit", "0", "x"}} {
		_, _, err := deskIn(t, "", plain, append([]string{"-C", dir}, args...)...)
		wantCode(t, err, exitUsage)
	}
}

// TestSearchTerminal: on a terminal, the words found are in colour, the index
// shows its progress on standard error, and the escapes in a ticket's title
// and text reach the terminal escaped, as in the plain text.
func TestSearchTerminal(t *testing.T) {
	dir := searchDesk(t)
	runDesk(t, plain, "-C", dir, "index")
	deskOK(t, "-C", dir, "ticket", "comment", "TS-20261122-2", "Printer cable checked.")
	colour, stderr := runDesk(t, onTerminal, "-C", dir, "search", "printer")
	if !progress.MatchString(stderr) {
		t.Errorf("desk search on a terminal shows no progress as it catches up: %q", stderr)
	}
	plainOut, _ := runDesk(t, plain, "-C", dir, "search", "printer")
	if got := sgr.ReplaceAllString(colour, ""); got != plainOut {
		t.Errorf("without its colours, the terminal's text differs from the plain text:\n%q\n%q", got, plainOut)
	}
	if !strings.Contains(plainOut, `Printer \x1b[31mjams`) || !strings.Contains(plainOut, `\x1b]0;pwned\a on every job.\x1b[2J`) {
		t.Errorf("the plain text does not escape the ticket's escapes:\n%s", plainOut)
	}
	for _, cmd := range [][]string{{"search", "printer"}, {"similar", "--text", "printer jams"}} {
		colour, _ := runDesk(t, onTerminal, append([]string{"-C", dir}, cmd...)...)
		if !strings.Contains(colour, "\x1b[1;33mprinter\x1b[0m") {
			t.Errorf("desk %s on a terminal does not mark the word found:\n%q", cmd, colour)
		}
		if got := sgr.ReplaceAllString(colour, ""); strings.ContainsAny(got, "\x1b\x07") {
			t.Errorf("desk %s: a ticket's escape reached the terminal:\n%q", cmd, colour)
		}
	}
}

var progress = regexp.MustCompile("^\rindexing 0/[0-9]+(\rindexing [0-9]+/[0-9]+)*\r\x1b\\[K")

func TestIndex(t *testing.T) {
	dir := searchDesk(t)
	_, stderr := runDesk(t, plain, "-C", dir, "index")
	if stderr != "desk: search index rebuilt: there was no search index yet\nsearch index up to date\n" {
		t.Errorf("desk index, the first time: %q", stderr)
	}
	_, stderr = runDesk(t, plain, "-C", dir, "index")
	if stderr != "search index up to date\n" {
		t.Errorf("desk index again: %q", stderr)
	}
	_, stderr = runDesk(t, plain, "-C", dir, "index", "--rebuild")
	if !strings.HasPrefix(stderr, "desk: search index rebuilt: ") {
		t.Errorf("desk index --rebuild: %q", stderr)
	}
	_, _, err := deskIn(t, "", plain, "-C", dir, "index", "extra")
	wantCode(t, err, exitUsage)
}

func TestSimilar(t *testing.T) {
	dir := searchDesk(t)
	id := newTicket(t, dir, "Laptop will not power on")
	out, stderr := runDesk(t, plain, "-C", dir, "similar", id)
	if !strings.HasPrefix(out, "ticket  TS-20261122-2  Laptop does not power on") || strings.Contains(out, id) || !strings.HasSuffix(stderr, "matches\n") {
		t.Errorf("desk similar %s:\n%s%s", id, out, stderr)
	}
	out, _ = runDesk(t, plain, "-C", dir, "similar", "--text", "firewall UDP", "--type", "kb", "--json")
	var js struct{ Hits []searchHit }
	if err := json.Unmarshal([]byte(out), &js); err != nil || len(js.Hits) != 1 || js.Hits[0].ID != "vpn-error-809" {
		t.Errorf("desk similar --text --json: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"similar"}, {"similar", id, "--text", "x"}, {"similar", "nonsense"}, {"similar", id, "--type", "wiki"}} {
		_, _, err := deskIn(t, "", plain, append([]string{"-C", dir}, args...)...)
		wantCode(t, err, exitUsage)
	}
	_, _, err := deskIn(t, "", plain, "-C", dir, "similar", "TS-20261122-9")
	wantCode(t, err, exitEnv)
}
