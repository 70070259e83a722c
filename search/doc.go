// Package search holds the text analysis and index mapping for desk's
// full-text search with bleve (github.com/blevesearch/bleve/v2).
//
// The "desk" analyzer (AnalyzerName, registered with bleve when the package is
// imported) serves Chinese, English and mixed text:
//
//   - runs of Han, Hiragana, Katakana and Hangul become overlapping bigrams plus
//     single characters, so a one-character query matches and a phrase query
//     requires the characters in order;
//   - Latin words are lower-cased, English stop words are dropped and the rest
//     are stemmed with the Snowball English stemmer (printing → print);
//   - codes are kept whole as typed, lower-cased and not stemmed: ERR_1045,
//     v2.1, TLS-1.2, 0x0000011b; their parts (err, 1045; tls, 1.2, 1, 2) are
//     emitted too so partial queries work, and "v2.1" also gives "2.1".
//
// NewMapping returns the index mapping for Document: title and body analysed
// with the desk analyzer (and in _all, which unqualified query words search),
// type, id, tags, category, status, priority and assignee as exact keywords
// for filters, created as a datetime.
//
// Not here yet: the on-disk index under .git/desk/, keeping it caught up with
// HEAD, and turning `desk search` queries into bleve queries.
package search
