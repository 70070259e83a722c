package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/deskhq/desk/ticket/front"
)

// configProblem is a wrong type or an unknown key found by checkConfigTypes.
type configProblem struct {
	at  front.Pos
	msg string
}

// configWalk walks the TOML data of desk.toml beside the Go type it decodes
// into, as BurntSushi/toml's decoder does, to find what that decoder would
// refuse (a value of the wrong type) or leave undecoded (an unknown key):
// BurntSushi/toml reports the first without a position, and the second
// without an array index. The messages are the ones desk has always given.
type configWalk struct {
	x              *front.Index
	wrong, unknown *configProblem // the first of each in the file
}

// configPlace is where a value is in the file, for front.Index: the key
// parts; for a table in an array, also the array's name, the element's index
// and the key below the element ("" for the element itself).
type configPlace struct {
	parts []string
	array string
	index int
	key   string
}

// checkConfigTypes returns the first value of the wrong type in the file,
// else its first unknown key, else nil.
func checkConfigTypes(x *front.Index, raw map[string]any) *configProblem {
	w := &configWalk{x: x}
	w.table(nil, configPlace{}, raw, reflect.TypeFor[Config]())
	if w.wrong != nil {
		return w.wrong
	}
	return w.unknown
}

func (w *configWalk) pos(pl configPlace) front.Pos {
	if pl.array != "" {
		if p, ok := w.x.KeyIn(pl.array, pl.index, pl.key); ok && pl.key != "" {
			return p
		}
		if p, ok := w.subTable(pl); ok {
			return p
		}
		if p, ok := w.x.ArrayTable(pl.array, pl.index); ok {
			return p
		}
	}
	if p, ok := w.x.Key(pl.parts...); ok {
		return p
	}
	name := strings.Join(pl.parts, ".")
	if p, ok := w.x.Table(name); ok {
		return p
	}
	p, _ := w.x.ArrayTable(name, 0)
	return p
}

// subTable is the position of the header of a table below an element of an
// array of tables ([sla.priority.x] after [[sla.priority]]).
func (w *configWalk) subTable(pl configPlace) (front.Pos, bool) {
	if pl.key == "" {
		return front.Pos{}, false
	}
	prefix := fmt.Sprintf("%s[%d].", pl.array, pl.index)
	for _, t := range w.x.Tables() {
		if t.Path == prefix+pl.key || t.Path == prefix+front.String(pl.key) {
			return t.Pos, true
		}
	}
	return front.Pos{}, false
}

// note keeps the problem if it comes before *first in the file; problems
// without a position come last.
func (w *configWalk) note(first **configProblem, pl configPlace, format string, args ...any) {
	p := w.pos(pl)
	if *first == nil || earlier(p, (*first).at) {
		*first = &configProblem{at: p, msg: fmt.Sprintf(format, args...)}
	}
}

// earlier reports whether a comes before b in the file, the zero Pos (no
// position) coming after every other.
func earlier(a, b front.Pos) bool {
	switch {
	case a.Line == 0:
		return false
	case b.Line == 0 || a.Line != b.Line:
		return b.Line == 0 || a.Line < b.Line
	}
	return a.Col < b.Col
}

// member is the place of key k of the table at pl.
func (pl configPlace) member(k string) configPlace {
	if pl.array != "" {
		if pl.key != "" {
			return pl // deeper than desk.toml goes: the element's key
		}
		pl.key = k
		return pl
	}
	pl.parts = append(slices.Clip(pl.parts), k)
	return pl
}

// value checks data, at key (named as BurntSushi/toml names it, without
// array indexes) and place pl, against the Go type t.
func (w *configWalk) value(key toml.Key, pl configPlace, data any, t reflect.Type) {
	bad := func(dst string) {
		w.note(&w.wrong, pl, "%s: wrong type: TOML value has type %s; destination has type %s", key, tomlType(data), dst)
	}
	switch k := t.Kind(); {
	case t == reflect.TypeFor[time.Time]():
		switch data.(type) {
		case map[string]any, []map[string]any, []any:
			bad("primitive (string-like)")
		}
	case k == reflect.Struct:
		m, ok := data.(map[string]any)
		if !ok {
			w.note(&w.wrong, pl, "%s: type mismatch: expected table but found %s", key, tomlType(data))
			return
		}
		w.table(key, pl, m, t)
	case k == reflect.Map:
		m, ok := data.(map[string]any)
		if !ok {
			bad("map")
			return
		}
		for _, name := range sortedKeys(m) {
			w.value(append(slices.Clip(key), name), pl.member(name), m[name], t.Elem())
		}
	case k == reflect.Slice:
		w.slice(key, pl, data, t, bad)
	case k == reflect.String:
		if _, ok := data.(string); !ok {
			bad("string")
		}
	case k == reflect.Float64:
		switch data.(type) {
		case float64, int64:
		default:
			bad("float")
		}
	case k == reflect.Int:
		if _, ok := data.(int64); !ok {
			bad("integer")
		}
	}
}

func (w *configWalk) slice(key toml.Key, pl configPlace, data any, t reflect.Type, bad func(string)) {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		bad("slice")
		return
	}
	for i := range v.Len() {
		el := pl // an element of a plain array is shown at the array's key
		if t.Elem().Kind() == reflect.Struct && pl.array == "" {
			el = configPlace{parts: pl.parts, array: strings.Join(pl.parts, "."), index: i}
		}
		w.value(key, el, v.Index(i).Interface(), t.Elem())
	}
}

// table checks the keys of m, a table decoded into the struct type t: a key
// matches a field by its toml tag, else case-insensitively, as in
// BurntSushi/toml.
func (w *configWalk) table(key toml.Key, pl configPlace, m map[string]any, t reflect.Type) {
	for _, name := range sortedKeys(m) {
		k := append(slices.Clip(key), name)
		f, ok := configField(t, name)
		if !ok {
			w.note(&w.unknown, pl.member(name), "unknown key %q", k.String())
			continue
		}
		w.value(k, pl.member(name), m[name], f.Type)
	}
}

func configField(t reflect.Type, name string) (reflect.StructField, bool) {
	var fold reflect.StructField
	found := false
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if !f.IsExported() || tag == "-" || tag == "" {
			continue
		}
		if tag == name {
			return f, true
		}
		if !found && strings.EqualFold(tag, name) {
			fold, found = f, true
		}
	}
	return fold, found
}

// tomlType names the Go type of a decoded TOML value as BurntSushi/toml does.
func tomlType(v any) string {
	return strings.ReplaceAll(fmt.Sprintf("%T", v), "interface {}", "any")
}
