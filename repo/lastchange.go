package repo

import (
	"bytes"
	"errors"
	"io"
	"slices"
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
	// Trees come back in history order: a commit's parent folder is the
	// next commit's own, so a small cache of decoded folders is enough.
	// The buffers of evicted trees are reused: the folder is read at every
	// commit that changed it.
	cache := map[plumbing.Hash]*rawTree{}
	var order []plumbing.Hash
	var spare *rawTree
	entries := func(folder plumbing.Hash) []rawEntry {
		if t, ok := cache[folder]; ok {
			return t.entries
		}
		if len(order) == 4 {
			spare = cache[order[0]]
			delete(cache, order[0])
			order = order[1:]
		}
		t := spare
		if t == nil {
			t = &rawTree{}
		}
		spare = nil
		t.read(g, folder)
		cache[folder] = t
		order = append(order, folder)
		return t.entries
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
		// The files that differ from every parent: a merge walk of the
		// sorted entries against each parent's.
		changed := changedFiles(entries(folder), nil)
		for _, pf := range parents {
			changed = changedFiles(entries(folder), entries(pf))
			break
		}
		for _, pf := range parents[min(1, len(parents)):] {
			also := map[string]bool{}
			for _, name := range changedFiles(entries(folder), entries(pf)) {
				also[name] = true
			}
			changed = slices.DeleteFunc(changed, func(n string) bool { return !also[n] })
		}
		var commit *Commit
		for _, name := range changed {
			if _, wanted := left[name]; !wanted {
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

// rawEntry is one entry of a tree object, read without go-git's decoder:
// a folder of thousands of articles is read at every commit that changed it.
type rawEntry struct {
	name []byte
	hash plumbing.Hash
	file bool
}

// rawTree is a tree object's bytes and its entries, which point into them.
type rawTree struct {
	buf     []byte
	entries []rawEntry
}

// read reads the entries of a tree object into t, reusing its memory; a tree
// that cannot be read has none.
func (t *rawTree) read(g *git.Repository, h plumbing.Hash) {
	t.entries = t.entries[:0]
	obj, err := g.Storer.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return
	}
	rd, err := obj.Reader()
	if err != nil {
		return
	}
	defer rd.Close()
	if n := int(obj.Size()); cap(t.buf) < n {
		t.buf = make([]byte, n)
	} else {
		t.buf = t.buf[:n]
	}
	if _, err := io.ReadFull(rd, t.buf); err != nil {
		return
	}
	data := t.buf
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || len(data) < nul+21 {
			return
		}
		mode := data[:sp]
		e := rawEntry{name: data[sp+1 : nul], file: len(mode) == 6 && mode[0] == '1'} // 100644, 100755, 120000
		copy(e.hash[:], data[nul+1:nul+21])
		t.entries = append(t.entries, e)
		data = data[nul+21:]
	}
}

// changedFiles returns the names of the files in mine that are not in
// theirs with the same content. Both lists are in git's tree order, which
// for files is byte order; a folder is compared by name, which is enough to
// skip it.
func changedFiles(mine, theirs []rawEntry) []string {
	var out []string
	j := 0
	for _, e := range mine {
		if !e.file {
			continue
		}
		for j < len(theirs) && bytes.Compare(theirs[j].name, e.name) < 0 {
			j++
		}
		// Git sorts a folder as if its name ended in '/': look a little
		// further for an exact name before calling the file changed.
		k := j
		for k < len(theirs) && k < j+4 && !bytes.Equal(theirs[k].name, e.name) {
			k++
		}
		if k < len(theirs) && bytes.Equal(theirs[k].name, e.name) && theirs[k].hash == e.hash {
			continue
		}
		out = append(out, string(e.name))
	}
	return out
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
