package intake

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
)

// messageIndex maps the Message-IDs of the mail the tickets hold (their
// events' message_id) to the tickets. It is kept in the state folder for
// the commit it was built at and brought up to date from the ticket files
// that changed since (gitdb.ChangedFiles), so that an intake run with
// nothing new reads no ticket, however many there are. Without it (a fresh
// clone, a history rewritten under it) it is built from the record cache.
type messageIndex struct {
	head   plumbing.Hash
	ticket map[string]string
}

const messageIndexMagic = "desk-message-ids 1"

func messageIndexPath(r *repo.Repo) string { return filepath.Join(r.StateDir(), "message-ids") }

// loadMessageIDs loads the index and brings it up to HEAD.
func loadMessageIDs(ctx context.Context, r *repo.Repo) (*messageIndex, error) {
	_, head, err := r.Git.Head()
	if err != nil {
		return nil, err
	}
	ix := loadMessageIndex(r)
	if ix != nil && ix.head == head {
		return ix, nil
	}
	if ix != nil {
		changed, err := r.Git.ChangedFiles(ix.head, head, r.GitPath("tickets"))
		if err == nil {
			for _, p := range changed {
				data, err := r.Git.ReadFile(head, p)
				if err != nil {
					continue // removed
				}
				if f, err := ticket.Parse(p, data); err == nil {
					ix.add(&f.Ticket)
				}
			}
			ix.head = head
			return ix, nil
		}
	}
	ix = &messageIndex{head: head, ticket: map[string]string{}}
	err = r.EachRecord(ctx, nil, func(rec *records.Record) error {
		if rec.Err == nil {
			ix.add(&rec.Ticket)
		}
		return nil
	})
	return ix, err
}

func (ix *messageIndex) add(t *ticket.Ticket) {
	for _, e := range t.Events {
		if e.MessageID != "" {
			ix.ticket[strings.Clone(e.MessageID)] = strings.Clone(t.ID)
		}
	}
}

// loadMessageIndex reads the saved index, or returns nil.
func loadMessageIndex(r *repo.Repo) *messageIndex {
	data, err := os.ReadFile(messageIndexPath(r))
	if err != nil {
		return nil
	}
	first, rest, ok := bytes.Cut(data, []byte("\n"))
	hash, ok2 := strings.CutPrefix(string(first), messageIndexMagic+" ")
	if !ok || !ok2 || len(hash) != len(plumbing.ZeroHash.String()) {
		return nil
	}
	ix := &messageIndex{head: plumbing.NewHash(hash), ticket: map[string]string{}}
	for line := range bytes.SplitSeq(rest, []byte("\n")) {
		if id, t, ok := bytes.Cut(line, []byte("\t")); ok {
			ix.ticket[string(id)] = string(t)
		}
	}
	return ix
}

// save writes the index for HEAD, atomically.
func (ix *messageIndex) save(r *repo.Repo) error {
	_, head, err := r.Git.Head()
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(ix.ticket))
	for id := range ix.ticket {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if err := os.MkdirAll(r.StateDir(), 0o777); err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s\n", messageIndexMagic, head)
	for _, id := range ids {
		fmt.Fprintf(&b, "%s\t%s\n", id, ix.ticket[id])
	}
	return repo.WriteFileAtomic(messageIndexPath(r), b.Bytes(), 0o644)
}
