package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
)

// findings runs desk check over the files of a txtar archive in a new
// repository (desk init's configuration unless the archive has desk.toml)
// at TestRules' default now, and returns the findings with their messages.
func findings(t *testing.T, ar *txtar.Archive) []Finding {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	dir := t.TempDir()
	runGit(t, dir, nil, "init", "-q", "-b", "main")
	files := append([]txtar.File{{Name: "desk.toml", Data: []byte(config.DefaultText("TS", "Asia/Shanghai", "en"))}}, ar.Files...)
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), r, Options{Now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("", 8*3600))})
	if err != nil {
		t.Fatal(err)
	}
	checkRegistered(t, res.Findings)
	return res.Findings
}

// ticketText is a valid ticket in progress, with edits: pairs of old and new
// text.
func ticketText(edits ...string) string {
	s := `+++
id = "TS-20261120-1"
title = "Printer jam"
status = "in_progress"
created = 2026-11-20T09:00:00+08:00
channel = "phone"
category = "hardware"
priority = "low"
priority_reason = "One printer of several"
assignee = "li.si"

[requester]
name = "Li Na"
contact = "li.na@example.com"

[[events]]
at = 2026-11-20T09:00:00+08:00
by = "a@example.com"
action = "create"
to = "new"

[[events]]
at = 2026-11-20T09:10:00+08:00
by = "a@example.com"
action = "transition"
from = "new"
to = "triaged"

[[events]]
at = 2026-11-20T09:20:00+08:00
by = "a@example.com"
action = "transition"
from = "triaged"
to = "in_progress"
+++

## Description

Jams on every job.
`
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(s, edits[i]) {
			panic("ticketText: no " + edits[i])
		}
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	return s
}

const ticketPath = "tickets/2026/11/TS-20261120-1.md"

// want is one expected finding: where, which rule, and texts its message
// must hold and must not hold (a "-" prefix).
type want struct {
	path      string
	line, col int
	rule      string
	severity  Severity
	message   []string
}

func TestRuleMessages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []want
	}{
		{
			name: "unknown-field suggests the closest key",
			files: map[string]string{
				ticketPath: ticketText(
					"assignee = \"li.si\"\n", "assignee = \"li.si\"\ntag = [\"printer\"]\n",
					"contact = \"li.na@example.com\"\n", "contact = \"li.na@example.com\"\nphone = \"n/a\"\n",
					"to = \"in_progress\"\n", "to = \"in_progress\"\nactor = \"li.si\"\n"),
				"kb/printer-jam.md": "+++\ntitle = \"Printer jams\"\nstatus = \"draft\"\nsumary = \"Open the back cover.\"\n+++\n",
			},
			want: []want{
				{"kb/printer-jam.md", 4, 1, "unknown-field", Warning, []string{"sumary", "did you mean summary?"}},
				{ticketPath, 11, 1, "unknown-field", Warning, []string{"unknown key tag", "did you mean tags?"}},
				{ticketPath, 16, 1, "unknown-field", Warning, []string{"requester.phone", "the format does not have it"}},
				{ticketPath, 37, 1, "unknown-field", Warning, []string{"events[2].actor", "did you mean action?"}},
			},
		},
		{
			name: "unknown-field: quoted keys",
			files: map[string]string{
				ticketPath: ticketText("assignee = \"li.si\"\n", "assignee = \"li.si\"\n\"my key\" = 1\n'a.b' = 2\n"),
			},
			want: []want{
				{ticketPath, 11, 1, "unknown-field", Warning, []string{`unknown key "my key"`}},
				{ticketPath, 12, 1, "unknown-field", Warning, []string{`unknown key "a.b"`}},
			},
		},
		{
			name: "unknown-field: a misspelt table is one finding",
			files: map[string]string{
				ticketPath: ticketText("[requester]", "[requestor]"),
			},
			want: []want{
				{ticketPath, 12, 1, "unknown-field", Warning, []string{"unknown key requestor", "did you mean requester?"}},
				{ticketPath, 16, 1, "required-field", Error, []string{"requester.name is required once a ticket is new"}},
				{ticketPath, 16, 1, "required-field", Error, []string{"requester.contact"}},
			},
		},
		{
			name: "invalid-value: a time written as a word",
			files: map[string]string{
				ticketPath: ticketText("created = 2026-11-20T09:00:00+08:00", `created = "yesterday"`),
			},
			want: []want{
				{ticketPath, 5, 1, "invalid-value", Error, []string{`created = "yesterday"`, "2026-11-22T09:14:00+08:00", "-parsing time"}},
			},
		},
		{
			name: "invalid-value: a wrong type in the second of three events",
			files: map[string]string{
				ticketPath: ticketText("at = 2026-11-20T09:10:00+08:00\nby = \"a@example.com\"", "at = 2026-11-20T09:10:00+08:00\nby = 7"),
			},
			want: []want{
				{ticketPath, 24, 1, "invalid-value", Error, []string{"events[1].by = 7", "a string"}},
			},
		},
		{
			name: "invalid-value: a wrong type inside an inline table",
			files: map[string]string{
				ticketPath: ticketText("[requester]\nname = \"Li Na\"\ncontact = \"li.na@example.com\"\n",
					"requester = { name = \"Li Na\", contact = 13812345678 }\n"),
			},
			want: []want{
				{ticketPath, 12, 31, "invalid-value", Error, []string{"requester.contact = 13812345678", "a string"}},
			},
		},
		{
			name: "invalid-value: allowed values are listed",
			files: map[string]string{
				ticketPath: ticketText(`category = "hardware"`, `category = "printer"`),
			},
			want: []want{
				{ticketPath, 7, 1, "invalid-value", Error, []string{`category "printer"`, "hardware, software, question, request, complaint, other"}},
			},
		},
		{
			name: "parse: a binary file and invalid UTF-8",
			files: map[string]string{
				ticketPath:                         "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
				"tickets/2026/11/TS-20261120-2.md": ticketText("TS-20261120-1", "TS-20261120-2", "Printer jam", "Printer\xc3 jam"),
			},
			want: []want{
				{ticketPath, 3, 1, "parse", Error, []string{"NUL byte"}},
				{"tickets/2026/11/TS-20261120-2.md", 3, 17, "parse", Error, []string{"invalid UTF-8"}},
			},
		},
		{
			name: "id-format names the right file",
			files: map[string]string{
				"tickets/2026/10/TS-20261120-1.md": ticketText(),
				"kb/Bad_Name.md":                   "+++\ntitle = \"Bad\"\nstatus = \"draft\"\n+++\n",
			},
			want: []want{
				{"kb/Bad_Name.md", 1, 1, "id-format", Error, []string{"kb/bad-name.md"}},
				{"tickets/2026/10/TS-20261120-1.md", 2, 1, "id-format", Error, []string{"tickets/2026/11/TS-20261120-1.md"}},
			},
		},
		{
			name: "id-format: a day that does not exist",
			files: map[string]string{
				"tickets/2026/11/TS-20261131-1.md": ticketText("TS-20261120-1", "TS-20261131-1"),
			},
			want: []want{
				{"tickets/2026/11/TS-20261131-1.md", 2, 1, "id-format", Error, []string{"20261131 is not a date"}},
			},
		},
		{
			name: "required-field names a section by its heading",
			files: map[string]string{
				ticketPath: ticketText("status = \"in_progress\"", "status = \"resolved\"",
					"to = \"in_progress\"\n", "to = \"in_progress\"\n\n[[events]]\nat = 2026-11-20T09:30:00+08:00\nby = \"a@example.com\"\naction = \"transition\"\nfrom = \"in_progress\"\nto = \"resolved\"\n",
					"Jams on every job.\n", "Jams on every job.\n\n## Handling record\n\nCleaned the roller.\n"),
			},
			want: []want{
				{ticketPath, 36, 1, "required-field", Error, []string{"the section ## Resolution (resolution)", "resolved"}},
			},
		},
		{
			name: "personal-data in an article in review",
			files: map[string]string{
				"kb/printer-jam.md": "+++\ntitle = \"Printer jams\"\nstatus = \"review\"\n+++\n\nCall 13812345678.\n",
			},
			want: []want{
				{"kb/printer-jam.md", 6, 6, "personal-data", Error, []string{"in an article that is in review"}},
			},
		},
		{
			name: "personal data is never repeated in a message",
			files: map[string]string{
				ticketPath:          ticketText(),
				"kb/printer-jam.md": "+++\ntitle = \"Printer jams\"\nstatus = \"published\"\ntickets = [\"TS-20261120-1\"]\n+++\n\nAsk Li Na, zhang.san@corp.cn, 13812345678 or 11010519491231002X.\n",
			},
			want: []want{
				{"kb/printer-jam.md", 7, 5, "personal-data", Error, []string{"requester", "-Li Na"}},
				{"kb/printer-jam.md", 7, 12, "personal-data", Error, []string{"e-mail", "-zhang.san@corp.cn"}},
				{"kb/printer-jam.md", 7, 31, "personal-data", Error, []string{"phone", "-13812345678"}},
				{"kb/printer-jam.md", 7, 46, "personal-data", Error, []string{"national ID", "-11010519491231002X"}},
			},
		},
		{
			name: "check_ignore without a reason",
			files: map[string]string{
				ticketPath: ticketText("assignee = \"li.si\"\n", "assignee = \"li.si\"\ncheck_ignore = [\"kb-link\"]\n"),
			},
			want: []want{
				{ticketPath, 11, 1, "required-field", Error, []string{"check_ignore_reason", "kb-link"}},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ar := &txtar.Archive{}
			for name, data := range tc.files {
				ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(data)})
			}
			got := findings(t, ar)
			if len(got) != len(tc.want) {
				t.Errorf("got %d findings, want %d", len(got), len(tc.want))
			}
			for i, f := range got {
				t.Logf("%s:%d:%d: %s: %s (%s)", f.Path, f.Line, f.Column, f.Severity, f.Message, f.Rule)
				if i >= len(tc.want) {
					continue
				}
				w := tc.want[i]
				if f.Path != w.path || f.Line != w.line || f.Column != w.col || f.Rule != w.rule || f.Severity != w.severity {
					t.Errorf("finding %d is %s:%d:%d %s %s, want %s:%d:%d %s %s", i, f.Path, f.Line, f.Column, f.Severity, f.Rule, w.path, w.line, w.col, w.severity, w.rule)
				}
				for _, m := range w.message {
					if no, ok := strings.CutPrefix(m, "-"); ok {
						if strings.Contains(f.Message, no) {
							t.Errorf("finding %d: message %q holds %q", i, f.Message, no)
						}
					} else if !strings.Contains(f.Message, m) {
						t.Errorf("finding %d: message %q does not hold %q", i, f.Message, m)
					}
				}
			}
		})
	}
}

// TestEveryBrokenFileReported: a repository with hundreds of broken files of
// different kinds reports every one of them.
func TestEveryBrokenFileReported(t *testing.T) {
	kinds := []struct {
		rule string
		text func(id string) string
	}{
		{"parse", func(string) string { return "no front matter\n" }},
		{"parse", func(id string) string { return ticketText("TS-20261120-1", id, `priority = "low"`, "priority = low") }},
		{"invalid-value", func(id string) string {
			return ticketText("TS-20261120-1", id, "created = 2026-11-20T09:00:00+08:00", `created = "yesterday"`)
		}},
		{"status-mismatch", func(id string) string {
			return ticketText("TS-20261120-1", id, `status = "in_progress"`, `status = "pending"`)
		}},
		{"unknown-field", func(id string) string {
			return ticketText("TS-20261120-1", id, "assignee = \"li.si\"\n", "assignee = \"li.si\"\nasignee = \"x\"\n")
		}},
	}
	const n = 300
	ar := &txtar.Archive{}
	want := map[string]int{}
	for i := range n {
		id := fmt.Sprintf("TS-20261120-%d", i+1)
		k := kinds[i%len(kinds)]
		ar.Files = append(ar.Files, txtar.File{Name: "tickets/2026/11/" + id + ".md", Data: []byte(k.text(id))})
		want[k.rule]++
	}
	for i := range 20 {
		ar.Files = append(ar.Files, txtar.File{Name: fmt.Sprintf("kb/broken-%d.md", i), Data: []byte("+++\ntitle = \"x\"\n")})
		want["parse"]++
	}
	got := map[string]int{}
	seen := map[string]bool{}
	for _, f := range findings(t, ar) {
		got[f.Rule]++
		seen[f.Path] = true
	}
	if len(seen) != n+20 {
		t.Errorf("findings in %d files, want %d", len(seen), n+20)
	}
	for rule, w := range want {
		if got[rule] != w {
			t.Errorf("%s: %d findings, want %d", rule, got[rule], w)
		}
	}
}
