package repo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/gitdb"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
)

// Actor is who makes a change and when the event happened.
type Actor struct {
	By string    // recorded in the event's "by"
	At time.Time // the event's time: now, or --at
}

// NewTicket holds what a new ticket is registered with.
type NewTicket struct {
	Title, Requester, Contact, Org, Channel string
	Category, Priority, Reason, Assignee    string
	Description                             string
	Tags                                    []string
	MessageID                               string // the e-mail it came from (desk intake)
}

// TicketPath returns the path of a ticket's file from its ID, refusing
// anything that is not an ID (so "../x" never reaches the file system).
func (r *Repo) TicketPath(id string) (string, error) {
	pid, err := ticket.ParseID(id)
	if err != nil {
		return "", &UsageError{Msg: err.Error()}
	}
	return pid.Path(), nil
}

// oneOf checks a value against the allowed list of a configuration key.
func oneOf(what, v string, allowed []string) error {
	if v == "" || slices.Contains(allowed, v) {
		return nil
	}
	return Usagef("%s %q is not allowed; use one of: %s", what, v, strings.Join(allowed, ", "))
}

func (r *Repo) checkAt(at time.Time) error {
	if at.After(r.Now().Add(time.Minute)) {
		return Usagef("--at %s is in the future; events record what has happened", at.In(r.Config.Location).Format(time.RFC3339))
	}
	return nil
}

// CreateTicket registers a ticket: it takes the next free ID of the day of
// a.At, writes the file and commits it.
func (r *Repo) CreateTicket(ctx context.Context, n NewTicket, a Actor) (*ticket.File, error) {
	c := r.Config
	for _, chk := range []error{
		oneOf("channel", n.Channel, c.Tickets.Channels),
		oneOf("category", n.Category, c.Tickets.Categories),
		oneOf("priority", n.Priority, c.Priorities()),
		r.checkAt(a.At),
	} {
		if chk != nil {
			return nil, chk
		}
	}
	tmpl, err := r.template(n.Category)
	if err != nil {
		return nil, err
	}
	var file *ticket.File
	_, err = r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
		f, err := r.DraftTicket(ctx, tx, n, a, nil, tmpl)
		if err != nil {
			return "", err
		}
		if missing := c.Missing(r.RecordOf(f), c.Workflow.Initial); len(missing) > 0 {
			return "", &RefusedError{Msg: "a new ticket needs more", Missing: flagNames(missing)}
		}
		tx.Put(r.GitPath(f.Path), f.Doc.Bytes())
		file = f
		return commitMessage(f.Ticket.ID, "new ticket: "+OneLine(n.Title, 60), "create", ""), nil
	})
	return file, err
}

// Drafts is a batch of tickets drafted in one commit (NewDrafts): what
// DraftTicket read of the repository for the ones before, and chose for
// them — the names of each month folder, the team member who took the
// team's latest ticket — so a batch reads each once and numbers and
// round-robins across its own tickets.
type Drafts struct {
	months map[string][]string // file names of a month folder: work tree, HEAD, this batch
	latest map[string]string   // team (members joined) → who took its latest ticket
}

// NewDrafts starts a batch of tickets for one commit.
func NewDrafts() *Drafts {
	return &Drafts{months: map[string][]string{}, latest: map[string]string{}}
}

// DraftTicket writes, inside tx, the file of a new ticket: the next free
// ID of the day of a.At among the names of its month folder in the work
// tree and in HEAD (and the tickets drafted before in d, the batch of this
// commit: nil for one ticket), an assignee and a priority from [[routing]]
// when n lacks them, the create event, and the body of tmpl (a category
// template, "" for none). The caller puts the file in tx; the values of n
// are not checked against desk.toml here.
func (r *Repo) DraftTicket(ctx context.Context, tx *gitdb.Tx, n NewTicket, a Actor, d *Drafts, tmpl string) (*ticket.File, error) {
	c := r.Config
	t := a.At.In(c.Location)
	month := ticket.ID{Year: t.Year(), Month: t.Month()}.Dir()
	var names []string
	ok := false
	if d != nil {
		names, ok = d.months[month]
	}
	if !ok {
		var err error
		if names, err = r.dayNames(tx.Head(), a.At); err != nil {
			return nil, err
		}
	}
	var note string
	var err error
	in := config.Routed{Category: n.Category, Channel: n.Channel, Org: n.Org, Title: n.Title, Description: n.Description, Tags: n.Tags}
	if n.Assignee, n.Priority, _, note, err = r.route(ctx, in, n.Assignee, n.Priority, d); err != nil {
		return nil, err
	}
	id := ticket.NextID(c.Desk.IDPrefix, a.At, c.Location, names)
	if d != nil {
		d.months[month] = append(names, id.String()+".md")
	}
	f, err := ticket.Parse(id.Path(), r.newTicketText(id, n, a, note, tmpl))
	if err != nil {
		return nil, fmt.Errorf("internal error: new ticket does not parse: %w", err)
	}
	return f, nil
}

// flagNames turns requirement keys into the flags that supply them.
func flagNames(missing []string) []string {
	names := map[string]string{
		"title": "--title", "requester.name": "--requester", "requester.contact": "--contact",
		"channel": "--channel", "requester.org": "--org", "section:description": "a description (--description, --description-file or standard input)",
		"category": "--category", "priority": "--priority", "priority_reason": "--reason", "assignee": "--assignee",
	}
	out := make([]string, len(missing))
	for i, m := range missing {
		if n, ok := names[m]; ok {
			out[i] = n
		} else {
			out[i] = m
		}
	}
	return out
}

// dayNames lists the ticket file names of a day's month folder in the work
// tree and in HEAD, so a number is never taken twice.
func (r *Repo) dayNames(head plumbing.Hash, at time.Time) ([]string, error) {
	t := at.In(r.Config.Location)
	dir := ticket.ID{Year: t.Year(), Month: t.Month()}.Dir()
	var names []string
	ents, err := os.ReadDir(r.Abs(dir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !head.IsZero() {
		more, err := r.Git.ListDir(head, r.GitPath(dir))
		if err != nil {
			return nil, err
		}
		names = append(names, more...)
	}
	return names, nil
}

// newTicketText is a new ticket's file: note is its create event's note,
// tmpl the category's template ("" for none).
func (r *Repo) newTicketText(id ticket.ID, n NewTicket, a Actor, note, tmpl string) []byte {
	c := r.Config
	var b strings.Builder
	kv := func(k, v string) { fmt.Fprintf(&b, "%s = %s\n", k, v) }
	opt := func(k, v string) {
		if v != "" {
			kv(k, front.String(v))
		}
	}
	at := a.At.In(c.Location)
	b.WriteString("+++\n")
	kv("id", front.String(id.String()))
	kv("title", front.String(n.Title))
	kv("status", front.String(c.Workflow.Initial))
	kv("created", front.Time(at))
	opt("channel", n.Channel)
	opt("category", n.Category)
	opt("priority", n.Priority)
	opt("priority_reason", n.Reason)
	opt("assignee", n.Assignee)
	if len(n.Tags) > 0 {
		kv("tags", front.Strings(n.Tags))
	}
	b.WriteString("\n[requester]\n")
	kv("name", front.String(n.Requester))
	opt("org", n.Org)
	kv("contact", front.String(n.Contact))
	b.WriteString("\n[[events]]\n")
	kv("at", front.Time(at))
	kv("by", front.String(a.By))
	kv("action", front.String("create"))
	kv("to", front.String(c.Workflow.Initial))
	opt("note", note)
	opt("message_id", n.MessageID)
	b.WriteString("+++\n")
	desc := strings.TrimSpace(strings.ReplaceAll(n.Description, "\r\n", "\n"))
	sections := []string{"description", "analysis", "handling", "resolution"}
	if tmpl != "" {
		headings := make([]string, len(sections))
		for i, key := range sections {
			headings[i] = c.Heading(key)
		}
		b.WriteString(templateBody(tmpl, desc, headings))
		return []byte(b.String())
	}
	for _, key := range sections {
		fmt.Fprintf(&b, "\n## %s\n", c.Heading(key))
		if key == "description" && desc != "" {
			b.WriteString("\n" + desc + "\n")
		}
	}
	return []byte(b.String())
}

// Edit is a change to one ticket, applied by Change under the repository lock.
// It edits f (appending exactly one event per change it records) and returns
// the commit summary and the Desk-Action trailer.
type Edit func(f *ticket.File) (summary, action string, err error)

// Change applies edit to the ticket id and commits the result. The ticket is
// read under the lock, so concurrent changes never overwrite each other.
func (r *Repo) Change(ctx context.Context, id string, edit Edit) (*ticket.File, error) {
	changed, err := r.ChangeMany(ctx, []string{id}, "", edit)
	if err != nil || len(changed) == 0 {
		return nil, err
	}
	return changed[0].File, nil
}

// ReadTicket reads and parses a ticket file from the work tree.
func (r *Repo) ReadTicket(path string) (*ticket.File, error) {
	data, err := r.ReadFile(path, MaxTicketSize, "a ticket file")
	if errors.Is(err, os.ErrNotExist) {
		return nil, &NotFoundError{What: "ticket " + strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".md"), Path: path}
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ticket.Parse(path, data)
}

func commitMessage(id, summary, action, extra string) string {
	return fmt.Sprintf("%s: %s\n\nDesk-Ticket: %s\nDesk-Action: %s\n%s", id, summary, id, action, extra)
}

// OneLine collapses white space and shortens s to at most max characters.
func OneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

// checkEventTime refuses an event in the future (it would hold every later
// change of the ticket back until then) or before the ticket's last one.
func (r *Repo) checkEventTime(f *ticket.File, at time.Time) error {
	if err := r.checkAt(at); err != nil {
		return err
	}
	loc := r.Config.Location
	if last := f.Ticket.LastEvent(); at.Before(last) {
		return &RefusedError{ID: f.Ticket.ID, Msg: fmt.Sprintf("the event time %s is before the ticket's last event at %s; the log is kept in time order",
			at.In(loc).Format(time.RFC3339), last.In(loc).Format(time.RFC3339))}
	}
	return nil
}

// Transition moves f to status to, appending a transition event, and refuses
// what the workflow or [required] forbids.
func (r *Repo) Transition(f *ticket.File, to, note string, a Actor) error {
	c := r.Config
	t := &f.Ticket
	if !c.IsStatus(to) {
		return &RefusedError{ID: t.ID, Msg: fmt.Sprintf("unknown status %q; the statuses are %s", to, strings.Join(c.Workflow.Statuses, ", "))}
	}
	from := t.Status
	if from == to {
		return &RefusedError{ID: t.ID, Msg: fmt.Sprintf("already %s", to)}
	}
	if !c.CanMove(from, to) {
		next := c.Workflow.Transitions[from]
		allowed := "nothing (it is final)"
		if len(next) > 0 {
			allowed = strings.Join(next, ", ")
		}
		return &RefusedError{ID: t.ID, Msg: fmt.Sprintf("the workflow does not allow %s → %s; from %s it allows %s", from, to, from, allowed)}
	}
	if err := r.checkEventTime(f, a.At); err != nil {
		return err
	}
	if dup := r.DuplicateNote(t, to); dup != "" {
		// Closing a duplicate says what it duplicates, in the log too.
		note = strings.TrimSuffix(dup+"; "+note, "; ")
	}
	f.AppendEvent(ticket.Event{At: a.At.In(c.Location), By: a.By, Action: "transition", From: from, To: to, Note: note})
	if err := f.Reparse(); err != nil {
		return err
	}
	missing := c.Missing(r.RecordOf(f), to)
	if t.Major && c.MajorRequired(to) {
		for _, req := range c.Major.Require {
			if !c.Has(r.RecordOf(f), req) && !slices.Contains(missing, req) {
				missing = append(missing, req)
			}
		}
	}
	if len(missing) > 0 {
		return &RefusedError{ID: f.Ticket.ID, Msg: fmt.Sprintf("cannot move to %s", to), Missing: missing}
	}
	return nil
}

// Set changes front-matter keys, one update event each.
func (r *Repo) Set(f *ticket.File, pairs [][2]string, a Actor) error {
	c := r.Config
	if err := r.checkEventTime(f, a.At); err != nil {
		return err
	}
	for _, p := range pairs {
		key, val := p[0], p[1]
		table, name := "", key
		if i := strings.IndexByte(key, '.'); i >= 0 {
			table, name = key[:i], key[i+1:]
		}
		lit, err := r.literal(key, val)
		if err != nil {
			return err
		}
		if val == "" {
			f.Doc.Delete(table, name)
		} else {
			f.Doc.Set(table, name, lit)
		}
		action := "update"
		if key == "assignee" {
			action = "assign"
		}
		f.AppendEvent(ticket.Event{At: a.At.In(c.Location), By: a.By, Action: action, Field: key, Value: val})
	}
	return f.Reparse()
}

// settable lists the keys ticket set may change and how to read their values.
var settable = map[string]string{
	"title": "text", "channel": "channel", "category": "category", "priority": "priority",
	"priority_reason": "text", "assignee": "text", "due": "time", "tags": "list", "kb": "list",
	"major": "bool", "lead": "text", "requester.name": "text", "requester.org": "text",
	"requester.contact": "text", "sla.breach_reason": "text", "feedback.via": "channel",
	"feedback.comment": "text",
}

// SettableKeys returns the keys ticket set accepts, sorted.
func SettableKeys() []string { return slices.Sorted(maps.Keys(settable)) }

func (r *Repo) literal(key, val string) (string, error) {
	kind, ok := settable[key]
	if !ok {
		switch key {
		case "id", "status", "created", "events":
			return "", Usagef("%s cannot be set: it is kept by desk (use ticket move for the status, ticket renumber for the ID)", key)
		}
		return "", Usagef("unknown key %q; ticket set accepts %s", key, strings.Join(SettableKeys(), ", "))
	}
	c := r.Config
	switch kind {
	case "channel":
		if err := oneOf(key, val, c.Tickets.Channels); err != nil {
			return "", err
		}
	case "category":
		if err := oneOf(key, val, c.Tickets.Categories); err != nil {
			return "", err
		}
	case "priority":
		if err := oneOf(key, val, c.Priorities()); err != nil {
			return "", err
		}
	case "time":
		if val == "" {
			return "", nil
		}
		t, err := ticket.ParseTime(val, c.Location)
		if err != nil {
			return "", Usagef("%s: %v", key, err)
		}
		return front.Time(t), nil
	case "list":
		var items []string
		for _, s := range strings.Split(val, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		return front.Strings(items), nil
	case "bool":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return "", Usagef("%s %q: want true or false", key, val)
		}
		return front.Bool(b), nil
	}
	return front.String(val), nil
}

// Comment appends a comment event: an internal note, which the requester
// does not see.
func (r *Repo) Comment(f *ticket.File, text string, a Actor) error {
	return r.note(f, ticket.Event{Action: "comment", Note: text}, a)
}

// Reply appends a reply event: a message the requester sees (public =
// true), which restarts the update clock. Sending it is the caller's
// business (NewReplyMail, SendMail): sent tells how it went, the zero
// value for a reply not sent by mail.
func (r *Repo) Reply(f *ticket.File, text string, a Actor, sent ReplySent) error {
	ev := ticket.Event{Action: "reply", Note: text, Public: true, MessageID: sent.MessageID}
	if sent.Unsent != "" {
		ev.Field, ev.Value = "unsent", sent.Unsent
	}
	return r.note(f, ev, a)
}

// ReplySent is how a reply went out by mail: the Message-ID the server
// took, or why it was not sent (field = "unsent", value = the reason).
type ReplySent struct{ MessageID, Unsent string }

// note appends ev, a comment or a reply, at a.At by a.By.
func (r *Repo) note(f *ticket.File, ev ticket.Event, a Actor) error {
	if strings.TrimSpace(ev.Note) == "" {
		return Usagef("the %s is empty", ev.Action)
	}
	if err := r.checkEventTime(f, a.At); err != nil {
		return err
	}
	ev.At, ev.By = a.At.In(r.Config.Location), a.By
	f.AppendEvent(ev)
	return nil
}

// FeedbackInput is the requester's confirmation.
type FeedbackInput struct{ Rating, ConfirmedBy, Via, Comment string }

// Feedback records the requester's confirmation in [feedback].
func (r *Repo) Feedback(f *ticket.File, in FeedbackInput, a Actor) error {
	c := r.Config
	if err := oneOf("rating", in.Rating, ticket.Ratings); err != nil || in.Rating == "" {
		return Usagef("--rating %q is not allowed; use one of: %s", in.Rating, strings.Join(ticket.Ratings, ", "))
	}
	if strings.TrimSpace(in.ConfirmedBy) == "" {
		return Usagef("--confirmed-by is required: who confirmed the result")
	}
	if err := oneOf("--via", in.Via, c.Tickets.Channels); err != nil {
		return err
	}
	if err := r.checkEventTime(f, a.At); err != nil {
		return err
	}
	at := a.At.In(c.Location)
	f.Doc.Set("feedback", "rating", front.String(in.Rating))
	f.Doc.Set("feedback", "confirmed_by", front.String(in.ConfirmedBy))
	f.Doc.Set("feedback", "confirmed_at", front.Time(at))
	if in.Via != "" {
		f.Doc.Set("feedback", "via", front.String(in.Via))
	}
	if in.Comment != "" {
		f.Doc.Set("feedback", "comment", front.String(in.Comment))
	}
	f.AppendEvent(ticket.Event{At: at, By: a.By, Action: "feedback", Field: "feedback.rating", Value: in.Rating})
	return f.Reparse()
}

// WriteSection adds text to a body section named by its key. Entries of the
// handling record are dated and signed, as the procedures ask for every step.
func (r *Repo) WriteSection(f *ticket.File, key, text string, a Actor) error {
	h := r.Config.Heading(key)
	if h == "" {
		return Usagef("unknown section %q; the sections are %s", key, strings.Join(config.SectionKeys, ", "))
	}
	if strings.TrimSpace(text) == "" {
		return Usagef("the text for section %s is empty", key)
	}
	if key == "handling" {
		text = fmt.Sprintf("- %s %s: %s", a.At.In(r.Config.Location).Format("2006-01-02 15:04"), a.By,
			strings.ReplaceAll(strings.TrimSpace(text), "\n", "\n  "))
	}
	f.AppendToSection(h, text)
	return f.Reparse()
}

// Part records a spare part used: a [[parts]] entry, and one update event
// naming it. The same part used again is a second entry, as it was a
// second use; desk report adds them up.
func (r *Repo) Part(f *ticket.File, name string, qty int, a Actor) error {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return Usagef("the part's name is empty")
	}
	if qty < 1 {
		return Usagef("--qty %d: a part used is counted from 1 (correct a mistake with desk ticket edit)", qty)
	}
	if err := r.checkEventTime(f, a.At); err != nil {
		return err
	}
	f.Doc.AppendArrayTable("parts", []front.KV{{Key: "name", Value: front.String(name)}, {Key: "qty", Value: front.Int(int64(qty))}})
	f.AppendEvent(ticket.Event{At: a.At.In(r.Config.Location), By: a.By, Action: "update", Field: "parts", Value: PartValue(name, qty)})
	return f.Reparse()
}

// PartValue is how a part used is written in its event and said: "name × qty".
func PartValue(name string, qty int) string { return fmt.Sprintf("%s × %d", name, qty) }
