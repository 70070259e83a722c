package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInit(t *testing.T) {
	dir := newDesk(t)
	for _, f := range []string{"desk.toml", ".gitattributes"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("desk init wrote no %s: %v", f, err)
		}
	}
	if log := gitLog(t, dir); len(log) != 1 {
		t.Errorf("desk init made %d commits, want 1: %q", len(log), log)
	}
	// DIR is under -C; the language and prefix reach desk.toml.
	_, stderr := runDesk(t, plain, "-C", dir, "init", "zh", "--language", "zh", "--prefix", "IT")
	if !strings.HasPrefix(stderr, "Initialised desk repository in ") || !strings.HasSuffix(strings.TrimSpace(stderr), filepath.Join(dir, "zh")) {
		t.Errorf("desk init says %q", stderr)
	}
	toml, err := os.ReadFile(filepath.Join(dir, "zh", "desk.toml"))
	if err != nil || !strings.Contains(string(toml), `"IT"`) {
		t.Errorf("desk.toml of desk init --prefix IT: %v\n%s", err, toml)
	}
	_, _, err = deskIn(t, "", plain, "init", filepath.Join(dir, "fr"), "--language", "fr")
	wantCode(t, err, exitUsage)
	if _, err := os.Stat(filepath.Join(dir, "fr")); err == nil {
		t.Error("desk init --language fr made the folder")
	}
}

func TestHooksInstall(t *testing.T) {
	dir := newDesk(t)
	_, stderr := runDesk(t, plain, "-C", dir, "hooks", "install")
	if !strings.Contains(stderr, "pre-commit hook: ") || !strings.Contains(stderr, "merge driver:    ") {
		t.Errorf("desk hooks install says %q", stderr)
	}
	hook, err := os.ReadFile(filepath.Join(dir, ".git", "hooks", "pre-commit"))
	if err != nil || !strings.Contains(string(hook), "check --staged") {
		t.Fatalf("the pre-commit hook: %v\n%s", err, hook)
	}
	driver, err := exec.Command("git", "-C", dir, "config", "merge.desk.driver").Output()
	if err != nil || !strings.Contains(string(driver), "merge-file %O %A %B %P") {
		t.Errorf("merge.desk.driver = %q, %v", driver, err)
	}
	// A hook desk did not write stays, unless --force.
	os.WriteFile(filepath.Join(dir, ".git", "hooks", "pre-commit"), []byte("#!/bin/sh\nexit 0\n"), 0o755)
	_, _, err = deskIn(t, "", plain, "-C", dir, "hooks", "install")
	if err == nil {
		t.Error("desk hooks install replaced a hook it did not write")
	}
	runDesk(t, plain, "-C", dir, "hooks", "install", "--force")
	if hook, _ := os.ReadFile(filepath.Join(dir, ".git", "hooks", "pre-commit")); !strings.Contains(string(hook), "check --staged") {
		t.Errorf("desk hooks install --force left %s", hook)
	}
}

func TestTicketRenumber(t *testing.T) {
	dir := newDesk(t)
	id := newTicket(t, dir, "Laptop does not power on")
	out, stderr := runDesk(t, plain, "-C", dir, "ticket", "renumber", id)
	if out != "TS-20261122-2\n" || stderr != id+" is now TS-20261122-2\n" {
		t.Errorf("desk ticket renumber %s: %q, %q", id, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "tickets", "2026", "11", "TS-20261122-2.md")); err != nil {
		t.Error(err)
	}
	if log := gitLog(t, dir, "-1"); !strings.Contains(log[0], "TS-20261122-2") {
		t.Errorf("the last commit: %q", log)
	}
	_, _, err := deskIn(t, "", plain, "-C", dir, "ticket", "renumber", "nonsense")
	wantCode(t, err, exitUsage)
}

func TestMergeFile(t *testing.T) {
	dir := newDesk(t)
	id := newTicket(t, dir, "Laptop does not power on")
	orig, err := os.ReadFile(filepath.Join(dir, "tickets", "2026", "11", id+".md"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	theirs := strings.Replace(string(orig), "The power LED stays off.", "The power LED stays off.\n\nAlso the fan.", 1)
	base, ours, th := write("base", string(orig)), write("ours", string(orig)), write("theirs", theirs)
	runDesk(t, plain, "merge-file", base, ours, th, "tickets/x.md")
	if got, _ := os.ReadFile(ours); string(got) != theirs {
		t.Errorf("a change on one side only is not taken:\n%s", got)
	}
	// A version that does not parse: conflict markers and exit 1.
	write("theirs", "not a ticket\n")
	write("ours", string(orig))
	_, stderr, err := deskIn(t, "", plain, "merge-file", base, ours, th, "tickets/x.md")
	wantCode(t, err, exitRefused)
	if got, _ := os.ReadFile(ours); !strings.Contains(string(got), "<<<<<<<") || !strings.HasPrefix(stderr, "desk: ") {
		t.Errorf("a conflict: %q\n%s", stderr, got)
	}
	_, _, err = deskIn(t, "", plain, "merge-file", base, ours)
	wantCode(t, err, exitUsage)
}
