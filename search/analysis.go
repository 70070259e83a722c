package search

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/deskhq/desk/search/tokenize"
)

// Names under which the analysis pieces are registered with bleve.
const (
	AnalyzerName  = "desk"
	TokenizerName = "desk"
	// QueryAnalyzerName analyses query text: as AnalyzerName, but a CJK run
	// gives only its bigrams (its character when it has one).
	QueryAnalyzerName  = "desk_query"
	QueryTokenizerName = "desk_query"
)

// Tokenizer is the bleve adapter of package tokenize: it gives the terms of
// tokenize.Each, already folded, without stop words and stemmed, with the
// token types bleve and the ranking expect:
//
//   - a lone CJK character is analysis.Single, a bigram analysis.Double,
//     both KeyWord;
//   - a code whole (ERR_1045, a dotted group, a version's number) is
//     AlphaNumeric and KeyWord;
//   - a word or a part of a code is AlphaNumeric (Numeric when all digits),
//     KeyWord when it has a digit.
//
// The index keeps the bigrams of a CJK run and its last character
// (tokenize.LastChar): a one-character query finds its character as the
// start of a bigram or as a token of its own (see textQuery).
type Tokenizer struct {
	Query bool // analyse query text (tokenize.Query)
}

// NewTokenizer returns the desk tokenizer.
func NewTokenizer() *Tokenizer { return &Tokenizer{} }

// IsCJK reports whether r is a Han, Hiragana, Katakana or Hangul character.
func IsCJK(r rune) bool { return tokenize.IsCJK(r) }

// Tokenize implements analysis.Tokenizer.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	opt := tokenize.Options{Mode: tokenize.Body, Chars: tokenize.LastChar}
	if t.Query {
		opt.Mode = tokenize.Query
	}
	var rv analysis.TokenStream
	tokenize.Each(string(input), opt, func(tok tokenize.Token) {
		bt := &analysis.Token{
			Term: []byte(tok.Term), Start: tok.Start, End: tok.End, Position: tok.Position,
			Type: analysis.AlphaNumeric,
		}
		switch tok.Kind {
		case tokenize.CJKChar:
			bt.Type, bt.KeyWord = analysis.Single, true
		case tokenize.CJKBigram:
			bt.Type, bt.KeyWord = analysis.Double, true
		case tokenize.CodeWhole:
			bt.KeyWord = true
		default:
			bt.KeyWord = strings.ContainsFunc(tok.Term, unicode.IsDigit)
			if bt.KeyWord && !strings.ContainsFunc(tok.Term, isNotDigit) {
				bt.Type = analysis.Numeric
			}
		}
		rv = append(rv, bt)
	})
	return rv
}

func isNotDigit(r rune) bool { return !unicode.IsDigit(r) }

// NewAnalyzer returns the desk analyzer: the desk tokenizer, which folds,
// drops stop words and stems itself.
func NewAnalyzer() *analysis.DefaultAnalyzer {
	return &analysis.DefaultAnalyzer{Tokenizer: NewTokenizer()}
}

// NewQueryAnalyzer returns the analyzer of query text (QueryAnalyzerName).
func NewQueryAnalyzer() *analysis.DefaultAnalyzer {
	return &analysis.DefaultAnalyzer{Tokenizer: &Tokenizer{Query: true}}
}

func init() {
	must(registry.RegisterTokenizer(TokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return NewTokenizer(), nil
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
