package front

import (
	"encoding"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// When BurntSushi/toml's decoder refuses a value, it reports the first it
// meets in the order of a Go map, so not always the same one; and a type
// mismatch (a string where the Go field is an integer, a value where it wants
// a table) comes without a toml.ParseError: a plain error whose text alone
// holds the key and a line, the line of the last key of that name (in an
// array of tables, often another element). So that errors are the same from
// run to run and no code reads that text, Decode finds the value at fault
// itself: mismatchWalk walks the decoded TOML data beside the Go type as
// BurntSushi/toml's decoder does, and keeps the first value in the file that
// the decoder refuses, with BurntSushi/toml's message.

// mismatchWalk looks for values of the wrong type in a Doc's data.
type mismatchWalk struct {
	d     *Doc
	first *Error // the first in the file so far
}

// mismatch returns the first value of the front matter, in file order, that
// BurntSushi/toml refuses to decode into a value of type t, or nil.
func (d *Doc) mismatch(t reflect.Type) *Error {
	var data map[string]any
	if _, err := toml.Decode(d.fm, &data); err != nil {
		return nil
	}
	w := &mismatchWalk{d: d}
	w.value(data, t, nil, "")
	return w.first
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	tomlUnmarshaler = reflect.TypeFor[toml.Unmarshaler]()
	durationType    = reflect.TypeFor[time.Duration]()
)

// value checks data, at key (as BurntSushi/toml names it, without array
// indexes) and path (as the index names it: events[2].at), against type t.
func (w *mismatchWalk) value(data any, t reflect.Type, key toml.Key, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
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
			w.note(w.d.posOf(path), key.String()+": "+fmt.Sprintf("type mismatch for %s: expected table but found %s", t, tomlType(data)))
			return
		}
		for name, v := range m {
			if f, ok := fieldFor(t, name); ok {
				w.value(v, f.Type, append(key[:len(key):len(key)], name), joinPath(path, renderPart(name)))
			}
		}
	case k == reflect.Map:
		m, ok := data.(map[string]any)
		if !ok {
			w.bad(key, path, data, "map")
			return
		}
		for name, v := range m {
			w.value(v, t.Elem(), append(key[:len(key):len(key)], name), joinPath(path, renderPart(name)))
		}
	case k == reflect.Slice || k == reflect.Array:
		v := reflect.ValueOf(data)
		if v.Kind() != reflect.Slice {
			w.bad(key, path, data, "slice")
			return
		}
		if k == reflect.Array && v.Len() != t.Len() {
			w.note(w.d.posOf(path), key.String()+": "+fmt.Sprintf("expected array length %d; got TOML array of length %d", t.Len(), v.Len()))
			return
		}
		_, tables := data.([]map[string]any)
		for i := range v.Len() {
			el := path // an element of a plain array is shown at the array's key
			if tables {
				el = fmt.Sprintf("%s[%d]", path, i)
			}
			w.value(v.Index(i).Interface(), t.Elem(), key, el)
		}
	case k == reflect.String:
		if _, ok := data.(string); !ok {
			w.bad(key, path, data, "string")
		}
	case k == reflect.Bool:
		if _, ok := data.(bool); !ok {
			w.bad(key, path, data, "boolean")
		}
	case k >= reflect.Int && k <= reflect.Uint64:
		if _, ok := data.(string); ok && t == durationType {
			return
		}
		if _, ok := data.(int64); !ok {
			w.bad(key, path, data, "integer")
		}
	case k == reflect.Float32 || k == reflect.Float64:
		switch data.(type) {
		case int64, float64:
		default:
			w.bad(key, path, data, "float")
		}
	}
}

// text checks data against t, which decodes itself from text (a time): the
// text is the one BurntSushi/toml gives UnmarshalText, and a refusal is
// placed at the value, without the key, as BurntSushi/toml places it.
func (w *mismatchWalk) text(data any, t reflect.Type, key toml.Key, path string) {
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
		w.bad(key, path, data, "primitive (string-like)")
		return
	}
	if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
		w.note(w.d.valuePos(path), err.Error())
	}
}

// bad notes a value of TOML type data where the Go type dst was expected.
func (w *mismatchWalk) bad(key toml.Key, path string, data any, dst string) {
	w.note(w.d.posOf(path), key.String()+": "+
		fmt.Sprintf("incompatible types: TOML value has type %s; destination has type %s", tomlType(data), dst))
}

// note keeps the fault at p if it comes before the first one so far.
func (w *mismatchWalk) note(p Pos, msg string) {
	if f := w.first; f != nil && (p.Line == 0 || f.Line < p.Line || f.Line == p.Line && f.Col <= p.Col) {
		return
	}
	w.first = &Error{Line: p.Line, Col: p.Col, Msg: msg}
}

// posOf is the position of the first entry of the index at path or below it
// (a table made by dotted keys has no entry of its own).
func (d *Doc) posOf(path string) Pos {
	if e := d.entryAt(path); e != nil {
		return e.pos
	}
	return Pos{}
}

// valuePos is the position of the value of the key at path; inside the
// quotes of a string, as BurntSushi/toml counts it.
func (d *Doc) valuePos(path string) Pos {
	e := d.entryAt(path)
	if e == nil || e.path != path || e.ve <= e.vs {
		return d.posOf(path)
	}
	off := e.vs
	v := d.fm[e.vs:e.ve]
	switch {
	case strings.HasPrefix(v, `"""`) || strings.HasPrefix(v, "'''"):
		off += 3
	case v[0] == '"' || v[0] == '\'':
		off++
	}
	return posIn(d.fm, 2, off)
}

func (d *Doc) entryAt(path string) *entry {
	for i := range d.entries {
		e := &d.entries[i]
		if rest, ok := strings.CutPrefix(e.path, path); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			return e
		}
	}
	return nil
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
