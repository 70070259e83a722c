package search

import (
	"context"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/deskhq/desk/repo"
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
	st, err := ix.simTerms(title, text)
	if err != nil {
		return nil, err
	}
	df, docs, self, done, err := ix.docFreqs(ctx, st, opts.Exclude)
	if err != nil {
		return nil, err
	}
	defer done()
	idf := func(term string) float64 { return bm25IDF(float64(docs), float64(df(term))) }
	q := bleve.NewBooleanQuery()
	kq, terms := keyTermsQuery(all, idf, docs)
	q.AddMust(kq)
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
	texts := cachedTexts(ix.docText)
	shares := shares(st, df, docs, self, res.Hits, texts)
	out := &Results{}
	for i, h := range hitsOf(res.Hits, texts, terms) {
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

// docFreqs returns how many documents hold each term of a text (see
// docFreq), and any other term asked before done, in an index of docs
// documents; self tells
// whether the text's own document (the ticket ID self) is one of them.
// The terms are looked up on all cores: a Chinese ticket has hundreds.
func (ix *Index) docFreqs(ctx context.Context, terms []simTerm, selfID string) (df func(string) int, docs uint64, self bool, done func(), err error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, 0, false, nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, 0, false, nil, err
	}
	if docs, err = r.DocCount(); err != nil {
		r.Close()
		return nil, 0, false, nil, err
	}
	if selfID != "" {
		for _, key := range []string{docPath("ticket", selfID), selfID} {
			if id, err := r.InternalID(key); err == nil && len(id) > 0 {
				self = true
				break
			}
		}
	}
	counts := make([]int, len(terms))
	errs := make([]error, len(terms))
	repo.Parallel(len(terms), func(i int) {
		counts[i], errs[i] = docFreq(ctx, r, terms[i].term)
	})
	if err := errors.Join(errs...); err != nil {
		r.Close()
		return nil, 0, false, nil, err
	}
	known := make(map[string]int, len(terms))
	for i, t := range terms {
		known[t.term] = counts[i]
	}
	// A term the query analysis gives and the body's does not is looked
	// up when asked.
	return func(term string) int {
		if d, ok := known[term]; ok {
			return d
		}
		d, _ := docFreq(ctx, r, term)
		known[term] = d
		return d
	}, docs, self, func() { r.Close() }, nil
}

// docFreq is how many documents hold term in their title or, if more, in
// their body.
func docFreq(ctx context.Context, r index.IndexReader, term string) (int, error) {
	df := 0
	for _, f := range []string{"title", "body"} {
		tfr, err := r.TermFieldReader(ctx, []byte(term), f, false, false, false)
		if err != nil {
			return 0, err
		}
		df = max(df, int(tfr.Count()))
		tfr.Close()
	}
	return df, nil
}

// shares returns the Share of each hit (see Similar): the weight of the
// text's terms that the hit's title, headings or body holds (read from its
// file, as snippets are), over the weight of them all. self tells whether
// the text's own document is in the index, where it holds every term.
func shares(terms []simTerm, docFreq func(string) int, docs uint64, self bool, hits bsearch.DocumentMatchCollection, text texts) []float64 {
	holds := make([]map[string]bool, len(hits))
	for i, h := range hits {
		holds[i] = map[string]bool{}
		if d := text(h.ID); d != nil {
			for _, s := range []string{d.Title, d.Headings, d.Body} {
				for _, tok := range indexAnalyzer.Analyze([]byte(s)) {
					holds[i][string(tok.Term)] = true
				}
			}
		}
	}
	n := float64(docs)
	if self {
		n-- // the documents other than the text's own
	}
	held := make([]float64, len(hits))
	var total float64
	for _, t := range terms {
		if t.char {
			continue
		}
		df := float64(docFreq(t.term))
		if self {
			df = max(df-1, 0) // the text's own document is the text
		}
		// The text is one more document, and it has the term.
		w := bm25IDF(n+1, df+1)
		if t.title {
			w *= 2
		}
		total += w
		for i := range hits {
			if holds[i][t.term] {
				held[i] += w
			}
		}
	}
	if total > 0 {
		for i := range held {
			held[i] /= total
		}
	}
	return held
}

// TicketText is what Similar compares with the other documents for the
// ticket id of r: its title and its description, and the ID its file gives
// it, for SimilarOptions.Exclude.
func TicketText(r *repo.Repo, id string) (self, title, text string, err error) {
	path, err := r.TicketPath(id)
	if err != nil {
		return "", "", "", err
	}
	f, err := r.ReadTicket(path)
	if err != nil {
		return "", "", "", err
	}
	desc, _ := f.Section(r.Config.Heading("description"))
	return f.Ticket.ID, f.Ticket.Title, desc, nil
}
