package repo

import (
	"strings"
	"time"

	"github.com/deskhq/desk/ticket"
)

// QueryFields are the fields a selection query knows, in the order its
// messages list them.
var QueryFields = []string{"status", "priority", "category", "assignee", "since", "is"}

// ParseQuery reads a selection written as a query, the words of the flags
// of desk ticket list: FIELD:VALUE words, all of which a ticket must match.
//
//	status:new,triaged   priority:high   category:hardware   (any of the values; repeatable)
//	assignee:li.si       assignee:none   (unassigned)
//	since:2026-11-01     (created on or after; a date or a time in loc)
//	is:open  is:at-risk  is:breached
//
// A word that is not FIELD:VALUE, an unknown field or is: value, or a
// second assignee or since is a *UsageError; the values themselves are
// checked against desk.toml by Selection.Check.
func ParseQuery(q string, loc *time.Location) (Selection, error) {
	var s Selection
	words := strings.Fields(q)
	if len(words) == 0 {
		return s, Usagef("the query is empty; write FIELD:VALUE words, e.g. 'status:new category:hardware'")
	}
	for _, w := range words {
		field, val, ok := strings.Cut(w, ":")
		if !ok || val == "" {
			return s, Usagef("query word %q: want FIELD:VALUE with a field of %s", w, strings.Join(QueryFields, ", "))
		}
		list := func() []string { return strings.Split(val, ",") }
		switch field {
		case "status":
			s.Statuses = append(s.Statuses, list()...)
		case "priority":
			s.Priorities = append(s.Priorities, list()...)
		case "category":
			s.Categories = append(s.Categories, list()...)
		case "assignee":
			if s.Assignee != "" {
				return s, Usagef("query word %q: one assignee per query", w)
			}
			s.Assignee = val
		case "since":
			if !s.Since.IsZero() {
				return s, Usagef("query word %q: one since per query", w)
			}
			t, err := ticket.ParseTime(val, loc)
			if err != nil {
				return s, Usagef("query word %q: %v", w, err)
			}
			s.Since = t
		case "is":
			switch val {
			case "open":
				s.Open = true
			case "at-risk", "at_risk":
				s.AtRisk = true
			case "breached":
				s.Breached = true
			default:
				return s, Usagef("query word %q: is: takes open, at-risk or breached", w)
			}
		default:
			return s, Usagef("query word %q: unknown field %q; the fields are %s", w, field, strings.Join(QueryFields, ", "))
		}
	}
	return s, nil
}
