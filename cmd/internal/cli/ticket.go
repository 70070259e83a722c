package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
	"github.com/deskhq/desk/ticket/sla"
)

func (a *app) ticketCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "ticket",
		Aliases: []string{"t"},
		Short:   "Create, change and list tickets",
		Long: `Tickets are files under tickets/YYYY/MM/<id>.md. Every command that changes one
appends an event to its log and makes exactly one commit with Desk-Ticket and
Desk-Action trailers.`,
	}
	cmd.AddCommand(a.ticketNewCmd(), a.ticketListCmd(), a.ticketShowCmd(), a.ticketTriageCmd(),
		a.ticketMoveCmd(), a.ticketAssignCmd(), a.ticketCommentCmd(), a.ticketReplyCmd(), a.ticketFeedbackCmd(),
		a.ticketSetCmd(), a.ticketEditCmd(), a.ticketLogCmd(), a.ticketRenumberCmd(), a.ticketLinkCmd(), a.ticketPartCmd())
	return cmd
}

// completeIDs offers the IDs of tickets for shell completion.
func (a *app) completeIDs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	r, err := a.open()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	recs, err := r.Records(a.ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var ids []string
	for _, rec := range recs {
		if rec.Err == nil && strings.HasPrefix(rec.Ticket.ID, toComplete) {
			ids = append(ids, rec.Ticket.ID+"\t"+rec.Ticket.Title)
		}
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// change runs one edit of one ticket and reports it.
func (a *app) change(id, at string, edit func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error)) error {
	r, act, err := a.openFor(id, at)
	if err != nil {
		return err
	}
	var summary string
	f, err := r.Change(a.ctx, id, func(f *ticket.File) (string, string, error) {
		s, action, err := edit(r, f, act)
		summary = s
		return s, action, err
	})
	if err != nil {
		return err
	}
	if f == nil {
		fmt.Fprintf(a.err, "%s: nothing to change\n", id)
		return nil
	}
	fmt.Fprintf(a.err, "%s: %s\n", id, summary)
	return nil
}

// readTicket checks a ticket ID argument, opens the repository and reads
// the ticket.
func (a *app) readTicket(id string) (*repo.Repo, *ticket.File, error) {
	if err := checkID(id); err != nil {
		return nil, nil, err
	}
	r, err := a.open()
	if err != nil {
		return nil, nil, err
	}
	path, _ := r.TicketPath(id)
	f, err := r.ReadTicket(path)
	return r, f, err
}

type newOptions struct {
	args       []string // [-]: "-" reads the description from standard input
	noFlags    bool     // no flag was given: on a terminal, the template in $EDITOR
	fieldFlags bool     // a flag giving a field of the ticket was given
	from       string   // a ticket written as the template, in a file
	n          repo.NewTicket
	descFile   string
	tags       []string
	at         string
	json       bool
}

func (a *app) ticketNewCmd() *cobra.Command {
	var o newOptions
	cmd := &cobra.Command{
		Use:   "new [-]",
		Short: "Register a ticket",
		Long: `Registers a ticket with the next free ID of the day (PREFIX-YYYYMMDD-N, in the
configured time zone) and commits it. The description comes from --description,
--description-file, or standard input with "-". Run with no flags on a terminal
to fill in a template in $EDITOR: a template saved unchanged registers nothing,
and one desk refuses (a required field left empty) is kept in
.git/desk/new-ticket.md, which the next desk ticket new opens again, or
--from registers. Prints the new ID on standard output.

With --category, templates/CATEGORY.md (when the repository has one) is the
ticket's body, the description under its description heading. An assignee
or a priority left out comes from the first [[routing]] rule of desk.toml
that matches the ticket (round-robin for a team); the create event's note
names the rule.`,
		Example: `  desk ticket new --title "Laptop does not power on" --requester "Zhang San" \
      --contact zhang.san@example.com --channel phone --org Finance \
      --description "Power LED stays off since this morning."
  echo "打印机卡纸，无法打印" | desk ticket new --title 打印机卡纸 --requester 李娜 \
      --contact 555-0101 --channel onsite -`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.args, o.noFlags = args, cmd.Flags().NFlag() == 0
			for _, f := range []string{"title", "requester", "contact", "org", "channel", "category", "priority", "reason", "assignee", "description", "description-file"} {
				o.fieldFlags = o.fieldFlags || cmd.Flags().Changed(f)
			}
			return a.ticketNewRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.n.Title, "title", "", "one-line summary of the problem")
	fl.StringVar(&o.n.Requester, "requester", "", "name of the person reporting it")
	fl.StringVar(&o.n.Contact, "contact", "", "how to reach the requester (e-mail or phone)")
	fl.StringVar(&o.n.Org, "org", "", "the requester's department or customer")
	fl.StringVar(&o.n.Channel, "channel", "", "how it was reported (see desk.toml [tickets] channels)")
	fl.StringVar(&o.n.Category, "category", "", "category, if already known")
	fl.StringVar(&o.n.Priority, "priority", "", "priority, if already known")
	fl.StringVar(&o.n.Reason, "reason", "", "why this priority")
	fl.StringVar(&o.n.Assignee, "assignee", "", "engineer who takes it")
	fl.StringVar(&o.n.Description, "description", "", "symptom, error message, when it happened, what triggered it, scope of impact")
	fl.StringVar(&o.descFile, "description-file", "", "read the description from `FILE` (- for standard input)")
	fl.StringSliceVar(&o.tags, "tag", nil, "tag (repeatable or comma-separated)")
	fl.StringVar(&o.at, "at", "", "registration time, if not now (e.g. \"2026-11-22 09:14\")")
	fl.BoolVar(&o.json, "json", false, "print the new ticket as JSON")
	fl.StringVar(&o.from, "from", "", "register the ticket written in `FILE` as the $EDITOR template is (a refused one is kept in .git/desk/new-ticket.md)")
	a.completeConfig(cmd, "channel", func(c *config.Config) []string { return c.Tickets.Channels })
	a.completeConfig(cmd, "category", func(c *config.Config) []string { return c.Tickets.Categories })
	a.completeConfig(cmd, "priority", func(c *config.Config) []string { return c.Priorities() })
	return cmd
}

func (a *app) ticketNewRun(o newOptions) error {
	if err := dashOnly(o.args, "use - to read the description from standard input"); err != nil {
		return err
	}
	r, err := a.open()
	if err != nil {
		return err
	}
	// text is a ticket written as the template, from --from or $EDITOR;
	// draft is where it is kept when it is refused.
	var text []byte
	draft := ""
	switch {
	case o.from != "":
		if o.fieldFlags {
			return repo.Usagef("--from %s holds the whole ticket: give it without --title, --requester, --description or the other fields", o.from)
		}
		if text, err = os.ReadFile(a.path(o.from)); err != nil {
			return err
		}
		if o.n, err = parseTemplate(r, text); err != nil {
			return err
		}
		if abs, _ := filepath.Abs(a.path(o.from)); abs == a.draftPath(r) {
			draft = abs
		}
	case len(o.args) == 1 || o.descFile == "-":
		b, err := io.ReadAll(io.LimitReader(a.in, repo.MaxTicketSize))
		if err != nil {
			return err
		}
		o.n.Description = string(b)
	case o.descFile != "":
		b, err := os.ReadFile(a.path(o.descFile))
		if err != nil {
			return err
		}
		o.n.Description = string(b)
	case o.noFlags && a.terminal(a.in) && a.terminal(a.out):
		draft = a.draftPath(r)
		if text, err = a.fillTemplate(r, &o.n, draft); err != nil {
			return err
		}
	}
	o.n.Tags = splitList(o.tags)
	act, err := a.actor(r, o.at)
	if err != nil {
		return err
	}
	f, err := r.CreateTicket(a.ctx, o.n, act)
	if err != nil {
		if draft != "" && o.from == "" {
			return a.keepDraft(r, text, err)
		}
		return err
	}
	if draft != "" {
		os.Remove(draft) // registered: nothing left to resume
	}
	if o.json {
		return a.printJSON(ticketJSON(r.Config, r.RecordOf(f), a.now()))
	}
	fmt.Fprintln(a.out, f.Ticket.ID)
	fmt.Fprintf(a.err, "Created %s (%s)\n", f.Ticket.ID, f.Path)
	return nil
}

// completeConfig completes a flag from a list in desk.toml.
func (a *app) completeConfig(cmd *cobra.Command, flag string, list func(*config.Config) []string) {
	cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		r, err := a.open()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return list(r.Config), cobra.ShellCompDirectiveNoFileComp
	})
}

// draftPath is where a ticket written in $EDITOR is kept when desk
// refuses it, as git keeps a commit message: .git/desk/new-ticket.md.
func (a *app) draftPath(r *repo.Repo) string {
	return filepath.Join(r.StateDir(), "new-ticket.md")
}

// fillTemplate lets the user write a new ticket in $EDITOR: the template,
// or the draft a refused attempt left in draft. It returns what was
// written. A template saved unchanged registers nothing, and says so; text
// that cannot be read as a ticket is kept in draft.
func (a *app) fillTemplate(r *repo.Repo, n *repo.NewTicket, draft string) ([]byte, error) {
	c := r.Config
	start := []byte(fmt.Sprintf(`+++
# New ticket: fill in the values, save and quit. An empty title cancels.
title = ""
channel = ""          # %s
category = ""         # optional: %s
priority = ""         # optional: %s
priority_reason = ""
assignee = ""

[requester]
name = ""
org = ""              # department or customer
contact = ""          # e-mail or phone
+++

## %s

<!-- Symptom, error message, when it happened, what triggered it, scope of impact. -->
`, strings.Join(c.Tickets.Channels, ", "), strings.Join(c.Tickets.Categories, ", "), strings.Join(c.Priorities(), ", "), c.Heading("description")))
	resumed := false
	if saved, err := os.ReadFile(draft); err == nil && len(saved) > 0 {
		start, resumed = saved, true
		fmt.Fprintf(a.err, "desk: resuming the ticket you began, kept in %s\n", a.rel(draft))
	}
	data, err := a.editText("new-ticket-*.md", start)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(data, start) {
		if resumed {
			return nil, &repo.RefusedError{Msg: fmt.Sprintf("the ticket was left unchanged; nothing was registered (it stays in %s; delete it to start afresh)", a.rel(draft))}
		}
		return nil, &repo.RefusedError{Msg: "the template was left unchanged; nothing was registered"}
	}
	if *n, err = parseTemplate(r, data); err != nil {
		return nil, a.keepDraft(r, data, err)
	}
	return data, nil
}

// parseTemplate reads a new ticket written as the template of fillTemplate.
func parseTemplate(r *repo.Repo, data []byte) (repo.NewTicket, error) {
	doc, err := front.Parse(data)
	if err != nil {
		return repo.NewTicket{}, &repo.RefusedError{Msg: "the ticket you wrote does not parse: " + err.Error()}
	}
	var form struct {
		Title, Channel, Category, Priority, Assignee string
		PriorityReason                               string `toml:"priority_reason"`
		Requester                                    ticket.Requester
	}
	if _, err := doc.Decode(&form); err != nil {
		return repo.NewTicket{}, &repo.RefusedError{Msg: "the ticket you wrote does not parse: " + err.Error()}
	}
	if strings.TrimSpace(form.Title) == "" {
		return repo.NewTicket{}, &repo.RefusedError{Msg: "the ticket has no title; nothing was registered"}
	}
	desc, _ := doc.SectionText(r.Config.Heading("description"))
	if ticket.SectionEmpty(desc) {
		desc = ""
	}
	return repo.NewTicket{Title: form.Title, Channel: form.Channel, Category: form.Category, Priority: form.Priority,
		Reason: form.PriorityReason, Assignee: form.Assignee, Requester: form.Requester.Name,
		Org: form.Requester.Org, Contact: form.Requester.Contact, Description: desc}, nil
}

// keepDraft saves a refused new ticket written in $EDITOR where the next
// desk ticket new picks it up, and adds to err where it is and how to
// resume, or, when it could not be saved, why not.
func (a *app) keepDraft(r *repo.Repo, data []byte, err error) error {
	path := a.draftPath(r)
	ferr := os.MkdirAll(filepath.Dir(path), 0o755)
	if ferr == nil {
		ferr = os.WriteFile(path, data, 0o600)
	}
	if ferr != nil {
		return fmt.Errorf("%w (your text could not be saved: %v)", err, ferr)
	}
	return fmt.Errorf("%w (your text is saved in %s: desk ticket new opens it again, or run desk ticket new --from %s)", err, a.rel(path), a.rel(path))
}

// rel is path relative to the working folder when it is inside it.
func (a *app) rel(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(path)
}

// editText opens data in $VISUAL or $EDITOR and returns what was saved.
func (a *app) editText(pattern string, data []byte) ([]byte, error) {
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	c := exec.Command("sh", "-c", editor+` "$1"`, "sh", f.Name())
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := c.Run(); err != nil {
		return nil, fmt.Errorf("editor %q: %w", editor, err)
	}
	return os.ReadFile(f.Name())
}

func (a *app) printJSON(v any) error {
	buf := bufio.NewWriterSize(a.out, 64<<10)
	enc := json.NewEncoder(buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return buf.Flush()
}

type listOptions struct {
	status, priority, category []string
	assignee                   string
	open, atRisk, breached     bool
	since, sort                string
	limit                      int
	json                       bool
}

func (a *app) ticketListCmd() *cobra.Command {
	var o listOptions
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List tickets",
		Example: `  desk ticket list --open
  desk ticket list --status new,triaged --priority high
  desk ticket list --breached --json
  desk ticket list --since 2026-11-01 --sort due --limit 20`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.list(o) },
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&o.status, "status", nil, "only these statuses (comma-separated)")
	fl.BoolVar(&o.open, "open", false, "only open tickets (not resolved, closed or archived)")
	fl.StringSliceVar(&o.priority, "priority", nil, "only these priorities")
	fl.StringSliceVar(&o.category, "category", nil, "only these categories")
	fl.StringVar(&o.assignee, "assignee", "", "only tickets assigned to `USER` (\"\" or none for unassigned)")
	fl.BoolVar(&o.atRisk, "at-risk", false, "only open tickets past sla.at_risk of a target")
	fl.BoolVar(&o.breached, "breached", false, "only tickets that missed a target")
	fl.StringVar(&o.since, "since", "", "only tickets created on or after `DATE`")
	fl.StringVar(&o.sort, "sort", "created", "order: created (newest first) or due (soonest first)")
	fl.IntVar(&o.limit, "limit", 0, "show at most `N` tickets (0: all)")
	fl.BoolVar(&o.json, "json", false, "print JSON")
	a.completeConfig(cmd, "status", func(c *config.Config) []string { return c.Workflow.Statuses })
	a.completeConfig(cmd, "priority", func(c *config.Config) []string { return c.Priorities() })
	a.completeConfig(cmd, "category", func(c *config.Config) []string { return c.Tickets.Categories })
	cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions([]string{"created", "due"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) list(o listOptions) error {
	r, err := a.open()
	if err != nil {
		return err
	}
	c := r.Config
	f := repo.Selection{
		Statuses: splitList(o.status), Priorities: splitList(o.priority), Categories: splitList(o.category),
		Assignee: o.assignee, Open: o.open, AtRisk: o.atRisk, Breached: o.breached, Sort: o.sort,
		Clocks: !o.json,
	}
	if err := f.Check(c); err != nil {
		return err
	}
	if o.limit < 0 {
		return repo.Usagef("--limit %d: want 0 (all) or more", o.limit)
	}
	if o.since != "" {
		if f.Since, err = ticket.ParseTime(o.since, c.Location); err != nil {
			return repo.Usagef("--since: %v", err)
		}
	}
	now := a.now()
	out, skipped, err := r.List(a.ctx, f, now)
	if err != nil {
		return err
	}
	a.skipped(skipped)
	total := len(out)
	if o.limit > 0 && len(out) > o.limit {
		out = out[:o.limit]
	}
	if o.json {
		js := make([]TicketJSON, len(out))
		for i, l := range out {
			js[i] = ticketJSON(c, l.Record, now)
		}
		return a.printJSON(js)
	}
	if err := a.printTable(r, out, now); err != nil {
		return err
	}
	if total > len(out) {
		fmt.Fprintf(a.err, "%d of %d tickets shown (--limit %d)\n", len(out), total, o.limit)
	}
	return nil
}

// skipped says which records a listing left out.
func (a *app) skipped(errs []error) {
	for _, err := range errs {
		fmt.Fprintf(a.err, "desk: skipped %v\n", err)
	}
}

// slaWord summarises both clocks in one word for a table.
func slaWord(res sla.Result, open bool) string {
	worst := ""
	rank := map[sla.State]int{sla.StateMet: 1, sla.StateRunning: 2, sla.StatePaused: 3, sla.StateAtRisk: 4, sla.StateBreached: 5}
	for _, k := range res.All() {
		if rank[k.State] > rank[sla.State(worst)] {
			worst = string(k.State)
		}
	}
	if worst == "" {
		return "-"
	}
	return worst
}

func (a *app) printTable(r *repo.Repo, rows []repo.Listed, now time.Time) error {
	tw := a.table()
	paint := a.columnPainter(a.out)
	fmt.Fprintln(tw, "ID\tSTATUS\tPRIORITY\tASSIGNEE\t"+paint("SLA")+"\tDUE\tTITLE")
	for _, l := range rows {
		t := &l.Record.Ticket
		due := "-"
		if !l.Due.IsZero() {
			due = l.Due.In(r.Config.Location).Format("01-02 15:04")
		}
		word := slaWord(l.SLA, r.Config.Open(t.Status))
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Status, orDash(t.Priority), orDash(t.Assignee),
			paint(word), due, repo.OneLine(t.Title, 60))
	}
	return tw.Flush()
}

// tableWriter aligns columns into a buffer: one write for the whole table.
type tableWriter struct {
	*tabwriter.Writer
	buf *bufio.Writer
}

func (a *app) table() *tableWriter {
	buf := bufio.NewWriterSize(a.out, 64<<10)
	return &tableWriter{Writer: tabwriter.NewWriter(buf, 0, 4, 2, ' ', 0), buf: buf}
}

func (t *tableWriter) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	return t.buf.Flush()
}

// painter colours SLA states on a terminal.
func (a *app) painter(w io.Writer) func(string) string {
	if !a.color(w) {
		return func(s string) string { return s }
	}
	return func(s string) string {
		switch sla.State(s) {
		case sla.StateBreached:
			return "\x1b[31m" + s + "\x1b[0m"
		case sla.StateAtRisk:
			return "\x1b[33m" + s + "\x1b[0m"
		case sla.StateMet:
			return "\x1b[32m" + s + "\x1b[0m"
		}
		return s
	}
}

// columnPainter is painter for a column of a table. tabwriter counts the
// bytes of an escape as width, so on a terminal every cell of the column, its
// heading too, gets escapes of the same length: the columns after it stay
// aligned.
func (a *app) columnPainter(w io.Writer) func(string) string {
	paint := a.painter(w)
	if !a.color(w) {
		return paint
	}
	return func(s string) string {
		if p := paint(s); p != s {
			return p
		}
		return "\x1b[39m" + s + "\x1b[0m" // the default colour: as long as the others
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type showOptions struct {
	id   string
	json bool
}

func (a *app) ticketShowCmd() *cobra.Command {
	var o showOptions
	cmd := &cobra.Command{
		Use:               "show ID",
		Short:             "Show a ticket with its SLA clocks and log",
		Example:           "  desk ticket show TS-20261122-1\n  desk ticket show TS-20261122-1 --json | jq .sla",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeIDs,
		RunE:              func(_ *cobra.Command, args []string) error { o.id = args[0]; return a.ticketShowRun(o) },
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func (a *app) ticketShowRun(o showOptions) error {
	r, f, err := a.readTicket(o.id)
	if err != nil {
		return err
	}
	rec := r.RecordOf(f)
	if rec.Err != nil {
		return rec.Err
	}
	now := a.now()
	if o.json {
		js := ticketJSON(r.Config, rec, now)
		body := string(f.Doc.Body())
		js.Body = &body
		return a.printJSON(js)
	}
	a.showText(r, f, rec, now)
	return nil
}

func (a *app) showText(r *repo.Repo, f *ticket.File, rec *records.Record, now time.Time) {
	c := r.Config
	t := &f.Ticket
	loc := c.Location
	w := a.out
	tf := func(x time.Time) string { return x.In(loc).Format("2006-01-02 15:04") }
	fmt.Fprintf(w, "%s  %s\n", t.ID, t.Title)
	fmt.Fprintf(w, "status:    %s\n", t.Status)
	if t.Priority != "" {
		fmt.Fprintf(w, "priority:  %s", t.Priority)
		if t.PriorityReason != "" {
			fmt.Fprintf(w, " (%s)", t.PriorityReason)
		}
		fmt.Fprintln(w)
	}
	for _, kv := range [][2]string{{"category", t.Category}, {"channel", t.Channel}, {"assignee", t.Assignee}, {"lead", t.Lead}} {
		if kv[1] != "" {
			fmt.Fprintf(w, "%-10s %s\n", kv[0]+":", kv[1])
		}
	}
	fmt.Fprintf(w, "created:   %s\n", tf(t.Created))
	if t.Due != nil {
		fmt.Fprintf(w, "due:       %s\n", tf(*t.Due))
	}
	req := t.Requester.Name
	if t.Requester.Org != "" {
		req += " (" + t.Requester.Org + ")"
	}
	if t.Requester.Contact != "" {
		req += " <" + t.Requester.Contact + ">"
	}
	fmt.Fprintf(w, "requester: %s\n", req)
	if t.Major {
		fmt.Fprintln(w, "major:     yes")
	}
	if len(t.Tags) > 0 {
		fmt.Fprintf(w, "tags:      %s\n", strings.Join(t.Tags, ", "))
	}
	if len(t.KB) > 0 {
		fmt.Fprintf(w, "kb:        %s\n", strings.Join(t.KB, ", "))
	}
	showLinks(w, t)
	for _, p := range t.Parts {
		fmt.Fprintf(w, "part:      %s × %d\n", p.Name, p.Qty)
	}
	if fb := t.Feedback; fb != nil && fb.Rating != "" {
		fmt.Fprintf(w, "feedback:  %s, confirmed by %s", fb.Rating, fb.ConfirmedBy)
		if fb.ConfirmedAt != nil {
			fmt.Fprintf(w, " at %s", tf(*fb.ConfirmedAt))
		}
		fmt.Fprintln(w)
	}
	res := c.Clocks(t, now)
	paint := a.painter(w)
	for name, k := range res.All() {
		fmt.Fprintf(w, "sla %-7s %s, %s of %s, due %s", name+":", paint(string(k.State)),
			sla.FormatElapsed(k.Elapsed, k.Target.Unit), k.Target, tf(k.Due))
		if name == "update" && k.At == nil {
			fmt.Fprintf(w, ", since %s", tf(k.Since))
		}
		if k.At != nil {
			fmt.Fprintf(w, ", stopped %s", tf(*k.At))
		}
		fmt.Fprintln(w)
	}
	if t.SLA.BreachReason != "" {
		fmt.Fprintf(w, "breach reason: %s\n", t.SLA.BreachReason)
	}
	fmt.Fprintln(w, "\nlog:")
	for _, e := range t.Events {
		what := e.Action
		switch {
		case e.From != "" && e.To != "":
			what += " " + e.From + " → " + e.To
		case e.To != "":
			what += " → " + e.To
		}
		if e.Field != "" {
			what += " " + e.Field + "=" + e.Value
		}
		if e.Note != "" {
			what += ": " + repo.OneLine(e.Note, 100)
		}
		fmt.Fprintf(w, "  %s  %-24s %s\n", tf(e.At), e.By, what)
	}
	body := strings.TrimSpace(string(f.Doc.Body()))
	if body != "" {
		fmt.Fprintf(w, "\n%s\n", body)
	}
}

type triageOptions struct {
	targets
	at string
	in repo.TriageInput
}

func (a *app) ticketTriageCmd() *cobra.Command {
	var o triageOptions
	cmd := &cobra.Command{
		Use:   "triage ID... | --query Q",
		Short: "Classify tickets and move them to triaged",
		Long: `Sets the category, the priority and the reason for it (and the assignee), and
moves the ticket to triaged: one event, one commit.

An assignee or a priority left out comes from the first [[routing]] rule of
desk.toml that matches the ticket (round-robin for a team); the event's note
names the rule.
` + querySyntax,
		Example: `  desk ticket triage TS-20261122-1 --category hardware --priority high --reason "finance blocked" --assignee li.si
  desk ticket triage TS-20261122-1 --category hardware     # priority and assignee from [[routing]]
  desk ticket triage --query 'status:new category:hardware' --category hardware --priority low --reason "one user" --dry-run`,
		ValidArgsFunction: a.completeIDs,
		RunE: func(_ *cobra.Command, args []string) error {
			if rest, err := o.splitIDs(args); err != nil {
				return err
			} else if len(rest) > 0 {
				return repo.Usagef("unexpected argument %q: triage takes ticket IDs and flags", rest[0])
			}
			return a.ticketTriageRun(o)
		},
	}
	o.bulkFlags(cmd)
	fl := cmd.Flags()
	fl.StringVar(&o.in.Category, "category", "", "category (see desk.toml [tickets] categories)")
	fl.StringVar(&o.in.Priority, "priority", "", "priority (see desk.toml [[sla.priority]])")
	fl.StringVar(&o.in.Reason, "reason", "", "why this priority")
	fl.StringVar(&o.in.Assignee, "assignee", "", "engineer who takes it")
	fl.StringVar(&o.at, "at", "", "when it happened, if not now")
	a.completeConfig(cmd, "category", func(c *config.Config) []string { return c.Tickets.Categories })
	a.completeConfig(cmd, "priority", func(c *config.Config) []string { return c.Priorities() })
	return cmd
}

func (a *app) ticketTriageRun(o triageOptions) error {
	what := "(" + strings.Join(slices.DeleteFunc([]string{o.in.Category, o.in.Priority}, func(s string) bool { return s == "" }), ", ") + ")"
	subject := func(n int) string { return fmt.Sprintf("%d tickets → triaged %s", n, what) }
	return a.changeEach(o.targets, o.at, subject, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		from := f.Ticket.Status
		if err := r.Triage(a.ctx, f, o.in, act); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("%s → triaged (%s, %s)", from, f.Ticket.Category, f.Ticket.Priority), "transition", nil
	})
}

type moveOptions struct {
	targets
	status               string
	note, resolution, at string
}

func (a *app) ticketMoveCmd() *cobra.Command {
	var o moveOptions
	cmd := &cobra.Command{
		Use:   "move ID... STATUS | --query Q STATUS",
		Short: "Move tickets to another status",
		Long: `Moves a ticket along [workflow.transitions]. A move the workflow does not allow,
or one to a status whose [required] fields are missing (closing without the
requester's feedback, resolving without a resolution), is refused with exit 1
and nothing is written. resolved → in_progress reopens a ticket. Resolving or
closing a duplicate (desk ticket link --duplicate-of) says so in the log.
` + querySyntax,
		Example: `  desk ticket move TS-20261122-1 in_progress --note "on site at 10:00"
  desk ticket move TS-20261122-1 resolved --resolution "Battery replaced; powers on."
  desk ticket move TS-20261122-1 closed --at "2026-11-22 17:30"
  desk ticket move TS-20261122-1 TS-20261122-2 in_progress
  desk ticket move --query 'status:triaged assignee:li.si' in_progress --dry-run`,
		ValidArgsFunction: a.completeMove,
		RunE: func(_ *cobra.Command, args []string) error {
			var err error
			if o.status, err = o.splitOne(args, "move takes the tickets, then one STATUS"); err != nil {
				return err
			}
			return a.ticketMoveRun(o)
		},
	}
	o.bulkFlags(cmd)
	cmd.Flags().StringVar(&o.note, "note", "", "what was done or why")
	cmd.Flags().StringVar(&o.resolution, "resolution", "", "write the result into the resolution section (for resolved)")
	cmd.Flags().StringVar(&o.at, "at", "", "when it happened, if not now")
	return cmd
}

// completeMove completes the tickets of ticket move, then the statuses the
// workflow allows from the status of every ticket named so far.
func (a *app) completeMove(cmd *cobra.Command, args []string, tc string) ([]string, cobra.ShellCompDirective) {
	r, err := a.open()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	if len(args) == 0 || strings.HasPrefix(tc, r.Config.Desk.IDPrefix+"-") {
		return a.completeIDs(cmd, nil, tc)
	}
	if !isID(args[len(args)-1]) {
		return nil, cobra.ShellCompDirectiveNoFileComp // the status is there
	}
	var next []string
	for i, id := range args {
		path, err := r.TicketPath(id)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		f, err := r.ReadTicket(path)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		allowed := r.Config.Workflow.Transitions[f.Ticket.Status]
		if i == 0 {
			next = slices.Clone(allowed)
		} else {
			next = slices.DeleteFunc(next, func(s string) bool { return !slices.Contains(allowed, s) })
		}
	}
	return next, cobra.ShellCompDirectiveNoFileComp
}

func (a *app) ticketMoveRun(o moveOptions) error {
	subject := func(n int) string { return fmt.Sprintf("%d tickets → %s", n, o.status) }
	return a.changeEach(o.targets, o.at, subject, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		from := f.Ticket.Status
		if o.resolution != "" {
			if err := r.WriteSection(f, "resolution", o.resolution, act); err != nil {
				return "", "", err
			}
		}
		if err := r.Transition(f, o.status, o.note, act); err != nil {
			return "", "", err
		}
		summary := from + " → " + o.status
		if dup := r.DuplicateNote(&f.Ticket, o.status); dup != "" {
			summary += " (" + dup + ")"
		}
		return summary, "transition", nil
	})
}

type assignOptions struct {
	targets
	user, at string
}

func (a *app) ticketAssignCmd() *cobra.Command {
	var o assignOptions
	cmd := &cobra.Command{
		Use:   "assign ID... USER | --query Q USER",
		Short: "Hand tickets to an engineer",
		Long:  "Sets the assignee, with an assign event.\n" + querySyntax,
		Example: `  desk ticket assign TS-20261122-1 li.si
  desk ticket assign --query 'status:new assignee:none category:hardware' li.si`,
		ValidArgsFunction: a.completeIDs,
		RunE: func(_ *cobra.Command, args []string) error {
			var err error
			if o.user, err = o.splitOne(args, "assign takes the tickets, then one USER"); err != nil {
				return err
			}
			return a.ticketAssignRun(o)
		},
	}
	o.bulkFlags(cmd)
	cmd.Flags().StringVar(&o.at, "at", "", "when it happened, if not now")
	return cmd
}

func (a *app) ticketAssignRun(o assignOptions) error {
	subject := func(n int) string { return fmt.Sprintf("%d tickets assigned to %s", n, o.user) }
	return a.changeEach(o.targets, o.at, subject, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		if err := r.Assign(f, o.user, act); err != nil {
			return "", "", err
		}
		return "assigned to " + o.user, "assign", nil
	})
}

type commentOptions struct {
	id, text    string // text "-": from standard input
	section, at string
}

func (a *app) ticketCommentCmd() *cobra.Command {
	var o commentOptions
	cmd := &cobra.Command{
		Use:   "comment ID TEXT",
		Short: "Record an internal note: a step, a finding or a message in a ticket's log",
		Long: `Records a comment event: an internal note that the requester does not see
(desk ticket reply records what they do see). With --section, the text also
goes into that body section.`,
		Example: `  desk ticket comment TS-20261122-1 "Replaced the battery; powers on." --section handling
  desk ticket comment TS-20261122-1 "Battery deep discharge after a long holiday." --section analysis
  desk ticket comment TS-20261122-1 - < notes.txt`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: a.completeIDs,
		RunE: func(_ *cobra.Command, args []string) error {
			o.id, o.text = args[0], args[1]
			return a.ticketCommentRun(o)
		},
	}
	cmd.Flags().StringVar(&o.at, "at", "", "when it happened, if not now")
	cmd.Flags().StringVar(&o.section, "section", "", "also add the text to this body section: description, analysis, handling (as a dated entry), resolution or postmortem")
	cmd.RegisterFlagCompletionFunc("section", cobra.FixedCompletions([]string{"description", "analysis", "handling", "resolution", "postmortem"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) ticketCommentRun(o commentOptions) error {
	text, err := a.argText(o.text)
	if err != nil {
		return err
	}
	return a.change(o.id, o.at, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		if err := r.Comment(f, text, act); err != nil {
			return "", "", err
		}
		if o.section != "" {
			if err := r.WriteSection(f, o.section, text, act); err != nil {
				return "", "", err
			}
		}
		return "comment: " + repo.OneLine(text, 50), "comment", nil
	})
}

type feedbackOptions struct {
	id, at string
	in     repo.FeedbackInput
}

func (a *app) ticketFeedbackCmd() *cobra.Command {
	var o feedbackOptions
	cmd := &cobra.Command{
		Use:   "feedback ID",
		Short: "Record the requester's confirmation and satisfaction",
		Long: `Records in [feedback] the requester's rating (satisfied, basically_satisfied or
unsatisfied), who confirmed and when. A ticket cannot be closed without it.`,
		Example:           `  desk ticket feedback TS-20261122-1 --rating satisfied --confirmed-by "Zhang San" --via phone`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeIDs,
		RunE:              func(_ *cobra.Command, args []string) error { o.id = args[0]; return a.ticketFeedbackRun(o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.in.Rating, "rating", "", "satisfied, basically_satisfied or unsatisfied")
	fl.StringVar(&o.in.ConfirmedBy, "confirmed-by", "", "who confirmed the result")
	fl.StringVar(&o.in.Via, "via", "", "how they confirmed (a channel)")
	fl.StringVar(&o.in.Comment, "comment", "", "what they said")
	fl.StringVar(&o.at, "at", "", "when they confirmed, if not now")
	cmd.RegisterFlagCompletionFunc("rating", cobra.FixedCompletions(ticket.Ratings, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) ticketFeedbackRun(o feedbackOptions) error {
	return a.change(o.id, o.at, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		if err := r.Feedback(f, o.in, act); err != nil {
			return "", "", err
		}
		return "feedback: " + o.in.Rating, "feedback", nil
	})
}

type setOptions struct {
	targets
	pairs []string // KEY=VALUE
	at    string
}

func (a *app) ticketSetCmd() *cobra.Command {
	var o setOptions
	cmd := &cobra.Command{
		Use:   "set ID... KEY=VALUE... | --query Q KEY=VALUE...",
		Short: "Change fields of tickets",
		Long: "Changes front-matter keys, recording an update event for each, in one commit.\n" +
			"An empty value removes the key. Lists (tags, kb) are comma-separated.\nKeys: " +
			strings.Join(repo.SettableKeys(), ", ") + "\n" + querySyntax,
		Example: `  desk ticket set TS-20261122-1 priority=medium tags=laptop,power
  desk ticket set TS-20261122-1 sla.breach_reason="Waiting for a spare part from the vendor"
  desk ticket set TS-20261122-1 major=true lead=wang.wu
  desk ticket set --query 'category:hardware is:open' tags=laptop`,
		ValidArgsFunction: a.completeIDs,
		RunE: func(_ *cobra.Command, args []string) error {
			rest, err := o.splitIDs(args)
			if err != nil {
				return err
			}
			if len(rest) == 0 {
				return repo.Usagef("set takes the tickets, then KEY=VALUE pairs")
			}
			o.pairs = rest
			return a.ticketSetRun(o)
		},
	}
	o.bulkFlags(cmd)
	cmd.Flags().StringVar(&o.at, "at", "", "when it happened, if not now")
	return cmd
}

func (a *app) ticketSetRun(o setOptions) error {
	var pairs [][2]string
	var keys []string
	for _, kv := range o.pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return repo.Usagef("%q: want KEY=VALUE", kv)
		}
		pairs = append(pairs, [2]string{strings.TrimSpace(k), v})
		keys = append(keys, strings.TrimSpace(k))
	}
	what := "set " + strings.Join(keys, ", ")
	subject := func(n int) string { return fmt.Sprintf("%d tickets: %s", n, what) }
	return a.changeEach(o.targets, o.at, subject, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		if err := r.Set(f, pairs, act); err != nil {
			return "", "", err
		}
		return what, "update", nil
	})
}

type editOptions struct {
	id, at string
}

func (a *app) ticketEditCmd() *cobra.Command {
	var o editOptions
	cmd := &cobra.Command{
		Use:   "edit ID",
		Short: "Edit a ticket in $EDITOR and commit it",
		Long: `Opens the ticket file in $VISUAL or $EDITOR. When you save, desk refuses a file
that does not parse or that changes the event log (the log only grows) and
otherwise commits it with an update event naming what changed.`,
		Example:           "  EDITOR=nano desk ticket edit TS-20261122-1",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeIDs,
		RunE:              func(_ *cobra.Command, args []string) error { o.id = args[0]; return a.ticketEditRun(o) },
	}
	cmd.Flags().StringVar(&o.at, "at", "", "when it happened, if not now")
	return cmd
}

func (a *app) ticketEditRun(o editOptions) error {
	_, orig, err := a.readTicket(o.id)
	if err != nil {
		return err
	}
	before := orig.Doc.Bytes()
	edited, err := a.editText(o.id+"-*.md", before)
	if err != nil {
		return err
	}
	if bytes.Equal(edited, before) {
		fmt.Fprintf(a.err, "%s: no change\n", o.id)
		return nil
	}
	return a.change(o.id, o.at, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		changed, err := r.ApplyEdit(f, before, edited, act)
		if err != nil {
			return "", "", a.keep(edited, err)
		}
		return "edited " + strings.Join(changed, ", "), "update", nil
	})
}

// keep saves a refused edit so the user's work is not lost, and adds to err
// where it is, or, when it could not be saved, why not.
func (a *app) keep(data []byte, err error) error {
	f, ferr := os.CreateTemp("", "desk-edit-*.md")
	if ferr == nil {
		_, ferr = f.Write(data)
		if cerr := f.Close(); ferr == nil {
			ferr = cerr
		}
		if ferr == nil {
			return fmt.Errorf("%w (your version is saved in %s)", err, filepath.ToSlash(f.Name()))
		}
		os.Remove(f.Name())
	}
	return fmt.Errorf("%w (your version could not be saved: %v)", err, ferr)
}

type logOptions struct {
	id   string
	json bool
}

func (a *app) ticketLogCmd() *cobra.Command {
	var o logOptions
	cmd := &cobra.Command{
		Use:               "log ID",
		Short:             "List the commits that changed a ticket",
		Example:           "  desk ticket log TS-20261122-1",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeIDs,
		RunE:              func(_ *cobra.Command, args []string) error { o.id = args[0]; return a.ticketLogRun(o) },
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func (a *app) ticketLogRun(o logOptions) error {
	if err := checkID(o.id); err != nil {
		return err
	}
	r, err := a.open()
	if err != nil {
		return err
	}
	commits, err := r.TicketHistory(o.id)
	if err != nil {
		return err
	}
	if o.json {
		return a.printJSON(commits)
	}
	bw := bufio.NewWriter(a.out)
	defer bw.Flush()
	for _, c := range commits {
		fmt.Fprintf(bw, "%s %s %-24s %s\n", c.Hash[:10], c.When.In(r.Config.Location).Format("2006-01-02 15:04"), c.Author, c.Subject)
	}
	return nil
}

func (a *app) slaCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sla",
		Short: "List open tickets, soonest breach first",
		Long: `Lists the open tickets with a running clock, ordered by the due time of the
clock that runs out first; breached tickets come first. CLOCK names that
clock: respond, resolve, or update (the time since the last public reply,
where desk.toml sets an update target).`,
		Example: "  desk sla\n  desk -C examples/helpdesk sla --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := a.open()
			if err != nil {
				return err
			}
			c := r.Config
			now := a.now()
			rows, skipped, err := r.Queue(a.ctx, now)
			if err != nil {
				return err
			}
			a.skipped(skipped)
			if asJSON {
				js := make([]TicketJSON, len(rows))
				for i, l := range rows {
					js[i] = ticketJSON(c, l.Record, now)
				}
				return a.printJSON(js)
			}
			tw := a.table()
			paint := a.columnPainter(a.out)
			fmt.Fprintln(tw, "ID\tSTATUS\tPRIORITY\tCLOCK\t"+paint("STATE")+"\tDUE\tLEFT\tTITLE")
			for _, l := range rows {
				t := &l.Record.Ticket
				name, k := repo.FirstDue(l.SLA)
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Status, orDash(t.Priority), name,
					paint(string(k.State)), k.Due.In(c.Location).Format("01-02 15:04"), left(k), repo.OneLine(t.Title, 50))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// left renders the time a clock has left, negative when past: business time
// for a business target ("19bh", "-2bh30m"), else wall time.
func left(k *sla.Clock) string {
	if k.Target.Business() {
		return sla.FormatElapsed(k.Left, k.Target.Unit)
	}
	return wallLeft(k.Left)
}

func wallLeft(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	d = d.Round(time.Minute)
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	switch {
	case h >= 48:
		return fmt.Sprintf("%s%dd%dh", sign, h/24, h%24)
	case h > 0:
		return fmt.Sprintf("%s%dh%02dm", sign, h, m)
	}
	return fmt.Sprintf("%s%dm", sign, m)
}
