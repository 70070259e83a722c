package ticket

import (
	"bytes"
	"strings"
	"time"
	"unsafe"
)

// Head is what a listing or a report filters tickets on before reading
// them: the top-level keys status, priority, category, assignee and
// created, and when the ticket last changed.
type Head struct {
	Status, Priority, Category, Assignee string
	Created                              time.Time
	// Updated is the latest time in the ticket's log and its feedback,
	// when the log's last status is the ticket's status. It is zero when
	// that is not known: a head ScanHead read, a ticket without a log, or
	// a status set without an event. A ticket that is not open and whose
	// Updated is before a period changed nothing in it.
	Updated time.Time
}

// Head returns the head of t.
func (t *Ticket) Head() Head {
	h := Head{Status: t.Status, Priority: t.Priority, Category: t.Category, Assignee: t.Assignee, Created: t.Created}
	last := ""
	for i := range t.Events {
		e := &t.Events[i]
		if e.At.After(h.Updated) {
			h.Updated = e.At
		}
		if e.To != "" {
			last = e.To
		}
	}
	if t.Feedback != nil && t.Feedback.ConfirmedAt != nil && t.Feedback.ConfirmedAt.After(h.Updated) {
		h.Updated = *t.Feedback.ConfirmedAt
	}
	if last != t.Status {
		h.Updated = time.Time{}
	}
	return h
}

// ScanHead reads the head of a ticket file without parsing the file. A
// fresh clone's first `desk ticket list --open` reads every ticket but
// shows a few: ScanHead lets it parse only those (2 µs a ticket against
// 40 µs for Parse: BenchmarkScanHead, BenchmarkParse/fast).
//
// It answers only for front matter whose top-level lines it can read
// without a TOML parser, and reports false for anything else, so that the
// caller parses the file: the head must be what Parse would give. It
// reads the lines between the first +++ and the first table header; each
// is blank, a comment, or `key = value` with a bare key. The five keys
// must have one-line string values without escapes (created: an offset
// date-time such as 2026-03-27T08:40:31+08:00), and appear once; status
// must be there. Any other value must end on its line: a multi-line
// string or an array that goes on to the next line, a quoted or dotted
// key, a key that differs from one of the five only in case (TOML
// decoding matches those), or a carriage return make it answer false.
//
// It does not validate the rest of the file: a file that Parse would
// refuse can have a head. Callers that skip a ticket by its head skip
// such a file too; desk check reads every file in full.
func ScanHead(data []byte) (Head, bool) {
	var h Head
	rest, ok := bytes.CutPrefix(data, []byte("+++\n"))
	if !ok {
		return h, false
	}
	end := bytes.Index(rest, []byte("\n+++"))
	if end < 0 || bytes.HasPrefix(rest, []byte("+++")) || len(rest) > end+4 && rest[end+4] != '\n' {
		return h, false
	}
	fm := rest[:end+1]
	if bytes.IndexByte(fm, '\r') >= 0 {
		return h, false
	}
	var seen [5]bool
	// Read in place: only the values are copied out.
	text := unsafe.String(unsafe.SliceData(fm), len(fm))
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		line := strings.TrimLeft(text[:i], " \t")
		text = text[i+1:]
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			break // the first table: no more top-level keys
		}
		k := 0
		for k < len(line) && isBareChar(line[k]) {
			k++
		}
		key := line[:k]
		v := strings.TrimLeft(line[k:], " \t")
		if key == "" || !strings.HasPrefix(v, "=") {
			return h, false // quoted or dotted key, or not TOML
		}
		v = strings.TrimLeft(v[1:], " \t")
		f := headField(key)
		if f < 0 {
			if !oneLineValue(v) {
				return h, false
			}
			continue
		}
		if headKeys[f] != key || seen[f] {
			return h, false
		}
		seen[f] = true
		if f == 4 {
			t, ok := offsetDateTime(v)
			if !ok {
				return h, false
			}
			h.Created = t
			continue
		}
		s, ok := plainString(v)
		if !ok {
			return h, false
		}
		s = strings.Clone(s)
		switch f {
		case 0:
			h.Status = s
		case 1:
			h.Priority = s
		case 2:
			h.Category = s
		case 3:
			h.Assignee = s
		}
	}
	return h, seen[0]
}

var headKeys = [5]string{"status", "priority", "category", "assignee", "created"}

// headField returns the index in headKeys of the key TOML decoding would
// match to it (case-insensitively), or -1.
func headField(key string) int {
	for i, k := range headKeys {
		if strings.EqualFold(k, key) {
			return i
		}
	}
	return -1
}

// valueEnd returns what follows a value once trailing blanks and a
// comment are cut; it must be nothing.
func valueEnd(rest string) bool {
	rest = strings.TrimLeft(rest, " \t")
	return rest == "" || rest[0] == '#'
}

// plainString reads a one-line basic string without escapes or a literal
// string, followed by nothing but a comment.
func plainString(v string) (string, bool) {
	if len(v) < 2 || (v[0] != '"' && v[0] != '\'') || strings.HasPrefix(v, `"""`) || strings.HasPrefix(v, "'''") {
		return "", false
	}
	q := v[0]
	for i := 1; i < len(v); i++ {
		c := v[i]
		switch {
		case c == q:
			return v[1:i], valueEnd(v[i+1:])
		case c == '\\' && q == '"', isControl(c):
			return "", false
		}
	}
	return "", false
}

// offsetDateTime reads 2006-01-02T15:04:05 followed by Z or ±hh:mm, as
// TOML decodes an offset date-time.
func offsetDateTime(v string) (time.Time, bool) {
	n := strings.IndexAny(v, " \t#")
	if n < 0 {
		n = len(v)
	}
	s := v[:n]
	if !valueEnd(v[n:]) || len(s) != len("2006-01-02T15:04:05Z") && len(s) != len("2006-01-02T15:04:05+08:00") || s[10] != 'T' {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// oneLineValue reports whether a value other than the head's ends on its
// line: not a multi-line string, and any array or inline table closed.
func oneLineValue(v string) bool {
	if strings.HasPrefix(v, `"""`) || strings.HasPrefix(v, "'''") {
		return false
	}
	if v == "" || v[0] != '[' && v[0] != '{' {
		return true
	}
	depth := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '[', '{':
			depth++
		case ']', '}':
			if depth--; depth == 0 {
				return valueEnd(v[i+1:])
			}
		case '"', '\'':
			if strings.HasPrefix(v[i:], `"""`) || strings.HasPrefix(v[i:], "'''") {
				return false
			}
			j := i + 1
			for ; j < len(v) && v[j] != c; j++ {
				if c == '"' && v[j] == '\\' {
					j++
				}
			}
			if j >= len(v) {
				return false
			}
			i = j
		case '#':
			return false
		}
	}
	return false
}
