package repo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo/gitdb"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
)

// Renumber moves a ticket to the next free ID of its day, rewriting its file,
// its id, and the tickets lists of the articles that link to it, in one
// commit. It is the way out of an ID taken on two branches.
func (r *Repo) Renumber(ctx context.Context, id string, a Actor) (newID string, err error) {
	path, err := r.TicketPath(id)
	if err != nil {
		return "", err
	}
	old, _ := ticket.ParseID(id)
	_, err = r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
		f, err := r.ReadTicket(path)
		if err != nil {
			return "", err
		}
		if err := r.checkEventTime(f, a.At); err != nil {
			return "", err
		}
		names, err := r.dayNames(tx.Head(), dayOf(old, r))
		if err != nil {
			return "", err
		}
		// Numbers taken on any branch we know of count as taken too.
		names = append(names, r.branchDayNames(old)...)
		next := ticket.NextID(old.Prefix, dayOf(old, r), r.Config.Location, names)
		next.Prefix = old.Prefix
		newID = next.String()
		f.Doc.Set("", "id", front.String(newID))
		f.AppendEvent(ticket.Event{At: a.At.In(r.Config.Location), By: a.By, Action: "update", Field: "id", Value: newID,
			Note: "renumbered from " + id})
		if err := f.Reparse(); err != nil {
			return "", err
		}
		tx.Rename(r.GitPath(path), r.GitPath(next.Path()), f.Doc.Bytes())

		// Articles that link to the ticket follow it.
		arts, err := kb.Paths(r.Root)
		if err != nil {
			return "", err
		}
		for _, p := range arts {
			data, err := r.ReadFile(p, kb.MaxSize, "an article")
			if err != nil {
				return "", fmt.Errorf("%s: %w", p, err)
			}
			af, err := kb.Parse(p, data)
			if err != nil || !slices.Contains(af.Article.Tickets, id) {
				continue
			}
			ids := slices.Clone(af.Article.Tickets)
			for i := range ids {
				if ids[i] == id {
					ids[i] = newID
				}
			}
			af.Doc.Set("", "tickets", front.Strings(ids))
			tx.Put(r.GitPath(p), af.Doc.Bytes())
		}
		return commitMessage(newID, fmt.Sprintf("renumbered from %s", id), "renumber", "Desk-Renumbered-From: "+id+"\n"), nil
	})
	return newID, err
}

// dayOf is noon of an ID's day in the repository's time zone.
func dayOf(id ticket.ID, r *Repo) time.Time {
	return time.Date(id.Year, id.Month, id.Day, 12, 0, 0, 0, r.Config.Location)
}

// branchDayNames lists the file names of the ID's month folder on every local
// and remote-tracking branch, so a renumbered ticket does not collide again.
func (r *Repo) branchDayNames(id ticket.ID) []string {
	refs, err := r.Git.Git().References()
	if err != nil {
		return nil
	}
	var names []string
	refs.ForEach(func(ref *plumbing.Reference) error {
		if !ref.Name().IsBranch() && !ref.Name().IsRemote() {
			return nil
		}
		more, _ := r.Git.ListDir(ref.Hash(), r.GitPath(id.Dir()))
		names = append(names, more...)
		return nil
	})
	return names
}
