package gitdb

import (
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestChangedFiles compares ChangedFiles with `git diff --name-only` over
// additions, changes, deletions, a file that becomes a folder, and a folder
// outside the one asked about.
func TestChangedFiles(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	a := put(t, r, "a", map[string]string{
		"tickets/2026/11/T-1.md": "1", "tickets/2026/11/T-2.md": "2",
		"tickets/2026/12/T-3.md": "3", "tickets/x": "file", "kb/a.md": "a",
	})
	b := put(t, r, "b", map[string]string{"tickets/2026/11/T-2.md": "2b", "tickets/2027/01/T-4.md": "4", "kb/a.md": "a2"})
	git(t, dir, "rm", "-q", "tickets/2026/12/T-3.md", "tickets/x")
	writeFile(t, dir+"/tickets/x/y.md", "y")
	git(t, dir, "add", "tickets/x/y.md")
	git(t, dir, "commit", "-q", "-m", "c")
	c := git(t, dir, "rev-parse", "HEAD")
	for _, tc := range []struct{ from, to, dir string }{
		{a, b, "tickets"}, {a, c, "tickets"}, {b, c, "tickets"}, {a, c, ""}, {a, c, "kb"}, {c, a, "tickets"}, {a, a, "tickets"},
	} {
		got, err := r.ChangedFiles(plumbing.NewHash(tc.from), plumbing.NewHash(tc.to), tc.dir)
		if err != nil {
			t.Fatal(err)
		}
		args := []string{"diff", "--name-only", "--no-renames", tc.from, tc.to}
		if tc.dir != "" {
			args = append(args, "--", tc.dir)
		}
		var want []string
		if out := git(t, dir, args...); out != "" {
			want = strings.Split(out, "\n")
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s..%s %q: got %q, want %q", tc.from[:7], tc.to[:7], tc.dir, got, want)
		}
	}
	// From no commit: everything.
	got, err := r.ChangedFiles(plumbing.ZeroHash, plumbing.NewHash(a), "kb")
	if err != nil || !slices.Equal(got, []string{"kb/a.md"}) {
		t.Errorf("from zero: %q, %v", got, err)
	}
}
