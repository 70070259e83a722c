package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runDesk runs desk with args as Main does, on an app whose terminal test
// says whether a stream is a terminal. It returns standard output and error.
func runDesk(t *testing.T, terminal func(any) bool, args ...string) (string, string) {
	t.Helper()
	out, errw, err := deskIn(t, "", terminal, args...)
	if err != nil && exitCode(err) != exitRefused {
		t.Fatalf("desk %s: %v\n%s", strings.Join(args, " "), err, errw)
	}
	if err != nil && !errors.As(err, new(*silentExit)) {
		// What reportError writes: a refusal is part of what desk says.
		errw += "desk: " + err.Error() + "\n"
	}
	return out, errw
}

// deskIn runs desk with args and standard input stdin, as runDesk does, and
// returns its outputs and error, whatever it is.
func deskIn(t *testing.T, stdin string, terminal func(any) bool, args ...string) (string, string, error) {
	t.Helper()
	var out, errw bytes.Buffer
	err := deskTo(context.Background(), &out, &errw, stdin, terminal, args...)
	return out.String(), errw.String(), err
}

// deskTo runs desk with args in ctx, writing to out and errw.
func deskTo(ctx context.Context, out, errw io.Writer, stdin string, terminal func(any) bool, args ...string) error {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a := &app{in: strings.NewReader(stdin), out: out, err: errw, ctx: ctx,
		now: func() time.Time { return now }, terminal: terminal}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(errw)
	_, err := root.ExecuteC()
	return err
}

// deskOK runs desk with args, not on a terminal, and fails the test on any
// error: for the steps that set up what a test looks at.
func deskOK(t *testing.T, args ...string) (string, string) {
	t.Helper()
	out, errw, err := deskIn(t, "", plain, args...)
	if err != nil {
		t.Fatalf("desk %s: %v\n%s", strings.Join(args, " "), err, errw)
	}
	return out, errw
}

// plain is a terminal test for which no stream is a terminal.
func plain(any) bool { return false }

// onTerminal is a terminal test for which every stream is a terminal.
func onTerminal(any) bool { return true }

// deskEnv sets up git's identity, a home of its own, a terminal that takes
// colours and an $EDITOR that fails, for the rest of the test.
func deskEnv(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_AUTHOR_NAME": "Li Si", "GIT_AUTHOR_EMAIL": "li.si@example.com",
		"GIT_COMMITTER_NAME": "Li Si", "GIT_COMMITTER_EMAIL": "li.si@example.com",
		"GIT_CONFIG_NOSYSTEM": "1", "HOME": t.TempDir(), "NO_COLOR": "", "TERM": "xterm",
		"VISUAL": "", "EDITOR": "false", "TMPDIR": t.TempDir(), "DESK_NOW": "",
	} {
		t.Setenv(k, v)
	}
}

// newDesk sets up desk's environment (deskEnv) and returns a new desk
// repository made by desk init.
func newDesk(t *testing.T) string {
	t.Helper()
	deskEnv(t)
	dir := t.TempDir()
	deskOK(t, "init", dir)
	return dir
}

// exampleDesk sets up desk's environment (deskEnv) and returns a copy of
// the bundled example, committed in a git repository of its own. Its
// tickets are in every SLA state at the clock of deskTo.
func exampleDesk(t *testing.T) string {
	t.Helper()
	deskEnv(t)
	src, dir := filepath.Join("..", "..", "..", "examples", "helpdesk"), t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) == ".go" {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err == nil {
			err = os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, rel), data, 0o644)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "example"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", args, err, out)
		}
	}
	return dir
}

// ids returns the first column of the rows of a table desk printed, less
// its heading.
func ids(table string) []string {
	var out []string
	for i, line := range strings.Split(strings.TrimSpace(table), "\n") {
		if f := strings.Fields(line); i > 0 && len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}

// wantCode fails unless err maps to the exit status code.
func wantCode(t *testing.T, err error, code int) {
	t.Helper()
	got := exitOK
	if err != nil {
		got = exitCode(err)
	}
	if got != code {
		t.Fatalf("exit status %d (%v), want %d", got, err, code)
	}
}

// wantExit runs desk with args, not on a terminal, and fails unless it
// exits with status code.
func wantExit(t *testing.T, code int, args ...string) {
	t.Helper()
	_, _, err := deskIn(t, "", plain, args...)
	wantCode(t, err, code)
}

// gitLog returns the subjects of the commits of dir, newest first.
func gitLog(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir, "log", "--format=%s"}, args...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// newTicket registers a ticket in dir and returns its ID.
func newTicket(t *testing.T, dir, title string) string {
	t.Helper()
	out, _ := deskOK(t, "-C", dir, "ticket", "new", "--title", title, "--requester", "Zhang San",
		"--contact", "zhang.san@example.com", "--channel", "phone", "--description", "The power LED stays off.")
	return strings.TrimSpace(out)
}
