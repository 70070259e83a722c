package gitdb

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// synthIndex encodes an index of n entries like the benchmark repository's.
func synthIndex(n int, version uint32) []byte {
	ix := &indexFile{version: version}
	for i := range n {
		ix.entries = append(ix.entries, ix.newEntry(fmt.Sprintf("tickets/%03d/T-%06d.md", i%1000, i), modeRegular, plumbing.ZeroHash, statData{size: 40}))
	}
	ix.sortEntries(ix.entries)
	return ix.encode()
}

// BenchmarkIndexUpdate100k is the index part of an Update at 100k files:
// verify, parse, replace one entry, serialise with a new checksum.
func BenchmarkIndexUpdate100k(b *testing.B) {
	for _, v := range []uint32{2, 4} {
		data := synthIndex(100_000, v)
		b.Run(fmt.Sprintf("v%d", v), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for range b.N {
				ix, err := parseIndex(data)
				if err != nil {
					b.Fatal(err)
				}
				if err := ix.applyChanges([]idxChange{{path: "tickets/500/new.md"}}); err != nil {
					b.Fatal(err)
				}
				_ = ix.encode()
			}
		})
	}
}

func TestIndexRoundTrip(t *testing.T) {
	for _, v := range []uint32{2, 3, 4} {
		data := synthIndex(1000, v)
		ix, err := parseIndex(data)
		if err != nil {
			t.Fatal(err)
		}
		if got := ix.encode(); string(got) != string(data) {
			t.Errorf("v%d: re-encoding changed the index", v)
		}
		err = ix.applyChanges([]idxChange{
			{path: "tickets/000/T-000000.md", del: true},
			{path: "tickets/001/zz.md", blob: plumbing.NewHash("0123456789012345678901234567890123456789")},
			{path: "a.md"},
		})
		if err != nil {
			t.Fatal(err)
		}
		ix2, err := parseIndex(ix.encode())
		if err != nil {
			t.Fatal(err)
		}
		if len(ix2.entries) != 1001 || string(ix2.name(ix2.entries[0])) != "a.md" {
			t.Errorf("v%d: %d entries, first %s", v, len(ix2.entries), ix2.name(ix2.entries[0]))
		}
		for i := 1; i < len(ix2.entries); i++ {
			if string(ix2.name(ix2.entries[i-1])) >= string(ix2.name(ix2.entries[i])) {
				t.Fatalf("v%d: not sorted at %d", v, i)
			}
		}
	}
}

// BenchmarkIndexExtensions100k is what Update's split-index check adds
// before the lock: finding the extensions of a 100k-entry index.
func BenchmarkIndexExtensions100k(b *testing.B) {
	for _, v := range []uint32{2, 4} {
		data := synthIndex(100_000, v)
		b.Run(fmt.Sprintf("v%d", v), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for range b.N {
				indexExtensions(data)
			}
		})
	}
}

// TestIndexExtensions: the quick walk finds what parseIndex finds.
func TestIndexExtensions(t *testing.T) {
	for _, v := range []uint32{2, 3, 4} {
		ix, err := parseIndex(synthIndex(300, v))
		if err != nil {
			t.Fatal(err)
		}
		ix.exts = []idxExt{{sig: "link", data: make([]byte, 24)}, {sig: "TREE", data: []byte("\x000 0\n")}}
		if got := strings.Join(indexExtensions(ix.encode()), ","); got != "link,TREE" {
			t.Errorf("v%d: indexExtensions = %q", v, got)
		}
	}
	if got := indexExtensions([]byte("DIRC\x00\x00\x00\x02\xff\xff\xff\xff" + strings.Repeat("x", 40))); got != nil {
		t.Errorf("a truncated index gives %q", got)
	}
}
