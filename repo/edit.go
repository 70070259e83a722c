package repo

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/deskhq/desk/ticket"
)

// ApplyEdit replaces f with a version the user edited by hand from the text
// before, refusing it when f is no longer before (the ticket changed while
// it was edited) and one that does not parse, changes the ID or the status,
// or rewrites the log, and appends one update event naming the keys that
// changed. It returns them.
func (r *Repo) ApplyEdit(f *ticket.File, before, edited []byte, a Actor) ([]string, error) {
	id := f.Ticket.ID
	if !bytes.Equal(f.Doc.Bytes(), before) {
		return nil, &RefusedError{ID: id, Msg: "the ticket changed while you edited it"}
	}
	g, err := ticket.Parse(f.Path, edited)
	if err != nil {
		return nil, &RefusedError{ID: id, Msg: "the edited ticket does not parse: " + err.Error()}
	}
	nt := &g.Ticket
	switch {
	case nt.ID != id:
		return nil, &RefusedError{ID: id, Msg: fmt.Sprintf("the ID cannot be edited (found %q); use desk ticket renumber", nt.ID)}
	case nt.Status != f.Ticket.Status:
		return nil, &RefusedError{ID: id, Msg: fmt.Sprintf("the status cannot be edited (found %q); use desk ticket move", nt.Status)}
	}
	if len(nt.Events) != len(f.Ticket.Events) {
		return nil, &RefusedError{ID: id, Msg: fmt.Sprintf("the event log only grows through desk commands: it had %d events, the edit has %d", len(f.Ticket.Events), len(nt.Events))}
	}
	for i := range nt.Events {
		if !nt.Events[i].Equal(f.Ticket.Events[i]) {
			return nil, &RefusedError{ID: id, Msg: fmt.Sprintf("event %d was changed; the log is the audit trail and cannot be rewritten", i+1)}
		}
	}
	if err := r.checkEventTime(f, a.At); err != nil {
		return nil, err
	}
	changed := changedKeys(f.Doc.FrontMatter(), g.Doc.FrontMatter())
	if string(f.Doc.Body()) != string(g.Doc.Body()) {
		changed = append(changed, "body")
	}
	if len(changed) == 0 {
		changed = []string{"formatting"}
	}
	g.AppendEvent(ticket.Event{At: a.At.In(r.Config.Location), By: a.By, Action: "update", Field: strings.Join(changed, ",")})
	if err := g.Reparse(); err != nil {
		return nil, err
	}
	*f = *g
	return changed, nil
}

// changedKeys compares two front matters key by key, one table level deep.
func changedKeys(before, after []byte) []string {
	var x, y map[string]any
	toml.Decode(string(before), &x)
	toml.Decode(string(after), &y)
	var out []string
	keys := map[string]bool{}
	for k := range x {
		keys[k] = true
	}
	for k := range y {
		keys[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if k == "events" {
			continue
		}
		xm, xok := x[k].(map[string]any)
		ym, yok := y[k].(map[string]any)
		if xok && yok {
			for _, sub := range changedKeysMap(xm, ym) {
				out = append(out, k+"."+sub)
			}
			continue
		}
		if !reflect.DeepEqual(x[k], y[k]) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func changedKeysMap(x, y map[string]any) []string {
	var out []string
	for k, v := range x {
		if !reflect.DeepEqual(v, y[k]) {
			out = append(out, k)
		}
	}
	for k := range y {
		if _, ok := x[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}
