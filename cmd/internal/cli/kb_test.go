package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKBNew(t *testing.T) {
	dir := newDesk(t)
	body := filepath.Join(t.TempDir(), "body.md")
	os.WriteFile(body, []byte("Hold the power button for 30 s.\n"), 0o644)
	out, stderr := runDesk(t, plain, "-C", dir, "kb", "new", "--title", "Laptop does not power on", "--tags", "laptop,power", "--body-file", body)
	if out != "laptop-does-not-power-on\n" || stderr != "Created kb/laptop-does-not-power-on.md (draft); next: desk kb move laptop-does-not-power-on review\n" {
		t.Errorf("desk kb new: %q, %q", out, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "kb", "laptop-does-not-power-on.md"))
	if err != nil || !strings.Contains(string(data), "Hold the power button") || !strings.Contains(string(data), `owner = "li.si@example.com"`) {
		t.Errorf("the article: %v\n%s", err, data)
	}
	if log := gitLog(t, dir, "-1"); log[0] != "laptop-does-not-power-on: new article: Laptop does not power on" {
		t.Errorf("the commit: %q", log)
	}
	// The body from standard input, and --json.
	out, _, err = deskIn(t, "Start Outlook in safe mode.\n", plain, "-C", dir, "kb", "new", "--title", "Outlook stays offline", "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	var js ArticleJSON
	if err := json.Unmarshal([]byte(out), &js); err != nil || js.Slug != "outlook-stays-offline" || js.Status != "draft" {
		t.Errorf("desk kb new --json: %v\n%s", err, out)
	}
	_, _, err = deskIn(t, "", plain, "-C", dir, "kb", "new", "--title", "x", "extra")
	wantCode(t, err, exitUsage)
	_, _, err = deskIn(t, "", plain, "-C", dir, "kb", "new", "--title", "Laptop does not power on")
	wantCode(t, err, exitRefused)
	if n := len(gitLog(t, dir)); n != 3 {
		t.Errorf("%d commits, want 3", n)
	}
}

func TestKBListShowMove(t *testing.T) {
	dir := newDesk(t)
	runDesk(t, plain, "-C", dir, "kb", "new", "--title", "Laptop does not power on", "--category", "hardware", "--tags", "laptop", "--body-file", "/dev/null")
	deskIn(t, "Open UDP 500 and 4500.\n", plain, "-C", dir, "kb", "new", "--title", "VPN error 809", "--category", "network", "-")

	_, stderr := runDesk(t, plain, "-C", dir, "kb", "move", "vpn-error-809", "review")
	if stderr != "vpn-error-809: draft → review\n" {
		t.Errorf("desk kb move: %q", stderr)
	}
	if log := gitLog(t, dir, "-1"); log[0] != "vpn-error-809: draft → review" {
		t.Errorf("the commit: %q", log)
	}
	_, _, err := deskIn(t, "", plain, "-C", dir, "kb", "move", "vpn-error-809", "archived")
	wantCode(t, err, exitRefused)

	out, _ := runDesk(t, plain, "-C", dir, "kb", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "SLUG") ||
		!strings.Contains(lines[1], "laptop-does-not-power-on") || !strings.Contains(lines[1], "draft") ||
		!strings.Contains(lines[2], "vpn-error-809") || !strings.Contains(lines[2], "review") || !strings.Contains(lines[2], "2026-11-22") {
		t.Errorf("desk kb list:\n%s", out)
	}
	for _, tc := range []struct {
		filter []string
		vpn    bool // whether vpn-error-809 is listed; the other article is not
	}{{[]string{"--status", "review"}, true}, {[]string{"--category", "network,software"}, true}, {[]string{"--tag", "vpn"}, false}} {
		out, _ := runDesk(t, plain, append([]string{"-C", dir, "kb", "list"}, tc.filter...)...)
		if strings.Contains(out, "vpn-error-809") != tc.vpn || strings.Contains(out, "laptop") {
			t.Errorf("desk kb list %s:\n%s", tc.filter, out)
		}
	}
	out, _ = runDesk(t, plain, "-C", dir, "kb", "list", "--json", "--status", "draft")
	var js []ArticleJSON
	if err := json.Unmarshal([]byte(out), &js); err != nil || len(js) != 1 || js[0].Slug != "laptop-does-not-power-on" {
		t.Errorf("desk kb list --json: %v\n%s", err, out)
	}
	_, _, err = deskIn(t, "", plain, "-C", dir, "kb", "list", "--status", "done")
	wantCode(t, err, exitUsage)

	out, _ = runDesk(t, plain, "-C", dir, "kb", "show", "vpn-error-809")
	for _, want := range []string{"vpn-error-809  VPN error 809\n", "status:    review (next: published, draft)\n", "category:  network\n", "path:      kb/vpn-error-809.md\n", "\nOpen UDP 500 and 4500.\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("desk kb show lacks %q:\n%s", want, out)
		}
	}
	_, _, err = deskIn(t, "", plain, "-C", dir, "kb", "show", "no-such-article")
	wantCode(t, err, exitEnv)
}

func TestKBFromTicket(t *testing.T) {
	dir := newDesk(t)
	id := newTicket(t, dir, "Printer jams on every job")
	_, _, err := deskIn(t, "", plain, "-C", dir, "kb", "from-ticket", id)
	wantCode(t, err, exitRefused)
	deskOK(t, "-C", dir, "ticket", "triage", id, "--category", "hardware", "--priority", "high", "--reason", "sales cannot print", "--assignee", "li.si")
	deskOK(t, "-C", dir, "ticket", "move", id, "in_progress")
	deskOK(t, "-C", dir, "ticket", "comment", id, "Replaced the pickup roller.", "--section", "handling")
	deskOK(t, "-C", dir, "ticket", "move", id, "resolved", "--resolution", "Replace the pickup roller.")
	out, stderr := runDesk(t, plain, "-C", dir, "kb", "from-ticket", id)
	if out != "printer-jams-on-every-job\n" || !strings.HasPrefix(stderr, "Drafted kb/printer-jams-on-every-job.md from "+id+" (kb = printer-jams-on-every-job)") {
		t.Errorf("desk kb from-ticket: %q, %q", out, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "kb", "printer-jams-on-every-job.md"))
	if err != nil || !strings.Contains(string(data), "Replace the pickup roller.") || strings.Contains(string(data), "Zhang San") {
		t.Errorf("the article: %v\n%s", err, data)
	}
	_, _, err = deskIn(t, "", plain, "-C", dir, "kb", "from-ticket", "nonsense")
	wantCode(t, err, exitUsage)
}

// TestKBShow shows a published article of the bundled example, as text and
// as JSON with its body.
func TestKBShow(t *testing.T) {
	dir := exampleDesk(t)
	out, _ := runDesk(t, plain, "-C", dir, "kb", "show", "laptop-no-power")
	head := `laptop-no-power  Laptop does not power on
status:    published (next: archived, draft)
category:  hardware
tags:      laptop, power, battery
owner:     tom.baker
created:   2026-10-30 16:00
review by: 2027-10-30
tickets:   TS-20261009-1, TS-20261029-1
summary:   No LED, no fan: check the charger, reset the embedded controller, then test the battery and the DC-in port.
path:      kb/laptop-no-power.md

A laptop that shows no sign of life`
	if !strings.HasPrefix(out, head) || !strings.HasSuffix(out, "area on site.\n") {
		t.Errorf("desk kb show laptop-no-power:\n%s", out)
	}
	out, _ = runDesk(t, plain, "-C", dir, "kb", "show", "laptop-no-power", "--json")
	var js ArticleJSON
	if err := json.Unmarshal([]byte(out), &js); err != nil || js.Slug != "laptop-no-power" || js.Path != "kb/laptop-no-power.md" || js.Status != "published" ||
		js.ReviewBy != "2027-10-30" || len(js.Tickets) != 2 || js.Body == nil || !strings.Contains(*js.Body, "## Checks\n") {
		t.Errorf("desk kb show --json: %v\n%.400s", err, out)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{{[]string{"no-such-article"}, exitEnv}, {[]string{"../x"}, exitUsage}, {nil, exitUsage}, {[]string{"a", "b"}, exitUsage}} {
		wantExit(t, tc.code, append([]string{"-C", dir, "kb", "show"}, tc.args...)...)
	}
}
