package repo

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sync/errgroup"

	"github.com/deskhq/desk/ticket"
)

// MaxTicketSize is the largest ticket file desk reads. A ticket is a record,
// not an attachment store.
const MaxTicketSize = 8 << 20

// Record is a ticket file as the record cache keeps it: the decoded ticket and
// which body sections hold text, or the reason it could not be parsed.
type Record struct {
	Path     string
	Ticket   ticket.Ticket
	Sections []Section
	Unknown  []string           // keys the format does not know (events[2].actor)
	Err      *ticket.ParseError // non-nil: the file is not a valid ticket
}

// Section is a configured body heading of a ticket and whether it holds text.
type Section struct {
	Heading string
	Present bool
	Empty   bool
}

// Section returns the state of the section with this heading.
func (rec *Record) Section(heading string) Section {
	for _, s := range rec.Sections {
		if s.Heading == heading {
			return s
		}
	}
	return Section{Heading: heading, Empty: true}
}

// CacheStats tells what the last Records call did.
type CacheStats struct {
	Files  int // ticket files found
	Parsed int // of which read and parsed; the rest came from the cache
}

// fileKey is the stat data that validates a cache entry, as git validates its
// index: a change to any of them means the file is read again.
type fileKey struct {
	Size, Mtime, Ctime int64
	Ino                uint64
}

const cacheMagic = "DESKREC\x06"

// Head is the part of a record that filters look at before the rest of it
// is decoded.
type Head struct {
	Status, Priority, Category, Assignee string
	Created                              time.Time
}

// Filter selects records by their head; nil selects all.
type Filter func(h *Head) bool

// Records returns every ticket file under tickets/, sorted by path, reading
// only the files that changed since the last run. Files that cannot be parsed
// are returned with Err set; the walk never stops at a bad file.
func (r *Repo) Records(ctx context.Context) ([]*Record, error) {
	return r.RecordsWhere(ctx, nil)
}

// RecordsWhere is Records for the tickets that keep selects, plus every file
// that cannot be parsed. Records the filter drops are not decoded at all.
func (r *Repo) RecordsWhere(ctx context.Context, keep Filter) ([]*Record, error) {
	var out []*Record
	err := r.EachRecord(ctx, keep, func(rec *Record) error {
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
func (r *Repo) EachRecord(ctx context.Context, keep Filter, fn func(*Record) error) error {
	files, err := r.walkTickets()
	if err != nil {
		return err
	}
	cachePath := r.cachePath()
	cache := openCache(cachePath, r.Config)
	defer cache.close()
	hit := make([]int32, len(files)) // index into cache.entries + 1; 0: a miss
	misses, hits, lasting := 0, 0, 0 // lasting: misses old enough to be cached
	racy := time.Now().Add(-racyWindow).UnixNano()
	j := 0
	for i, f := range files {
		// Both lists are sorted by path: a merge, not a lookup.
		for j < len(cache.entries) && cache.entries[j].path < f.path {
			j++
		}
		if j < len(cache.entries) && cache.entries[j].path == f.path && cache.entries[j].key == f.key {
			hit[i] = int32(j + 1)
			hits++
			continue
		}
		misses++
		if f.key.Mtime < racy {
			lasting++
		}
	}
	r.Stats = CacheStats{Files: len(files), Parsed: misses}
	// Rewrite only when the cache would change: files just written cannot be
	// cached yet (see writeCache), and rewriting 100 MB for them on every
	// run would cost more than parsing them.
	rewrite := lasting > 0 || len(cache.entries) != hits
	var fresh map[int]cacheEntry // new entries of parsed files, for the rewrite
	var arena bodyArena
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
		fresh = make(map[int]cacheEntry, misses)
	}
	const chunk = 2048
	recs := make([]*Record, chunk)
	for start := 0; start < len(files); start += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+chunk, len(files))
		clear(recs)
		var parse []int
		for i := start; i < end; i++ {
			if hit[i] == 0 {
				parse = append(parse, i)
			}
		}
		Parallel(len(parse), func(k int) {
			i := parse[k]
			recs[i-start] = r.ReadRecord(files[i].path, files[i].dir)
		})
		for i := start; i < end; i++ {
			rec := recs[i-start]
			if rec == nil {
				e := &cache.entries[hit[i]-1]
				if keep != nil && !e.broken && !keep(&e.head) {
					continue
				}
				// One copy of the entry; the record's strings share it.
				d := &decoder{b: strings.Clone(e.body)}
				rec = d.record(files[i].path)
				if d.err {
					rec = r.ReadRecord(files[i].path, files[i].dir)
				}
			} else {
				if rewrite {
					// Kept until the cache is written: the body in an
					// arena, the head interned, so that nothing here holds
					// on to the parsed record.
					e := cacheEntry{path: files[i].path, key: files[i].key, body: arena.add(rec)}
					if rec.Err == nil {
						h := headOf(rec)
						e.head = Head{Status: in(h.Status), Priority: in(h.Priority), Category: in(h.Category), Assignee: in(h.Assignee), Created: h.Created}
					} else {
						e.broken = true
					}
					fresh[i] = e
				}
				if keep != nil && rec.Err == nil && !keep(headOf(rec)) {
					continue
				}
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
	}
	if rewrite {
		entries := make([]cacheEntry, len(files))
		for i := range files {
			if hit[i] > 0 {
				entries[i] = cache.entries[hit[i]-1]
			} else {
				entries[i] = fresh[i]
			}
		}
		// A failure to write the cache costs speed, not correctness.
		_ = writeCache(cachePath, r.Config, entries, time.Now())
	}
	return nil
}

func headOf(rec *Record) *Head {
	t := &rec.Ticket
	return &Head{Status: t.Status, Priority: t.Priority, Category: t.Category, Assignee: t.Assignee, Created: t.Created}
}

// FileStat is a ticket file's path and the stat data that tells a change.
type FileStat struct {
	Path        string // desk path
	Size, Mtime int64  // bytes; nanoseconds since 1970
	Dir         bool   // a folder where a ticket file should be
	Link        bool   // a symbolic link, which desk does not read through
}

// TicketFiles lists tickets/YYYY/MM/*.md with their stat data, sorted, on
// all cores. A symbolic link where a file or folder of that tree should be
// is listed with Link set, and nothing below it.
func (r *Repo) TicketFiles() ([]FileStat, error) {
	files, err := r.walkTickets()
	if err != nil {
		return nil, err
	}
	return fileStats(files), nil
}

// ArticleFiles lists kb/*.md with their stat data, sorted, without
// following a symbolic link: kb itself when it is a link (Link set, nothing
// below it), and each file by fstatat in the opened folder, one system call
// a file with no path to resolve (Repo.Stat takes one per folder on the
// way).
func (r *Repo) ArticleFiles() ([]FileStat, error) {
	base := r.Abs("kb")
	fi, err := os.Lstat(base)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case fi.Mode()&fs.ModeSymlink != 0:
		k := statKey(fi)
		return []FileStat{{Path: "kb", Size: k.Size, Mtime: k.Mtime, Link: true}}, nil
	case !fi.IsDir():
		return nil, nil
	}
	files, err := statFolder(base, "kb/")
	if err != nil {
		return nil, err
	}
	return fileStats(files), nil
}

// statFolder lists the *.md entries of folder abs, sorted, with their stat
// data (one fstatat each, following no link), as desk paths prefix+name.
func statFolder(abs, prefix string) ([]walkedFile, error) {
	dir, names, err := openFolder(abs)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	names = slices.DeleteFunc(names, func(n string) bool { return !strings.HasSuffix(n, ".md") })
	// A large folder (kb, a busy month) is statted on all cores, in
	// chunks that stay in order.
	const chunk = 1024
	parts := make([][]walkedFile, (len(names)+chunk-1)/chunk)
	parallelN(2*runtime.GOMAXPROCS(0), len(parts), func(c int) {
		part := names[c*chunk : min((c+1)*chunk, len(names))]
		out := make([]walkedFile, 0, len(part))
		for _, name := range part {
			key, mode, err := statAt(dir, name)
			if err != nil {
				continue // removed while we looked
			}
			out = append(out, walkedFile{path: prefix + name, key: key, dir: mode == fs.ModeDir, link: mode == fs.ModeSymlink})
		}
		parts[c] = out
	})
	return slices.Concat(parts...), nil
}

func fileStats(files []walkedFile) []FileStat {
	out := make([]FileStat, len(files))
	for i, f := range files {
		out[i] = FileStat{Path: f.path, Size: f.key.Size, Mtime: f.key.Mtime, Dir: f.dir, Link: f.link}
	}
	return out
}

// openFolder opens the folder abs and reads its names, sorted; the caller
// closes it.
func openFolder(abs string) (*os.File, []string, error) {
	dir, err := os.Open(abs)
	if err != nil {
		return nil, nil, err
	}
	names, err := dir.Readdirnames(-1)
	if err != nil {
		dir.Close()
		return nil, nil, err
	}
	slices.Sort(names)
	return dir, names, nil
}

type walkedFile struct {
	path string // desk path
	key  fileKey
	dir  bool // a directory where a ticket file should be
	link bool // a symlink: reading it gives a *SymlinkError
}

// walkTickets lists tickets/YYYY/MM/*.md with their stat data. It follows
// no symlink: the folder entries' types say which are links (no extra
// stat), and a link is listed in place of what it stands for, so that
// reading it reports it.
func (r *Repo) walkTickets() ([]walkedFile, error) {
	months, err := r.TicketFolders()
	if err != nil {
		return nil, err
	}
	results := make([][]walkedFile, len(months))
	errs := make([]error, len(months))
	// Stat calls block in the kernel: more workers than cores keep both
	// cores busy, as git's preload-index threads do.
	parallelN(8*runtime.GOMAXPROCS(0), len(months), func(i int) {
		m := months[i]
		abs := r.Abs(m.Path)
		if m.Link {
			if fi, err := os.Lstat(abs); err == nil {
				results[i] = []walkedFile{{path: m.Path, key: statKey(fi), link: true}}
			}
			return
		}
		// Sorted per folder, in parallel: the folders are in order, so the
		// concatenation is sorted without a global sort.
		results[i], errs[i] = statFolder(abs, m.Path+"/")
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(results...), nil
}

// ReadRecord reads and parses one ticket file. Like every read of the work
// tree it follows no symlink (see ReadFile).
func (r *Repo) ReadRecord(path string, isDir bool) *Record {
	rec := &Record{Path: path}
	fail := func(msg string) *Record {
		rec.Err = &ticket.ParseError{Path: path, Msg: msg}
		return rec
	}
	if isDir {
		return fail("is a directory, not a ticket file")
	}
	data, err := r.ReadFile(path, MaxTicketSize, "a ticket file")
	if err != nil {
		return fail(err.Error())
	}
	return r.RecordFrom(path, data)
}

// RecordFrom parses a ticket file's contents, as committed or staged.
func (r *Repo) RecordFrom(path string, data []byte) *Record {
	rec := &Record{Path: path}
	if len(data) > MaxTicketSize {
		rec.Err = &ticket.ParseError{Path: path, Msg: fmt.Sprintf("file is %d MB; a ticket file may be at most %d MB", len(data)>>20, MaxTicketSize>>20)}
		return rec
	}
	f, err := ticket.Parse(path, data)
	if err != nil {
		var pe *ticket.ParseError
		if errors.As(err, &pe) {
			rec.Err = pe
			return rec
		}
		rec.Err = &ticket.ParseError{Path: path, Msg: err.Error()}
		return rec
	}
	return r.RecordOf(f)
}

// RecordOf makes the record of a parsed ticket file, as the cache keeps it.
func (r *Repo) RecordOf(f *ticket.File) *Record {
	rec := &Record{Path: f.Path, Ticket: f.Ticket, Unknown: ticket.UnknownKeys(f.Doc, ticket.Known)}
	for _, key := range sectionKeys {
		h := r.Config.Heading(key)
		text, ok := f.Section(h)
		rec.Sections = append(rec.Sections, Section{Heading: h, Present: ok, Empty: ticket.SectionEmpty(text)})
	}
	return rec
}

// Parallel runs fn(0..n-1) on all cores.
func Parallel(n int, fn func(i int)) { parallelN(runtime.GOMAXPROCS(0), n, fn) }

// parallelN runs fn(0..n-1) on up to workers goroutines at once.
func parallelN(workers, n int, fn func(i int)) {
	var g errgroup.Group
	g.SetLimit(max(1, workers))
	for i := range n {
		g.Go(func() error { fn(i); return nil })
	}
	g.Wait()
}

func (r *Repo) cachePath() string {
	sum := sha256.Sum256([]byte(r.prefix))
	return filepath.Join(r.StateDir(), "records-"+hex.EncodeToString(sum[:4]))
}

// configStamp ties a cache to the configuration that parsed it: section
// headings decide which sections a record holds.
func configStamp(c *Config) string {
	var b strings.Builder
	for _, k := range sectionKeys {
		b.WriteString(c.Heading(k) + "\x00")
	}
	return b.String()
}

type cacheEntry struct {
	path   string
	key    fileKey
	head   Head
	broken bool   // the file did not parse
	body   string // the encoded record
}

// cacheFile is an open record cache. Its layout puts an index (path, stat
// data and head of every record) before the record bodies, so a command that
// filters on the head reads a few megabytes, not the whole file:
//
//	magic, config stamp, count,
//	count × (path, size, mtime, ctime, inode, broken, head, body offset, body length),
//	bodies
//
// Strings of the index point into the mapped file; decoded records are
// copied out of it before the file is closed.
type cacheFile struct {
	entries []cacheEntry
	unmap   func()
}

func (c *cacheFile) close() {
	if c.unmap != nil {
		c.unmap()
	}
}

func openCache(path string, c *Config) *cacheFile {
	data, unmap, err := mapFile(path)
	if err != nil || len(data) == 0 {
		return &cacheFile{}
	}
	cf := &cacheFile{unmap: unmap}
	d := &decoder{b: unsafe.String(&data[0], len(data))}
	if d.bytes(len(cacheMagic)) != cacheMagic || d.str() != configStamp(c) {
		return cf
	}
	n := d.uvarint()
	if n > uint64(len(data)) {
		return cf
	}
	bodies := make([][2]uint64, 0, n)
	entries := make([]cacheEntry, 0, n)
	for range n {
		var e cacheEntry
		e.path = d.str()
		e.key = fileKey{Size: d.varint(), Mtime: d.varint(), Ctime: d.varint(), Ino: d.uvarint()}
		e.broken = d.flag()
		e.head.Status, e.head.Priority, e.head.Category, e.head.Assignee = d.str(), d.str(), d.str(), d.str()
		e.head.Created = d.time()
		bodies = append(bodies, [2]uint64{d.uvarint(), d.uvarint()})
		if d.err || (len(entries) > 0 && entries[len(entries)-1].path >= e.path) {
			return cf
		}
		entries = append(entries, e)
	}
	rest := d.b
	for i, b := range bodies {
		if b[0] > uint64(len(rest)) || b[1] > uint64(len(rest))-b[0] {
			return cf
		}
		entries[i].body = rest[b[0] : b[0]+b[1]]
	}
	cf.entries = entries
	return cf
}

// racyWindow is how recent a file's change may be for its stat data to be
// trusted: a file written within it could change again with the same stat.
const racyWindow = 2 * time.Second

// writeCache writes the cache atomically, leaving out entries whose files
// changed too recently to be trusted by stat alone (git's "racy" entries).
func writeCache(path string, c *Config, entries []cacheEntry, now time.Time) error {
	racy := now.Add(-racyWindow).UnixNano()
	keep := entries[:0:0]
	for _, e := range entries {
		if e.key.Mtime < racy {
			keep = append(keep, e)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	// Streamed: the index (offsets follow from the body lengths), then the
	// bodies, without assembling the file in memory.
	w := bufio.NewWriterSize(tmp, 1<<20)
	e := &encoder{}
	e.buf = append(e.buf, cacheMagic...)
	e.str(configStamp(c))
	e.uvarint(uint64(len(keep)))
	off := 0
	for _, x := range keep {
		e.str(x.path)
		e.varint(x.key.Size)
		e.varint(x.key.Mtime)
		e.varint(x.key.Ctime)
		e.uvarint(x.key.Ino)
		e.bool(x.broken)
		for _, s := range []string{x.head.Status, x.head.Priority, x.head.Category, x.head.Assignee} {
			e.str(s)
		}
		e.time(x.head.Created)
		e.uvarint(uint64(off))
		e.uvarint(uint64(len(x.body)))
		off += len(x.body)
		if len(e.buf) > 64<<10 {
			w.Write(e.buf)
			e.buf = e.buf[:0]
		}
	}
	w.Write(e.buf)
	for _, x := range keep {
		w.WriteString(x.body)
	}
	err = w.Flush()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type encoder struct{ buf []byte }

func (e *encoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) varint(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.buf = append(e.buf, s...) }
func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}
func (e *encoder) strs(ss []string) {
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

// time keeps the instant and the offset it was written with.
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.varint(math.MinInt64)
		return
	}
	_, off := t.Zone()
	e.varint(t.Unix())
	e.varint(int64(t.Nanosecond()))
	e.varint(int64(off))
}

func (e *encoder) timep(t *time.Time) {
	e.bool(t != nil)
	if t != nil {
		e.time(*t)
	}
}

// bodyArena holds encoded records in large blocks without pointers, which
// the garbage collector neither scans nor has to track one by one.
type bodyArena struct{ cur []byte }

const arenaBlock = 4 << 20

func (a *bodyArena) add(r *Record) string {
	e := &encoder{buf: a.cur[len(a.cur):]}
	e.record(r)
	if len(e.buf) > 0 && cap(a.cur)-len(a.cur) >= len(e.buf) && &e.buf[0] == &a.cur[:len(a.cur)+1][len(a.cur)] {
		// Encoded in place, in the current block.
		a.cur = a.cur[:len(a.cur)+len(e.buf)]
		return unsafe.String(&a.cur[len(a.cur)-len(e.buf)], len(e.buf))
	}
	// Did not fit: start a new block (the old one stays referenced by the
	// strings already handed out).
	a.cur = make([]byte, 0, max(arenaBlock, 2*len(e.buf)))
	a.cur = append(a.cur, e.buf...)
	if len(a.cur) == 0 {
		return ""
	}
	return unsafe.String(&a.cur[0], len(a.cur))
}

// record writes the head (what filters look at) first, then the rest.
func (e *encoder) record(r *Record) {
	e.bool(r.Err != nil)
	if r.Err != nil {
		e.varint(int64(r.Err.Line))
		e.varint(int64(r.Err.Col))
		e.str(r.Err.Msg)
		return
	}
	t := &r.Ticket
	for _, s := range []string{t.Status, t.Priority, t.Category, t.Assignee} {
		e.str(s)
	}
	e.time(t.Created)
	for _, s := range []string{t.ID, t.Title, t.Channel, t.PriorityReason,
		t.Lead, t.Requester.Name, t.Requester.Org, t.Requester.Contact, t.SLA.BreachReason, t.CheckIgnoreReason} {
		e.str(s)
	}
	e.timep(t.Due)
	e.strs(t.Tags)
	e.strs(t.KB)
	e.strs(t.CheckIgnore)
	e.bool(t.Major)
	e.uvarint(uint64(len(t.Parts)))
	for _, p := range t.Parts {
		e.str(p.Name)
		e.varint(int64(p.Qty))
	}
	e.bool(t.Feedback != nil)
	if fb := t.Feedback; fb != nil {
		e.str(fb.Rating)
		e.str(fb.ConfirmedBy)
		e.timep(fb.ConfirmedAt)
		e.str(fb.Via)
		e.str(fb.Comment)
	}
	e.uvarint(uint64(len(t.Events)))
	for _, ev := range t.Events {
		e.time(ev.At)
		for _, s := range []string{ev.By, ev.Action, ev.From, ev.To, ev.Note, ev.Field, ev.Value} {
			e.str(s)
		}
	}
	e.strs(r.Unknown)
	e.uvarint(uint64(len(r.Sections)))
	for _, s := range r.Sections {
		e.str(s.Heading)
		e.bool(s.Present)
		e.bool(s.Empty)
	}
}

// decoder reads the cache from a string, so that decoded strings are
// substrings of it rather than copies.
type decoder struct {
	b    string
	err  bool
	copy bool // copy strings out of b (b is a mapped file that will be closed)
}

func (d *decoder) fail() {
	d.err = true
	d.b = ""
}

func (d *decoder) bytes(n int) string {
	if n < 0 || n > len(d.b) {
		d.fail()
		return ""
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// uvarint is binary.Uvarint for a string.
func (d *decoder) uvarint() uint64 {
	var x uint64
	var s uint
	for i := 0; i < len(d.b) && i < binary.MaxVarintLen64; i++ {
		b := d.b[i]
		if b < 0x80 {
			d.b = d.b[i+1:]
			return x | uint64(b)<<s
		}
		x |= uint64(b&0x7f) << s
		s += 7
	}
	d.fail()
	return 0
}

func (d *decoder) varint() int64 {
	ux := d.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	if d.copy {
		return strings.Clone(d.bytes(int(n)))
	}
	return d.bytes(int(n))
}

func (d *decoder) strs() []string {
	n := d.uvarint()
	if n == 0 || n > uint64(len(d.b)) {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

var zones sync.Map // offset seconds -> *time.Location

func zone(off int) *time.Location {
	if z, ok := zones.Load(off); ok {
		return z.(*time.Location)
	}
	z := time.FixedZone("", off)
	zones.Store(off, z)
	return z
}

func (d *decoder) time() time.Time {
	sec := d.varint()
	if sec == math.MinInt64 {
		return time.Time{}
	}
	ns := d.varint()
	off := d.varint()
	return time.Unix(sec, ns).In(zone(int(off)))
}

func (d *decoder) timep() *time.Time {
	if !d.flag() {
		return nil
	}
	t := d.time()
	return &t
}

func (d *decoder) flag() bool {
	b := d.bytes(1)
	return b == "\x01"
}

func (d *decoder) record(path string) *Record {
	r := &Record{Path: path}
	if d.flag() {
		r.Err = &ticket.ParseError{Path: path}
		r.Err.Line = int(d.varint())
		r.Err.Col = int(d.varint())
		r.Err.Msg = d.str()
		return r
	}
	t := &r.Ticket
	for _, p := range []*string{&t.Status, &t.Priority, &t.Category, &t.Assignee} {
		*p = d.str()
	}
	t.Created = d.time()
	for _, p := range []*string{&t.ID, &t.Title, &t.Channel, &t.PriorityReason,
		&t.Lead, &t.Requester.Name, &t.Requester.Org, &t.Requester.Contact, &t.SLA.BreachReason, &t.CheckIgnoreReason} {
		*p = d.str()
	}
	t.Due = d.timep()
	t.Tags = d.strs()
	t.KB = d.strs()
	t.CheckIgnore = d.strs()
	t.Major = d.flag()
	if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) {
		t.Parts = make([]ticket.Part, n)
		for i := range t.Parts {
			t.Parts[i].Name = d.str()
			t.Parts[i].Qty = int(d.varint())
		}
	}
	if d.flag() {
		fb := &ticket.Feedback{}
		fb.Rating = d.str()
		fb.ConfirmedBy = d.str()
		fb.ConfirmedAt = d.timep()
		fb.Via = d.str()
		fb.Comment = d.str()
		t.Feedback = fb
	}
	if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) {
		t.Events = make([]ticket.Event, n)
		for i := range t.Events {
			ev := &t.Events[i]
			ev.At = d.time()
			for _, p := range []*string{&ev.By, &ev.Action, &ev.From, &ev.To, &ev.Note, &ev.Field, &ev.Value} {
				*p = d.str()
			}
		}
	}
	r.Unknown = d.strs()
	if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) {
		r.Sections = make([]Section, n)
		for i := range r.Sections {
			r.Sections[i] = Section{Heading: d.str(), Present: d.flag(), Empty: d.flag()}
		}
	}
	return r
}

// FolderStat is a folder of ticket files and the stat data that tells
// whether its entries changed: a folder's modification time moves when a
// file in it is created, deleted or renamed (as editors and git save
// files), not when a file is rewritten in place.
type FolderStat struct {
	Path  string // desk path: tickets/YYYY/MM
	Mtime int64  // nanoseconds since 1970
	Ino   uint64 // a folder replaced by another has another inode
	Link  bool   // a symbolic link in place of the folder (or of its year)
}

// TicketFolders lists the month folders tickets/YYYY/MM, sorted, with
// their stat data: a few folder reads, however many tickets they hold.
func (r *Repo) TicketFolders() ([]FolderStat, error) {
	base := r.Abs("tickets")
	fi, err := os.Lstat(base)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return []FolderStat{{Path: "tickets", Link: true}}, nil
	}
	dir, years, err := openFolder(base)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	var out []FolderStat
	for _, y := range years {
		_, mode, err := statAt(dir, y)
		if err != nil || mode != fs.ModeDir && mode != fs.ModeSymlink {
			continue
		}
		if mode == fs.ModeSymlink {
			out = append(out, FolderStat{Path: "tickets/" + y, Link: true})
			continue
		}
		yd, months, err := openFolder(filepath.Join(base, y))
		if err != nil {
			return nil, err
		}
		for _, m := range months {
			key, mode, err := statAt(yd, m)
			switch {
			case err != nil:
			case mode == fs.ModeSymlink:
				out = append(out, FolderStat{Path: "tickets/" + y + "/" + m, Link: true})
			case mode == fs.ModeDir:
				out = append(out, FolderStat{Path: "tickets/" + y + "/" + m, Mtime: key.Mtime, Ino: key.Ino})
			}
		}
		yd.Close()
	}
	return out, nil
}

// FolderFiles lists the *.md files of one folder (a month folder of
// tickets, or kb) with their stat data, sorted, following no symbolic link
// (see TicketFiles). A folder that does not exist has no files.
func (r *Repo) FolderFiles(folder string) ([]FileStat, error) {
	files, err := statFolder(r.Abs(folder), folder+"/")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return fileStats(files), nil
}
