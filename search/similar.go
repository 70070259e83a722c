package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
)

// SimilarOptions narrow and cut Similar.
type SimilarOptions struct {
	Type    string // "ticket" or "kb" for only those; "" for both
	Limit   int    // at most this many hits; 5 when 0
	Exclude string // the ID of the ticket the text is from, never its own hit
}

// Similar returns the documents most like a ticket's title and text (or
// any text, with no title), best first: their words are ranked as a search
// ranks them (free prose, no query syntax).
func (ix *Index) Similar(ctx context.Context, title, text string, opts SimilarOptions) (*Results, error) {
	all := text
	if title != "" {
		all = title + "\n" + text
	}
	q := bleve.NewBooleanQuery()
	q.AddMust(textQuery(all, false))
	if opts.Exclude != "" {
		self := bleve.NewTermQuery(opts.Exclude)
		self.SetField("id")
		q.AddMustNot(self)
	}
	if opts.Type != "" {
		q.AddMust(typeQuery(opts.Type))
	}
	res, err := ix.run(ctx, q, limit(opts.Limit, 5))
	if err != nil {
		return nil, err
	}
	return &Results{Total: int(res.Total), Hits: hitsOf(res)}, nil
}
