package check

import (
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/deskhq/desk/kb"
)

// checkArticle applies the per-file rules to one article.
func (c *checker) checkArticle(a *article, w *world) {
	p := a.path
	slug := kb.SlugOf(p)
	if a.err != nil {
		c.fileError(p, slug, a.err.Line, a.err.Col, a.err.Msg, reflect.TypeOf(kb.Article{}))
		return
	}
	art := &a.f.Article
	c.ignore(p, slug, art.CheckIgnore, art.CheckIgnoreReason)
	if !kb.ValidSlug(slug) {
		c.add(IDFormat, p, slug, atLine(1, 1), "the file name %q is not a slug: use lowercase letters, digits and single hyphens, e.g. kb/%s.md", slug+".md", kb.Slugify(slug))
	}
	for _, k := range outermost(kb.UnknownKeys(a.f.Doc)) {
		c.add(UnknownField, p, slug, keyLoc(k), "unknown key %s%s", k, suggest(k, kb.Known))
	}
	if strings.TrimSpace(art.Title) == "" {
		c.add(RequiredField, p, slug, atLine(1, 1), "an article needs a title")
	}
	if art.Status == "" {
		c.add(RequiredField, p, slug, atLine(1, 1), "an article needs a status: one of %s", strings.Join(kb.Statuses, ", "))
	} else if !slices.Contains(kb.Statuses, art.Status) {
		c.add(InvalidValue, p, slug, atKey("status"), "status %q is not allowed; use one of: %s", art.Status, strings.Join(kb.Statuses, ", "))
	}
	for _, id := range art.Tickets {
		if !w.ticketExists(id) {
			c.add(KBLink, p, slug, atKey("tickets"), "tickets names %s, which does not exist", id)
		}
	}
	if art.Published() {
		review := art.ReviewBy
		why, at := "review_by", atKey("review_by")
		if review == nil && !art.Created.IsZero() && c.cfg.KB.ReviewDays > 0 {
			t := art.Created.In(c.cfg.Location).AddDate(0, 0, c.cfg.KB.ReviewDays)
			review, why, at = &t, "created + kb.review_days", atKey("created")
		}
		// The review day passes at its end in desk.toml's time zone (a TOML
		// local date carries the offset of the machine that decoded it).
		if review != nil {
			end := time.Date(review.Year(), review.Month(), review.Day()+1, 0, 0, 0, 0, c.cfg.Location)
			if !c.now.Before(end) {
				c.add(KBStale, p, slug, at, "the article was due for review on %s (%s); review it and move review_by forward", review.Format("2006-01-02"), why)
			}
		}
	}
	if state := art.Status; state == "published" || state == "review" {
		if state == "review" {
			state = "in review"
		}
		var names []string
		for _, id := range art.Tickets {
			if r := w.ticket(id); r != nil {
				names = append(names, r.Ticket.Requester.Name, r.Ticket.Requester.Contact)
			}
		}
		// The parsed document has the file's lines (LF, no byte-order mark):
		// no second read.
		for _, m := range kb.FindPersonalData(a.f.Doc.Bytes(), names) {
			c.add(PersonalData, p, slug, atLine(m.Line, m.Col), "%s in an article that is %s; remove or mask it", m.Kind, state)
		}
	}
}
