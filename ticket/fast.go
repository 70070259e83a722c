package ticket

// A fast path for decoding a ticket's front matter. Why it is worth its
// lines, measured against BurntSushi/toml, is in doc.go.
//
// decodeFast parses the front matter itself, strictly, for the subset of
// TOML that desk writes and that people commonly write, and fills a Ticket
// directly, without BurntSushi/toml's generic map and reflection. Whenever it
// meets anything outside that subset, or anything invalid, it gives up and
// the caller decodes with BurntSushi/toml, which also produces the precise
// error. Its guarantee: when it returns true, the front matter is a document
// that BurntSushi/toml accepts, and the Ticket is exactly (time locations and
// nil-versus-empty slices included) what toml.Decode into a zero Ticket gives.
//
// It does not use the index of front.Doc (Keys, Tables): that scanner is
// lenient by design (it skips lines that are not TOML, takes any run of
// non-separators as a bare key), so it cannot prove that a document is valid.
// The text is small, and one strict pass over it costs a few microseconds.
//
// The subset:
//   - bare keys, dotted keys (a.b = 1), [table] and [[array]] headers;
//   - one-line basic strings with every escape of BurntSushi/toml, literal
//     strings, decimal integers (with underscores), true and false;
//   - offset date-times and local date-times (T, t or a space; optional
//     fraction; Z, z or ±hh:mm) and local dates;
//   - arrays of these values (one or several lines, comments, trailing
//     comma);
//   - comments everywhere TOML allows them.
//
// Left to BurntSushi/toml: quoted keys, multi-line strings, inline tables,
// nested arrays, floats, hexadecimal/octal/binary integers, local times,
// times without seconds, a lone CR, a table header naming a table already
// created (implicitly or by dotted keys), a header through a table made by
// dotted keys, and every error.
//
// Field mapping follows BurntSushi/toml: exact tag names; a key equal to a
// field name but for case (BurntSushi matches it case-insensitively, and in
// map order when there are several) makes the fast path give up; any other
// unknown key is ignored, once validated. The fast path is written for the
// structs of ticket.go as they are: TestFastSchema fails when they change
// (fields, tags, types or methods) and this file has not been updated.

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/BurntSushi/toml"

	"github.com/deskhq/desk/ticket/front"
)

// decodeFast fills t, which must be zero, from the front matter of doc. It
// reports false when it cannot answer; t is then in an undefined state.
// unknown tells whether the front matter holds a key or table the Ticket
// has no field for (one that UnknownKeys would report).
func decodeFast(doc *front.Doc, t *Ticket) (ok, unknown bool) {
	// FrontMatter returns a copy, which nothing else holds or changes: the
	// parser may read it as a string without a second copy (and t keeps no
	// reference to it: see compactStrings).
	fm := doc.FrontMatter()
	return decodeFastString(unsafe.String(unsafe.SliceData(fm), len(fm)), t)
}

// decodeFastString is decodeFast on front-matter text.
func decodeFastString(fm string, t *Ticket) (ok, unknown bool) {
	if len(fm) > math.MaxInt32 { // offsets are int32
		return false, false
	}
	p := fastPool.Get().(*fastParser)
	p.s, p.i, p.t, p.unknown = fm, 0, t, false
	p.nodes = p.nodes[:0]
	ok = p.run()
	unknown = p.unknown
	if ok {
		compactStrings(t)
	}
	// Drop every reference to fm and t, and buffers grown by an unusual
	// document.
	clear(p.arr[:cap(p.arr)])
	p.s, p.t, p.vstr, p.vtime, p.arr = "", nil, "", time.Time{}, p.arr[:0]
	if cap(p.nodes) > 1<<12 || cap(p.esc) > 1<<16 || cap(p.arr) > 1<<10 {
		*p = fastParser{}
	}
	fastPool.Put(p)
	return ok, unknown
}

// compactStrings copies the strings of t, most of them parts of the front
// matter, into one block of their exact size: a Ticket kept for long (the
// record cache keeps every one) does not hold the whole front matter.
func compactStrings(t *Ticket) {
	n := 0
	eachString(t, func(s *string) { n += len(*s) })
	var b strings.Builder
	b.Grow(n)
	eachString(t, func(s *string) { b.WriteString(*s) })
	all, off := b.String(), 0
	eachString(t, func(s *string) {
		if *s != "" {
			*s = all[off : off+len(*s)]
			off += len(*s)
		}
	})
}

// eachString calls f on every string of t.
func eachString(t *Ticket, f func(*string)) {
	for _, s := range []*string{&t.ID, &t.Title, &t.Status, &t.Channel, &t.Category, &t.Priority,
		&t.PriorityReason, &t.Assignee, &t.DuplicateOf, &t.Parent, &t.Lead, &t.CheckIgnoreReason,
		&t.Requester.Name, &t.Requester.Org, &t.Requester.Contact, &t.SLA.BreachReason} {
		f(s)
	}
	for _, ss := range [][]string{t.Tags, t.KB, t.Duplicates, t.Children, t.Related, t.CheckIgnore} {
		for i := range ss {
			f(&ss[i])
		}
	}
	for i := range t.Parts {
		f(&t.Parts[i].Name)
	}
	if fb := t.Feedback; fb != nil {
		for _, s := range []*string{&fb.Rating, &fb.ConfirmedBy, &fb.Via, &fb.Comment} {
			f(s)
		}
	}
	for i := range t.Events {
		e := &t.Events[i]
		for _, s := range []*string{&e.By, &e.Action, &e.From, &e.To, &e.Note, &e.Field, &e.Value} {
			f(s)
		}
	}
}

// fastPool keeps parsers with their buffers between calls.
var fastPool = sync.Pool{New: func() any { return new(fastParser) }}

// Node kinds of the tree of tables the parser keeps to detect redefinitions.
const (
	nImplicit uint8 = iota // a table created by a header naming a sub-table: a in [a.b]
	nHeader                // a table created by its [header]
	nDotted                // a table created by a dotted key: a in a.b = 1
	nArray                 // an array of tables ([[a]]); its elements are nElem nodes
	nElem                  // an element of an array of tables
	nValue                 // a key with a value
)

// Targets: what a table corresponds to in the Ticket.
const (
	tgIgnore    uint8 = iota // not decoded (an unknown key)
	tgTicket                 // the root
	tgRequester              // Ticket.Requester
	tgFeedback               // *Ticket.Feedback
	tgSLA                    // Ticket.SLA
	tgEvents                 // Ticket.Events (the array)
	tgEvent                  // an element of Ticket.Events
	tgParts                  // Ticket.Parts (the array)
	tgPart                   // an element of Ticket.Parts
)

// Fields of the structs, and their kinds.
const (
	fUnknown = iota
	// Ticket
	fID
	fTitle
	fStatus
	fCreated
	fChannel
	fCategory
	fPriority
	fPriorityReason
	fAssignee
	fDue
	fTags
	fKB
	fDuplicateOf
	fDuplicates
	fParent
	fChildren
	fRelated
	fMajor
	fLead
	fRequester
	fParts
	fFeedback
	fSLA
	fEvents
	fCheckIgnore
	fCheckIgnoreReason
	// Requester
	fReqName
	fReqOrg
	fReqContact
	// Part
	fPartName
	fPartQty
	// Feedback
	fFbRating
	fFbConfirmedBy
	fFbConfirmedAt
	fFbVia
	fFbComment
	// SLAInfo
	fBreachReason
	// Event
	fAt
	fBy
	fAction
	fFrom
	fTo
	fNote
	fField
	fValue
	fMessageID
	fPublic // the last: TestFastFieldTables counts the fields up to it
)

// Field names per target, for the case-insensitive check.
var fastFieldNames = [...][]string{
	tgTicket: {"id", "title", "status", "created", "channel", "category", "priority", "priority_reason",
		"assignee", "due", "tags", "kb", "duplicate_of", "duplicates", "parent", "children", "related", "major", "lead", "requester", "parts", "feedback", "sla", "events",
		"check_ignore", "check_ignore_reason"},
	tgRequester: {"name", "org", "contact"},
	tgFeedback:  {"rating", "confirmed_by", "confirmed_at", "via", "comment"},
	tgSLA:       {"breach_reason"},
	tgEvent:     {"at", "by", "action", "from", "to", "note", "field", "value", "public", "message_id"},
	tgPart:      {"name", "qty"},
}

// fieldOf returns the field of the struct of target named exactly name, or
// fUnknown.
func fieldOf(target uint8, name string) int {
	switch target {
	case tgTicket:
		switch name {
		case "id":
			return fID
		case "title":
			return fTitle
		case "status":
			return fStatus
		case "created":
			return fCreated
		case "channel":
			return fChannel
		case "category":
			return fCategory
		case "priority":
			return fPriority
		case "priority_reason":
			return fPriorityReason
		case "assignee":
			return fAssignee
		case "due":
			return fDue
		case "tags":
			return fTags
		case "kb":
			return fKB
		case "duplicate_of":
			return fDuplicateOf
		case "duplicates":
			return fDuplicates
		case "parent":
			return fParent
		case "children":
			return fChildren
		case "related":
			return fRelated
		case "major":
			return fMajor
		case "lead":
			return fLead
		case "requester":
			return fRequester
		case "parts":
			return fParts
		case "feedback":
			return fFeedback
		case "sla":
			return fSLA
		case "events":
			return fEvents
		case "check_ignore":
			return fCheckIgnore
		case "check_ignore_reason":
			return fCheckIgnoreReason
		}
	case tgRequester:
		switch name {
		case "name":
			return fReqName
		case "org":
			return fReqOrg
		case "contact":
			return fReqContact
		}
	case tgFeedback:
		switch name {
		case "rating":
			return fFbRating
		case "confirmed_by":
			return fFbConfirmedBy
		case "confirmed_at":
			return fFbConfirmedAt
		case "via":
			return fFbVia
		case "comment":
			return fFbComment
		}
	case tgSLA:
		if name == "breach_reason" {
			return fBreachReason
		}
	case tgEvent:
		switch name {
		case "at":
			return fAt
		case "by":
			return fBy
		case "action":
			return fAction
		case "from":
			return fFrom
		case "to":
			return fTo
		case "note":
			return fNote
		case "field":
			return fField
		case "value":
			return fValue
		case "message_id":
			return fMessageID
		case "public":
			return fPublic
		}
	case tgPart:
		switch name {
		case "name":
			return fPartName
		case "qty":
			return fPartQty
		}
	}
	return fUnknown
}

// foldsToField reports whether name matches a field of target's struct
// case-insensitively (BurntSushi/toml then decodes it into that field).
func foldsToField(target uint8, name string) bool {
	if int(target) >= len(fastFieldNames) {
		return false
	}
	for _, f := range fastFieldNames[target] {
		if strings.EqualFold(f, name) {
			return true
		}
	}
	return false
}

// fnode is a table, array of tables or key of the document. It holds no
// pointers (the garbage collector has nothing to do with the tree).
type fnode struct {
	name   span // the key (empty for the root and array elements)
	kind   uint8
	target uint8
	sec    int32 // nDotted: the section whose dotted keys created it
	child  int32 // first child, or -1
	next   int32 // next sibling, or -1
	last   int32 // nArray: the current (last) element
	idx    int32 // nElem of Events or Parts: the index in the slice
}

// span is a part of the front matter: p.s[off:end].
type span struct{ off, end int32 }

// Value kinds.
const (
	vString = iota
	vInt
	vBool
	vTime
	vArray
)

type fastParser struct {
	s     string
	i     int
	t     *Ticket
	nodes []fnode
	parts []span   // parts of the key being read
	arr   []string // strings of the array being read

	// value just read
	vkind  int
	vstr   string
	vint   int64
	vbool  bool
	vtime  time.Time
	allStr bool // vArray: every element is a string (arr holds them)

	esc []byte // scratch for strings with escapes

	// unknown: a key or table the Ticket has no field for was read (one
	// that UnknownKeys would report).
	unknown bool
}

func (p *fastParser) str(sp span) string { return p.s[sp.off:sp.end] }

func (p *fastParser) run() bool {
	p.nodes = append(p.nodes, fnode{kind: nHeader, target: tgTicket, child: -1, next: -1, last: -1})
	sec := int32(0)
	s := p.s
	for p.i < len(s) {
		switch c := s[p.i]; {
		case c == ' ' || c == '\t' || c == '\n':
			p.i++
			continue
		case c == '#':
			if !p.comment() {
				return false
			}
			continue
		case c == '[':
			n, ok := p.header()
			if !ok {
				return false
			}
			sec = n
		case isBareChar(c):
			if !p.keyValue(sec) {
				return false
			}
		default:
			return false
		}
		if !p.endLine() {
			return false
		}
	}
	return true
}

func isBareChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isControl reports the characters BurntSushi/toml refuses anywhere: control
// characters but tab and LF (CR is refused too: the front matter has no
// CRLF left, and a lone CR is an error).
func isControl(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' || c == 0x7f }

func (p *fastParser) skipWS() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// comment reads a comment from its '#' up to the newline (not included).
func (p *fastParser) comment() bool {
	s := p.s
	for p.i++; p.i < len(s); p.i++ {
		c := s[p.i]
		if c == '\n' {
			return true
		}
		if isControl(c) {
			return false
		}
	}
	return true
}

// endLine reads the end of a statement: blanks, a comment, then a newline or
// the end of the text.
func (p *fastParser) endLine() bool {
	p.skipWS()
	if p.i < len(p.s) && p.s[p.i] == '#' && !p.comment() {
		return false
	}
	if p.i >= len(p.s) {
		return true
	}
	if p.s[p.i] != '\n' {
		return false
	}
	p.i++
	return true
}

// key reads a bare, possibly dotted key into p.parts, and the blanks after it.
func (p *fastParser) key() bool {
	s := p.s
	p.parts = p.parts[:0]
	for {
		start := p.i
		for p.i < len(s) && isBareChar(s[p.i]) {
			p.i++
		}
		if p.i == start {
			return false // empty, or quoted: not handled
		}
		p.parts = append(p.parts, span{int32(start), int32(p.i)})
		p.skipWS()
		if p.i < len(s) && s[p.i] == '.' {
			p.i++
			p.skipWS()
			continue
		}
		return true
	}
}

// child returns the child of node n named name, or -1.
func (p *fastParser) child(n int32, name span) int32 {
	key := p.str(name)
	for c := p.nodes[n].child; c >= 0; c = p.nodes[c].next {
		if p.str(p.nodes[c].name) == key {
			return c
		}
	}
	return -1
}

// add adds a child of kind to node n. A table or array of tables gets its
// target, and -1 is returned when the Ticket cannot hold it there.
func (p *fastParser) add(n int32, name span, kind uint8, sec int32) int32 {
	parent := p.nodes[n].target
	target := tgIgnore
	if parent != tgIgnore {
		f := fieldOf(parent, p.str(name))
		switch {
		case f == fUnknown:
			if foldsToField(parent, p.str(name)) {
				return -1
			}
			p.unknown = true
		case kind == nValue:
			// checked when the value is set
		case kind == nArray:
			switch f {
			case fEvents:
				target = tgEvents
			case fParts:
				target = tgParts
			default:
				return -1
			}
		default: // a table
			switch f {
			case fRequester:
				target = tgRequester
			case fSLA:
				target = tgSLA
			case fFeedback:
				target = tgFeedback
				if p.t.Feedback == nil {
					p.t.Feedback = new(Feedback)
				}
			default:
				return -1
			}
		}
	}
	c := int32(len(p.nodes))
	p.nodes = append(p.nodes, fnode{name: name, kind: kind, target: target, sec: sec,
		child: -1, next: p.nodes[n].child, last: -1})
	p.nodes[n].child = c
	return c
}

// addElem appends an element to the array of tables a.
func (p *fastParser) addElem(a int32) int32 {
	e := fnode{kind: nElem, child: -1, next: -1, last: -1}
	switch p.nodes[a].target {
	case tgEvents:
		if p.t.Events == nil {
			p.t.Events = make([]Event, 0, strings.Count(p.s, "[[events]]"))
		}
		e.target = tgEvent
		e.idx = int32(len(p.t.Events))
		p.t.Events = append(p.t.Events, Event{})
	case tgParts:
		if p.t.Parts == nil {
			p.t.Parts = make([]Part, 0, strings.Count(p.s, "[[parts]]"))
		}
		e.target = tgPart
		e.idx = int32(len(p.t.Parts))
		p.t.Parts = append(p.t.Parts, Part{})
	}
	c := int32(len(p.nodes))
	p.nodes = append(p.nodes, e)
	p.nodes[a].last = c
	return c
}

// header reads a [table] or [[array]] header and returns the node of the
// section it opens.
func (p *fastParser) header() (int32, bool) {
	s := p.s
	p.i++ // [
	array := p.i < len(s) && s[p.i] == '['
	if array {
		p.i++
	}
	p.skipWS()
	if !p.key() || p.i >= len(s) || s[p.i] != ']' {
		return -1, false
	}
	p.i++
	if array {
		if p.i >= len(s) || s[p.i] != ']' {
			return -1, false
		}
		p.i++
	}
	n := int32(0)
	last := len(p.parts) - 1
	for _, name := range p.parts[:last] {
		c := p.child(n, name)
		if c < 0 {
			if c = p.add(n, name, nImplicit, -1); c < 0 {
				return -1, false
			}
		}
		switch p.nodes[c].kind {
		case nImplicit, nHeader:
			n = c
		case nArray:
			n = p.nodes[c].last
		default:
			return -1, false // a value, or a table made by dotted keys
		}
	}
	name := p.parts[last]
	c := p.child(n, name)
	if !array {
		if c >= 0 {
			return -1, false // defined before (maybe implicitly: left to BurntSushi)
		}
		c = p.add(n, name, nHeader, -1)
		return c, c >= 0
	}
	if c < 0 {
		if c = p.add(n, name, nArray, -1); c < 0 {
			return -1, false
		}
	} else if p.nodes[c].kind != nArray {
		return -1, false
	}
	return p.addElem(c), true
}

// keyValue reads key = value in the section sec.
func (p *fastParser) keyValue(sec int32) bool {
	if !p.key() || p.i >= len(p.s) || p.s[p.i] != '=' {
		return false
	}
	p.i++
	p.skipWS()
	n := sec
	last := len(p.parts) - 1
	for _, name := range p.parts[:last] {
		c := p.child(n, name)
		if c < 0 {
			if c = p.add(n, name, nDotted, sec); c < 0 {
				return false
			}
		} else if p.nodes[c].kind != nDotted || p.nodes[c].sec != sec {
			return false
		}
		n = c
	}
	name := p.parts[last]
	if p.child(n, name) >= 0 {
		return false // duplicate key
	}
	if p.add(n, name, nValue, -1) < 0 {
		return false
	}
	if !p.value(false) {
		return false
	}
	target := p.nodes[n].target
	if target == tgIgnore {
		return true
	}
	f := fieldOf(target, p.str(name))
	if f == fUnknown {
		return true // add flagged it
	}
	return p.set(f, p.nodes[n].idx)
}

// set stores the value just read into field f (idx: the element of Events or
// Parts).
func (p *fastParser) set(f int, idx int32) bool {
	t := p.t
	switch f {
	case fCreated, fAt:
		if p.vkind != vTime {
			return false
		}
		tm, ok := textRoundTrip(p.vtime)
		if !ok {
			return false
		}
		if f == fCreated {
			t.Created = tm
		} else {
			t.Events[idx].At = tm
		}
		return true
	case fDue, fFbConfirmedAt:
		if p.vkind != vTime {
			return false
		}
		tm, ok := textRoundTrip(p.vtime)
		if !ok {
			return false
		}
		if f == fDue {
			t.Due = &tm
		} else {
			t.Feedback.ConfirmedAt = &tm
		}
		return true
	case fTags, fKB, fDuplicates, fChildren, fRelated, fCheckIgnore:
		if p.vkind != vArray || !p.allStr {
			return false
		}
		ss := make([]string, len(p.arr))
		copy(ss, p.arr)
		switch f {
		case fTags:
			t.Tags = ss
		case fKB:
			t.KB = ss
		case fDuplicates:
			t.Duplicates = ss
		case fChildren:
			t.Children = ss
		case fRelated:
			t.Related = ss
		default:
			t.CheckIgnore = ss
		}
		return true
	case fMajor:
		if p.vkind != vBool {
			return false
		}
		t.Major = p.vbool
		return true
	case fPublic:
		if p.vkind != vBool {
			return false
		}
		t.Events[idx].Public = p.vbool
		return true
	case fPartQty:
		if p.vkind != vInt {
			return false
		}
		t.Parts[idx].Qty = int(p.vint)
		return true
	case fRequester, fParts, fFeedback, fSLA, fEvents:
		return false // a value where a table is expected
	}
	if p.vkind != vString {
		return false
	}
	v := p.vstr
	switch f {
	case fID:
		t.ID = v
	case fTitle:
		t.Title = v
	case fStatus:
		t.Status = v
	case fChannel:
		t.Channel = v
	case fCategory:
		t.Category = v
	case fPriority:
		t.Priority = v
	case fPriorityReason:
		t.PriorityReason = v
	case fAssignee:
		t.Assignee = v
	case fDuplicateOf:
		t.DuplicateOf = v
	case fParent:
		t.Parent = v
	case fLead:
		t.Lead = v
	case fCheckIgnoreReason:
		t.CheckIgnoreReason = v
	case fReqName:
		t.Requester.Name = v
	case fReqOrg:
		t.Requester.Org = v
	case fReqContact:
		t.Requester.Contact = v
	case fPartName:
		t.Parts[idx].Name = v
	case fFbRating:
		t.Feedback.Rating = v
	case fFbConfirmedBy:
		t.Feedback.ConfirmedBy = v
	case fFbVia:
		t.Feedback.Via = v
	case fFbComment:
		t.Feedback.Comment = v
	case fBreachReason:
		t.SLA.BreachReason = v
	case fBy:
		t.Events[idx].By = v
	case fAction:
		t.Events[idx].Action = v
	case fFrom:
		t.Events[idx].From = v
	case fTo:
		t.Events[idx].To = v
	case fNote:
		t.Events[idx].Note = v
	case fField:
		t.Events[idx].Field = v
	case fValue:
		t.Events[idx].Value = v
	case fMessageID:
		t.Events[idx].MessageID = v
	default:
		return false
	}
	return true
}

// value reads a value into p.v*. In an array, only scalars are handled.
func (p *fastParser) value(inArray bool) bool {
	s := p.s
	if p.i >= len(s) {
		return false
	}
	switch c := s[p.i]; {
	case c == '"':
		if strings.HasPrefix(s[p.i:], `"""`) {
			return false
		}
		return p.basicString()
	case c == '\'':
		if strings.HasPrefix(s[p.i:], `'''`) {
			return false
		}
		return p.literalString()
	case isDigit(c) || c == '+' || c == '-':
		return p.number()
	case c == 't':
		return p.word("true", true)
	case c == 'f':
		return p.word("false", false)
	case c == '[':
		if inArray {
			return false
		}
		return p.array()
	}
	return false
}

// isEnd reports whether c may follow a number or a boolean (what else may
// follow depends on where the value is and is checked there).
func isEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '#' || c == ',' || c == ']'
}

func (p *fastParser) word(w string, b bool) bool {
	if !strings.HasPrefix(p.s[p.i:], w) {
		return false
	}
	p.i += len(w)
	if p.i < len(p.s) && !isEnd(p.s[p.i]) {
		return false
	}
	p.vkind, p.vbool = vBool, b
	return true
}

func (p *fastParser) literalString() bool {
	s := p.s
	start := p.i + 1
	for i := start; i < len(s); i++ {
		c := s[i]
		if c == '\'' {
			p.vkind, p.vstr = vString, s[start:i]
			p.i = i + 1
			return true
		}
		if c == '\n' || isControl(c) {
			return false
		}
	}
	return false
}

func (p *fastParser) basicString() bool {
	s := p.s
	start := p.i + 1
	i := start
	for ; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			p.vkind, p.vstr = vString, s[start:i]
			p.i = i + 1
			return true
		}
		if c == '\\' {
			break
		}
		if c == '\n' || isControl(c) {
			return false
		}
	}
	if i >= len(s) {
		return false
	}
	// With escapes, as BurntSushi's replaceEscapes decodes them.
	b := append(p.esc[:0], s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			p.esc = b
			p.vkind, p.vstr = vString, string(b)
			p.i = i + 1
			return true
		case c == '\n' || isControl(c):
			return false
		case c != '\\':
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return false
		}
		i += 2
		switch s[i-1] {
		case 'b':
			b = append(b, '\b')
		case 't':
			b = append(b, '\t')
		case 'n':
			b = append(b, '\n')
		case 'f':
			b = append(b, '\f')
		case 'r':
			b = append(b, '\r')
		case 'e':
			b = append(b, 0x1b)
		case '"':
			b = append(b, '"')
		case '\\':
			b = append(b, '\\')
		case 'x', 'u', 'U':
			n := 2
			if s[i-1] == 'u' {
				n = 4
			} else if s[i-1] == 'U' {
				n = 8
			}
			if i+n > len(s) {
				return false
			}
			var r uint32
			for _, h := range []byte(s[i : i+n]) {
				switch {
				case h >= '0' && h <= '9':
					r = r<<4 | uint32(h-'0')
				case h|0x20 >= 'a' && h|0x20 <= 'f':
					r = r<<4 | uint32(h|0x20-'a'+10)
				default:
					return false
				}
			}
			if !utf8.ValidRune(rune(r)) {
				return false
			}
			b = utf8.AppendRune(b, rune(r))
			i += n
		default:
			return false
		}
	}
	return false
}

// number reads an integer or a date-time.
func (p *fastParser) number() bool {
	s := p.s
	start := p.i
	j := start
	if s[j] == '+' || s[j] == '-' {
		j++
	}
	if j >= len(s) || !isDigit(s[j]) {
		return false
	}
	k := j
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if j == start && k < len(s) && (s[k] == '-' || s[k] == ':') {
		return p.datetime()
	}
	for k < len(s) && (isDigit(s[k]) || s[k] == '_') {
		k++
	}
	if k < len(s) && !isEnd(s[k]) {
		return false // float, other base, or garbage
	}
	tok := s[start:k]
	if !numUnderscoresOK(tok) || numHasLeadingZero(tok) {
		return false
	}
	n, err := strconv.ParseInt(tok, 0, 64)
	if err != nil {
		return false
	}
	p.vkind, p.vint = vInt, n
	p.i = k
	return true
}

// numHasLeadingZero is BurntSushi/toml's, for decimal integers.
func numHasLeadingZero(s string) bool {
	if len(s) > 1 && s[0] == '0' && !(s[1] == 'b' || s[1] == 'o' || s[1] == 'x') {
		return true
	}
	if len(s) > 2 && (s[0] == '-' || s[0] == '+') && s[1] == '0' {
		return true
	}
	return false
}

// numUnderscoresOK is BurntSushi/toml's, for decimal integers.
func numUnderscoresOK(s string) bool {
	accept := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' && !accept {
			return false
		}
		accept = isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f'
	}
	return accept
}

// datetime reads a date-time as BurntSushi/toml does: its lexer takes the
// longest run of the characters a date-time may hold, spaces included, and
// trims it; its parser tries a list of layouts.
func (p *fastParser) datetime() bool {
	s := p.s
	k := p.i
	for k < len(s) {
		c := s[k]
		if isDigit(c) || c == '-' || c == ':' || c == 'T' || c == 't' || c == ' ' || c == '.' || c == 'Z' || c == 'z' || c == '+' {
			k++
			continue
		}
		break
	}
	tok := strings.TrimRight(s[p.i:k], " ")
	if !datetimeShape(tok) {
		return false
	}
	tm, ok := parseDatetime(tok)
	if !ok {
		return false
	}
	p.vkind, p.vtime = vTime, tm
	p.i += len(tok)
	return true
}

// datetimeShape reports whether s is YYYY-MM-DD, optionally followed by
// [Tt ]hh:mm:ss, a fraction and an offset ([Zz] or ±hh:mm).
func datetimeShape(s string) bool {
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if !isDigit(s[i]) {
				return false
			}
		}
		return true
	}
	if len(s) < 10 || !digits(s[0:4]) || s[4] != '-' || !digits(s[5:7]) || s[7] != '-' || !digits(s[8:10]) {
		return false
	}
	if len(s) == 10 {
		return true
	}
	if len(s) < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
		!digits(s[11:13]) || s[13] != ':' || !digits(s[14:16]) || s[16] != ':' || !digits(s[17:19]) {
		return false
	}
	r := s[19:]
	if len(r) > 0 && r[0] == '.' {
		j := 1
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		if j == 1 {
			return false
		}
		r = r[j:]
	}
	switch {
	case r == "", r == "Z", r == "z":
		return true
	case len(r) == 6 && (r[0] == '+' || r[0] == '-') && digits(r[1:3]) && r[3] == ':' && digits(r[4:6]):
		return true
	}
	return false
}

// The layouts and locations of BurntSushi/toml's parser, in its order. The
// locations of local date-times are BurntSushi's own (internal) ones,
// obtained by decoding a sample.
var (
	dtOnce    sync.Once
	dtLayouts []dtLayout
)

type dtLayout struct {
	layout string
	loc    *time.Location
}

func datetimeLayouts() []dtLayout {
	dtOnce.Do(func() {
		var m map[string]any
		_, err := toml.Decode("dt = 2001-02-03T04:05:06\nd = 2001-02-03\nt = 04:05:06\n", &m)
		locOf := func(k string) *time.Location {
			if err != nil {
				return nil
			}
			if tm, ok := m[k].(time.Time); ok {
				return tm.Location()
			}
			return nil
		}
		dt, d, t := locOf("dt"), locOf("d"), locOf("t")
		if dt == nil || d == nil || t == nil {
			return // the fast path gives up on every date-time
		}
		dtLayouts = []dtLayout{
			{time.RFC3339Nano, fastLocal},
			{"2006-01-02T15:04:05.999999999", dt},
			{"2006-01-02", d},
			{"15:04:05.999999999", t},
			{"2006-01-02T15:04Z07:00", fastLocal},
			{"2006-01-02T15:04", dt},
			{"15:04", t},
		}
	})
	return dtLayouts
}

// fastLocal is time.Local as BurntSushi/toml saw it when it was initialised.
var fastLocal = time.Local

// parseDatetime is BurntSushi/toml's valueDatetime on a token of the shape
// datetimeShape accepts.
func parseDatetime(tok string) (time.Time, bool) {
	layouts := datetimeLayouts()
	if len(layouts) == 0 {
		return time.Time{}, false
	}
	// Its strings.Replacer: z→Z, t→T, space→T. In the shapes datetimeShape
	// accepts they can only be the separator and the last character.
	if c, z := tok[len(tok)-1], len(tok) > 10 && tok[10] != 'T'; c == 'z' || z {
		b := []byte(tok)
		for i, c := range b {
			switch c {
			case 'z':
				b[i] = 'Z'
			case 't', ' ':
				b[i] = 'T'
			}
		}
		tok = string(b)
	}
	for _, l := range layouts {
		t, err := time.ParseInLocation(l.layout, tok, l.loc)
		if err == nil {
			if missingLeadingZero(tok, l.layout) {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// missingLeadingZero is BurntSushi/toml's.
func missingLeadingZero(d, l string) bool {
	for i, c := range []byte(l) {
		if c == '.' || c == 'Z' {
			return false
		}
		if i >= len(d) {
			return true
		}
		if (c < '0' || c > '9') && d[i] != c {
			return true
		}
	}
	return false
}

// textRoundTrip is what BurntSushi/toml does to store a date-time into a
// time.Time, which is an encoding.TextUnmarshaler: MarshalText, then
// UnmarshalText.
func textRoundTrip(t time.Time) (time.Time, bool) {
	b, err := t.MarshalText()
	if err != nil {
		return time.Time{}, false
	}
	var r time.Time
	if err := r.UnmarshalText(b); err != nil {
		return time.Time{}, false
	}
	return r, true
}

// array reads an array of scalars; p.arr gets its strings and p.allStr tells
// whether every element is one.
func (p *fastParser) array() bool {
	s := p.s
	p.i++ // [
	p.arr = p.arr[:0]
	allStr := true
	n := 0
	for {
		if !p.skipArrayBlank() {
			return false
		}
		if p.i >= len(s) {
			return false
		}
		if s[p.i] == ']' {
			break
		}
		if s[p.i] == ',' {
			return false
		}
		if !p.value(true) {
			return false
		}
		n++
		if p.vkind == vString {
			p.arr = append(p.arr, p.vstr)
		} else {
			allStr = false
		}
		if !p.skipArrayBlank() {
			return false
		}
		if p.i >= len(s) {
			return false
		}
		if s[p.i] == ',' {
			p.i++
			continue
		}
		if s[p.i] != ']' {
			return false
		}
		break
	}
	p.i++ // ]
	p.vkind, p.allStr = vArray, allStr && len(p.arr) == n
	return true
}

// skipArrayBlank skips blanks, newlines and comments inside an array.
func (p *fastParser) skipArrayBlank() bool {
	s := p.s
	for p.i < len(s) {
		switch s[p.i] {
		case ' ', '\t', '\n':
			p.i++
		case '#':
			if !p.comment() {
				return false
			}
		default:
			return true
		}
	}
	return true
}
