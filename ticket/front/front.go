package front

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Error is a parse error with a 1-based position in the whole file (not just
// the front matter). Col counts runes (characters), not bytes, from 1; a
// byte-order mark is not counted. Line and Col are 0 when the position is not
// known (some errors of Decode).
type Error struct {
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line <= 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// Pos is a 1-based position in the file: Line counts lines of the whole file
// (the opening +++ is line 1), Col counts runes from the start of the line.
type Pos struct{ Line, Col int }

// KV is one key and its value, already encoded as a TOML literal.
type KV struct{ Key, Value string }

// KeyInfo describes one key of the front matter, as listed by Doc.Keys.
type KeyInfo struct {
	// Path is the full dotted path of the key, with the index of an
	// array-of-tables element in brackets: id, requester.name, events[2].to.
	// A part that is not a bare key is quoted as a TOML basic string.
	Path string
	// Pos is the position of the key's first character. For a dotted key
	// (requester.name = "x") it is the position of the first part.
	Pos Pos
	// Value is the raw text of the value as written, without a trailing
	// comment; it may span lines.
	Value string
}

// FileError is a file that cannot be read as a ticket or article: its path
// and, when known, the position of the fault.
type FileError struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Doc is a parsed file: front matter, an index of its structure, and body.
// A Doc is not safe for concurrent use while it is being edited.
type Doc struct {
	fm      string // TOML text between the delimiter lines; empty or ends with "\n"
	closing string // the closing delimiter line: "+++\n", or "+++" at the end of the file
	body    []byte
	entries []entry
}

const delim = "+++"

// Parse splits data into front matter and body, validates the front matter
// as TOML with BurntSushi/toml, and indexes it. A byte-order mark is dropped
// and CRLF line ends become LF. Errors are *Error.
func Parse(data []byte) (*Doc, error) { return parse(data, true, true) }

// ParseNoValidate is Parse without the TOML validation, for callers that
// decode the front matter themselves anyway (Decode reports TOML errors with
// file positions). The file's layout, UTF-8 and NUL bytes are still checked.
// On front matter that is not valid TOML the index is a best effort.
func ParseNoValidate(data []byte) (*Doc, error) { return parse(data, false, true) }

// ParseNoIndex is ParseNoValidate without the index of keys and tables,
// for a reader that decodes the front matter and reads the body, and no
// key's position (a ticket's record: ticket.ParseRecord). Only
// FrontMatter, Body, BodyLine and the section methods may be used on the
// Doc until Index is called.
func ParseNoIndex(data []byte) (*Doc, error) { return parse(data, false, false) }

// Index builds the index of keys and tables of a Doc from ParseNoIndex.
func (d *Doc) Index() { d.index() }

func parse(data []byte, validate, index bool) (*Doc, error) {
	data = bytes.TrimPrefix(data, []byte(bom))
	if len(data) == 0 {
		return nil, &Error{Line: 1, Col: 1, Msg: "empty file"}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		p := filePos(data, i)
		return nil, &Error{Line: p.Line, Col: p.Col, Msg: "NUL byte: not a text file"}
	}
	if !utf8.Valid(data) {
		i := firstInvalid(data)
		p := filePos(data, i)
		return nil, &Error{Line: p.Line, Col: p.Col, Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", data[i])}
	}
	src := string(toLF(data))
	if !strings.HasPrefix(src, delim+"\n") {
		return nil, &Error{Line: 1, Col: 1, Msg: "file must start with a line +++"}
	}
	fmEnd := -1
	for off := 3; ; {
		j := strings.Index(src[off:], "\n"+delim)
		if j < 0 {
			break
		}
		k := off + j + 1 // start of the candidate line
		if e := k + len(delim); e == len(src) || src[e] == '\n' {
			fmEnd = k
			break
		}
		off = k
	}
	if fmEnd < 0 {
		return nil, &Error{Line: 1, Col: 1, Msg: "front matter not closed: no line +++ after line 1"}
	}
	d := &Doc{fm: src[4:fmEnd]}
	rest := src[fmEnd:]
	if len(rest) > len(delim) {
		d.closing = delim + "\n"
	} else {
		d.closing = delim
	}
	d.body = []byte(rest[len(d.closing):])
	if validate {
		if err := d.validateTOML(); err != nil {
			return nil, err
		}
	}
	if index {
		d.index()
	}
	return d, nil
}

// index rebuilds the position index from d.fm.
func (d *Doc) index() {
	d.entries = scan(d.fm, 2, d.entries)
}

func (d *Doc) validateTOML() error {
	// Every TOML error is found while parsing, before any value is stored,
	// so decoding into an empty struct validates as decoding into a
	// map[string]any would, in two thirds of the time.
	var v struct{}
	_, err := toml.Decode(d.fm, &v)
	return d.convertErr(err, nil)
}

// convertErr turns an error of BurntSushi/toml on d.fm, decoding into a
// value of type t (nil when validating), into an *Error with a file position.
func (d *Doc) convertErr(err error, t reflect.Type) error {
	if err == nil {
		return nil
	}
	// A value refused by the decoder: BurntSushi/toml reports one of them,
	// by the order of a Go map; report the first in the file.
	if t != nil {
		if e := d.mismatch(t); e != nil {
			return e
		}
	}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return parseError(d.fm, 2, pe)
	}
	return err
}

// parseError is pe, an error of BurntSushi/toml on the text s whose first
// line is line line0 of the file, at its position in the file.
func parseError(s string, line0 int, pe toml.ParseError) *Error {
	off := pe.Position.Start
	if strings.HasPrefix(s, bom) {
		off += len(bom) // BurntSushi drops a leading BOM before counting
	}
	if off < 0 || off > len(s) {
		off = lineOffset(s, pe.Position.Line) // fall back on the line
	}
	p := posIn(s, line0, off)
	return &Error{Line: p.Line, Col: p.Col, Msg: pe.Message}
}

// lineOffset is the offset of the start of 1-based line n of s.
func lineOffset(s string, n int) int {
	off := 0
	for ; n > 1; n-- {
		j := strings.IndexByte(s[off:], '\n')
		if j < 0 {
			return len(s)
		}
		off += j + 1
	}
	return off
}

// posIn is the position of offset off of text s whose first line is line
// line0.
func posIn(s string, line0, off int) Pos {
	ls := strings.LastIndexByte(s[:off], '\n') + 1
	return Pos{Line: line0 + strings.Count(s[:off], "\n"), Col: utf8.RuneCountInString(s[ls:off]) + 1}
}

// filePos is the position of byte offset i of data, whose bytes before i are
// valid UTF-8. A CR before a LF is not counted as a column.
func filePos(data []byte, i int) Pos {
	ls := bytes.LastIndexByte(data[:i], '\n') + 1
	return Pos{Line: 1 + bytes.Count(data[:i], []byte("\n")), Col: utf8.RuneCount(data[ls:i]) + 1}
}

func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// Validate reports whether the current file (after edits) parses cleanly:
// the delimiters are where they were and the front matter is valid TOML.
// Edits do not validate by themselves; a caller that passes hand-made value
// literals should call Validate before writing.
func (d *Doc) Validate() error {
	d2, err := Parse(d.Bytes())
	if err != nil {
		return err
	}
	if d2.fm != d.fm {
		return &Error{Line: 1 + 1 + strings.Count(d2.fm, "\n"), Col: 1, Msg: "a value contains a line +++ that would end the front matter"}
	}
	return nil
}

// Body returns the body: everything after the closing +++ line, with LF line
// ends.
func (d *Doc) Body() []byte { return bytes.Clone(d.body) }

// BodyLine returns the 1-based file line on which the body starts (the line
// after the closing +++).
func (d *Doc) BodyLine() int { return 3 + strings.Count(d.fm, "\n") }

// FrontMatter returns the TOML text between the delimiter lines.
func (d *Doc) FrontMatter() []byte { return []byte(d.fm) }

// Decode decodes the front matter into v with toml.Decode. Errors are *Error
// with file positions (Line 0 when BurntSushi gives none).
func (d *Doc) Decode(v any) (toml.MetaData, error) {
	md, err := toml.Decode(d.fm, v)
	return md, d.convertErr(err, reflect.TypeOf(v))
}

// Bytes returns the whole file: "+++\n", the front matter, "+++\n", the body.
// Without edits it equals the input with the byte-order mark removed and CRLF
// turned into LF.
func (d *Doc) Bytes() []byte {
	b := make([]byte, 0, len(delim)+1+len(d.fm)+len(d.closing)+len(d.body))
	b = append(b, delim+"\n"...)
	b = append(b, d.fm...)
	b = append(b, d.closing...)
	return append(b, d.body...)
}

// toLF turns CRLF line ends into LF. Any run of CRs before a LF goes, so
// that the result holds no CRLF (a lone CR elsewhere is kept). Without a CR
// it returns b itself.
func toLF(b []byte) []byte {
	i := bytes.IndexByte(b, '\r')
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:i]...)
	for ; i < len(b); i++ {
		if b[i] == '\r' {
			j := i
			for j < len(b) && b[j] == '\r' {
				j++
			}
			if j == len(b) || b[j] != '\n' {
				out = append(out, b[i:j]...) // lone CRs stay
			}
			i = j - 1
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// SetBody replaces the body; CRLF line ends become LF (as in Parse).
func (d *Doc) SetBody(body []byte) {
	body = bytes.Clone(toLF(body))
	d.body = body
	if len(body) > 0 {
		d.closing = delim + "\n"
	}
}

// find returns the index of the entry of one of the kinds with the path, or
// -1.
func (d *Doc) find(path string, kinds ...kind) int {
	for i := range d.entries {
		e := &d.entries[i]
		if e.path != path {
			continue
		}
		for _, k := range kinds {
			if e.kind == k {
				return i
			}
		}
	}
	return -1
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// Key returns the position of the key with the given path, one part per
// argument: Key("id"), Key("requester", "name"). The key may be written in
// its table, as a dotted key or inside an inline table. For an element of an
// array of tables use KeyIn.
func (d *Doc) Key(path ...string) (Pos, bool) {
	var p string
	for _, s := range path {
		p = joinPath(p, renderPart(s))
	}
	if i := d.find(p, kKey, kInlineKey); i >= 0 {
		return d.entries[i].pos, true
	}
	return Pos{}, false
}

// KeyIn returns the position of key in the element index (0-based) of the
// array of tables array: KeyIn("events", 2, "to") is the key to of the third
// [[events]] entry. array is a dotted path ("sla.priority").
func (d *Doc) KeyIn(array string, index int, key string) (Pos, bool) {
	p := parsePath(array) + "[" + strconv.Itoa(index) + "]." + renderPart(key)
	if i := d.find(p, kKey, kInlineKey); i >= 0 {
		return d.entries[i].pos, true
	}
	return Pos{}, false
}

// Table returns the position of the table name (a dotted path such as
// "feedback" or "workflow.transitions"): its [name] header; else, for a
// table written inline, with dotted keys or only through sub-tables
// ([name.sub]), the first key or header that defines it.
// Arrays of tables are not tables here: use ArrayTable.
func (d *Doc) Table(name string) (Pos, bool) {
	p := parsePath(name)
	if i := d.find(p, kTable); i >= 0 {
		return d.entries[i].pos, true
	}
	if i := d.find(p, kKey, kInlineKey); i >= 0 && d.isInlineTable(i) {
		return d.entries[i].pos, true
	}
	for i := range d.entries {
		e := &d.entries[i]
		if e.kind != kInlineElem && strings.HasPrefix(e.path, p+".") {
			return e.pos, true
		}
	}
	return Pos{}, false
}

func (d *Doc) isInlineTable(i int) bool {
	e := &d.entries[i]
	return e.ve > e.vs && d.fm[e.vs] == '{'
}

// ArrayTable returns the position of the [[name]] header of element index
// (0-based) of the array of tables name, or of the '{' of that element when
// the array is written inline.
func (d *Doc) ArrayTable(name string, index int) (Pos, bool) {
	p := parsePath(name) + "[" + strconv.Itoa(index) + "]"
	if i := d.find(p, kArrayTable, kInlineElem); i >= 0 {
		return d.entries[i].pos, true
	}
	return Pos{}, false
}

// Len returns the number of elements of the array of tables name written as
// [[name]] headers.
func (d *Doc) Len(name string) int {
	p := parsePath(name) + "["
	n := 0
	for i := range d.entries {
		e := &d.entries[i]
		if e.kind == kArrayTable && strings.HasPrefix(e.path, p) && !strings.Contains(e.path[len(p):], ".") {
			n++
		}
	}
	return n
}

// Keys returns every key in document order, including the keys inside inline
// tables (after the key that holds the inline table).
func (d *Doc) Keys() []KeyInfo {
	out := make([]KeyInfo, 0, len(d.entries))
	for i := range d.entries {
		e := &d.entries[i]
		if e.kind != kKey && e.kind != kInlineKey {
			continue
		}
		out = append(out, KeyInfo{Path: e.path, Pos: e.pos, Value: d.fm[e.vs:e.ve]})
	}
	return out
}

// EachPath calls fn with the path of every table and array-of-tables
// header (as Tables gives them), then of every key (as Keys gives them),
// without building either list.
func (d *Doc) EachPath(fn func(path string)) {
	for i := range d.entries {
		if e := &d.entries[i]; e.kind == kTable || e.kind == kArrayTable {
			fn(e.path)
		}
	}
	for i := range d.entries {
		if e := &d.entries[i]; e.kind == kKey || e.kind == kInlineKey {
			fn(e.path)
		}
	}
}

// Tables returns every table and array-of-tables header in document order:
// Path is the table's path (feedback, events[2]), Pos the position of its
// '[', Value empty.
func (d *Doc) Tables() []KeyInfo {
	var out []KeyInfo
	for i := range d.entries {
		e := &d.entries[i]
		if e.kind == kTable || e.kind == kArrayTable {
			out = append(out, KeyInfo{Path: e.path, Pos: e.pos})
		}
	}
	return out
}
