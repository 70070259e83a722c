package check

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
)

// deskFile reports whether a desk path is a ticket or an article.
func deskFile(p string) (isTicket, isArticle bool) {
	if !strings.HasSuffix(p, ".md") {
		return false, false
	}
	return strings.HasPrefix(p, "tickets/"), strings.HasPrefix(p, "kb/") && strings.Count(p, "/") == 1
}

// runBase checks the files changed between the merge base of base and HEAD,
// with the git rules.
func (c *checker) runBase(ctx context.Context, opts Options) (int, error) {
	g := c.r.Git.Git()
	baseHash, err := g.ResolveRevision(plumbing.Revision(opts.Base))
	if err != nil {
		return 0, &UsageError{Msg: fmt.Sprintf("--base %q is not a revision of this repository (%v); use a branch, tag or commit, e.g. origin/main", opts.Base, err)}
	}
	_, headHash, err := c.r.Git.Head()
	if err != nil {
		return 0, err
	}
	if headHash.IsZero() {
		return 0, &UsageError{Msg: "--base needs a commit: this branch has none yet"}
	}
	head, err := g.CommitObject(headHash)
	if err != nil {
		return 0, err
	}
	baseCommit, err := g.CommitObject(*baseHash)
	if err != nil {
		return 0, &UsageError{Msg: fmt.Sprintf("--base %q does not name a commit: %v", opts.Base, err)}
	}
	c.objects = newObjectCache(g)
	var mb *object.Commit
	if bases, err := head.MergeBase(baseCommit); err == nil && len(bases) > 0 {
		mb = bases[0]
	}

	c.branch = branchCommits(head, mb, 1000)

	// The version checked is HEAD's.
	c.read = func(p string) ([]byte, error) { return c.objects.read(head.TreeHash, c.r.GitPath(p)) }

	changes, err := c.changedFiles(mb, head)
	if err != nil {
		return 0, err
	}
	sel := selection(opts.Paths)
	changed := map[string]bool{}
	for _, ch := range changes {
		changed[ch.path] = sel(ch.path)
	}
	c.report = func(p string) bool { return changed[p] }

	w := c.treeWorld(headHash)
	files := 0
	for _, ch := range changes {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if !changed[ch.path] {
			continue
		}
		isTicket, isArticle := deskFile(ch.path)
		if ch.deleted {
			if isTicket {
				id := strings.TrimSuffix(path.Base(ch.path), ".md")
				c.add(HistoryRewritten, ch.path, id, atLine(0, 0), "the ticket file was deleted; tickets are archived, never removed (restore it from %s)", opts.Base)
			}
			continue
		}
		files++
		if isArticle {
			c.checkArticle(c.parseArticle(ch.path), w)
			continue
		}
		data, err := c.read(ch.path)
		if err != nil {
			return 0, err
		}
		rec := c.r.RecordFrom(ch.path, data)
		c.checkTicket(rec, w)
		if rec.Err != nil {
			continue
		}
		fileID := strings.TrimSuffix(path.Base(ch.path), ".md")
		if rec.Ticket.ID != fileID && w.ticketExists(rec.Ticket.ID) {
			c.add(DuplicateID, ch.path, rec.Ticket.ID, atKey("id"), "ID %s is also the ID of another ticket file", rec.Ticket.ID)
		}
		c.gitRules(ch, rec, mb, baseCommit, opts.Base)
	}
	return files, nil
}

type fileChange struct {
	path    string // desk path
	added   bool
	deleted bool
}

// changedFiles lists the tickets and articles that differ between the merge
// base and HEAD. diffTrees skips identical subtrees by hash, so the cost
// follows the change, not the size of the repository.
func (c *checker) changedFiles(mb, head *object.Commit) ([]fileChange, error) {
	var out []fileChange
	for _, dir := range []string{"tickets", "kb"} {
		sub := c.r.GitPath(dir)
		var a, b plumbing.Hash
		if mb != nil {
			if h, isDir, ok := c.objects.entry(mb.TreeHash, sub); ok && isDir {
				a = h
			}
		}
		if h, isDir, ok := c.objects.entry(head.TreeHash, sub); ok && isDir {
			b = h
		}
		c.diffTrees(a, b, dir, &out)
	}
	return out, nil
}

// diffTrees appends the files that differ between two trees (zero: absent),
// descending only into subtrees whose hashes differ: identical folders cost
// nothing, and a changed folder costs one pass over its sorted entries.
func (c *checker) diffTrees(a, b plumbing.Hash, dir string, out *[]fileChange) {
	if a == b {
		return
	}
	entries := func(h plumbing.Hash) []object.TreeEntry {
		if h.IsZero() {
			return nil
		}
		if t := c.objects.tree(h); t != nil {
			return t.Entries
		}
		return nil
	}
	ea, eb := entries(a), entries(b)
	add := func(e object.TreeEntry, added, deleted bool) {
		p := dir + "/" + e.Name
		if e.Mode == filemode.Dir {
			if added {
				c.diffTrees(plumbing.ZeroHash, e.Hash, p, out)
			} else {
				c.diffTrees(e.Hash, plumbing.ZeroHash, p, out)
			}
			return
		}
		if isT, isA := deskFile(p); isT || isA {
			*out = append(*out, fileChange{path: p, added: added, deleted: deleted})
		}
	}
	i, j := 0, 0
	for i < len(ea) || j < len(eb) {
		switch {
		case j == len(eb) || (i < len(ea) && ea[i].Name < eb[j].Name):
			add(ea[i], false, true)
			i++
		case i == len(ea) || eb[j].Name < ea[i].Name:
			add(eb[j], true, false)
			j++
		default:
			x, y := ea[i], eb[j]
			i++
			j++
			if x.Hash == y.Hash && x.Mode == y.Mode {
				continue
			}
			switch xd, yd := x.Mode == filemode.Dir, y.Mode == filemode.Dir; {
			case xd && yd:
				c.diffTrees(x.Hash, y.Hash, dir+"/"+x.Name, out)
			case xd != yd:
				add(x, false, true)
				add(y, true, false)
			default:
				if p := dir + "/" + y.Name; true {
					if isT, isA := deskFile(p); isT || isA {
						*out = append(*out, fileChange{path: p})
					}
				}
			}
		}
	}
}

// treeWorld answers whole-repository questions from file names in a commit:
// a ticket exists when the file of its ID does; an article when kb/<slug>.md
// does. It lists only the folders it is asked about.
func (c *checker) treeWorld(commit plumbing.Hash) *world {
	dirs := map[string]map[string]bool{}
	list := func(dir string) map[string]bool {
		if m, ok := dirs[dir]; ok {
			return m
		}
		m := map[string]bool{}
		names, _ := c.r.Git.ListDir(commit, c.r.GitPath(dir))
		for _, n := range names {
			m[n] = true
		}
		dirs[dir] = m
		return m
	}
	exists := func(id string) bool {
		pid, err := ticket.ParseID(id)
		return err == nil && list(pid.Dir())[id+".md"]
	}
	return &world{
		ticketExists:  exists,
		articleExists: func(slug string) bool { return list("kb")[slug+".md"] },
	}
}

// gitRules compares a changed ticket with its version at the merge base and
// with the commits that changed it.
func (c *checker) gitRules(ch fileChange, rec *records.Record, mb, base *object.Commit, baseName string) {
	id := rec.Ticket.ID
	gp := c.r.GitPath(ch.path)
	if ch.added {
		// id-taken: the base branch already has a ticket at this path.
		if h, ok := c.objects.blob(base.TreeHash, gp); ok {
			if mine, err := c.read(ch.path); err != nil || h != plumbing.ComputeHash(plumbing.BlobObject, mine) {
				c.add(IDTaken, ch.path, id, atKey("id"), "%s already uses ID %s for another ticket; run desk ticket renumber %s on this branch", baseName, id, id)
			}
		}
	} else if mb != nil {
		// history-rewritten: every event at the merge base is still there.
		if old := c.versionAt(mb, gp); old != nil && old.Err == nil {
			for i, e := range old.Ticket.Events {
				if i >= len(rec.Ticket.Events) {
					c.add(HistoryRewritten, ch.path, id, atLine(1, 1), "event %d (%s at %s) of %s is gone; the log only grows", i+1, e.Action, c.fmtTime(e.At), baseName)
					break
				}
				if !e.Equal(rec.Ticket.Events[i]) {
					c.add(HistoryRewritten, ch.path, id, atEvent(i), "event %d was changed since %s; the log only grows: record corrections as new events", i+1, baseName)
				}
			}
		}
	}
	// event-time: each event against the commit that added it, on the
	// branch's own commits (first parents from HEAD down to the merge base;
	// events a merge brings in were recorded by their own commits).
	if touched, known := c.trailerCommits(); known && !ch.added && mb != nil {
		// Every commit of the branch is a desk commit naming its
		// tickets. A ticket that one of them touched got from it exactly
		// the events HEAD has beyond the merge base: no tree of the
		// commits in between is needed.
		if cms := touched[id]; len(cms) == 1 {
			from := 0
			if old := c.versionAt(mb, gp); old != nil && old.Err == nil {
				from = len(old.Ticket.Events)
			}
			c.eventTimes(ch.path, id, rec.Ticket.Events, from, len(rec.Ticket.Events), cms[0])
			return
		}
	}
	for _, cm := range c.branch {
		if cm.NumParents() != 1 {
			continue
		}
		fh, ok := c.objects.blob(cm.TreeHash, gp)
		if !ok {
			continue
		}
		parent, err := cm.Parent(0)
		if err != nil {
			continue
		}
		from := 0
		if ph, ok := c.objects.blob(parent.TreeHash, gp); ok {
			if ph == fh {
				continue // this commit did not touch the ticket
			}
			if prev := c.versionAt(parent, gp); prev != nil && prev.Err == nil {
				from = len(prev.Ticket.Events)
			}
		}
		now := c.versionAt(cm, gp)
		if now == nil || now.Err != nil {
			continue
		}
		c.eventTimes(ch.path, id, now.Ticket.Events, from, min(len(now.Ticket.Events), len(rec.Ticket.Events)), cm)
	}
}

// eventTimes judges events[from:to] against the time of the commit cm that
// recorded them.
func (c *checker) eventTimes(path, id string, events []ticket.Event, from, to int, cm *object.Commit) {
	when := cm.Committer.When
	for i := from; i < to; i++ {
		e := events[i]
		switch {
		case e.At.Truncate(time.Second).After(when.Add(time.Second)):
			c.add(EventTime, path, id, atEventKey(i, "at"), "event %d is dated %s, after commit %s that recorded it (%s): an event recorded before it happened", i+1, c.fmtTime(e.At), cm.Hash.String()[:10], c.fmtTime(when))
		case when.Sub(e.At) > 24*time.Hour:
			c.addSeverity(Warning, EventTime, path, id, atEventKey(i, "at"), "event %d of %s was recorded %s later, by commit %s (%s): a late entry", i+1, c.fmtTime(e.At), roundDur(when.Sub(e.At)), cm.Hash.String()[:10], c.fmtTime(when))
		}
	}
}

// trailerCommits maps ticket IDs to the branch commits whose Desk-Ticket
// trailers name them. known is false unless every commit of the branch is a
// single-parent desk commit with such a trailer (anything else may have
// touched any ticket).
func (c *checker) trailerCommits() (touched map[string][]*object.Commit, known bool) {
	if c.trailers != nil {
		return c.trailers, c.trailersKnown
	}
	c.trailers = map[string][]*object.Commit{}
	c.trailersKnown = true
	for _, cm := range c.branch {
		// A commit of several tickets (a link, a bulk change) names each.
		var ids []string
		renumber := false
		for _, line := range strings.Split(cm.Message, "\n") {
			if v, ok := strings.CutPrefix(line, "Desk-Ticket: "); ok && strings.TrimSpace(v) != "" {
				ids = append(ids, strings.TrimSpace(v))
			}
			// A renumber moves a file: not a plain change of tickets.
			renumber = renumber || strings.HasPrefix(line, "Desk-Renumbered-From: ")
		}
		if len(ids) == 0 || renumber || cm.NumParents() != 1 {
			c.trailersKnown = false
			continue
		}
		for _, id := range ids {
			c.trailers[id] = append(c.trailers[id], cm)
		}
	}
	return c.trailers, c.trailersKnown
}

// branchCommits lists the commits of the branch: first parents from head
// down to, not including, the merge base (at most limit of them).
func branchCommits(head, mb *object.Commit, limit int) []*object.Commit {
	var out []*object.Commit
	for cm := head; cm != nil && len(out) < limit; {
		if mb != nil && cm.Hash == mb.Hash {
			break
		}
		out = append(out, cm)
		if cm.NumParents() == 0 {
			break
		}
		p, err := cm.Parent(0)
		if err != nil {
			break
		}
		cm = p
	}
	return out
}

// versionAt parses the ticket at gitPath in a commit (nil if absent).
func (c *checker) versionAt(cm *object.Commit, gitPath string) *records.Record {
	h, ok := c.objects.blob(cm.TreeHash, gitPath)
	if !ok {
		return nil
	}
	if rec, ok := c.objects.records[h]; ok {
		return rec
	}
	var rec *records.Record
	if b, err := c.r.Git.Git().BlobObject(h); err == nil {
		if rd, err := b.Reader(); err == nil {
			data, err := io.ReadAll(rd)
			rd.Close()
			if err == nil {
				rec = c.r.RecordFrom(strings.TrimPrefix(gitPath, c.r.GitPath("")), data)
			}
		}
	}
	c.objects.records[h] = rec
	return rec
}

// objectCache remembers decoded trees and parsed blobs for one run: the
// branch's commits share most of their trees, and a month folder of a large
// repository is a tree of thousands of entries, decoded once instead of once
// per commit and ticket.
type objectCache struct {
	g       *git.Repository
	trees   map[plumbing.Hash]*object.Tree
	records map[plumbing.Hash]*records.Record
}

func newObjectCache(g *git.Repository) *objectCache {
	return &objectCache{g: g, trees: map[plumbing.Hash]*object.Tree{}, records: map[plumbing.Hash]*records.Record{}}
}

func (oc *objectCache) tree(h plumbing.Hash) *object.Tree {
	if t, ok := oc.trees[h]; ok {
		return t
	}
	t, err := oc.g.TreeObject(h)
	if err != nil {
		t = nil
	}
	oc.trees[h] = t
	return t
}

// read returns the contents of the file at path in the tree root.
func (oc *objectCache) read(root plumbing.Hash, path string) ([]byte, error) {
	h, ok := oc.blob(root, path)
	if !ok {
		return nil, fmt.Errorf("%s: %w", path, os.ErrNotExist)
	}
	b, err := oc.g.BlobObject(h)
	if err != nil {
		return nil, err
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// blob returns the hash of the file at path in the tree root.
func (oc *objectCache) blob(root plumbing.Hash, path string) (plumbing.Hash, bool) {
	h, dir, ok := oc.entry(root, path)
	return h, ok && !dir
}

// entry returns the hash of the file or folder at path in the tree root.
func (oc *objectCache) entry(root plumbing.Hash, path string) (h plumbing.Hash, dir, ok bool) {
	h, dir = root, true
	for _, name := range strings.Split(path, "/") {
		if name == "" || name == "." {
			continue
		}
		t := oc.tree(h)
		if !dir || t == nil {
			return plumbing.ZeroHash, false, false
		}
		e, err := t.FindEntry(name)
		if err != nil {
			return plumbing.ZeroHash, false, false
		}
		h, dir = e.Hash, e.Mode == filemode.Dir
	}
	return h, dir, true
}

func roundDur(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%d hours", int(d/time.Hour))
}

// addSeverity is add with a severity other than the rule's (event-time's late
// entries are warnings). A rule turned off stays off; one set in desk.toml
// keeps its configured severity.
func (c *checker) addSeverity(sev Severity, rule *Rule, path, id string, at loc, format string, args ...any) {
	if _, configured := c.cfg.Check.Rules[rule.ID]; configured || c.severityOf(rule) == "" {
		sev = c.severityOf(rule)
	}
	c.addAs(sev, rule, path, id, at, format, args...)
}

// runStaged checks what is staged in the index: the files whose staged
// version differs from HEAD, read from the index.
func (c *checker) runStaged(ctx context.Context, opts Options) (int, error) {
	g := c.r.Git.Git()
	idx, err := g.Storer.Index()
	if err != nil {
		return 0, fmt.Errorf("read the index: %w", err)
	}
	_, headHash, err := c.r.Git.Head()
	if err != nil {
		return 0, err
	}
	var headTree *object.Tree
	if !headHash.IsZero() {
		cm, err := g.CommitObject(headHash)
		if err != nil {
			return 0, err
		}
		if headTree, err = cm.Tree(); err != nil {
			return 0, err
		}
	}
	prefix := c.r.GitPath("")
	sel := selection(opts.Paths)
	staged := map[string]plumbing.Hash{}
	for _, e := range idx.Entries {
		p, ok := strings.CutPrefix(e.Name, prefix)
		if !ok {
			continue
		}
		if isT, isA := deskFile(p); (!isT && !isA) || !sel(p) {
			continue
		}
		if headTree != nil {
			if f, err := headTree.File(e.Name); err == nil && f.Hash == e.Hash {
				continue
			}
		}
		staged[p] = e.Hash
	}
	c.report = func(p string) bool { _, ok := staged[p]; return ok }
	c.read = func(p string) ([]byte, error) {
		h, ok := staged[p]
		if !ok {
			return readFile(c.r, p)
		}
		b, err := g.BlobObject(h)
		if err != nil {
			return nil, err
		}
		rd, err := b.Reader()
		if err != nil {
			return nil, err
		}
		defer rd.Close()
		buf := make([]byte, b.Size)
		_, err = io.ReadFull(rd, buf)
		return buf, err
	}
	recs, err := c.r.Records(ctx)
	if err != nil {
		return 0, err
	}
	arts, err := c.loadArticles()
	if err != nil {
		return 0, err
	}
	w := c.world(recs, arts)
	// Duplicate IDs: the staged version of a staged ticket, the work tree's
	// of the others.
	ids := map[string][]string{}
	for _, rec := range recs {
		if _, ok := staged[rec.Path]; !ok && rec.Err == nil && rec.Ticket.ID != "" {
			ids[rec.Ticket.ID] = append(ids[rec.Ticket.ID], rec.Path)
		}
	}
	paths := make([]string, 0, len(staged))
	for p := range staged {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	files := 0
	for _, p := range paths {
		files++
		if isT, _ := deskFile(p); isT {
			data, err := c.read(p)
			if err != nil {
				return 0, err
			}
			rec := c.r.RecordFrom(p, data)
			if rec.Err == nil && rec.Ticket.ID != "" {
				ids[rec.Ticket.ID] = append(ids[rec.Ticket.ID], p)
			}
			c.checkTicket(rec, w)
		} else {
			c.checkArticle(c.parseArticle(p), w)
		}
	}
	var artPaths []string
	for _, a := range arts {
		artPaths = append(artPaths, a.path)
	}
	c.duplicates(ids, artPaths)
	return files, nil
}
