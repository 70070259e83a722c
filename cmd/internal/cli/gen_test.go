package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenExits: desk gen's errors map to CLI.md's statuses: a missing or
// wrong --out, or a SOURCE_DATE_EPOCH that is not a number, is usage (2); a
// folder that cannot be made is the environment (3).
func TestGenExits(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"man", "completions"} {
		wantExit(t, exitUsage, "gen", sub)
		wantExit(t, exitUsage, "gen", sub, "--out", file)
		wantExit(t, exitUsage, "gen", sub, "--out", dir, "extra")
		wantExit(t, exitEnv, "gen", sub, "--out", filepath.Join(file, "sub"))
	}
	wantExit(t, exitUsage, "gen", "docs")
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	wantExit(t, exitUsage, "gen", "man", "--out", dir)
}

// TestGenManVersionAndDate: the pages carry the version desk reports and the
// month of SOURCE_DATE_EPOCH, in UTC whatever the zone.
func TestGenManVersionAndDate(t *testing.T) {
	defer func(v string) { buildVersion = v }(buildVersion)
	buildVersion = "v1.2.3"
	t.Setenv("SOURCE_DATE_EPOCH", "1764547199") // 2025-11-30T23:59:59Z
	t.Setenv("TZ", "Asia/Shanghai")
	dir := t.TempDir()
	out, _ := runDesk(t, plain, "gen", "man", "--out", dir)
	if !strings.HasPrefix(out, "wrote ") {
		t.Errorf("gen man said %q", out)
	}
	page, err := os.ReadFile(filepath.Join(dir, "desk-ticket-new.1"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `.TH "DESK-TICKET-NEW" "1" "Nov 2025" "desk v1.2.3" "desk manual"`; !strings.Contains(string(page), want) {
		t.Errorf("page header: want %s in\n%.300s", want, page)
	}
	for i, c := range page {
		if c >= 0x80 {
			t.Fatalf("byte %d of the page is not ASCII: %q", i, page[max(0, i-20):min(len(page), i+20)])
		}
	}
	if !strings.Contains(string(page), `\[u6253]\[u5370]\[u673A]`) { // 打印机 in an example
		t.Errorf("the page lost its Chinese example")
	}
	if v, _ := runDesk(t, plain, "version"); v != "desk v1.2.3\n" {
		t.Errorf("desk version with buildVersion set: %q", v)
	}
}
