package search

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// SimilarFloor is the relevance floor of Similar: the smallest Share a
// document needs to be called similar. Measured on the bundled example and
// on the corpus articles: documents that answer the ticket hold 0.27 to 0.7
// of its weight, unrelated ones up to 0.2 (common words, a place, a time).
const SimilarFloor = 0.25

// SimilarOptions narrow and cut Similar.
type SimilarOptions struct {
	Type    string // "ticket" or "kb" for only those; "" for both
	Limit   int    // at most this many hits; 5 when 0
	Exclude string // the ID of the ticket the text is from, never its own hit
}

// Similar returns the documents most like a ticket's title and text (or
// any text, with no title), best first: their words are ranked as a search
// ranks them (free prose, no query syntax), and only the documents whose
// Share reaches SimilarFloor are kept, so that a text like nothing else
// gets no hits rather than noise.
//
// A document's Share is the part of the text's weight that it holds. Each
// distinct term of the text weighs its inverse document frequency, counted
// as if the text were one more document of the index (its own ticket,
// Exclude, stands for it), twice that in the title; a single Chinese,
// Japanese or Korean character weighs nothing next to the pairs it is part
// of. A document with every term of the text has Share 1, the best possible
// score of the text, whatever the engine's scores are.
//
// Total counts the hits above the floor among the best-ranked documents
// looked at (four times Limit, at least 20); Below counts the other
// documents that share a word with the text.
func (ix *Index) Similar(ctx context.Context, title, text string, opts SimilarOptions) (*Results, error) {
	all := text
	if title != "" {
		all = title + "\n" + text
	}
	idf, done := idfOf(ctx, ix.idx)
	q := bleve.NewBooleanQuery()
	kq, terms := keyTermsQuery(all, idf)
	q.AddMust(kq)
	done()
	if opts.Exclude != "" {
		self := bleve.NewTermQuery(opts.Exclude)
		self.SetField("id")
		q.AddMustNot(self)
	}
	if opts.Type != "" {
		q.AddMust(typeQuery(opts.Type))
	}
	n := limit(opts.Limit, 5)
	res, err := ix.run(ctx, q, max(4*n, 20))
	if err != nil {
		return nil, err
	}
	shares, err := ix.shares(ctx, title, text, opts.Exclude, res.Hits)
	if err != nil {
		return nil, err
	}
	out := &Results{}
	for i, h := range hitsOf(res.Hits, cachedTexts(ix.docText), terms) {
		h.Share = shares[i]
		if h.Share < SimilarFloor {
			out.BestBelow = max(out.BestBelow, h.Share)
			continue
		}
		out.Total++
		if len(out.Hits) < n {
			out.Hits = append(out.Hits, h)
		}
	}
	out.Below = int(res.Total) - out.Total
	return out, nil
}

// simTerm is a distinct term of the text Similar looks for.
type simTerm struct {
	term  string
	title bool // it is in the title: it weighs double
	char  bool // a single CJK character: it weighs nothing next to others
}

// simTerms returns the distinct terms of title and text, as the body field
// analyses them.
func (ix *Index) simTerms(title, text string) ([]simTerm, error) {
	m := ix.idx.Mapping()
	an := m.AnalyzerNamed(m.AnalyzerNameForPath("body"))
	if an == nil {
		return nil, fmt.Errorf("similar: no analyzer for the body field")
	}
	var terms []simTerm
	at := map[string]int{}
	for k, s := range []string{title, text} {
		for _, tok := range an.Analyze([]byte(s)) {
			t := string(tok.Term)
			i, ok := at[t]
			if !ok {
				r, size := utf8.DecodeRuneInString(t)
				i = len(terms)
				at[t] = i
				terms = append(terms, simTerm{term: t, char: size == len(t) && isCJKRune(r)})
			}
			terms[i].title = terms[i].title || k == 0
		}
	}
	chars := 0
	for _, t := range terms {
		if t.char {
			chars++
		}
	}
	if chars == len(terms) {
		// Only single characters: they are all there is to weigh.
		for i := range terms {
			terms[i].char = false
		}
	}
	return terms, nil
}

func isCJKRune(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// shares returns the Share of each hit (see Similar). self is the ID of the
// document the text comes from, "" for none.
func (ix *Index) shares(ctx context.Context, title, text, self string, hits bsearch.DocumentMatchCollection) ([]float64, error) {
	terms, err := ix.simTerms(title, text)
	if err != nil {
		return nil, err
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}

	// The documents to look at, in the index's order: the hits, and the
	// text's own document (hit -1).
	type cand struct {
		id  index.IndexInternalID
		hit int
	}
	cands := make([]cand, 0, len(hits)+1)
	for i, h := range hits {
		cands = append(cands, cand{h.IndexInternalID, i})
	}
	if self != "" {
		for _, key := range []string{docPath("ticket", self), self} {
			if id, err := r.InternalID(key); err == nil && len(id) > 0 {
				cands = append(cands, cand{id, -1})
				break
			}
		}
	}
	others := int(docs) // the documents other than the text's own
	if len(cands) > len(hits) {
		others--
	}
	slices.SortFunc(cands, func(a, b cand) int { return bytes.Compare(a.id, b.id) })
	has := make([]bool, len(cands))
	held := make([]float64, len(hits))
	var total float64
	var tfd index.TermFieldDoc
	for _, t := range terms {
		if t.char {
			continue
		}
		clear(has)
		df := 0
		for _, field := range []string{"title", "body"} {
			tfr, err := r.TermFieldReader(ctx, []byte(t.term), field, false, false, false)
			if err != nil {
				return nil, err
			}
			df = max(df, int(tfr.Count()))
			for k, c := range cands {
				d, err := tfr.Advance(c.id, &tfd)
				if err != nil {
					tfr.Close()
					return nil, err
				}
				if d == nil {
					break
				}
				if bytes.Equal(d.ID, c.id) {
					has[k] = true
				}
			}
			tfr.Close()
		}
		for k, c := range cands {
			if c.hit < 0 && has[k] {
				df-- // the text's own document is the text
			}
		}
		// The text is one more document, and it has the term.
		w := math.Log(1 + (float64(others+1)-float64(df+1)+0.5)/(float64(df+1)+0.5))
		if t.title {
			w *= 2
		}
		total += w
		for k, c := range cands {
			if c.hit >= 0 && has[k] {
				held[c.hit] += w
			}
		}
	}
	if total > 0 {
		for i := range held {
			held[i] /= total
		}
	}
	return held, nil
}
