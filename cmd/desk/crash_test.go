package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
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

// TestKilledAtAnyInstant sends SIGKILL at random instants to desk commands
// that commit (ticket new, move, comment, kb move, renumber) and checks,
// after every kill and one read-only desk command, what a user relies on:
// `git status` and `git diff --cached` are empty, `git fsck --strict` is
// clean, and every change a command acknowledged (exit 0) is in HEAD.
//
// DESK_KILLTEST sets the number of kills (default 40; .ci/run sets more,
// and the README's figure is from 500).
func TestKilledAtAnyInstant(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	kills := 40
	if v := os.Getenv("DESK_KILLTEST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("DESK_KILLTEST=%q: want a number of kills", v)
		}
		kills = n
	}
	dir := t.TempDir()
	run(t, deskCmd(t, dir, "init", "."))
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	newTicket := func(token string) []string {
		return []string{"ticket", "new", "--title", "Crash " + token, "--requester", "A",
			"--contact", "a@example.com", "--channel", "chat", "--description", "d " + token,
			"--category", "hardware", "--priority", "low", "--reason", "one user", "--assignee", "li.si"}
	}
	for i := range 3 {
		run(t, deskCmd(t, dir, newTicket(fmt.Sprintf("seed%d", i))...))
	}
	kbNew := deskCmd(t, dir, "kb", "new", "--title", "Crash article", "--slug", "crash", "-")
	kbNew.Stdin = strings.NewReader("Restart the service.\n")
	run(t, kbNew)
	statusRe := regexp.MustCompile(`(?m)^status = "(\w+)"`)
	// next picks a command to run: kind, arguments, and the token its
	// change must show in HEAD (or "" when only the commit is checked).
	rng := rand.New(rand.NewSource(int64(kills)))
	next := func(i int) (string, []string, string) {
		files, _ := filepath.Glob(filepath.Join(dir, "tickets", "*", "*", "*.md"))
		if len(files) == 0 {
			t.Fatal("no ticket files")
		}
		file := files[rng.Intn(len(files))]
		id := strings.TrimSuffix(filepath.Base(file), ".md")
		token := fmt.Sprintf("tok%05d", i)
		switch k := rng.Intn(10); {
		case k < 3:
			return "new", newTicket(token), token
		case k < 6:
			return "comment", []string{"ticket", "comment", id, "note " + token}, token
		case k < 8:
			data, _ := os.ReadFile(file)
			to := "in_progress"
			if m := statusRe.FindSubmatch(data); m != nil && string(m[1]) == "in_progress" {
				to = "pending"
			}
			return "move", []string{"ticket", "move", id, to}, ""
		case k < 9:
			data, _ := os.ReadFile(filepath.Join(dir, "kb", "crash.md"))
			to := "review"
			if m := statusRe.FindSubmatch(data); m != nil && string(m[1]) == "review" {
				to = "draft"
			}
			return "kb move", []string{"kb", "move", "crash", to}, ""
		default:
			return "renumber", []string{"ticket", "renumber", id}, ""
		}
	}
	// How long each kind takes when not killed: the kills fall within it.
	took := map[string]time.Duration{}
	type acked struct {
		what, commit, token string
	}
	var acks []acked
	var dirty, mismatched, fsckFailed, lost int
	stat := map[string]int{}
	for i := 0; i < kills; {
		kind, args, token := next(i)
		cmd := deskCmd(t, dir, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		d, calibrated := took[kind]
		if calibrated {
			time.Sleep(time.Duration(rng.Int63n(int64(d) * 13 / 10)))
			cmd.Process.Signal(syscall.SIGKILL)
		}
		err := cmd.Wait()
		if !calibrated {
			took[kind] = time.Since(start)
		}
		if err == nil {
			head, _ := git("rev-parse", "HEAD")
			acks = append(acks, acked{strings.Join(args, " "), head, token})
			stat[kind+" finished"]++
		} else if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() > 0 {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		if !calibrated {
			continue
		}
		i++
		if err != nil {
			stat[kind+" killed"]++
		}
		// The next desk command, one that only reads, repairs what the
		// killed one left.
		run(t, deskCmd(t, dir, "ticket", "list"))
		if s, err := git("status", "--porcelain", "--untracked-files=all"); err != nil || s != "" {
			dirty++
			t.Errorf("after %s killed: git status: %v\n%s", kind, err, s)
		}
		if s, err := git("diff", "--cached", "--name-status"); err != nil || s != "" {
			mismatched++
			t.Errorf("after %s killed: index differs from HEAD: %v\n%s", kind, err, s)
		}
		if i%10 == 0 || i == kills {
			if s, err := git("fsck", "--strict", "--no-dangling", "--no-progress"); err != nil {
				fsckFailed++
				t.Errorf("after %s killed: git fsck: %v\n%s", kind, err, s)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	for _, a := range acks {
		if _, err := git("merge-base", "--is-ancestor", a.commit, "HEAD"); err != nil {
			lost++
			t.Errorf("acknowledged %q (commit %s) is not in HEAD", a.what, a.commit)
			continue
		}
		if a.token != "" {
			if out, err := git("grep", "-c", "-F", a.token, "HEAD", "--", "tickets"); err != nil || out == "" {
				lost++
				t.Errorf("acknowledged %q: %s is not in HEAD", a.what, a.token)
			}
		}
	}
	t.Logf("%d kills (%v); %d acknowledged changes; dirty trees %d, index/HEAD mismatches %d, fsck failures %d, lost acknowledged writes %d",
		kills, stat, len(acks), dirty, mismatched, fsckFailed, lost)
}

// TestKilledSiteBuildLeavesNothing kills `desk site build` at random instants
// and checks that the next build leaves no temporary folder beside the
// output, and that a site is always there once a build has finished.
func TestKilledSiteBuildLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(example)); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "example"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		run(t, cmd)
	}
	pub := filepath.Join(t.TempDir(), "public")
	build := func() *exec.Cmd { return deskCmd(t, dir, "site", "build", "--out", pub) }
	start := time.Now()
	run(t, build())
	took := time.Since(start)
	rng := rand.New(rand.NewSource(2))
	killed := 0
	for range 12 {
		cmd := build()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int63n(int64(took))))
		if cmd.Process.Signal(syscall.SIGKILL) == nil {
			killed++
		}
		cmd.Wait()
	}
	run(t, build())
	ents, err := os.ReadDir(filepath.Dir(pub))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != "public" {
			t.Errorf("left beside the site after %d kills and a build: %s", killed, e.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(pub, "index.html")); err != nil {
		t.Errorf("no site after the last build: %v", err)
	}
}
