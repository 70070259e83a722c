package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/check"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
)

var until = time.Date(2026, 11, 22, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// fakeCorpus writes a small corpus whose names exercise slug derivation.
func fakeCorpus(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"kb-zh/error-codes.md":   "错误码与故障诊断",
		"kb-zh/ai--index.md":     "AI 索引",
		"kb-en/common-ping.md":   "Send ICMP ECHO_REQUEST packets to network hosts.",
		"kb-en/common.md":        "Common commands.",
		"kb-en/common-.md":       "Expand to a directory.",
		"kb-en/Foo_Bar.md":       "Mixed case.",
		"kb-en/common-curl.md":   "Transfers data from or to a server.",
		"kb-en/linux-nmcli.md":   "Manage the NetworkManager.",
		"kb-en/common-lpstat.md": "Display status information about printers.",
	}
	for name, summary := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data := "+++\ntitle = \"" + strings.TrimSuffix(filepath.Base(name), ".md") + "\"\nstatus = \"published\"\ncategory = \"common\"\n" +
			"tags = [\"cli\"]\nowner = \"docs\"\ncreated = 2026-01-05T10:00:00Z\nsummary = \"" + summary + "\"\nsource = \"test\"\n+++\n\n> " + summary + "\n"
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// deskCheck opens a generated repository and runs desk check on it as of until. Every
// error is a test error; maxErrors > 0 stops after that many. It returns the
// repository, its ticket records and the result.
func deskCheck(t *testing.T, dir string, maxErrors int) (*repo.Repo, []*records.Record, check.Result) {
	t.Helper()
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := check.Run(ctx, r, check.Options{Now: until})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range res.Findings {
		if f.Severity != check.Error {
			continue
		}
		if n++; maxErrors > 0 && n > maxErrors {
			t.Fatalf("… %d errors in all", res.Summary.Errors)
		}
		t.Errorf("%s:%d:%d: %s: %s", f.Path, f.Line, f.Column, f.Rule, f.Message)
	}
	recs, err := r.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if rec.Err != nil {
			t.Errorf("%s: %v", rec.Path, rec.Err)
		}
	}
	return r, recs, res
}

func generate(t *testing.T, n, history int, corpus string) (string, result) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	res, err := run(options{n: n, out: dir, corpus: corpus, seed: 1, until: until, history: history})
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

func TestGenerate(t *testing.T) {
	corpus := fakeCorpus(t)
	dir, res := generate(t, 300, 1, corpus)

	if s := gitOut(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("git status not clean:\n%s", s)
	}
	if s := gitOut(t, dir, "fsck", "--strict", "--no-progress"); strings.TrimSpace(s) != "" {
		t.Errorf("git fsck:\n%s", s)
	}
	files := strings.Fields(gitOut(t, dir, "ls-files"))
	if want := 300 + 9 + 2; len(files) != want || res.tickets != 300 || res.articles != 9 {
		t.Errorf("%d files, %d tickets, %d articles; want %d files, 300 tickets, 9 articles", len(files), res.tickets, res.articles, want)
	}
	for _, want := range []string{"desk.toml", ".gitattributes", "kb/common.md", "kb/common-2.md", "kb/ai-index.md", "kb/foo-bar.md", "kb/error-codes.md"} {
		if !contains(files, want) {
			t.Errorf("no %s in %v", want, files[:12])
		}
	}
	if log := gitOut(t, dir, "log", "--format=%an <%ae>|%cn <%ce>"); strings.TrimSpace(log) != "Desk Loadgen <loadgen@example.com>|Desk Loadgen <loadgen@example.com>" {
		t.Errorf("commits: %q", log)
	}

	data, err := os.ReadFile(filepath.Join(dir, config.File))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != config.DefaultText("TS", "Asia/Shanghai", "en") {
		t.Error("desk.toml is not what desk init writes")
	}

	r, recs, chk := deskCheck(t, dir, 0)
	if len(recs) != 300 || chk.Summary.Files != 300+9 {
		t.Fatalf("desk read %d tickets, desk check %d files", len(recs), chk.Summary.Files)
	}
	warnings := map[string]int{}
	for _, f := range chk.Findings {
		if f.Severity == check.Warning {
			warnings[f.Rule]++
		}
	}
	t.Logf("desk check at %v: %d warnings %v", until, chk.Summary.Warnings, warnings)

	// The mix a benchmark relies on.
	status := map[string]int{}
	var zh, kb, major, feedback, closed, breach, parts int
	months := map[string]bool{}
	size := 0
	for _, rec := range recs {
		tk := &rec.Ticket
		status[tk.Status]++
		months[rec.Path[:len("tickets/2026/11")]] = true
		if strings.ContainsAny(tk.Title, "电脑打印机邮箱软件申请咨询投诉网络系统无法") {
			zh++
		}
		if len(tk.KB) > 0 {
			kb++
		}
		if tk.Major {
			major++
		}
		if tk.Status == "closed" || tk.Status == "archived" {
			closed++
			if tk.Feedback != nil && tk.Feedback.Rating != "" {
				feedback++
			}
		}
		if tk.SLA.BreachReason != "" {
			breach++
		}
		if len(tk.Parts) > 0 {
			parts++
		}
		if n := len(tk.Events); n < 1 || n > 10 {
			t.Errorf("%s: %d events", tk.ID, n)
		}
		f, err := r.ReadTicket(rec.Path)
		if err != nil {
			t.Fatal(err)
		}
		size += len(f.Doc.Body())
	}
	open := 300 - closed - status["resolved"]
	if open != res.open {
		t.Errorf("%d open tickets, %d reported", open, res.open)
	}
	t.Logf("statuses %v; %d months; zh %d; kb %d; major %d; breach %d; parts %d; body %d B on average",
		status, len(months), zh, kb, major, breach, parts, size/300)
	if open < 6 || open > 45 {
		t.Errorf("%d open tickets", open)
	}
	if closed < 240 || feedback != closed {
		t.Errorf("%d closed or archived, %d with feedback", closed, feedback)
	}
	if len(status) < 5 || len(months) < 20 || zh < 90 || zh > 210 || kb == 0 || breach == 0 || parts == 0 {
		t.Error("the mix of tickets is off")
	}
	if avg := size / 300; avg < 500 || avg > 3000 {
		t.Errorf("bodies average %d bytes", avg)
	}
}

func TestDeterministic(t *testing.T) {
	a, _ := generate(t, 120, 1, "")
	b, _ := generate(t, 120, 1, "")
	if ha, hb := gitOut(t, a, "rev-parse", "HEAD"), gitOut(t, b, "rev-parse", "HEAD"); ha != hb {
		t.Errorf("two runs with one seed: %s and %s", ha, hb)
	}
}

func TestHistory(t *testing.T) {
	dir, res := generate(t, 200, 4, "")
	if res.commits != 4 {
		t.Errorf("%d commits", res.commits)
	}
	dates := strings.Fields(gitOut(t, dir, "log", "--reverse", "--format=%ct"))
	if len(dates) != 4 || !(dates[0] <= dates[1] && dates[1] <= dates[2] && dates[2] <= dates[3]) {
		t.Errorf("commit times %v", dates)
	}
	if s := gitOut(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("git status not clean:\n%s", s)
	}
	if n := len(strings.Fields(gitOut(t, dir, "ls-files"))); n != 202 {
		t.Errorf("%d files", n)
	}
	if _, recs, _ := deskCheck(t, dir, 0); len(recs) != 200 {
		t.Errorf("desk read %d tickets", len(recs))
	}
}

func TestOutMustBeEmpty(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x"), nil, 0o644)
	if _, err := run(options{n: 1, out: dir, until: until, history: 1}); err == nil {
		t.Error("wrote into a folder that is not empty")
	}
}

func TestDeriveSlug(t *testing.T) {
	for in, want := range map[string]string{"common-": "common", "ai--index": "ai-index", "Foo_Bar": "foo-bar", "~": "article", "x.y.z": "x-y-z"} {
		if got := deriveSlug(in); got != want || !kb.ValidSlug(got) {
			t.Errorf("deriveSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCheckExisting checks a repository generated earlier:
// LOADGEN_CHECK=/tmp/loadgen-100k go test -run CheckExisting ./examples/loadgen
func TestCheckExisting(t *testing.T) {
	dir := os.Getenv("LOADGEN_CHECK")
	if dir == "" {
		t.Skip("LOADGEN_CHECK not set")
	}
	start := time.Now()
	r, recs, chk := deskCheck(t, dir, 50)
	status, states := map[string]int{}, map[string]int{}
	breach, major := 0, 0
	for _, rec := range recs {
		tk := &rec.Ticket
		status[tk.Status]++
		if c := r.Config.Clocks(tk, until); c.Respond != nil && c.Resolve != nil && c.Resolve.At == nil {
			states["respond "+string(c.Respond.State)]++
			states["resolve "+string(c.Resolve.State)]++
		}
		if tk.SLA.BreachReason != "" {
			breach++
		}
		if tk.Major {
			major++
		}
	}
	t.Logf("%d tickets %v, %d with breach_reason, %d major; %d files, %d warnings; checked in %v",
		len(recs), status, breach, major, chk.Summary.Files, chk.Summary.Warnings, time.Since(start))
	t.Logf("SLA of open tickets at %v: %v", until, states)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestVocab: the parallel lists line up and every placeholder can be filled.
func TestVocab(t *testing.T) {
	for _, ph := range []*phrases{&zh, &en} {
		if len(ph.pending) != len(ph.resume) || len(ph.feedback) != len(channels) || len(ph.descHead) != len(channels) {
			t.Error("pending/resume, feedback or descHead do not line up")
		}
	}
	for i, sc := range scenarios {
		if categoryWeight[sc.cat] == 0 || sc.tags == "" || sc.dev == "" {
			t.Errorf("scenario %d: category, tags or devices missing", i)
		}
		for _, tx := range []text{sc.zh, sc.en} {
			for _, f := range []string{tx.title, tx.symptom, tx.analysis, tx.steps, tx.resolution} {
				if f == "" || strings.Contains(f, "||") {
					t.Errorf("scenario %d (%s): an empty list or item", i, sc.cat)
				}
				if sc.codes == "" && strings.Contains(f, "{code}") {
					t.Errorf("scenario %d (%s): {code} without codes", i, sc.cat)
				}
			}
			if len(split(tx.steps)) < 3 {
				t.Errorf("scenario %d (%s): fewer than three steps", i, sc.cat)
			}
		}
	}
}
