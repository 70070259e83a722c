package search

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Ranking. A text query is scored in two stages, with the ideas of the
// site's search (package sitesearch) so that both answer alike:
//
//  1. bleve retrieves candidates with BM25 (the mapping's scoring model):
//     each query term is a clause matching the title (weight titleBoost)
//     or the body; a document must match one clause, and bleve scales the
//     sum by the share of clauses matched. A CJK run of the query gives only
//     its bigrams, so that a common character (表, 库) weighs nothing
//     against the rare word the user typed; a code (ERR_1045, v7.5.5) is
//     looked up whole, its parts count at partBoost; an English word of
//     five letters or more also matches words one edit away (two from
//     eight letters) at fuzzyBoost, for typos.
//  2. rerank rescores the first candidates with what BM25 cannot see: the
//     share of the query's terms the document holds (squared again, so that
//     all terms beat some), the terms standing together in the body
//     (proximity), and a title equal to the query first.

// Weights of the first stage; see TestTuning for how they were chosen.
var (
	titleBoost = 0.7
	headBoost  = 0.5
	partBoost  = 0.3
	fuzzyBoost = 0.3
)

// rerankDepth is how many candidates the second stage rescores.
const rerankDepth = 50

// qterm is one term of a text query.
type qterm struct {
	term   string
	pos    int      // position in the query, for proximity
	fuzzy  int      // edit distance allowed (0: exact only)
	prefix bool     // also the terms it begins (a lone CJK character)
	weight float64  // its inverse document frequency (rerank)
	parts  []string // the parts of a code, looked up too
}

var queryAnalyzer = NewQueryAnalyzer()

// queryTerms analyses text as the index does, then keeps what a query
// should look up (see the ranking notes above). Repeated terms count once.
func queryTerms(text string) []qterm {
	toks := queryAnalyzer.Analyze([]byte(text))
	var out []qterm
	seen := map[string]bool{}
	add := func(q qterm) {
		if !seen[q.term] {
			seen[q.term] = true
			out = append(out, q)
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		term := string(t.Term)
		switch {
		case t.Type == analysis.Single:
			// A lone character: the start of a bigram, or a token of its own.
			add(qterm{term: term, pos: t.Position, prefix: true})
		case t.Type == analysis.Double:
			add(qterm{term: term, pos: t.Position})
		case t.KeyWord && isCode(term):
			// A code; its parts follow at its position and after.
			q := qterm{term: term, pos: t.Position}
			end := t.End
			for i+1 < len(toks) && toks[i+1].Start < end {
				i++
				if p := string(toks[i].Term); p != term {
					q.parts = append(q.parts, p)
				}
			}
			add(q)
		default:
			q := qterm{term: term, pos: t.Position}
			if n := utf8.RuneCountInString(term); !t.KeyWord && n >= 5 && isLetters(term) {
				q.fuzzy = 1
				if n >= 8 {
					q.fuzzy = 2
				}
			}
			add(q)
		}
	}
	return out
}

// isCode tells a code (ERR_1045, v2.1, tls-1.2) from a word with a digit.
func isCode(term string) bool { return strings.ContainsAny(term, "_-.") }

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// textQuery matches the words of text in the title, headings or body,
// ranked as described above.
func textQuery(text string) query.Query {
	terms := queryTerms(text)
	if len(terms) == 0 {
		// Only stop words ("the", "how to"): look them up as they are.
		t := bleve.NewMatchQuery(text)
		t.SetField("title")
		return t
	}
	return termsQuery(terms)
}

// phraseQuery finds the candidates of a phrase: the documents with all its
// terms. The order is checked in their text (phrase.heldBy).
func phraseQuery(p phrase) query.Query {
	if len(p.terms) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	var all []query.Query
	seen := map[string]bool{}
	for _, t := range p.terms {
		if !seen[t] {
			seen[t] = true
			all = append(all, bleve.NewDisjunctionQuery(fieldTerms(t, 1)...))
		}
	}
	if len(all) == 1 {
		return all[0]
	}
	return bleve.NewConjunctionQuery(all...)
}

// termsQuery is the query of terms; see textQuery.
func termsQuery(terms []qterm) query.Query {
	clauses := make([]query.Query, 0, len(terms))
	for _, qt := range terms {
		alts := fieldTerms(qt.term, 1)
		if qt.fuzzy > 0 {
			for _, f := range []string{"title", "body"} {
				fq := bleve.NewFuzzyQuery(qt.term)
				fq.SetField(f)
				fq.SetFuzziness(qt.fuzzy)
				fq.SetPrefix(1)
				fq.SetBoost(fuzzyBoost)
				alts = append(alts, fq)
			}
		}
		if qt.prefix {
			for _, f := range []string{"title", "body"} {
				pq := bleve.NewPrefixQuery(qt.term)
				pq.SetField(f)
				alts = append(alts, pq)
			}
		}
		for _, p := range qt.parts {
			alts = append(alts, fieldTerms(p, partBoost)...)
		}
		clauses = append(clauses, bleve.NewDisjunctionQuery(alts...))
	}
	if len(clauses) == 1 {
		return clauses[0]
	}
	return bleve.NewDisjunctionQuery(clauses...)
}

// keyTerms is how many terms of a long text (desk similar) are looked up:
// the rarest, as Lucene's MoreLikeThis does. At 100,000 tickets a query of
// every term of a ticket matches nearly every document and took 4 s.
const keyTerms = 24

// maxKeyDocShare leaves out of a long text's query the terms more than
// this share of the documents hold, and more than minKeyDocCut of them
// (MoreLikeThis's maxDocFreqPct; a small index has no such terms): the
// day and hour of a ticket's events (01, 11), 安装, 用户. They say nothing
// about what is alike, and their postings were most of desk similar's
// time: 0.35 s at 100,000 tickets.
const maxKeyDocShare = 0.1

const minKeyDocCut = 100

// keyTermsQuery is textQuery for a long text: its keyTerms terms of the
// highest term frequency × idf, exact (a typo in prose is noise, not
// intent), without the terms of too many documents. A text of keyTerms
// terms or fewer is looked up whole.
func keyTermsQuery(text string, idf func(string) float64, docs uint64) (query.Query, []qterm) {
	terms := queryTerms(text)
	if len(terms) == 0 {
		return textQuery(text), nil
	}
	if len(terms) <= keyTerms {
		// A short text (desk similar --text) is looked up whole, as a
		// search would.
		for i := range terms {
			terms[i].fuzzy = 0
		}
		return termsQuery(terms), terms
	}
	tf := map[string]int{}
	for _, t := range queryAnalyzer.Analyze([]byte(text)) {
		tf[string(t.Term)]++
	}
	// The idf of a term held by the most documents allowed.
	n := float64(docs)
	cut := max(maxKeyDocShare*n, minKeyDocCut)
	floor := 0.0
	if cut < n {
		floor = bm25IDF(n, cut)
	}
	kept := terms[:0]
	for _, t := range terms {
		t.fuzzy = 0
		w := idf(t.term)
		if w == 0 || w >= floor {
			t.weight = float64(tf[t.term]) * w
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return textQuery(text), nil
	}
	terms = kept
	slices.SortStableFunc(terms, func(a, b qterm) int { return cmp.Compare(b.weight, a.weight) })
	terms = terms[:min(len(terms), keyTerms)]
	return flatTermsQuery(terms), terms
}

// flatTermsQuery looks each term up in the title and the body, all in one
// disjunction: for desk similar's prose, a nested disjunction per term
// (termsQuery) cost a third more at 100,000 tickets, and the headings are
// words of the body.
func flatTermsQuery(terms []qterm) query.Query {
	var alts []query.Query
	for _, qt := range terms {
		t := bleve.NewTermQuery(qt.term)
		t.SetField("title")
		t.SetBoost(titleBoost)
		b := bleve.NewTermQuery(qt.term)
		b.SetField("body")
		alts = append(alts, t, b)
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// fieldTerms looks term up in the title, the headings and the body.
func fieldTerms(term string, boost float64) []query.Query {
	t := bleve.NewTermQuery(term)
	t.SetField("title")
	t.SetBoost(boost * titleBoost)
	h := bleve.NewTermQuery(term)
	h.SetField("headings")
	h.SetBoost(boost * headBoost)
	b := bleve.NewTermQuery(term)
	b.SetField("body")
	b.SetBoost(boost)
	return []query.Query{t, h, b}
}

// rerank orders the candidates of the text words of a query (hits searched
// with IncludeLocations) for the user; see the ranking notes above. weight
// gives each query term its inverse document frequency, so that a common
// word left out costs less than a rare one.
func rerank(words string, hits bsearch.DocumentMatchCollection, weight func(term string) float64) bsearch.DocumentMatchCollection {
	terms := queryTerms(words)
	if len(terms) == 0 || len(hits) < 2 {
		return hits
	}
	for i := range terms {
		terms[i].weight = weight(terms[i].term)
	}
	exact := foldTitle(words)
	type scored struct {
		h     *bsearch.DocumentMatch
		first bool
		score float64
	}
	asked := map[string]bool{}
	for _, t := range terms {
		asked[t.term] = true
	}
	out := make([]scored, len(hits))
	for i, h := range hits {
		cover, prox := matchShape(terms, h.Locations)
		s := h.Score * math.Pow(cover, coverExp) * (1 + proximityWeight*prox)
		title, _ := h.Fields["title"].(string)
		if cover > 0.999 && titleAsked(title, asked) {
			// The page named by the query ("tar archive" for tar), which
			// also holds the rest of it.
			s *= titleAskedBonus
		}
		out[i] = scored{h, exact != "" && foldTitle(title) == exact, s}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].first != out[j].first {
			return out[i].first
		}
		return out[i].score > out[j].score
	})
	for i := range out {
		hits[i] = out[i].h
		hits[i].Score = out[i].score
	}
	return hits
}

// titleAskedBonus multiplies the score of a document that holds every term
// of the query and whose title's terms are all among them.
var titleAskedBonus = 2.0

// titleAsked tells whether every term of title is one of the query's.
func titleAsked(title string, asked map[string]bool) bool {
	toks := queryAnalyzer.Analyze([]byte(title))
	if len(toks) == 0 {
		return false
	}
	for _, t := range toks {
		if !asked[string(t.Term)] {
			return false
		}
	}
	return true
}

// proximityWeight is how much a body holding the query's terms side by
// side gains over one holding them apart.
var proximityWeight = 1.0

// coverExp is the power of the share of query terms matched in rerank.
var coverExp = 3.0

// matchShape returns the share of the query's terms a document holds (in
// the title or the body, fuzzy matches included) and the share of the
// query's neighbouring terms that stand within three positions of each
// other in its body.
func matchShape(terms []qterm, locs bsearch.FieldTermLocationMap) (cover, prox float64) {
	var found, all float64
	var positions [][]uint64 // per query term, in body
	for _, qt := range terms {
		in := false
		var pos []uint64
		for _, f := range []string{"title", "headings", "body"} {
			for term, ls := range locs[f] {
				if term == qt.term || slices.Contains(qt.parts, term) || (qt.fuzzy > 0 && within(term, qt.term, qt.fuzzy)) ||
					(qt.prefix && strings.HasPrefix(term, qt.term)) {
					in = true
					if f == "body" {
						for _, l := range ls {
							pos = append(pos, l.Pos)
						}
					}
				}
			}
		}
		all += qt.weight
		if in {
			found += qt.weight
		}
		positions = append(positions, pos)
	}
	cover = 1
	if all > 0 {
		cover = found / all
	}
	if len(terms) < 2 {
		return cover, 0
	}
	near := 0
	for i := 0; i+1 < len(terms); i++ {
		if close3(positions[i], positions[i+1]) {
			near++
		}
	}
	return cover, float64(near) / float64(len(terms)-1)
}

// close3 tells whether a position of b follows one of a within three.
func close3(a, b []uint64) bool {
	for _, x := range a {
		for _, y := range b {
			if y > x && y-x <= 3 || x > y && x-y <= 1 {
				return true
			}
		}
	}
	return false
}

// within tells whether a and b are at most k edits apart (bytes; the
// terms it compares are words of letters).
func within(a, b string, k int) bool {
	_, over := bsearch.LevenshteinDistanceMax(a, b, k)
	return !over
}

// foldTitle is a title or query as compared for "the title is the query":
// lower case, full-width folded, runs of space and punctuation as one space,
// and none next to a CJK character (users type 慢查询 日志 for 慢查询日志).
func foldTitle(s string) string {
	var b strings.Builder
	space := false
	var last rune
	for _, r := range strings.ToLower(s) {
		if r >= '！' && r <= '～' {
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 && !IsCJK(r) && !IsCJK(last) {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			last = r
			continue
		}
		space = true
	}
	return b.String()
}
