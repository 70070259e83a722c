package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEscalate: without rules desk escalate says so and does nothing; with
// one, --dry-run prints the tickets and writes nothing, --format json is
// the documented shape, and the run is one commit; bad flags exit 2.
func TestEscalate(t *testing.T) {
	dir := exampleDesk(t)
	_, stderr := deskOK(t, "-C", dir, "escalate")
	if !strings.Contains(stderr, "no [[escalation]] rules; nothing to do") || len(gitLog(t, dir)) != 1 {
		t.Fatalf("without rules: %q, log %q", stderr, gitLog(t, dir))
	}
	f, err := os.OpenFile(filepath.Join(dir, "desk.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n[[escalation]]\nname = \"high breached\"\nwhen = \"breached\"\npriority = [\"high\"]\nassignee = \"duty.manager\"\n")
	f.Close()

	out, stderr := deskOK(t, "-C", dir, "escalate", "--dry-run")
	want := "TS-20261120-1: high breached — resolve clock breached, due 2026-11-20 20:10; assignee alice.wong → duty.manager\n" +
		"TS-20261121-1: high breached — respond clock breached, due 2026-11-21 22:40; assignee none → duty.manager\n"
	if out != want || !strings.Contains(stderr, "2 tickets would be escalated; nothing written") || len(gitLog(t, dir)) != 1 {
		t.Fatalf("dry run:\n%s%s\nwant\n%s", out, stderr, want)
	}

	out, _ = deskOK(t, "-C", dir, "escalate", "--format", "json")
	var js EscalateJSON
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(js.Escalated) != 2 || js.DryRun || len(js.Commit) != 40 || js.Escalated[0].Path != "tickets/2026/11/TS-20261120-1.md" ||
		js.Escalated[0].State != "breached" || js.Escalated[0].Due != "2026-11-20T20:10:00+08:00" || js.Escalated[1].Changes[0] != "assignee none → duty.manager" {
		t.Errorf("JSON: %+v", js)
	}
	if log := gitLog(t, dir); len(log) != 2 || log[0] != "escalate 2 tickets" {
		t.Errorf("git log %q", log)
	}

	wantExit(t, exitUsage, "-C", dir, "escalate", "--format", "sarif")
	wantExit(t, exitUsage, "-C", dir, "escalate", "--now", "tomorrow")
	wantExit(t, exitUsage, "-C", dir, "escalate", "extra")
}
