package kb

import (
	"slices"
	"strings"

	"github.com/deskhq/desk/ticket/front"
)

// Transitions is the lifecycle of an article: the statuses each status may
// move to. A draft is written, reviewed, published and in the end archived;
// an article under review, published or archived goes back to draft to be
// rewritten.
var Transitions = map[string][]string{
	"draft":     {"review"},
	"review":    {"published", "draft"},
	"published": {"archived", "draft"},
	"archived":  {"draft"},
}

// IsStatus reports whether s is one of Statuses.
func IsStatus(s string) bool { return slices.Contains(Statuses, s) }

// Next returns the statuses an article in status from may move to. An
// article whose status is not a known one (edited by hand) may only go back
// to draft.
func Next(from string) []string {
	if !IsStatus(from) {
		return []string{"draft"}
	}
	return Transitions[from]
}

// CanMove reports whether the lifecycle allows from → to.
func CanMove(from, to string) bool { return IsStatus(to) && slices.Contains(Next(from), to) }

// Render writes an article file: the front matter of a in the order of the
// format (title, status, category, tags, summary, owner, created, review_by,
// tickets, source), keys with empty values left out, then the body after a
// blank line. Times keep their own offset; review_by is written as a date.
func Render(a *Article, body string) []byte {
	var b strings.Builder
	kv := func(k, v string) { b.WriteString(k + " = " + v + "\n") }
	opt := func(k, v string) {
		if v != "" {
			kv(k, front.String(v))
		}
	}
	b.WriteString("+++\n")
	kv("title", front.String(a.Title))
	kv("status", front.String(a.Status))
	opt("category", a.Category)
	if len(a.Tags) > 0 {
		kv("tags", front.Strings(a.Tags))
	}
	opt("summary", a.Summary)
	opt("owner", a.Owner)
	if !a.Created.IsZero() {
		kv("created", front.Time(a.Created))
	}
	if a.ReviewBy != nil {
		kv("review_by", front.Date(a.ReviewBy.Date()))
	}
	if len(a.Tickets) > 0 {
		kv("tickets", front.Strings(a.Tickets))
	}
	opt("source", a.Source)
	b.WriteString("+++\n")
	if body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n")); body != "" {
		b.WriteString("\n" + body + "\n")
	}
	return []byte(b.String())
}
