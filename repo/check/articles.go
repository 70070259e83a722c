package check

import (
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/deskhq/desk/kb"
)

// checkArticle applies the per-file rules to one article: a file that does
// not decode is one parse or invalid-value finding; a decoded one goes
// through the article code of every rule that is on.
func (c *checker) checkArticle(a *article, w *world) {
	slug := kb.SlugOf(a.path)
	if a.err != nil {
		c.fileError(a.path, slug, a.err.Line, a.err.Col, a.err.Msg, reflect.TypeOf(kb.Article{}))
		return
	}
	p := &articlePass{pass: pass{c: c, w: w, path: a.path, id: slug}, f: a.f, art: &a.f.Article}
	c.ignore(p.path, slug, p.art.CheckIgnore, p.art.CheckIgnoreReason)
	applyRules(p, &p.pass, func(r *Rule) func(*articlePass) { return r.article })
}

// articlePass is one decoded article, as the article code of a rule reads
// it; its id is the slug.
type articlePass struct {
	pass
	f   *kb.File
	art *kb.Article
}

// articleSlug is id-format for an article: its file name is a slug.
func articleSlug(p *articlePass) {
	if slug := p.id; !kb.ValidSlug(slug) {
		p.report(atLine(1, 1), "the file name %q is not a slug: use lowercase letters, digits and single hyphens, e.g. kb/%s.md", slug+".md", kb.Slugify(slug))
	}
}

// unknownArticleKeys is unknown-field for an article.
func unknownArticleKeys(p *articlePass) { p.unknownKeys(kb.UnknownKeys(p.f.Doc), kb.Known) }

// articleRequired is required-field for an article: a title and a status.
func articleRequired(p *articlePass) {
	if strings.TrimSpace(p.art.Title) == "" {
		p.report(atLine(1, 1), "an article needs a title")
	}
	if p.art.Status == "" {
		p.report(atLine(1, 1), "an article needs a status: one of %s", strings.Join(kb.Statuses, ", "))
	}
}

// articleValues is invalid-value for an article: its status.
func articleValues(p *articlePass) {
	if st := p.art.Status; st != "" && !slices.Contains(kb.Statuses, st) {
		p.report(atKey("status"), "status %q is not allowed; use one of: %s", st, strings.Join(kb.Statuses, ", "))
	}
}

// articleTicketLinks is kb-link for an article: the tickets it names exist.
func articleTicketLinks(p *articlePass) {
	for _, id := range p.art.Tickets {
		if !p.w.ticketExists(id) {
			p.report(atKey("tickets"), "tickets names %s, which does not exist", id)
		}
	}
}

// kbStale is kb-stale: a published article is reviewed by review_by, else
// by created + kb.review_days.
func kbStale(p *articlePass) {
	art, cfg := p.art, p.c.cfg
	if !art.Published() {
		return
	}
	review := art.ReviewBy
	why, at := "review_by", atKey("review_by")
	if review == nil && !art.Created.IsZero() && cfg.KB.ReviewDays > 0 {
		t := art.Created.In(cfg.Location).AddDate(0, 0, cfg.KB.ReviewDays)
		review, why, at = &t, "created + kb.review_days", atKey("created")
	}
	// The review day passes at its end in desk.toml's time zone (a TOML
	// local date carries the offset of the machine that decoded it).
	if review != nil {
		end := time.Date(review.Year(), review.Month(), review.Day()+1, 0, 0, 0, 0, cfg.Location)
		if !p.c.now.Before(end) {
			p.report(at, "the article was due for review on %s (%s); review it and move review_by forward", review.Format("2006-01-02"), why)
		}
	}
}

// personalData is personal-data: an article that is published or in review
// holds no e-mail address, phone number, national ID number, or name or
// contact of any requester the repository knows.
func personalData(p *articlePass) {
	state := p.art.Status
	switch state {
	case "published":
	case "review":
		state = "in review"
	default:
		return
	}
	people, err := p.c.people()
	if err != nil {
		p.report(atLine(1, 1), "the requesters could not be read to look for their names: %v", err)
		return
	}
	// The parsed document has the file's lines (LF, no byte-order mark):
	// no second read.
	for _, m := range kb.FindPersonal(p.f.Doc.Bytes(), people) {
		p.report(atLine(m.Line, m.Col), "%s in an article that is %s; remove or mask it", m.Kind, state)
	}
}
