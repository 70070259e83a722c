package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIntake: an mbox of a request and its reply is one ticket with a mail
// event, in one commit, and --json says so; the same mbox again is
// skipped; bad sources and forms are usage errors.
func TestIntake(t *testing.T) {
	dir := newDesk(t)
	mbox := filepath.Join(t.TempDir(), "inbox.mbox")
	os.WriteFile(mbox, []byte("From a@example.com Sun Nov 22 09:00:00 2026\n"+
		"From: Li Na <li.na@example.com>\nSubject: VPN down\nDate: Sun, 22 Nov 2026 09:00:00 +0800\nMessage-ID: <m1@example.com>\n\nThe VPN is down.\n>From the office.\n\n"+
		"From a@example.com Sun Nov 22 09:30:00 2026\n"+
		"From: Li Na <li.na@example.com>\nSubject: Re: VPN down\nDate: Sun, 22 Nov 2026 09:30:00 +0800\nMessage-ID: <m2@example.com>\nIn-Reply-To: <m1@example.com>\n\nStill down.\n"), 0o644)
	out, stderr := deskOK(t, "-C", dir, "intake", mbox, "--json")
	var js IntakeJSON
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(js.Created) != 1 || len(js.Appended) != 1 || js.Created[0].Ticket != "TS-20261122-1" || js.Appended[0].Ticket != "TS-20261122-1" ||
		js.Created[0].Source != mbox+"#1" || len(js.Commits) != 1 || !strings.Contains(stderr, "took in 1 new, 1 replies") {
		t.Fatalf("intake: %+v\n%s", js, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "tickets/2026/11/TS-20261122-1.md"))
	if !strings.Contains(string(data), "From the office.") || strings.Contains(string(data), ">From the office.") {
		t.Errorf("mbox quoting: %s", data)
	}
	if log := gitLog(t, dir); len(log) != 2 || log[0] != "intake: 1 new, 1 appended" {
		t.Errorf("git log %q", log)
	}
	_, stderr = deskOK(t, "-C", dir, "intake", mbox)
	if !strings.Contains(stderr, "took in 0 new, 0 replies; 2 skipped") || len(gitLog(t, dir)) != 2 {
		t.Errorf("second run: %s", stderr)
	}
	// --each: one commit per message.
	dir2 := newDesk(t)
	deskOK(t, "-C", dir2, "intake", "--each", mbox)
	if log := gitLog(t, dir2); len(log) != 3 || log[0] != "intake: 0 new, 1 appended" || log[1] != "intake: 1 new, 0 appended" {
		t.Errorf("--each: git log %q", log)
	}
	wantExit(t, exitUsage, "-C", dir, "intake")
	wantExit(t, exitEnv, "-C", dir, "intake", filepath.Join(dir, "no-such.mbox"))
	notMbox := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notMbox, []byte("hello\n"), 0o644)
	wantExit(t, exitEnv, "-C", dir, "intake", notMbox)
	wantExit(t, exitUsage, "-C", dir, "intake", "--form", notMbox)
	wantExit(t, exitUsage, "-C", dir, "intake", "--form", "-", mbox)
}
