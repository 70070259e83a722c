package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/intake"
)

type intakeOptions struct {
	sources      []string
	form         string
	dryRun, each bool
	asJSON       bool
}

func (a *app) intakeCmd() *cobra.Command {
	var o intakeOptions
	cmd := &cobra.Command{
		Use:   "intake [PATH... | imaps://HOST/MAILBOX | -] [--form FILE|-]",
		Short: "Turn e-mail (or a form) into tickets",
		Long: `Reads e-mail and turns it into tickets. PATH is a .eml file, a Maildir (a
folder with cur and new), a folder of .eml files, an mbox, or an IMAP
mailbox (imaps://host/INBOX; with no PATH, [intake] imap of desk.toml); "-"
reads one message from standard input. A mailbox is read without changing
it (nothing is marked read or moved), from where the last run stopped; the
user and password come from the variables [intake] user_env and
password_env name (DESK_IMAP_USER, DESK_IMAP_PASSWORD), never from
desk.toml. A server that cannot be reached or refuses the login exits 3
with its words.

A message of a new thread opens a ticket: channel email, the sender as
requester and contact, the subject as title, the text (the HTML's text when
there is no plain text) as description, the time it was sent as created,
an assignee and a priority from [[routing]]. A reply (In-Reply-To or
References naming a message a ticket holds, or [TS-…] in the subject) is a
mail event of its ticket. Attachments are saved in attachments/ID/ and
linked from the ticket. Every message's Message-ID is recorded in its
event: running intake again, or on an overlapping export, takes nothing in
twice. Auto-replies, bounces and desk's own mail are skipped with the
reason; a message that cannot be read is kept in .git/desk/intake-quarantine
and reported, never dropped. One commit for the run (--each: one per
message).

--form reads a form submission, a JSON object with the fields of desk
ticket new (title, requester, contact, channel, org, category, priority,
reason, assignee, description, tags), and registers it: a web form or a
GitHub issue form can open a ticket in a pull request.`,
		Example: `  desk intake ~/Maildir/helpdesk
  desk intake export.mbox --json
  desk intake --dry-run message.eml
  echo '{"title":"Printer jam","requester":"Li Na","contact":"li.na@example.com","channel":"portal","description":"Tray 2"}' | desk intake --form -`,
		RunE: func(_ *cobra.Command, args []string) error { o.sources = args; return a.intakeRun(o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.form, "form", "", "register a form submission (JSON) from FILE, or - for standard input")
	fl.BoolVar(&o.dryRun, "dry-run", false, "say what would be done; write nothing")
	fl.BoolVar(&o.each, "each", false, "one commit per message")
	fl.BoolVar(&o.asJSON, "json", false, "print what was done as JSON")
	return cmd
}

// IntakeJSON is desk intake's JSON output.
type IntakeJSON struct {
	Created     []IntakeItemJSON `json:"created"`
	Appended    []IntakeItemJSON `json:"appended"`
	Skipped     []IntakeItemJSON `json:"skipped"`
	Quarantined []IntakeItemJSON `json:"quarantined"`
	Commits     []string         `json:"commits"`
	DryRun      bool             `json:"dry_run"`
}

// IntakeItemJSON is one message in IntakeJSON.
type IntakeItemJSON struct {
	Source     string `json:"source"`
	MessageID  string `json:"message_id,omitempty"`
	Ticket     string `json:"ticket,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Quarantine string `json:"quarantine,omitempty"`
}

func (a *app) intakeRun(o intakeOptions) error {
	if o.form != "" {
		if len(o.sources) > 0 {
			return repo.Usagef("--form registers one form; give it without mail sources")
		}
		return a.intakeForm(o)
	}
	r, act, err := a.openNow()
	if err != nil {
		return err
	}
	if len(o.sources) == 0 {
		if r.Config.Intake.IMAP == "" {
			return repo.Usagef("give a .eml file, a Maildir, a folder of .eml files, an mbox, an imaps:// mailbox, or - for a message on standard input; or set [intake] imap in desk.toml")
		}
		o.sources = []string{r.Config.Intake.IMAP}
	}
	type mailbox struct {
		url, user string
		next      intake.IMAPState
	}
	var boxes []mailbox
	var items []intake.Item
	for _, src := range o.sources {
		if intake.IsIMAP(src) {
			in := r.Config.Intake
			user, pass := os.Getenv(in.UserEnv), os.Getenv(in.PasswordEnv)
			got, next, err := intake.FetchIMAP(a.ctx, src, user, pass, intake.LoadIMAPState(r, src, user))
			if err != nil {
				return err
			}
			items = append(items, got...)
			boxes = append(boxes, mailbox{src, user, next})
			continue
		}
		if src == "-" {
			items = append(items, intake.ReadMessage(a.in, "standard input"))
			continue
		}
		got, err := intake.Read(a.path(src))
		if err != nil {
			return err
		}
		items = append(items, got...)
	}
	res, err := intake.Run(a.ctx, r, items, act, intake.Options{DryRun: o.dryRun, Each: o.each})
	if err != nil {
		return err
	}
	if !o.dryRun {
		for _, b := range boxes {
			if err := intake.SaveIMAPState(r, b.url, b.user, b.next); err != nil {
				return err
			}
		}
	}
	conv := func(list []intake.Outcome) []IntakeItemJSON {
		out := make([]IntakeItemJSON, len(list))
		for i, x := range list {
			out[i] = IntakeItemJSON{Source: x.Source, MessageID: x.MessageID, Ticket: x.Ticket, Reason: x.Reason, Quarantine: x.Path}
		}
		return out
	}
	js := IntakeJSON{Created: conv(res.Created), Appended: conv(res.Appended), Skipped: conv(res.Skipped),
		Quarantined: conv(res.Quarantined), Commits: append([]string{}, res.Commits...), DryRun: o.dryRun}
	if o.asJSON {
		if err := a.printJSON(js); err != nil {
			return err
		}
	} else {
		for _, x := range js.Created {
			fmt.Fprintf(a.out, "%s  opened from %s\n", orDash(x.Ticket), x.Source)
		}
		for _, x := range js.Appended {
			fmt.Fprintf(a.out, "%s  reply from %s\n", x.Ticket, x.Source)
		}
	}
	before := 0
	for _, x := range js.Skipped {
		if x.Reason == "taken in before" && !o.asJSON {
			before++ // a mailbox read again: counted, not listed
			continue
		}
		fmt.Fprintf(a.err, "desk: skipped %s: %s\n", x.Source, x.Reason)
	}
	if before > 0 {
		fmt.Fprintf(a.err, "desk: %d %s taken in before\n", before, plural(before, "message was", "messages were"))
	}
	for _, x := range js.Quarantined {
		where := ""
		if x.Quarantine != "" {
			where = "; kept in " + x.Quarantine
		}
		fmt.Fprintf(a.err, "desk: quarantined %s: %s%s\n", x.Source, repo.OneLine(x.Reason, 200), where)
	}
	verb := "took in"
	if o.dryRun {
		verb = "dry run: would take in"
	}
	fmt.Fprintf(a.err, "desk: %s %d new, %d replies; %d skipped, %d quarantined\n", verb, len(js.Created), len(js.Appended), len(js.Skipped), len(js.Quarantined))
	return nil
}

// intakeForm registers one form submission.
func (a *app) intakeForm(o intakeOptions) error {
	var data []byte
	var err error
	if o.form == "-" {
		data, err = io.ReadAll(io.LimitReader(a.in, repo.MaxTicketSize))
	} else {
		data, err = os.ReadFile(a.path(o.form))
	}
	if err != nil {
		return err
	}
	var f struct {
		Title, Requester, Contact, Channel, Org, Category, Priority, Reason, Assignee, Description string
		Tags                                                                                       []string
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return repo.Usagef("--form %s: %v; want a JSON object with the fields of desk ticket new: title, requester, contact, channel, org, category, priority, reason, assignee, description, tags", o.form, err)
	}
	r, act, err := a.openNow()
	if err != nil {
		return err
	}
	n := repo.NewTicket{Title: strings.TrimSpace(f.Title), Requester: strings.TrimSpace(f.Requester), Contact: strings.TrimSpace(f.Contact),
		Channel: f.Channel, Org: f.Org, Category: f.Category, Priority: f.Priority, Reason: f.Reason, Assignee: f.Assignee,
		Description: f.Description, Tags: f.Tags}
	if o.dryRun {
		fmt.Fprintln(a.err, "desk: dry run: the form would be registered as a ticket; nothing written")
		return nil
	}
	tf, err := r.CreateTicket(a.ctx, n, act)
	if err != nil {
		return err
	}
	if o.asJSON {
		return a.printJSON(IntakeJSON{Created: []IntakeItemJSON{{Source: o.form, Ticket: tf.Ticket.ID}}, Appended: []IntakeItemJSON{},
			Skipped: []IntakeItemJSON{}, Quarantined: []IntakeItemJSON{}, Commits: []string{}})
	}
	fmt.Fprintln(a.out, tf.Ticket.ID)
	return nil
}
