package repo

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/repo/records"
)

// newTestRepo makes a desk repository in a temporary folder.
func newTestRepo(t *testing.T) *Repo {
	t.Helper()
	t.Setenv("GIT_AUTHOR_NAME", "Li Si")
	t.Setenv("GIT_AUTHOR_EMAIL", "li.si@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "Li Si")
	t.Setenv("GIT_COMMITTER_EMAIL", "li.si@example.com")
	r, err := Init(t.TempDir(), InitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func writeTicket(t *testing.T, r *Repo, id, title string) string {
	t.Helper()
	p := fmt.Sprintf("tickets/2026/11/%s.md", id)
	text := fmt.Sprintf(`+++
id = %q
title = %q
status = "new"
created = 2026-11-22T09:14:00+08:00
tags = ["a", "b"]

[requester]
name = "张三"
contact = "z@example.com"

[feedback]
rating = "satisfied"
confirmed_at = 2026-11-22T12:30:00+08:00

[[parts]]
name = "DDR4"
qty = 2

[[events]]
at = 2026-11-22T09:14:00+08:00
by = "w@example.com"
action = "create"
to = "new"
note = "登记"
+++

## Description

LED off.

## Resolution
`, id, title)
	if err := os.MkdirAll(filepath.Dir(r.Abs(p)), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(r.Abs(p), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// age moves a file's times into the past, so the cache trusts its stat data.
func age(t *testing.T, r *Repo, p string) {
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(r.Abs(p), old, old); err != nil {
		t.Fatal(err)
	}
}

func TestRecordCache(t *testing.T) {
	r := newTestRepo(t)
	ctx := context.Background()
	var paths []string
	for i := 1; i <= 5; i++ {
		p := writeTicket(t, r, fmt.Sprintf("TS-20261122-%d", i), fmt.Sprintf("ticket %d", i))
		age(t, r, p)
		paths = append(paths, p)
	}
	first, err := r.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats != (CacheStats{Files: 5, Parsed: 5}) {
		t.Fatalf("cold run: %+v", r.Stats)
	}
	second, err := r.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats != (CacheStats{Files: 5, Parsed: 0}) {
		t.Fatalf("warm run parsed files: %+v", r.Stats)
	}
	if normalise(first) != normalise(second) {
		t.Fatalf("cached records differ from parsed ones:\n%+v\n%+v", first[0], second[0])
	}
	if second[0].Ticket.Requester.Name != "张三" || second[0].Ticket.Parts[0].Qty != 2 ||
		second[0].Ticket.Feedback.ConfirmedAt == nil || second[0].Ticket.Events[0].Note != "登记" {
		t.Fatalf("cached record lost fields: %+v", second[0].Ticket)
	}
	if s := second[0].Section("Description"); !s.Present || s.Empty {
		t.Errorf("description section: %+v", s)
	}
	if s := second[0].Section("Resolution"); !s.Present || !s.Empty {
		t.Errorf("resolution section: %+v", s)
	}

	// One changed file is read again; the others are not.
	writeTicket(t, r, "TS-20261122-3", "changed title")
	third, err := r.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.Parsed != 1 || third[2].Ticket.Title != "changed title" {
		t.Fatalf("after one change: %+v, title %q", r.Stats, third[2].Ticket.Title)
	}
	// The racy file stays out of the cache until it is old enough.
	age(t, r, paths[2])
	r.Records(ctx)
	if _, err := r.Records(ctx); err != nil || r.Stats.Parsed != 0 {
		t.Fatalf("after aging: %+v %v", r.Stats, err)
	}

	// A broken file is a record with an error, cached like any other.
	os.WriteFile(r.Abs(paths[1]), []byte("+++\nid = = 1\n+++\n"), 0o644)
	age(t, r, paths[1])
	recs, _ := r.Records(ctx)
	if recs[1].Err == nil || recs[1].Err.Line != 2 {
		t.Fatalf("broken file: %+v", recs[1].Err)
	}
	recs, _ = r.Records(ctx)
	if recs[1].Err == nil || recs[1].Err.Line != 2 || r.Stats.Parsed != 0 {
		t.Fatalf("cached broken file: %+v %+v", recs[1].Err, r.Stats)
	}

	// A deleted file disappears; a corrupt cache is rebuilt, not misread.
	os.Remove(r.Abs(paths[4]))
	recs, _ = r.Records(ctx)
	if len(recs) != 4 {
		t.Fatalf("after delete: %d records", len(recs))
	}
	os.WriteFile(r.cachePath(), []byte("DESKREC\x07garbage"), 0o644) // the right magic, then nonsense
	recs, err = r.Records(ctx)
	if err != nil || len(recs) != 4 || r.Stats.Parsed != 4 {
		t.Fatalf("corrupt cache: %v %d %+v", err, len(recs), r.Stats)
	}
	// Truncated caches of every length are rejected without panicking.
	data, _ := os.ReadFile(r.cachePath())
	for n := 0; n < len(data); n += 7 {
		os.WriteFile(r.cachePath(), data[:n], 0o644)
		if recs, err := r.Records(ctx); err != nil || len(recs) != 4 {
			t.Fatalf("truncated cache at %d: %v", n, err)
		}
	}
}

func normalise(recs []*records.Record) string {
	var b strings.Builder
	for _, r := range recs {
		js, _ := json.Marshal(r.Ticket)
		fmt.Fprintf(&b, "%s %s %v %v\n", r.Path, js, r.Sections, r.Ticket.SLA)
	}
	return b.String()
}
