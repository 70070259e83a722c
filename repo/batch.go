package repo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/deskhq/desk/repo/gitdb"
	"github.com/deskhq/desk/ticket"
)

// Changed is a ticket a change edited, with the summary of what it did to
// it.
type Changed struct {
	File    *ticket.File
	Summary string
	Action  string // the Desk-Action trailer
}

// RefusedAllError is a change to several tickets that some of them refused.
// Nothing was written. It unwraps to each refusal, so the command line maps
// it to exit status 1 as it does one *RefusedError.
type RefusedAllError struct {
	Of      int           // tickets the change was for
	Refused []TicketError // each holds a *RefusedError
}

// TicketError is an error about one ticket.
type TicketError struct {
	ID  string
	Err error
}

func (e *RefusedAllError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d tickets refused; nothing was written:", len(e.Refused), e.Of)
	for _, r := range e.Refused {
		msg := r.Err.Error()
		if !strings.HasPrefix(msg, r.ID+":") {
			msg = r.ID + ": " + msg
		}
		b.WriteString("\n  " + msg)
	}
	return b.String()
}

// Unwrap returns the refusals.
func (e *RefusedAllError) Unwrap() []error {
	out := make([]error, len(e.Refused))
	for i, r := range e.Refused {
		out[i] = r.Err
	}
	return out
}

// uniqueIDs checks that every ID is a ticket ID and returns them without
// repeats, in their order.
func (r *Repo) uniqueIDs(ids []string) ([]string, error) {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, err := r.TicketPath(id); err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil, Usagef("no ticket to change")
	}
	return out, nil
}

// applyEach reads every ticket of ids with read and applies edit to each.
// A usage error or a ticket that cannot be read stops it at once (they are
// not the ticket's to refuse); refusals are gathered, so that a change to
// forty tickets lists all that refuse it, not the first. Tickets edit left
// as they were are left out of the result.
func (r *Repo) applyEach(ids []string, read func(path string) (*ticket.File, error), edit Edit) ([]Changed, error) {
	var out []Changed
	var refused []TicketError
	for _, id := range ids {
		path, _ := r.TicketPath(id)
		f, err := read(path)
		if err != nil {
			return nil, err
		}
		before := f.Doc.Bytes()
		summary, action, err := edit(f)
		switch {
		case errors.As(err, new(*RefusedError)):
			refused = append(refused, TicketError{ID: id, Err: err})
			continue
		case err != nil:
			return nil, err
		}
		if string(f.Doc.Bytes()) == string(before) {
			continue
		}
		if _, err := ticket.Parse(path, f.Doc.Bytes()); err != nil {
			return nil, fmt.Errorf("internal error: edited ticket does not parse: %w", err)
		}
		out = append(out, Changed{File: f, Summary: summary, Action: action})
	}
	switch {
	case len(refused) == 1 && len(ids) == 1:
		return nil, refused[0].Err
	case len(refused) > 0:
		return nil, &RefusedAllError{Of: len(ids), Refused: refused}
	}
	return out, nil
}

// ChangeMany applies edit to each ticket of ids and commits them all in one
// commit, all or nothing: when any ticket refuses, nothing is written and
// the error is a *RefusedAllError naming every refusal. subject heads the
// commit message of several tickets, whose body lists each ticket's summary
// and whose trailers name every ticket; a change to one ticket is committed
// as Change commits it. Tickets the edit left as they were are not part of
// the commit or of the result.
func (r *Repo) ChangeMany(ctx context.Context, ids []string, subject string, edit Edit) ([]Changed, error) {
	ids, err := r.uniqueIDs(ids)
	if err != nil {
		return nil, err
	}
	var out []Changed
	_, err = r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
		changed, err := r.applyEach(ids, r.ReadTicket, edit)
		if err != nil || len(changed) == 0 {
			return "", err
		}
		files := make([]*ticket.File, len(changed))
		for i, ch := range changed {
			tx.Put(r.GitPath(ch.File.Path), ch.File.Doc.Bytes())
			files[i] = ch.File
		}
		out = changed
		if len(changed) == 1 {
			return commitMessage(changed[0].File.Ticket.ID, changed[0].Summary, changed[0].Action, ""), nil
		}
		var body strings.Builder
		for _, ch := range changed {
			fmt.Fprintf(&body, "%s: %s\n", ch.File.Ticket.ID, ch.Summary)
		}
		return manyMessage(subject, body.String(), changed[0].Action, files...), nil
	})
	return out, err
}

// PreviewMany is ChangeMany without the commit: what it would change, or
// the refusals it would meet, from the tickets as they are now (--dry-run).
func (r *Repo) PreviewMany(ids []string, edit Edit) ([]Changed, error) {
	ids, err := r.uniqueIDs(ids)
	if err != nil {
		return nil, err
	}
	return r.applyEach(ids, r.ReadTicket, edit)
}

// manyMessage is the commit message of a change to several tickets: the
// subject, an optional body, and a Desk-Ticket trailer for each.
func manyMessage(subject, body, action string, files ...*ticket.File) string {
	var b strings.Builder
	b.WriteString(subject + "\n\n")
	if body != "" {
		b.WriteString(body + "\n")
	}
	for _, f := range files {
		b.WriteString("Desk-Ticket: " + f.Ticket.ID + "\n")
	}
	b.WriteString("Desk-Action: " + action + "\n")
	return b.String()
}
