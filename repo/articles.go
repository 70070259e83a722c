package repo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/gitdb"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
)

// NewArticle holds what a new article is written with. Slug may be empty:
// it is then made from the title.
type NewArticle struct {
	Title, Slug, Category, Summary, Owner string
	Tags                                  []string
	Body                                  string
}

// FromTicket holds the choices of drafting an article from a ticket; both
// may be empty (the slug then comes from the ticket's title or ID, the owner
// is the actor).
type FromTicket struct {
	Slug, Owner string
	// Masked, when not nil, gets how many of each kind of personal data
	// the draft's title and text had taken out (see kb.RedactCount), for
	// the reviewer.
	Masked map[string]int
}

// ArticlePath returns the path of an article's file from its slug, refusing
// anything that is not a slug (so "../x" never reaches the file system).
func (r *Repo) ArticlePath(slug string) (string, error) {
	if !kb.ValidSlug(slug) {
		return "", Usagef("%q is not a slug: use lowercase letters, digits and single hyphens%s", slug, slugExample(slug))
	}
	return "kb/" + slug + ".md", nil
}

// slugExample suggests a slug made from s, when s gives one.
func slugExample(s string) string {
	if sl := kb.Slugify(s); sl != "" && sl != s {
		return ", e.g. " + sl
	}
	return ""
}

// ReadArticle reads and parses an article file from the work tree.
func (r *Repo) ReadArticle(path string) (*kb.File, error) {
	data, err := r.ReadFile(path, kb.MaxSize, "an article")
	if errors.Is(err, os.ErrNotExist) {
		return nil, &NotFoundError{What: "article " + kb.SlugOf(path), Path: path}
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return kb.Parse(path, data)
}

// Articles reads every article under kb/, in parallel, sorted by path. Files
// that cannot be read are returned in bad, each a *kb.ParseError or an I/O
// error naming the file; the others are still read.
func (r *Repo) Articles() (files []*kb.File, bad []error, err error) {
	paths, err := kb.Paths(r.Root)
	if err != nil {
		return nil, nil, err
	}
	out := make([]*kb.File, len(paths))
	errs := make([]error, len(paths))
	Parallel(len(paths), func(i int) { out[i], errs[i] = r.ReadArticle(paths[i]) })
	for i := range paths {
		if errs[i] != nil {
			bad = append(bad, errs[i])
		} else {
			files = append(files, out[i])
		}
	}
	return files, bad, nil
}

// articleExists reports whether an article's file is in the work tree or in
// HEAD (a file deleted but not committed still holds its slug).
func (r *Repo) articleExists(tx *gitdb.Tx, path string) bool {
	if _, err := os.Lstat(r.Abs(path)); err == nil {
		return true
	}
	if tx.Head().IsZero() {
		return false
	}
	_, err := tx.ReadFile(r.GitPath(path))
	return err == nil
}

func articleMessage(slug, summary, action, extra string) string {
	return fmt.Sprintf("%s: %s\n\nDesk-Article: %s\n%sDesk-Action: %s\n", slug, summary, slug, extra, action)
}

// cleanTags trims tags and drops empty and repeated ones.
func cleanTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// CreateArticle writes a new draft article at kb/<slug>.md and commits it.
// The slug is n.Slug, or made from the title; a title with nothing to make
// one from (a Chinese title) needs n.Slug. An existing slug is refused.
func (r *Repo) CreateArticle(ctx context.Context, n NewArticle, a Actor) (*kb.File, error) {
	title := strings.Join(strings.Fields(n.Title), " ")
	if title == "" {
		return nil, Usagef("--title is required: the article's title")
	}
	slug := n.Slug
	switch {
	case slug == "":
		if slug = kb.Slugify(title); slug == "" {
			return nil, Usagef("the title %q has no Latin letters or digits to make a slug from; choose one with --slug (lowercase letters, digits and single hyphens, e.g. --slug printer-paper-jam)", title)
		}
	case !kb.ValidSlug(slug):
		return nil, Usagef("--slug %q is not a slug: use lowercase letters, digits and single hyphens%s", slug, slugExample(slug))
	}
	category := strings.TrimSpace(n.Category)
	if strings.ContainsAny(category, "/\\\n\r\t") {
		return nil, Usagef("--category %q: a category is one word or phrase, without slashes or line breaks", n.Category)
	}
	if err := r.checkAt(a.At); err != nil {
		return nil, err
	}
	art := &kb.Article{
		Title: title, Status: "draft", Category: category, Tags: cleanTags(n.Tags),
		Summary: strings.Join(strings.Fields(n.Summary), " "), Owner: strings.TrimSpace(n.Owner),
		Created: a.At.In(r.Config.Location),
	}
	path := "kb/" + slug + ".md"
	data := kb.Render(art, n.Body)
	f, err := kb.Parse(path, data)
	if err != nil {
		return nil, fmt.Errorf("internal error: new article does not parse: %w", err)
	}
	_, err = r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
		if r.articleExists(tx, path) {
			return "", &RefusedError{ID: slug, Msg: fmt.Sprintf("%s already exists; choose another slug with --slug, or change that article", path)}
		}
		tx.Put(r.GitPath(path), data)
		return articleMessage(slug, "new article: "+OneLine(title, 60), "create", ""), nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// MoveArticle moves an article along its lifecycle (kb.Transitions),
// changing only the status line of its file, and commits it. Before review
// and publication the article must have a title and a body, and hold no
// personal data that desk check would report.
func (r *Repo) MoveArticle(ctx context.Context, slug, to string) (f *kb.File, from string, err error) {
	path, err := r.ArticlePath(slug)
	if err != nil {
		return nil, "", err
	}
	if !kb.IsStatus(to) {
		return nil, "", &RefusedError{ID: slug, Msg: fmt.Sprintf("unknown status %q; the statuses are %s", to, strings.Join(kb.Statuses, ", "))}
	}
	_, err = r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
		g, err := r.ReadArticle(path)
		if err != nil {
			return "", err
		}
		from = g.Article.Status
		if from == to {
			return "", &RefusedError{ID: slug, Msg: "already " + to}
		}
		if !kb.CanMove(from, to) {
			shown := from
			if shown == "" {
				shown = "no status"
			}
			return "", &RefusedError{ID: slug, Msg: fmt.Sprintf("the lifecycle does not allow %s → %s; from %s it allows %s", shown, to, shown, strings.Join(kb.Next(from), ", "))}
		}
		if to == "review" || to == "published" {
			if err := r.readyFor(ctx, g, to); err != nil {
				return "", err
			}
		}
		g.Doc.Set("", "status", front.String(to))
		data := g.Doc.Bytes()
		moved, err := kb.Parse(path, data)
		if err != nil {
			return "", fmt.Errorf("internal error: moved article does not parse: %w", err)
		}
		tx.Put(r.GitPath(path), data)
		f = moved
		shown := from
		if shown == "" {
			shown = "(none)"
		}
		return articleMessage(slug, shown+" → "+to, "transition", ""), nil
	})
	if err != nil {
		return nil, "", err
	}
	return f, from, nil
}

// readyFor refuses to send an article to review or publication when it has
// no title or body, or holds personal data: an e-mail address, phone number
// or national ID number, or the name or contact of any requester of the
// repository, as the personal-data rule of desk check finds them.
func (r *Repo) readyFor(ctx context.Context, f *kb.File, to string) error {
	if strings.TrimSpace(f.Article.Title) == "" {
		return &RefusedError{ID: f.Slug, Msg: fmt.Sprintf("cannot move to %s: %s has no title", to, f.Path)}
	}
	if strings.TrimSpace(string(f.Doc.Body())) == "" {
		return &RefusedError{ID: f.Slug, Msg: fmt.Sprintf("cannot move to %s: %s has no text below its front matter; write the article first", to, f.Path)}
	}
	people, err := r.People(ctx)
	if err != nil {
		return err
	}
	found := kb.FindPersonal(f.Doc.Bytes(), people)
	if len(found) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "cannot move to %s: the article holds personal data (the personal-data rule of desk check):", to)
	for i, m := range found {
		if i == 10 {
			fmt.Fprintf(&b, "\n  … and %d more", len(found)-i)
			break
		}
		// Kind carries the data masked; the message never repeats it.
		fmt.Fprintf(&b, "\n  %s:%d:%d: %s", f.Path, m.Line, m.Col, m.Kind)
	}
	b.WriteString("\nremove or mask it, then move the article again")
	return &RefusedError{ID: f.Slug, Msg: b.String()}
}

// placeholders stand for the requester's data in an article drafted from a
// ticket, in the repository's language.
func placeholders(c *config.Config) (name, org, contact string) {
	if c.Desk.Language == "zh" {
		return "【报修人】", "【部门】", "【联系方式】"
	}
	return "[requester]", "[department]", "[contact]"
}

var htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)

// ArticleFromTicket drafts an article from a resolved ticket and links the
// two, in one commit: the article (status draft, tickets = [id]) takes the
// ticket's title, category and tags, and its description, analysis and
// resolution sections under the configured headings; the handling record,
// whose entries are signed, stays in the ticket. The requester's name,
// department and contact are replaced by placeholders wherever they occur,
// and other e-mail addresses, phone numbers and ID numbers are masked. The
// ticket's kb list gets the slug, with a link event.
func (r *Repo) ArticleFromTicket(ctx context.Context, id string, o FromTicket, a Actor) (*kb.File, *ticket.File, error) {
	tpath, err := r.TicketPath(id)
	if err != nil {
		return nil, nil, err
	}
	if o.Slug != "" && !kb.ValidSlug(o.Slug) {
		return nil, nil, Usagef("--slug %q is not a slug: use lowercase letters, digits and single hyphens%s", o.Slug, slugExample(o.Slug))
	}
	if err := r.checkAt(a.At); err != nil {
		return nil, nil, err
	}
	c := r.Config
	// Every requester the repository knows: the text of one ticket names
	// others ("confirmed with 欧阳娜娜").
	people, err := r.People(ctx)
	if err != nil {
		return nil, nil, err
	}
	var (
		art  *kb.File
		tf   *ticket.File
		slug string
	)
	_, err = r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
		f, err := r.ReadTicket(tpath)
		if err != nil {
			return "", err
		}
		t := &f.Ticket
		if !c.Resolved(t) {
			return "", &RefusedError{ID: id, Msg: fmt.Sprintf("the ticket is %s; an article is drafted from a resolved ticket (status %s, or a final status reached after it), so that it holds a solution that worked",
				t.Status, strings.Join(c.Workflow.Resolved, " or "))}
		}
		sections := map[string]string{}
		for _, key := range []string{"description", "analysis", "resolution"} {
			text, _ := f.Section(c.Heading(key))
			text = strings.TrimSpace(htmlComment.ReplaceAllString(text, ""))
			if !ticket.SectionEmpty(text) {
				sections[key] = text
			}
		}
		if sections["resolution"] == "" {
			return "", &RefusedError{ID: id, Msg: fmt.Sprintf("the section ## %s of %s is empty: there is no solution to write up", c.Heading("resolution"), tpath)}
		}
		if err := r.checkEventTime(f, a.At); err != nil {
			return "", err
		}
		name, org, contact := placeholders(c)
		known := []kb.Replacement{{Old: t.Requester.Name, New: name, Person: true}, {Old: t.Requester.Org, New: org},
			{Old: t.Requester.Contact, New: contact, Person: true}}
		if fb := t.Feedback; fb != nil && fb.ConfirmedBy != "" {
			known = append(known, kb.Replacement{Old: fb.ConfirmedBy, New: name, Person: true})
		}
		redact := func(s string) string { return kb.Redact(s, known, people) }
		counted := func(s string) string { return kb.RedactCount(s, known, people, o.Masked) }

		title := counted(strings.Join(strings.Fields(t.Title), " "))
		slug = o.Slug
		if slug == "" {
			if slug = kb.Slugify(title); slug == "" {
				slug = strings.ToLower(t.ID)
			}
		}
		// A tag naming the requester ("wang-fang") goes too.
		var tags []string
		for _, tag := range cleanTags(t.Tags) {
			if redact(tag) == tag && !slices.ContainsFunc(known, func(k kb.Replacement) bool {
				s := kb.Slugify(k.Old)
				return s != "" && s == kb.Slugify(tag)
			}) {
				tags = append(tags, tag)
			}
		}
		var body strings.Builder
		for _, key := range []string{"description", "analysis", "resolution"} {
			if text := sections[key]; text != "" {
				fmt.Fprintf(&body, "## %s\n\n%s\n\n", c.Heading(key), text)
			}
		}
		first, _, _ := strings.Cut(sections["resolution"], "\n\n")
		owner := strings.TrimSpace(o.Owner)
		if owner == "" {
			owner = a.By
		}
		draft := &kb.Article{
			Title: title, Status: "draft", Category: t.Category, Tags: tags,
			Summary: OneLine(redact(first), 200), Owner: owner, Created: a.At.In(c.Location), Tickets: []string{t.ID},
		}
		path := "kb/" + slug + ".md"
		if r.articleExists(tx, path) {
			return "", &RefusedError{ID: id, Msg: fmt.Sprintf("%s already exists; choose another slug with --slug", path)}
		}
		data := kb.Render(draft, counted(body.String()))
		if art, err = kb.Parse(path, data); err != nil {
			return "", fmt.Errorf("internal error: drafted article does not parse: %w", err)
		}

		// The ticket links the article: kb gets the slug, with one event.
		if !slices.Contains(t.KB, slug) {
			f.Doc.Set("", "kb", front.Strings(append(slices.Clone(t.KB), slug)))
		}
		f.AppendEvent(ticket.Event{At: a.At.In(c.Location), By: a.By, Action: "link", Field: "kb", Value: slug})
		if err := f.Reparse(); err != nil {
			return "", fmt.Errorf("internal error: linked ticket does not parse: %w", err)
		}
		tx.Put(r.GitPath(path), data)
		tx.Put(r.GitPath(tpath), f.Doc.Bytes())
		tf = f
		return articleMessage(slug, "draft from "+t.ID+": "+OneLine(title, 50), "from-ticket", "Desk-Ticket: "+t.ID+"\n"), nil
	})
	if err != nil {
		return nil, nil, err
	}
	return art, tf, nil
}
