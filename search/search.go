package search

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/deskhq/desk/ticket"
)

// SearchOptions narrow and cut a search.
type SearchOptions struct {
	Type  string // "ticket" or "kb" for only those; "" for both
	Limit int    // at most this many hits; 10 when 0
}

// Hit is a ticket or article found.
type Hit struct {
	Type  string  // "ticket" or "kb"
	ID    string  // the ticket ID or the article's slug
	Title string  //
	Path  string  // the file, from the repository's root
	Score float64 // relevance; higher is better, comparable within one search only
	// Snippet is a passage of the text around the words that matched, as
	// plain text; Marks are the byte ranges of Snippet that matched.
	Snippet string
	Marks   [][2]int
	// Share is, for Similar, the part of the text's weight that the
	// document holds, from 0 to 1 (see Index.Similar); 0 for Search.
	Share float64
}

// Results are the hits of a search, best first.
type Results struct {
	Total int // documents that match; more than len(Hits) when Limit cut the list
	Hits  []Hit
	// For Similar: the documents that share words with the text but fall
	// below the relevance floor, and the largest Share among them.
	Below     int
	BestBelow float64
}

// Search runs q and returns its best hits.
func (ix *Index) Search(ctx context.Context, q *Query, opts SearchOptions) (*Results, error) {
	return searchIn(ctx, ix.idx, ix.docText, q, opts)
}

// phraseDepth is how many candidates of a phrase are read to check it.
// Total then counts the documents that hold it among them.
const phraseDepth = 2000

// searchIn is Search on a bleve index whose documents' text src gives:
// phrases are checked in it, the first rerankDepth candidates of the words
// are ranked again with it (see rank.go), and the hits' snippets are cut
// from it.
func searchIn(ctx context.Context, idx bleve.Index, src texts, q *Query, opts SearchOptions) (*Results, error) {
	bq := q.q
	if opts.Type != "" {
		bq = bleve.NewConjunctionQuery(bq, typeQuery(opts.Type))
	}
	n := limit(opts.Limit, 10)
	size := n
	if q.words != "" {
		size = max(n, rerankDepth)
	}
	if len(q.phrases) > 0 {
		size = max(size, phraseDepth)
	}
	req := bleve.NewSearchRequestOptions(bq, size, 0, false)
	req.Fields = []string{"type", "id", "title"}
	req.IncludeLocations = q.words != ""
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	text := cachedTexts(src)
	hits, total := res.Hits, int(res.Total)
	if len(q.phrases) > 0 {
		kept := hits[:0]
		for _, h := range hits {
			if d := text(h.ID); d != nil && holdsPhrases(d, q.phrases) {
				kept = append(kept, h)
			}
		}
		hits, total = kept, len(kept)
	}
	terms := queryTerms(q.words)
	if q.words != "" {
		idf, done := idfOf(ctx, idx)
		top := hits[:min(len(hits), rerankDepth)]
		for _, h := range top {
			if d := text(h.ID); d != nil {
				if h.Locations == nil {
					h.Locations = bsearch.FieldTermLocationMap{}
				}
				h.Locations["body"] = bodyLocations(terms, d.Body)
			}
		}
		hits = rerank(q.words, top, idf)
		done()
	}
	hits = hits[:min(n, len(hits))]
	terms = append(terms, q.shown...)
	return &Results{Total: total, Hits: hitsOf(hits, text, terms)}, nil
}

// holdsPhrases tells whether d holds every phrase not excluded and none
// of those excluded.
func holdsPhrases(d *Document, phrases []phrase) bool {
	for _, p := range phrases {
		if p.heldBy(d) == p.neg {
			return false
		}
	}
	return true
}

// phraseTerms are the terms of a phrase, as marked in snippets.
func phraseTerms(p phrase) []qterm {
	out := make([]qterm, len(p.terms))
	for i, t := range p.terms {
		out[i] = qterm{term: t}
	}
	return out
}

func limit(n, dflt int) int {
	if n <= 0 {
		return dflt
	}
	return n
}

func typeQuery(typ string) query.Query {
	q := bleve.NewTermQuery(typ)
	q.SetField("type")
	return q
}

// run searches for q, with the fields hits show.
func (ix *Index) run(ctx context.Context, q query.Query, size int) (*bleve.SearchResult, error) {
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	req.Fields = []string{"type", "id", "title"}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// idfOf returns the inverse document frequency (BM25's) of a term in the
// title or the body of idx, whichever holds it more often; 0 when the index
// cannot tell. done releases the index reader it uses.
func idfOf(ctx context.Context, idx bleve.Index) (idf func(term string) float64, done func()) {
	none := func(string) float64 { return 0 }
	adv, err := idx.Advanced()
	if err != nil {
		return none, func() {}
	}
	r, err := adv.Reader()
	if err != nil {
		return none, func() {}
	}
	docs, _ := r.DocCount()
	return func(term string) float64 {
		df, _ := docFreq(ctx, r, term)
		return bm25IDF(float64(docs), float64(df))
	}, func() { r.Close() }
}

// bm25IDF is BM25's inverse document frequency of a term df of n
// documents hold.
func bm25IDF(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

// hitsOf turns bleve's hits into desk's, with a snippet of the body (or
// the title) around the terms.
func hitsOf(matches bsearch.DocumentMatchCollection, text texts, terms []qterm) []Hit {
	hits := make([]Hit, 0, len(matches))
	for _, h := range matches {
		hit := Hit{ID: h.ID, Score: h.Score}
		hit.Type, _ = h.Fields["type"].(string)
		hit.Title, _ = h.Fields["title"].(string)
		if id, ok := h.Fields["id"].(string); ok && id != "" {
			hit.ID = id
		}
		hit.Path = h.ID
		if !isIndexed(h.ID) {
			hit.Path = docPath(hit.Type, hit.ID)
		}
		if d := text(h.ID); d != nil && len(terms) > 0 {
			hit.Snippet, hit.Marks = snippet(d.Body, terms)
			if hit.Snippet == "" {
				hit.Snippet, hit.Marks = snippet(d.Title, terms)
			}
		}
		hits = append(hits, hit)
	}
	return hits
}

// docPath is the file of a document.
func docPath(typ, id string) string {
	if typ == "kb" {
		return "kb/" + id + ".md"
	}
	if pid, err := ticket.ParseID(id); err == nil {
		return pid.Path()
	}
	return ""
}
