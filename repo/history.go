package repo

import (
	"errors"
	"os"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Commit is one commit of a file's history.
type Commit struct {
	Hash    string    `json:"hash"`
	Author  string    `json:"author"`
	Email   string    `json:"email"`
	When    time.Time `json:"when"`
	Subject string    `json:"subject"`
	Action  string    `json:"action,omitempty"` // the Desk-Action trailer
}

// TicketHistory returns the commits that changed the ticket id (History). A
// ticket with no commits and no file is a *NotFoundError; one not committed
// yet has no commits.
func (r *Repo) TicketHistory(id string) ([]Commit, error) {
	path, err := r.TicketPath(id)
	if err != nil {
		return nil, err
	}
	commits, err := r.History(path)
	if err != nil {
		return nil, err
	}
	if len(commits) == 0 {
		if _, err := os.Stat(r.Abs(path)); err != nil {
			return nil, &NotFoundError{What: "ticket " + id, Path: path}
		}
	}
	return commits, nil
}

// History returns the commits reachable from HEAD that changed the file at
// path (a desk path), newest first. A commit counts when the file differs
// from every parent, as git log PATH simplifies merges.
func (r *Repo) History(path string) ([]Commit, error) {
	_, head, err := r.Git.Head()
	if err != nil || head.IsZero() {
		return nil, err
	}
	g := r.Git.Git()
	iter, err := g.Log(&git.LogOptions{From: head, Order: git.LogOrderCommitterTime})
	if err != nil {
		return nil, err
	}
	parts := strings.Split(r.GitPath(path), "/")
	var out []Commit
	err = iter.ForEach(func(c *object.Commit) error {
		h := blobAt(g, c.TreeHash, parts)
		changed := true
		for _, p := range c.ParentHashes {
			pc, err := g.CommitObject(p)
			if err != nil {
				return err
			}
			if blobAt(g, pc.TreeHash, parts) == h {
				changed = false
				break
			}
		}
		if changed && (len(c.ParentHashes) > 0 || !h.IsZero()) {
			subject, _, _ := strings.Cut(c.Message, "\n")
			out = append(out, Commit{
				Hash: c.Hash.String(), Author: c.Author.Name, Email: c.Author.Email,
				When: c.Author.When, Subject: subject, Action: trailer(c.Message, "Desk-Action"),
			})
		}
		return nil
	})
	if errors.Is(err, storer.ErrStop) {
		err = nil
	}
	return out, err
}

// blobAt returns the hash of the entry at path in tree, or zero. It loads only
// the trees along the path.
func blobAt(g *git.Repository, tree plumbing.Hash, parts []string) plumbing.Hash {
	h := tree
	for _, name := range parts {
		t, err := g.TreeObject(h)
		if err != nil {
			return plumbing.ZeroHash
		}
		found := false
		for _, e := range t.Entries {
			if e.Name == name {
				h, found = e.Hash, true
				break
			}
		}
		if !found {
			return plumbing.ZeroHash
		}
	}
	return h
}

// trailer returns the value of a "Key: value" trailer of a commit message.
func trailer(msg, key string) string {
	for _, line := range strings.Split(msg, "\n") {
		if v, ok := strings.CutPrefix(line, key+": "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
