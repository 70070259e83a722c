// Package search holds the text analysis and index mapping for desk's
// full-text search with bleve (github.com/blevesearch/bleve/v2).
//
// The "desk" analyzer (AnalyzerName, registered with bleve when the package is
// imported) is a thin bleve adapter of package search/tokenize, desk's one
// tokenizer, which the static site's search (package sitesearch) uses too:
//
//   - text is folded: full-width ASCII to ASCII, lower case;
//   - runs of Han, Hiragana, Katakana and Hangul become overlapping bigrams
//     plus the run's last character, so a phrase query requires the
//     characters in order and a one-character query finds its character as
//     the start of a bigram or as a last character (the "desk_query"
//     analyzer, for query text, leaves the last character out of a run of
//     two or more); the site indexes every character instead (see package
//     tokenize for why);
//   - English stop words are dropped and the other words are stemmed with
//     the light Porter stemmer the site uses (printing → print);
//   - codes are kept whole, lower-cased and not stemmed: ERR_1045, v2.1,
//     TLS-1.2, 0x0000011b; their parts (err, 1045; tls, 1.2, 1, 2) are
//     emitted too so partial queries work, and "v2.1" also gives "2.1".
//
// NewMapping returns the index mapping for Document, scored with BM25: title,
// headings (an article's summary and section headings) and body analysed
// with the desk analyzer, and no _all field (queries name their fields);
// type, id, tags, category, status, priority and assignee as exact keywords
// for filters, created as a datetime. The title is stored and, like the
// headings, has term vectors; the body has neither: the body's positions
// (rerank's proximity, phrases) and snippets come from the files of the
// few documents a search looks at (text.go). That keeps the index at a
// third of its size and halves the build. A document's bleve ID is its
// file's path, so two files that claim one ticket ID are both found.
//
// Ranking (rank.go) is two stages: bleve's BM25 over one clause per query
// term, then a rerank of the first 50 candidates by the idf-weighted share
// of the query they hold, the proximity of the terms in the body, and an
// exact title first. Weights were tuned on TestTuning's rule-made queries,
// never on the hand-written held-out sets of examples/bench/searchq.
//
// Open (index.go) opens the on-disk index under .git/desk/search, read-only
// until there is something to write, and catches it up (catchup.go): with
// the commits since the one it reflects (gitdb.ChangedFiles of tickets/ and
// kb/, reading only the trees that differ), and with the files of the
// folders (kb, each tickets/YYYY/MM) whose entries changed (a file created,
// deleted or renamed, as git, desk and most editors save): size and
// modification time against a record kept in the index, a content hash to
// tell a real change from a touch. A file rewritten in place and not
// committed is seen by Index.Scan (desk index), which stats every file. A
// new index is merged into one segment. It rebuilds
// from scratch, and says why, when there is no index, when the index cannot
// be opened, when an earlier update was interrupted, when MappingVersion
// changed or when HEAD no longer descends from the commit it reflects.
// Tickets are indexed without the requester's name and contact, which are
// also cut out of the indexed text (and so of snippets). An open Index
// holds an exclusive flock on .git/desk/search.lock; another Open waits a
// few seconds, then fails with ErrBusy.
//
// Index.Search runs a Query (ParseQuery, query.go) and Index.Similar the
// words of a ticket or a text (similar.go); both return desk's own Results
// and Hits (type, ID, title, path, score, a snippet with its matches marked),
// so that no caller builds or reads a bleve request: the engine stays in
// this package.
package search
