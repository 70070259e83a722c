package ticket

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		path string
	}{
		{"TS-20261122-1", true, "tickets/2026/11/TS-20261122-1.md"},
		{"IT2-20260101-42", true, "tickets/2026/01/IT2-20260101-42.md"},
		{"TS-20261122-0", false, ""},
		{"TS-20261122-01", false, ""},
		{"TS-20260230-1", false, ""},
		{"ts-20261122-1", false, ""},
		{"TS-20261122-1/../../x", false, ""},
		{"../etc/passwd", false, ""},
		{"", false, ""},
	} {
		id, err := ParseID(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseID(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if !tc.ok {
			if !errors.Is(err, ErrBadID) {
				t.Errorf("ParseID(%q) error %v is not ErrBadID", tc.in, err)
			}
			continue
		}
		if id.String() != tc.in || id.Path() != tc.path {
			t.Errorf("ParseID(%q) = %s at %s", tc.in, id, id.Path())
		}
	}
}

func TestNextID(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	// 2026-11-22T17:30Z is already the 23rd in Shanghai.
	at := time.Date(2026, 11, 22, 17, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		names []string
		want  string
	}{
		{"first of the day in the configured zone", nil, "TS-20261123-1"},
		{"after the highest, other days ignored", []string{"TS-20261123-1.md", "TS-20261123-3.md", "TS-20261122-9.md", ".gitkeep"}, "TS-20261123-4"},
		{"a gap is not reused", []string{"TS-20261123-2.md"}, "TS-20261123-3"},
		{"other prefixes ignored", []string{"IT-20261123-5.md"}, "TS-20261123-1"},
	} {
		if got := NextID("TS", at, sh, tc.names).String(); got != tc.want {
			t.Errorf("%s: NextID = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSectionEmpty(t *testing.T) {
	for in, want := range map[string]bool{
		"":                         true,
		"  \n\t":                   true,
		"<!-- fill me -->":         true,
		"<!-- a -->\n<!-- b -->\n": true,
		"<!-- a --> text":          false,
		"Battery replaced.":        false,
		"<!-- never closed":        true,
		"电池已更换。":                   false,
	} {
		if got := SectionEmpty(in); got != want {
			t.Errorf("SectionEmpty(%q) = %v, want %v", in, got, want)
		}
	}
}

const sample = `+++
id = "TS-20261122-1"
title = "Laptop"
status = "new"
created = 2026-11-22T09:14:00+08:00

[[events]]
at = 2026-11-22T09:14:00+08:00
by = "a@example.com"
action = "create"
to = "new"
+++

## Description

LED off.

## Analysis

<!-- why -->

## Handling record

` + "```" + `
## Resolution (inside a code block)
` + "```" + `

## Resolution
`

func TestAppendToSection(t *testing.T) {
	for _, tc := range []struct {
		name, heading, text string
		want                []string // substrings in order
	}{
		{"after existing text", "Description", "Since 8:00.", []string{"## Description\n\nLED off.\n\nSince 8:00.\n\n## Analysis"}},
		{"keeps a template comment", "Analysis", "Battery.", []string{"<!-- why -->\n\nBattery.\n\n## Handling record"}},
		{"skips headings in code", "Resolution", "Replaced.", []string{"(inside a code block)\n```\n\n## Resolution\n\nReplaced.\n"}},
		{"creates a missing section", "故障总结", "无。", []string{"## Resolution\n\n## 故障总结\n\n无。\n"}},
	} {
		f, err := Parse("x.md", []byte(sample))
		if err != nil {
			t.Fatal(err)
		}
		f.AppendToSection(tc.heading, tc.text)
		got := string(f.Doc.Body())
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: body\n%s\ndoes not contain\n%s", tc.name, got, w)
			}
		}
		if err := f.Reparse(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if text, _ := f.Section(tc.heading); !strings.Contains(text, tc.text) {
			t.Errorf("%s: Section(%q) = %q", tc.name, tc.heading, text)
		}
	}
}

func TestAppendEventKeepsEverythingElse(t *testing.T) {
	in := strings.Replace(sample, "status = \"new\"\n", "status = \"new\"\nx_custom = \"kept\" # a comment\n", 1)
	f, err := Parse("x.md", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("", 8*3600))
	f.AppendEvent(Event{At: at, By: "b@example.com", Action: "transition", From: "new", To: "triaged", Note: "分类：硬件"})
	if err := f.Reparse(); err != nil {
		t.Fatal(err)
	}
	out := string(f.Doc.Bytes())
	if !strings.Contains(out, "x_custom = \"kept\" # a comment\n") {
		t.Errorf("unknown key or comment lost:\n%s", out)
	}
	if f.Ticket.Status != "triaged" || len(f.Ticket.Events) != 2 || f.Ticket.Events[1].Note != "分类：硬件" {
		t.Errorf("ticket after append: %+v", f.Ticket)
	}
	if !strings.HasSuffix(out, string(f.Doc.Body())) || !strings.Contains(out, "+++\n\n## Description\n\nLED off.") {
		t.Errorf("body changed:\n%s", out)
	}
}
