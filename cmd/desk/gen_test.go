package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// needTool finds a program the packaging tests read desk's files with: man
// and groff (Debian's man-db and groff-base) and bash with the
// bash-completion package. Without it the test skips, unless
// DESK_REQUIRE_GEN is set (.ci/run sets it and installs them).
func needTool(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	if _, err := exec.LookPath(path); err == nil {
		return
	}
	if os.Getenv("DESK_REQUIRE_GEN") != "" {
		t.Fatalf("%s is missing and DESK_REQUIRE_GEN is set", path)
	}
	t.Skipf("%s is missing", path)
}

// helpCommands lists the commands that `desk ... --help` shows, as paths
// below desk ("ticket new"), by reading the help itself.
func helpCommands(t *testing.T, dir string, path []string) [][]string {
	out := run(t, deskCmd(t, dir, append(path, "--help")...))
	_, list, ok := strings.Cut(out, "\nAvailable Commands:\n")
	if !ok {
		return nil
	}
	list, _, _ = strings.Cut(list, "\n\n")
	var cmds [][]string
	for _, line := range strings.Split(list, "\n") {
		name := strings.Fields(line)[0]
		if name == "help" {
			continue
		}
		sub := append(append([]string{}, path...), name)
		cmds = append(cmds, sub)
		cmds = append(cmds, helpCommands(t, dir, sub)...)
	}
	return cmds
}

// TestGenMan: desk gen man writes a page for desk and for every command its
// help lists, and nothing else; groff renders every page without a warning;
// man shows NAME and SYNOPSIS; the same SOURCE_DATE_EPOCH gives the same bytes.
func TestGenMan(t *testing.T) {
	dir := t.TempDir()
	gen := func(out string) {
		cmd := deskCmd(t, dir, "gen", "man", "--out", out)
		cmd.Env = append(cmd.Env, "SOURCE_DATE_EPOCH=1764547200")
		run(t, cmd)
	}
	gen("man")
	want := map[string]bool{"desk.1": true}
	for _, c := range helpCommands(t, dir, nil) {
		want["desk-"+strings.Join(c, "-")+".1"] = true
	}
	if len(want) < 40 {
		t.Fatalf("the help lists only %d commands", len(want))
	}
	entries, err := os.ReadDir(filepath.Join(dir, "man"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range entries {
		got[e.Name()] = true
		if !want[e.Name()] {
			t.Errorf("a page for a command the help does not list: %s", e.Name())
		}
	}
	for name := range want {
		if !got[name] {
			t.Errorf("no page %s", name)
		}
	}

	gen("again")
	for name := range got {
		a, _ := os.ReadFile(filepath.Join(dir, "man", name))
		b, _ := os.ReadFile(filepath.Join(dir, "again", name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", name)
		}
	}

	needTool(t, "groff")
	for name := range got {
		cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z", filepath.Join(dir, "man", name))
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("groff on %s: %v\n%s", name, err, out)
		}
	}
	needTool(t, "man")
	cmd := exec.Command("man", "--warnings", "-l", filepath.Join(dir, "man", "desk-ticket-new.1"))
	cmd.Env = append(os.Environ(), "MANWIDTH=100", "MANPAGER=cat", "PAGER=cat", "LANG=C.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("man -l: %v\n%s", err, stderr.String())
	}
	for _, re := range []string{`(?m)^NAME$`, `desk-ticket-new - Register a ticket`, `(?m)^SYNOPSIS$`,
		`desk ticket new \[-\] \[flags\]`, `desk dev +Dec 2025`, `打印机卡纸`} {
		if !regexp.MustCompile(re).Match(out) {
			t.Errorf("man -l desk-ticket-new.1 shows no %s:\n%s", re, out)
		}
	}
}

// TestGenCompletionsBash: the bash script of desk gen completions, sourced
// in bash with the bash-completion package as a user's shell has it,
// completes `desk tic` to `ticket` and `desk ticket ne` to `new`.
func TestGenCompletionsBash(t *testing.T) {
	needTool(t, "bash")
	needTool(t, "/usr/share/bash-completion/bash_completion")
	dir := t.TempDir()
	run(t, deskCmd(t, dir, "gen", "completions", "--out", "completions"))
	for _, name := range []string{"desk.bash", "_desk", "desk.fish", "desk.ps1"} {
		if fi, err := os.Stat(filepath.Join(dir, "completions", name)); err != nil || fi.Size() < 500 {
			t.Errorf("completions/%s: %v", name, err)
		}
	}
	// The script runs `desk __complete`: desk on PATH is this test binary.
	bin := filepath.Join(dir, "bin")
	self, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "desk"), []byte("#!/bin/sh\nDESK_TEST_MAIN=1 exec '"+self+"' \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string]string{"desk tic": "ticket", "desk ticket ne": "new", "desk gen co": "completions"} {
		script := `source /usr/share/bash-completion/bash_completion
source completions/desk.bash
compopt() { :; }  # outside a real completion there is nothing to set
COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"; COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
__start_desk
printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command("bash", "--norc", "--noprofile", "-c", script, "bash", line)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		out := run(t, cmd)
		if strings.TrimSpace(out) != want {
			t.Errorf("bash completes %q to %q, want %q", line, out, want)
		}
	}
}
