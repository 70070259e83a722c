package repo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLastChanges compares desk's one-walk answer with `git log -1` for each
// file, over edits by different authors, a deletion and a merge.
func TestLastChanges(t *testing.T) {
	r := newTestRepo(t)
	git := func(author string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = r.Root
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME="+author, "GIT_AUTHOR_EMAIL="+author+"@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(r.Root, "kb", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "a1")
	write("b.md", "b1")
	write("gone.md", "x")
	git("Ann", "add", ".")
	git("Ann", "commit", "-qm", "first")
	write("a.md", "a2")
	git("Bob", "commit", "-qam", "a by bob")
	git("Bob", "checkout", "-qb", "side")
	write("c.md", "c1")
	git("Cai", "add", ".")
	git("Cai", "commit", "-qm", "c on a branch")
	git("Cai", "checkout", "-q", "-")
	write("b.md", "b2")
	git("Dan", "commit", "-qam", "b by dan")
	git("Eve", "merge", "-q", "--no-ff", "-m", "merge side", "side")
	git("Eve", "rm", "-q", "kb/gone.md")
	git("Eve", "commit", "-qm", "remove")
	if err := os.WriteFile(filepath.Join(r.Root, "notes.txt"), []byte("not in kb"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("Eve", "add", ".")
	git("Eve", "commit", "-qm", "outside kb")

	got, err := r.LastChanges("kb")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"kb/a.md": "Bob", "kb/b.md": "Dan", "kb/c.md": "Cai"}
	delete(got, "kb/.gitkeep") // written by desk init
	if len(got) != len(want) {
		t.Errorf("got %d files, want %d: %v", len(got), len(want), got)
	}
	for path, author := range want {
		c, ok := got[path]
		if !ok {
			t.Errorf("%s: no commit", path)
			continue
		}
		cmd := exec.Command("git", "log", "-1", "--format=%H", "--", path)
		cmd.Dir = r.Root
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if c.Author != author || c.Hash != strings.TrimSpace(string(out)) {
			t.Errorf("%s: got %s %s, want %s %s (git log -1)", path, c.Author, c.Hash, author, out)
		}
	}
}
