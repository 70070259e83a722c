package records

import (
	"bufio"
	"os"
	"path/filepath"
	"time"
	"unsafe"
)

// Key is the stat data that validates a cache entry, as git validates its
// index: a change to any of them means the file is read again.
type Key struct {
	Size, Mtime, Ctime int64
	Ino                uint64
}

const cacheMagic = "DESKREC\x0a"

// Entry is one file in the cache: its path, the stat data it was read with,
// the head of its record, and the rest of the record encoded (see Decode).
type Entry struct {
	Path   string
	Key    Key
	Head   Head
	Broken bool // the file did not parse
	// HeadOnly: the file was not parsed, only its head read (see
	// ticket.ScanHead) for a listing that did not select it. Body is
	// empty; a run that needs the record reads the file again.
	HeadOnly bool
	Body     string // the encoded record
}

// Cache is an open record cache. Its layout puts an index (path, stat
// data and head of every record) before the record bodies, so a command that
// filters on the head reads a few megabytes, not the whole file:
//
//	magic, config stamp, count,
//	count × (path, size, mtime, ctime, inode, flags (broken, head only), head, body offset, body length),
//	bodies
//
// Strings of the index point into the mapped file; decoded records are
// copied out of it before the file is closed.
type Cache struct {
	Entries []Entry // sorted by path
	unmap   func()
}

// Close unmaps the file; strings of Entries are invalid afterwards.
func (c *Cache) Close() {
	if c.unmap != nil {
		c.unmap()
	}
}

// Open maps the cache at path. A cache that is missing, damaged or written
// under another stamp opens empty: the cache only ever saves work.
func Open(path, stamp string) *Cache {
	data, unmap, err := mapFile(path)
	if err != nil || len(data) == 0 {
		return &Cache{}
	}
	cf := &Cache{unmap: unmap}
	d := &decoder{b: unsafe.String(&data[0], len(data))}
	if d.bytes(len(cacheMagic)) != cacheMagic || d.str() != stamp {
		return cf
	}
	n := d.uvarint()
	if n > uint64(len(data)) {
		return cf
	}
	bodies := make([][2]uint64, 0, n)
	entries := make([]Entry, 0, n)
	for range n {
		var e Entry
		e.Path = d.str()
		e.Key = Key{Size: d.varint(), Mtime: d.varint(), Ctime: d.varint(), Ino: d.uvarint()}
		flags := d.bytes(1)
		e.Broken, e.HeadOnly = flags == "\x01", flags == "\x02"
		e.Head.Status, e.Head.Priority, e.Head.Category, e.Head.Assignee = d.str(), d.str(), d.str(), d.str()
		e.Head.Created = d.time()
		e.Head.Updated = d.time()
		bodies = append(bodies, [2]uint64{d.uvarint(), d.uvarint()})
		if d.err || (len(entries) > 0 && entries[len(entries)-1].Path >= e.Path) {
			return cf
		}
		entries = append(entries, e)
	}
	rest := d.b
	for i, b := range bodies {
		if b[0] > uint64(len(rest)) || b[1] > uint64(len(rest))-b[0] {
			return cf
		}
		entries[i].Body = rest[b[0] : b[0]+b[1]]
	}
	cf.Entries = entries
	return cf
}

// RacyWindow is how recent a file's change may be for its stat data to be
// trusted: a file written within it could change again with the same stat.
const RacyWindow = 2 * time.Second

// Write writes the cache atomically, leaving out entries whose files
// changed too recently to be trusted by stat alone (git's "racy" entries).
func Write(path, stamp string, entries []Entry, now time.Time) error {
	racy := now.Add(-RacyWindow).UnixNano()
	n := 0
	for i := range entries {
		if entries[i].Key.Mtime < racy {
			n++
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
	e.str(stamp)
	e.uvarint(uint64(n))
	off := 0
	for i := range entries {
		x := &entries[i]
		if x.Key.Mtime >= racy {
			continue
		}
		e.str(x.Path)
		e.varint(x.Key.Size)
		e.varint(x.Key.Mtime)
		e.varint(x.Key.Ctime)
		e.uvarint(x.Key.Ino)
		switch {
		case x.Broken:
			e.buf = append(e.buf, 1)
		case x.HeadOnly:
			e.buf = append(e.buf, 2)
		default:
			e.buf = append(e.buf, 0)
		}
		for _, s := range []string{x.Head.Status, x.Head.Priority, x.Head.Category, x.Head.Assignee} {
			e.str(s)
		}
		e.time(x.Head.Created)
		e.time(x.Head.Updated)
		e.uvarint(uint64(off))
		e.uvarint(uint64(len(x.Body)))
		off += len(x.Body)
		if len(e.buf) > 64<<10 {
			w.Write(e.buf)
			e.buf = e.buf[:0]
		}
	}
	w.Write(e.buf)
	for i := range entries {
		if entries[i].Key.Mtime < racy {
			w.WriteString(entries[i].Body)
		}
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
