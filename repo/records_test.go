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

// A filtered run on a new clone parses only the tickets it selects: the
// rest are cached by their head. A run that needs them reads them in full,
// and a ticket reopened in place since is seen.
func TestRecordsHeadOnly(t *testing.T) {
	r := newTestRepo(t)
	var paths []string
	for i, status := range []string{"new", "closed", "closed", "in_progress"} {
		p := writeTicket(t, r, fmt.Sprintf("TS-20261122-%d", i+1), fmt.Sprintf("工单 %d", i+1))
		data, _ := os.ReadFile(r.Abs(p))
		os.WriteFile(r.Abs(p), []byte(strings.Replace(string(data), `status = "new"`, `status = "`+status+`"`, 1)), 0o644)
		age(t, r, p)
		paths = append(paths, p)
	}
	open := func(h *records.Head) bool { return h.Status != "closed" }
	ids := func(recs []*records.Record) (s []string) {
		for _, rec := range recs {
			if rec.Err != nil {
				t.Fatalf("%s: %v", rec.Path, rec.Err)
			}
			s = append(s, rec.Ticket.ID+":"+rec.Ticket.Title)
		}
		return s
	}
	headOnly := func() (n int) {
		c := records.Open(r.cachePath(), configStamp(r.Config))
		defer c.Close()
		for _, e := range c.Entries {
			if e.HeadOnly {
				n++
				if e.Head.Status != "closed" || e.Body != "" {
					t.Errorf("head-only entry %+v", e)
				}
			}
		}
		return n
	}
	ctx := context.Background()
	recs, err := r.RecordsWhere(ctx, open)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ids(recs), " "); got != "TS-20261122-1:工单 1 TS-20261122-4:工单 4" {
		t.Fatalf("open: %s", got)
	}
	if r.Stats.Parsed != 4 || headOnly() != 2 {
		t.Fatalf("first run: %+v, %d head-only entries, want 2", r.Stats, headOnly())
	}
	// Again: all from the cache.
	if recs, _ = r.RecordsWhere(ctx, open); len(recs) != 2 || r.Stats.Parsed != 0 {
		t.Fatalf("second run: %d records, %+v", len(recs), r.Stats)
	}
	// A closed ticket reopened in place, as an editor that does not rename
	// writes it.
	data, _ := os.ReadFile(r.Abs(paths[2]))
	f, err := os.OpenFile(r.Abs(paths[2]), os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(strings.Replace(string(data), `status = "closed"`, `status = "in_progress"`, 1)))
	f.Close()
	age(t, r, paths[2])
	if recs, _ = r.RecordsWhere(ctx, open); strings.Join(ids(recs), " ") != "TS-20261122-1:工单 1 TS-20261122-3:工单 3 TS-20261122-4:工单 4" {
		t.Fatalf("after reopening: %v", ids(recs))
	}
	// Every record: the head-only one is read in full, and cached so.
	if recs, _ = r.Records(ctx); len(ids(recs)) != 4 || r.Stats.Parsed != 1 || headOnly() != 0 {
		t.Fatalf("all: %v, %+v, %d head-only", ids(recs), r.Stats, headOnly())
	}
	if recs[1].Ticket.Title != "工单 2" || recs[1].Ticket.Requester.Name != "张三" {
		t.Fatalf("a record read after its head: %+v", recs[1].Ticket)
	}
}
