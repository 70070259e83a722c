package search

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

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
type Query struct{ q query.Query }

// ParseQuery parses the query syntax of desk search:
//
//	words             match titles and bodies (a title match counts double)
//	"a phrase"        the words in this order
//	field:value       status, priority, category, assignee, tag, type, id
//	created:>DATE     also >=, <, <=, and created:DATE for that day
//	-word, -"phrase", -field:value   exclude
//
// Dates are YYYY-MM-DD, in loc, or RFC 3339 times. At least one of the words
// must match, and more of them matching ranks higher; phrases, filters and
// exclusions must hold.
func ParseQuery(s string, loc *time.Location) (*Query, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, &QueryError{Msg: "the query is empty; write a few words, a \"phrase\" or field:value"}
	}
	var words []string
	var must, mustNot []query.Query
	for _, t := range toks {
		var q query.Query
		switch {
		case t.field != "":
			q, err = fieldQuery(t.field, t.op, t.value, loc)
			if err != nil {
				return nil, err
			}
		case t.phrase:
			q = textQuery(t.value, true)
		case t.neg:
			q = textQuery(t.value, false)
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
		must = append(must, textQuery(strings.Join(words, " "), false))
	}
	if len(must) == 0 {
		// Only exclusions: everything else matches.
		must = append(must, bleve.NewMatchAllQuery())
	}
	b.AddMust(must...)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return &Query{q: b}, nil
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
}

// lex splits a query into words, phrases and field:value terms.
func lex(s string) ([]token, error) {
	var out []token
	r := []rune(s)
	for i := 0; i < len(r); {
		if unicode.IsSpace(r[i]) {
			i++
			continue
		}
		var t token
		start := i
		if r[i] == '-' {
			t.neg = true
			i++
			if i == len(r) || unicode.IsSpace(r[i]) {
				return nil, &QueryError{Msg: fmt.Sprintf("a lone - at character %d; write -word to exclude a word", start+1)}
			}
		}
		if r[i] == '"' {
			end := i + 1
			for end < len(r) && r[end] != '"' {
				end++
			}
			if end == len(r) {
				return nil, &QueryError{Msg: fmt.Sprintf("the quote at character %d is not closed; phrases are written \"like this\"", i+1)}
			}
			t.phrase = true
			t.value = strings.TrimSpace(string(r[i+1 : end]))
			if t.value == "" {
				return nil, &QueryError{Msg: fmt.Sprintf("the phrase at character %d is empty", i+1)}
			}
			i = end + 1
			out = append(out, t)
			continue
		}
		end := i
		for end < len(r) && !unicode.IsSpace(r[end]) {
			if r[end] == '"' {
				return nil, &QueryError{Msg: fmt.Sprintf("a quote inside a word at character %d; put a space before a \"phrase\"", end+1)}
			}
			end++
		}
		word := string(r[i:end])
		i = end
		if name, rest, ok := strings.Cut(word, ":"); ok && isFieldName(name) && !strings.HasPrefix(rest, "//") {
			if !slices.Contains(Fields, name) {
				return nil, &QueryError{Msg: fmt.Sprintf("unknown field %q; the fields are %s", name, strings.Join(Fields, ", "))}
			}
			for _, op := range []string{">=", "<=", ">", "<", "="} {
				if v, ok := strings.CutPrefix(rest, op); ok {
					t.op, rest = op, v
					break
				}
			}
			if rest == "" {
				return nil, &QueryError{Msg: fmt.Sprintf("%s: has no value; write %s:VALUE", name, name)}
			}
			t.field, t.value = name, rest
		} else {
			t.value = word
		}
		out = append(out, t)
	}
	return out, nil
}

// isFieldName tells a field prefix from a word with a colon in it (an error
// message like "HTTP:401" or a time) : lowercase ASCII letters only.
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
