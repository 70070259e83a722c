package records

import (
	"encoding/binary"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/deskhq/desk/ticket"
)

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

// Arena holds encoded records in large blocks without pointers, which
// the garbage collector neither scans nor has to track one by one.
type Arena struct{ cur []byte }

const arenaBlock = 4 << 20

// Add encodes r (see Decode) into the arena and returns the encoding.
func (a *Arena) Add(r *Record) string {
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
		t.Lead, t.Requester.Name, t.Requester.Org, t.Requester.Contact, t.SLA.BreachReason, t.CheckIgnoreReason,
		t.DuplicateOf, t.Parent} {
		e.str(s)
	}
	e.timep(t.Due)
	e.strs(t.Tags)
	e.strs(t.KB)
	e.strs(t.Duplicates)
	e.strs(t.Children)
	e.strs(t.Related)
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
		for _, s := range []string{ev.By, ev.Action, ev.From, ev.To, ev.Note, ev.Field, ev.Value, ev.MessageID} {
			e.str(s)
		}
		e.bool(ev.Public)
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

// quarterZones holds the zones of offsets in whole quarter hours from
// -14:00 to +14:00 (every zone in use), read without sync.Map's hashing:
// a warm check decodes a million times (0.2 s of CPU at 100,000 tickets).
var quarterZones [113]atomic.Pointer[time.Location]

func zone(off int) *time.Location {
	q := off/900 + 56
	quarter := off%900 == 0 && q >= 0 && q < len(quarterZones)
	if quarter {
		if z := quarterZones[q].Load(); z != nil {
			return z
		}
	}
	z, ok := zones.Load(off)
	if !ok {
		z, _ = zones.LoadOrStore(off, time.FixedZone("", off))
	}
	if quarter {
		quarterZones[q].Store(z.(*time.Location))
	}
	return z.(*time.Location)
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

// Decode decodes a record of the file at path from body, the encoding Add
// returned or Entry.Body. ok is false when body is damaged.
func Decode(body, path string) (rec *Record, ok bool) {
	d := &decoder{b: body}
	rec = d.record(path)
	return rec, !d.err
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
		&t.Lead, &t.Requester.Name, &t.Requester.Org, &t.Requester.Contact, &t.SLA.BreachReason, &t.CheckIgnoreReason,
		&t.DuplicateOf, &t.Parent} {
		*p = d.str()
	}
	t.Due = d.timep()
	t.Tags = d.strs()
	t.KB = d.strs()
	t.Duplicates = d.strs()
	t.Children = d.strs()
	t.Related = d.strs()
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
			for _, p := range []*string{&ev.By, &ev.Action, &ev.From, &ev.To, &ev.Note, &ev.Field, &ev.Value, &ev.MessageID} {
				*p = d.str()
			}
			ev.Public = d.flag()
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
