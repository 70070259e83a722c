package cli

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestTicketList lists the bundled example at the test's clock (2026-11-22
// 10:00 in Shanghai) with each filter: the rows and their order are the
// example's, worked out from its tickets.
func TestTicketList(t *testing.T) {
	dir := exampleDesk(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string // the IDs listed, in order
	}{
		{"open leaves out resolved, closed and archived", []string{"--open"},
			[]string{"TS-20261121-1", "TS-20261121-2", "TS-20261120-1", "TS-20261120-2", "TS-20261119-2", "TS-20261119-1", "TS-20261118-1", "TS-20261116-1"}},
		{"status takes a list", []string{"--status", "resolved,pending"}, []string{"TS-20261117-1", "TS-20261116-1", "TS-20261112-1"}},
		{"assignee", []string{"--assignee", "li.si"}, []string{"TS-20261119-1", "TS-20261117-1", "TS-20261027-1", "TS-20261009-1"}},
		{"assignee none is the unassigned", []string{"--assignee", "none"}, []string{"TS-20261121-1", "TS-20261121-2"}},
		{"priority", []string{"--priority", "high"}, []string{"TS-20261121-1", "TS-20261120-1", "TS-20261027-1", "TS-20261015-1", "TS-20261009-1"}},
		{"category", []string{"--category", "hardware"}, []string{"TS-20261117-1", "TS-20261116-1", "TS-20261029-1", "TS-20261020-2", "TS-20261012-1", "TS-20261009-1"}},
		{"filters combine", []string{"--category", "hardware", "--priority", "high"}, []string{"TS-20261009-1"}},
		{"breached includes the closed that missed a target", []string{"--breached"},
			[]string{"TS-20261121-1", "TS-20261120-1", "TS-20261119-2", "TS-20261106-1", "TS-20261029-1", "TS-20261027-1"}},
		{"open and breached", []string{"--open", "--breached"}, []string{"TS-20261121-1", "TS-20261120-1", "TS-20261119-2"}},
		{"at risk", []string{"--at-risk"}, []string{"TS-20261121-2", "TS-20261118-1"}},
		{"since, soonest due first", []string{"--since", "2026-11-20", "--sort", "due"}, []string{"TS-20261120-1", "TS-20261121-1", "TS-20261121-2", "TS-20261120-2"}},
		{"nothing matches", []string{"--status", "archived", "--priority", "medium"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr := runDesk(t, plain, append([]string{"-C", dir, "ticket", "list"}, tc.args...)...)
			if got := ids(out); !slices.Equal(got, tc.want) || stderr != "" {
				t.Errorf("desk ticket list %s lists\n%q, want\n%q\n%s%s", tc.args, got, tc.want, out, stderr)
			}
			if !strings.HasPrefix(out, "ID ") || !slices.Equal(strings.Fields(strings.SplitN(out, "\n", 2)[0]), []string{"ID", "STATUS", "PRIORITY", "ASSIGNEE", "SLA", "DUE", "TITLE"}) {
				t.Errorf("desk ticket list %s: the heading:\n%s", tc.args, out)
			}
		})
	}

	out, _ := runDesk(t, plain, "-C", dir, "ticket", "list")
	if n := len(ids(out)); n != 23 {
		t.Errorf("desk ticket list lists %d tickets, want the example's 23", n)
	}
	for _, row := range []string{
		"TS-20261121-1  new          high      -           breached  11-21 22:40  UPS in the server room keeps beeping\n",
		"TS-20261117-1  resolved     medium    li.si       met       -            会议室投影仪无信号\n",
		"TS-20261116-1  pending      medium    tom.baker   paused    11-23 03:30  Wi-Fi drops every few minutes in meeting room B\n",
	} {
		if !strings.Contains(out, row) {
			t.Errorf("desk ticket list lacks the row %q:\n%s", row, out)
		}
	}
	out, stderr := runDesk(t, plain, "-C", dir, "ticket", "list", "--limit", "2")
	if got := ids(out); !slices.Equal(got, []string{"TS-20261121-1", "TS-20261121-2"}) || stderr != "2 of 23 tickets shown (--limit 2)\n" {
		t.Errorf("desk ticket list --limit 2: %q, %q", got, stderr)
	}

	out, _ = runDesk(t, plain, "-C", dir, "ticket", "list", "--json", "--at-risk")
	var js []TicketJSON
	if err := json.Unmarshal([]byte(out), &js); err != nil || len(js) != 2 {
		t.Fatalf("desk ticket list --json --at-risk: %v\n%s", err, out)
	}
	if js[0].ID != "TS-20261121-2" || js[0].Path != "tickets/2026/11/TS-20261121-2.md" || js[0].SLA.Respond == nil ||
		js[0].SLA.Respond.State != "at_risk" || js[0].SLA.Respond.Due != "2026-11-22T16:00:00+08:00" || js[0].SLA.Respond.At != nil || js[0].Body != nil {
		t.Errorf("desk ticket list --json: the first ticket is %+v, %+v", js[0], js[0].SLA.Respond)
	}
	if !strings.HasPrefix(out, "[\n  {\n") || strings.Contains(out, `"body"`) {
		t.Errorf("desk ticket list --json is not an indented array of tickets without body:\n%.200s", out)
	}
	out, _ = runDesk(t, plain, "-C", dir, "ticket", "list", "--json", "--status", "archived", "--priority", "medium")
	if out != "[]\n" {
		t.Errorf("desk ticket list --json with no match prints %q, want an empty array", out)
	}

	// On a terminal the SLA column is in colour, and only that.
	colour, _ := runDesk(t, onTerminal, "-C", dir, "ticket", "list", "--open")
	plainOut, _ := runDesk(t, plain, "-C", dir, "ticket", "list", "--open")
	for _, want := range []string{"\x1b[31mbreached\x1b[0m", "\x1b[33mat_risk\x1b[0m"} {
		if !strings.Contains(colour, want) {
			t.Errorf("desk ticket list on a terminal lacks %q:\n%q", want, colour)
		}
	}
	if got := sgr.ReplaceAllString(colour, ""); got != plainOut {
		t.Errorf("without its colours, the terminal's text differs from the plain text:\n%s\n%s", got, plainOut)
	}
	t.Setenv("NO_COLOR", "1")
	if out, _ := runDesk(t, onTerminal, "-C", dir, "ticket", "list", "--open"); out != plainOut {
		t.Errorf("desk ticket list with NO_COLOR on a terminal:\n%q", out)
	}
	t.Setenv("NO_COLOR", "")

	for _, args := range [][]string{{"--status", "done"}, {"--priority", "urgent"}, {"--category", "plumbing"},
		{"--sort", "title"}, {"--limit", "-1"}, {"--since", "last week"}, {"extra"}, {"--colour"}} {
		wantExit(t, exitUsage, append([]string{"-C", dir, "ticket", "list"}, args...)...)
	}
	wantExit(t, exitEnv, "-C", t.TempDir(), "ticket", "list")
}

// TestSLA: desk sla lists the open tickets with a running or paused clock,
// the breached first, then by due time; LEFT is the time to the due time of
// the clock shown, negative once past.
func TestSLA(t *testing.T) {
	dir := exampleDesk(t)
	out, stderr := runDesk(t, plain, "-C", dir, "sla")
	want := []struct{ id, clock, state, due, left string }{
		{"TS-20261119-2", "resolve", "breached", "11-20 15:30", "-42h30m"},
		{"TS-20261120-1", "resolve", "breached", "11-20 20:10", "-37h50m"},
		{"TS-20261121-1", "respond", "breached", "11-21 22:40", "-11h20m"},
		{"TS-20261121-2", "respond", "at_risk", "11-22 16:00", "6h00m"},
		{"TS-20261116-1", "resolve", "paused", "11-23 03:30", "17h30m"},
		{"TS-20261118-1", "resolve", "at_risk", "11-23 14:20", "5bh20m"},
		{"TS-20261119-1", "resolve", "running", "11-24 10:10", "10bh10m"},
		{"TS-20261120-2", "resolve", "running", "11-25 11:00", "20bh"},
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1+len(want) || stderr != "" {
		t.Fatalf("desk sla: %d lines, want %d:\n%s%s", len(lines), 1+len(want), out, stderr)
	}
	if got := strings.Fields(lines[0]); !slices.Equal(got, []string{"ID", "STATUS", "PRIORITY", "CLOCK", "STATE", "DUE", "LEFT", "TITLE"}) {
		t.Errorf("desk sla: the heading is %q", got)
	}
	left := strings.Index(lines[0], "LEFT")
	for i, w := range want {
		f := strings.Fields(lines[i+1])
		if len(f) < 8 || f[0] != w.id || f[3] != w.clock || f[4] != w.state || f[5]+" "+f[6] != w.due || f[7] != w.left {
			t.Errorf("desk sla, row %d: %q, want %s %s %s %s %s", i+1, lines[i+1], w.id, w.clock, w.state, w.due, w.left)
		}
		if !strings.HasPrefix(lines[i+1][left:], w.left+" ") {
			t.Errorf("desk sla, row %d: LEFT is not in its column:\n%s\n%s", i+1, lines[0], lines[i+1])
		}
	}

	out, _ = runDesk(t, plain, "-C", dir, "sla", "--json")
	var js []TicketJSON
	if err := json.Unmarshal([]byte(out), &js); err != nil || len(js) != len(want) {
		t.Fatalf("desk sla --json: %v\n%s", err, out)
	}
	for i, w := range want {
		if js[i].ID != w.id {
			t.Errorf("desk sla --json, ticket %d is %s, want %s", i, js[i].ID, w.id)
		}
	}
	if k := js[0].SLA.Resolve; k == nil || k.State != "breached" || k.Target != "24h" || k.Due != "2026-11-20T15:30:00+08:00" {
		t.Errorf("desk sla --json: the resolution clock of %s is %+v", js[0].ID, k)
	}

	colour, _ := runDesk(t, onTerminal, "-C", dir, "sla")
	if strings.Count(colour, "\x1b[31mbreached\x1b[0m") != 3 || strings.Count(colour, "\x1b[33mat_risk\x1b[0m") != 2 {
		t.Errorf("desk sla on a terminal does not colour the breached red and the at risk yellow:\n%q", colour)
	}
	if got := sgr.ReplaceAllString(colour, ""); got != strings.Join(lines, "\n")+"\n" {
		t.Errorf("without its colours, the terminal's text differs from the plain text:\n%s\n%s", got, strings.Join(lines, "\n"))
	}

	// Nothing open: the heading alone.
	if out, _ := runDesk(t, plain, "-C", newDesk(t), "sla"); strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "ID ") {
		t.Errorf("desk sla with no ticket:\n%s", out)
	}
	wantExit(t, exitUsage, "-C", dir, "sla", "extra")
	wantExit(t, exitEnv, "-C", t.TempDir(), "sla")
}

// TestDeskNow runs Main, which reads the clock from DESK_NOW: SLA states and
// the time left follow it, and a DESK_NOW that is not a time is exit 2.
func TestDeskNow(t *testing.T) {
	dir := exampleDesk(t)
	run := func(now string, args ...string) (string, string, int) {
		t.Helper()
		t.Setenv("DESK_NOW", now)
		var out, errw bytes.Buffer
		code := Main(append([]string{"-C", dir}, args...), strings.NewReader(""), &out, &errw)
		return out.String(), errw.String(), code
	}
	// At the test's clock, as deskTo sets it.
	if out, _, code := run("2026-11-22T10:00:00+08:00", "ticket", "list", "--open", "--breached"); code != exitOK ||
		!slices.Equal(ids(out), []string{"TS-20261121-1", "TS-20261120-1", "TS-20261119-2"}) {
		t.Errorf("DESK_NOW at the test's clock: exit %d\n%s", code, out)
	}
	// Three days later every open ticket that is not paused is breached.
	out, _, code := run("2026-11-25T04:00:00Z", "ticket", "list", "--open", "--breached")
	if want := []string{"TS-20261121-1", "TS-20261121-2", "TS-20261120-1", "TS-20261120-2", "TS-20261119-2", "TS-20261119-1", "TS-20261118-1"}; code != exitOK || !slices.Equal(ids(out), want) {
		t.Errorf("DESK_NOW three days later: exit %d, %q, want %q", code, ids(out), want)
	}
	// Two hours later, two hours less are left.
	out, _, _ = run("2026-11-22T12:00:00+08:00", "sla")
	if !strings.Contains(out, "TS-20261121-2  new          low       respond  at_risk   11-22 16:00  4h00m ") ||
		!strings.Contains(out, "TS-20261119-2  in_progress  medium    resolve  breached  11-20 15:30  -44h30m ") {
		t.Errorf("desk sla with DESK_NOW two hours later:\n%s", out)
	}
	out, stderr, code := run("2026-11-22 10:00", "ticket", "list")
	if code != exitUsage || out != "" || !strings.HasPrefix(stderr, `desk: DESK_NOW="2026-11-22 10:00" is not a time: use RFC 3339 with a zone`) {
		t.Errorf("a DESK_NOW that is not a time: exit %d, %q, %q", code, out, stderr)
	}
}
