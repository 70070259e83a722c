package ticket

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskhq/desk/ticket/front"
)

// MergeConflict is a merge that Merge leaves to a person: the file it
// returns holds git's conflict markers (ours, base, theirs), and Reasons say
// why, each naming the side it is about.
type MergeConflict struct {
	Path    string // the ticket file as git names it; may be empty
	Reasons []string
}

func (e *MergeConflict) Error() string {
	msg := strings.Join(e.Reasons, "; ") + "; resolve the conflict markers"
	if e.Path == "" {
		return msg
	}
	return e.Path + ": " + msg
}

// Merge merges two versions of a ticket file that grew from base, as
// git's merge driver for tickets/**/*.md; path is the file's name in the
// repository, for messages.
//
// The log never loses an event. The merged log is the base log as it was,
// then every event either side added, each side's in its order, interleaved
// by time (ours first on a tie), and written as that side wrote it, unknown
// keys and sub-tables included. Identical events one side added are all
// kept; an event both sides added (a change cherry-picked or rebased onto
// both branches) is kept once, as git keeps one copy of an identical change.
// A key or the body changed on one side takes that side's version.
//
// Everything else is a *MergeConflict, returned with the file holding
// conflict markers: a side that does not parse, a side that removed,
// changed or reordered an event of base (the markers then span every line
// that differs, so the removal is in front of the person resolving it), and
// both sides changing the same key or lines differently (git's own line
// merge marks those, accepted as clean only when it keeps the merged log).
// The returned file is always the one to write; the error is nil or a
// *MergeConflict.
func Merge(path string, base, ours, theirs []byte) ([]byte, error) {
	sides := [3]mergeSide{{name: "base", data: base}, {name: "ours", data: ours}, {name: "theirs", data: theirs}}
	conflict := &MergeConflict{Path: path}
	for i := range sides {
		if err := sides[i].read(); err != nil {
			conflict.Reasons = append(conflict.Reasons, err.Error())
		}
	}
	if len(conflict.Reasons) > 0 {
		return markAll(base, ours, theirs), conflict
	}
	b, o, t := &sides[0], &sides[1], &sides[2]
	for _, s := range []*mergeSide{o, t} {
		if i := s.divergence(b.log); i >= 0 {
			e := b.log[i]
			conflict.Reasons = append(conflict.Reasons, fmt.Sprintf("%s removed or changed event %d of base (%s at %s): the log only grows",
				s.name, i+1, e.Action, e.At.Format("2006-01-02 15:04")))
		}
	}
	if len(conflict.Reasons) > 0 {
		return markAll(base, ours, theirs), conflict
	}
	log := mergeLogs(b.log, o.log[len(b.log):], t.log[len(b.log):])
	out, why := mergeRecords(b.f, o.f, t.f, log)
	if why == "" {
		return out, nil
	}
	conflict.Reasons = []string{why}
	out, clean, err := lineMerge(base, ours, theirs)
	switch {
	case err != nil:
		return markAll(base, ours, theirs), conflict
	case clean && keepsLog(path, out, log):
		return out, nil
	case clean:
		return markAll(base, ours, theirs), conflict
	}
	return out, conflict
}

// mergeSide is one of the three versions a merge reads.
type mergeSide struct {
	name string // base, ours or theirs
	data []byte
	f    *File
	log  []logEvent
}

func (s *mergeSide) read() error {
	if len(s.data) == 0 && s.name == "base" {
		return errors.New("both branches added this file; if they are two tickets, run desk ticket renumber on one branch")
	}
	f, err := Parse(s.name, s.data)
	var pe *ParseError
	switch {
	case errors.As(err, &pe) && pe.Line > 0:
		return fmt.Errorf("%s does not parse: line %d, column %d: %s", s.name, pe.Line, pe.Col, pe.Msg)
	case errors.As(err, &pe):
		return fmt.Errorf("%s does not parse: %s", s.name, pe.Msg)
	case err != nil:
		return fmt.Errorf("%s does not parse: %w", s.name, err)
	}
	log, err := readLog(f)
	if err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	s.f, s.log = f, log
	return nil
}

// divergence returns the index of the first event of base that s does not
// hold unchanged in the same place, or -1 when s's log extends base's.
func (s *mergeSide) divergence(base []logEvent) int {
	for i := range base {
		if i >= len(s.log) || s.log[i].id != base[i].id {
			return i
		}
	}
	return -1
}

// logEvent is one [[events]] table of a file.
type logEvent struct {
	Event
	id         string // what makes two events the same: every key and value
	start, end int    // the table's text in the front matter: header to last key
}

// readLog returns the events of a parsed ticket with their identities and
// where they are written.
func readLog(f *File) ([]logEvent, error) {
	fm := string(f.Doc.FrontMatter())
	lineStart := []int{0} // offsets of the front matter's lines
	for i := range len(fm) {
		if fm[i] == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	offset := func(p front.Pos) int { // the file's line 2 is the front matter's first
		if i := p.Line - 2; i >= 0 && i < len(lineStart) {
			return lineStart[i]
		}
		return len(fm)
	}
	evs := f.Ticket.Events
	log := make([]logEvent, 0, len(evs))
	var elem string // the path of the current [[events]] table, "events[N]"
	for _, tb := range f.Doc.Tables() {
		if elem != "" && strings.HasPrefix(tb.Path, elem+".") {
			continue // a sub-table of the event
		}
		if elem != "" {
			log[len(log)-1].end = trimTail(fm, offset(tb.Pos))
			elem = ""
		}
		if n := len(log); tb.Path == fmt.Sprintf("events[%d]", n) && n < len(evs) {
			elem = tb.Path
			log = append(log, logEvent{Event: evs[n], start: offset(tb.Pos)})
		}
	}
	if elem != "" {
		log[len(log)-1].end = trimTail(fm, len(fm))
	}
	if len(log) != len(evs) {
		return nil, errors.New("the log is not written as [[events]] tables, one per event")
	}
	for _, e := range log {
		if e.start > e.end {
			return nil, errors.New("the log's [[events]] tables cannot be told apart")
		}
	}
	unknown := make([][]string, len(log))
	for _, list := range [][]front.KeyInfo{f.Doc.Tables(), f.Doc.Keys()} {
		for _, k := range list {
			if i, rest, ok := inEvent(k.Path); ok && i < len(log) && !Known["events."+rest] {
				unknown[i] = append(unknown[i], rest+"="+k.Value)
			}
		}
	}
	for i := range log {
		e := &log[i]
		slices.Sort(unknown[i])
		e.id = strings.Join(append([]string{e.At.UTC().Format(time.RFC3339Nano), e.By, e.Action,
			e.From, e.To, e.Note, e.Field, e.Value}, unknown[i]...), "\x00")
	}
	return log, nil
}

// inEvent splits the path of a key or table inside an event, events[N].rest.
func inEvent(path string) (n int, rest string, ok bool) {
	s, ok := strings.CutPrefix(path, "events[")
	i := strings.IndexByte(s, ']')
	if !ok || i < 0 {
		return 0, "", false
	}
	n, err := strconv.Atoi(s[:i])
	rest, ok = strings.CutPrefix(s[i+1:], ".")
	return n, rest, ok && err == nil && n >= 0
}

// trimTail moves end, the start of a line of fm, back over the blank and
// comment lines above it: those belong to what follows.
func trimTail(fm string, end int) int {
	for end > 0 {
		ls := strings.LastIndexByte(fm[:end-1], '\n') + 1
		if l := strings.TrimSpace(fm[ls : end-1]); l != "" && !strings.HasPrefix(l, "#") {
			break
		}
		end = ls
	}
	return end
}

// mergeLogs is base, then the events ours and theirs added, interleaved by
// time, each side's in its own order, ours first on a tie. An event theirs
// added that ours added too is taken once.
func mergeLogs(base, ours, theirs []logEvent) []logEvent {
	shared := map[string]int{}
	for _, e := range ours {
		shared[e.id]++
	}
	var rest []logEvent
	for _, e := range theirs {
		if shared[e.id] > 0 {
			shared[e.id]--
			continue
		}
		rest = append(rest, e)
	}
	out := slices.Clip(base)
	for len(ours) > 0 || len(rest) > 0 {
		if len(rest) == 0 || len(ours) > 0 && !rest[0].At.Before(ours[0].At) {
			out, ours = append(out, ours[0]), ours[1:]
		} else {
			out, rest = append(out, rest[0]), rest[1:]
		}
	}
	return out
}

// keepsLog reports whether data parses and holds exactly log, and the
// status it leads to.
func keepsLog(path string, data []byte, log []logEvent) bool {
	f, err := Parse(path, data)
	if err != nil {
		return false
	}
	got, err := readLog(f)
	if err != nil {
		return false
	}
	if to := lastTo(log); to != "" && f.Ticket.Status != to {
		return false
	}
	return slices.EqualFunc(got, log, func(a, b logEvent) bool { return a.id == b.id })
}

// lastTo is the status a log leads to: the to of its last event that has
// one, or "".
func lastTo(log []logEvent) string {
	for _, e := range slices.Backward(log) {
		if e.To != "" {
			return e.To
		}
	}
	return ""
}

// mergeRecords merges keys and body three ways and writes log, whose first
// events are base's. When both sides changed the same thing, or a side
// changed an array of tables other than the log, it returns why instead.
func mergeRecords(b, o, t *File, log []logEvent) ([]byte, string) {
	// Keys, except the log and the status it defines.
	bk, ok, tk := flatKeys(b.Doc), flatKeys(o.Doc), flatKeys(t.Doc)
	out := b.Doc // start from base and apply both sides
	names := map[string]bool{}
	for _, m := range []map[string]string{bk, ok, tk} {
		for k := range m {
			names[k] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(names)) {
		bv, inB := bk[k]
		ov, inO := ok[k]
		tv, inT := tk[k]
		oChanged, tChanged := inO != inB || ov != bv, inT != inB || tv != bv
		v, present := ov, inO
		switch {
		case oChanged && tChanged && (inO != inT || ov != tv):
			return nil, fmt.Sprintf("ours and theirs changed %s differently", strings.TrimSuffix(k, "[]"))
		case !oChanged && !tChanged:
			continue
		case tChanged:
			v, present = tv, inT
		}
		if name, ok := strings.CutSuffix(k, "[]"); ok {
			// An array of tables ([[parts]]): a line merge may combine it.
			return nil, fmt.Sprintf("%s changed [[%s]]", changedBy(oChanged, tChanged), name)
		}
		table, key := "", k
		if i := strings.LastIndexByte(k, '.'); i >= 0 {
			table, key = k[:i], k[i+1:]
		}
		if present {
			out.Set(table, key, v)
		} else {
			out.Delete(table, key)
		}
	}
	// Body.
	switch body, bb, tb := o.Doc.Body(), b.Doc.Body(), t.Doc.Body(); {
	case bytes.Equal(body, bb):
		out.SetBody(tb)
	case bytes.Equal(tb, bb) || bytes.Equal(body, tb):
		out.SetBody(body)
	default:
		merged, clean, err := lineMerge(bb, body, tb)
		if err != nil || !clean {
			return nil, "ours and theirs changed the same lines of the text"
		}
		out.SetBody(merged)
	}
	if to := lastTo(log); to != "" {
		out.Set("", "status", front.String(to))
	}
	result, err := appendEvents(b.Path, out, log, o, t)
	if err != nil || !keepsLog(b.Path, result, log) {
		return nil, "desk could not write the merged log" // not expected: a line merge shows both sides
	}
	return result, ""
}

func changedBy(ours, theirs bool) string {
	switch {
	case ours && theirs:
		return "ours and theirs"
	case ours:
		return "ours"
	}
	return "theirs"
}

// appendEvents writes the events of log after base's into doc, which holds
// base's log, each as the side that added it wrote it.
func appendEvents(path string, doc *front.Doc, log []logEvent, sides ...*File) ([]byte, error) {
	whole := doc.Bytes()
	f, err := Parse(path, whole)
	if err != nil {
		return nil, err
	}
	have, err := readLog(f)
	if err != nil {
		return nil, err
	}
	texts := map[string]string{}
	for _, s := range sides {
		slog, err := readLog(s)
		if err != nil {
			return nil, err
		}
		sfm := string(s.Doc.FrontMatter())
		for _, e := range slog {
			texts[e.id] = sfm[e.start:e.end]
		}
	}
	fm := string(doc.FrontMatter())
	at := len(fm)
	if len(have) > 0 {
		at = have[len(have)-1].end
	}
	var add strings.Builder
	for _, e := range log[len(have):] {
		if add.Len() > 0 || at > 0 && strings.TrimSpace(fm[strings.LastIndexByte(fm[:at-1], '\n')+1:at]) != "" {
			add.WriteString("\n") // a blank line between tables
		}
		add.WriteString(texts[e.id])
	}
	if add.Len() > 0 && at < len(fm) && fm[at] != '\n' {
		add.WriteString("\n")
	}
	at += len("+++\n") // Bytes is "+++\n", the front matter, ...
	return slices.Concat(whole[:at], []byte(add.String()), whole[at:]), nil
}

// flatKeys maps key paths to their raw values, leaving out the log and the
// status. An array of tables other than the log ([[parts]]) is one value
// under "name[]", compared whole.
func flatKeys(d *front.Doc) map[string]string {
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
	return m
}

// markAll is the three versions with one conflict hunk spanning every line
// that is not the same in all three, base included, as git merge-file
// --diff3 marks them: nothing that differs is left outside the markers.
func markAll(base, ours, theirs []byte) []byte {
	vs := [3][][]byte{lines(ours), lines(base), lines(theirs)}
	same := func(line func(v [][]byte) []byte) bool {
		return bytes.Equal(line(vs[0]), line(vs[1])) && bytes.Equal(line(vs[0]), line(vs[2]))
	}
	n := min(len(vs[0]), len(vs[1]), len(vs[2]))
	pre, suf := 0, 0
	for pre < n && same(func(v [][]byte) []byte { return v[pre] }) {
		pre++
	}
	for suf < n-pre && same(func(v [][]byte) []byte { return v[len(v)-1-suf] }) {
		suf++
	}
	var out bytes.Buffer
	out.Write(bytes.Join(vs[0][:pre], nil))
	for i, marker := range []string{"<<<<<<< ours\n", "||||||| base\n", "=======\n"} {
		out.WriteString(marker)
		if mid := bytes.Join(vs[i][pre:len(vs[i])-suf], nil); len(mid) > 0 {
			out.Write(mid)
			if mid[len(mid)-1] != '\n' {
				out.WriteByte('\n') // a last line without its line end
			}
		}
	}
	out.WriteString(">>>>>>> theirs\n")
	out.Write(bytes.Join(vs[0][len(vs[0])-suf:], nil))
	return out.Bytes()
}

// lines splits b after each line end.
func lines(b []byte) [][]byte {
	ls := bytes.SplitAfter(b, []byte("\n"))
	if len(ls[len(ls)-1]) == 0 {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// lineMerge is git's own three-way line merge (git merge-file), used for the
// body, and for the whole file when keys conflict, to mark them.
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
