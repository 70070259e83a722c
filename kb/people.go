package kb

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/deskhq/desk/search/tokenize"
)

// People finds the names and contacts of known people (every requester of
// a repository) in text, as people write them: in any case and width
// (ＺＨＡＮＧ, zhang), with any run of spaces or a line break inside
// ("Margaret\n  Thornbury"), in either order ("Thornbury, Margaret",
// "THORNBURY Margaret"), a Chinese name with or without a space (欧阳 娜娜),
// a phone number with any separators.
//
// Every value is kept in one hash set as its key: the words of the folded
// value with the punctuation around each word trimmed, or, for a value of
// digits, its digits. Find looks up, at each word of the text, the runs of
// one to maxWords words, and in each run of Chinese, Japanese or Korean
// characters every stretch of two to maxCJK characters. Measured at 100,000
// tickets: an Aho–Corasick automaton over the 200,000 values took 2.5 s to
// build (a map per trie node), this set 40 ms.
//
// Find reads a text once and copies nothing of it but the word at hand, and
// a word costs a map lookup only when a 32 KB set of hashes of first words
// holds it. Over the 8,201 corpus articles (18.5 MB) with loadgen's
// requesters (BenchmarkPeopleFind with DESK_CORPUS set) it takes 0.17 to
// 0.28 s, 1.9 to 2.6 times less than with a folded copy of each text and a
// list of its words, and allocates 3.8 MB instead of 169 MB. A warm desk
// check at 100,000 tickets costs 3 to 6% more CPU than before the rule knew
// every requester, where it cost 30% more (examples/bench/personal.sh).
type People struct {
	keys   map[string]person
	first  map[string]bool // the first word of every key of words
	cjk2   map[string]bool // the first two characters of every CJK key
	phones bool            // a key is a number
	// The hashes of first's words and of cjk2's pairs: a word or a pair of
	// characters of the text that is in neither (most of them) costs no
	// map lookup.
	firstSet, cjk2Set *hashSet
	maxWords          int
	maxCJK            int
	n                 int // people added with Add

	// The values added, by kind: a repository's requesters come back
	// ticket after ticket (5,665 distinct values in the 200,000 of the
	// generated 100,000 tickets), and a value added again is one lookup,
	// not a fold.
	seenNames, seenContacts map[string]bool
}

type person struct {
	kind string // "name" or "contact"
	of   int    // the index of the value: in names, or len(names) + in contacts
}

// NewPeople compiles the names and contacts of people. Values shorter
// than two characters once folded are left out: they would match
// everywhere.
func NewPeople(names, contacts []string) *People {
	p := &People{keys: map[string]person{}, first: map[string]bool{}, cjk2: map[string]bool{},
		firstSet: new(hashSet), cjk2Set: new(hashSet),
		seenNames: map[string]bool{}, seenContacts: map[string]bool{}}
	for i, n := range names {
		p.add(n, "name", i)
	}
	for i, c := range contacts {
		p.add(c, "contact", len(names)+i)
	}
	return p
}

// Add adds a person's name and contact to p as it is being used: a caller
// that reads records one at a time adds them as it goes. What is kept of
// name and contact is copied, so they may share memory that is reused.
func (p *People) Add(name, contact string) {
	p.n++
	p.add(name, "name", p.n)
	p.add(contact, "contact", p.n)
}

func (p *People) add(v, kind string, of int) {
	seen := p.seenNames
	if kind == "contact" {
		seen = p.seenContacts
	}
	if seen[v] || strings.TrimSpace(v) == "" {
		return
	}
	seen[strings.Clone(v)] = true
	f := fold(v)
	for _, form := range forms(f, kind) {
		if _, ok := p.keys[form.key]; ok || utf8.RuneCountInString(form.key) < 2 {
			continue
		}
		p.keys[form.key] = person{kind, of}
		if form.cjk {
			p.maxCJK = max(p.maxCJK, utf8.RuneCountInString(form.key))
			r1, a := utf8.DecodeRuneInString(form.key)
			r2, b := utf8.DecodeRuneInString(form.key[a:])
			p.cjk2[form.key[:a+b]] = true
			p.cjk2Set.add(pairHash(r1, r2))
		} else {
			p.maxWords = max(p.maxWords, form.words)
			if form.key[0] == '#' {
				p.phones = true
			} else {
				w, _, _ := strings.Cut(form.key, " ")
				p.first[w] = true
				p.firstSet.add(wordHash(w))
			}
		}
	}
}

type form struct {
	key   string
	words int  // words in the key
	cjk   bool // a run of CJK characters, looked up inside runs
}

// forms are the keys of a folded value: a CJK name without spaces; digits
// for a number; otherwise its words, trimmed, in the order given and, for
// a name of two or more words, surname first.
func forms(f, kind string) []form {
	if allCJK(f) {
		return []form{{key: strings.ReplaceAll(f, " ", ""), cjk: true}}
	}
	if d, ok := phoneDigits(f); ok {
		return []form{{key: "#" + d, words: len(strings.Fields(f))}}
	}
	words := trimmedWords(f)
	if len(words) == 0 {
		return nil
	}
	out := []form{{key: strings.Join(words, " "), words: len(words)}}
	if kind == "name" && len(words) >= 2 {
		last := words[len(words)-1]
		rev := append([]string{last}, words[:len(words)-1]...)
		out = append(out, form{key: strings.Join(rev, " "), words: len(words)})
		// As a tag or a slug: margaret-thornbury, margaret_thornbury.
		for _, sep := range []string{"-", "_"} {
			out = append(out, form{key: strings.Join(words, sep), words: 1}, form{key: strings.Join(rev, sep), words: 1})
		}
	}
	return out
}

func allCJK(s string) bool {
	n := 0
	for _, r := range s {
		if r == ' ' {
			continue
		}
		if !isCJKRune(r) {
			return false
		}
		n++
	}
	return n > 0
}

// phoneDigits returns the digits of a value made of digits, spaces and
// + - . ( ), with seven digits or more.
func phoneDigits(s string) (string, bool) {
	var d strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case strings.ContainsRune(" +-.()", r):
		default:
			return "", false
		}
	}
	return d.String(), d.Len() >= 7
}

// trimPunct is what trimmedWords takes off each end of a word.
const trimPunct = ".,;:!?()[]{}<>\"'`*_~|/\\"

func trimmedWords(f string) []string {
	var out []string
	for _, w := range strings.Fields(f) {
		if w = strings.Trim(w, trimPunct); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func isCJKRune(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3040 && r <= 0x30FF, r >= 0xAC00 && r <= 0xD7A3:
		return true // most of them: no table to search
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// Found is a known person's name or contact found in a text: the byte
// range of the original text and what it is.
type Found struct {
	Start, End int
	Kind       string // "name" or "contact"
	Of         int    // which value: its index in names, or len(names) + its index in contacts
}

// Find returns where text holds a known name or contact, leftmost first and
// without overlaps (the longest at a place wins). Latin names and contacts
// are whole words ("Li" is not found in "Linux").
//
// One pass over text folds a word at a time into a buffer it reuses (no
// folded copy of the text, no list of its words): most words start nobody's
// name, and one lookup with no allocation says so; only a word that starts
// a key has the words after it read, up to maxWords.
func (p *People) Find(text string) []Found {
	if p == nil || len(p.keys) == 0 {
		return nil
	}
	s := &finder{p: p, text: text}
	cjk := p.maxCJK >= 2
	for i := 0; i < len(text); {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
			r = tokenize.Fold(r)
		}
		switch {
		case r < utf8.RuneSelf && asciiWord[r] || r >= utf8.RuneSelf && wordRune(r):
			s.flushCJK()
			if j, ok := s.nobody(i); ok {
				i = j
				continue
			}
			i = s.word(i)
			continue
		case !cjk:
		case isCJKRune(r):
			s.cjk = append(s.cjk, cjkRune{r: r, start: i, end: i + n, at: len(s.cjkText)})
			s.cjkText = utf8.AppendRune(s.cjkText, r)
		case r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && unicode.IsSpace(r):
			// Between two CJK characters a space or a line break is
			// nothing: 欧阳 娜娜 is 欧阳娜娜.
		default:
			s.flushCJK()
		}
		i += n
	}
	s.flushCJK()
	hits := s.hits
	if len(hits) == 0 {
		return nil
	}
	// Leftmost, then longest; drop what overlaps a kept one.
	slices.SortFunc(hits, func(a, b Found) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End)) })
	var out []Found
	end := -1
	for _, h := range hits {
		if h.Start < end {
			continue
		}
		end = h.End
		out = append(out, h)
	}
	return out
}

// finder is the state of one Find. Offsets are bytes of the text; what is
// looked up is folded as fold folds a value.
type finder struct {
	p    *People
	text string
	hits []Found

	// The word being read, folded: w, and where each of its bytes starts
	// in text (off, with the word's end last). A word of ASCII folds byte
	// for byte: off stays empty and at computes it.
	w      []byte
	off    []int
	wstart int
	ascii  bool

	key, digits []byte // the run of words looked up; its digits after #

	// The run of CJK characters being read: each one's bytes in text and
	// where it starts in cjkText, the run without the spaces inside it.
	cjk     []cjkRune
	cjkText []byte
}

type cjkRune struct {
	r              rune
	start, end, at int
}

func (s *finder) hit(start, end int, who person) {
	s.hits = append(s.hits, Found{Start: start, End: end, Kind: who.kind, Of: who.of})
}

// at is where in text the byte k of the folded word starts (its end for
// k = len(w)).
func (s *finder) at(k int) int {
	if s.ascii {
		return s.wstart + k
	}
	return s.off[k]
}

// read folds the word of text at i (a word rune is there) into w and
// returns where the word ends, and its bytes in w once trimmed of
// punctuation and of a possessive 's: [ts, te), empty when nothing is left.
// A word is a run of letters, digits and the marks of addresses and
// numbers; CJK characters, spaces and other punctuation end it.
func (s *finder) read(i int) (j, ts, te int) {
	text := s.text
	s.w, s.off, s.wstart, s.ascii = s.w[:0], s.off[:0], i, true
	for j = i; j < len(text); {
		if text[j] < utf8.RuneSelf {
			k := j + 1
			for k < len(text) && text[k] < utf8.RuneSelf && asciiWord[text[k]] {
				k++
			}
			if !asciiWord[text[j]] {
				break
			}
			m := len(s.w)
			s.w = append(s.w, text[j:k]...)
			for x := m; x < len(s.w); x++ {
				if c := s.w[x]; 'A' <= c && c <= 'Z' {
					s.w[x] = c + 'a' - 'A'
				}
				if !s.ascii {
					s.off = append(s.off, j+x-m)
				}
			}
			j = k
			continue
		}
		r, n := utf8.DecodeRuneInString(text[j:])
		if r = tokenize.Fold(r); !wordRune(r) {
			break
		}
		if s.ascii {
			s.ascii = false
			for k := range s.w {
				s.off = append(s.off, i+k)
			}
		}
		m := len(s.w)
		s.w = utf8.AppendRune(s.w, r)
		for range len(s.w) - m {
			s.off = append(s.off, j)
		}
		j += n
	}
	if !s.ascii {
		s.off = append(s.off, j)
	}
	ts, te = 0, len(s.w)
	for ts < te && s.w[ts] < utf8.RuneSelf && asciiTrim[s.w[ts]] {
		ts++
	}
	for te > ts && s.w[te-1] < utf8.RuneSelf && asciiTrim[s.w[te-1]] {
		te--
	}
	if te-ts > 2 && s.w[te-2] == '\'' && s.w[te-1] == 's' {
		te -= 2 // Li Na's manager
	}
	return j, ts, te
}

// nobody reports whether the word at i is a word of ASCII that starts no
// key, as most words are, and where it ends: it reads the word in place,
// with no copy.
func (s *finder) nobody(i int) (int, bool) {
	text := s.text
	j := i
	h := uint32(2166136261) // wordHash of the word, read once
	for ; j < len(text) && text[j] < utf8.RuneSelf && asciiWord[text[j]]; j++ {
		c := text[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * 16777619
	}
	if j < len(text) && text[j] >= utf8.RuneSelf {
		return j, false // the word may go on beyond ASCII
	}
	ts, te := i, j
	for ts < te && asciiTrim[text[ts]] {
		ts++
	}
	for te > ts && asciiTrim[text[te-1]] {
		te--
	}
	if te-ts > 2 && text[te-2] == '\'' && text[te-1]|0x20 == 's' {
		te -= 2
	}
	w := text[ts:te]
	if len(w) != j-i { // punctuation around the word
		h = wordHash(w)
	}
	return j, w == "" || !s.p.firstSet.has(h) && !(s.p.phones && allPhoneChars(w))
}

// word looks up the word at i and the runs of words it starts, and returns
// where the word ends.
func (s *finder) word(i int) int {
	p := s.p
	j, ts, te := s.read(i)
	if ts == te {
		return j
	}
	first := s.w[ts:te]
	names := p.firstSet.has(wordHash(first)) && p.first[string(first)]
	phone := p.phones && allPhoneChars(first)
	if !names && !phone {
		return j // most words start nobody's name
	}
	start := s.at(ts)
	s.key, s.digits = s.key[:0], append(s.digits[:0], '#') // the key of a number
	// The word, then the words after it: reading them overwrites w, and
	// the next word of the pass is read again from j.
	for n, k := 0, j; n < p.maxWords; n++ {
		if n > 0 {
			if k = s.nextWord(k); k == len(s.text) {
				break
			}
			if k, ts, te = s.read(k); ts == te {
				n--
				continue
			}
			s.key = append(s.key, ' ')
		}
		w := s.w[ts:te]
		end := s.at(te)
		s.key = append(s.key, w...)
		if phone = phone && allPhoneChars(w); phone {
			s.digits = appendDigits(s.digits, w)
		}
		if !names && !phone {
			break
		}
		if names {
			if who, ok := p.keys[string(s.key)]; ok {
				s.hit(start, end, who)
			}
		}
		if phone && len(s.digits) >= 1+7 {
			if who, ok := p.keys[string(s.digits)]; ok {
				s.hit(start, end, who)
			}
		}
	}
	return j
}

// hashSet is a set of hashes, as bits: it may say yes to a value not in
// it, never no to one that is.
type hashSet [1 << 18 / 64]uint64 // 32 KB: near the processor

func (h *hashSet) add(x uint32) { h[x/64%uint32(len(h))] |= 1 << (x % 64) }

func (h *hashSet) has(x uint32) bool { return h[x/64%uint32(len(h))]&(1<<(x%64)) != 0 }

// pairHash is the hash of two characters, for People's cjk2Set.
func pairHash(a, b rune) uint32 { return (uint32(a)<<16 ^ uint32(b)) * 0x9E3779B1 >> 14 }

// wordHash is FNV-1a of w in lower case (ASCII's, all nobody needs), for
// People's set of first words.
func wordHash[T string | []byte](w T) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// nextWord is where the first word of text at or after i starts, or the
// end of text.
func (s *finder) nextWord(i int) int {
	text := s.text
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if asciiWord[c] {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if wordRune(tokenize.Fold(r)) {
			return i
		}
		i += n
	}
	return i
}

// flushCJK looks up, in the run of CJK characters read, every stretch of
// two to maxCJK characters (a name inside Chinese text has no spaces
// around it).
func (s *finder) flushCJK() {
	p, run := s.p, s.cjk
	if len(run) < 2 {
		s.cjk, s.cjkText = run[:0], s.cjkText[:0]
		return
	}
	at := func(k int) int {
		if k == len(run) {
			return len(s.cjkText)
		}
		return run[k].at
	}
	for a := 0; a+2 <= len(run); a++ {
		if !p.cjk2Set.has(pairHash(run[a].r, run[a+1].r)) || !p.cjk2[string(s.cjkText[run[a].at:at(a+2)])] {
			continue
		}
		for n := 2; n <= p.maxCJK && a+n <= len(run); n++ {
			if who, ok := p.keys[string(s.cjkText[run[a].at:at(a+n)])]; ok {
				s.hit(run[a].start, run[a+n-1].end, who)
			}
		}
	}
	s.cjk, s.cjkText = run[:0], s.cjkText[:0]
}

// asciiWord and asciiSpace are wordRune and unicode.IsSpace for ASCII;
// asciiTrim is trimPunct.
var asciiWord, asciiSpace, asciiTrim [utf8.RuneSelf]bool

func init() {
	for c := range utf8.RuneSelf {
		asciiWord[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("@.+-_'%&()", rune(c))
		asciiSpace[c] = unicode.IsSpace(rune(c))
		asciiTrim[c] = strings.IndexByte(trimPunct, byte(c)) >= 0
	}
}

// wordRune tells the characters of a word: letters and digits other than
// CJK, and the marks inside addresses, names and numbers.
func wordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return !isCJKRune(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// allPhoneChars reports whether s is made of digits and + - . ( ) only.
func allPhoneChars[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || strings.IndexByte("+-.()", c) >= 0) {
			return false
		}
	}
	return len(s) > 0
}

func appendDigits(b, s []byte) []byte {
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return b
}

// fold folds a value for matching people: each character as
// tokenize.Fold folds it (full-width ASCII to ASCII, the ideographic space
// to a space, lower case), every run of white space (line breaks too) to one space, and
// no space between two CJK characters.
func fold(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	space := false // a pending run of white space
	var last rune
	for _, r := range text {
		if r < utf8.RuneSelf && !asciiSpace[r] && !space {
			// Plain ASCII, not a space, none pending: the common case.
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			last = r
			continue
		}
		if r = tokenize.Fold(r); unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			if b.Len() > 0 && !(isCJKRune(last) && isCJKRune(r)) {
				b.WriteByte(' ')
			}
			space = false
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}
