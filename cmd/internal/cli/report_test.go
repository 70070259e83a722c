package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	dir := newDesk(t)
	newTicket(t, dir, "Laptop does not power on")
	newTicket(t, dir, "Printer jams")
	out, _ := runDesk(t, plain, "-C", dir, "report")
	if !strings.Contains(out, "## Service desk report 2026-10\n") {
		t.Errorf("desk report: the last month is not October:\n%.400s", out)
	}
	out, _ = runDesk(t, plain, "-C", dir, "report", "--period", "2026-W47", "--format", "json")
	var js struct {
		Period struct{ Name string }
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil || js.Period.Name != "2026-W47" || !strings.Contains(out, `"opened": 2,`) {
		t.Errorf("desk report --period 2026-W47 --format json: %v\n%.400s", err, out)
	}
	html := filepath.Join(t.TempDir(), "report.html")
	out, stderr := runDesk(t, plain, "-C", dir, "report", "--since", "2026-11-01", "--format", "html", "-o", html)
	if out != "" || !strings.HasPrefix(stderr, "report of ") || !strings.HasSuffix(stderr, " written to "+html+"\n") {
		t.Errorf("desk report -o: %q, %q", out, stderr)
	}
	if page, err := os.ReadFile(html); err != nil || !strings.HasPrefix(string(page), "<!DOCTYPE html>") {
		t.Errorf("the report's file: %v\n%.200s", err, page)
	}
	for _, args := range [][]string{{"--format", "pdf"}, {"--period", "2026-11", "--since", "2026-11-01"}, {"--period", "2026-13"}, {"--now", "yesterday"}} {
		_, _, err := deskIn(t, "", plain, append([]string{"-C", dir, "report"}, args...)...)
		wantCode(t, err, exitUsage)
	}
}
