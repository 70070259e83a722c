package search

import (
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/keyword" // the filter fields' analyzer
	"github.com/blevesearch/bleve/v2/mapping"
)

// Document is what gets indexed for one ticket or article. Field names are
// those of the mapping (and of the search query syntax).
type Document struct {
	Type     string   `json:"type"` // "ticket" or "kb"
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Headings string   `json:"headings,omitempty"` // an article's summary and section headings, one a line
	Body     string   `json:"body"`
	Tags     []string `json:"tags,omitempty"`
	Category string   `json:"category,omitempty"`
	Status   string   `json:"status,omitempty"`
	Priority string   `json:"priority,omitempty"`
	Assignee string   `json:"assignee,omitempty"`
	Created  string   `json:"created,omitempty"` // RFC 3339
}

// DocType is the bleve document type of Document (see BleveType).
const DocType = "doc"

// BleveType tells bleve which document mapping applies to a Document.
func (Document) BleveType() string { return DocType }

// NewMapping returns the index mapping for desk documents: title and body
// analysed with the desk analyzer (and included in the composite _all field
// that unqualified query words search), the filter fields type, id, tags,
// category, status, priority and assignee as exact keywords, created as a
// datetime. The desk analyzer is also the index default, so query text for
// _all is analysed the same way as titles and bodies.
func NewMapping() mapping.IndexMapping {
	text := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = AnalyzerName
		f.Store = true
		f.IncludeTermVectors = true // phrase queries and rerank
		f.IncludeInAll = false      // queries name their fields: no _all
		f.DocValues = false         // nothing sorts or facets on text
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	created := mapping.NewDateTimeFieldMapping()
	created.Store = true
	created.IncludeInAll = false

	// The body is neither stored nor given term vectors: they were two
	// thirds of the index and half of the build time (18,201 documents:
	// 107 MB and 31 s with both, 38 MB and 17 s without). What needs the
	// body's text or positions (rerank's proximity, phrases, snippets) reads
	// the few files it needs (text.go). The headings keep term vectors for
	// phrases; the title is also stored, for the hits.
	body := text()
	body.Store = false
	body.IncludeTermVectors = false
	headings := text()
	headings.Store = false
	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("headings", headings)
	doc.AddFieldMappingsAt("body", body)
	for _, name := range []string{"type", "id", "tags", "category", "status", "priority", "assignee"} {
		doc.AddFieldMappingsAt(name, kw())
	}
	doc.AddFieldMappingsAt("created", created)

	m := mapping.NewIndexMapping()
	m.ScoringModel = "bm25" // bleve_index_api.BM25Scoring
	m.DefaultAnalyzer = AnalyzerName
	m.DefaultType = DocType
	m.AddDocumentMapping(DocType, doc)
	m.DefaultMapping = doc
	return m
}
