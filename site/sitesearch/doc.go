// Package sitesearch is the search of the static knowledge-base site: Write
// splits the index of the published articles into small files, and Script,
// the browser script, queries them, fetching only what a query needs.
//
// Each index file is a script that hands its data to the browser script
// (JSONP style), so search works from any static host and from file://, where
// fetch() is forbidden. Under the site's search/ folder:
//
//   - manifest.js: deskSearch.meta({"docs":N,"shards":S,"chunk":C}), loaded
//     first (when the search box gets the focus).
//   - t/<shard>.js: deskSearch.shard(i,"term!postings term!postings ..."), a
//     shard of the term dictionary. A term's shard is the FNV-1a hash of its
//     key, its first four characters (six for a code such as tidb_enable_x),
//     modulo S, a power of two chosen so that a shard holds 1 to 2 KB. All
//     the terms that extend a word being typed thus lie in the shard of that
//     word: prefix matching of the last word costs no extra file.
//   - d/<chunk>.js: deskSearch.docs(i,[[url,title,text],...]), the URL, title
//     and snippet text of C consecutive documents, fetched only for the
//     results shown. Documents are numbered in the order of language,
//     category and URL, so related articles share chunks and postings gaps
//     are small.
//
// File names are hexadecimal numbers.
//
// A term is what desk's one tokenizer (package search/tokenize, which desk
// search uses too) makes of text: text is folded (full-width ASCII to ASCII,
// upper to lower case); a run of Chinese, Japanese or Korean characters gives
// its characters and its bigrams (desk search keeps only the last character
// of a run: see package tokenize); a word is stemmed with a light Porter
// stemmer (steps 1a to 1c and 5a: plurals, -ed, -ing, y, a final e); a code
// such as ERR_1045, v2.1 or 0x0000011b is kept whole and also split into its
// parts. English stop words (Snowball's list) are left out of bodies but
// kept in titles, so that the article "at" can be found. Placeholders of the {{path/to/file}} kind and shortcodes
// such as {{< copyable "sql" >}} are example values, not content: they are
// not indexed, and a snippet shows placeholders without their braces.
//
// A posting is a document number and two levels computed at build time: the
// term's BM25 weight in the body (summary counted twice), quantized to four
// levels so that the browser needs no document lengths, and the title level:
// 0 when the term is in neither title nor tags, 1 in the tags or a title of
// three or more words, 2 in a title of two words, 3 the title's only word.
// Postings are delta-encoded variable-length base-45 numbers written with
// printable ASCII characters (see appendPosting); most take one character.
//
// A query is analysed as the index is, except that a CJK run gives only its
// bigrams (its character when it has a single one), so a Chinese query never
// loads the long postings of single characters; a code is looked up whole,
// and by its parts when it is not in the index; a version such as v7.5.5 is
// also looked up as its number, 7.5.5, which the index holds for it too, so
// that it finds the pages that write 7.5.5; stop words count only when
// the query has nothing else; the last word, when the query ends with it and
// it has four characters or more, is also a prefix: up to 8 of the most
// frequent terms that extend it count, at half weight. Ranking adds, for each
// query term, its inverse document frequency times the posting's weight plus
// a title boost, and scales the sum by the square of the share of query terms
// the document matches. The documents whose title the title levels prove to
// be the query (for one- and two-word queries) come first; among the results
// shown, a title equal to the query as typed comes first, then one equal once
// folded.
//
// The browser script and this package share the tokenizer, the stemmer, the
// key, the hash and the ranking; the browser tests check that they agree,
// term for term and result for result.
package sitesearch
