package cli

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
)

func (a *app) kbCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "kb",
		Aliases: []string{"article"},
		Short:   "Write, review and publish knowledge-base articles",
		Long: `Articles are files kb/<slug>.md: TOML front matter and a Markdown body. An
article is written as a draft, goes to review, is published (only published
articles reach the site) and in the end archived; from review, published or
archived it can go back to draft for a rewrite. Every command that changes an
article makes exactly one commit with Desk-Article and Desk-Action trailers.`,
		Example: `  desk kb new --title "Laptop does not power on" --category hardware --tags laptop,power < steps.md
  desk kb from-ticket TS-20261122-1
  desk kb move laptop-does-not-power-on review
  desk kb list --status draft`,
	}
	cmd.AddCommand(a.kbNewCmd(), a.kbListCmd(), a.kbShowCmd(), a.kbMoveCmd(), a.kbFromTicketCmd())
	return cmd
}

// completeSlugs offers the slugs of the articles for shell completion.
func (a *app) completeSlugs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	r, err := a.open()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	paths, _ := kb.Paths(r.Root)
	var out []string
	for _, p := range paths {
		if s := kb.SlugOf(p); strings.HasPrefix(s, toComplete) {
			out = append(out, s)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeResolved offers the IDs of the tickets an article can be drafted from.
func (a *app) completeResolved(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	r, err := a.open()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	c := r.Config
	recs, err := r.RecordsWhere(a.ctx, func(h *records.Head) bool { return !c.Open(h.Status) })
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var ids []string
	for _, rec := range recs {
		if rec.Err == nil && strings.HasPrefix(rec.Ticket.ID, toComplete) && c.Resolved(&rec.Ticket) {
			ids = append(ids, rec.Ticket.ID+"\t"+rec.Ticket.Title)
		}
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// completeCategories completes --category from the ticket categories of desk.toml.
func (a *app) completeCategories(cmd *cobra.Command) {
	a.completeConfig(cmd, "category", func(c *config.Config) []string { return c.Tickets.Categories })
}

type kbNewOptions struct {
	args     []string // [-]: "-" reads the body from standard input
	n        repo.NewArticle
	tags     []string
	bodyFile string
	at       string
	json     bool
}

func (a *app) kbNewCmd() *cobra.Command {
	var o kbNewOptions
	cmd := &cobra.Command{
		Use:   "new --title T [--slug S] [-]",
		Short: "Write a new draft article",
		Long: `Writes kb/<slug>.md with status draft and commits it. The slug is --slug, or
made from the title (lowercase letters and digits joined by hyphens); a title
without Latin letters or digits (a Chinese title) needs --slug. The body comes
from --body-file, or from standard input when it is a pipe or a file (or with
"-"). The owner defaults to your git identity, the creation time to now.
Prints the slug on standard output.`,
		Example: `  desk kb new --title "Reset a forgotten SAP password" --category software --tags sap,password
  desk kb new --title 打印机卡纸 --slug printer-paper-jam --category hardware --body-file jam.md
  pandoc -t gfm notes.docx | desk kb new --title "VPN error 809" --summary "Open UDP 500 and 4500"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { o.args = args; return a.kbNewRun(o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.n.Title, "title", "", "the article's title")
	fl.StringVar(&o.n.Slug, "slug", "", "the file name kb/`SLUG`.md: lowercase letters, digits and single hyphens (default: from the title)")
	fl.StringVar(&o.n.Category, "category", "", "category, e.g. hardware")
	fl.StringSliceVar(&o.tags, "tags", nil, "tags (comma-separated or repeated)")
	fl.StringVar(&o.n.Summary, "summary", "", "one-sentence summary shown in lists and search results")
	fl.StringVar(&o.n.Owner, "owner", "", "who keeps the article up to date (default: your git identity)")
	fl.StringVar(&o.bodyFile, "body-file", "", "read the Markdown body from `FILE` (- for standard input)")
	fl.StringVar(&o.at, "at", "", "creation time, if not now (e.g. \"2026-11-22 09:14\")")
	fl.BoolVar(&o.json, "json", false, "print the new article as JSON")
	a.completeCategories(cmd)
	return cmd
}

func (a *app) kbNewRun(o kbNewOptions) error {
	if err := dashOnly(o.args, "the title goes in --title, and - reads the body from standard input"); err != nil {
		return err
	}
	r, err := a.open()
	if err != nil {
		return err
	}
	switch {
	case len(o.args) == 1 || o.bodyFile == "-" || (o.bodyFile == "" && piped(a.in)):
		b, err := io.ReadAll(io.LimitReader(a.in, kb.MaxSize+1))
		if err != nil {
			return fmt.Errorf("reading the body from standard input: %w", err)
		}
		if len(b) > kb.MaxSize {
			return repo.Usagef("the body on standard input is larger than %d MB, the most an article may be", kb.MaxSize>>20)
		}
		o.n.Body = string(b)
	case o.bodyFile != "":
		b, err := os.ReadFile(a.path(o.bodyFile))
		if err != nil {
			return fmt.Errorf("--body-file: %w", err)
		}
		o.n.Body = string(b)
	}
	o.n.Tags = splitList(o.tags)
	act, err := a.actor(r, o.at)
	if err != nil {
		return err
	}
	if o.n.Owner == "" {
		o.n.Owner = act.By
	}
	f, err := r.CreateArticle(a.ctx, o.n, act)
	if err != nil {
		return err
	}
	if o.json {
		return a.printJSON(articleJSON(f))
	}
	fmt.Fprintln(a.out, f.Slug)
	fmt.Fprintf(a.err, "Created %s (draft); next: desk kb move %s review\n", f.Path, f.Slug)
	return nil
}

// piped reports whether r is a pipe or a redirected file rather than a
// terminal (or /dev/null): input meant for desk, not a reason to wait.
func piped(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return r != nil
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	m := fi.Mode()
	return m&os.ModeNamedPipe != 0 || m.IsRegular()
}

type kbListOptions struct {
	status, category, tag []string
	json                  bool
}

func (a *app) kbListCmd() *cobra.Command {
	var o kbListOptions
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List articles",
		Long: `Lists the articles by slug with their status, category, the date of the last
commit that changed them and their title. Filters combine: an article is shown
when it matches one of the values of every filter given.`,
		Example: `  desk kb list
  desk kb list --status draft,review
  desk kb list --category hardware --tag laptop --json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return a.kbListRun(o) },
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&o.status, "status", nil, "only these statuses: draft, review, published, archived (comma-separated)")
	fl.StringSliceVar(&o.category, "category", nil, "only these categories")
	fl.StringSliceVar(&o.tag, "tag", nil, "only articles with one of these tags")
	fl.BoolVar(&o.json, "json", false, "print a JSON array")
	cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(kb.Statuses, cobra.ShellCompDirectiveNoFileComp))
	a.completeCategories(cmd)
	return cmd
}

func (a *app) kbListRun(o kbListOptions) error {
	filter := kb.Filter{Statuses: splitList(o.status), Categories: splitList(o.category), Tags: splitList(o.tag)}
	for _, s := range filter.Statuses {
		if !kb.IsStatus(s) {
			return repo.Usagef("--status %q is not allowed; use one of: %s", s, strings.Join(kb.Statuses, ", "))
		}
	}
	r, err := a.open()
	if err != nil {
		return err
	}
	files, bad, err := r.Articles()
	if err != nil {
		return err
	}
	for _, e := range bad {
		fmt.Fprintf(a.err, "desk: skipped %v\n", e)
	}
	files = filter.Select(files)
	// The last commit of each file, in one walk of the history; an
	// article not committed yet has none.
	changes, err := r.LastChanges("kb")
	if err != nil {
		changes = nil
	}
	js := make([]ArticleJSON, len(files))
	for i, f := range files {
		js[i] = articleJSON(f)
		if c, ok := changes[f.Path]; ok {
			when := c.When.In(r.Config.Location)
			js[i].Updated = &when
		}
	}
	if o.json {
		return a.printJSON(js)
	}
	tw := a.table()
	fmt.Fprintln(tw, "SLUG\tSTATUS\tCATEGORY\tUPDATED\tTITLE")
	for _, j := range js {
		updated := "-"
		if j.Updated != nil {
			updated = j.Updated.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", j.Slug, orDash(j.Status), orDash(j.Category), updated, repo.OneLine(j.Title, 60))
	}
	return tw.Flush()
}

type kbShowOptions struct {
	slug string
	json bool
}

func (a *app) kbShowCmd() *cobra.Command {
	var o kbShowOptions
	cmd := &cobra.Command{
		Use:               "show SLUG",
		Short:             "Show an article: its front matter and body",
		Example:           "  desk kb show laptop-no-power\n  desk kb show laptop-no-power --json | jq .tickets",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeSlugs,
		RunE:              func(_ *cobra.Command, args []string) error { o.slug = args[0]; return a.kbShowRun(o) },
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func (a *app) kbShowRun(o kbShowOptions) error {
	r, err := a.open()
	if err != nil {
		return err
	}
	path, err := r.ArticlePath(o.slug)
	if err != nil {
		return err
	}
	f, err := r.ReadArticle(path)
	if err != nil {
		return err
	}
	if o.json {
		js := articleJSON(f)
		body := string(f.Doc.Body())
		js.Body = &body
		return a.printJSON(js)
	}
	a.kbShowText(r, f)
	return nil
}

func (a *app) kbShowText(r *repo.Repo, f *kb.File) {
	w := a.out
	art := &f.Article
	fmt.Fprintf(w, "%s  %s\n", f.Slug, art.Title)
	status := orDash(art.Status)
	if next := kb.Next(art.Status); len(next) > 0 {
		status += " (next: " + strings.Join(next, ", ") + ")"
	}
	fmt.Fprintf(w, "%-10s %s\n", "status:", status)
	for _, kv := range [][2]string{
		{"category", art.Category}, {"tags", strings.Join(art.Tags, ", ")}, {"owner", art.Owner},
		{"created", fmtTime(art.Created, r.Config.Location)}, {"review by", fmtDate(art.ReviewBy)},
		{"tickets", strings.Join(art.Tickets, ", ")}, {"source", art.Source}, {"summary", art.Summary},
	} {
		if kv[1] != "" {
			fmt.Fprintf(w, "%-10s %s\n", kv[0]+":", kv[1])
		}
	}
	fmt.Fprintf(w, "%-10s %s\n", "path:", f.Path)
	if body := strings.TrimSpace(string(f.Doc.Body())); body != "" {
		fmt.Fprintf(w, "\n%s\n", body)
	}
}

func fmtTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func fmtDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

type kbMoveOptions struct {
	slug, status string
}

func (a *app) kbMoveCmd() *cobra.Command {
	var o kbMoveOptions
	cmd := &cobra.Command{
		Use:   "move SLUG STATUS",
		Short: "Move an article along its lifecycle",
		Long: `Moves an article: draft → review → published → archived, and from review,
published or archived back to draft for a rewrite. Only the status line of the
file changes. Before review and publication the article must have a body and
hold no personal data (what the personal-data rule of desk check finds); a
move the lifecycle does not allow is refused with exit 1 and what it allows.`,
		Example: `  desk kb move printer-paper-jam review
  desk kb move printer-paper-jam published
  desk kb move printer-paper-jam draft      # back for a rewrite`,
		Args: cobra.ExactArgs(2),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, tc string) ([]string, cobra.ShellCompDirective) {
			switch len(args) {
			case 0:
				return a.completeSlugs(cmd, args, tc)
			case 1:
				if r, err := a.open(); err == nil {
					if p, err := r.ArticlePath(args[0]); err == nil {
						if f, err := r.ReadArticle(p); err == nil {
							return kb.Next(f.Article.Status), cobra.ShellCompDirectiveNoFileComp
						}
					}
				}
				return kb.Statuses, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			o.slug, o.status = args[0], args[1]
			return a.kbMoveRun(o)
		},
	}
	return cmd
}

func (a *app) kbMoveRun(o kbMoveOptions) error {
	r, err := a.open()
	if err != nil {
		return err
	}
	f, from, err := r.MoveArticle(a.ctx, o.slug, o.status)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.err, "%s: %s → %s\n", f.Slug, orDash(from), f.Article.Status)
	return nil
}

type kbFromTicketOptions struct {
	id   string
	o    repo.FromTicket
	at   string
	json bool
}

func (a *app) kbFromTicketCmd() *cobra.Command {
	var o kbFromTicketOptions
	cmd := &cobra.Command{
		Use:   "from-ticket ID [--slug S]",
		Short: "Draft an article from a resolved ticket, personal data left out",
		Long: `Drafts kb/<slug>.md from a resolved ticket (status in workflow.resolved, or a
final status reached after it): its title, category and tags, and its
description, analysis and resolution sections. The handling record, whose
entries are signed, stays in the ticket. The requester's name, department and
contact are replaced by placeholders ([requester], [department], [contact];
【报修人】, 【部门】, 【联系方式】 in Chinese) and other e-mail addresses, phone
numbers and ID numbers are masked. The ticket's kb list gets the slug, with a
link event; the article and the ticket change in one commit.

The slug is --slug, or made from the ticket's title, or else the ticket's ID
in lowercase. Prints the slug on standard output.`,
		Example: `  desk kb from-ticket TS-20261122-1
  desk kb from-ticket TS-20261117-1 --slug projector-no-signal
  desk kb from-ticket TS-20261122-1 --json | jq .path`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeResolved,
		RunE:              func(_ *cobra.Command, args []string) error { o.id = args[0]; return a.kbFromTicketRun(o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.o.Slug, "slug", "", "the file name kb/`SLUG`.md (default: from the ticket's title, else its ID)")
	fl.StringVar(&o.o.Owner, "owner", "", "who keeps the article up to date (default: your git identity)")
	fl.StringVar(&o.at, "at", "", "when it was drafted, if not now")
	fl.BoolVar(&o.json, "json", false, "print the new article as JSON")
	return cmd
}

func (a *app) kbFromTicketRun(o kbFromTicketOptions) error {
	r, act, err := a.openFor(o.id, o.at)
	if err != nil {
		return err
	}
	o.o.Masked = map[string]int{}
	art, t, err := r.ArticleFromTicket(a.ctx, o.id, o.o, act)
	if err != nil {
		return err
	}
	if o.json {
		return a.printJSON(articleJSON(art))
	}
	fmt.Fprintln(a.out, art.Slug)
	fmt.Fprintf(a.err, "Drafted %s from %s (kb = %s); read it, then: desk kb move %s review\n",
		art.Path, t.Ticket.ID, strings.Join(t.Ticket.KB, ", "), art.Slug)
	fmt.Fprintln(a.err, maskedLine(o.o.Masked))
	return nil
}

// maskedLine says what a draft had taken out, and what is left to a
// person: desk knows only the people who filed tickets.
func maskedLine(masked map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(masked)) {
		parts = append(parts, fmt.Sprintf("%d × %s", masked[k], k))
	}
	what := "nothing"
	if len(parts) > 0 {
		what = strings.Join(parts, ", ")
	}
	return "Personal data taken out: " + what + ". Still read it for people who never filed a ticket, and in images."
}
