package gitdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// Tx is the transaction an Update's fn works in: it reads the state under the
// index lock and stages changes. Changes take effect only if fn returns
// without error. A Tx must not be used after fn returns.
type Tx struct {
	r       *Repo
	ref     string
	head    plumbing.Hash
	changes map[string]*change
	err     error
}

// change is one staged path: new content, or deletion.
type change struct {
	path string
	data []byte
	del  bool
	blob plumbing.Hash
}

// Head returns the HEAD commit as read under the lock (zero if the branch is
// unborn). The commit made by this Update will have it as parent.
func (tx *Tx) Head() plumbing.Hash { return tx.head }

// HeadRef returns the ref HEAD pointed to under the lock ("refs/heads/main",
// or "HEAD" when detached).
func (tx *Tx) HeadRef() string { return tx.ref }

// ReadFile reads path from the HEAD commit read under the lock; see
// Repo.ReadFile. It does not see the changes staged in tx.
func (tx *Tx) ReadFile(path string) ([]byte, error) { return tx.r.ReadFile(tx.head, path) }

// Put stages path (slash-separated, relative to TopLevel) with content data
// and mode 100644. data is copied. An invalid path makes Update fail.
func (tx *Tx) Put(path string, data []byte) {
	p, err := cleanPath(path)
	if err != nil {
		tx.fail(err)
		return
	}
	tx.changes[p] = &change{path: p, data: bytes.Clone(data)}
}

// Delete stages the removal of path. Deleting a path that does not exist is
// not an error. An empty directory left behind is removed from the tree and
// from the work tree.
func (tx *Tx) Delete(path string) {
	p, err := cleanPath(path)
	if err != nil {
		tx.fail(err)
		return
	}
	tx.changes[p] = &change{path: p, del: true}
}

// Rename stages the move of from to to with the new content data
// (Delete(from) then Put(to, data)).
func (tx *Tx) Rename(from, to string, data []byte) {
	tx.Delete(from)
	tx.Put(to, data)
}

func (tx *Tx) fail(err error) {
	if tx.err == nil {
		tx.err = err
	}
}

// processMu serialises Updates of one git dir inside this process: goroutines
// then queue fairly on a channel instead of polling the lock file against one
// another (and against the lock timeout).
var processMu sync.Map // git dir -> chan struct{}

func (r *Repo) enter(ctx context.Context) (func(), error) {
	v, _ := processMu.LoadOrStore(r.gitDir, make(chan struct{}, 1))
	ch := v.(chan struct{})
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Update runs fn while holding the repository's index lock, then commits
// what fn staged as one commit on the current branch, containing only the
// staged paths, and returns its hash.
//
// fn reads whatever it needs (the work tree through os, or tx.Head /
// tx.ReadFile) under the lock, so that two processes never both work from the
// old state; it stages with tx.Put / tx.Delete and returns the commit
// message. If fn returns an error, nothing is written and that error is
// returned unchanged. If fn stages nothing, nothing is written and the zero
// hash is returned. If the staged content equals HEAD, no commit is made
// (zero hash) but the work-tree files and index entries of the staged paths
// are still brought in line with it.
//
// Afterwards HEAD, the index and the work tree agree on the staged paths, and
// other paths are as they were (including changes staged by the user). If a
// step fails, the work-tree files are restored and the index lock removed.
// The errors are ErrLocked (another process held the lock longer than
// LockTimeout), ErrConflict (the branch moved), ErrNoIdentity, or I/O errors.
//
// fn may run more than once: if the branch moved while fn's commit was being
// made, everything is rolled back and Update starts over (up to
// r.ConflictRetries times) so that fn sees the new state. This happens next
// to a plain `git commit`, which releases the index lock before it moves the
// branch. fn should therefore only read and stage, with no other effects.
//
// While the lock is held, SIGINT/SIGTERM/SIGHUP are caught: before the
// commit starts they remove the lock and are re-raised; during the commit
// (milliseconds) they are delivered after it. A program with its own handler
// for these signals will see them once more when re-raised.
func (r *Repo) Update(ctx context.Context, fn func(tx *Tx) (message string, err error)) (plumbing.Hash, error) {
	if err := r.checkWritable(); err != nil {
		return plumbing.ZeroHash, err
	}
	for attempt := 0; ; attempt++ {
		h, conflict, err := r.update(ctx, fn)
		if !conflict || attempt >= r.ConflictRetries {
			return h, err
		}
		// Everything was rolled back; a moment later the other commit is
		// done and fn will see it.
		if err := sleepCtx(ctx, time.Duration(attempt+1)*5*time.Millisecond); err != nil {
			return plumbing.ZeroHash, err
		}
	}
}

// update is one attempt of Update; conflict reports that the ref
// compare-and-swap failed after a full rollback, so the attempt may be
// repeated.
func (r *Repo) update(ctx context.Context, fn func(tx *Tx) (message string, err error)) (_ plumbing.Hash, conflict bool, _ error) {
	if err := ctx.Err(); err != nil {
		return plumbing.ZeroHash, false, err
	}
	leave, err := r.enter(ctx)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	defer leave()
	lk, err := r.lockIndex(ctx)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	g := guardSignals(lk)
	defer g.stop()
	installed := false
	defer func() {
		if !installed {
			lk.release(false)
		}
	}()

	ref, head, ix, err := r.settledHead(ctx)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	tx := &Tx{r: r, ref: ref, head: head, changes: map[string]*change{}}
	msg, err := fn(tx)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	if tx.err != nil {
		return plumbing.ZeroHash, false, tx.err
	}
	if len(tx.changes) == 0 {
		return plumbing.ZeroHash, false, nil
	}
	if err := ctx.Err(); err != nil {
		return plumbing.ZeroHash, false, err
	}
	if !g.enterCritical() {
		return plumbing.ZeroHash, false, errInterrupted
	}
	c := &committer{r: r, ctx: ctx, lk: lk, ref: ref, head: head, msg: msg, ix: ix}
	for _, ch := range tx.changes {
		c.changes = append(c.changes, ch)
	}
	sort.Slice(c.changes, func(i, j int) bool { return c.changes[i].path < c.changes[j].path })
	h, err := c.run()
	installed = c.installed
	return h, c.conflict, err
}

// committer carries one commit through its steps.
type committer struct {
	r       *Repo
	ctx     context.Context
	lk      *indexLock
	ref     string
	head    plumbing.Hash
	msg     string
	changes []*change
	ix      *indexFile // the index read under the lock; nil if there is none

	wt        *worktreeWrite
	journal   *journal // written before the work tree is touched; undoes it on failure
	installed bool     // the new index is in place: no rollback any more
	conflict  bool     // the ref CAS failed and everything was rolled back
}

// traceStep, when set (by the benchmark), receives the duration of each step
// of a commit.
var traceStep func(step string, d time.Duration)

// crashHook, when set (by the crash tests, in a child process), is called at
// each point of a commit where a kill leaves a different state behind.
var crashHook func(point string)

func crashPoint(point string) {
	if crashHook != nil {
		crashHook(point)
	}
}

func (c *committer) step(name string, start *time.Time) {
	if traceStep != nil {
		now := time.Now()
		traceStep(name, now.Sub(*start))
		*start = now
	}
}

func (c *committer) run() (plumbing.Hash, error) {
	r := c.r
	t := time.Now()
	if err := checkDF(c.changes); err != nil {
		return plumbing.ZeroHash, err
	}
	msg := strings.TrimRight(c.msg, " \t\r\n")
	if strings.TrimSpace(msg) == "" {
		return plumbing.ZeroHash, errors.New("gitdb: empty commit message")
	}
	msg += "\n"
	cfg, err := r.config()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	author, committer, err := r.Identity()
	if err != nil {
		return plumbing.ZeroHash, err
	}

	// Objects: blobs, the trees along the changed paths, the commit. They
	// are harmless if we fail later: unreachable objects are git's garbage.
	for _, ch := range c.changes {
		if !ch.del {
			if ch.blob, err = r.writeObject(plumbing.BlobObject, ch.data); err != nil {
				return plumbing.ZeroHash, err
			}
		}
	}
	oldTree := emptyTree
	if !c.head.IsZero() {
		if oldTree, err = r.commitTree(c.head); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	newTree, empty, err := r.buildTree(oldTree, "", c.changes)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if empty {
		newTree = emptyTree
		if _, err := r.writeObject(plumbing.TreeObject, nil); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	var commit plumbing.Hash
	if newTree != oldTree {
		var b bytes.Buffer
		fmt.Fprintf(&b, "tree %s\n", newTree)
		if !c.head.IsZero() {
			fmt.Fprintf(&b, "parent %s\n", c.head)
		}
		fmt.Fprintf(&b, "author %s <%s> %s\n", author.Name, author.Email, gitTime(author.When))
		fmt.Fprintf(&b, "committer %s <%s> %s\n\n", committer.Name, committer.Email, gitTime(committer.When))
		b.WriteString(msg)
		obj, err := r.signCommit(cfg, b.Bytes())
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if commit, err = r.writeObject(plumbing.CommitObject, obj); err != nil {
			return plumbing.ZeroHash, err
		}
	}

	c.step("objects", &t)
	crashPoint("objects")

	// The journal, then the work tree, keeping the old contents to put back
	// on failure.
	c.wt = &worktreeWrite{top: r.top, tmpDir: r.tmpDir()}
	if err := c.wt.prepare(c.changes); err != nil {
		return plumbing.ZeroHash, err
	}
	if c.journal, err = c.writeJournal(commit); err != nil {
		return plumbing.ZeroHash, err
	}
	crashPoint("journal")
	stats, err := c.wt.apply(c.changes)
	if err != nil {
		return plumbing.ZeroHash, c.fail(err)
	}

	c.step("worktree", &t)
	crashPoint("worktree")

	// Index, written into the lock file we hold.
	ix, err := c.newIndex(newTree, stats)
	if err != nil {
		return plumbing.ZeroHash, c.fail(err)
	}
	c.step("index build", &t)
	if _, err := c.lk.f.Write(ix); err != nil {
		return plumbing.ZeroHash, c.fail(fmt.Errorf("gitdb: write index: %w", err))
	}
	if err := c.lk.f.Sync(); err != nil {
		return plumbing.ZeroHash, c.fail(fmt.Errorf("gitdb: write index: %w", err))
	}

	c.step("index write+fsync", &t)
	crashPoint("index")

	// Branch, by compare-and-swap against the HEAD fn saw.
	if !commit.IsZero() {
		if err := r.moveRef(c.ctx, c.lk, cfg, c.ref, c.head, commit, committer, reflogMessage(c.head, msg)); err != nil {
			err = c.fail(err)
			c.conflict = errors.Is(err, ErrConflict) && !strings.Contains(err.Error(), "restoring the work tree failed")
			return plumbing.ZeroHash, err
		}
	}
	crashPoint("ref")
	if err := c.lk.release(true); err != nil {
		if !commit.IsZero() {
			// Best effort: put the branch back so HEAD matches the old
			// index and the restored files.
			r.moveRef(context.Background(), c.lk, cfg, c.ref, commit, c.head, committer, "desk: undo failed commit")
		}
		return plumbing.ZeroHash, c.fail(err)
	}
	c.installed = true
	crashPoint("installed")
	os.Remove(r.journalPath())
	c.step("ref+install", &t)
	return commit, nil
}

// fail restores the work tree and returns err (plus any restore failure).
// It undoes the work tree from the journal, as recovery after a kill does.
func (c *committer) fail(err error) error {
	if c.journal == nil {
		return err
	}
	if _, rerr := c.r.undoWorktree(c.journal); rerr != nil {
		// The journal stays: the next desk finishes the undo.
		return fmt.Errorf("%w (and restoring the work tree failed: %v)", err, rerr)
	}
	os.Remove(c.r.journalPath())
	return err
}

// checkDF rejects staging a file "a" together with any change below "a/":
// one of them could not exist. (Deleting a file "a" and putting "a/b" is
// fine: the file becomes a directory.)
func checkDF(changes []*change) error {
	puts := map[string]bool{}
	for _, ch := range changes {
		if !ch.del {
			puts[ch.path] = true
		}
	}
	for _, ch := range changes {
		for dir := parentDir(ch.path); dir != ""; dir = parentDir(dir) {
			if puts[dir] {
				return fmt.Errorf("gitdb: cannot stage both %s and %s", dir, ch.path)
			}
		}
	}
	return nil
}

func (c *committer) newIndex(tree plumbing.Hash, stats map[string]statData) ([]byte, error) {
	ix := c.ix
	if ix == nil {
		ix, err := c.r.freshIndex(tree, stats)
		if err != nil {
			return nil, err
		}
		return ix.encode(), nil
	}
	changes := make([]idxChange, len(c.changes))
	for i, ch := range c.changes {
		changes[i] = idxChange{path: ch.path, del: ch.del, blob: ch.blob, st: stats[ch.path]}
	}
	if err := c.r.applyIndexChanges(ix, changes); err != nil {
		return nil, err
	}
	return ix.encode(), nil
}

// headSettle bounds how long settledHead waits for HEAD to catch up with a
// freshly written index.
const headSettle = 500 * time.Millisecond

// settledHead reads HEAD and the index under the index lock. `git checkout`
// writes the new branch's index and releases the lock before it points HEAD
// at the new branch; a desk taking the lock in between would commit to the
// old branch and leave its file staged in the new one. An index written in
// the last two seconds whose cache tree is complete and names a root tree
// other than HEAD's is that moment, so wait (up to headSettle) for HEAD to
// name a commit with that tree. An older index, or one with staged changes
// (whose cache tree root is invalid), is used as it is.
func (r *Repo) settledHead(ctx context.Context) (string, plumbing.Hash, *indexFile, error) {
	ix, mtime, err := r.readIndex()
	if err != nil {
		return "", plumbing.ZeroHash, nil, err
	}
	ref, head, err := r.readHead()
	if err != nil {
		return "", plumbing.ZeroHash, nil, err
	}
	root, ok := ix.cacheTreeRoot()
	if !ok || time.Since(mtime) > 2*time.Second {
		return ref, head, ix, nil
	}
	deadline := time.Now().Add(headSettle)
	for {
		tree := emptyTree
		if !head.IsZero() {
			if tree, err = r.commitTree(head); err != nil {
				return "", plumbing.ZeroHash, nil, err
			}
		}
		if tree == root || time.Now().After(deadline) {
			return ref, head, ix, nil
		}
		if err := sleepCtx(ctx, 2*time.Millisecond); err != nil {
			return "", plumbing.ZeroHash, nil, err
		}
		if ref, head, err = r.readHead(); err != nil {
			return "", plumbing.ZeroHash, nil, err
		}
	}
}

// readIndex reads and parses .git/index; nil if there is none.
func (r *Repo) readIndex() (*indexFile, time.Time, error) {
	f, err := os.Open(filepath.Join(r.gitDir, "index"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, time.Time{}, nil
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("gitdb: read index: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("gitdb: read index: %w", err)
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, time.Time{}, fmt.Errorf("gitdb: read index: %w", err)
	}
	ix, err := parseIndex(data)
	return ix, fi.ModTime(), err
}

// cacheTreeRoot returns the root tree the index's cache tree records, if
// the extension is there and its root is valid (no change staged since the
// tree was computed).
func (ix *indexFile) cacheTreeRoot() (plumbing.Hash, bool) {
	if ix == nil {
		return plumbing.ZeroHash, false
	}
	for _, x := range ix.exts {
		if x.sig != "TREE" {
			continue
		}
		// "\0<entry_count> <subtree_count>\n<20-byte hash>" for the root.
		d := x.data
		nl := bytes.IndexByte(d, '\n')
		if len(d) == 0 || d[0] != 0 || nl < 0 || len(d) < nl+1+20 {
			return plumbing.ZeroHash, false
		}
		count, _, _ := strings.Cut(string(d[1:nl]), " ")
		if strings.HasPrefix(count, "-") {
			return plumbing.ZeroHash, false
		}
		var h plumbing.Hash
		copy(h[:], d[nl+1:nl+21])
		return h, true
	}
	return plumbing.ZeroHash, false
}

// reflogMessage is what git writes for `git commit`.
func reflogMessage(parent plumbing.Hash, msg string) string {
	subject, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	if parent.IsZero() {
		return "commit (initial): " + subject
	}
	return "commit: " + subject
}

// moveRef moves ref from old to new the way git's files backend does:
// "<ref>.lock" is created with O_EXCL, the current value (loose file, else
// packed-refs) must still be old, the new value is written and synced into
// the lock, the reflogs are appended, and the lock is renamed over the ref.
func (r *Repo) moveRef(ctx context.Context, lk *indexLock, cfg *gitConfig, ref string, old, new plumbing.Hash, who Identity, logMsg string) error {
	file := r.refFile(ref)
	f, err := lk.lockRef(ctx, file, r.LockTimeout)
	if err != nil {
		return err
	}
	lock := file + ".lock"
	renamed := false
	defer func() {
		if !renamed {
			f.Close()
			os.Remove(lock)
		}
		lk.forgetRef()
	}()
	var cur plumbing.Hash
	if ref == "HEAD" {
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("gitdb: read HEAD: %w", err)
		}
		var ok bool
		if cur, ok = parseHash(strings.TrimSpace(string(data))); !ok {
			return fmt.Errorf("gitdb: HEAD is no longer detached at %s: %w", old, ErrConflict)
		}
	} else {
		v, err := r.readRefValue(ref)
		if err != nil {
			return err
		}
		if v != "" {
			var ok bool
			if cur, ok = parseHash(v); !ok {
				return fmt.Errorf("gitdb: ref %s holds %q: %w", ref, v, ErrConflict)
			}
		}
	}
	if cur != old {
		return fmt.Errorf("gitdb: %s is at %s, expected %s: %w", ref, cur, old, ErrConflict)
	}
	if ref != "HEAD" {
		// The branch must still be the one HEAD names: a `git checkout`
		// may have switched since fn read it.
		if now, _, err := r.readHead(); err != nil || now != ref {
			return fmt.Errorf("gitdb: HEAD no longer names %s (a checkout switched branches): %w", ref, ErrConflict)
		}
	}
	if _, err := f.WriteString(new.String() + "\n"); err != nil {
		return fmt.Errorf("gitdb: write %s: %w", lock, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("gitdb: write %s: %w", lock, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("gitdb: write %s: %w", lock, err)
	}
	line := fmt.Sprintf("%s %s %s <%s> %s\t%s\n", old, new, who.Name, who.Email, gitTime(who.When), oneLine(logMsg))
	crashPoint("ref-locked")
	if err := r.appendReflog(cfg, ref, line); err != nil {
		return err
	}
	if ref != "HEAD" {
		if err := r.appendReflog(cfg, "HEAD", line); err != nil {
			return err
		}
	}
	if err := os.Rename(lock, file); err != nil {
		return fmt.Errorf("gitdb: update %s: %w", ref, err)
	}
	renamed = true
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// appendReflog appends line to the ref's reflog. As in git, the log is
// created only when core.logAllRefUpdates asks for it (by default in a
// repository with a work tree: for branches and HEAD); an existing log is
// always appended to.
func (r *Repo) appendReflog(cfg *gitConfig, ref, line string) error {
	path := filepath.Join(r.refBase(ref), "logs", filepath.FromSlash(ref))
	flags := os.O_WRONLY | os.O_APPEND
	v, set := cfg.get("core.logallrefupdates")
	create := strings.EqualFold(v, "always") ||
		((!set || isTrue(v)) && (ref == "HEAD" || strings.HasPrefix(ref, "refs/heads/") ||
			strings.HasPrefix(ref, "refs/remotes/") || strings.HasPrefix(ref, "refs/notes/")))
	if create {
		flags |= os.O_CREATE
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			return fmt.Errorf("gitdb: reflog: %w", err)
		}
	}
	f, err := os.OpenFile(path, flags, 0o666)
	if errors.Is(err, fs.ErrNotExist) && !create {
		return nil
	}
	if err != nil {
		return fmt.Errorf("gitdb: reflog: %w", err)
	}
	_, err = f.WriteString(line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("gitdb: reflog %s: %w", path, err)
	}
	return nil
}

// signalGuard keeps SIGINT/SIGTERM/SIGHUP from leaving the index lock behind.
type signalGuard struct {
	lk   *indexLock
	ch   chan os.Signal
	done chan struct{}

	mu       sync.Mutex
	critical bool      // commit in progress: hold signals until it ends
	pending  os.Signal // signal held back during the commit
	fired    bool      // the handler released the lock
}

func guardSignals(lk *indexLock) *signalGuard {
	g := &signalGuard{lk: lk, ch: make(chan os.Signal, 1), done: make(chan struct{})}
	var sigs []os.Signal
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		if !signal.Ignored(s) { // keep nohup and friends working
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return g
	}
	signal.Notify(g.ch, sigs...)
	go g.watch()
	return g
}

func (g *signalGuard) watch() {
	select {
	case <-g.done:
	case s := <-g.ch:
		g.mu.Lock()
		if g.critical {
			g.pending = s
			g.mu.Unlock()
			return
		}
		g.fired = true
		g.lk.release(false)
		g.mu.Unlock()
		signal.Stop(g.ch)
		raise(s)
	}
}

// enterCritical marks the start of the commit; false if a signal already
// released the lock.
func (g *signalGuard) enterCritical() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fired {
		return false
	}
	g.critical = true
	return true
}

// stop ends the guard and delivers a signal held back during the commit.
func (g *signalGuard) stop() {
	close(g.done)
	signal.Stop(g.ch)
	g.mu.Lock()
	s := g.pending
	g.mu.Unlock()
	if s != nil {
		raise(s)
	}
}
