// Package tokenize is desk's one tokenizer: it turns Chinese, Japanese,
// Korean, English and mixed text into search terms, for desk search and desk
// similar (package search, through a thin bleve adapter) and for the static
// site's search index (package sitesearch, whose browser script search.js
// ports it line for line).
//
// Each gives the tokens of a text (see Each for the rules): folded
// (full-width ASCII to ASCII, the ideographic space to a space, lower case),
// CJK runs as bigrams and characters, words without stop words and stemmed
// with a light Porter stemmer (Stem: plurals, -ed, -ing, y, a final e),
// codes (ERR_1045, v2.1, TLS-1.2, 0x0000011b) whole and in parts, and no term
// longer than MaxTermLen characters. Each token has its term, its kind (a
// CJK character or bigram, a word, a code whole or a part of one), its
// position, and its byte offsets in the text as given, for highlighting and
// snippets: folding maps one character to one, so offsets survive it.
//
// Modes: Body drops English stop words (Snowball's list), Title keeps them
// (so an article called "at" can be found), Query is Body except that a CJK
// run gives only its bigrams, or its character when it has only one.
//
// One option may differ between engines, Options.Chars: which lone CJK
// characters an index holds. desk search (bleve) indexes the bigrams of a
// run and its last character (LastChar): every character then starts a
// bigram or is a token of its own, bleve finds a one-character query as a
// prefix of the sorted bigrams, and the index does not hold every character
// twice. The site indexes every character and every bigram (EveryChar): its
// term dictionary is sharded by a hash of each term's first characters, so
// the bigrams that start with a character lie in many shards and a prefix
// search over them would load most of the index.
//
// The package does not import bleve.
package tokenize
