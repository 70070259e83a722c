// Command sitecmp compares the in-page search of two built knowledge-base
// sites on the same articles: desk's (desk site build) and Pagefind's (Hugo's
// output indexed by pagefind --site). It serves each folder on 127.0.0.1,
// drives headless Chromium (package examples/bench/browsertest) and, for a list of
// known-item queries, measures MRR@10, how often the wanted article comes
// first and in the top 5, and how many bytes the first query downloads on a
// fresh page.
//
//	go run ./examples/bench/sitecmp -desk OUT -pagefind PUBLIC -repo REPO [-n 100] [-json FILE]
//	go run ./examples/bench/sitecmp -desk OUT -pagefind PUBLIC -repo REPO -queries examples/bench/searchq [-json FILE]
//
// With -queries, the queries are the hand-written known-item sets of that
// folder (*.tsv, package knownitem), which examples/bench/searchq also runs
// through desk search and desk similar, and the report is by set; without
// it, the queries are made from the articles (items, below).
//
// Terms:
//
//   - An item is one published article of REPO/kb, picked with a fixed seed
//     among those whose title no other article has; 100 Chinese (a Han
//     character in the title or summary) and 100 English by default.
//   - Each item gives two queries: "title", its title as it is; and "words",
//     the two or three words of its title and summary that the fewest
//     articles hold (Chromium's Intl.Segmenter splits Chinese into words),
//     in the order they appear.
//   - A run opens the site's home page in a new tab, waits until it is
//     loaded and quiet, forgets its requests, then queries. Desk: the query
//     goes to window.deskSearch.query, the function desk's search box calls,
//     which also loads what the results list shows (title and snippet of up
//     to 10 results); with -box, or when the script has no such function,
//     the query is put into #search-input at once (an input event, as a
//     paste) and the run waits until #search-results has stopped changing
//     and no request is in flight, and the results are the article links in
//     #search-results, in order. Pagefind: pagefind/pagefind.js is imported
//     and pf.search(q) run, then the first result's data is loaded (the
//     least a results list needs); that is the first query. The data of
//     results 2 to 5 is loaded afterwards, for the ranking and for the "5
//     results" columns (what Pagefind's own UI loads for its first 5), then
//     that of results 6 to 10, for the ranking only.
//   - A rank is the place of the wanted article among the first 10 article
//     results, 0 when it is not there; MRR@10 is the mean of 1/rank (0 for
//     a miss).
//   - Bytes: "transferred" is what came over the wire (response headers and
//     body, compressed when it was), as Chromium accounts it, "files" the size
//     of the files served. Chromium does not tell the page when the script of
//     a dedicated worker (Pagefind 1.6's pagefind-worker.js) has loaded: for
//     such a request the body bytes the server sent stand in, and the run
//     does not wait for it.
//
// Both sites are served the same way: Cache-Control: no-store (so every run
// is a first visit), and gzip for text types (HTML, CSS, JavaScript, JSON,
// XML, SVG) when -gzip is set, as a typical static host does; other files,
// such as Pagefind's already compressed .pf_ files and wasm, go as they are.
package main
