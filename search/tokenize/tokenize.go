package tokenize

import (
	"unicode"
	"unicode/utf8"
)

// MaxTermLen is the length in characters of the longest term: a longer word
// (a hash, a base64 blob) or code is left out, the parts of a code are
// still terms.
const MaxTermLen = 64

// Kind tells what a token is.
type Kind uint8

const (
	// Word is a word that is not part of a code: folded, stemmed unless it
	// has a digit (0x0000011b stays whole).
	Word Kind = iota + 1
	// CodeWhole is a code as written (err_1045, tls-1.2, v2.1), a dotted
	// group of its parts (1.2 of tls-1.2) or a version's number (2.1 of
	// v2.1); never stemmed.
	CodeWhole
	// CodePart is a word of a code (err and 1045 of err_1045), treated as a
	// Word is, or the number of a version part (2 of v2 in v2.1).
	CodePart
	// CJKChar is one character of a CJK run.
	CJKChar
	// CJKBigram is two adjacent characters of a CJK run.
	CJKBigram
)

// Token is a term of the text and where it came from.
type Token struct {
	Term string
	Kind Kind
	// Position counts from 1, one a CJK character or a word (a code takes
	// one per part). A bigram has the position of its first character; a
	// code whole, a group and a version's number that of their first part.
	Position int
	// Start and End are the byte offsets of the token's characters in the
	// text as given (not folded): text[Start:End] folds to the term before
	// stemming (without a possessive 's, which the term drops).
	Start, End int
}

// Mode is the kind of text analysed.
type Mode uint8

const (
	// Body is indexed text: stop words are left out.
	Body Mode = iota
	// Title is indexed text whose stop words are kept, so that an article
	// called "at" or "The The" can be found.
	Title
	// Query is query text: stop words are left out, and a CJK run gives
	// only its bigrams (its character when it has only one), so that a
	// phrase matches inside longer runs and a query never looks up the long
	// postings of single characters.
	Query
)

// Chars tells which lone CJK characters an index holds (Body and Title
// modes; a Query gives a character only for a run of one). Both choices
// let a one-character query find every occurrence of its character; they
// differ in how.
type Chars uint8

const (
	// LastChar, desk search's choice: the bigrams of a run and its last
	// character, so that every character starts a bigram or is a token of
	// its own. bleve finds a one-character query as a prefix of the
	// bigrams, cheaply (the term dictionary is sorted), and the index does
	// not hold every character twice.
	LastChar Chars = iota
	// EveryChar, the static site's choice: every character and every
	// bigram. The page's term dictionary is split into shards by a hash of
	// each term's first characters, and a bigram's shard is not its first
	// character's, so a prefix search over bigrams would load many shards:
	// the characters are indexed instead.
	EveryChar
)

// Options choose how text is analysed.
type Options struct {
	Mode  Mode
	Chars Chars
}

// Tokens returns the tokens of text in order.
func Tokens(text string, opt Options) []Token {
	var out []Token
	Each(text, opt, func(t Token) { out = append(out, t) })
	return out
}

// Terms returns the terms of the tokens of text in order.
func Terms(text string, opt Options) []string {
	var out []string
	Each(text, opt, func(t Token) { out = append(out, t.Term) })
	return out
}

// Each calls emit with each token of text, in order:
//
//   - Text is folded character by character (Fold): full-width ASCII to
//     ASCII, the ideographic space to a space, upper to lower case.
//   - A run of CJK characters (Han, Hiragana, Katakana, Hangul) gives one
//     bigram per adjacent pair, at the position of its first character, and
//     the lone characters that Options.Chars asks for (see Mode Query).
//   - A run of letters and digits is a word. Apostrophes between letters
//     stay in the word (don't) and a possessive 's is dropped. A stop word
//     is left out (not in Title mode); another word is stemmed with the
//     light Porter stemmer (Stem) unless it has a digit.
//   - Words joined by '_', by '-' or by '.' between two digits form a code
//     (ERR_1045, v2.1, TLS-1.2). The whole code comes first, not stemmed,
//     then its parts at consecutive positions, each a word as above.
//     Parts joined by dots are also a group (TLS-1.2 gives tls-1.2, 1.2),
//     emitted before the group's parts, and a version gives its number
//     too: v2.1 gives v2.1 and 2.1, and its part v2 gives v2 and 2;
//     tidb-v7.5 gives the group v7.5 and 7.5.
//   - Terms longer than MaxTermLen characters are left out.
func Each(text string, opt Options, emit func(Token)) {
	rs := make([]rune, 0, len(text))
	offs := make([]int, 0, len(text)+1)
	for i, r := range text {
		rs = append(rs, Fold(r))
		offs = append(offs, i)
	}
	offs = append(offs, len(text))
	t := tokenizer{opt: opt, rs: rs, offs: offs, emit: emit, pos: 1}
	Scan(rs, t.cjk, t.code)
}

// Fold maps a character to its searchable form: full-width ASCII to ASCII,
// the ideographic space to a space, upper to lower case. One character
// always gives one, so positions in folded text are positions in the text.
func Fold(r rune) rune {
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

// FoldString returns the folded characters of s.
func FoldString(s string) []rune {
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		rs = append(rs, Fold(r))
	}
	return rs
}

// IsCJK reports whether r is a Han, Hiragana, Katakana or Hangul character
// (or the prolonged sound mark, part of Katakana words).
func IsCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) || r == 'ー'
}

// IsWordRune reports whether r belongs in a word: a letter, a digit or a
// combining mark that is not CJK.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return !IsCJK(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// Part is a word of a code, rs[Start:End] of the folded text scanned,
// joined to the previous part by Sep (0 for the first part).
type Part struct {
	Start, End int
	Sep        rune
}

// Scan walks the folded characters rs and reports, in order, each CJK run
// rs[start:end] and each word or code (a word is a code of one part). The
// parts slice is reused by the next call of code.
func Scan(rs []rune, cjk func(start, end int), code func(parts []Part)) {
	var parts []Part
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case IsCJK(r):
			end := i + 1
			for end < len(rs) && IsCJK(rs[end]) {
				end++
			}
			cjk(i, end)
			i = end
		case IsWordRune(r):
			var end int
			end, parts = scanCode(rs, i, parts[:0])
			code(parts)
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
		if IsWordRune(r) {
			end++
			continue
		}
		if isApostrophe(r) && end > i && end+1 < len(rs) &&
			unicode.IsLetter(rs[end-1]) && unicode.IsLetter(rs[end+1]) && !IsCJK(rs[end+1]) {
			end++
			continue
		}
		break
	}
	return end
}

// scanCode appends to parts the words of the code starting at i, words
// joined by '_', '-', or '.' between two digits, and returns its end.
func scanCode(rs []rune, i int, parts []Part) (int, []Part) {
	end := scanWord(rs, i)
	parts = append(parts, Part{i, end, 0})
	for end+1 < len(rs) {
		c := rs[end]
		if c != '_' && c != '-' && c != '.' {
			break
		}
		next := rs[end+1]
		if !IsWordRune(next) {
			break
		}
		if c == '.' && (!isDigit(rs[end-1]) || !isDigit(next)) {
			break
		}
		wend := scanWord(rs, end+1)
		parts = append(parts, Part{end + 1, wend, c})
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

// IsVersion reports whether the folded rs starts with "v" and a digit.
func IsVersion(rs []rune) bool { return len(rs) > 1 && rs[0] == 'v' && '0' <= rs[1] && rs[1] <= '9' }

// HasSep reports whether rs holds '_' or '-': a version inside a code
// (tidb-v7.5) does not give its number.
func HasSep(rs []rune) bool {
	for _, r := range rs {
		if r == '_' || r == '-' {
			return true
		}
	}
	return false
}

// DropPossessive removes a trailing 's (or ’s) from the folded word w.
func DropPossessive(w []rune) []rune {
	if n := len(w); n > 2 && w[n-1] == 's' && isApostrophe(w[n-2]) {
		return w[:n-2]
	}
	return w
}

// WordTerm returns the term of the folded word w as Each makes it: the
// possessive dropped, stemmed unless it has a digit; "" when it is longer
// than MaxTermLen, or a stop word and keepStop is false.
func WordTerm(w []rune, keepStop bool) string {
	w = DropPossessive(w)
	if len(w) > MaxTermLen {
		return ""
	}
	s := string(w)
	switch {
	case stopWords[s]:
		if !keepStop {
			return ""
		}
	case !hasDigit(w):
		s = Stem(s)
	}
	return s
}

// tokenizer makes the tokens of the folded text rs; offs[i] is the byte
// offset of rs[i] in the text (offs[len(rs)] its length).
type tokenizer struct {
	opt  Options
	rs   []rune
	offs []int
	emit func(Token)
	pos  int // the position of the next word or character
}

func (t *tokenizer) token(term string, kind Kind, pos, start, end int) {
	t.emit(Token{Term: term, Kind: kind, Position: pos, Start: t.offs[start], End: t.offs[end]})
}

// cjk emits the bigrams and characters of the run rs[start:end].
func (t *tokenizer) cjk(start, end int) {
	n := end - start
	for k := range n {
		i := start + k
		var char bool
		switch {
		case t.opt.Mode == Query:
			char = n == 1
		case t.opt.Chars == EveryChar:
			char = true
		default:
			char = k == n-1
		}
		if char {
			t.token(string(t.rs[i:i+1]), CJKChar, t.pos+k, i, i+1)
		}
		if k+1 < n {
			t.token(string(t.rs[i:i+2]), CJKBigram, t.pos+k, i, i+2)
		}
	}
	t.pos += n
}

// word emits the term of the word rs[start:end] at pos, if it has one.
func (t *tokenizer) word(start, end int, kind Kind, pos int) {
	w := t.rs[start:end]
	if term := WordTerm(w, t.opt.Mode == Title); term != "" {
		t.token(term, kind, pos, start, start+len(DropPossessive(w)))
	}
}

// whole emits rs[start:end] as it is, a code or a group of its parts, and
// for a version (v2.1, or v7.5.5 in tidb-v7.5.5) its number as well.
func (t *tokenizer) whole(start, end, pos int) {
	w := t.rs[start:end]
	if len(w) <= MaxTermLen {
		t.token(string(w), CodeWhole, pos, start, end)
	}
	if IsVersion(w) && !HasSep(w) {
		t.whole(start+1, end, pos)
	}
}

// code emits a word, or a code, its dotted groups and its parts.
func (t *tokenizer) code(parts []Part) {
	pos := t.pos
	t.pos += len(parts)
	if len(parts) == 1 {
		t.word(parts[0].Start, parts[0].End, Word, pos)
		return
	}
	start, end := parts[0].Start, parts[len(parts)-1].End
	t.whole(start, end, pos)
	for k := 0; k < len(parts); {
		g := k + 1
		for g < len(parts) && parts[g].Sep == '.' {
			g++
		}
		if g-k > 1 && (k > 0 || g < len(parts)) {
			t.whole(parts[k].Start, parts[g-1].End, pos+k)
		}
		for first := k; k < g; k++ {
			p := parts[k]
			t.word(p.Start, p.End, CodePart, pos+k)
			if k == first && g-k > 1 && IsVersion(t.rs[p.Start:p.End]) {
				// v2 of v2.1 also gives 2, so "2.1" typed without its v matches.
				t.word(p.Start+1, p.End, CodePart, pos+k)
			}
		}
	}
}
