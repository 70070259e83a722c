package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analysis pieces are registered with bleve.
const (
	AnalyzerName  = "desk"
	TokenizerName = "desk"
	StemmerName   = "desk_stem_en"
	// QueryAnalyzerName analyses query text: as AnalyzerName, but a CJK run
	// gives only its bigrams (its character when it has one).
	QueryAnalyzerName  = "desk_query"
	QueryTokenizerName = "desk_query"
)

// Tokenizer splits Chinese, Japanese, Korean, English and mixed text.
//
//   - A run of CJK characters (Han, Hiragana, Katakana, Hangul) gives one
//     bigram per adjacent pair, the bigram starting at character i at
//     position i, so a phrase query over a CJK string requires its
//     characters in order. The run's last character is also a token of its
//     own (at the position after the last bigram), and a run of one
//     character is that character: every character of the text is thus the
//     start of a bigram or a token of its own, and a one-character query
//     finds it as a prefix (see textQuery) without indexing every character
//     twice. The query tokenizer (Query set) leaves the last character out
//     of a run of two or more, so that a phrase matches inside longer runs.
//   - A run of letters and digits is a word (type AlphaNumeric, or Numeric when
//     all digits). Apostrophes between letters stay in the word and a trailing
//     possessive 's is dropped.
//   - Words joined by '_', by '-' or by '.' between two digits form a code
//     (ERR_1045, v2.1, TLS-1.2). The whole code is emitted, marked KeyWord so
//     it is not stemmed, followed by its parts at consecutive positions (the
//     whole code shares the position of its first part). A word containing a
//     digit (0x0000011b) is also a KeyWord. Inside a code, parts joined by
//     dots are also emitted as a group (TLS-1.2 gives tls-1.2, tls, 1.2, 1,
//     2), and a version "v2.1" also yields "2.1" and "2" at the positions
//     of "v2.1" and "v2".
//
// Case is left as typed; the analyzer lower-cases afterwards.
type Tokenizer struct {
	Query bool // analyse query text: no lone last character of a CJK run
}

// NewTokenizer returns the desk tokenizer.
func NewTokenizer() *Tokenizer { return &Tokenizer{} }

// IsCJK reports whether r is a Han, Hiragana, Katakana or Hangul character.
func IsCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) ||
		r == 'ー' // prolonged sound mark, part of Katakana words
}

func isWordRune(r rune) bool {
	return !IsCJK(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// Tokenize implements analysis.Tokenizer.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	var rv analysis.TokenStream
	pos := 1
	i := 0
	for i < len(input) {
		r, size := utf8.DecodeRune(input[i:])
		switch {
		case IsCJK(r):
			end := i
			for end < len(input) {
				r2, s2 := utf8.DecodeRune(input[end:])
				if !IsCJK(r2) {
					break
				}
				end += s2
			}
			rv, pos = appendCJK(rv, input, i, end, pos, t.Query)
			i = end
		case isWordRune(r):
			end, parts := scanCode(input, i)
			rv, pos = appendCode(rv, input, i, end, parts, pos)
			i = end
		default:
			i += size
		}
	}
	return rv
}

// appendCJK emits the bigrams of the CJK run input[start:end] and its last
// character (not for a query, unless the run has only one).
func appendCJK(rv analysis.TokenStream, input []byte, start, end, pos int, query bool) (analysis.TokenStream, int) {
	var offs []int
	for o := start; o < end; {
		_, s := utf8.DecodeRune(input[o:])
		offs = append(offs, o)
		o += s
	}
	offs = append(offs, end)
	n := len(offs) - 1
	for k := 0; k < n; k++ {
		if k == n-1 && (n == 1 || !query) {
			rv = append(rv, &analysis.Token{
				Term: input[offs[k]:offs[k+1]], Start: offs[k], End: offs[k+1],
				Position: pos + k, Type: analysis.Single, KeyWord: true,
			})
		}
		if k+1 < n {
			rv = append(rv, &analysis.Token{
				Term: input[offs[k]:offs[k+2]], Start: offs[k], End: offs[k+2],
				Position: pos + k, Type: analysis.Double, KeyWord: true,
			})
		}
	}
	return rv, pos + n
}

// span is a byte range of the input; sep is the connector byte before it in
// a code (0 for the first part).
type span struct {
	start, end int
	sep        byte
}

// scanWord returns the end of the word starting at i: word runes, with
// apostrophes allowed between letters.
func scanWord(input []byte, i int) int {
	end := i
	for end < len(input) {
		r, s := utf8.DecodeRune(input[end:])
		if isWordRune(r) {
			end += s
			continue
		}
		if isApostrophe(r) && end > i && end+s < len(input) {
			prev, _ := utf8.DecodeLastRune(input[i:end])
			next, _ := utf8.DecodeRune(input[end+s:])
			if unicode.IsLetter(prev) && unicode.IsLetter(next) && !IsCJK(next) {
				end += s
				continue
			}
		}
		break
	}
	return end
}

// scanCode returns the end of the code starting at i and its parts; a plain
// word is a code of one part.
func scanCode(input []byte, i int) (int, []span) {
	end := scanWord(input, i)
	parts := []span{{i, end, 0}}
	for end+1 < len(input) {
		c := input[end]
		if c != '_' && c != '-' && c != '.' {
			break
		}
		next, _ := utf8.DecodeRune(input[end+1:])
		if !isWordRune(next) {
			break
		}
		if c == '.' {
			prev, _ := utf8.DecodeLastRune(input[i:end])
			if !unicode.IsDigit(prev) || !unicode.IsDigit(next) {
				break
			}
		}
		wend := scanWord(input, end+1)
		parts = append(parts, span{end + 1, wend, c})
		end = wend
	}
	return end, parts
}

func hasDigit(b []byte) bool {
	for _, c := range string(b) {
		if unicode.IsDigit(c) {
			return true
		}
	}
	return false
}

func allDigits(b []byte) bool {
	for _, c := range string(b) {
		if !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// wordToken builds the token of one plain word, dropping a possessive 's.
func wordToken(input []byte, sp span, pos int) *analysis.Token {
	term := input[sp.start:sp.end]
	if n := len(term); n > 2 && (term[n-1] == 's' || term[n-1] == 'S') && term[n-2] == '\'' {
		term = term[:n-2]
	} else if n > 4 && (term[n-1] == 's' || term[n-1] == 'S') && strings.HasSuffix(string(term[:n-1]), "’") {
		term = term[:n-4]
	}
	typ := analysis.AlphaNumeric
	if allDigits(term) {
		typ = analysis.Numeric
	}
	return &analysis.Token{
		Term: term, Start: sp.start, End: sp.end, Position: pos,
		Type: typ, KeyWord: hasDigit(term),
	}
}

// appendCode emits a word, or a code followed by its dotted groups (1.2 in
// TLS-1.2) and its parts. The whole code and each group share the position
// of their first part; parts take consecutive positions.
func appendCode(rv analysis.TokenStream, input []byte, start, end int, parts []span, pos int) (analysis.TokenStream, int) {
	if len(parts) == 1 {
		return append(rv, wordToken(input, parts[0], pos)), pos + 1
	}
	rv = appendWhole(rv, input, start, end, pos)
	for k := 0; k < len(parts); {
		g := k + 1
		for g < len(parts) && parts[g].sep == '.' {
			g++
		}
		if g-k > 1 && (k > 0 || g < len(parts)) {
			rv = appendWhole(rv, input, parts[k].start, parts[g-1].end, pos+k)
		}
		for first := k; k < g; k++ {
			rv = append(rv, wordToken(input, parts[k], pos+k))
			if k == first && g-k > 1 && isVersionPrefix(input[parts[k].start:parts[k].end]) {
				// v2 of v2.1 → also 2, so "2.1" typed without its "v" matches.
				rv = append(rv, wordToken(input, span{parts[k].start + 1, parts[k].end, 0}, pos+k))
			}
		}
	}
	return rv, pos + len(parts)
}

// appendWhole emits input[start:end] as a KeyWord token, and for a version
// (v2.1) the number without its "v" as well.
func appendWhole(rv analysis.TokenStream, input []byte, start, end, pos int) analysis.TokenStream {
	whole := input[start:end]
	rv = append(rv, &analysis.Token{
		Term: whole, Start: start, End: end, Position: pos,
		Type: analysis.AlphaNumeric, KeyWord: true,
	})
	if isVersionPrefix(whole) && !strings.ContainsAny(string(whole), "_-") {
		rv = append(rv, &analysis.Token{
			Term: whole[1:], Start: start + 1, End: end, Position: pos,
			Type: analysis.AlphaNumeric, KeyWord: true,
		})
	}
	return rv
}

// isVersionPrefix reports whether b starts with "v" and a digit.
func isVersionPrefix(b []byte) bool {
	return len(b) > 1 && (b[0] == 'v' || b[0] == 'V') && b[1] >= '0' && b[1] <= '9'
}

// StemFilter applies the English (Snowball) stemmer to tokens that are not
// marked KeyWord, leaving codes and CJK tokens as they are.
type StemFilter struct{ stem *en.EnglishStemmerFilter }

// NewStemFilter returns the KeyWord-respecting English stemmer.
func NewStemFilter() *StemFilter { return &StemFilter{stem: en.NewEnglishStemmerFilter()} }

// Filter implements analysis.TokenFilter.
func (f *StemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	one := make(analysis.TokenStream, 1)
	for _, tok := range input {
		if tok.KeyWord || tok.Type != analysis.AlphaNumeric {
			continue
		}
		one[0] = tok
		f.stem.Filter(one)
	}
	return input
}

// NewAnalyzer returns the desk analyzer: desk tokenizer, lower-casing,
// English stop words removed, English stemming of plain words.
func NewAnalyzer() *analysis.DefaultAnalyzer { return newAnalyzer(false) }

// NewQueryAnalyzer returns the analyzer of query text (QueryAnalyzerName).
func NewQueryAnalyzer() *analysis.DefaultAnalyzer { return newAnalyzer(true) }

func newAnalyzer(query bool) *analysis.DefaultAnalyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer: &Tokenizer{Query: query},
		TokenFilters: []analysis.TokenFilter{
			lowercase.NewLowerCaseFilter(),
			stop.NewStopTokensFilter(englishStopWords),
			NewStemFilter(),
		},
	}
}

var englishStopWords analysis.TokenMap

func init() {
	m, err := en.TokenMapConstructor(nil, nil)
	if err != nil {
		panic(err)
	}
	englishStopWords = m
	must(registry.RegisterTokenizer(TokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return NewTokenizer(), nil
	}))
	must(registry.RegisterTokenFilter(StemmerName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return NewStemFilter(), nil
	}))
	must(registry.RegisterAnalyzer(AnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewAnalyzer(), nil
	}))
	must(registry.RegisterTokenizer(QueryTokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return &Tokenizer{Query: true}, nil
	}))
	must(registry.RegisterAnalyzer(QueryAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewQueryAnalyzer(), nil
	}))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
