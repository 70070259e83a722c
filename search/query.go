package search

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// QueryError is a query the syntax does not allow, with what to write
// instead. The command line maps it to exit status 2.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return "search query: " + e.Msg }

// Fields lists the names a query may filter on with field:value (tag is the
// tags field) and compare dates on (created).
var Fields = []string{"status", "priority", "category", "assignee", "tag", "type", "id", "created"}

// Query is a parsed desk search query, ready for Index.Search.
type Query struct {
	q       query.Query
	words   string   // the text to look for, as rerank sees it; "" with only filters and phrases
	phrases []phrase // to verify in the documents' text (the body has no positions in the index)
	shown   []qterm  // the terms of phrases sought, marked in snippets
}

// ParseQuery parses the query syntax of desk search:
//
//	words             match titles and bodies (a title match counts double)
//	"a phrase"        the words in this order
//	field:value       status, priority, category, assignee, tag, type, id
//	created:>DATE     also >=, <, <=, and created:DATE for that day
//	-field:value, -"phrase"   exclude
//	-word             exclude, when it is deliberate (see below)
//
// Dates are YYYY-MM-DD, in loc, or RFC 3339 times. At least one of the words
// must match, and more of them matching ranks higher; phrases, filters and
// exclusions must hold.
//
// A query is text first, so that a pasted error message or command line
// finds its page. Only the fields above are filters, and only with the value
// right after the colon: any other word: (zone:, Error:) and a field
// followed by a space are words. A -word excludes only when the query has
// something to find and no word or phrase comes after it (vpn -mobile,
// 打印机 -惠普 status:closed); one character after a dash (-R, -f), a
// number (-9, -2147467259), --anything, a lone dash and a -word that more
// words follow (find . -name x, java -jar app.jar) are words. A quote that
// is not closed, or one inside a word, is part of the text. An excluded
// word is excluded as written (-账号 leaves out 账号, not every 号). The
// only QueryErrors left are a query with nothing in it and a filter value
// that is not allowed: a date that is not a date, a comparison on a field
// other than created.
func ParseQuery(s string, loc *time.Location) (*Query, error) {
	toks := lex(s)
	if len(toks) == 0 {
		return nil, &QueryError{Msg: "the query is empty; write a few words, a \"phrase\" or field:value"}
	}
	var words []string
	var must, mustNot []query.Query
	var phrases []phrase
	var shown []qterm
	for _, t := range toks {
		var q query.Query
		var err error
		switch {
		case t.field != "":
			q, err = fieldQuery(t.field, t.op, t.value, loc)
			if err != nil {
				return nil, err
			}
		case t.phrase, t.neg:
			// An excluded word is excluded as written: -账号 leaves out
			// the documents with 账号, not all those with 号.
			p := newPhrase(t.value, t.neg)
			if t.neg && len(p.terms) > 1 {
				// Left out after the search, when the text is read:
				// leaving out every document with all its terms would
				// leave out too much.
				phrases = append(phrases, p)
				continue
			}
			if len(p.terms) > 1 {
				phrases = append(phrases, p)
			}
			if !t.neg {
				shown = append(shown, phraseTerms(p)...)
			}
			q = phraseQuery(p)
		default:
			words = append(words, t.value)
			continue
		}
		if t.neg {
			mustNot = append(mustNot, q)
		} else {
			must = append(must, q)
		}
	}
	b := bleve.NewBooleanQuery()
	if len(words) > 0 {
		// At least one of the words must match; more of them rank higher.
		must = append(must, textQuery(strings.Join(words, " ")))
	}
	if len(must) == 0 {
		// Only exclusions: everything else matches.
		must = append(must, bleve.NewMatchAllQuery())
	}
	b.AddMust(must...)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return &Query{q: b, words: strings.Join(words, " "), phrases: phrases, shown: shown}, nil
}

func fieldQuery(field, op, value string, loc *time.Location) (query.Query, error) {
	if field == "created" {
		return dateQuery(op, value, loc)
	}
	if op != "" {
		return nil, &QueryError{Msg: fmt.Sprintf("%s%s%s: only created: takes a comparison", field, ":", op+value)}
	}
	name := field
	if field == "tag" {
		name = "tags"
	}
	q := bleve.NewTermQuery(value)
	q.SetField(name)
	return q, nil
}

func dateQuery(op, value string, loc *time.Location) (query.Query, error) {
	t, day, err := parseDate(value, loc)
	if err != nil {
		return nil, err
	}
	var start, end time.Time
	incStart, incEnd := true, false
	switch op {
	case ">":
		if day {
			start = t.AddDate(0, 0, 1)
		} else {
			start, incStart = t, false
		}
	case ">=":
		start = t
	case "<":
		end = t
	case "<=":
		end, incEnd = t, true
		if day {
			end, incEnd = t.AddDate(0, 0, 1), false
		}
	case "", "=":
		if !day {
			start, end, incEnd = t, t, true
		} else {
			start, end = t, t.AddDate(0, 0, 1)
		}
	}
	q := bleve.NewDateRangeInclusiveQuery(start, end, &incStart, &incEnd)
	q.SetField("created")
	return q, nil
}

func parseDate(s string, loc *time.Location) (t time.Time, day bool, err error) {
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, &QueryError{Msg: fmt.Sprintf("%q is not a date; write created:>2026-11-01 (a day) or an RFC 3339 time", s)}
}

type token struct {
	neg, phrase bool
	field, op   string
	value       string
	// dashWord is a -word that excludes only if it turns out deliberate
	// (see exclusions); value is then the word without its dash.
	dashWord bool
}

// lex splits a query into words, phrases and field:value terms. It never
// fails: what is not syntax is text.
func lex(s string) []token {
	var out []token
	r := []rune(s)
	for i := 0; i < len(r); {
		if unicode.IsSpace(r[i]) {
			i++
			continue
		}
		start := i
		neg := r[i] == '-'
		if neg {
			i++
		}
		if i < len(r) && r[i] == '"' {
			end := i + 1
			for end < len(r) && r[end] != '"' {
				end++
			}
			if end < len(r) {
				// A closed phrase; an unclosed quote is only a character.
				if v := strings.TrimSpace(string(r[i+1 : end])); v != "" {
					out = append(out, token{neg: neg, phrase: true, value: v})
				}
				i = end + 1
				continue
			}
		}
		end := start
		for end < len(r) && !unicode.IsSpace(r[end]) {
			end++
		}
		word := string(r[start:end])
		i = end
		out = append(out, lexWord(word))
	}
	return exclusions(out)
}

// lexWord classifies one space-separated word: a filter, an exclusion, a
// candidate -word, or text.
func lexWord(word string) token {
	w, neg := strings.CutPrefix(word, "-")
	if name, rest, ok := strings.Cut(w, ":"); ok && slices.Contains(Fields, name) && rest != "" {
		t := token{neg: neg, field: name}
		for _, op := range []string{">=", "<=", ">", "<", "="} {
			if v, ok := strings.CutPrefix(rest, op); ok {
				t.op, rest = op, v
				break
			}
		}
		t.value = rest
		return t
	}
	if !neg {
		return token{value: word}
	}
	first, size := utf8.DecodeRuneInString(w)
	if size == 0 || size == len(w) || first == '-' || unicode.IsDigit(first) {
		// A lone dash, an option (-R, --delay) or a number (-9): text.
		return token{value: word}
	}
	return token{dashWord: true, value: w}
}

// exclusions decides which -words exclude: those after which no word or
// phrase follows, in a query that has something to find (a word, a phrase
// or a filter that is not an exclusion). The others are text, dash and all.
func exclusions(toks []token) []token {
	found := false
	for _, t := range toks {
		if !t.neg && !t.dashWord {
			found = true
			break
		}
	}
	trailing := true
	for k := len(toks) - 1; k >= 0; k-- {
		t := &toks[k]
		switch {
		case t.dashWord && found && trailing:
			t.neg, t.dashWord = true, false
		case t.dashWord:
			t.value, t.dashWord = "-"+t.value, false
			trailing = false
		case t.field == "" && !t.neg:
			trailing = false
		}
	}
	return toks
}
