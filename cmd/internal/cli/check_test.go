package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskhq/desk/repo/check"
)

// exampleFindings is what desk check says of the bundled example at the
// test's clock: the open tickets past or near a target, as warnings.
const exampleFindings = `tickets/2026/11/TS-20261118-1.md:8:1: warning: resolution target 3bd at risk: due 2026-11-23 14:20, 21bh40m counted (sla-at-risk)
tickets/2026/11/TS-20261119-2.md:8:1: warning: resolution target 24h missed: due 2026-11-20 15:30, 2d18h30m counted (sla-breached)
tickets/2026/11/TS-20261120-1.md:8:1: warning: resolution target 4h missed: due 2026-11-20 20:10, 1d17h50m counted (sla-breached)
tickets/2026/11/TS-20261121-1.md:8:1: warning: response target 1h missed: due 2026-11-21 22:40, 12h20m counted (sla-breached)
tickets/2026/11/TS-20261121-1.md:8:1: warning: resolution target 4h missed: due 2026-11-22 01:40, 12h20m counted (sla-breached)
tickets/2026/11/TS-20261121-2.md:8:1: warning: response target 24h at risk: due 2026-11-22 16:00, 18h counted (sla-at-risk)
28 files checked: 0 errors, 6 warnings
`

// TestCheck runs desk check on the bundled example in each format, with
// --fail-on deciding the exit status.
func TestCheck(t *testing.T) {
	dir := exampleDesk(t)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string // "": not compared
	}{
		{"warnings do not fail by default", nil, exitOK, exampleFindings},
		{"fail on warnings", []string{"--fail-on", "warning"}, exitRefused, exampleFindings},
		{"never fail", []string{"--fail-on", "never"}, exitOK, exampleFindings},
		{"one file", []string{"tickets/2026/11/TS-20261121-1.md"}, exitOK,
			strings.Join(strings.Split(exampleFindings, "\n")[3:5], "\n") + "\n1 file checked: 0 errors, 2 warnings\n"},
		{"a file with no findings", []string{"tickets/2026/11/TS-20261117-1.md"}, exitOK, "1 file checked: no problems\n"},
		{"an unknown format", []string{"--format", "pdf"}, exitUsage, ""},
		{"an unknown threshold", []string{"--fail-on", "info"}, exitUsage, ""},
		{"staged and base", []string{"--staged", "--base", "HEAD"}, exitUsage, ""},
		{"paths and staged", []string{"--staged", "tickets"}, exitUsage, ""},
		{"a path outside the repository", []string{os.TempDir()}, exitUsage, ""},
		{"a path that does not exist", []string{"tickets/2027"}, exitUsage, ""},
		{"a time that is not one", []string{"--now", "soon"}, exitUsage, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := deskIn(t, "", plain, append([]string{"-C", dir, "check"}, tc.args...)...)
			wantCode(t, err, tc.code)
			if tc.stdout != "" && (out != tc.stdout || stderr != "") {
				t.Errorf("desk check %s:\n%s%s\nwant\n%s", tc.args, out, stderr, tc.stdout)
			}
		})
	}

	out, _ := runDesk(t, plain, "-C", dir, "check", "--format", "json")
	var res check.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Findings) != 6 || res.Summary != (check.Summary{Files: 28, Warnings: 6}) {
		t.Fatalf("desk check --format json: %v\n%.400s", err, out)
	}
	if f := res.Findings[3]; f != (check.Finding{Rule: "sla-breached", Severity: check.Warning, Path: "tickets/2026/11/TS-20261121-1.md", Line: 8, Column: 1,
		Ticket: "TS-20261121-1", Message: "response target 1h missed: due 2026-11-21 22:40, 12h20m counted"}) {
		t.Errorf("desk check --format json: finding 3 is %+v", f)
	}

	out, _ = runDesk(t, plain, "-C", dir, "check", "--format", "sarif")
	var sarif struct {
		Version string
		Runs    []struct {
			Tool    struct{ Driver struct{ Name string } }
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 6 {
		t.Fatalf("desk check --format sarif: %v\n%.400s", err, out)
	}
	r := sarif.Runs[0].Results[3]
	if sarif.Runs[0].Tool.Driver.Name != "desk" || r.RuleID != "sla-breached" || r.Level != "warning" || len(r.Locations) != 1 ||
		r.Locations[0].PhysicalLocation.ArtifactLocation.URI != "tickets/2026/11/TS-20261121-1.md" || r.Locations[0].PhysicalLocation.Region.StartLine != 8 {
		t.Errorf("desk check --format sarif: result 3 is %+v", r)
	}

	// --output: the report in the file, its summary on standard error.
	report := filepath.Join(t.TempDir(), "report.txt")
	out, stderr := runDesk(t, onTerminal, "-C", dir, "check", "--output", report)
	if data, err := os.ReadFile(report); err != nil || string(data) != exampleFindings || out != "" || stderr != "28 files checked: 0 errors, 6 warnings\n" {
		t.Errorf("desk check --output on a terminal: %v, %q, %q\n%s", err, out, stderr, data)
	}

	// --now judges the clocks at another time: a day later the at-risk
	// response is breached too.
	out, _ = runDesk(t, plain, "-C", dir, "check", "--now", "2026-11-23T10:00:00+08:00")
	if !strings.Contains(out, "tickets/2026/11/TS-20261121-2.md:8:1: warning: response target 24h missed: ") {
		t.Errorf("desk check --now a day later:\n%s", out)
	}

	// A file that does not parse is an error: exit 1, unless --fail-on never.
	bad := filepath.Join(dir, "tickets", "2026", "11", "TS-20261122-1.md")
	if err := os.WriteFile(bad, []byte("not a ticket\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := deskIn(t, "", plain, "-C", dir, "check", bad)
	wantCode(t, err, exitRefused)
	if !strings.HasPrefix(out, "tickets/2026/11/TS-20261122-1.md:1:1: error: ") || !strings.HasSuffix(out, " (parse)\n1 file checked: 1 error, 0 warnings\n") {
		t.Errorf("desk check of a file that does not parse:\n%s", out)
	}
	wantExit(t, exitOK, "-C", dir, "check", "--fail-on", "never", bad)
	wantExit(t, exitEnv, "-C", t.TempDir(), "check")
}

// TestCheckColour: the text format is in colour on a terminal, and only
// there: not in another format, not with NO_COLOR or TERM=dumb.
func TestCheckColour(t *testing.T) {
	dir := exampleDesk(t)
	colour, _ := runDesk(t, onTerminal, "-C", dir, "check")
	first := "\x1b[1mtickets/2026/11/TS-20261118-1.md:8:1\x1b[0m: \x1b[33mwarning\x1b[0m: resolution target 3bd at risk: due 2026-11-23 14:20, 21bh40m counted \x1b[2m(sla-at-risk)\x1b[0m\n"
	if !strings.HasPrefix(colour, first) {
		t.Errorf("desk check on a terminal begins\n%q, want\n%q", colour, first)
	}
	if got := sgr.ReplaceAllString(colour, ""); got != exampleFindings {
		t.Errorf("without its colours, the terminal's text differs from the plain text:\n%s", got)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"json", nil, []string{"--format", "json"}},
		{"sarif", nil, []string{"--format", "sarif"}},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, nil},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out, _ := runDesk(t, onTerminal, append([]string{"-C", dir, "check"}, tc.args...)...)
			if strings.Contains(out, "\x1b") || !strings.Contains(out, "sla-at-risk") {
				t.Errorf("desk check %s on a terminal with %v:\n%q", tc.args, tc.env, out)
			}
		})
	}
}
