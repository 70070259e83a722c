package gitdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

func TestUpdateFreshRepo(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	if ref, h, err := r.Head(); err != nil || ref != "refs/heads/main" || !h.IsZero() {
		t.Fatalf("Head of unborn = %q %s %v", ref, h, err)
	}
	steps := []struct {
		msg   string
		put   map[string]string
		del   []string
		check map[string]string // path -> content at HEAD ("" = absent)
	}{
		{"first ticket", map[string]string{"tickets/T-1.md": "+++\ntitle = \"one\"\n+++\nbody\n"}, nil,
			map[string]string{"tickets/T-1.md": "+++\ntitle = \"one\"\n+++\nbody\n"}},
		{"second ticket", map[string]string{"tickets/T-2.md": "two\n", "README.md": "readme\n"}, nil,
			map[string]string{"tickets/T-1.md": "+++\ntitle = \"one\"\n+++\nbody\n", "tickets/T-2.md": "two\n"}},
		{"edit and nest", map[string]string{"tickets/T-1.md": "one v2\n", "kb/a/b/c/deep.md": "deep\n"}, nil,
			map[string]string{"tickets/T-1.md": "one v2\n", "kb/a/b/c/deep.md": "deep\n"}},
		{"delete", nil, []string{"tickets/T-2.md"},
			map[string]string{"tickets/T-2.md": "", "README.md": "readme\n"}},
	}
	var msgs []string
	for _, s := range steps {
		h, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
			for p, d := range s.put {
				tx.Put(p, []byte(d))
			}
			for _, p := range s.del {
				tx.Delete(p)
			}
			return s.msg + "\n\nbody of " + s.msg, nil
		})
		if err != nil {
			t.Fatalf("%s: %v", s.msg, err)
		}
		msgs = append([]string{s.msg}, msgs...)
		checkConsistent(t, dir)
		if got := git(t, dir, "rev-parse", "HEAD"); got != h.String() {
			t.Fatalf("HEAD = %s, Update returned %s", got, h)
		}
		if got := git(t, dir, "log", "--format=%s"); got != strings.Join(msgs, "\n") {
			t.Errorf("git log = %q", got)
		}
		for p, want := range s.check {
			out, err := gitRun(dir, "cat-file", "-p", "HEAD:"+p)
			if want == "" {
				if err == nil {
					t.Errorf("%s still in HEAD", p)
				}
				if exists(filepath.Join(dir, p)) {
					t.Errorf("%s still in work tree", p)
				}
				continue
			}
			if err != nil || out+"\n" != want {
				t.Errorf("HEAD:%s = %q, %v; want %q", p, out, err, want)
			}
			if data, _ := os.ReadFile(filepath.Join(dir, p)); string(data) != want {
				t.Errorf("work tree %s = %q", p, data)
			}
			got, err := r.ReadFile(h, p)
			if err != nil || string(got) != want {
				t.Errorf("ReadFile(%s) = %q, %v", p, got, err)
			}
		}
	}
	if got := git(t, dir, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%B"); got != testName+" <"+testEmail+">|"+testName+" <"+testEmail+">|delete\n\nbody of delete" {
		t.Errorf("identity/message = %q", got)
	}
	// The reflogs are git's: `git reflog` parses them.
	if out := git(t, dir, "reflog", "-1", "--format=%gs"); out != "commit: delete" {
		t.Errorf("reflog = %q", out)
	}
	if out := git(t, dir, "reflog", "show", "main"); strings.Count(out, "\n") != 3 || !strings.Contains(out, "commit (initial): first ticket") {
		t.Errorf("branch reflog = %q", out)
	}
}

func TestReadFileListDir(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	h := put(t, r, "files", map[string]string{"a/x.md": "x", "a/y.md": "y", "a/sub/z.md": "z", "top.md": "t"})
	hash := plumbing.NewHash(h)
	names, err := r.ListDir(hash, "a")
	if err != nil || !slices.Equal(names, []string{"sub", "x.md", "y.md"}) {
		t.Errorf("ListDir(a) = %v, %v", names, err)
	}
	names, err = r.ListDir(hash, "")
	if err != nil || !slices.Equal(names, []string{"a", "top.md"}) {
		t.Errorf("ListDir(root) = %v, %v", names, err)
	}
	if names, err := r.ListDir(hash, "nope/deeper"); names != nil || err != nil {
		t.Errorf("ListDir(absent) = %v, %v", names, err)
	}
	if _, err := r.ReadFile(hash, "a/nope.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(absent) err = %v", err)
	}
	if _, err := r.ReadFile(plumbing.ZeroHash, "a/x.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(zero commit) err = %v", err)
	}
	if _, err := r.ReadFile(hash, "a"); err == nil {
		t.Errorf("ReadFile(dir) succeeded")
	}
	if _, err := r.ReadFile(hash, "../etc/passwd"); err == nil {
		t.Errorf("ReadFile(..) succeeded")
	}
}

func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	r, err := Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ref, _, _ := r.Head(); ref != "refs/heads/main" {
		t.Errorf("default branch = %s", ref)
	}
	if out := git(t, dir, "rev-parse", "--is-inside-work-tree"); out != "true" {
		t.Fatalf("git does not see a repo: %s", out)
	}
	put(t, r, "hello", map[string]string{"hello.md": "hi\n"})
	checkConsistent(t, dir)

	// init.defaultBranch from the global config.
	writeFile(t, filepath.Join(os.Getenv("HOME"), ".gitconfig"), "[init]\n\tdefaultBranch = trunk\n")
	defer os.Remove(filepath.Join(os.Getenv("HOME"), ".gitconfig"))
	dir2 := filepath.Join(t.TempDir(), "other")
	r2, err := Init(dir2)
	if err != nil {
		t.Fatal(err)
	}
	if ref, _, _ := r2.Head(); ref != "refs/heads/trunk" {
		t.Errorf("branch from init.defaultBranch = %s", ref)
	}
	// Init on an existing repository opens it.
	if _, err := Init(dir); err != nil {
		t.Errorf("re-Init: %v", err)
	}
}

// makeTree commits n files in nested folders with the git CLI, so the index
// has stat data for all of them and a TREE extension.
func makeTree(t testing.TB, dir string, n int) {
	for i := range n {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("d%d/e%d/f%d.md", i%7, i%3, i)), fmt.Sprintf("file %d\n", i))
	}
	writeFile(t, filepath.Join(dir, "top.md"), "top\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "base")
}

func readIndex(t testing.TB, dir string) ([]byte, *index.Index) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	var idx index.Index
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(&idx); err != nil {
		t.Fatalf("go-git cannot decode our index: %v", err)
	}
	return data, &idx
}

// proveGitAcceptsIndex commits on top with git: an empty commit (which uses
// the cache tree) and a commit of a new file.
func proveGitAcceptsIndex(t *testing.T, dir string) {
	t.Helper()
	if wt, head := git(t, dir, "write-tree"), git(t, dir, "rev-parse", "HEAD^{tree}"); wt != head {
		t.Errorf("git write-tree = %s, HEAD^{tree} = %s", wt, head)
	}
	git(t, dir, "commit", "-q", "--allow-empty", "-m", "x")
	writeFile(t, filepath.Join(dir, "other.md"), "other\n")
	git(t, dir, "add", "other.md")
	git(t, dir, "commit", "-q", "-m", "other")
	checkConsistent(t, dir)
}

func TestCacheTree(t *testing.T) {
	dir := newGitRepo(t)
	makeTree(t, dir, 300)
	data, idx := readIndex(t, dir)
	if !bytes.Contains(data, []byte("TREE")) || idx.Cache == nil {
		t.Fatal("setup: git wrote no TREE extension")
	}
	r := open(t, dir)
	put(t, r, "change", map[string]string{"d1/e1/f1.md": "changed\n", "d1/new/n.md": "new\n"})
	checkConsistent(t, dir)

	_, idx = readIndex(t, dir)
	valid := map[string]int{}
	for _, e := range idx.Cache.Entries {
		valid[e.Path] = e.Entries
	}
	// go-git lists only the valid nodes, by last path component.
	if _, ok := valid["d1"]; ok {
		t.Errorf("d1 not invalidated: %v", valid)
	}
	if valid["d0"] <= 0 || valid["d2"] <= 0 || valid["e1"] <= 0 {
		t.Errorf("unrelated directories lost their cache: %v", valid)
	}
	proveGitAcceptsIndex(t, dir)
}

func TestUntrackedCacheAndIndexV4(t *testing.T) {
	dir := newGitRepo(t)
	makeTree(t, dir, 120)
	git(t, dir, "config", "core.untrackedCache", "true")
	git(t, dir, "update-index", "--untracked-cache", "--index-version", "4")
	git(t, dir, "status", "--porcelain") // fills the untracked cache
	data, _ := readIndex(t, dir)
	if !bytes.Contains(data, []byte("UNTR")) || data[7] != 4 {
		t.Fatalf("setup: want a v4 index with UNTR (version %d)", data[7])
	}
	r := open(t, dir)
	put(t, r, "v4 change", map[string]string{"d3/e0/f3.md": "changed\n", "aaa.md": "first\n", "zzz/z.md": "last\n"})
	data, idx := readIndex(t, dir)
	if data[7] != 4 || bytes.Contains(data, []byte("UNTR")) {
		t.Errorf("want v4 without UNTR, got version %d", data[7])
	}
	checkConsistent(t, dir)
	if len(idx.Entries) != 123 {
		t.Errorf("entries = %d", len(idx.Entries))
	}
	proveGitAcceptsIndex(t, dir)
}

func TestIndexV3ExtendedFlagsKept(t *testing.T) {
	dir := newGitRepo(t)
	makeTree(t, dir, 20)
	git(t, dir, "update-index", "--skip-worktree", "d0/e0/f0.md")
	if data, _ := readIndex(t, dir); data[7] != 3 {
		t.Fatalf("setup: version %d, want 3", data[7])
	}
	r := open(t, dir)
	put(t, r, "v3", map[string]string{"d1/e1/f1.md": "changed\n"})
	if out := git(t, dir, "ls-files", "-v", "d0/e0/f0.md"); out != "S d0/e0/f0.md" {
		t.Errorf("skip-worktree flag lost: %q", out)
	}
	git(t, dir, "update-index", "--no-skip-worktree", "d0/e0/f0.md")
	checkConsistent(t, dir)
	proveGitAcceptsIndex(t, dir)
}

func TestDeleteEmptiesDirectory(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "add", map[string]string{"a/b/c.md": "c\n", "keep.md": "k\n"})
	_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		tx.Delete("a/b/c.md")
		return "remove", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkConsistent(t, dir)
	if exists(filepath.Join(dir, "a")) {
		t.Error("empty directory a/ left in work tree")
	}
	if out := git(t, dir, "ls-tree", "HEAD"); strings.Contains(out, "\ta\n") || strings.HasSuffix(out, "\ta") {
		t.Errorf("tree still has a/: %s", out)
	}
	// A file can become a directory in one transaction.
	_, err = r.Update(context.Background(), func(tx *Tx) (string, error) {
		tx.Delete("keep.md")
		tx.Put("keep.md/inside.md", []byte("in\n"))
		return "file to dir", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkConsistent(t, dir)
}

func TestRename(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "add", map[string]string{"open/T-1.md": "one\n"})
	_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		tx.Rename("open/T-1.md", "closed/T-1.md", []byte("one, closed\n"))
		return "close T-1", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkConsistent(t, dir)
	if exists(filepath.Join(dir, "open")) || !exists(filepath.Join(dir, "closed/T-1.md")) {
		t.Error("rename not reflected in work tree")
	}
}

func TestOpenFromSubfolder(t *testing.T) {
	dir := newGitRepo(t)
	sub := filepath.Join(dir, "desk", "tickets")
	if err := os.MkdirAll(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	r := open(t, sub)
	if r.TopLevel() != dir || r.GitDir() != filepath.Join(dir, ".git") || r.CommonDir() != r.GitDir() {
		t.Errorf("TopLevel=%s GitDir=%s CommonDir=%s", r.TopLevel(), r.GitDir(), r.CommonDir())
	}
	put(t, r, "in subfolder", map[string]string{"desk/tickets/T-1.md": "one\n"})
	checkConsistent(t, dir)

	if _, err := Open(t.TempDir()); !errors.Is(err, ErrNotRepo) {
		t.Errorf("Open(non-repo) err = %v", err)
	}
}

func TestLinkedWorktree(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "base", map[string]string{"base.md": "base\n"})
	wt := filepath.Join(filepath.Dir(dir), filepath.Base(dir)+"-wt")
	git(t, dir, "worktree", "add", "-q", "-b", "side", wt)
	t.Cleanup(func() { os.RemoveAll(wt) })
	w := open(t, filepath.Join(wt))
	if w.TopLevel() != wt || w.CommonDir() != filepath.Join(dir, ".git") || filepath.Dir(w.GitDir()) != filepath.Join(dir, ".git", "worktrees") {
		t.Errorf("worktree: TopLevel=%s GitDir=%s CommonDir=%s", w.TopLevel(), w.GitDir(), w.CommonDir())
	}
	put(t, w, "on side", map[string]string{"side.md": "side\n"})
	checkConsistent(t, wt)
	checkConsistent(t, dir)
	if out := git(t, dir, "log", "--format=%s", "side"); out != "on side\nbase" {
		t.Errorf("side log = %q", out)
	}
	if out := git(t, dir, "log", "--format=%s", "main"); out != "base" {
		t.Errorf("main log = %q", out)
	}
}

func TestDetachedHeadAndPackedRefs(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "base", map[string]string{"base.md": "base\n"})
	git(t, dir, "pack-refs", "--all")
	if exists(filepath.Join(dir, ".git/refs/heads/main")) {
		t.Fatal("setup: ref not packed")
	}
	put(t, r, "on packed", map[string]string{"p.md": "p\n"})
	checkConsistent(t, dir)

	git(t, dir, "checkout", "-q", "--detach")
	h := put(t, r, "detached", map[string]string{"d.md": "d\n"})
	if ref, head, _ := r.Head(); ref != "HEAD" || head.String() != h {
		t.Errorf("Head = %s %s, want HEAD %s", ref, head, h)
	}
	checkConsistent(t, dir)
	if out := git(t, dir, "log", "--format=%s", "main"); out != "on packed\nbase" {
		t.Errorf("main moved while detached: %q", out)
	}
}

type myErr struct{ code int }

func (e *myErr) Error() string { return fmt.Sprintf("my error %d", e.code) }

func TestFnErrorLeavesNothing(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	base := put(t, r, "base", map[string]string{"base.md": "base\n"})
	indexBefore, _ := os.ReadFile(filepath.Join(dir, ".git/index"))
	h, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		tx.Put("new.md", []byte("new\n"))
		tx.Put("base.md", []byte("changed\n"))
		return "", &myErr{42}
	})
	var me *myErr
	if !errors.As(err, &me) || me.code != 42 || !h.IsZero() {
		t.Fatalf("err = %v, h = %s", err, h)
	}
	if exists(filepath.Join(dir, "new.md")) || git(t, dir, "rev-parse", "HEAD") != base {
		t.Error("fn error left a file or a commit")
	}
	if after, _ := os.ReadFile(filepath.Join(dir, ".git/index")); !bytes.Equal(after, indexBefore) {
		t.Error("index changed")
	}
	checkConsistent(t, dir)

	// Nothing staged: no commit.
	h, err = r.Update(context.Background(), func(tx *Tx) (string, error) { return "nothing", nil })
	if err != nil || !h.IsZero() {
		t.Errorf("empty update = %s, %v", h, err)
	}
	// Same content: no commit either.
	h, err = r.Update(context.Background(), func(tx *Tx) (string, error) {
		tx.Put("base.md", []byte("base\n"))
		return "same", nil
	})
	if err != nil || !h.IsZero() || git(t, dir, "rev-parse", "HEAD") != base {
		t.Errorf("no-op update = %s, %v", h, err)
	}
	// Invalid paths fail the Update.
	for _, p := range []string{"", "/abs", "a/../b", ".git/config", "a//b", "dir/"} {
		_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
			tx.Put(p, []byte("x"))
			return "bad", nil
		})
		if err == nil {
			t.Errorf("Put(%q) accepted", p)
		}
	}
	checkConsistent(t, dir)
}

func TestConflictRestoresWorkTree(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "base", map[string]string{"base.md": "base\n"})
	other := put(t, r, "other", map[string]string{"other.md": "other\n"})
	git(t, dir, "reset", "-q", "--hard", "HEAD~1")
	indexBefore, _ := os.ReadFile(filepath.Join(dir, ".git/index"))
	r.ConflictRetries = 0
	_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		tx.Put("base.md", []byte("changed\n"))
		tx.Put("new/dir/n.md", []byte("n\n"))
		// Someone moves the branch without the index lock meanwhile.
		if _, err := gitRun(dir, "update-ref", "refs/heads/main", other); err != nil {
			return "", err
		}
		return "loses", nil
	})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "base.md")); string(data) != "base\n" {
		t.Errorf("base.md not restored: %q", data)
	}
	if exists(filepath.Join(dir, "new")) {
		t.Error("new/ not removed")
	}
	if after, _ := os.ReadFile(filepath.Join(dir, ".git/index")); !bytes.Equal(after, indexBefore) {
		t.Error("index changed")
	}
	if exists(filepath.Join(dir, ".git/index.lock")) || exists(filepath.Join(dir, ".git/refs/heads/main.lock")) {
		t.Error("lock left behind")
	}
	git(t, dir, "reset", "-q", "--hard", "main")
	checkConsistent(t, dir)
}

func TestUserStagedChangesSurvive(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "base", map[string]string{"mine.md": "v1\n", "desk.md": "d1\n"})
	writeFile(t, filepath.Join(dir, "mine.md"), "v2 staged\n")
	git(t, dir, "add", "mine.md")
	writeFile(t, filepath.Join(dir, "mine.md"), "v3 unstaged\n")
	put(t, r, "desk only", map[string]string{"desk.md": "d2\n"})
	if out := git(t, dir, "show", "--name-only", "--format=", "HEAD"); out != "desk.md" {
		t.Errorf("commit touched %q", out)
	}
	if out := git(t, dir, "status", "--porcelain"); out != "MM mine.md" {
		t.Errorf("user's staged change lost: %q", out)
	}
	if out := git(t, dir, "show", ":mine.md"); out != "v2 staged" {
		t.Errorf("staged content = %q", out)
	}
}

func TestIdentity(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"} {
		v := os.Getenv(k)
		os.Unsetenv(k)
		t.Cleanup(func() { os.Setenv(k, v) })
	}
	_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		tx.Put("x.md", []byte("x"))
		return "x", nil
	})
	if !errors.Is(err, ErrNoIdentity) || !strings.Contains(err.Error(), "git config --global user.email") {
		t.Fatalf("err = %v", err)
	}
	if exists(filepath.Join(dir, "x.md")) || exists(filepath.Join(dir, ".git/index.lock")) {
		t.Error("failed Update left files")
	}

	// Global config, overridden by the repository's, with an include.
	home := os.Getenv("HOME")
	writeFile(t, filepath.Join(home, ".gitconfig"), "[user]\n\tname = Global Name\n\temail = global@example.com\n")
	t.Cleanup(func() { os.Remove(filepath.Join(home, ".gitconfig")) })
	writeFile(t, filepath.Join(home, "inc.cfg"), "[user]\n\temail = \"included@example.com\" ; comment\n")
	git(t, dir, "config", "include.path", filepath.Join(home, "inc.cfg"))
	a, c, err := r.Identity()
	if err != nil || a.Name != "Global Name" || a.Email != "included@example.com" || c.Email != "included@example.com" {
		t.Errorf("identity = %+v %+v %v", a, c, err)
	}
	os.Setenv("GIT_AUTHOR_NAME", "Env Author")
	os.Setenv("GIT_AUTHOR_DATE", "@1700000000 +0130")
	t.Cleanup(func() { os.Unsetenv("GIT_AUTHOR_DATE") })
	r.Now = func() time.Time { return time.Unix(1800000000, 0).In(time.FixedZone("", -5*3600)) }
	put(t, r, "dated", map[string]string{"y.md": "y"})
	want := "Env Author <included@example.com> 1700000000 +0130|Global Name <included@example.com> 1800000000 -0500"
	if out := git(t, dir, "log", "-1", "--format=%an <%ae> %ad|%cn <%ce> %cd", "--date=raw"); out != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	// Same as git itself would resolve.
	if out := git(t, dir, "var", "GIT_COMMITTER_IDENT"); !strings.HasPrefix(out, "Global Name <included@example.com>") {
		t.Errorf("git var = %s", out)
	}
}

func TestParseGitDate(t *testing.T) {
	for in, want := range map[string]int64{
		"@1700000000 +0000":               1700000000,
		"1700000000 -0700":                1700000000,
		"Tue, 14 Nov 2023 22:13:20 +0000": 1700000000,
		"2023-11-14T22:13:20Z":            1700000000,
		"2023-11-14 23:13:20 +0100":       1700000000,
	} {
		got, err := parseGitDate(in)
		if err != nil || got.Unix() != want {
			t.Errorf("parseGitDate(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := parseGitDate("yesterday-ish"); err == nil {
		t.Error("bad date accepted")
	}
}

func TestConfigParser(t *testing.T) {
	src := "# c\n[core]\n\tbare = false\n[Section \"Sub.Sect\"]\n\tKey = a \\\"quoted\\\" \"  spaced  \" # trailing\n\tflag\n[old.style]\n\tv = 1\\\n2\n"
	f := filepath.Join(t.TempDir(), "cfg")
	writeFile(t, f, src)
	c, err := readConfigFile(f)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"core.bare": "false", "section.Sub.Sect.key": `a "quoted"   spaced  `, "section.Sub.Sect.flag": "true", "old.style.v": "12",
	} {
		if got, ok := c.get(k); !ok || got != want {
			t.Errorf("%s = %q (%v), want %q", k, got, ok, want)
		}
	}
	if !globMatch("**/work/**", "/home/u/work/repo/.git", false) || globMatch("/home/*/x", "/home/a/b/x", false) {
		t.Error("globMatch")
	}
}

func TestIndexVarint(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 16511, 16512, 1 << 20, 1<<40 + 3} {
		b := appendVarint(nil, v)
		got, k := decodeVarint(b)
		if got != v || k != len(b) {
			t.Errorf("varint %d: got %d (%d bytes of %d)", v, got, k, len(b))
		}
	}
}

func TestCorruptIndexRefused(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "base", map[string]string{"base.md": "base\n"})
	p := filepath.Join(dir, ".git/index")
	data, _ := os.ReadFile(p)
	data[20] ^= 0xff
	os.WriteFile(p, data, 0o666)
	_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		tx.Put("base.md", []byte("changed\n"))
		return "x", nil
	})
	if err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "base.md")); string(data) != "base\n" {
		t.Errorf("work tree not restored: %q", data)
	}
	if exists(filepath.Join(dir, ".git/index.lock")) {
		t.Error("lock left")
	}
}

func TestConflictRetried(t *testing.T) {
	dir := newGitRepo(t)
	r := open(t, dir)
	put(t, r, "base", map[string]string{"base.md": "base\n"})
	calls := 0
	h, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		calls++
		if calls == 1 {
			// A `git commit` finishing between our HEAD read and our CAS
			// (git moves the ref after it has released the index lock).
			if _, err := gitRun(dir, "add", "base.md"); err == nil {
				t.Fatal("git add succeeded while desk holds the index lock")
			}
			commit := git(t, dir, "commit-tree", "HEAD^{tree}", "-p", "HEAD", "-m", "by git")
			git(t, dir, "update-ref", "HEAD", commit)
		}
		tx.Put("desk.md", []byte(fmt.Sprintf("seen head %s\n", tx.Head())))
		return "desk", nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("err = %v, fn calls = %d", err, calls)
	}
	if out := git(t, dir, "log", "--format=%s"); out != "desk\nby git\nbase" {
		t.Errorf("log = %q", out)
	}
	if got, _ := r.ReadFile(h, "desk.md"); !strings.Contains(string(got), git(t, dir, "rev-parse", "HEAD~1")) {
		t.Errorf("second fn call did not see the new HEAD: %s", got)
	}
	git(t, dir, "reset", "-q", "--hard")
	checkConsistent(t, dir)
}
