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
// Open (index.go) opens the on-disk index under .git/desk/search and catches
// it up: with the commits since the one it reflects (a go-git tree diff of
// tickets/ and kb/) and with uncommitted edits (size and modification time
// of every ticket and article file, against a record kept in the index; a
// content hash tells a real change from a touch). It rebuilds from scratch,
// and says why, when there is no index, when the index cannot be opened, when
// an earlier update was interrupted, when MappingVersion changed or when HEAD
// no longer descends from the commit it reflects. Tickets are indexed
// without the requester's name and contact, which are also cut out of the
// indexed text. An open Index holds an exclusive flock on
// .git/desk/search.lock; another Open waits a few seconds, then fails with
// ErrBusy.
//
// Index.Search runs a Query (ParseQuery, query.go) and Index.Similar the
// words of a ticket or a text (similar.go); both return desk's own Results
// and Hits (type, ID, title, path, score, a snippet with its matches marked),
// so that no caller builds or reads a bleve request: the engine stays in
// this package.
package search
