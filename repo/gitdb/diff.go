package gitdb

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// ChangedFiles returns the files below dir (slash-separated, "" for the
// whole tree) that differ between the trees of commits from and to: added,
// removed or changed, in git's tree order. It reads only the trees whose
// hashes differ, so one changed ticket among 100,000 costs the trees on its
// path, where go-git's DiffTree decodes every tree it compares (measured at
// 100,000 tickets: 0.3 s of a search index catch-up, see search/doc.go).
func (r *Repo) ChangedFiles(from, to plumbing.Hash, dir string) ([]string, error) {
	a, err := r.dirTree(from, dir)
	if err != nil {
		return nil, err
	}
	b, err := r.dirTree(to, dir)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if dir != "" {
		prefix = strings.TrimSuffix(dir, "/") + "/"
	}
	var out []string
	return out, r.diffTrees(a, b, prefix, &out)
}

// dirTree is the tree of dir in commit, emptyTree when either is absent.
func (r *Repo) dirTree(commit plumbing.Hash, dir string) (plumbing.Hash, error) {
	if commit.IsZero() {
		return emptyTree, nil
	}
	root, err := r.commitTree(commit)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if dir == "" {
		return root, nil
	}
	p, err := cleanPath(strings.TrimSuffix(dir, "/"))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	e, found, err := r.lookup(root, p)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if !found || !e.isTree() {
		return emptyTree, nil
	}
	return e.hash, nil
}

// diffTrees appends to out the files that differ between trees a and b.
func (r *Repo) diffTrees(a, b plumbing.Hash, prefix string, out *[]string) error {
	if a == b {
		return nil
	}
	ea, err := r.readTree(a)
	if err != nil {
		return fmt.Errorf("gitdb: diff %s: %w", prefix, err)
	}
	eb, err := r.readTree(b)
	if err != nil {
		return fmt.Errorf("gitdb: diff %s: %w", prefix, err)
	}
	// One side only: every file below it.
	side := func(e treeEntry) error {
		if !e.isTree() {
			*out = append(*out, prefix+e.name)
			return nil
		}
		return r.walkTree(e.hash, prefix+e.name+"/", func(p string, _ treeEntry) error {
			*out = append(*out, p)
			return nil
		})
	}
	i, j := 0, 0
	for i < len(ea) || j < len(eb) {
		var c int
		switch {
		case i == len(ea):
			c = 1
		case j == len(eb):
			c = -1
		default:
			c = treeCmp(ea[i], eb[j])
		}
		switch {
		case c < 0:
			if err := side(ea[i]); err != nil {
				return err
			}
			i++
		case c > 0:
			if err := side(eb[j]); err != nil {
				return err
			}
			j++
		default:
			x, y := ea[i], eb[j]
			i++
			j++
			if x.hash == y.hash && x.mode == y.mode {
				continue
			}
			if x.isTree() && y.isTree() {
				if err := r.diffTrees(x.hash, y.hash, prefix+x.name+"/", out); err != nil {
					return err
				}
				continue
			}
			*out = append(*out, prefix+x.name)
		}
	}
	return nil
}
