package sitesearch

import "github.com/deskhq/desk/search/tokenize"

// The page's analysis is package tokenize's, with every CJK character
// indexed (tokenize.EveryChar: see that package for why the page differs
// from desk search there). search.js ports it line for line.
var (
	bodyOptions  = tokenize.Options{Mode: tokenize.Body, Chars: tokenize.EveryChar}
	titleOptions = tokenize.Options{Mode: tokenize.Title, Chars: tokenize.EveryChar}
)

// Tokens returns the index terms of text in order, as the browser script
// computes them for the same text: folded, CJK characters and bigrams,
// stemmed words without stop words, codes whole and in parts.
func Tokens(text string) []string { return tokenize.Terms(text, bodyOptions) }
