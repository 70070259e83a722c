package search

import (
	"context"
	"fmt"
	"html"
	"math"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
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
	return searchIn(ctx, ix.idx, q, opts)
}

// searchIn is Search on a bleve index: the first rerankDepth candidates
// of the words are ranked again (see rank.go) before the list is cut.
func searchIn(ctx context.Context, idx bleve.Index, q *Query, opts SearchOptions) (*Results, error) {
	bq := q.q
	if opts.Type != "" {
		bq = bleve.NewConjunctionQuery(bq, typeQuery(opts.Type))
	}
	n := limit(opts.Limit, 10)
	size := n
	if q.words != "" {
		size = max(n, rerankDepth)
	}
	req := newRequest(bq, size)
	req.IncludeLocations = q.words != ""
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if q.words != "" {
		idf, done := idfOf(ctx, idx)
		res.Hits = rerank(q.words, res.Hits, idf)
		done()
		res.Hits = res.Hits[:min(n, len(res.Hits))]
	}
	return &Results{Total: int(res.Total), Hits: hitsOf(res)}, nil
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

// run searches for q, with the fields and snippets hits show.
func (ix *Index) run(ctx context.Context, q query.Query, size int) (*bleve.SearchResult, error) {
	res, err := ix.idx.SearchInContext(ctx, newRequest(q, size))
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
	n := float64(docs)
	return func(term string) float64 {
		df := 0.0
		for _, f := range []string{"title", "body"} {
			tfr, err := r.TermFieldReader(ctx, []byte(term), f, false, false, false)
			if err != nil {
				continue
			}
			df = max(df, float64(tfr.Count()))
			tfr.Close()
		}
		return math.Log(1 + (n-df+0.5)/(df+0.5))
	}, func() { r.Close() }
}

// newRequest asks for size hits of q with the fields and snippets hits show.
func newRequest(q query.Query, size int) *bleve.SearchRequest {
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	req.Fields = []string{"type", "id", "title"}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField("body")
	req.Highlight.AddField("title")
	return req
}

// hitsOf turns bleve's hits into desk's.
func hitsOf(res *bleve.SearchResult) []Hit {
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		hit := Hit{ID: h.ID, Score: h.Score}
		hit.Type, _ = h.Fields["type"].(string)
		hit.Title, _ = h.Fields["title"].(string)
		if id, ok := h.Fields["id"].(string); ok && id != "" {
			hit.ID = id
		}
		hit.Path = docPath(hit.Type, hit.ID)
		for _, f := range []string{"body", "title"} {
			if frags := h.Fragments[f]; len(frags) > 0 {
				hit.Snippet, hit.Marks = unmark(frags[0])
				break
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

// unmark turns a fragment of the html highlighter (escaped text, matches
// between <mark> and </mark>) into plain text and the byte ranges of the
// matches, without the white space around the text.
func unmark(frag string) (string, [][2]int) {
	var b strings.Builder
	var marks [][2]int
	for frag != "" {
		pre, rest, found := strings.Cut(frag, "<mark>")
		b.WriteString(html.UnescapeString(pre))
		if !found {
			break
		}
		in, after, _ := strings.Cut(rest, "</mark>")
		start := b.Len()
		b.WriteString(html.UnescapeString(in))
		marks = append(marks, [2]int{start, b.Len()})
		frag = after
	}
	s := b.String()
	lead := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
	text := strings.TrimSpace(s)
	var out [][2]int
	for _, m := range marks {
		m[0], m[1] = max(m[0]-lead, 0), min(m[1]-lead, len(text))
		if m[0] < m[1] {
			out = append(out, m)
		}
	}
	return text, out
}
