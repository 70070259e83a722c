package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// deskCmd runs this test binary as desk in dir.
func deskCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"DESK_TEST_MAIN=1",
		"GIT_AUTHOR_NAME=Li Si", "GIT_AUTHOR_EMAIL=li.si@example.com",
		"GIT_COMMITTER_NAME=Li Si", "GIT_COMMITTER_EMAIL=li.si@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "DESK_LOCK_TIMEOUT=5s",
	)
	return cmd
}

func run(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return string(out)
}

// TestKilledAtAnyInstant kills desk with SIGKILL at random moments while it
// commits, and checks after every kill that git accepts the repository (fsck
// clean, status readable, index consistent with HEAD for the files desk did
// not get to) and that the next desk command succeeds.
func TestKilledAtAnyInstant(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := t.TempDir()
	run(t, deskCmd(t, dir, "init", "."))
	run(t, deskCmd(t, dir, "ticket", "new", "--title", "Crash test", "--requester", "A",
		"--contact", "a@example.com", "--channel", "chat", "--description", "d"))
	id := strings.TrimSpace(strings.Split(run(t, deskCmd(t, dir, "ticket", "list", "--json")), "\"id\": \"")[1][:13])
	path := filepath.Join(dir, "tickets", id[3:7], id[7:9], id+".md")
	rng := rand.New(rand.NewSource(1))
	kills := 0
	for i := range 40 {
		note := fmt.Sprintf("note %d", i)
		cmd := deskCmd(t, dir, "ticket", "comment", id, note)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Intn(40000)) * time.Microsecond)
		if cmd.Process.Signal(syscall.SIGKILL) == nil {
			kills++
		}
		cmd.Wait()

		fsck := exec.Command("git", "fsck", "--no-progress", "--no-dangling")
		fsck.Dir = dir
		if b, err := fsck.CombinedOutput(); err != nil {
			t.Fatalf("after kill %d: git fsck: %v\n%s", i, err, b)
		}
		st := exec.Command("git", "status", "--porcelain")
		st.Dir = dir
		b, err := st.CombinedOutput()
		if err != nil {
			t.Fatalf("after kill %d: git status: %v\n%s", i, err, b)
		}
		// A kill after the file was written but before the commit leaves the
		// change in the work tree, as git leaves an interrupted commit: never
		// anything but the ticket file.
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if line != "" && !strings.HasSuffix(line, id+".md") {
				t.Fatalf("after kill %d: unexpected status line %q", i, line)
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("after kill %d: %v", i, err)
		}
		if !bytes.HasPrefix(data, []byte("+++\n")) || !bytes.Contains(data, []byte("## Description")) {
			t.Fatalf("after kill %d: ticket file torn:\n%s", i, data)
		}
		// The next desk command works, and commits.
		run(t, deskCmd(t, dir, "ticket", "comment", id, "after "+note))
	}
	st := exec.Command("git", "status", "--porcelain")
	st.Dir = dir
	if b, _ := st.CombinedOutput(); len(b) != 0 {
		t.Errorf("final git status not clean:\n%s", b)
	}
	t.Logf("%d kills", kills)
}
