package front

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// kind tells what an index entry is.
type kind uint8

const (
	kKey        kind = iota // a key/value statement: key = value
	kInlineKey              // a key inside an inline table: { key = value }
	kTable                  // a table header: [a.b]
	kArrayTable             // an array-of-tables header: [[a]]
	kInlineElem             // an inline table that is an element of an array: a = [{...}]
)

// entry is one indexed item of the front matter. Offsets are byte offsets
// into the front-matter text.
type entry struct {
	kind    kind
	path    string // full rendered path: events[2].to, requester.name, feedback
	rel     string // key path relative to its section (kKey) or its inline table (kInlineKey)
	section int32  // index of the header entry whose section holds this key; -1 = top level
	parent  int32  // kInlineKey: index of the entry whose value is the inline table; else -1
	pos     Pos    // file position of the key's first character, or of a header's '['
	start   int    // offset of the start of the line (statements, headers); = key for inline keys
	key     int    // offset of the key's first character, or of a header's '['
	vs, ve  int    // value span (keys); ve = end of the value
	end     int    // offset just past the statement's line end (after comment and newline)

	pa, pb, ra, rb int32 // path and rel as spans of the scanner's arena, until finished
}

// span is a string under construction in the scanner's arena.
type span struct{ a, b int32 }

// scanner indexes TOML text lexically. It never fails: on text that is not
// valid TOML it does what it can and moves on, so that it cannot panic or loop
// on any input.
type scanner struct {
	s       string
	i       int
	entries []entry
	parts   []string // reusable buffer for the parts of the key being read
	arrays  []arrayCount
	buf     []byte // arena holding every rendered path
	section int32
	depth   int

	// position cursor (offsets asked for only grow during a scan)
	line0     int // file line of s[0]
	curOff    int
	curLine   int
	curLStart int
}

type arrayCount struct {
	path span
	n    int
}

const maxDepth = 200

const bom = "\ufeff"

func scan(s string, line0 int, buf []entry) []entry {
	if n := strings.Count(s, "\n") + 1; cap(buf) < n {
		buf = make([]entry, 0, n)
	}
	sc := scanner{s: s, entries: buf[:0], section: -1, line0: line0, curLine: line0,
		buf: make([]byte, 0, len(s)/2+64)}
	sc.run()
	arena := string(sc.buf)
	for i := range sc.entries {
		e := &sc.entries[i]
		e.path, e.rel = arena[e.pa:e.pb], arena[e.ra:e.rb]
	}
	return sc.entries
}

func (sc *scanner) str(p span) []byte { return sc.buf[p.a:p.b] }

// join appends a+"."+b to the arena (b alone when a is empty).
func (sc *scanner) join(a, b span) span {
	if a.a == a.b {
		return b
	}
	start := int32(len(sc.buf))
	sc.buf = append(sc.buf, sc.buf[a.a:a.b]...)
	sc.buf = append(sc.buf, '.')
	sc.buf = append(sc.buf, sc.buf[b.a:b.b]...)
	return span{start, int32(len(sc.buf))}
}

// index appends p+"[n]" to the arena.
func (sc *scanner) index(p span, n int) span {
	start := int32(len(sc.buf))
	sc.buf = append(sc.buf, sc.buf[p.a:p.b]...)
	sc.buf = append(sc.buf, '[')
	sc.buf = strconv.AppendInt(sc.buf, int64(n), 10)
	sc.buf = append(sc.buf, ']')
	return span{start, int32(len(sc.buf))}
}

// posAt converts an offset into a file position (1-based line, 1-based
// column counted in runes).
func (sc *scanner) posAt(off int) Pos {
	if off < sc.curOff {
		sc.curOff, sc.curLine, sc.curLStart = 0, sc.line0, 0
	}
	for {
		j := strings.IndexByte(sc.s[sc.curOff:off], '\n')
		if j < 0 {
			break
		}
		sc.curLine++
		sc.curOff += j + 1
		sc.curLStart = sc.curOff
	}
	sc.curOff = off
	return Pos{Line: sc.curLine, Col: utf8.RuneCountInString(sc.s[sc.curLStart:off]) + 1}
}

func (sc *scanner) skipWS() {
	for sc.i < len(sc.s) && (sc.s[sc.i] == ' ' || sc.s[sc.i] == '\t') {
		sc.i++
	}
}

// skipLine moves past the next newline (or to the end).
func (sc *scanner) skipLine() {
	j := strings.IndexByte(sc.s[sc.i:], '\n')
	if j < 0 {
		sc.i = len(sc.s)
		return
	}
	sc.i += j + 1
}

// skipWSNL skips white space, newlines and comments (inside arrays and
// inline tables).
func (sc *scanner) skipWSNL() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		case '#':
			j := strings.IndexByte(sc.s[sc.i:], '\n')
			if j < 0 {
				sc.i = len(sc.s)
				return
			}
			sc.i += j
		default:
			return
		}
	}
}

// endStatement skips trailing white space and a comment, then the newline.
func (sc *scanner) endStatement() {
	sc.skipWS()
	sc.skipLine()
}

func (sc *scanner) run() {
	if strings.HasPrefix(sc.s, bom) {
		sc.i = len(bom) // BurntSushi skips it; so does the index
	}
	for sc.i < len(sc.s) {
		ls := sc.i
		sc.skipWS()
		if sc.i >= len(sc.s) {
			break
		}
		switch c := sc.s[sc.i]; c {
		case '\n':
			sc.i++
		case '\r', '#':
			sc.skipLine()
		case '[':
			sc.header(ls)
		case '=', ']', '{', '}', ',', '.':
			sc.skipLine() // not TOML; go on with the next line
		default:
			sc.statement(ls)
		}
		if sc.i == ls { // cannot happen; guard against looping
			sc.i++
		}
	}
}

// header reads a [table] or [[array]] header starting at sc.i.
func (sc *scanner) header(ls int) {
	at := sc.i
	array := strings.HasPrefix(sc.s[sc.i:], "[[")
	if array {
		sc.i += 2
	} else {
		sc.i++
	}
	if !sc.key() {
		sc.skipLine()
		return
	}
	sc.skipWS()
	if array {
		if !strings.HasPrefix(sc.s[sc.i:], "]]") {
			sc.skipLine()
			return
		}
		sc.i += 2
	} else {
		if sc.i >= len(sc.s) || sc.s[sc.i] != ']' {
			sc.skipLine()
			return
		}
		sc.i++
	}
	// Resolve the path: a part naming an array of tables refers to its last
	// element so far.
	start := int32(len(sc.buf))
	for j, p := range sc.parts {
		if j > 0 {
			sc.buf = append(sc.buf, '.')
		}
		sc.buf = appendPart(sc.buf, p)
		last := j == len(sc.parts)-1
		cur := span{start, int32(len(sc.buf))}
		k := sc.arrayIndex(cur)
		switch {
		case last && array:
			n := 0
			if k >= 0 {
				n = sc.arrays[k].n
				sc.arrays[k].n++
			} else {
				sc.arrays = append(sc.arrays, arrayCount{cur, 1}) // the arena only grows: cur stays valid
			}
			sc.buf = append(sc.buf, '[')
			sc.buf = strconv.AppendInt(sc.buf, int64(n), 10)
			sc.buf = append(sc.buf, ']')
		case k >= 0:
			sc.buf = append(sc.buf, '[')
			sc.buf = strconv.AppendInt(sc.buf, int64(sc.arrays[k].n-1), 10)
			sc.buf = append(sc.buf, ']')
		}
	}
	path := span{start, int32(len(sc.buf))}
	kd := kTable
	if array {
		kd = kArrayTable
	}
	sc.endStatement()
	sc.entries = append(sc.entries, entry{
		kind: kd, pa: path.a, pb: path.b, section: -1, parent: -1,
		pos: sc.posAt(at), start: ls, key: at, vs: sc.i, ve: sc.i, end: sc.i,
	})
	sc.section = int32(len(sc.entries) - 1)
}

func (sc *scanner) arrayIndex(path span) int {
	for k := range sc.arrays {
		if string(sc.str(sc.arrays[k].path)) == string(sc.str(path)) {
			return k
		}
	}
	return -1
}

// statement reads key = value and its line end.
func (sc *scanner) statement(ls int) {
	at := sc.i
	if !sc.key() {
		sc.skipLine()
		return
	}
	rel := sc.renderParts()
	sc.skipWS()
	if sc.i >= len(sc.s) || sc.s[sc.i] != '=' {
		sc.skipLine()
		return
	}
	sc.i++
	sc.skipWS()
	path := rel
	if sc.section >= 0 {
		sec := &sc.entries[sc.section]
		path = sc.join(span{sec.pa, sec.pb}, rel)
	}
	idx := len(sc.entries)
	sc.entries = append(sc.entries, entry{
		kind: kKey, pa: path.a, pb: path.b, ra: rel.a, rb: rel.b, section: sc.section, parent: -1,
		pos: sc.posAt(at), start: ls, key: at,
	})
	vs := sc.i
	sc.value(path, -1, int32(idx))
	e := &sc.entries[idx]
	e.vs, e.ve = vs, sc.i
	sc.endStatement()
	sc.entries[idx].end = sc.i
}

// key reads a possibly dotted key into sc.parts. It reports whether at least
// one part was read.
func (sc *scanner) key() bool {
	sc.parts = sc.parts[:0]
	for {
		sc.skipWS()
		if sc.i >= len(sc.s) {
			return false
		}
		switch sc.s[sc.i] {
		case '"':
			start := sc.i + 1
			sc.basicString()
			end := sc.i - 1
			if end < start || sc.s[end] != '"' {
				return false
			}
			sc.parts = append(sc.parts, unescape(sc.s[start:end]))
		case '\'':
			start := sc.i + 1
			sc.literalString()
			end := sc.i - 1
			if end < start || sc.s[end] != '\'' {
				return false
			}
			sc.parts = append(sc.parts, sc.s[start:end])
		default:
			start := sc.i
			for sc.i < len(sc.s) && isBareish(sc.s[sc.i]) {
				sc.i++
			}
			if sc.i == start {
				return false
			}
			sc.parts = append(sc.parts, sc.s[start:sc.i])
		}
		j := sc.i
		sc.skipWS()
		if sc.i < len(sc.s) && sc.s[sc.i] == '.' {
			sc.i++
			continue
		}
		sc.i = j
		return true
	}
}

// isBareish reports whether c may be part of a bare key, leniently: anything
// that does not end one (validation is BurntSushi's job).
func isBareish(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '=', '.', '[', ']', '#', '"', '\'', ',', '{', '}':
		return false
	}
	return true
}

// renderParts renders sc.parts into the arena.
func (sc *scanner) renderParts() span {
	start := int32(len(sc.buf))
	for j, p := range sc.parts {
		if j > 0 {
			sc.buf = append(sc.buf, '.')
		}
		sc.buf = appendPart(sc.buf, p)
	}
	return span{start, int32(len(sc.buf))}
}

// value reads a value at sc.i. path is the path of the key it belongs to,
// elem >= 0 when the value is element elem of the array at path, and owner is
// the index of the entry whose value this is (for inline tables).
func (sc *scanner) value(path span, elem int, owner int32) {
	if sc.i >= len(sc.s) {
		return
	}
	start := sc.i
	switch sc.s[sc.i] {
	case '"':
		if strings.HasPrefix(sc.s[sc.i:], `"""`) {
			sc.multiString('"')
		} else {
			sc.basicString()
		}
	case '\'':
		if strings.HasPrefix(sc.s[sc.i:], `'''`) {
			sc.multiString('\'')
		} else {
			sc.literalString()
		}
	case '[':
		if elem >= 0 {
			path = sc.index(path, elem)
		}
		sc.array(path)
	case '{':
		if elem >= 0 {
			path = sc.index(path, elem)
			owner = int32(len(sc.entries))
			sc.entries = append(sc.entries, entry{
				kind: kInlineElem, pa: path.a, pb: path.b, section: -1, parent: -1,
				pos: sc.posAt(sc.i), start: sc.i, key: sc.i, vs: sc.i,
			})
		}
		sc.inline(path, owner)
		if elem >= 0 {
			sc.entries[owner].ve = sc.i
			sc.entries[owner].end = sc.i
		}
	default:
		last := sc.i
		for sc.i < len(sc.s) {
			c := sc.s[sc.i]
			if c == ',' || c == ']' || c == '}' || c == '#' || c == '\n' || c == '\r' || c == '[' || c == '{' {
				break
			}
			sc.i++
			if c != ' ' && c != '\t' {
				last = sc.i
			}
		}
		sc.i = last
	}
	if sc.i == start && sc.i < len(sc.s) && sc.s[sc.i] != '\n' {
		sc.i++ // never stand still
	}
}

func (sc *scanner) basicString() {
	sc.i++ // opening quote
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case '\\':
			sc.i += 2
		case '"':
			sc.i++
			return
		case '\n':
			return
		default:
			sc.i++
		}
	}
	if sc.i > len(sc.s) {
		sc.i = len(sc.s)
	}
}

func (sc *scanner) literalString() {
	sc.i++
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case '\'':
			sc.i++
			return
		case '\n':
			return
		default:
			sc.i++
		}
	}
}

// multiString reads a multi-line string delimited by three q's; q = '"'
// honours backslash escapes.
func (sc *scanner) multiString(q byte) {
	sc.i += 3
	for sc.i < len(sc.s) {
		c := sc.s[sc.i]
		if c == '\\' && q == '"' {
			sc.i += 2
			continue
		}
		if c == q && sc.i+2 < len(sc.s) && sc.s[sc.i+1] == q && sc.s[sc.i+2] == q {
			sc.i += 3
			// Up to two more quotes belong to the content.
			for n := 0; n < 2 && sc.i < len(sc.s) && sc.s[sc.i] == q; n++ {
				sc.i++
			}
			return
		}
		sc.i++
	}
	if sc.i > len(sc.s) {
		sc.i = len(sc.s)
	}
}

func (sc *scanner) array(path span) {
	sc.i++ // [
	if sc.depth >= maxDepth {
		sc.skipLine()
		return
	}
	sc.depth++
	defer func() { sc.depth-- }()
	for n := 0; sc.i < len(sc.s); {
		sc.skipWSNL()
		if sc.i >= len(sc.s) {
			return
		}
		switch sc.s[sc.i] {
		case ']':
			sc.i++
			return
		case ',', '}', '=':
			sc.i++
			continue
		}
		sc.value(path, n, -1)
		n++
		sc.skipWSNL()
		if sc.i < len(sc.s) && sc.s[sc.i] == ',' {
			sc.i++
		}
	}
}

// inline reads an inline table, recording its keys as children of the entry
// owner.
func (sc *scanner) inline(path span, owner int32) {
	sc.i++ // {
	if sc.depth >= maxDepth {
		sc.skipLine()
		return
	}
	sc.depth++
	defer func() { sc.depth-- }()
	for sc.i < len(sc.s) {
		sc.skipWSNL()
		if sc.i >= len(sc.s) {
			return
		}
		switch sc.s[sc.i] {
		case '}':
			sc.i++
			return
		case ',', ']', '=', '[', '{':
			sc.i++
			continue
		}
		at := sc.i
		if !sc.key() {
			if sc.i == at {
				sc.i++
			}
			continue
		}
		rel := sc.renderParts()
		sc.skipWS()
		if sc.i >= len(sc.s) || sc.s[sc.i] != '=' {
			continue
		}
		sc.i++
		sc.skipWS()
		full := sc.join(path, rel)
		idx := len(sc.entries)
		sc.entries = append(sc.entries, entry{
			kind: kInlineKey, pa: full.a, pb: full.b, ra: rel.a, rb: rel.b, section: -1, parent: owner,
			pos: sc.posAt(at), start: at, key: at,
		})
		vs := sc.i
		sc.value(full, -1, int32(idx))
		e := &sc.entries[idx]
		e.vs, e.ve, e.end = vs, sc.i, sc.i
		sc.skipWS()
		if sc.i < len(sc.s) && sc.s[sc.i] == ',' {
			sc.i++
		}
	}
}

// unescape decodes the escapes of a TOML basic string's content (without
// quotes). Malformed escapes are kept as they are.
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case '"', '\\':
			b.WriteByte(s[i])
		case 'x', 'u', 'U':
			n := 2
			if s[i] == 'u' {
				n = 4
			} else if s[i] == 'U' {
				n = 8
			}
			if i+1+n <= len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
					b.WriteRune(rune(v))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(s[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// renderPart renders one key part canonically: bare when it can be, else as
// a basic string.
func renderPart(p string) string {
	if isBare(p) {
		return p
	}
	return String(p)
}

func appendPart(b []byte, p string) []byte {
	if isBare(p) {
		return append(b, p...)
	}
	return appendString(b, p)
}

func isBare(p string) bool {
	if p == "" {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// parsePath parses a dotted key path given by a caller ("feedback",
// "workflow.transitions", `"问题".x`) into its rendered form. A string that
// does not parse as a dotted key is taken as a single part.
func parsePath(s string) string {
	if s == "" {
		return ""
	}
	sc := scanner{s: s}
	if sc.key() {
		sc.skipWS()
		if sc.i == len(s) {
			return string(sc.str(sc.renderParts()))
		}
	}
	return renderPart(s)
}
