package consist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// copyHelpdesk copies examples/helpdesk into a temporary folder.
func copyHelpdesk(t *testing.T) string {
	t.Helper()
	src, dst := filepath.Join("..", "..", "helpdesk"), t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestCatches: the checker must find each kind of inconsistency, or the example tests
// guard nothing.
func TestCatches(t *testing.T) {
	cases := []struct {
		file, old, new, want string
	}{
		{"tickets/2026/10/TS-20261020-1.md", "from = \"triaged\"\nto = \"in_progress\"", "from = \"triaged\"\nto = \"resolved\"", "not a transition"},
		{"tickets/2026/10/TS-20261020-1.md", `status = "closed"`, `status = "resolved"`, "last event moved it"},
		{"tickets/2026/10/TS-20261020-1.md", "\n## Resolution\n\nShared", "\n## Resolution\n\n<!-- x -->\n\n## Notes\n\nShared", "section:resolution"},
		{"tickets/2026/10/TS-20261020-1.md", `priority_reason = "One user`, `xpriority_reason = "One user`, "unknown keys"},
		{"tickets/2026/10/TS-20261020-1.md", `confirmed_by = "David Chen"`, `confirmed_by = ""`, "feedback.confirmed_by"},
		{"tickets/2026/10/TS-20261020-1.md", `id = "TS-20261020-1"`, `id = "TS-20261021-1"`, "file should be"},
		{"tickets/2026/10/TS-20261020-1.md", `kb = ["outlook-sync-issues"]`, `kb = ["outlook-sync"]`, "no such article"},
		{"tickets/2026/10/TS-20261020-1.md", "at = 2026-10-20T11:40:00+08:00", "at = 2026-10-20T11:00:00+08:00", "before the event above"},
		{"tickets/2026/10/TS-20261027-1.md", "[sla]\nbreach_reason", "[sla]\nxbreach_reason = \"\"\n#", "unknown keys"},
		{"tickets/2026/10/TS-20261027-1.md", "breach_reason = \"DC-IN", "breach_reason = \"\"\n#", "without sla.breach_reason"},
		{"tickets/2026/10/TS-20261015-1.md", "at = 2026-10-15T11:30:00+08:00", "at = 2026-10-15T12:40:00+08:00", "before the event above"},
		{"tickets/2026/10/TS-20261015-1.md", "at = 2026-10-15T13:10:00+08:00", "at = 2026-10-15T15:30:00+08:00", "major ticket without an event"},
		{"tickets/2026/10/TS-20261015-1.md", "## Post-incident review", "## Lessons", "major ticket closed without section:postmortem"},
		{"tickets/2026/11/TS-20261121-1.md", `category = "other"`, `category = "facilities"`, "unknown category"},
		{"tickets/2026/11/TS-20261118-1.md", `assignee = "alice.wong"`, `assignee = ""`, "assignee (required from triaged)"},
		{"kb/erp-err-1045.md", "tickets = [\"TS-20261015-1\"]", "tickets = [\"TS-20261015-9\"]", "no ticket"},
		{"kb/erp-err-1045.md", "如何判断", "如何判断（王芳）", "personal data"},
	}
	for _, tc := range cases {
		dir := copyHelpdesk(t)
		p := filepath.Join(dir, tc.file)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), tc.old) {
			t.Fatalf("%s does not hold %q", tc.file, tc.old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(data), tc.old, tc.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		repo, err := Check(dir, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(repo.Problems, "\n"); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q → %q: want a problem with %q, got:\n%s", tc.file, tc.old, tc.new, tc.want, got)
		}
	}
}

func TestBusinessTime(t *testing.T) {
	c := Default()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		a, b string
		want time.Duration
	}{
		{"2026-11-20T17:00:00+08:00", "2026-11-23T10:00:00+08:00", 2 * time.Hour},           // Friday → Monday
		{"2026-09-30T17:00:00+08:00", "2026-10-05T09:30:00+08:00", 90 * time.Minute},        // 1–2 Oct holidays, weekend
		{"2026-11-18T08:00:00+08:00", "2026-11-18T20:00:00+08:00", 9 * time.Hour},           // a whole day
		{"2026-11-21T08:00:00+08:00", "2026-11-22T20:00:00+08:00", 0},                       // weekend
		{"2026-11-18T09:00:00+08:00", "2026-11-19T01:30:00Z", 9*time.Hour + 30*time.Minute}, // other offsets
	} {
		if got := c.BusinessBetween(at(tc.a), at(tc.b)); got != tc.want {
			t.Errorf("%s → %s: %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if sp, _ := c.Span("3bd"); sp.D != 27*time.Hour || !sp.Business {
		t.Errorf("3bd = %+v", sp)
	}
}
