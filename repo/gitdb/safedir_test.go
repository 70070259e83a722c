package gitdb

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSafeDirectory: a repository owned by another user is refused unless
// safe.directory (system, global or command-line config only) names it.
// It needs root, to give the repository away.
func TestSafeDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown a repository to another user")
	}
	dir := newGitRepo(t)
	writeFile(t, filepath.Join(dir, "a.txt"), "a\n")
	git(t, dir, "add", "a.txt")
	git(t, dir, "commit", "-q", "-m", "a")
	if out, err := exec.Command("chown", "-R", "65534:65534", dir).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v\n%s", err, out)
	}
	global := filepath.Join(os.Getenv("HOME"), ".gitconfig")
	t.Cleanup(func() { os.Remove(global) })
	setGlobal := func(values ...string) {
		var b strings.Builder
		b.WriteString("[safe]\n")
		for _, v := range values {
			b.WriteString("\tdirectory = " + v + "\n")
		}
		if err := os.WriteFile(global, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRefuses := func() bool {
		out, err := gitRun(dir, "status")
		return err != nil && strings.Contains(out, "dubious ownership")
	}

	before := snapshot(t, dir)
	for _, tc := range []struct {
		name   string
		global []string
		local  string // safe.directory in the repository's own config: ignored
		env    []string
		safe   bool
	}{
		{name: "not named", safe: false},
		{name: "named in the repository's own config", local: dir, safe: false},
		{name: "named exactly", global: []string{dir}, safe: true},
		{name: "named with a trailing slash", global: []string{dir + "/"}, safe: true},
		{name: "every folder", global: []string{"*"}, safe: true},
		{name: "reset by an empty value", global: []string{"*", ""}, safe: false},
		{name: "another folder", global: []string{filepath.Dir(dir)}, safe: false},
		{name: "the folders below a parent", global: []string{filepath.Dir(dir) + "/*"}, safe: true},
		{name: "git -c", env: []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=safe.directory", "GIT_CONFIG_VALUE_0=" + dir}, safe: true},
		{name: "root through sudo", env: []string{"SUDO_UID=65534"}, safe: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(global)
			if tc.global != nil {
				setGlobal(tc.global...)
			}
			if tc.local != "" {
				f, err := os.OpenFile(filepath.Join(dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString("[safe]\n\tdirectory = " + tc.local + "\n")
				f.Close()
				defer exec.Command("git", "config", "--file", filepath.Join(dir, ".git", "config"), "--remove-section", "safe").Run()
			}
			for _, kv := range tc.env {
				k, v, _ := strings.Cut(kv, "=")
				t.Setenv(k, v)
			}
			_, err := Open(dir)
			if tc.safe {
				if err != nil {
					t.Fatalf("Open = %v", err)
				}
				return
			}
			if !errors.Is(err, ErrDubiousOwnership) || !strings.Contains(err.Error(), "safe.directory "+dir) {
				t.Fatalf("Open = %v, want ErrDubiousOwnership with the advice", err)
			}
			if !gitRefuses() {
				t.Error("git accepts what desk refuses")
			}
		})
	}
	os.Remove(global)
	if snapshot(t, dir) != before {
		t.Error("the refusals changed the repository")
	}
	if !gitRefuses() {
		t.Error("git accepts the repository; the test assumes it does not")
	}

	// Trusted, it works as git does (files then belong to root, as with git).
	setGlobal(dir)
	git(t, dir, "update-index", "-q", "--refresh") // chown changed every ctime
	r := open(t, dir)
	put(t, r, "trusted", map[string]string{"b.txt": "b\n"})
	checkConsistent(t, dir)
}
