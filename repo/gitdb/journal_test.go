package gitdb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestCrashPoints kills a desk at each point of a commit where the state on
// disk differs, then opens the repository as the next desk command would:
// HEAD, index and work tree must agree again, holding the whole change if
// the branch had moved and nothing of it otherwise.
func TestCrashPoints(t *testing.T) {
	for _, tc := range []struct {
		point string
		moved bool // the branch had moved: the change must be finished
	}{
		{"objects", false},
		{"journal", false},
		{"worktree-file", false},
		{"worktree", false},
		{"index", false},
		{"ref-locked", false},
		{"ref", true},
		{"installed", true},
	} {
		t.Run(tc.point, func(t *testing.T) {
			dir := newGitRepo(t)
			r := open(t, dir)
			before := put(t, r, "base", map[string]string{"log.txt": "old\n", "gone/gone.txt": "bye\n"})
			out, err := helper(t, "crash", dir, "GITDB_CRASH="+tc.point).CombinedOutput()
			if err == nil {
				t.Fatalf("the helper was not killed at %s:\n%s", tc.point, out)
			}
			if !exists(filepath.Join(dir, ".git/index.lock")) && tc.point != "installed" {
				t.Fatalf("no index.lock after a kill at %s: the test proves nothing", tc.point)
			}

			if err := open(t, dir).Recover(); err != nil {
				t.Fatal(err)
			}
			checkConsistent(t, dir)
			head := git(t, dir, "rev-parse", "HEAD")
			if moved := head != before; moved != tc.moved {
				t.Fatalf("HEAD moved = %v, want %v", moved, tc.moved)
			}
			want := map[string]string{"log.txt": "old\n", "gone/gone.txt": "bye\n", "new/deep/file.txt": ""}
			if tc.moved {
				want = map[string]string{"log.txt": "changed\n", "gone/gone.txt": "", "new/deep/file.txt": "new\n"}
			}
			for p, w := range want {
				data, err := os.ReadFile(filepath.Join(dir, p))
				if w == "" {
					if err == nil {
						t.Errorf("%s exists, want it absent", p)
					}
					continue
				}
				if string(data) != w {
					t.Errorf("%s = %q, %v; want %q", p, data, err, w)
				}
			}
			for _, d := range []string{"new", "gone"} {
				if want := tc.moved == (d == "new"); exists(filepath.Join(dir, d)) != want {
					t.Errorf("folder %s exists = %v, want %v", d, !want, want)
				}
			}
			if exists(filepath.Join(dir, ".git/desk/journal")) && tc.point != "installed" {
				t.Error("the journal is left behind")
			}
			// And the next change works.
			put(t, open(t, dir), "after", map[string]string{"after.txt": "x\n"})
			checkConsistent(t, dir)
		})
	}
}

// TestRecoverLeavesLiveLocks: a lock whose desk is alive, or git's own, is
// not touched by Recover.
func TestRecoverLeavesLiveLocks(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "base", map[string]string{"log.txt": "old\n"})
	writeFile(t, filepath.Join(dir, ".git/index.lock"), "git's")
	if err := r.Recover(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, ".git/index.lock")); string(data) != "git's" {
		t.Error("Recover removed git's lock")
	}
}

// TestRecoverBranchMovedElsewhere: when the branch of a dead desk's commit
// moved to a third commit since, nothing is guessed: the locks stay and the
// error says what to do.
func TestRecoverBranchMovedElsewhere(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "base", map[string]string{"log.txt": "old\n", "gone/gone.txt": "bye\n"})
	other := put(t, r, "other", map[string]string{"other.txt": "o\n"})
	git(t, dir, "reset", "-q", "--hard", "HEAD~1")
	if out, err := helper(t, "crash", dir, "GITDB_CRASH=index").CombinedOutput(); err == nil {
		t.Fatalf("not killed:\n%s", out)
	}
	git(t, dir, "update-ref", "refs/heads/main", other)
	err := open(t, dir).Recover()
	if !errors.Is(err, ErrUnrecoverable) || !strings.Contains(err.Error(), "index.lock") {
		t.Fatalf("Recover = %v, want ErrUnrecoverable naming the lock", err)
	}
	if !exists(filepath.Join(dir, ".git/index.lock")) || !exists(filepath.Join(dir, ".git/desk/journal")) {
		t.Error("the lock or the journal was removed")
	}
}

func TestJournalRoundTrip(t *testing.T) {
	h := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	j := &journal{
		lock: ownerInfo{pid: 42, dev: 7, ino: 99, tag: "42-abc"},
		ref:  "refs/heads/main", old: h, new: plumbing.ZeroHash,
		paths: []journalPath{
			{path: "tickets/2026/12/TS 1.md", oldKind: "file", oldBlob: h, oldPerm: 0o644, newBlob: h},
			{path: "kb/\"quoted\"\n.md", oldKind: "absent"},
		},
		dirs: []string{"tickets/2026", "tickets/2026/12"},
	}
	got, err := parseJournal(j.encode())
	if err != nil {
		t.Fatal(err)
	}
	if string(got.encode()) != string(j.encode()) {
		t.Errorf("round trip:\n%s\n---\n%s", got.encode(), j.encode())
	}
	for _, bad := range []string{"", "desk journal 1\nend\n", strings.Replace(string(j.encode()), "end\n", "", 1),
		strings.Replace(string(j.encode()), `"tickets/2026"`, `"../x"`, 1)} {
		if _, err := parseJournal([]byte(bad)); err == nil {
			t.Errorf("parseJournal(%q) accepted", bad)
		}
	}
}

// TestCheckoutRace reproduces the moment inside `git checkout` when the new
// branch's index is in place but HEAD still names the old branch: a desk
// that takes the lock then must commit to the branch HEAD is about to name,
// never to the old one.
func TestCheckoutRace(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	main := put(t, r, "base", map[string]string{"a.txt": "a\n"})
	git(t, dir, "checkout", "-q", "-b", "other")
	put(t, r, "other", map[string]string{"b.txt": "b\n"})
	git(t, dir, "checkout", "-q", "main")

	// What checkout has done before it moves HEAD: index and work tree.
	git(t, dir, "read-tree", "-m", "-u", "other")
	done := make(chan error, 1)
	go func() {
		_, err := r.Update(t.Context(), func(tx *Tx) (string, error) {
			tx.Put("ticket.txt", []byte("t\n"))
			return "ticket", nil
		})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	git(t, dir, "symbolic-ref", "HEAD", "refs/heads/other")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "rev-parse", "main"); got != main {
		t.Errorf("desk committed to main, which HEAD no longer names")
	}
	if got := git(t, dir, "log", "-1", "--format=%s", "other"); got != "ticket" {
		t.Errorf("other's last commit is %q, want desk's", got)
	}
	checkConsistent(t, dir)
}

// TestHeadSwitchedDuringCommit: HEAD names another branch by the time the
// branch would move; the commit is undone and made again on the branch HEAD
// names then.
func TestHeadSwitchedDuringCommit(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	main := put(t, r, "base", map[string]string{"a.txt": "a\n"})
	git(t, dir, "branch", "other")
	switched := false
	crashHook = func(point string) {
		if point == "index" && !switched {
			switched = true
			git(t, dir, "symbolic-ref", "HEAD", "refs/heads/other")
		}
	}
	defer func() { crashHook = nil }()
	if _, err := r.Update(t.Context(), func(tx *Tx) (string, error) {
		tx.Put("ticket.txt", []byte("t\n"))
		return "ticket", nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "rev-parse", "main"); got != main {
		t.Errorf("desk moved main, which HEAD no longer named")
	}
	if got := git(t, dir, "log", "-1", "--format=%s", "other"); got != "ticket" {
		t.Errorf("other's last commit is %q, want desk's", got)
	}
	checkConsistent(t, dir)
}
