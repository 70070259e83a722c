package front

import (
	"strings"
)

// replace replaces fm[a:b] with text and re-indexes.
func (d *Doc) replace(a, b int, text string) {
	if a == b && a < len(bom) && strings.HasPrefix(d.fm, bom) {
		a, b = len(bom), len(bom) // insert after a byte-order mark opening the front matter
	}
	d.fm = d.fm[:a] + text + d.fm[b:]
	d.index()
}

// resolveTable returns the rendered path of the table a caller names: the
// table itself, or, when name is an array of tables, its last element.
func (d *Doc) resolveTable(table string) string {
	tp := parsePath(table)
	if tp == "" || d.find(tp, kTable) >= 0 {
		return tp
	}
	if i := d.lastArrayElem(tp); i >= 0 {
		return d.entries[i].path
	}
	return tp
}

// lastArrayElem returns the index of the header of the last [[path]] entry,
// or -1.
func (d *Doc) lastArrayElem(path string) int {
	last := -1
	for i := range d.entries {
		e := &d.entries[i]
		if e.kind == kArrayTable && len(e.path) > len(path)+2 && strings.HasPrefix(e.path, path) &&
			e.path[len(path)] == '[' && isIndex(e.path[len(path)+1:]) {
			last = i
		}
	}
	return last
}

// isIndex reports whether s is digits followed by "]".
func isIndex(s string) bool {
	if len(s) < 2 || s[len(s)-1] != ']' {
		return false
	}
	for i := 0; i < len(s)-1; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Set sets key in table (a dotted path; "" is the top level) to value, a
// TOML value literal (see String, Time, ...).
//
// An existing key's value is replaced in place, wherever the key is written
// (in its table, as a dotted key, inside an inline table), keeping a trailing
// comment; the old value may span lines. A new key is inserted as
// "key = value" after the last key of the table: at the top level before the
// first header, or at the very start when the top level has no keys. A table
// that exists only through dotted keys (requester.name = "x") gets a new
// dotted key, and an inline table a new member. When the table does not exist
// at all, a [table] header is created before the first [[events]] entry (and
// the comment lines right above it), or else at the end, set off by a blank
// line. When table names an array of tables, its last element is edited.
//
// Set does not validate: a malformed value literal, or a key that is already
// a table, gives front matter that Validate rejects.
func (d *Doc) Set(table, key, value string) {
	tp := d.resolveTable(table)
	k := renderPart(key)
	if i := d.find(joinPath(tp, k), kKey, kInlineKey); i >= 0 {
		e := d.entries[i]
		d.replace(e.vs, e.ve, value)
		return
	}
	line := k + " = " + value + "\n"
	if tp == "" {
		d.insertInSection(-1, line)
		return
	}
	if i := d.find(tp, kTable, kArrayTable); i >= 0 {
		d.insertInSection(i, line)
		return
	}
	if i := d.find(tp, kKey, kInlineKey); i >= 0 && d.isInlineTable(i) {
		d.insertInline(i, k+" = "+value)
		return
	}
	// A table defined by dotted keys in an enclosing section.
	last := -1
	for i := range d.entries {
		e := &d.entries[i]
		if e.kind != kKey || !strings.HasPrefix(e.path, tp+".") {
			continue
		}
		if e.section >= 0 && !strings.HasPrefix(tp, d.entries[e.section].path+".") {
			continue // tp is (part of) the header, not of the dotted key
		}
		last = i
	}
	if last >= 0 {
		e := d.entries[last]
		rel := tp
		if e.section >= 0 {
			rel = strings.TrimPrefix(tp, d.entries[e.section].path+".")
		}
		d.replace(e.end, e.end, rel+"."+line)
		return
	}
	d.createTable(tp, line)
}

// insertInSection inserts text after the last key statement of the section
// whose header is entry sec (-1: the top level).
func (d *Doc) insertInSection(sec int, text string) {
	at := 0
	if sec >= 0 {
		at = d.entries[sec].end
	}
	for i := range d.entries {
		e := &d.entries[i]
		if e.kind == kKey && int(e.section) == sec {
			at = e.end
		}
	}
	d.replace(at, at, text)
}

// insertInline adds member ("k = v") to the inline table that is the value of
// entry i.
func (d *Doc) insertInline(i int, member string) {
	e := d.entries[i]
	if e.ve-e.vs < 2 || d.fm[e.ve-1] != '}' {
		return
	}
	lastVE := -1
	for j := i + 1; j < len(d.entries); j++ {
		if c := &d.entries[j]; c.kind == kInlineKey && int(c.parent) == i {
			lastVE = c.ve
		}
	}
	if lastVE < 0 {
		d.replace(e.vs+1, e.ve-1, " "+member+" ")
		return
	}
	d.replace(lastVE, lastVE, ", "+member)
}

// createTable adds a [tp] header with its first line of keys.
func (d *Doc) createTable(tp, lines string) {
	d.insertTable(tp, "["+tp+"]\n"+lines)
}

// insertTable inserts text, a new table tp, before the first [[events]]
// entry (and the comment lines right above it), so the log stays last, or
// else at the end, set off by blank lines.
func (d *Doc) insertTable(tp, text string) {
	at := len(d.fm)
	if first, _, _ := strings.Cut(tp, "."); first != "events" && first != `"events"` {
		for i := range d.entries {
			if e := &d.entries[i]; e.kind == kArrayTable && d.isElemOf(e.path, "events") {
				at = d.commentStart(e.start)
				break
			}
		}
	}
	if at < len(d.fm) {
		text += "\n"
	}
	if !d.prevLineBlank(at) {
		text = "\n" + text
	}
	d.replace(at, at, text)
}

// isElemOf reports whether path is an element of the array name: name[N].
func (d *Doc) isElemOf(path, name string) bool {
	return len(path) > len(name)+2 && strings.HasPrefix(path, name) && path[len(name)] == '[' && isIndex(path[len(name)+1:])
}

// commentStart returns the start of the block of comment lines directly above
// the line starting at at (at itself when there is none).
func (d *Doc) commentStart(at int) int {
	for at > 0 {
		ls := strings.LastIndexByte(d.fm[:at-1], '\n') + 1
		if !strings.HasPrefix(strings.TrimLeft(d.fm[ls:at-1], " \t"), "#") {
			break
		}
		at = ls
	}
	return at
}

// prevLineBlank reports whether at is the start of the text or the line
// before offset at (a line start) is blank.
func (d *Doc) prevLineBlank(at int) bool {
	if at == 0 {
		return true
	}
	ls := strings.LastIndexByte(d.fm[:at-1], '\n') + 1
	return strings.TrimSpace(d.fm[ls:at-1]) == ""
}

// Delete removes key from table (as for Set): the whole statement with its
// trailing comment and line end, or the member of an inline table with its
// comma. A missing key is not an error.
func (d *Doc) Delete(table, key string) {
	tp := d.resolveTable(table)
	i := d.find(joinPath(tp, renderPart(key)), kKey, kInlineKey)
	if i < 0 {
		return
	}
	e := d.entries[i]
	if e.kind == kKey {
		d.replace(e.start, e.end, "")
		return
	}
	a, b := e.key, e.ve
	j := b
	for j < len(d.fm) && (d.fm[j] == ' ' || d.fm[j] == '\t') {
		j++
	}
	if j < len(d.fm) && d.fm[j] == ',' {
		// a = 1, b = 2: take the comma after and the space up to the next member.
		j++
		for j < len(d.fm) && (d.fm[j] == ' ' || d.fm[j] == '\t') {
			j++
		}
		b = j
	} else {
		// last member: take the comma before it.
		j = a
		for j > 0 && (d.fm[j-1] == ' ' || d.fm[j-1] == '\t') {
			j--
		}
		if j > 0 && d.fm[j-1] == ',' {
			a = j - 1
		}
	}
	d.replace(a, b, "")
}

// AppendArrayTable appends a [[name]] entry holding the keys of kv in order:
// after the last entry of the array (and any sub-tables of that entry), or,
// when there is none, where Set creates a new table: before the first
// [[events]] entry, else at the end, set off by a blank line. Values are TOML literals, as for Set. An array written inline
// (name = [...]) is not supported: the result would not validate.
func (d *Doc) AppendArrayTable(name string, kv []KV) {
	np := parsePath(name)
	var b strings.Builder
	b.WriteString("[[" + np + "]]\n")
	for _, p := range kv {
		b.WriteString(renderPart(p.Key) + " = " + p.Value + "\n")
	}
	text := b.String()
	last := d.lastArrayElem(np)
	if last < 0 {
		d.insertTable(np, text)
		return
	}
	sub := d.entries[last].path + "."
	at := d.entries[last].end
	for j := last + 1; j < len(d.entries); j++ {
		e := &d.entries[j]
		if (e.kind == kTable || e.kind == kArrayTable) && !strings.HasPrefix(e.path, sub) {
			break
		}
		if e.kind != kInlineKey && e.kind != kInlineElem && e.end > at {
			at = e.end
		}
	}
	text = "\n" + text
	if at < len(d.fm) && d.fm[at] != '\n' {
		text += "\n"
	}
	d.replace(at, at, text)
}
