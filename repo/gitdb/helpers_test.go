package gitdb

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	testName  = "Desk Tester"
	testEmail = "desk@example.com"
)

// TestMain isolates the tests from the user's git config and gives git and
// gitdb the same identity; it also serves as the helper process the
// multi-process tests start (re-executing the test binary).
func TestMain(m *testing.M) {
	if mode := os.Getenv("GITDB_HELPER"); mode != "" {
		os.Exit(helperMain(mode))
	}
	home, err := os.MkdirTemp("", "gitdb-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for k, v := range map[string]string{
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME":     testName,
		"GIT_AUTHOR_EMAIL":    testEmail,
		"GIT_COMMITTER_NAME":  testName,
		"GIT_COMMITTER_EMAIL": testEmail,
		"LC_ALL":              "C",
	} {
		os.Setenv(k, v)
	}
	for _, k := range []string{"DESK_LOCK_TIMEOUT", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "EMAIL",
		"GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_COUNT"} {
		os.Unsetenv(k)
	}
	code := m.Run()
	os.RemoveAll(home)
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// helperMain runs in a child process (GITDB_HELPER=mode, GITDB_DIR=repo).
// Modes:
//
//	append: GITDB_N Updates appending "GITDB_TAG i" to log.txt
//	loop: Updates appending to log.txt until killed
//	hang: take the lock in an Update, print "locked", then wait forever
func helperMain(mode string) int {
	r, err := Open(os.Getenv("GITDB_DIR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	switch mode {
	case "append":
		n, _ := strconv.Atoi(os.Getenv("GITDB_N"))
		r.LockTimeout = 60 * time.Second
		for i := range n {
			if _, err := appendLine(r, fmt.Sprintf("%s %d", os.Getenv("GITDB_TAG"), i)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		return 0
	case "loop":
		r.LockTimeout = 60 * time.Second
		for i := 0; ; i++ {
			if _, err := appendLine(r, fmt.Sprintf("%s %d", os.Getenv("GITDB_TAG"), i)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
	case "crash":
		// The change TestCrashPoints interrupts: a new file in new
		// folders, a changed one, a deleted one.
		point := os.Getenv("GITDB_CRASH")
		crashHook = func(p string) {
			if p == point {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {}
			}
		}
		_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
			tx.Put("new/deep/file.txt", []byte("new\n"))
			tx.Put("log.txt", []byte("changed\n"))
			tx.Delete("gone/gone.txt")
			return "crash at " + point, nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	case "hang":
		r.Update(context.Background(), func(tx *Tx) (string, error) {
			tx.Put("never.txt", []byte("never\n"))
			fmt.Println("locked")
			select {}
		})
	}
	return 2
}

// helper starts the test binary as a helper process.
func helper(t testing.TB, mode, dir string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{"GITDB_HELPER=" + mode, "GITDB_DIR=" + dir}, env...)...)
	return cmd
}

// appendLine is the read-modify-write the concurrency tests do: read log.txt
// from the work tree under the lock, add a line, stage it.
func appendLine(r *Repo, line string) (string, error) {
	h, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		old, err := os.ReadFile(filepath.Join(r.TopLevel(), "log.txt"))
		if err != nil && !os.IsNotExist(err) {
			return "", err
		}
		tx.Put("log.txt", append(old, line+"\n"...))
		return "append " + line, nil
	})
	return h.String(), err
}

func gitRun(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimRight(string(out), "\n"), nil
}

func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := gitRun(dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// newGitRepo makes an empty repository with the git CLI (no index yet).
func newGitRepo(t testing.TB) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	git(t, dir, "init", "-q", "-b", "main")
	return dir
}

func open(t testing.TB, dir string) *Repo {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o666); err != nil {
		t.Fatal(err)
	}
}

// put commits files with one Update.
func put(t testing.TB, r *Repo, msg string, files map[string]string) string {
	t.Helper()
	h, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
		for p, d := range files {
			tx.Put(p, []byte(d))
		}
		return msg, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if h.IsZero() {
		t.Fatal("no commit made")
	}
	return h.String()
}

// checkConsistent is the git CLI's verdict that HEAD, index and work tree
// agree and the repository is sound.
func checkConsistent(t testing.TB, dir string) {
	t.Helper()
	// diff-files does not refresh the index: an entry whose stat data does
	// not match the file shows up here, before `git status` would fix it.
	if out, err := gitRun(dir, "diff-files", "--name-only"); err != nil || out != "" {
		t.Errorf("git diff-files: stat data stale for:\n%s %v", out, err)
	}
	if out := git(t, dir, "status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("git status not clean:\n%s", out)
	}
	if out, err := gitRun(dir, "fsck", "--strict", "--no-dangling", "--no-progress"); err != nil || out != "" {
		t.Errorf("git fsck: %v\n%s", err, out)
	}
	if _, err := gitRun(dir, "diff", "--cached", "--quiet"); err != nil {
		t.Errorf("index differs from HEAD: %v", err)
	}
	if _, err := gitRun(dir, "diff", "--quiet"); err != nil {
		t.Errorf("work tree differs from index: %v", err)
	}
	if a, b := lsFiles(t, dir), lsTree(t, dir); a != b {
		t.Errorf("ls-files -s differs from ls-tree -r HEAD:\n%s\n---\n%s", a, b)
	}
	gitDir := git(t, dir, "rev-parse", "--absolute-git-dir")
	if _, err := os.Stat(filepath.Join(gitDir, "index.lock")); !os.IsNotExist(err) {
		t.Errorf("index.lock left behind")
	}
	if _, err := os.Stat(filepath.Join(gitDir, "desk", "index.lock.owner")); !os.IsNotExist(err) {
		t.Errorf("owner file left behind")
	}
}

func lsFiles(t testing.TB, dir string) string {
	var lines []string
	for _, l := range strings.Split(git(t, dir, "ls-files", "-s"), "\n") {
		if l == "" {
			continue
		}
		meta, path, _ := strings.Cut(l, "\t")
		f := strings.Fields(meta)
		lines = append(lines, f[0]+" "+f[1]+" "+path)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func lsTree(t testing.TB, dir string) string {
	var lines []string
	for _, l := range strings.Split(git(t, dir, "ls-tree", "-r", "HEAD"), "\n") {
		if l == "" {
			continue
		}
		meta, path, _ := strings.Cut(l, "\t")
		f := strings.Fields(meta)
		lines = append(lines, f[0]+" "+f[2]+" "+path)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
