package intake

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/gitdb"
	"github.com/deskhq/desk/ticket"
)

// Outcome is what intake did with one message.
type Outcome struct {
	Source    string // where the message came from
	MessageID string
	Ticket    string // the ticket it opened or was appended to
	Reason    string // why it was skipped or quarantined
	Path      string // the quarantined copy, relative to the desk root
}

// Result is what a run of desk intake did, message by message.
type Result struct {
	Created, Appended, Skipped, Quarantined []Outcome
	Commits                                 []string
}

// Options are the choices of desk intake.
type Options struct {
	DryRun bool // decide, write nothing
	Each   bool // one commit per message, rather than one for the run
}

// QuarantineDir is where messages that cannot be read are kept, below the
// repository's state folder (never committed: they may hold anything).
const QuarantineDir = "intake-quarantine"

var subjectID = regexp.MustCompile(`\[([A-Z][A-Z0-9]{0,15}-\d{8}-\d+)\]`)

// Run turns messages into tickets: a message of a new thread opens a
// ticket (channel email, the sender as requester and contact, the subject
// as title, the text as description, the received time as created, routed
// by [[routing]]); a reply (In-Reply-To or References naming a message of
// a ticket, or [ID] in the subject) is a mail event of its ticket, its text
// the note. Every message's Message-ID is recorded in its event, so a
// message seen before is skipped, whoever took it in. Machines' mail
// (auto-replies, bounces, our own) is skipped with the reason; a message
// that cannot be read is quarantined, never dropped. One commit for the
// run (or one per message with opts.Each), a Desk-Ticket trailer per
// ticket.
func Run(ctx context.Context, r *repo.Repo, items []Item, a repo.Actor, opts Options) (Result, error) {
	var res Result
	ids, err := loadMessageIDs(ctx, r)
	if err != nil {
		return res, err
	}
	type todo struct {
		it     Item
		ticket string // "" for a new ticket
	}
	var work []todo
	seen := map[string]bool{}
	for _, it := range items {
		if it.Err != nil {
			out := Outcome{Source: it.Source, Reason: it.Err.Error()}
			if !opts.DryRun {
				if out.Path, err = quarantine(r, it); err != nil {
					return res, err
				}
			}
			res.Quarantined = append(res.Quarantined, out)
			continue
		}
		m := it.Msg
		out := Outcome{Source: it.Source, MessageID: m.ID}
		switch {
		case ownMessage(m):
			out.Reason = "sent by desk"
		case m.ID != "" && ids.ticket[m.ID] != "":
			out.Ticket, out.Reason = ids.ticket[m.ID], "taken in before"
		case m.ID != "" && seen[m.ID]:
			out.Reason = "a copy of a message earlier in this run"
		case m.Auto != "":
			out.Reason = "sent by a machine: " + m.Auto
		case m.FromAddr == "":
			out.Reason = "no sender address"
		}
		if out.Reason != "" {
			res.Skipped = append(res.Skipped, out)
			continue
		}
		seen[m.ID] = true
		work = append(work, todo{it: it, ticket: threadOf(r, m, ids)})
	}
	if len(work) == 0 {
		return res, nil
	}
	// The messages of a run in the order they were sent, so that a reply
	// that came in the same run follows the message it answers.
	slices.SortStableFunc(work, func(x, y todo) int { return x.it.Msg.Date.Compare(y.it.Msg.Date) })

	commit := func(batch []todo) error {
		var done []Outcome
		var created []bool
		hash, err := r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
			done, created = done[:0], created[:0]
			pending := map[string]*ticket.File{} // tickets of this commit, by ID
			drafts := repo.NewDrafts()
			var order []string
			for _, w := range batch {
				m := w.it.Msg
				id := w.ticket
				if id == "" {
					// A reply to a message that opened a ticket in this commit.
					for _, ref := range append(slices.Clone(m.InReplyTo), m.References...) {
						if t := ids.ticket[ref]; t != "" {
							id = t
						}
					}
					if s := subjectID.FindStringSubmatch(m.Subject); id == "" && s != nil && pending[s[1]] != nil {
						id = s[1]
					}
				}
				out := Outcome{Source: w.it.Source, MessageID: m.ID}
				if id == "" {
					f, err := newTicket(ctx, r, tx, m, a, drafts)
					if err != nil {
						return "", err
					}
					id = f.Ticket.ID
					pending[id] = f
					order = append(order, id)
					created = append(created, true)
				} else {
					f := pending[id]
					if f == nil {
						p, err := r.TicketPath(id)
						if err == nil {
							f, err = r.ReadTicket(p)
						}
						if err != nil {
							return "", err
						}
						pending[id] = f
						order = append(order, id)
					}
					at := cmp.Or(mailTime(m, a.At), f.Ticket.LastEvent())
					if at.Before(f.Ticket.LastEvent()) {
						at = f.Ticket.LastEvent()
					}
					f.AppendEvent(ticket.Event{At: at.In(r.Config.Location), By: m.FromAddr, Action: "mail", Note: m.Text, MessageID: m.ID})
					if err := f.Reparse(); err != nil {
						return "", err
					}
					created = append(created, false)
				}
				if m.ID != "" {
					ids.ticket[m.ID] = id
				}
				out.Ticket = id
				if err := saveAttachments(r, tx, pending[id], m); err != nil {
					return "", err
				}
				done = append(done, out)
			}
			var trailers, body strings.Builder
			for _, id := range order {
				f := pending[id]
				tx.Put(r.GitPath(f.Path), f.Doc.Bytes())
				fmt.Fprintf(&trailers, "Desk-Ticket: %s\n", id)
			}
			nNew := 0
			for i, d := range done {
				verb := "a reply"
				if created[i] {
					verb, nNew = "opened", nNew+1
				}
				fmt.Fprintf(&body, "%s: %s\n", d.Ticket, verb)
				fmt.Fprintf(&trailers, "Desk-Message-Id: <%s>\n", d.MessageID)
			}
			return fmt.Sprintf("intake: %d new, %d appended\n\n%s\n%sDesk-Action: intake\n", nNew, len(done)-nNew, body.String(), trailers.String()), nil
		})
		if err != nil {
			return err
		}
		for i, d := range done {
			if created[i] {
				res.Created = append(res.Created, d)
			} else {
				res.Appended = append(res.Appended, d)
			}
		}
		res.Commits = append(res.Commits, hash.String())
		return nil
	}
	if opts.DryRun {
		for _, w := range work {
			out := Outcome{Source: w.it.Source, MessageID: w.it.Msg.ID, Ticket: w.ticket}
			if w.ticket == "" {
				res.Created = append(res.Created, out)
			} else {
				res.Appended = append(res.Appended, out)
			}
		}
		return res, nil
	}
	if opts.Each {
		for _, w := range work {
			if err := commit([]todo{w}); err != nil {
				return res, err
			}
		}
	} else if err := commit(work); err != nil {
		return res, err
	}
	return res, ids.save(r)
}

// threadOf is the ticket a message answers: the ticket of a message it
// names in In-Reply-To or References, a ticket ID in a message ID desk
// sent, or [ID] in its subject; "" for a new thread.
func threadOf(r *repo.Repo, m *Message, ids *messageIndex) string {
	refs := append(slices.Clone(m.InReplyTo), m.References...)
	for i := len(refs) - 1; i >= 0; i-- {
		if t := ids.ticket[refs[i]]; t != "" {
			return t
		}
		if id, ok := ticketOfOwnID(refs[i]); ok && ticketExists(r, id) {
			return id
		}
	}
	if s := subjectID.FindStringSubmatch(m.Subject); s != nil && ticketExists(r, s[1]) {
		return s[1]
	}
	return ""
}

func ticketExists(r *repo.Repo, id string) bool {
	p, err := r.TicketPath(id)
	if err != nil {
		return false
	}
	_, err = r.Stat(p)
	return err == nil
}

// OwnMessageID is the Message-ID of a mail desk sends about ticket id:
// the ticket's ID leads it, so a reply to it finds its ticket even in a
// clone that never saw the mail go out.
func OwnMessageID(id string, at time.Time, n int) string {
	return fmt.Sprintf("%s.%d.%d@desk.invalid", id, at.Unix(), n)
}

func ticketOfOwnID(msgID string) (string, bool) {
	if !strings.HasSuffix(msgID, "@desk.invalid") {
		return "", false
	}
	id, _, ok := strings.Cut(msgID, ".")
	return id, ok
}

// ownMessage reports whether desk sent m: a mail loop.
func ownMessage(m *Message) bool {
	_, own := ticketOfOwnID(m.ID)
	return own
}

// mailTime is when a message was sent, or at when it says nothing or a
// time after at.
func mailTime(m *Message, at time.Time) time.Time {
	if m.Date.IsZero() || m.Date.After(at) {
		return at
	}
	return m.Date
}

// saveAttachments writes m's attachments to attachments/ID/ in tx and
// lists them in a comment of the ticket's last event.
func saveAttachments(r *repo.Repo, tx *gitdb.Tx, f *ticket.File, m *Message) error {
	if len(m.Attachments) == 0 {
		return nil
	}
	limit := r.Config.Intake.MaxAttachmentBytes()
	var saved, refused []string
	for i, att := range m.Attachments {
		name := safeName(att.Name, i)
		if int64(len(att.Data)) > limit {
			refused = append(refused, fmt.Sprintf("%s (%d KB, over intake.max_attachment)", name, len(att.Data)>>10))
			continue
		}
		p := path.Join("attachments", f.Ticket.ID, name)
		tx.Put(r.GitPath(p), att.Data)
		saved = append(saved, fmt.Sprintf("[%s](../../../%s)", name, p))
	}
	note := ""
	if len(saved) > 0 {
		note = "Attachments: " + strings.Join(saved, ", ")
	}
	if len(refused) > 0 {
		note = strings.TrimPrefix(note+"; not saved: "+strings.Join(refused, ", "), "; ")
	}
	last := f.Ticket.Events[len(f.Ticket.Events)-1]
	f.AppendEvent(ticket.Event{At: last.At, By: last.By, Action: "comment", Note: note})
	return f.Reparse()
}

// safeName is an attachment's file name as it may be written: no path, no
// leading dot, no control characters; "attachment-N" when nothing is left.
func safeName(name string, i int) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	name = strings.TrimLeft(name, ".")
	if name == "" {
		return fmt.Sprintf("attachment-%d", i+1)
	}
	if len(name) > 120 {
		name = name[len(name)-120:]
	}
	return name
}

// quarantine keeps a message that cannot be read in the state folder,
// named by the hash of its bytes (so a run that meets it again keeps one
// copy), and returns where.
func quarantine(r *repo.Repo, it Item) (string, error) {
	dir := filepath.Join(r.StateDir(), QuarantineDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	sum := sha256.Sum256(it.Data)
	p := filepath.Join(dir, hex.EncodeToString(sum[:12])+".eml")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return p, repo.WriteFileAtomic(p, it.Data, 0o600)
}

// imapStatePath is where how far a mailbox was read is kept, per mailbox
// and user.
func imapStatePath(r *repo.Repo, mailbox, user string) string {
	sum := sha256.Sum256([]byte(mailbox + "\x00" + user))
	return filepath.Join(r.StateDir(), "imap-"+hex.EncodeToString(sum[:8])+".json")
}

// LoadIMAPState is how far the mailbox was read for user; the zero state
// when it never was (or the file is unreadable: reading from the start
// costs time, never a duplicate).
func LoadIMAPState(r *repo.Repo, mailbox, user string) IMAPState {
	var st IMAPState
	if data, err := os.ReadFile(imapStatePath(r, mailbox, user)); err == nil {
		json.Unmarshal(data, &st)
	}
	return st
}

// SaveIMAPState records how far the mailbox was read, once what was read
// is committed.
func SaveIMAPState(r *repo.Repo, mailbox, user string, st IMAPState) error {
	data, _ := json.Marshal(st)
	p := imapStatePath(r, mailbox, user)
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return err
	}
	return repo.WriteFileAtomic(p, data, 0o644)
}

// newTicket drafts, inside tx, the ticket a message of a new thread opens:
// channel email (when desk.toml has it), the sender as requester and
// contact, the subject as title, the text as description, the time the
// mail was sent as created, routed by [[routing]].
func newTicket(ctx context.Context, r *repo.Repo, tx *gitdb.Tx, m *Message, a repo.Actor, d *repo.Drafts) (*ticket.File, error) {
	n := repo.NewTicket{
		Title:       cmp.Or(m.Subject, "(no subject)"),
		Requester:   cmp.Or(m.FromName, m.FromAddr[:strings.IndexByte(m.FromAddr+"@", '@')]),
		Contact:     m.FromAddr,
		Channel:     "email",
		Description: cmp.Or(m.Text, "(the message has no text)"),
		MessageID:   m.ID,
	}
	if !slices.Contains(r.Config.Tickets.Channels, "email") {
		n.Channel = ""
	}
	return r.DraftTicket(ctx, tx, n, repo.Actor{By: a.By, At: mailTime(m, a.At)}, d, "")
}
