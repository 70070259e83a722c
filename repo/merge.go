package repo

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
)

// MergeTicket merges two versions of a ticket file that grew from base, as
// git's merge driver for tickets/**/*.md. Events both sides added are kept,
// in time order, after the common ones; a key or the body changed on one side
// only takes that side's value. When both sides changed the same key or the
// same lines differently, or a side rewrote the common log, it falls back to
// git's line merge, whose conflict markers the user resolves; clean reports
// whether the result needs no resolution.
func MergeTicket(base, ours, theirs []byte) (merged []byte, clean bool, err error) {
	if out, ok := mergeRecords(base, ours, theirs); ok {
		return out, true, nil
	}
	return lineMerge(base, ours, theirs)
}

func mergeRecords(base, ours, theirs []byte) ([]byte, bool) {
	b, err1 := ticket.Parse("base", base)
	o, err2 := ticket.Parse("ours", ours)
	t, err3 := ticket.Parse("theirs", theirs)
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, false
	}
	be := b.Ticket.Events
	if !extends(o.Ticket.Events, be) || !extends(t.Ticket.Events, be) {
		return nil, false
	}
	// Keys, except the log and the status it defines.
	bk, ok1 := flatKeys(b.Doc)
	ok, ok2 := flatKeys(o.Doc)
	tk, ok3 := flatKeys(t.Doc)
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	out := b // start from base and apply both sides
	names := map[string]bool{}
	for _, m := range []map[string]string{bk, ok, tk} {
		for k := range m {
			names[k] = true
		}
	}
	for k := range names {
		bv, inB := bk[k]
		ov, inO := ok[k]
		tv, inT := tk[k]
		var v string
		var present bool
		switch {
		case inO == inB && ov == bv:
			v, present = tv, inT
		case inT == inB && tv == bv:
			v, present = ov, inO
		case inO == inT && ov == tv:
			v, present = ov, inO
		default:
			return nil, false // both changed it differently
		}
		if strings.HasSuffix(k, "[]") {
			if present == inB && v == bv {
				continue // unchanged on both sides
			}
			return nil, false // [[parts]] changed: a line merge handles it
		}
		table, key := "", k
		if i := strings.LastIndexByte(k, '.'); i >= 0 {
			table, key = k[:i], k[i+1:]
		}
		if present && (!inB || v != bv) {
			out.Doc.Set(table, key, v)
		} else if !present && inB {
			out.Doc.Delete(table, key)
		}
	}
	// Body.
	switch body, bb, tb := o.Doc.Body(), b.Doc.Body(), t.Doc.Body(); {
	case bytes.Equal(body, bb):
		out.Doc.SetBody(tb)
	case bytes.Equal(tb, bb) || bytes.Equal(body, tb):
		out.Doc.SetBody(body)
	default:
		merged, clean, err := lineMerge(bb, body, tb)
		if err != nil || !clean {
			return nil, false
		}
		out.Doc.SetBody(merged)
	}
	// Events: the common ones, then both sides' new ones in time order.
	added := append(slices.Clone(o.Ticket.Events[len(be):]), t.Ticket.Events[len(be):]...)
	slices.SortStableFunc(added, func(x, y ticket.Event) int { return x.At.Compare(y.At) })
	for i, e := range added {
		if i > 0 && e.Equal(added[i-1]) {
			continue // both sides recorded the very same event
		}
		out.AppendEvent(e)
	}
	result := out.Doc.Bytes()
	if _, err := ticket.Parse("merged", result); err != nil {
		return nil, false
	}
	return result, true
}

func extends(events, prefix []ticket.Event) bool {
	if len(events) < len(prefix) {
		return false
	}
	for i := range prefix {
		if !events[i].Equal(prefix[i]) {
			return false
		}
	}
	return true
}

// flatKeys maps key paths to their raw values, leaving out the log and the
// status. An array of tables other than the log ([[parts]]) is one value
// under "name[]", compared whole.
func flatKeys(d *front.Doc) (map[string]string, bool) {
	m := map[string]string{}
	for _, k := range d.Keys() {
		p := k.Path
		if strings.HasPrefix(p, "events[") || p == "events" || p == "status" {
			continue
		}
		if i := strings.IndexByte(p, '['); i >= 0 {
			// parts[0].name: compare the whole array under "parts[]".
			name := p[:i] + "[]"
			m[name] += p[i:] + "=" + k.Value + "\n"
			continue
		}
		m[p] = k.Value
	}
	return m, true
}

// lineMerge is git's own three-way line merge (git merge-file), the fallback
// that leaves conflict markers for a person to resolve.
func lineMerge(base, ours, theirs []byte) ([]byte, bool, error) {
	dir, err := os.MkdirTemp("", "desk-merge-*")
	if err != nil {
		return nil, false, err
	}
	defer os.RemoveAll(dir)
	names := []string{"ours", "base", "theirs"}
	for i, data := range [][]byte{ours, base, theirs} {
		if err := os.WriteFile(filepath.Join(dir, names[i]), data, 0o600); err != nil {
			return nil, false, err
		}
	}
	cmd := exec.Command("git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs",
		filepath.Join(dir, "ours"), filepath.Join(dir, "base"), filepath.Join(dir, "theirs"))
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() > 0 && exit.ExitCode() < 128 {
		return out, false, nil // conflicts, marked in out
	}
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}
