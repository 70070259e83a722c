package sitesearch

import (
	"unicode"
	"unicode/utf8"
)

// maxTermLen is the length in characters of the longest term indexed; longer
// words (hashes, base64 blobs) are left out, their parts are still indexed.
const maxTermLen = 64

// stopWords are the English stop words (Lucene's list), left out of bodies
// and of queries that have other words.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true,
	"but": true, "by": true, "for": true, "if": true, "in": true, "into": true, "is": true,
	"it": true, "no": true, "not": true, "of": true, "on": true, "or": true, "such": true,
	"that": true, "the": true, "their": true, "then": true, "there": true, "these": true,
	"they": true, "this": true, "to": true, "was": true, "will": true, "with": true,
}

// fold maps a character to its searchable form: full-width ASCII to ASCII,
// the ideographic space to a space, upper to lower case.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// foldString returns the folded characters of s.
func foldString(s string) []rune {
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		rs = append(rs, fold(r))
	}
	return rs
}

// isCJK reports whether r is a Han, Hiragana, Katakana or Hangul character,
// as in package search.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) || r == 'ー'
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return !isCJK(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// part is a word of a code: rs[start:end], joined to the previous part by
// sep (0 for the first part).
type part struct {
	start, end int
	sep        rune
}

// scanner walks folded text and reports its CJK runs and its words and codes,
// in order.
type scanner struct {
	cjk  func(run []rune)
	code func(rs []rune, parts []part)
}

func (s *scanner) scan(rs []rune) {
	var parts []part
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isCJK(r):
			end := i + 1
			for end < len(rs) && isCJK(rs[end]) {
				end++
			}
			s.cjk(rs[i:end])
			i = end
		case isWordRune(r):
			var end int
			end, parts = scanCode(rs, i, parts[:0])
			s.code(rs, parts)
			i = end
		default:
			i++
		}
	}
}

// scanWord returns the end of the word starting at i: word characters, with
// apostrophes between letters.
func scanWord(rs []rune, i int) int {
	end := i
	for end < len(rs) {
		r := rs[end]
		if isWordRune(r) {
			end++
			continue
		}
		if isApostrophe(r) && end > i && end+1 < len(rs) &&
			unicode.IsLetter(rs[end-1]) && unicode.IsLetter(rs[end+1]) && !isCJK(rs[end+1]) {
			end++
			continue
		}
		break
	}
	return end
}

// scanCode appends to parts the words of the code starting at i, words
// joined by '_', '-', or '.' between two digits, and returns its end.
func scanCode(rs []rune, i int, parts []part) (int, []part) {
	end := scanWord(rs, i)
	parts = append(parts, part{i, end, 0})
	for end+1 < len(rs) {
		c := rs[end]
		if c != '_' && c != '-' && c != '.' {
			break
		}
		next := rs[end+1]
		if !isWordRune(next) {
			break
		}
		if c == '.' && (!isDigit(rs[end-1]) || !isDigit(next)) {
			break
		}
		wend := scanWord(rs, end+1)
		parts = append(parts, part{end + 1, wend, c})
		end = wend
	}
	return end, parts
}

func hasDigit(rs []rune) bool {
	for _, r := range rs {
		if isDigit(r) {
			return true
		}
	}
	return false
}

// isVersion reports whether rs starts with "v" and a digit.
func isVersion(rs []rune) bool { return len(rs) > 1 && rs[0] == 'v' && '0' <= rs[1] && rs[1] <= '9' }

// dropPossessive removes a trailing 's.
func dropPossessive(w []rune) []rune {
	if n := len(w); n > 2 && w[n-1] == 's' && isApostrophe(w[n-2]) {
		return w[:n-2]
	}
	return w
}

// analyzer turns text into index terms.
type analyzer struct {
	keepStop bool // keep stop words (titles)
	// inPart is set while the parts of a code are emitted.
	inPart bool
	// emit receives each term; the slice is reused for the next term.
	emit func(term []byte)
	buf  []byte
}

// runes emits rs as a term.
func (a *analyzer) runes(rs []rune) {
	a.buf = a.buf[:0]
	for _, r := range rs {
		a.buf = utf8.AppendRune(a.buf, r)
	}
	a.emit(a.buf)
}

// run emits the terms of the folded characters rs.
func (a *analyzer) run(rs []rune) {
	sc := scanner{cjk: a.cjk, code: a.code}
	sc.scan(rs)
}

// cjk emits each character and each bigram of a CJK run.
func (a *analyzer) cjk(run []rune) {
	for k := range run {
		a.runes(run[k : k+1])
		if k+1 < len(run) {
			a.runes(run[k : k+2])
		}
	}
}

// word emits the term of one word: stemmed unless it has a digit, left out
// when it is a stop word (unless keepStop).
func (a *analyzer) word(w []rune) {
	w = dropPossessive(w)
	if len(w) > maxTermLen {
		return
	}
	a.buf = a.buf[:0]
	for _, r := range w {
		a.buf = utf8.AppendRune(a.buf, r)
	}
	if stopWords[string(a.buf)] {
		if a.keepStop {
			a.emit(a.buf)
		}
		return
	}
	if !hasDigit(w) {
		a.buf = stemBytes(a.buf)
	}
	a.emit(a.buf)
}

// whole emits a code or a group of its parts, not stemmed.
func (a *analyzer) whole(w []rune) {
	if len(w) <= maxTermLen {
		a.runes(w)
	}
}

// code emits a word, or a code, its dotted groups (1.2 in tls-1.2) and its
// parts; a version (v2.1) also gives its number without the v.
func (a *analyzer) code(rs []rune, parts []part) {
	if len(parts) == 1 {
		a.word(rs[parts[0].start:parts[0].end])
		return
	}
	start, end := parts[0].start, parts[len(parts)-1].end
	a.whole(rs[start:end])
	if isVersion(rs[start:end]) && !hasSep(rs[start:end]) {
		a.whole(rs[start+1 : end])
	}
	for k := 0; k < len(parts); {
		g := k + 1
		for g < len(parts) && parts[g].sep == '.' {
			g++
		}
		if g-k > 1 && (k > 0 || g < len(parts)) {
			a.whole(rs[parts[k].start:parts[g-1].end])
		}
		a.inPart = true
		for first := k; k < g; k++ {
			w := rs[parts[k].start:parts[k].end]
			a.word(w)
			if k == first && g-k > 1 && isVersion(w) {
				a.word(w[1:])
			}
		}
		a.inPart = false
	}
}

// hasSep reports whether rs holds '_' or '-'.
func hasSep(rs []rune) bool {
	for _, r := range rs {
		if r == '_' || r == '-' {
			return true
		}
	}
	return false
}

// Tokens returns the index terms of text in order, as the browser script
// computes them for the same text: folded, CJK characters and bigrams,
// stemmed words without stop words, codes whole and in parts.
func Tokens(text string) []string {
	var out []string
	a := analyzer{emit: func(t []byte) { out = append(out, string(t)) }}
	a.run(foldString(text))
	return out
}
