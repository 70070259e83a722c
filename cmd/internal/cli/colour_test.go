package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestCheckColourEscapes runs desk check on a terminal (a stand-in) with a
// file whose name holds an ANSI escape: the colours are desk's own, and the
// name is escaped exactly as in the plain text format.
func TestCheckColourEscapes(t *testing.T) {
	dir := newDesk(t)
	bad := filepath.Join(dir, "tickets", "2026", "11", "TS-20261122-1\x1b[31m.md")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("not a ticket\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plain, _ := runDesk(t, isTerminal, "-C", dir, "check", "--fail-on", "never")
	colour, _ := runDesk(t, onTerminal, "-C", dir, "check", "--fail-on", "never")
	if !strings.Contains(plain, `TS-20261122-1\x1b[31m.md`) {
		t.Fatalf("the plain text does not name the file escaped:\n%s", plain)
	}
	if colour == plain || !sgr.MatchString(colour) {
		t.Fatalf("desk check on a terminal is not in colour:\n%q", colour)
	}
	if strings.Contains(colour, "1\x1b[31m.md") {
		t.Fatalf("the file name's escape reached the terminal:\n%q", colour)
	}
	if got := sgr.ReplaceAllString(colour, ""); got != plain {
		t.Fatalf("without its colours, the terminal's text differs from the plain text:\n%q\n%q", got, plain)
	}
}
