package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo"
)

// texts returns the document a bleve document ID stands for, as it was
// indexed (a ticket without its requester), or nil. The index keeps no
// body text and no body positions (see NewMapping): the few documents a
// search shows or reranks are read again instead, 50 files at most for
// words, phraseDepth for a phrase.
type texts func(id string) *Document

// docText reads the document of a ticket or article file; nil when it is
// gone, too large, or no longer parses.
func (ix *Index) docText(id string) *Document {
	if !isIndexed(id) {
		return nil
	}
	limit, what := int64(repo.MaxTicketSize), "a ticket file"
	if strings.HasPrefix(id, "kb/") {
		limit, what = kb.MaxSize, "an article"
	}
	data, err := ix.r.ReadFile(id, limit, what)
	if err != nil {
		return nil
	}
	if strings.HasPrefix(id, "kb/") {
		return articleDoc(id, data)
	}
	return ticketDoc(id, data)
}

// cachedTexts remembers the documents read during one search.
func cachedTexts(src texts) texts {
	if src == nil {
		return func(string) *Document { return nil }
	}
	seen := map[string]*Document{}
	return func(id string) *Document {
		if d, ok := seen[id]; ok {
			return d
		}
		d := src(id)
		seen[id] = d
		return d
	}
}

var indexAnalyzer = NewAnalyzer()

// matches reports whether term (as indexed) is one qt looks for: itself,
// one of its parts, a word within its edit distance, or a term it begins.
func (qt *qterm) matches(term string) bool {
	return term == qt.term || slices.Contains(qt.parts, term) ||
		(qt.fuzzy > 0 && within(term, qt.term, qt.fuzzy)) ||
		(qt.prefix && strings.HasPrefix(term, qt.term))
}

// bodyLocations returns where the body holds terms, as bleve would have
// from term vectors: the positions and byte ranges of each matching term.
func bodyLocations(terms []qterm, body string) bsearch.TermLocationMap {
	locs := bsearch.TermLocationMap{}
	for _, tok := range indexAnalyzer.Analyze([]byte(body)) {
		term := string(tok.Term)
		for i := range terms {
			if terms[i].matches(term) {
				locs[term] = append(locs[term], &bsearch.Location{
					Pos: uint64(tok.Position), Start: uint64(tok.Start), End: uint64(tok.End)})
				break
			}
		}
	}
	return locs
}

// phrase is a quoted part of a query ("打印机 卡纸", -"out of paper"): its
// terms must stand in the document in this order, side by side.
type phrase struct {
	terms []string
	pos   []int // each term's position, from the first's
	neg   bool  // exclude the documents that hold it
}

func newPhrase(text string, neg bool) phrase {
	p := phrase{neg: neg}
	toks := queryAnalyzer.Analyze([]byte(text))
	for _, t := range toks {
		p.terms = append(p.terms, string(t.Term))
		p.pos = append(p.pos, t.Position-toks[0].Position)
	}
	return p
}

// heldBy reports whether the title, headings or body of d hold p.
func (p *phrase) heldBy(d *Document) bool {
	for _, text := range []string{d.Title, d.Headings, d.Body} {
		if p.in(indexAnalyzer.Analyze([]byte(text))) {
			return true
		}
	}
	return false
}

func (p *phrase) in(toks analysis.TokenStream) bool {
	if len(p.terms) == 0 {
		return false
	}
	at := map[string][]int{}
	for _, t := range toks {
		if slices.Contains(p.terms, string(t.Term)) {
			at[string(t.Term)] = append(at[string(t.Term)], t.Position)
		}
	}
next:
	for _, start := range at[p.terms[0]] {
		for k := 1; k < len(p.terms); k++ {
			if !slices.Contains(at[p.terms[k]], start+p.pos[k]) {
				continue next
			}
		}
		return true
	}
	return false
}

// snippetRunes is how long a snippet is, in characters.
const snippetRunes = 120

// snippet returns the passage of text that holds the most distinct terms
// that terms look for, white space folded to single spaces, and the byte
// ranges of the matches in it; "" when text holds none.
func snippet(text string, terms []qterm) (string, [][2]int) {
	type match struct{ start, end, term int }
	var ms []match
	for _, tok := range indexAnalyzer.Analyze([]byte(text)) {
		for i := range terms {
			if terms[i].matches(string(tok.Term)) {
				ms = append(ms, match{tok.Start, tok.End, i})
				break
			}
		}
	}
	if len(ms) == 0 {
		return "", nil
	}
	slices.SortStableFunc(ms, func(a, b match) int { return a.start - b.start })
	// Marks do not overlap: a bigram and the next share a character.
	merged := ms[:1]
	for _, m := range ms[1:] {
		last := &merged[len(merged)-1]
		if m.start < last.end {
			last.end = max(last.end, m.end)
			continue
		}
		merged = append(merged, m)
	}
	ms = merged
	// The window starting a little before a match that holds the most
	// distinct terms.
	best, bestStart, bestEnd := -1, 0, 0
	for i := range ms {
		start := back(text, ms[i].start, 12)
		end := ahead(text, start, snippetRunes)
		seen := map[int]bool{}
		for j := i; j < len(ms) && ms[j].end <= end; j++ {
			seen[ms[j].term] = true
		}
		if len(seen) > best {
			best, bestStart, bestEnd = len(seen), start, end
		}
		if len(ms) > 200 && i > 200 {
			break
		}
	}
	var b strings.Builder
	var marks [][2]int
	if bestStart > 0 && text[bestStart-1] != '\n' {
		b.WriteString("…")
	}
	space := false
	k := 0 // next match
	window := text[bestStart:bestEnd]
	for i, r := range window {
		at := bestStart + i
		for k < len(ms) && ms[k].end <= at {
			k++
		}
		if unicode.IsSpace(r) || markup(window, i, r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if k < len(ms) && ms[k].start == at && ms[k].end <= bestEnd {
			marks = append(marks, [2]int{b.Len(), b.Len() + (ms[k].end - ms[k].start)})
		}
		b.WriteRune(r)
	}
	if bestEnd < len(text) {
		b.WriteString("…")
	}
	return b.String(), marks
}

// markup tells Markdown's marks (a heading's #, code fences, table bars,
// emphasis) from text, so that a snippet shows what a reader reads.
func markup(s string, i int, r rune) bool {
	switch r {
	case '`', '|', '*':
		return true
	case '#':
		j := i
		for j > 0 && s[j-1] == '#' {
			j--
		}
		return j == 0 || s[j-1] == '\n'
	}
	return false
}

// back returns the offset n characters before i in s, at a line start if
// one comes first.
func back(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if r == '\n' {
			break
		}
		i -= size
	}
	return i
}

// ahead returns the offset n characters after i in s.
func ahead(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
