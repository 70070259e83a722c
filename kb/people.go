package kb

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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
type People struct {
	keys     map[string]person
	first    map[string]bool // the first word of every key of words
	cjk2     map[string]bool // the first two characters of every CJK key
	maxWords int
	maxCJK   int
	n        int // people added with Add
}

type person struct {
	kind string // "name" or "contact"
	of   int    // the index of the value: in names, or len(names) + in contacts
}

// NewPeople compiles the names and contacts of people. Values shorter
// than two characters once folded are left out: they would match
// everywhere.
func NewPeople(names, contacts []string) *People {
	p := &People{keys: map[string]person{}, first: map[string]bool{}, cjk2: map[string]bool{}}
	for i, n := range names {
		p.add(n, "name", i)
	}
	for i, c := range contacts {
		p.add(c, "contact", len(names)+i)
	}
	return p
}

// Add adds a person's name and contact to p as it is being used: a caller
// that reads records one at a time adds them as it goes. Nothing of name or
// contact is kept (only their folded keys), so they may share memory that
// is reused.
func (p *People) Add(name, contact string) {
	p.n++
	p.add(name, "name", p.n)
	p.add(contact, "contact", p.n)
}

func (p *People) add(v, kind string, of int) {
	if strings.TrimSpace(v) == "" {
		return
	}
	f, _, _ := foldMapped(v, false)
	for _, form := range forms(f, kind) {
		if _, ok := p.keys[form.key]; ok || utf8.RuneCountInString(form.key) < 2 {
			continue
		}
		p.keys[form.key] = person{kind, of}
		if form.cjk {
			p.maxCJK = max(p.maxCJK, utf8.RuneCountInString(form.key))
			_, a := utf8.DecodeRuneInString(form.key)
			_, b := utf8.DecodeRuneInString(form.key[a:])
			p.cjk2[form.key[:a+b]] = true
		} else {
			p.maxWords = max(p.maxWords, form.words)
			if form.key[0] == '#' {
				p.first["#"] = true
			} else {
				p.first[strings.SplitN(form.key, " ", 2)[0]] = true
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

// word is a word of the folded text: its byte range, and the range once
// trimmed of punctuation.
type word struct{ start, end, tstart, tend int }

// Find returns where text holds a known name or contact, leftmost first and
// without overlaps (the longest at a place wins). Latin names and contacts
// are whole words ("Li" is not found in "Linux").
func (p *People) Find(text string) []Found {
	if p == nil || len(p.keys) == 0 {
		return nil
	}
	f, _, _ := foldMapped(text, false)
	var hits []Found // in folded offsets until the end
	hit := func(start, end int, who person) {
		hits = append(hits, Found{Start: start, End: end, Kind: who.kind, Of: who.of})
	}
	// Words, and runs of up to maxWords of them. A word is a run of
	// letters, digits and the marks of addresses and numbers; CJK
	// characters, spaces and other punctuation end it.
	var words []word
	for i := 0; i < len(f); {
		r, n := utf8.DecodeRuneInString(f[i:])
		if !wordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(f) {
			r, n := utf8.DecodeRuneInString(f[j:])
			if !wordRune(r) {
				break
			}
			j += n
		}
		w := word{start: i, end: j, tstart: i, tend: j}
		for w.tstart < w.tend && strings.IndexByte(trimPunct, f[w.tstart]) >= 0 {
			w.tstart++
		}
		for w.tend > w.tstart && strings.IndexByte(trimPunct, f[w.tend-1]) >= 0 {
			w.tend--
		}
		if strings.HasSuffix(f[w.tstart:w.tend], "'s") && w.tend-w.tstart > 2 {
			w.tend -= 2 // Li Na's manager
		}
		if w.tend > w.tstart {
			words = append(words, w)
		}
		i = j
	}
	var key []byte
	var digits []byte
	for k := range words {
		first := f[words[k].tstart:words[k].tend]
		names := p.first[first]
		phone := p.first["#"] && allPhoneChars(first)
		if !names && !phone {
			continue // most words start nobody's name
		}
		key, digits = key[:0], digits[:0]
		for n := 0; n < p.maxWords && k+n < len(words); n++ {
			w := words[k+n]
			if n > 0 {
				key = append(key, ' ')
			}
			key = append(key, f[w.tstart:w.tend]...)
			if phone = phone && allPhoneChars(f[w.tstart:w.tend]); phone {
				digits = appendDigits(digits, f[w.tstart:w.tend])
			}
			if who, ok := p.keys[string(key)]; ok && names {
				hit(words[k].tstart, w.tend, who)
			}
			if phone && len(digits) >= 7 {
				if who, ok := p.keys["#"+string(digits)]; ok {
					hit(words[k].tstart, w.tend, who)
				}
			}
		}
	}
	// Stretches of CJK characters (a name inside Chinese text has no
	// spaces around it).
	if p.maxCJK >= 2 {
		var runes []int // byte offsets of the CJK run's runes, and its end
		flush := func() {
			for a := 0; a+2 < len(runes); a++ {
				if !p.cjk2[f[runes[a]:runes[a+2]]] {
					continue
				}
				for n := 2; n <= p.maxCJK && a+n < len(runes); n++ {
					if who, ok := p.keys[f[runes[a]:runes[a+n]]]; ok {
						hit(runes[a], runes[a+n], who)
					}
				}
			}
			runes = runes[:0]
		}
		for i, r := range f {
			if isCJKRune(r) {
				if len(runes) == 0 {
					runes = append(runes, i)
				} else {
					runes[len(runes)-1] = i
				}
				runes = append(runes, i+utf8.RuneLen(r))
				continue
			}
			if len(runes) > 0 {
				flush()
			}
		}
		if len(runes) > 0 {
			flush()
		}
	}
	if len(hits) == 0 {
		return nil
	}
	_, starts, ends := foldMapped(text, true)
	for i := range hits {
		hits[i].Start, hits[i].End = starts[hits[i].Start], ends[hits[i].End]
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

// wordRune tells the characters of a word: letters and digits other than
// CJK, and the marks inside addresses, names and numbers.
func wordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("@.+-_'%&()", r)
	}
	return !isCJKRune(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// allPhoneChars reports whether s is made of digits and + - . ( ) only.
func allPhoneChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || strings.IndexByte("+-.()", s[i]) >= 0) {
			return false
		}
	}
	return s != ""
}

func appendDigits(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return b
}

// foldMapped folds text for matching people: full-width ASCII to ASCII,
// the ideographic space to a space, lower case, every run of white space
// (line breaks too) to one space, and no space between two CJK characters.
// When mapped, starts[j] is the byte of text where the character at folded
// byte j begins, ends[j] the byte of text where the character ending at
// folded byte j ends; without, they are nil (the usual text holds nobody,
// and Find maps only when it found someone).
func foldMapped(text string, mapped bool) (f string, starts, ends []int) {
	var b strings.Builder
	b.Grow(len(text))
	if mapped {
		starts = make([]int, 0, len(text)+1)
		ends = make([]int, 1, len(text)+1)
	}
	space, spaceEnd := -1, -1 // a pending run of white space
	var last rune
	for i, r := range text {
		if r < utf8.RuneSelf && r != ' ' && (r < '\t' || r > '\r') && space < 0 {
			// Plain ASCII, not a space, none pending: the common case.
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			if mapped {
				starts = append(starts, i)
				ends = append(ends, i+1)
			}
			last = r
			continue
		}
		size := utf8.RuneLen(r)
		if size < 0 {
			size = 1 // an invalid byte
		}
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		if unicode.IsSpace(r) {
			if space < 0 {
				space = i
			}
			spaceEnd = i + size
			continue
		}
		if r < 0x3040 || r > 0x9FFF {
			r = unicode.ToLower(r) // CJK has no case
		}
		if space >= 0 {
			if b.Len() > 0 && !(isCJKRune(last) && isCJKRune(r)) {
				b.WriteByte(' ')
				if mapped {
					starts = append(starts, space)
					ends = append(ends, spaceEnd)
				}
			}
			space = -1
		}
		if mapped {
			starts, ends = appendMapped(&b, starts, ends, r, i, size)
		} else {
			b.WriteRune(r)
		}
		last = r
	}
	if mapped {
		starts = append(starts, len(text))
	}
	return b.String(), starts, ends
}

// appendMapped writes r, from text[i:i+size], to b, and the bytes it
// takes there to starts and ends (see foldText).
func appendMapped(b *strings.Builder, starts, ends []int, r rune, i, size int) ([]int, []int) {
	n, _ := b.WriteRune(r)
	for k := range n {
		starts = append(starts, i)
		if k < n-1 {
			ends = append(ends, i)
		}
	}
	return starts, append(ends, i+size)
}
