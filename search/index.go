package search

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/sys/unix"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/ticket"
)

// MappingVersion is the version of the documents and mapping this code
// writes. An index built with another version is rebuilt on Open.
const MappingVersion = 8

// ErrBusy is returned by Open when another process (or another Index in this
// one) keeps the search index open for longer than Open waits.
var ErrBusy = errors.New("the search index is busy (another desk command is using it); try again")

// busyWait is how long Open waits for the index lock before ErrBusy.
var busyWait = 5 * time.Second

const racySlopNs = int64(2 * time.Second)

// batchSize is how many documents go into one bleve batch (a variable for
// tests).
var batchSize = 1024

// Index is the search index of a desk repository, under .git/desk/search.
//
// An open Index holds an exclusive lock (.git/desk/search.lock) until Close:
// scorch lets one process at a time open an index, and every update happens
// under the lock.
type Index struct {
	r        *repo.Repo
	dir      string
	lock     *os.File
	idx      bleve.Index
	readOnly bool // idx was opened read-only; writable reopens it
}

// Status tells what Open did to catch the index up with the repository.
type Status struct {
	Rebuilt bool   // built from scratch
	Reason  string // why it was rebuilt; "" when it was not
	Updated int    // documents (re)indexed: files whose content changed, or all files on a rebuild
	Deleted int    // documents removed: files deleted, unreadable or renumbered
}

// Open opens the index of r, creating it or rebuilding it when needed, and
// catches it up with HEAD and with uncommitted edits of ticket and article
// files. progress, if not nil, is called as documents are indexed.
//
// The index is rebuilt from scratch, and Status says why, when there is none
// yet, when it cannot be opened (a damaged index is deleted), when its
// catch-up record is missing (an update was interrupted before it finished)
// or was written for another MappingVersion, and when HEAD no longer
// descends from the commit it reflects (history was rewritten, or another
// branch checked out). Otherwise only the files that changed are read again:
// those the commits since then touched under tickets/ and kb/, and those of
// the folders whose entries changed whose size or modification time differs
// from what the index recorded (see catchup.go).
func Open(ctx context.Context, r *repo.Repo, progress func(done, total int)) (*Index, Status, error) {
	return lockAnd(ctx, r, func(ix *Index) (Status, error) { return ix.open(ctx, progress) })
}

// Create builds the index of r from scratch, whatever there was, as Open
// does when it has to (desk index --rebuild).
func Create(ctx context.Context, r *repo.Repo, progress func(done, total int)) (*Index, Status, error) {
	return lockAnd(ctx, r, func(ix *Index) (Status, error) {
		return ix.rebuildBecause(ctx, progress, "as asked")
	})
}

// lockAnd takes the index lock and runs fn on the Index.
func lockAnd(ctx context.Context, r *repo.Repo, fn func(*Index) (Status, error)) (*Index, Status, error) {
	state := r.StateDir()
	if err := os.MkdirAll(state, 0o777); err != nil {
		return nil, Status{}, err
	}
	lock, err := lockFile(ctx, filepath.Join(state, "search.lock"), busyWait)
	if err != nil {
		return nil, Status{}, err
	}
	ix := &Index{r: r, dir: filepath.Join(state, "search"), lock: lock}
	st, err := fn(ix)
	if err != nil {
		ix.Close()
		return nil, Status{}, err
	}
	return ix, st, nil
}

// Close closes the index and releases its lock.
func (ix *Index) Close() error {
	var err error
	if ix.idx != nil {
		err = ix.idx.Close()
		ix.idx = nil
	}
	if ix.lock != nil {
		unix.Flock(int(ix.lock.Fd()), unix.LOCK_UN)
		if cerr := ix.lock.Close(); err == nil {
			err = cerr
		}
		ix.lock = nil
	}
	return err
}

func (ix *Index) open(ctx context.Context, progress func(done, total int)) (Status, error) {
	rebuild := func(reason string) (Status, error) { return ix.rebuildBecause(ctx, progress, reason) }
	if _, err := os.Stat(ix.dir); errors.Is(err, fs.ErrNotExist) {
		return rebuild("there was no search index yet")
	}
	// Read-only until there is something to write: scorch opened for
	// writing persists its snapshot again (a bolt commit and fsync) and
	// starts merging, which a search that changes nothing does not need.
	idx, err := openBleve(ix.dir, true)
	if err != nil {
		return rebuild(fmt.Sprintf("the search index could not be opened (%v), so it was deleted and built again", err))
	}
	ix.idx, ix.readOnly = idx, true
	old, err := ix.readMeta()
	if err != nil {
		return rebuild(fmt.Sprintf("the search index has no usable catch-up record (%v); an earlier update was probably interrupted", err))
	}
	if old.Version != MappingVersion {
		return rebuild(fmt.Sprintf("the index was built with mapping version %d; this desk uses version %d", old.Version, MappingVersion))
	}
	return ix.catchUp(ctx, old, false, progress)
}

// Scan stats every ticket and article file and indexes again those that
// changed, including tickets rewritten in place and not committed, which
// the catch-up of Open, looking only into folders whose entries changed,
// does not see (see catchup.go). desk index runs it.
func (ix *Index) Scan(ctx context.Context, progress func(done, total int)) (Status, error) {
	old, err := ix.readMeta()
	if err != nil {
		return ix.rebuildBecause(ctx, progress, fmt.Sprintf("the search index has no usable catch-up record (%v)", err))
	}
	return ix.catchUp(ctx, old, true, progress)
}

// catchUp brings the index from its record old to HEAD and the work tree;
// full looks at every file (see update).
func (ix *Index) catchUp(ctx context.Context, old *meta, full bool, progress func(done, total int)) (Status, error) {
	head, err := ix.head()
	if err != nil {
		return Status{}, err
	}
	var changed []string
	if old.Commit != head.String() {
		var reason string
		changed, reason, err = ix.committedChanges(ctx, old.Commit, head)
		if err != nil {
			return Status{}, err
		}
		if reason != "" {
			return ix.rebuildBecause(ctx, progress, reason)
		}
	}
	st, err := ix.update(ctx, old, head, changed, full, progress)
	if errors.Is(err, errDamaged) {
		return ix.rebuildBecause(ctx, progress, fmt.Sprintf("the search index has no usable catch-up record (%v)", err))
	}
	return st, err
}

func (ix *Index) rebuildBecause(ctx context.Context, progress func(done, total int), reason string) (Status, error) {
	st, err := ix.rebuild(ctx, progress)
	st.Rebuilt, st.Reason = true, reason
	return st, err
}

func (ix *Index) rebuild(ctx context.Context, progress func(done, total int)) (Status, error) {
	if ix.idx != nil {
		ix.idx.Close()
		ix.idx = nil
	}
	for _, d := range []string{ix.dir, ix.filesDir()} {
		if err := os.RemoveAll(d); err != nil {
			return Status{}, fmt.Errorf("remove the old search index: %w", err)
		}
	}
	idx, err := bleve.NewUsing(ix.dir, NewMapping(), scorch.Name, scorch.Name, runtimeConfig())
	if err != nil {
		return Status{}, fmt.Errorf("create the search index: %w", err)
	}
	ix.idx, ix.readOnly = idx, false
	head, err := ix.head()
	if err != nil {
		return Status{}, err
	}
	st, err := ix.update(ctx, &meta{Version: MappingVersion}, head, nil, true, progress)
	if err != nil {
		return st, err
	}
	return st, ix.compact(ctx)
}

// compact merges the segments of a new index into one: a search opens
// every segment and looks each term up in each. Scorch merges only the
// segments it has persisted, and deletes the merged segments' files when it
// next opens for writing (a read-only search never does): the index is
// reopened before the merge, so that every segment is on disk, and after
// it, or the old files would double the index on disk.
func (ix *Index) compact(ctx context.Context) error {
	if err := ix.reopen(); err != nil {
		return err
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := s.ForceMerge(ctx, nil); err != nil {
		return fmt.Errorf("search index: merge: %w", err)
	}
	// ForceMerge returns once the merged segment is in use, not persisted;
	// a batch returns once persisted, with it.
	data, err := ix.idx.GetInternal([]byte(metaKey))
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := ix.idx.SetInternal([]byte(metaKey), data); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return ix.reopen()
}

// reopen closes the index and opens it again for writing.
func (ix *Index) reopen() error {
	if err := ix.idx.Close(); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	ix.idx = nil
	idx, err := openBleve(ix.dir, false)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	ix.idx, ix.readOnly = idx, false
	return nil
}

func runtimeConfig() map[string]interface{} {
	// Our flock keeps other desks out; the bolt timeout only guards against a
	// foreign process holding the index, which would otherwise block forever.
	return map[string]interface{}{"bolt_timeout": "2s"}
}

// openBleve opens an existing index, turning a panic over damaged files
// into an error.
func openBleve(dir string, readOnly bool) (idx bleve.Index, err error) {
	defer func() {
		if p := recover(); p != nil {
			idx, err = nil, fmt.Errorf("%v", p)
		}
	}()
	config := runtimeConfig()
	if readOnly {
		config["read_only"] = true
	}
	return bleve.OpenUsing(dir, config)
}

// writable reopens an index opened read-only for writing.
func (ix *Index) writable() error {
	if !ix.readOnly {
		return nil
	}
	return ix.reopen()
}

// head returns the commit HEAD points to; zero on an unborn branch.
func (ix *Index) head() (plumbing.Hash, error) {
	_, h, err := ix.r.Git.Head()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("search index: %w", err)
	}
	return h, nil
}

// committedChanges returns the ticket and article paths that differ between
// the commit the index reflects and head, or the reason to rebuild instead.
func (ix *Index) committedChanges(ctx context.Context, from string, head plumbing.Hash) (paths []string, rebuild string, err error) {
	short := from
	if len(short) > 12 {
		short = short[:12]
	}
	if from == "" || plumbing.NewHash(from).IsZero() {
		if head.IsZero() {
			return nil, "", nil
		}
		return nil, "the index was built before the first commit", nil
	}
	if head.IsZero() {
		return nil, fmt.Sprintf("commit %s, which the index reflects, is no longer on the current branch", short), nil
	}
	g := ix.r.Git.Git()
	fromC, err := g.CommitObject(plumbing.NewHash(from))
	if err != nil {
		return nil, fmt.Sprintf("commit %s, which the index reflects, is no longer in the repository (history rewritten, or a fresh clone)", short), nil
	}
	toC, err := g.CommitObject(head)
	if err != nil {
		return nil, "", fmt.Errorf("search index: read HEAD commit %s: %w", head, err)
	}
	anc, err := fromC.IsAncestor(toC)
	if err != nil {
		return nil, "", fmt.Errorf("search index: compare %s with HEAD: %w", short, err)
	}
	if !anc {
		return nil, fmt.Sprintf("HEAD does not descend from commit %s, which the index reflects (history rewritten, or another branch checked out)", short), nil
	}
	for _, sub := range []string{"tickets", "kb"} {
		gp := ix.r.GitPath(sub)
		changed, err := ix.r.Git.ChangedFiles(fromC.Hash, toC.Hash, gp)
		if err != nil {
			return nil, "", fmt.Errorf("search index: diff %s: %w", sub, err)
		}
		for _, p := range changed {
			if name := sub + strings.TrimPrefix(p, gp); isIndexed(name) {
				paths = append(paths, name)
			}
		}
	}
	return paths, "", nil
}

// isIndexed reports whether a desk path is a ticket or article file.
func isIndexed(p string) bool {
	if !strings.HasSuffix(p, ".md") {
		return false
	}
	if strings.HasPrefix(p, "tickets/") {
		return true
	}
	return strings.HasPrefix(p, "kb/") && !strings.Contains(p[len("kb/"):], "/")
}

// readAll reads and parses paths on all cores. A file that cannot be read
// or parsed gives no document; one that vanished is marked gone.
func (ix *Index) readAll(files []todo) []parsed {
	out := make([]parsed, len(files))
	repo.Parallel(len(files), func(i int) { out[i] = ix.read(files[i]) })
	return out
}

func (ix *Index) read(t todo) parsed {
	p, st := t.path, t.st
	f := parsed{path: p, st: st}
	limit, what := int64(repo.MaxTicketSize), "a ticket file"
	if strings.HasPrefix(p, "kb/") {
		limit, what = kb.MaxSize, "an article"
	}
	if st.Size > limit {
		f.st.Hash = uint64(st.Size) // too large to index: remember it as such
		return f
	}
	data, err := ix.r.ReadFile(p, limit, what)
	var link *repo.SymlinkError
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.As(err, &link):
		// A link since the scan is gone too; the next scan reports it.
		f.gone = true
		return f
	case err != nil:
		f.failed = true
		return f
	}
	h := fnv.New64a()
	h.Write(data)
	f.st.Hash = h.Sum64()
	if strings.HasPrefix(p, "kb/") {
		f.doc = articleDoc(p, data)
	} else {
		f.doc = ticketDoc(p, data)
	}
	f.st.Doc = f.doc != nil
	return f
}

// ticketDoc builds the document of a ticket file: its title, its body (every
// section), priority reason, spare parts, event notes and the requester's
// organisation. The requester's name and contact are never indexed: they
// are cut out of all indexed text as well.
func ticketDoc(p string, data []byte) *Document {
	f, err := ticket.Parse(p, data)
	if err != nil {
		return nil
	}
	t := &f.Ticket
	id := t.ID
	if id == "" {
		id = strings.TrimSuffix(path.Base(p), ".md")
	}
	var body strings.Builder
	body.Write(f.Doc.Body())
	add := func(s string) {
		if strings.TrimSpace(s) != "" {
			body.WriteString("\n\n")
			body.WriteString(s)
		}
	}
	add(t.PriorityReason)
	for _, part := range t.Parts {
		add(part.Name)
	}
	for _, ev := range t.Events {
		add(ev.Note)
	}
	add(t.Requester.Org)
	personal := []string{t.Requester.Name, t.Requester.Contact}
	if t.Feedback != nil {
		personal = append(personal, t.Feedback.ConfirmedBy)
	}
	d := &Document{
		Type:     "ticket",
		ID:       id,
		Title:    redact(t.Title, personal),
		Body:     redact(body.String(), personal),
		Tags:     t.Tags,
		Category: t.Category,
		Status:   t.Status,
		Priority: t.Priority,
		Assignee: t.Assignee,
	}
	if !t.Created.IsZero() {
		d.Created = t.Created.Format(time.RFC3339)
	}
	return d
}

// articleDoc builds the document of an article: its summary and body.
func articleDoc(p string, data []byte) *Document {
	f, err := kb.Parse(p, data)
	if err != nil {
		return nil
	}
	a := &f.Article
	body := string(f.Doc.Body())
	if strings.TrimSpace(a.Summary) != "" {
		body = a.Summary + "\n\n" + body
	}
	d := &Document{
		Type:     "kb",
		ID:       f.Slug,
		Title:    a.Title,
		Headings: a.Summary + "\n" + headings(body),
		Body:     body,
		Tags:     a.Tags,
		Category: a.Category,
		Status:   a.Status,
	}
	if !a.Created.IsZero() {
		d.Created = a.Created.Format(time.RFC3339)
	}
	return d
}

// headings returns the ATX headings of a Markdown body ("## Install"),
// without their marks and {#anchor} ids, one a line.
func headings(body string) string {
	var b strings.Builder
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimLeft(line, "#")
		if n := len(line) - len(t); n < 1 || n > 6 || !strings.HasPrefix(t, " ") {
			continue
		}
		t = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t), "#"))
		if i := strings.LastIndex(t, "{#"); i >= 0 && strings.HasSuffix(t, "}") {
			t = strings.TrimSpace(t[:i])
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String()
}

// redact blanks every occurrence, in any case, of the strings of personal
// that are at least two characters long.
func redact(text string, personal []string) string {
	lower := strings.ToLower(text)
	for _, s := range personal {
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) < 2 || !strings.Contains(lower, strings.ToLower(s)) {
			continue
		}
		text = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(s)).ReplaceAllString(text, " ")
		lower = strings.ToLower(text)
	}
	return text
}

// lockFile takes an exclusive flock on path, waiting up to wait.
func lockFile(ctx context.Context, path string, wait time.Duration) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if err == unix.EINTR {
			continue
		}
		if err != unix.EWOULDBLOCK {
			f.Close()
			return nil, fmt.Errorf("search index: lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, ErrBusy
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}
