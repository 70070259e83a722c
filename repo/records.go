package repo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
)

// MaxTicketSize is the largest ticket file desk reads. A ticket is a record,
// not an attachment store.
const MaxTicketSize = 8 << 20

// CacheStats tells what the last Records call did.
type CacheStats struct {
	Files  int // ticket files found
	Parsed int // of which read and parsed; the rest came from the cache
}

// Records returns every ticket file under tickets/, sorted by path, reading
// only the files that changed since the last run. Files that cannot be parsed
// are returned with Err set; the walk never stops at a bad file.
func (r *Repo) Records(ctx context.Context) ([]*records.Record, error) {
	return r.RecordsWhere(ctx, nil)
}

// RecordsWhere is Records for the tickets that keep selects, plus every file
// that cannot be parsed. Records the filter drops are not decoded at all.
func (r *Repo) RecordsWhere(ctx context.Context, keep records.Filter) ([]*records.Record, error) {
	var out []*records.Record
	err := r.EachRecord(ctx, keep, func(rec *records.Record) error {
		out = append(out, rec)
		return nil
	})
	return out, err
}

// EachRecord calls fn, in path order, for every ticket record that keep
// selects and every file that cannot be parsed, without holding them all:
// at 100,000 tickets its memory stays flat. Unchanged files come from the
// record cache; changed ones are parsed on all cores, a chunk at a time, and
// the cache is rewritten at the end. An error from fn stops the walk.
func (r *Repo) EachRecord(ctx context.Context, keep records.Filter, fn func(*records.Record) error) error {
	return r.EachRecordThen(ctx, keep, nil, fn)
}

// EachRecordThen is EachRecord that first calls each, if not nil, for every
// record fn will see, on all cores and in no order, as soon as the record
// is read: the work on a record that needs no other (a linter's rules on
// one ticket) is spread over the cores, and fn, called in order, gathers.
// each must be safe for concurrent use, and may not keep the record.
func (r *Repo) EachRecordThen(ctx context.Context, keep records.Filter, each func(*records.Record), fn func(*records.Record) error) error {
	cachePath := r.cachePath()
	cache := records.Open(cachePath, configStamp(r.Config))
	defer cache.Close()
	// Without a cache (a new clone) every file is read, and the stat data
	// the cache keeps comes from the read's fstat: the walk lists names.
	files, err := r.walkTickets(len(cache.Entries) > 0)
	if err != nil {
		return err
	}
	hit := make([]int32, len(files)) // index into cache.Entries + 1; 0: a miss
	misses, hits, lasting := 0, 0, 0 // lasting: misses old enough to be cached
	racy := time.Now().Add(-records.RacyWindow).UnixNano()
	j := 0
	for i, f := range files {
		// Both lists are sorted by path: a merge, not a lookup.
		for j < len(cache.Entries) && cache.Entries[j].Path < f.path {
			j++
		}
		if j < len(cache.Entries) && cache.Entries[j].Path == f.path && cache.Entries[j].Key == f.key {
			// A head-only entry serves a run that does not select it;
			// one that does reads the file.
			if e := &cache.Entries[j]; !e.HeadOnly || keep != nil && !keep(&e.Head) {
				hit[i] = int32(j + 1)
				hits++
				continue
			}
		}
		misses++
		if f.key.Mtime < racy {
			lasting++
		}
	}
	r.Stats = CacheStats{Files: len(files), Parsed: misses}
	if keep == nil {
		// A filter keeps little of what it reads (heads, for the rest).
		scaleMemoryLimit(misses)
	}
	// Rewrite only when the cache would change: files just written cannot be
	// cached yet (see records.Write), and rewriting 100 MB for them on every
	// run would cost more than parsing them.
	rewrite := lasting > 0 || len(cache.Entries) != hits
	var fresh map[int]records.Entry // new entries of parsed files, for the rewrite
	var arena records.Arena
	intern := map[string]string{} // statuses, priorities, … : a handful of values
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		s = strings.Clone(s)
		intern[s] = s
		return s
	}
	if rewrite {
		fresh = make(map[int]records.Entry, misses)
	}
	fr := r.newFolderReader()
	defer fr.close()
	// head keeps a head for the cache: its few distinct strings interned.
	head := func(h *records.Head) records.Head {
		return records.Head{Status: in(h.Status), Priority: in(h.Priority), Category: in(h.Category), Assignee: in(h.Assignee), Created: h.Created, Updated: h.Updated}
	}
	// A slot is one file of a chunk, as the parallel stage leaves it.
	type slot struct {
		rec      *records.Record
		head     *records.Head // of a file read and parsed
		headOnly bool          // read for its head only: rec is nil
		kept     bool          // for fn
	}
	const chunk = 2048
	slots := make([]slot, chunk)
	for start := 0; start < len(files); start += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+chunk, len(files))
		clear(slots)
		// Files to read, and cached records the filter keeps, are read
		// and decoded on all cores; fn sees them in order.
		var work []int
		for i := start; i < end; i++ {
			if hit[i] == 0 {
				work = append(work, i)
			} else if e := &cache.Entries[hit[i]-1]; keep == nil || e.Broken || keep(&e.Head) {
				work = append(work, i)
			}
		}
		Parallel(len(work), func(k int) {
			i := work[k]
			sl := &slots[i-start]
			if hit[i] == 0 {
				var key records.Key
				sl.rec, sl.head, key = r.readRecord(fr, files[i].path, files[i].dir, keep)
				if files[i].key == (records.Key{}) {
					files[i].key = key // a walk without stat
				}
				if sl.rec == nil {
					sl.headOnly = true
					return
				}
				if sl.rec.Err == nil {
					sl.head = records.HeadOf(sl.rec)
					if keep != nil && !keep(sl.head) {
						return // not for fn, but for the cache
					}
				}
			} else {
				// One copy of the entry; the record's strings share it.
				var ok bool
				if sl.rec, ok = records.Decode(strings.Clone(cache.Entries[hit[i]-1].Body), files[i].path); !ok {
					sl.rec = r.ReadRecord(files[i].path, files[i].dir)
				}
			}
			sl.kept = true
			if each != nil {
				each(sl.rec)
			}
		})
		for i := start; i < end; i++ {
			sl := &slots[i-start]
			if rewrite && hit[i] == 0 {
				// Kept until the cache is written: the body in an arena,
				// the head interned, so that nothing here holds on to the
				// parsed record.
				e := records.Entry{Path: files[i].path, Key: files[i].key, HeadOnly: sl.headOnly}
				if sl.head != nil {
					e.Head = head(sl.head)
				} else {
					e.Broken = true
				}
				if !sl.headOnly {
					e.Body = arena.Add(sl.rec)
				}
				fresh[i] = e
			}
			if sl.kept {
				if err := fn(sl.rec); err != nil {
					return err
				}
			}
		}
	}
	if rewrite {
		entries := make([]records.Entry, len(files))
		for i := range files {
			if hit[i] > 0 {
				entries[i] = cache.Entries[hit[i]-1]
			} else {
				entries[i] = fresh[i]
			}
		}
		// A failure to write the cache costs speed, not correctness.
		_ = records.Write(cachePath, configStamp(r.Config), entries, time.Now())
	}
	return nil
}

// ScaleMemoryLimit lets EachRecord raise the process's memory limit to what
// the tickets it parses hold until the cache is written (the command line
// sets it when the environment sets neither GOGC nor GOMEMLIMIT). A run
// that finds its tickets in the cache keeps the limit: with more room its
// heap grows instead, and a warm listing of 300,000 tickets was 8 % slower.
var ScaleMemoryLimit bool

// memoryPerTicket is the memory limit a parsed ticket asks for: about
// two and a half times what a parsed ticket keeps until the cache is
// written. Below 150,000 tickets the limit stays where cli.Main sets it
// (384 MiB); at 300,000 it is 744 MiB. Measured on a cold desk check of
// 300,000 tickets: 19.4 s and 34 s of CPU at 384 MiB (the collector runs
// all the time), 10.5 s and 17 s at 768 MiB, 11.0 s at 1 GiB; at 100,000
// tickets a higher limit was slower (6.9 s at 1 GiB against 6.2 s: page
// faults).
const memoryPerTicket = 2600

func scaleMemoryLimit(tickets int) {
	if !ScaleMemoryLimit {
		return
	}
	if want := int64(tickets) * memoryPerTicket; want > debug.SetMemoryLimit(-1) {
		debug.SetMemoryLimit(want)
	}
}

// ReadRecord reads and parses one ticket file. Like every read of the work
// tree it follows no symlink (see ReadFile).
func (r *Repo) ReadRecord(path string, isDir bool) *records.Record {
	rec, _, _ := r.readRecord(nil, path, isDir, nil)
	return rec
}

// readRecord is ReadRecord through fr (nil: ReadFile), with the stat data
// of the file read (zero when fr is nil or the file could not be read).
// With a filter, a file whose head ticket.ScanHead can read and keep drops
// is not parsed: its head is returned instead of a record.
func (r *Repo) readRecord(fr *folderReader, path string, isDir bool, keep records.Filter) (*records.Record, *records.Head, records.Key) {
	fail := func(msg string) *records.Record {
		return &records.Record{Path: path, Err: &ticket.ParseError{Path: path, Msg: msg}}
	}
	if isDir {
		return fail("is a directory, not a ticket file"), nil, records.Key{}
	}
	var data []byte
	var key records.Key
	var err error
	if fr != nil {
		data, key, err = fr.read(path, MaxTicketSize, "a ticket file")
	} else {
		data, err = r.ReadFile(path, MaxTicketSize, "a ticket file")
	}
	if err != nil {
		return fail(err.Error()), nil, key
	}
	if keep != nil {
		if h, ok := ticket.ScanHead(data); ok {
			if !keep(&h) {
				return nil, &h, key
			}
		}
	}
	return r.RecordFrom(path, data), nil, key
}

// RecordFrom parses a ticket file's contents, as committed or staged.
func (r *Repo) RecordFrom(path string, data []byte) *records.Record {
	rec := &records.Record{Path: path}
	if len(data) > MaxTicketSize {
		rec.Err = &ticket.ParseError{Path: path, Msg: fmt.Sprintf("file is %d MB; a ticket file may be at most %d MB", len(data)>>20, MaxTicketSize>>20)}
		return rec
	}
	f, unknown, err := ticket.ParseRecord(path, data)
	if err != nil {
		var pe *ticket.ParseError
		if errors.As(err, &pe) {
			rec.Err = pe
			return rec
		}
		rec.Err = &ticket.ParseError{Path: path, Msg: err.Error()}
		return rec
	}
	return r.recordOf(f, unknown)
}

// RecordOf makes the record of a parsed ticket file, as the cache keeps it.
func (r *Repo) RecordOf(f *ticket.File) *records.Record {
	return r.recordOf(f, ticket.UnknownKeys(f.Doc, ticket.Known))
}

func (r *Repo) recordOf(f *ticket.File, unknown []string) *records.Record {
	rec := &records.Record{Path: f.Path, Ticket: f.Ticket, Unknown: unknown}
	headings := make([]string, len(config.SectionKeys))
	for i, key := range config.SectionKeys {
		headings[i] = r.Config.Heading(key)
	}
	texts, found := f.Doc.SectionTexts(headings)
	for i, h := range headings {
		rec.Sections = append(rec.Sections, records.Section{Heading: h, Present: found[i], Empty: ticket.SectionEmpty(strings.TrimSpace(texts[i]))})
	}
	return rec
}

func (r *Repo) cachePath() string {
	sum := sha256.Sum256([]byte(r.prefix))
	return filepath.Join(r.StateDir(), "records-"+hex.EncodeToString(sum[:4]))
}

// configStamp ties a cache to the configuration that parsed it: section
// headings decide which sections a record holds.
func configStamp(c *config.Config) string {
	var b strings.Builder
	for _, k := range config.SectionKeys {
		b.WriteString(c.Heading(k) + "\x00")
	}
	return b.String()
}
