package gitdb

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// emptyTree is the hash of the tree with no entries, which git knows without
// storing it; an unborn branch is treated as having it.
var emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

// treeEntry is one entry of a tree object. The mode is kept as the exact
// bytes git wrote ("100644", "40000", ...) so that untouched entries are
// written back byte for byte.
type treeEntry struct {
	mode string
	name string
	hash plumbing.Hash
}

func (e treeEntry) isTree() bool { return e.mode == "40000" || e.mode == "040000" }

// treeCmp orders entries as git does: by name, where a tree's name compares
// as if it ended in "/".
func treeCmp(a, b treeEntry) int {
	an, bn := a.name, b.name
	n := min(len(an), len(bn))
	if c := strings.Compare(an[:n], bn[:n]); c != 0 {
		return c
	}
	var ac, bc byte
	if len(an) > n {
		ac = an[n]
	} else if a.isTree() {
		ac = '/'
	}
	if len(bn) > n {
		bc = bn[n]
	} else if b.isTree() {
		bc = '/'
	}
	switch {
	case ac < bc:
		return -1
	case ac > bc:
		return 1
	}
	return 0
}

func parseTree(h plumbing.Hash, data []byte) ([]treeEntry, error) {
	var out []treeEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return nil, fmt.Errorf("gitdb: tree %s: malformed entry", h)
		}
		nul := bytes.IndexByte(data[sp+1:], 0)
		if nul <= 0 || sp+1+nul+1+20 > len(data) {
			return nil, fmt.Errorf("gitdb: tree %s: malformed entry", h)
		}
		var e treeEntry
		e.mode = string(data[:sp])
		e.name = string(data[sp+1 : sp+1+nul])
		copy(e.hash[:], data[sp+1+nul+1:])
		out = append(out, e)
		data = data[sp+1+nul+1+20:]
	}
	return out, nil
}

func encodeTree(entries []treeEntry) []byte {
	n := 0
	for _, e := range entries {
		n += len(e.mode) + len(e.name) + 22
	}
	buf := make([]byte, 0, n)
	for _, e := range entries {
		buf = append(buf, e.mode...)
		buf = append(buf, ' ')
		buf = append(buf, e.name...)
		buf = append(buf, 0)
		buf = append(buf, e.hash[:]...)
	}
	return buf
}

func (r *Repo) readTree(h plumbing.Hash) ([]treeEntry, error) {
	if h == emptyTree {
		return nil, nil
	}
	data, err := r.readObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	return parseTree(h, data)
}

// lookup walks from tree root down path, loading only the trees on the way.
func (r *Repo) lookup(root plumbing.Hash, path string) (treeEntry, bool, error) {
	tree := root
	for {
		name, rest, more := strings.Cut(path, "/")
		entries, err := r.readTree(tree)
		if err != nil {
			return treeEntry{}, false, err
		}
		i := slices.IndexFunc(entries, func(e treeEntry) bool { return e.name == name })
		if i < 0 {
			return treeEntry{}, false, nil
		}
		if !more {
			return entries[i], true, nil
		}
		if !entries[i].isTree() {
			return treeEntry{}, false, nil
		}
		tree, path = entries[i].hash, rest
	}
}

// walkTree calls fn for every non-tree entry below tree, in index order. Only
// used to build an index from scratch, when there is none to update.
func (r *Repo) walkTree(tree plumbing.Hash, prefix string, fn func(path string, e treeEntry) error) error {
	entries, err := r.readTree(tree)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.isTree() {
			if err := r.walkTree(e.hash, prefix+e.name+"/", fn); err != nil {
				return err
			}
			continue
		}
		if err := fn(prefix+e.name, e); err != nil {
			return err
		}
	}
	return nil
}

// buildTree applies changes (sorted by path, all below prefix) to the tree
// old (zero for none) and writes the trees that changed. It loads only the
// trees on the paths of the changes. It returns the new tree's hash, or
// empty=true if the tree ends up with no entries (the caller then drops it).
func (r *Repo) buildTree(old plumbing.Hash, prefix string, changes []*change) (plumbing.Hash, bool, error) {
	var entries []treeEntry
	if !old.IsZero() {
		var err error
		if entries, err = r.readTree(old); err != nil {
			return plumbing.ZeroHash, false, err
		}
	}
	// Large directories (a flat folder of many tickets) are looked up through
	// a map; small ones by scanning.
	var pos map[string]int
	if len(entries) > 64 && len(changes) > 4 {
		pos = make(map[string]int, len(entries))
		for i, e := range entries {
			pos[e.name] = i
		}
	}
	find := func(name string) int {
		if pos != nil {
			if i, ok := pos[name]; ok {
				return i
			}
			return -1
		}
		return slices.IndexFunc(entries, func(e treeEntry) bool { return e.name == name })
	}
	removed := make(map[int]bool)
	var added []treeEntry
	set := func(i int, e treeEntry) {
		if i >= 0 {
			entries[i] = e
			delete(removed, i)
		} else {
			added = append(added, e)
		}
	}

	for i := 0; i < len(changes); {
		c := changes[i]
		rel := c.path[len(prefix):]
		name, _, isDir := strings.Cut(rel, "/")
		at := find(name)
		if !isDir {
			i++
			if at >= 0 && entries[at].isTree() {
				return plumbing.ZeroHash, false, fmt.Errorf("gitdb: %s: is a directory in HEAD", c.path)
			}
			if c.del {
				if at >= 0 {
					removed[at] = true
				}
				continue
			}
			set(at, treeEntry{mode: "100644", name: name, hash: c.blob})
			continue
		}
		// All changes below name/ are contiguous because paths sort bytewise.
		sub := prefix + name + "/"
		j := i + 1
		for j < len(changes) && strings.HasPrefix(changes[j].path, sub) {
			j++
		}
		group := changes[i:j]
		i = j
		var subTree plumbing.Hash
		if at >= 0 && removed[at] {
			at = -1 // a file deleted by this change set becomes a directory
		}
		if at >= 0 {
			if !entries[at].isTree() {
				if allDeletes(group) {
					continue // nothing exists below a file
				}
				return plumbing.ZeroHash, false, fmt.Errorf("gitdb: %s: %s is not a directory in HEAD", group[0].path, strings.TrimSuffix(sub, "/"))
			}
			subTree = entries[at].hash
		}
		h, empty, err := r.buildTree(subTree, sub, group)
		if err != nil {
			return plumbing.ZeroHash, false, err
		}
		switch {
		case empty && at >= 0:
			removed[at] = true
		case !empty:
			set(at, treeEntry{mode: "40000", name: name, hash: h})
		}
	}

	if len(removed) > 0 {
		kept := entries[:0]
		for i, e := range entries {
			if !removed[i] {
				kept = append(kept, e)
			}
		}
		entries = kept
	}
	if len(added) > 0 {
		entries = append(entries, added...)
		slices.SortFunc(entries, treeCmp)
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, true, nil
	}
	data := encodeTree(entries)
	h := plumbing.ComputeHash(plumbing.TreeObject, data)
	if h == old {
		return h, false, nil
	}
	if _, err := r.writeObject(plumbing.TreeObject, data); err != nil {
		return plumbing.ZeroHash, false, err
	}
	return h, false, nil
}

func allDeletes(cs []*change) bool {
	for _, c := range cs {
		if !c.del {
			return false
		}
	}
	return true
}

// cleanPath checks a work-tree path given by a caller: slash-separated,
// relative, no empty, "." or ".." components and nothing inside .git, the
// rules git applies to paths it will check out.
func cleanPath(p string) (string, error) {
	if p == "" || p[0] == '/' || strings.HasSuffix(p, "/") || strings.ContainsRune(p, 0) {
		return "", fmt.Errorf("gitdb: invalid path %q", p)
	}
	for _, c := range strings.Split(p, "/") {
		if c == "" || c == "." || c == ".." || strings.EqualFold(c, ".git") {
			return "", fmt.Errorf("gitdb: invalid path %q", p)
		}
	}
	return p, nil
}
