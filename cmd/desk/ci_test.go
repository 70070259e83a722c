package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/deskhq/desk/cmd/internal/cli"
)

// deskLines returns the desk commands of a CI file, with the platform's
// variables replaced by the base branch "main".
func deskLines(t *testing.T, file string, vars map[string]string) [][]string {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	re := regexp.MustCompile(`(?m)^\s*(?:-\s*)?(?:run:\s*)?(desk (?:check|escalate)\b.*)$`)
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		line := m[1]
		for k, v := range vars {
			line = strings.ReplaceAll(line, k, v)
		}
		line = strings.ReplaceAll(line, `"`, "")
		out = append(out, strings.Fields(line)[1:])
	}
	if len(out) == 0 {
		t.Fatalf("%s: no desk commands", file)
	}
	return out
}

// ciEnv gives the test a git identity, an empty home and desk's clock at
// the example's time.
func ciEnv(t *testing.T) {
	for k, v := range map[string]string{"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
		"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"} {
		t.Setenv(k, v)
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("DESK_NOW", "2026-11-22T10:00:00+08:00")
}

func runIn(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// TestCICommands runs the desk commands of the CI configurations in
// examples/ci, as written: it clones a ticket repository, adds a broken ticket on a
// branch, and runs each CI file's desk commands in the clone: the SARIF and
// JUnit files are written, and the failing step fails.
func TestCICommands(t *testing.T) {
	ciEnv(t)
	root := t.TempDir()
	origin := filepath.Join(root, "origin")
	if code := cli.Main([]string{"init", origin}, nil, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("desk init: %d", code)
	}
	clone := filepath.Join(root, "clone")
	runIn(t, root, "git", "clone", "-q", origin, clone)
	runIn(t, clone, "git", "checkout", "-q", "-b", "topic")
	bad := "+++\nid = \"TS-20261121-1\"\ntitle = \"No requester\"\nstatus = \"new\"\ncreated = 2026-11-21T09:00:00+08:00\n\n[[events]]\nat = 2026-11-21T09:00:00+08:00\nby = \"a@example.com\"\naction = \"create\"\nto = \"new\"\n+++\n"
	os.MkdirAll(filepath.Join(clone, "tickets/2026/11"), 0o755)
	os.WriteFile(filepath.Join(clone, "tickets/2026/11/TS-20261121-1.md"), []byte(bad), 0o644)
	runIn(t, clone, "git", "add", "-A")
	runIn(t, clone, "git", "commit", "-q", "-m", "bad ticket")

	// The files users copy, as the README shows them.
	for _, tc := range []struct {
		file string
		vars map[string]string
	}{
		{"../../examples/ci/desk-check.github.yml", map[string]string{"${{ github.base_ref }}": "main"}},
		{"../../examples/ci/desk-check.gitlab-ci.yml", map[string]string{"$CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}},
		// The Action a workflow uses: its inputs as the defaults give them.
		{"../../action.yml", map[string]string{"$DESK_BASE": "main", "$DESK_FAIL_ON": "error"}},
	} {
		for _, args := range deskLines(t, tc.file, tc.vars) {
			var out, errb bytes.Buffer
			code := cli.Main(append([]string{"-C", clone}, args...), nil, &out, &errb)
			failOn := "error"
			for i, a := range args {
				if a == "--fail-on" {
					failOn = args[i+1]
				}
			}
			want := 1
			if failOn == "never" {
				want = 0
			}
			if code != want {
				t.Errorf("%s: desk %s: exit %d, want %d\n%s%s", tc.file, strings.Join(args, " "), code, want, out.String(), errb.String())
			}
			for i, a := range args {
				if a == "--output" {
					data, err := os.ReadFile(filepath.Join(clone, args[i+1]))
					if err != nil {
						data, err = os.ReadFile(args[i+1])
					}
					if err != nil || !bytes.Contains(data, []byte("required-field")) {
						t.Errorf("%s: %s does not report the broken ticket: %v", tc.file, args[i+1], err)
					}
					os.Remove(args[i+1])
				}
			}
			if strings.Contains(strings.Join(args, " "), "--format github") && !strings.Contains(out.String(), "::error file=tickets/2026/11/TS-20261121-1.md") {
				t.Errorf("github format: no annotation for the broken ticket:\n%s", out.String())
			}
		}
	}
}

// TestCIEscalate runs the desk command of the scheduled escalation workflow,
// as written, on a copy of the example with an escalation rule: one commit
// escalates the breached tickets and prints an annotation for each, and a
// second run changes nothing.
func TestCIEscalate(t *testing.T) {
	ciEnv(t)
	dir := t.TempDir()
	runIn(t, dir, "cp", "-r", example+"/.", ".")
	f, err := os.OpenFile(filepath.Join(dir, "desk.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n[[escalation]]\nname = \"breached\"\nwhen = \"breached\"\nraise = true\n")
	f.Close()
	runIn(t, dir, "git", "init", "-q", "-b", "main")
	runIn(t, dir, "git", "add", "-A")
	runIn(t, dir, "git", "commit", "-q", "-m", "example")
	lines := deskLines(t, "../../examples/ci/desk-escalate.github.yml", nil)
	if len(lines) != 1 {
		t.Fatalf("want one desk command in the workflow, got %q", lines)
	}
	for run, want := range []int{3, 0} {
		var out, errb bytes.Buffer
		if code := cli.Main(append([]string{"-C", dir}, lines[0]...), nil, &out, &errb); code != 0 {
			t.Fatalf("desk %s: exit %d\n%s", strings.Join(lines[0], " "), code, errb.String())
		}
		if n := strings.Count(out.String(), "::warning file=tickets/"); n != want {
			t.Errorf("run %d: %d annotations, want %d:\n%s", run+1, n, want, out.String())
		}
	}
	cmd := exec.Command("git", "log", "--format=%s")
	cmd.Dir = dir
	log, err := cmd.Output()
	if err != nil || string(log) != "escalate 3 tickets\nexample\n" {
		t.Errorf("git log: %q %v", log, err)
	}
}

// TestCIIntakeForm runs the issue-form workflow as GitHub would: the issue
// body GitHub writes for examples/ci/desk-request.issue-form.yml goes
// through the workflow's script (in node), and the workflow's desk command,
// as written, registers the ticket.
func TestCIIntakeForm(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("DESK_REQUIRE_NODE") != "" {
			t.Fatal("node is required (DESK_REQUIRE_NODE) and not found")
		}
		t.Skip("no node to run the workflow's script")
	}
	ciEnv(t)
	wf, err := os.ReadFile("../../examples/ci/desk-intake-form.github.yml")
	if err != nil {
		t.Fatal(err)
	}
	// The script: the lines under "script: |", less their indentation.
	m := regexp.MustCompile(`(?s)script: \|\n(.*?)\n\n`).FindSubmatch(wf)
	if m == nil {
		t.Fatal("no script in the workflow")
	}
	var script strings.Builder
	for _, l := range strings.Split(string(m[1]), "\n") {
		script.WriteString(strings.TrimPrefix(l, "            ") + "\n")
	}
	// The body GitHub writes for the form: "### label" and the answer.
	form, err := os.ReadFile("../../examples/ci/desk-request.issue-form.yml")
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]string{"title": "打印机卡纸", "requester": "李娜", "contact": "li.na@example.com", "description": "三楼打印机卡纸。\n\n换了纸盒也不行。"}
	var body strings.Builder
	for _, l := range regexp.MustCompile(`(?m)^\s+label: (\S+)$`).FindAllStringSubmatch(string(form), -1) {
		a := answers[l[1]]
		if a == "" {
			a = "_No response_"
		}
		fmt.Fprintf(&body, "### %s\n\n%s\n\n", l[1], a)
	}
	dir := t.TempDir()
	if code := cli.Main([]string{"init", dir}, nil, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatal("desk init failed")
	}
	js, _ := json.Marshal(body.String())
	cmd := exec.Command(node, "-e", "const context = {payload: {issue: {body: "+string(js)+"}}};\n"+script.String())
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the workflow's script: %v\n%s", err, out)
	}
	lines := regexp.MustCompile(`(?m)^\s+(desk intake .*)$`).FindAllStringSubmatch(string(wf), -1)
	if len(lines) != 1 {
		t.Fatalf("want one desk intake command in the workflow, got %q", lines)
	}
	var out, errb bytes.Buffer
	if code := cli.Main(append([]string{"-C", dir}, strings.Fields(lines[0][1])[1:]...), nil, &out, &errb); code != 0 {
		t.Fatalf("%s: exit %d\n%s", lines[0][1], code, errb.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "tickets/2026/11/"+strings.TrimSpace(out.String())+".md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`title = "打印机卡纸"`, `name = "李娜"`, `contact = "li.na@example.com"`, `channel = "portal"`, "换了纸盒也不行。"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the ticket has no %s:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), "org =") {
		t.Errorf("an unanswered field reached the ticket:\n%s", data)
	}
}

// TestPreCommitHook runs the hook of .pre-commit-hooks.yaml as the
// pre-commit framework would: its entry, in a repository with a broken
// ticket staged, fails; with the ticket fixed and staged, passes. Its files
// pattern selects tickets, articles and desk.toml, in a desk root or a
// subfolder, and nothing else.
func TestPreCommitHook(t *testing.T) {
	ciEnv(t)
	def, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	field := func(k string) string {
		m := regexp.MustCompile(`(?m)^\s+` + k + `: (.*)$`).FindStringSubmatch(string(def))
		if m == nil {
			t.Fatalf("no %s in the hook definition", k)
		}
		return m[1]
	}
	if field("language") != "golang" || field("pass_filenames") != "false" {
		t.Fatalf("language %q, pass_filenames %q", field("language"), field("pass_filenames"))
	}
	files := regexp.MustCompile(field("files"))
	for p, want := range map[string]bool{"tickets/2026/11/TS-20261121-1.md": true, "kb/vpn.md": true, "desk.toml": true,
		"helpdesk/tickets/2026/11/TS-20261121-1.md": true, "README.md": false, "cmd/desk/main.go": false} {
		if files.MatchString(p) != want {
			t.Errorf("files pattern on %s: %v, want %v", p, !want, want)
		}
	}
	entry := strings.Fields(field("entry"))
	if entry[0] != "desk" {
		t.Fatalf("entry %q does not run desk", entry)
	}
	dir := t.TempDir()
	if code := cli.Main([]string{"init", dir}, nil, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatal("desk init failed")
	}
	bad := "+++\nid = \"TS-20261121-1\"\ntitle = \"No requester\"\nstatus = \"new\"\ncreated = 2026-11-21T09:00:00+08:00\n\n[[events]]\nat = 2026-11-21T09:00:00+08:00\nby = \"a@example.com\"\naction = \"create\"\nto = \"new\"\n+++\n"
	os.MkdirAll(filepath.Join(dir, "tickets/2026/11"), 0o755)
	os.WriteFile(filepath.Join(dir, "tickets/2026/11/TS-20261121-1.md"), []byte(bad), 0o644)
	runIn(t, dir, "git", "add", "-A")
	var out, errb bytes.Buffer
	if code := cli.Main(append([]string{"-C", dir}, entry[1:]...), nil, &out, &errb); code != 1 || !strings.Contains(out.String(), "required-field") {
		t.Errorf("%s on a broken ticket: exit %d\n%s%s", field("entry"), code, out.String(), errb.String())
	}
	fixed := strings.Replace(bad, "\n\n[[events]]", "\nchannel = \"phone\"\n\n[requester]\nname = \"Li Na\"\ncontact = \"li.na@example.com\"\n\n[[events]]", 1) + "\n## Description\n\nNo power.\n"
	os.WriteFile(filepath.Join(dir, "tickets/2026/11/TS-20261121-1.md"), []byte(fixed), 0o644)
	runIn(t, dir, "git", "add", "-A")
	out.Reset()
	errb.Reset()
	if code := cli.Main(append([]string{"-C", dir}, entry[1:]...), nil, &out, &errb); code != 0 {
		t.Errorf("%s on a good ticket: exit %d\n%s%s", field("entry"), code, out.String(), errb.String())
	}
}
