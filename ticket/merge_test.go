package ticket

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

const mergePath = "tickets/2026/11/TS-20261120-1.md"

// runMerge runs the merge driver's logic and reports whether the result is
// clean, and the conflict's message when it is not.
func runMerge(t *testing.T, base, ours, theirs string) (out []byte, clean bool, msg string) {
	t.Helper()
	out, err := Merge(mergePath, []byte(base), []byte(ours), []byte(theirs))
	if err == nil {
		return out, true, ""
	}
	if conflict := new(*MergeConflict); !errors.As(err, conflict) {
		t.Fatalf("Merge: %v (%T), want a clean merge or a *MergeConflict", err, err)
	}
	return out, false, err.Error()
}

// genEvent is one event of a generated log; equal values give equal text.
type genEvent struct {
	at     int // seconds after 09:00
	by     string
	action string
	to     string
	note   string
	extra  int // 0 none, 1 an unknown key, 2 an unknown sub-table, 3 both
	ref    string
}

func (e genEvent) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[[events]]\nat = 2026-11-20T09:00:%02d+08:00\nby = %q\naction = %q\n", e.at, e.by, e.action)
	if e.to != "" {
		fmt.Fprintf(&b, "to = %q\n", e.to)
	}
	fmt.Fprintf(&b, "note = %q\n", e.note)
	if e.extra&1 != 0 {
		fmt.Fprintf(&b, "ref = %q\n", e.ref)
	}
	if e.extra&2 != 0 {
		fmt.Fprintf(&b, "\n[events.meta]\nsource = %q\n", e.ref)
	}
	return b.String()
}

// ticketText is a whole ticket file holding log.
func ticketText(priority string, log []genEvent) string {
	var b strings.Builder
	b.WriteString("+++\nid = \"TS-20261120-1\"\ntitle = \"Printer jams\"\nstatus = \"new\"\n" +
		"created = 2026-11-20T09:00:00+08:00\nchannel = \"chat\"\n")
	fmt.Fprintf(&b, "priority = %q\n\n[requester]\nname = \"B\"\ncontact = \"b@example.com\"\n", priority)
	for _, e := range log {
		b.WriteString("\n" + e.text())
	}
	b.WriteString("+++\n\n## Description\n\nJams on every page.\n")
	return b.String()
}

func randEvent(rng *rand.Rand, at int) genEvent {
	e := genEvent{at: at, by: []string{"li.si", "wang.wu"}[rng.IntN(2)], action: "comment",
		note: []string{"same words", "other words"}[rng.IntN(2)], extra: rng.IntN(4),
		ref: []string{"r1", "r2"}[rng.IntN(2)]}
	if rng.IntN(4) == 0 {
		e.action, e.to = "transition", []string{"in_progress", "pending"}[rng.IntN(2)]
	}
	return e
}

// randAdded is what one branch appends: few distinct values, so that
// identical events (in one second, on one side and across sides) are common,
// in time order as desk writes them.
func randAdded(rng *rand.Rand) []genEvent {
	var out []genEvent
	at := rng.IntN(3)
	for range rng.IntN(5) {
		at += rng.IntN(2)
		out = append(out, randEvent(rng, at))
	}
	return out
}

// logIDs reads a merged file's log: each event as the sorted list of its
// keys and raw values (unknown ones and sub-tables included).
func logIDs(t *testing.T, data []byte) ([]string, *File) {
	t.Helper()
	f, err := Parse(mergePath, data)
	if err != nil {
		t.Fatalf("merged file does not parse: %v\n%s", err, data)
	}
	ids := make([][]string, len(f.Ticket.Events))
	for _, k := range f.Doc.Keys() {
		var i int
		var rest string
		if n, _ := fmt.Sscanf(k.Path, "events[%d]", &i); n != 1 || i >= len(ids) {
			continue
		}
		_, rest, _ = strings.Cut(k.Path, "].")
		ids[i] = append(ids[i], rest+"="+k.Value)
	}
	out := make([]string, len(ids))
	for i, kv := range ids {
		slices.Sort(kv)
		out[i] = strings.Join(kv, " ")
	}
	return out, f
}

func genIDs(t *testing.T, log []genEvent) []string {
	ids, _ := logIDs(t, []byte(ticketText("low", log)))
	return ids
}

// isSubsequence reports whether sub appears in seq in order.
func isSubsequence(sub, seq []string) bool {
	i := 0
	for _, s := range seq {
		if i < len(sub) && sub[i] == s {
			i++
		}
	}
	return i == len(sub)
}

// withoutShared is theirs less one occurrence of each event of ours: what
// theirs adds beyond an identical change both branches made.
func withoutShared(theirs, ours []string) []string {
	left := map[string]int{}
	for _, s := range ours {
		left[s]++
	}
	var out []string
	for _, s := range theirs {
		if left[s] > 0 {
			left[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}

func counts(ss []string) map[string]int {
	m := map[string]int{}
	for _, s := range ss {
		m[s]++
	}
	return m
}

// mutate removes or changes events of base in side, or breaks its syntax,
// and says what it did; ok is false when the change happens to leave the log
// as it was (swapping two identical events).
func mutate(t *testing.T, rng *rand.Rand, base, added []genEvent) (text, what string, ok bool) {
	side := slices.Clone(base)
	n := len(side)
	switch k := rng.IntN(6); {
	case k == 0 || n == 0:
		return strings.Replace(ticketText("low", append(side, added...)), "\n[requester]", "\n[requester", 1), "unparseable", true
	case k == 1:
		i := rng.IntN(n)
		side = slices.Delete(side, i, i+1)
		what = "deleted one"
	case k == 2:
		side = nil
		what = "deleted all"
	case k == 3:
		i := rng.IntN(n)
		side[i].note += " (edited)"
		what = "changed a note"
	case k == 4:
		i := rng.IntN(n)
		side[i].extra ^= 1 + rng.IntN(2) // an unknown key or sub-table added or removed
		what = "changed an unknown key"
	default:
		if n < 2 {
			return "", "", false
		}
		i, j := rng.IntN(n), rng.IntN(n)
		side[i], side[j] = side[j], side[i]
		what = "reordered"
	}
	if slices.Equal(genIDs(t, side), genIDs(t, base)) {
		return "", "", false
	}
	return ticketText("low", append(side, added...)), what, true
}

// TestMergeLogProperty merges random logs: both branches append (identical
// events in one second, unknown keys and sub-tables included), and sometimes
// one removes, changes or reorders events of the base, or does not parse.
// A clean merge holds the base log as it was, then, as a multiset, every
// event either branch added (an identical event both added counts once, as
// git keeps one copy of an identical change), each branch's additions in its
// order, all in time order; anything touching the base log is a conflict.
func TestMergeLogProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 4))
	var clean, conflicts int
	for iter := range 400 {
		var base []genEvent
		for i := range rng.IntN(4) {
			base = append(base, randEvent(rng, i))
		}
		ao, at := randAdded(rng), randAdded(rng)
		prioO, prioT := "low", "low"
		if rng.IntN(3) == 0 {
			prioO = "high" // a one-sided key change comes along
		}
		ours, theirs := ticketText(prioO, append(slices.Clone(base), ao...)), ticketText(prioT, append(slices.Clone(base), at...))
		var what, broken string
		if rng.IntN(3) == 0 {
			broken = []string{"ours", "theirs"}[rng.IntN(2)]
			added := ao
			if broken == "theirs" {
				added = at
			}
			text, w, ok := mutate(t, rng, base, added)
			if !ok {
				broken = ""
			} else if what = w; broken == "ours" {
				ours = text
			} else {
				theirs = text
			}
		}
		out, ok, msg := runMerge(t, ticketText("low", base), ours, theirs)
		if broken != "" {
			conflicts++
			if ok {
				t.Fatalf("iteration %d: %s %s, merged cleanly:\n%s", iter, broken, what, out)
			}
			if !strings.Contains(msg, broken) || !strings.Contains(msg, mergePath) {
				t.Errorf("iteration %d: %s %s: message %q does not name the side and the file", iter, broken, what, msg)
			}
			if !strings.Contains(string(out), "\n<<<<<<< ours\n") || !strings.Contains(string(out), "\n>>>>>>> theirs\n") {
				t.Fatalf("iteration %d: %s %s: no conflict markers:\n%s", iter, broken, what, out)
			}
			continue
		}
		clean++
		if !ok {
			t.Fatalf("iteration %d: conflict %q merging appends:\nbase %v\nours %v\ntheirs %v\n%s", iter, msg, base, ao, at, out)
		}
		got, f := logIDs(t, out)
		baseIDs, oIDs, tIDs := genIDs(t, base), genIDs(t, ao), genIDs(t, at)
		if len(got) < len(baseIDs) || !slices.Equal(got[:len(baseIDs)], baseIDs) {
			t.Fatalf("iteration %d: the base log is not kept as it was:\n%s", iter, out)
		}
		added := got[len(baseIDs):]
		want := counts(oIDs)
		for s, n := range counts(tIDs) {
			want[s] = max(want[s], n)
		}
		if c := counts(added); !maps.Equal(c, want) {
			t.Fatalf("iteration %d: added events %v, want %v\nours %v\ntheirs %v\n%s", iter, c, want, ao, at, out)
		}
		if !isSubsequence(oIDs, added) || !isSubsequence(withoutShared(tIDs, oIDs), added) {
			t.Fatalf("iteration %d: a branch's events are out of its order:\n%s", iter, out)
		}
		evs := f.Ticket.Events[len(baseIDs):]
		for i := 1; i < len(evs); i++ {
			if evs[i].At.Before(evs[i-1].At) {
				t.Fatalf("iteration %d: event %d is older than the one before it:\n%s", iter, len(baseIDs)+i+1, out)
			}
		}
		status := "new"
		for _, e := range f.Ticket.Events {
			if e.To != "" {
				status = e.To
			}
		}
		if f.Ticket.Status != status || f.Ticket.Priority != prioO {
			t.Fatalf("iteration %d: status %q priority %q, want %q %q:\n%s", iter, f.Ticket.Status, f.Ticket.Priority, status, prioO, out)
		}
	}
	if clean < 100 || conflicts < 50 {
		t.Fatalf("%d clean merges and %d conflicts: the generator no longer covers both", clean, conflicts)
	}
}

// TestMergeTicket names the cases the property test draws at random, and the
// messages a person resolving the conflict reads.
func TestMergeTicket(t *testing.T) {
	create := genEvent{at: 0, by: "li.si", action: "create", to: "new", note: "registered"}
	same := genEvent{at: 5, by: "li.si", action: "comment", note: "same words"}
	other := genEvent{at: 3, by: "wang.wu", action: "comment", note: "from main"}
	mail := genEvent{at: 7, by: "mail-bridge", action: "comment", note: "customer replied", extra: 3, ref: "<42@example.com>"}
	edited := create
	edited.note = "registered by phone"
	log := func(evs ...genEvent) string { return ticketText("low", evs) }
	tests := []struct {
		name                string
		base, ours, theirs  string
		want                []genEvent // the merged log of a clean merge
		keeps               string     // and text it holds
		conflict            []string   // what the message says otherwise
		lineMergeConflicted bool       // the markers are git's line merge's
	}{
		{name: "identical events in one second on one side are all kept",
			base: log(create), ours: log(create, same, same), theirs: log(create, other),
			want: []genEvent{create, other, same, same}},
		{name: "unknown keys and sub-tables of an added event are kept",
			base: log(create), ours: log(create, other), theirs: log(create, mail),
			want: []genEvent{create, other, mail}},
		{name: "an event both sides added is kept once, as git keeps one copy",
			base: log(create), ours: log(create, same, same), theirs: log(create, same, other),
			want: []genEvent{create, other, same, same}},
		{name: "a tie in time puts ours first",
			base: log(create), ours: log(create, other), theirs: log(create, genEvent{at: 3, by: "zhao", action: "comment", note: "tie"}),
			want: []genEvent{create, other, {at: 3, by: "zhao", action: "comment", note: "tie"}}},
		{name: "a [[parts]] change on one side merges by lines when the log survives",
			base: log(create), ours: strings.Replace(log(create), "[[events]]", "[[parts]]\nname = \"toner\"\nqty = 1\n\n[[events]]", 1),
			theirs: log(create, other), want: []genEvent{create, other}, keeps: "[[parts]]\nname = \"toner\""},
		{name: "a removed base event is a conflict",
			base: log(create, other), ours: log(create, same), theirs: log(create, other, mail),
			conflict: []string{"ours removed or changed event 2 of base (comment at 2026-11-20 09:00)"}},
		{name: "removing the whole log is a conflict",
			base: log(create, other), ours: log(create, other, same), theirs: log(),
			conflict: []string{"theirs removed or changed event 1 of base (create at 2026-11-20 09:00)"}},
		{name: "a changed base event is a conflict",
			base: log(create), ours: log(edited), theirs: log(create, same),
			conflict: []string{"ours removed or changed event 1 of base"}},
		{name: "an unknown key changed in a base event is a conflict",
			base: log(create, mail), ours: log(create, mail, same), theirs: strings.Replace(log(create, mail), "<42@", "<43@", 1),
			conflict: []string{"theirs removed or changed event 2 of base (comment at 2026-11-20 09:00)"}},
		{name: "a side that does not parse is named, with the line",
			base: log(create), ours: log(create, same), theirs: strings.Replace(log(create), `by = "li.si"`, `by = = "li.si"`, 1),
			conflict: []string{"theirs does not parse: line 15, column 6: "}},
		{name: "a log not written as [[events]] tables is named",
			base: log(create), ours: log(create, same),
			theirs:   strings.Replace(log(), "\nchannel", "\nevents = [{at = 2026-11-20T09:00:00+08:00, by = \"li.si\", action = \"create\", to = \"new\", note = \"registered\"}]\nchannel", 1),
			conflict: []string{"theirs: the log is not written as [[events]] tables"}},
		{name: "a file both branches added",
			base: "", ours: log(create), theirs: log(other),
			conflict: []string{"both branches added this file"}},
		{name: "both sides changing a key differently keeps git's line merge markers",
			base: log(create), ours: ticketText("high", []genEvent{create, same}), theirs: ticketText("medium", []genEvent{create, other}),
			conflict: []string{"ours and theirs changed priority differently"}, lineMergeConflicted: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, ok, msg := runMerge(t, tt.base, tt.ours, tt.theirs)
			if tt.conflict == nil {
				if !ok {
					t.Fatalf("conflict %q:\n%s", msg, out)
				}
				if got, _ := logIDs(t, out); !slices.Equal(got, genIDs(t, tt.want)) {
					t.Fatalf("merged log\n%q\nwant\n%q\n%s", got, genIDs(t, tt.want), out)
				}
				if !strings.Contains(string(out), tt.keeps) {
					t.Fatalf("merged file lost %q:\n%s", tt.keeps, out)
				}
				return
			}
			if ok {
				t.Fatalf("merged cleanly:\n%s", out)
			}
			for _, s := range append(tt.conflict, mergePath+": ", "; resolve the conflict markers") {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q does not say %q", msg, s)
				}
			}
			if base := strings.Contains(string(out), "\n||||||| base\n"); base == tt.lineMergeConflicted || !strings.Contains(string(out), "<<<<<<< ours\n") {
				t.Errorf("markers are not the expected ones:\n%s", out)
			}
		})
	}
}

// FuzzMergeTicket: whatever the three versions hold, the driver neither
// panics nor calls a merge clean that does not parse.
func FuzzMergeTicket(f *testing.F) {
	a := genEvent{at: 1, by: "li.si", action: "comment", note: "a", extra: 3, ref: "r"}
	f.Add(ticketText("low", nil), ticketText("low", []genEvent{a}), ticketText("high", []genEvent{a, a}))
	f.Add(ticketText("low", []genEvent{a}), ticketText("low", nil), "+++\n[[events]]\n+++\n")
	f.Fuzz(func(t *testing.T, base, ours, theirs string) {
		out, err := Merge(mergePath, []byte(base), []byte(ours), []byte(theirs))
		if err == nil {
			if _, err := Parse(mergePath, out); err != nil {
				t.Fatalf("a clean merge that does not parse: %v\n%s", err, out)
			}
		}
	})
}
