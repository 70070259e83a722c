package front

import (
	"cmp"
	"encoding"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// When BurntSushi/toml's decoder refuses a value, it reports the first it
// meets in the order of a Go map, so not always the same one; and a type
// mismatch (a string where the Go field is an integer, a value where it wants
// a table) comes without a toml.ParseError: a plain error whose text alone
// holds the key and a line, the line of the last key of that name (in an
// array of tables, often another element). A key that no field takes it
// leaves undecoded (MetaData.Undecoded), without a position or an array
// index. So that errors are the same from run to run, name their place, and
// no code reads that text, CheckTypes walks the decoded TOML data beside the
// Go type as BurntSushi/toml's decoder does and lists what the decoder would
// refuse or leave, each at its place in the file. Doc.Decode reports the
// first refused value with BurntSushi/toml's message; repo/config reports
// desk.toml's in words of its own.

// MismatchKind says what CheckTypes found wrong with a value or a key.
type MismatchKind uint8

const (
	// WrongType is a value of a TOML type that its Go destination does not
	// take (a string for an integer, a table for a list).
	WrongType MismatchKind = iota
	// NotTable is a value other than a table where the Go destination is a
	// struct.
	NotTable
	// WrongLength is a TOML array of another length than its Go array.
	WrongLength
	// BadText is a value that its destination's UnmarshalText refuses (a
	// time that does not parse).
	BadText
	// UnknownKey is a key that no field of its struct takes.
	UnknownKey
)

// Mismatch is a value of a TOML file that BurntSushi/toml's decoder would
// refuse to decode into a Go type, or a key it would leave undecoded.
type Mismatch struct {
	Kind MismatchKind
	// Pos is the position of the key, table header or array-of-tables
	// element at fault; for BadText, of the value, inside the quotes of a
	// string, as BurntSushi/toml counts it. An element of a plain array is
	// placed at the array: at its key, or at its '[' for BadText (where
	// BurntSushi/toml's ParseError names the element). Zero when not known.
	Pos Pos
	// Key names the value as BurntSushi/toml does, without array indexes:
	// sla.priority.name.
	Key toml.Key
	// Found is, for WrongType and NotTable, the Go type of the decoded TOML
	// value, as BurntSushi/toml names it: int64, map[string]any.
	Found string
	// Want is, for WrongType, what the destination takes, in
	// BurntSushi/toml's words: string, integer, float, boolean, slice, map,
	// primitive (string-like); for NotTable, the struct type.
	Want string
	// Msg is BurntSushi/toml's message for a refused value; for an unknown
	// key, `unknown key "a.b"`.
	Msg string
}

// CheckTypes walks data, the file decoded into a map, beside the Go type t
// as BurntSushi/toml's decoder would decode the file into a t, and returns
// the values it would refuse and the keys it would leave undecoded, in file
// order, those without a position last. The walk does not go below a value
// it refuses or an unknown key. A key matches a struct field by its toml tag
// (or, without one, its Go name), else but for case, as in BurntSushi/toml.
func (x *Index) CheckTypes(data map[string]any, t reflect.Type) []Mismatch {
	return x.d.checkTypes(data, t)
}

// mismatch returns the first value of the front matter, in file order, that
// BurntSushi/toml refuses to decode into a value of type t, or nil. Unknown
// keys are not refused (package ticket reports them).
func (d *Doc) mismatch(t reflect.Type) *Error {
	var data map[string]any
	if _, err := toml.Decode(d.fm, &data); err != nil {
		return nil
	}
	for _, m := range d.checkTypes(data, t) {
		if m.Kind != UnknownKey {
			return &Error{Line: m.Pos.Line, Col: m.Pos.Col, Msg: m.Msg}
		}
	}
	return nil
}

func (d *Doc) checkTypes(data map[string]any, t reflect.Type) []Mismatch {
	w := &typeWalk{d: d}
	w.value(data, t, nil, "")
	slices.SortStableFunc(w.found, func(a, b Mismatch) int { return comparePos(a.Pos, b.Pos) })
	return w.found
}

// comparePos orders positions in the file, the zero Pos (not known) last.
func comparePos(a, b Pos) int {
	if (a.Line == 0) != (b.Line == 0) {
		if a.Line == 0 {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
}

// typeWalk is one walk of CheckTypes. Keys are walked in sorted order, so
// that of two problems at one position the same is listed first on every
// run.
type typeWalk struct {
	d     *Doc
	found []Mismatch
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	tomlUnmarshaler = reflect.TypeFor[toml.Unmarshaler]()
	durationType    = reflect.TypeFor[time.Duration]()
)

// value checks data, at key (as BurntSushi/toml names it, without array
// indexes) and path (as the index names it: events[2].at), against type t.
func (w *typeWalk) value(data any, t reflect.Type, key toml.Key, path string) {
	t = deref(t)
	if data == nil {
		return
	}
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(tomlUnmarshaler):
		return // decodes itself
	case pt.Implements(textUnmarshaler):
		w.text(data, t, key, path)
		return
	}
	switch k := t.Kind(); {
	case k == reflect.Struct:
		m, ok := data.(map[string]any)
		if !ok {
			w.add(w.d.posOf(path), Mismatch{Kind: NotTable, Key: key, Found: tomlType(data), Want: t.String(),
				Msg: fmt.Sprintf("%s: type mismatch for %s: expected table but found %s", key, t, tomlType(data))})
			return
		}
		for _, name := range slices.Sorted(maps.Keys(m)) {
			k, p := append(slices.Clip(key), name), joinPath(path, renderPart(name))
			f, ok := fieldFor(t, name)
			if !ok {
				w.add(w.d.posOf(p), Mismatch{Kind: UnknownKey, Key: k, Msg: fmt.Sprintf("unknown key %q", k)})
				continue
			}
			w.value(m[name], f.Type, k, p)
		}
	case k == reflect.Map:
		m, ok := data.(map[string]any)
		if !ok {
			w.wrong(key, path, data, "map")
			return
		}
		for _, name := range slices.Sorted(maps.Keys(m)) {
			w.value(m[name], t.Elem(), append(slices.Clip(key), name), joinPath(path, renderPart(name)))
		}
	case k == reflect.Slice || k == reflect.Array:
		w.slice(data, t, key, path)
	case k == reflect.String:
		if _, ok := data.(string); !ok {
			w.wrong(key, path, data, "string")
		}
	case k == reflect.Bool:
		if _, ok := data.(bool); !ok {
			w.wrong(key, path, data, "boolean")
		}
	case k >= reflect.Int && k <= reflect.Uint64:
		if _, ok := data.(string); ok && t == durationType {
			return
		}
		if _, ok := data.(int64); !ok {
			w.wrong(key, path, data, "integer")
		}
	case k == reflect.Float32 || k == reflect.Float64:
		switch data.(type) {
		case int64, float64:
		default:
			w.wrong(key, path, data, "float")
		}
	}
}

func (w *typeWalk) slice(data any, t reflect.Type, key toml.Key, path string) {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		w.wrong(key, path, data, "slice")
		return
	}
	if t.Kind() == reflect.Array && v.Len() != t.Len() {
		w.add(w.d.posOf(path), Mismatch{Kind: WrongLength, Key: key,
			Msg: fmt.Sprintf("%s: expected array length %d; got TOML array of length %d", key, t.Len(), v.Len())})
		return
	}
	// An element that is a table going into a struct or a map is shown at
	// its [[header]] or '{', and its keys below it; any other element at the
	// array's key.
	into := deref(t.Elem()).Kind()
	for i := range v.Len() {
		el, p := v.Index(i).Interface(), path
		if _, ok := el.(map[string]any); ok && (into == reflect.Struct || into == reflect.Map) {
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		w.value(el, t.Elem(), key, p)
	}
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// text checks data against t, which decodes itself from text (a time): the
// text is the one BurntSushi/toml gives UnmarshalText, and a refusal is
// placed at the value, without the key, as BurntSushi/toml places it.
func (w *typeWalk) text(data any, t reflect.Type, key toml.Key, path string) {
	var s string
	switch v := data.(type) {
	case encoding.TextMarshaler: // a date or time
		b, err := v.MarshalText()
		if err != nil {
			return
		}
		s = string(b)
	case string:
		s = v
	case bool, int64:
		s = fmt.Sprint(v)
	case float64:
		s = fmt.Sprintf("%f", v)
	default:
		w.wrong(key, path, data, "primitive (string-like)")
		return
	}
	if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
		w.add(w.d.valuePos(path), Mismatch{Kind: BadText, Key: key, Msg: err.Error()})
	}
}

// wrong adds a value of TOML type data where the Go type dst was expected.
func (w *typeWalk) wrong(key toml.Key, path string, data any, dst string) {
	w.add(w.d.posOf(path), Mismatch{Kind: WrongType, Key: key, Found: tomlType(data), Want: dst,
		Msg: fmt.Sprintf("%s: incompatible types: TOML value has type %s; destination has type %s", key, tomlType(data), dst)})
}

func (w *typeWalk) add(p Pos, m Mismatch) {
	m.Pos = p
	w.found = append(w.found, m)
}

// posOf is the position of the key, table header or array element at path,
// else of the first entry below it (a table made by dotted keys or by
// sub-tables has no entry of its own), else the zero Pos.
func (d *Doc) posOf(path string) Pos {
	var below *entry
	for i := range d.entries {
		e := &d.entries[i]
		rest, ok := strings.CutPrefix(e.path, path)
		switch {
		case !ok:
		case rest == "":
			return e.pos
		case below == nil && (rest[0] == '.' || rest[0] == '['):
			below = e
		}
	}
	if below == nil {
		return Pos{}
	}
	return below.pos
}

// valuePos is the position of the value of the key at path; inside the
// quotes of a string, as BurntSushi/toml counts it.
func (d *Doc) valuePos(path string) Pos {
	i := d.find(path, kKey, kInlineKey)
	if i < 0 || d.entries[i].ve <= d.entries[i].vs {
		return d.posOf(path)
	}
	e := &d.entries[i]
	off := e.vs
	switch v := d.fm[e.vs:e.ve]; {
	case strings.HasPrefix(v, `"""`) || strings.HasPrefix(v, "'''"):
		off += 3
	case v[0] == '"' || v[0] == '\'':
		off++
	}
	ls := strings.LastIndexByte(d.fm[:e.key], '\n') + 1 // from the key's line: a Doc's first line is 2, an Index's 1
	return posIn(d.fm[ls:], e.pos.Line, off-ls)
}

// tomlType names the Go type of a decoded TOML value as BurntSushi/toml's
// messages do.
func tomlType(v any) string { return strings.ReplaceAll(fmt.Sprintf("%T", v), "interface {}", "any") }

// fieldFor is the field of struct t that BurntSushi/toml decodes key into:
// the one named key by its toml tag (or, without a tag, its Go name), else
// the first whose name matches key but for case.
func fieldFor(t reflect.Type, key string) (reflect.StructField, bool) {
	var fold reflect.StructField
	found := false
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		switch {
		case name == "-":
			continue
		case name == "":
			name = f.Name
		}
		if name == key {
			return f, true
		}
		if !found && strings.EqualFold(name, key) {
			fold, found = f, true
		}
	}
	return fold, found
}
