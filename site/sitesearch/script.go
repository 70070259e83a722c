package sitesearch

import (
	"bytes"
	_ "embed"
)

//go:embed search.js
var source []byte

// Script is the browser script of the search, to be written to
// assets/search.js: search.js without its comment lines and indentation. It
// finds the site root from <html data-root> (or its own URL), turns the
// page's #search-input into a combobox whose results it lists in
// #search-results, and runs the query of a ?q= parameter on load. It defines
// the global deskSearch, which the index scripts call.
var Script = compact(source)

// compact drops the blank lines, the comment lines and the indentation of a
// script.
func compact(src []byte) []byte {
	out := []byte("// Search of the desk knowledge-base site; source: site/sitesearch/search.js.\n")
	for line := range bytes.Lines(src) {
		line = bytes.TrimLeft(line, " \t")
		if len(bytes.TrimSpace(line)) == 0 || bytes.HasPrefix(line, []byte("//")) {
			continue
		}
		out = append(out, line...)
	}
	return out
}
