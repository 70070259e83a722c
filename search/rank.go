package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// textQuery matches text in the title (boosted) or the body.
func textQuery(text string, phrase bool) query.Query {
	var title, body query.Query
	if phrase {
		t := bleve.NewMatchPhraseQuery(text)
		t.SetField("title")
		t.SetBoost(2)
		b := bleve.NewMatchPhraseQuery(text)
		b.SetField("body")
		title, body = t, b
	} else {
		t := bleve.NewMatchQuery(text)
		t.SetField("title")
		t.SetBoost(2)
		b := bleve.NewMatchQuery(text)
		b.SetField("body")
		title, body = t, b
	}
	return bleve.NewDisjunctionQuery(title, body)
}
