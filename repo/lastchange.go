package repo

import (
	"errors"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// LastChanges returns, for every file directly inside the folder dir (a desk
// path such as "kb"), the newest commit reachable from HEAD that changed it,
// keyed by desk path ("kb/vpn.md"). It is what `git log -1 -- FILE` gives for
// each file, in one walk of the history: a commit whose folder tree equals
// its parents' is skipped without reading the folder, and the walk stops as
// soon as every file at HEAD has its commit. A commit counts for a file when
// the file differs from every parent, as git log simplifies merges.
func (r *Repo) LastChanges(dir string) (map[string]Commit, error) {
	out := map[string]Commit{}
	_, head, err := r.Git.Head()
	if err != nil || head.IsZero() {
		return out, err
	}
	g := r.Git.Git()
	parts := strings.Split(r.GitPath(dir), "/")
	headCommit, err := g.CommitObject(head)
	if err != nil {
		return nil, err
	}
	// What is left to find: the files of dir at HEAD.
	left := map[string]plumbing.Hash{}
	for name, h := range entriesAt(g, headCommit.TreeHash, parts) {
		left[name] = h
	}
	if len(left) == 0 {
		return out, nil
	}
	iter, err := g.Log(&git.LogOptions{From: head, Order: git.LogOrderCommitterTime})
	if err != nil {
		return nil, err
	}
	trees := map[plumbing.Hash]map[string]plumbing.Hash{}
	entries := func(folder plumbing.Hash) map[string]plumbing.Hash {
		if m, ok := trees[folder]; ok {
			return m
		}
		m := map[string]plumbing.Hash{}
		if t, err := g.TreeObject(folder); err == nil {
			for _, e := range t.Entries {
				if e.Mode.IsFile() {
					m[e.Name] = e.Hash
				}
			}
		}
		trees[folder] = m
		return m
	}
	err = iter.ForEach(func(c *object.Commit) error {
		folder := blobAt(g, c.TreeHash, parts)
		var parents []plumbing.Hash
		for _, p := range c.ParentHashes {
			pc, err := g.CommitObject(p)
			if err != nil {
				return err
			}
			pf := blobAt(g, pc.TreeHash, parts)
			if pf == folder {
				return nil // the folder is the same as in a parent: nothing changed here
			}
			parents = append(parents, pf)
		}
		mine := entries(folder)
		var commit *Commit
		for name, h := range mine {
			if _, wanted := left[name]; !wanted {
				continue
			}
			changed := true
			for _, pf := range parents {
				if entries(pf)[name] == h {
					changed = false
					break
				}
			}
			if !changed {
				continue
			}
			if commit == nil {
				subject, _, _ := strings.Cut(c.Message, "\n")
				commit = &Commit{
					Hash: c.Hash.String(), Author: c.Author.Name, Email: c.Author.Email,
					When: c.Author.When, Subject: subject, Action: trailer(c.Message, "Desk-Action"),
				}
			}
			out[dir+"/"+name] = *commit
			delete(left, name)
		}
		if len(left) == 0 {
			return storer.ErrStop
		}
		return nil
	})
	if errors.Is(err, storer.ErrStop) {
		err = nil
	}
	return out, err
}

// entriesAt returns the files directly inside the folder at path in tree.
func entriesAt(g *git.Repository, tree plumbing.Hash, parts []string) map[string]plumbing.Hash {
	m := map[string]plumbing.Hash{}
	h := blobAt(g, tree, parts)
	if h.IsZero() {
		return m
	}
	t, err := g.TreeObject(h)
	if err != nil {
		return m
	}
	for _, e := range t.Entries {
		if e.Mode.IsFile() {
			m[e.Name] = e.Hash
		}
	}
	return m
}
