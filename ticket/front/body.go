package front

import (
	"bytes"
	"strings"
)

// section locates the level-2 heading text in the body: the index of its
// line in the body, the column of its first '#', and the byte range of the
// text under it (up to the next heading of level 1 or 2, or the end).
func (d *Doc) section(heading string) (line, col, from, to int, ok bool) {
	heading = strings.TrimSpace(heading)
	found := false
	eachHeading(d.body, func(level int, text string, indent, n, off, next int) bool {
		if found && level <= 2 {
			to = off
			return false
		}
		if !found && level == 2 && text == heading {
			found = true
			line, col, from = n, indent+1, next
		}
		return true
	})
	if !found {
		return 0, 0, 0, 0, false
	}
	if to == 0 {
		to = len(d.body)
	}
	return line, col, from, to, true
}

// eachHeading calls fn for each ATX heading of b outside fenced code
// blocks: its level, text and indentation (see atx), its line (0-based),
// the offset of its line and of the next; fn returns false to stop.
func eachHeading(b []byte, fn func(level int, text string, indent, n, off, next int) bool) {
	var fence byte // '`' or '~' while inside a fenced code block
	var fenceLen int
	for off, n := 0, 0; off < len(b); n++ {
		end := bytes.IndexByte(b[off:], '\n')
		next := len(b)
		if end >= 0 {
			next = off + end + 1
			end = off + end
		} else {
			end = len(b)
		}
		l := b[off:end]
		if fence != 0 {
			if c, k, rest := fenceOf(l); c == fence && k >= fenceLen && len(bytes.TrimSpace(rest)) == 0 {
				fence = 0
			}
		} else if c, k, rest := fenceOf(l); c != 0 && (c == '~' || bytes.IndexByte(rest, '`') < 0) {
			fence, fenceLen = c, k
		} else if level, text, indent := atx(l); level > 0 && !fn(level, text, indent, n, off, next) {
			return
		}
		off = next
	}
}

// fenceOf reports the fence character and length when l opens or closes a
// fenced code block (up to three spaces, then at least three ` or ~), and the
// rest of the line.
func fenceOf(l []byte) (byte, int, []byte) {
	i := 0
	for i < len(l) && i < 3 && l[i] == ' ' {
		i++
	}
	if i >= len(l) || (l[i] != '`' && l[i] != '~') {
		return 0, 0, nil
	}
	c := l[i]
	k := 0
	for i+k < len(l) && l[i+k] == c {
		k++
	}
	if k < 3 {
		return 0, 0, nil
	}
	return c, k, l[i+k:]
}

// atx parses an ATX heading: its level (0 if l is none), its text (trimmed,
// without a closing sequence of #) and the indentation of its first '#'.
func atx(l []byte) (int, string, int) {
	i := 0
	for i < len(l) && i < 3 && l[i] == ' ' {
		i++
	}
	indent := i
	k := 0
	for i+k < len(l) && l[i+k] == '#' {
		k++
	}
	if k == 0 || k > 6 {
		return 0, "", 0
	}
	rest := l[i+k:]
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' {
		return 0, "", 0
	}
	text := strings.TrimSpace(string(rest))
	// Closing sequence: spaces then only #s.
	if t := strings.TrimRight(text, "#"); t != text {
		if t == "" {
			text = ""
		} else if strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\t") {
			text = strings.TrimSpace(t)
		}
	}
	return k, text, indent
}

// Section returns the position (of its first '#') of the level-2 ATX heading
// "## heading" in the body. The heading's text is compared exactly after
// trimming white space and a closing run of #. Headings inside fenced code
// blocks do not count; setext headings are not recognised. The first match
// wins.
func (d *Doc) Section(heading string) (Pos, bool) {
	line, col, _, _, ok := d.section(heading)
	if !ok {
		return Pos{}, false
	}
	return Pos{Line: d.BodyLine() + line, Col: col}, true
}

// SectionText returns the text under the level-2 heading (as found by
// Section), from the line after it up to the next ATX heading of level 1 or 2
// outside a fenced code block, or the end of the body; untrimmed. ok is false
// when the heading is absent.
func (d *Doc) SectionText(heading string) (string, bool) {
	_, _, from, to, ok := d.section(heading)
	if !ok {
		return "", false
	}
	return string(d.body[from:to]), true
}

// SectionTexts is SectionText of each heading, in one pass over the body:
// a ticket's record looks up five sections, and each lookup read the body
// from its start.
func (d *Doc) SectionTexts(headings []string) (texts []string, found []bool) {
	texts, found = make([]string, len(headings)), make([]bool, len(headings))
	want := make([]string, len(headings))
	for i, h := range headings {
		want[i] = strings.TrimSpace(h)
	}
	b := d.body
	var open []int // the headings whose section is being read
	from := 0
	eachHeading(b, func(level int, text string, _, _, off, next int) bool {
		if level > 2 {
			return true
		}
		for _, i := range open {
			texts[i] = string(b[from:off])
		}
		open = open[:0]
		if level == 2 {
			for i, h := range want {
				if !found[i] && text == h {
					found[i] = true
					open = append(open, i)
				}
			}
			from = next
		}
		return true
	})
	for _, i := range open {
		texts[i] = string(b[from:])
	}
	return texts, found
}
