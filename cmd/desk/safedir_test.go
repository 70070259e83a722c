package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// TestSafeDirectory: run as root in a repository that belongs to another
// user, desk refuses as git does (exit 3, the setting named, not one file
// written or re-owned) until safe.directory in the global config names it.
// It needs root, to give the repository away.
func TestSafeDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown a repository to another user")
	}
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	desk := func(args ...string) (int, string) {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "DESK_TEST_MAIN=1", "HOME="+home, "XDG_CONFIG_HOME="+home,
			"GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=Li Si", "GIT_AUTHOR_EMAIL=li.si@example.com",
			"GIT_COMMITTER_NAME=Li Si", "GIT_COMMITTER_EMAIL=li.si@example.com", "DESK_NOW=2026-11-23T12:00:00+08:00")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), stderr.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, stderr.String()
	}
	newTicket := []string{"ticket", "new", "--title", "T", "--requester", "A", "--contact", "a@example.com",
		"--channel", "chat", "--description", "d", "--at", "2026-11-23 09:00"}
	if code, out := desk("init", "."); code != 0 {
		t.Fatalf("desk init: %d %s", code, out)
	}
	if code, out := desk(newTicket...); code != 0 {
		t.Fatalf("desk ticket new: %d %s", code, out)
	}
	if out, err := exec.Command("chown", "-R", "65534:65534", dir).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v\n%s", err, out)
	}
	// Every file with its owner, size and time: nothing may change.
	listing := func() string {
		var lines []string
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := os.Lstat(p)
			if err != nil {
				return err
			}
			st := fi.Sys().(*syscall.Stat_t)
			lines = append(lines, fmt.Sprintf("%s %v uid=%d size=%d %v", p, fi.Mode(), st.Uid, fi.Size(), fi.ModTime()))
			if st.Uid != 65534 {
				t.Errorf("%s is owned by uid %d", p, st.Uid)
			}
			return nil
		})
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	before := listing()
	for _, args := range [][]string{newTicket, {"ticket", "comment", "TS-20261123-1", "x"}, {"ticket", "list"}, {"check"}} {
		code, out := desk(args...)
		if code != 3 || !strings.Contains(out, "safe.directory "+dir) || !strings.Contains(out, "dubious ownership") {
			t.Errorf("desk %s: exit %d, want 3 naming safe.directory:\n%s", strings.Join(args, " "), code, out)
		}
	}
	if listing() != before {
		t.Error("the refused commands changed the repository")
	}
	gitStatus := exec.Command("git", "status")
	gitStatus.Dir, gitStatus.Env = dir, append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1")
	if out, err := gitStatus.CombinedOutput(); err == nil || !strings.Contains(string(out), "dubious ownership") {
		t.Fatalf("git accepts the repository; the test assumes it does not:\n%s", out)
	}

	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[safe]\n\tdirectory = "+dir+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := desk("ticket", "list"); code != 0 {
		t.Errorf("trusted: desk ticket list: exit %d\n%s", code, out)
	}
}
