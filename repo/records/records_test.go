package records

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/deskhq/desk/ticket"
)

func sample() *Record {
	at := time.Date(2026, 11, 22, 9, 14, 0, 0, time.FixedZone("", 8*3600))
	return &Record{
		Path: "tickets/2026/11/TS-20261122-1.md",
		Ticket: ticket.Ticket{
			ID: "TS-20261122-1", Title: "打印机卡纸 / printer jam", Status: "in_progress",
			Priority: "high", Category: "hardware", Assignee: "wang.wu", Created: at,
			Tags: []string{"printer", "打印机"}, DuplicateOf: "TS-20261121-3", Parent: "TS-20261120-1",
			Duplicates: []string{"TS-20261122-2"}, Children: []string{"TS-20261122-4"}, Related: []string{"TS-20261122-5", "TS-20261122-6"},
			Parts:     []ticket.Part{{Name: "DDR4", Qty: 2}},
			Requester: ticket.Requester{Name: "张三", Contact: "z@example.com"},
			Feedback:  &ticket.Feedback{Rating: "satisfied", ConfirmedAt: &at},
			Events: []ticket.Event{{At: at, By: "wang.wu", Action: "move", From: "new", To: "in_progress"},
				{At: at, By: "wang.wu", Action: "reply", Note: "on it", Public: true},
				{At: at, By: "z@example.com", Action: "mail", Note: "thanks", MessageID: "a1@corp.example.cn"}},
		},
		Sections: []Section{{Heading: "Description", Present: true}, {Heading: "Resolution", Empty: true}},
		Unknown:  []string{"events[0].actor"},
	}
}

// A record comes back from its encoding as it went in, whether it was a
// ticket or a file that did not parse.
func TestEncodeDecode(t *testing.T) {
	broken := &Record{Path: "tickets/2026/11/x.md", Err: &ticket.ParseError{Path: "tickets/2026/11/x.md", Line: 3, Col: 7, Msg: "bad"}}
	for _, want := range []*Record{sample(), broken} {
		var a Arena
		got, ok := Decode(a.Add(want), want.Path)
		if !ok {
			t.Fatalf("%s: damaged", want.Path)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
		}
	}
}

// A cache opens with what was written under the same stamp, and empty under
// another stamp, truncated at any length, or missing; entries changed within
// RacyWindow of the write are left out.
func TestWriteOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "records")
	now := time.Now()
	var a Arena
	rec := sample()
	old := Entry{Path: "a.md", Key: Key{Size: 10, Mtime: now.Add(-time.Hour).UnixNano(), Ino: 7}, Head: *HeadOf(rec), Body: a.Add(rec)}
	racy := Entry{Path: "b.md", Key: Key{Size: 10, Mtime: now.UnixNano()}, Body: a.Add(rec)}
	if err := Write(path, "stamp", []Entry{old, racy}, now); err != nil {
		t.Fatal(err)
	}
	c := Open(path, "stamp")
	if len(c.Entries) != 1 || c.Entries[0].Path != "a.md" || c.Entries[0].Key != old.Key || !reflect.DeepEqual(c.Entries[0].Head, old.Head) {
		t.Fatalf("entries: %+v", c.Entries)
	}
	if got, ok := Decode(c.Entries[0].Body, "a.md"); !ok || got.Ticket.Title != rec.Ticket.Title {
		t.Errorf("body: %+v %v", got, ok)
	}
	c.Close()
	if c := Open(path, "other headings"); len(c.Entries) != 0 {
		t.Errorf("another stamp opened %d entries", len(c.Entries))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(data) - 1 {
		os.WriteFile(path, data[:n], 0o644)
		if c := Open(path, "stamp"); len(c.Entries) != 0 {
			t.Fatalf("cache cut at %d of %d bytes opened %d entries", n, len(data), len(c.Entries))
		}
	}
	if c := Open(filepath.Join(t.TempDir(), "none"), "stamp"); len(c.Entries) != 0 {
		t.Error("a missing cache has entries")
	}
}
