package search

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
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

const (
	metaKey    = "desk:meta" // bleve internal key of the catch-up record
	batchSize  = 1024        // documents per bleve batch
	racySlopNs = int64(2 * time.Second)
)

// Index is the search index of a desk repository, under .git/desk/search.
//
// An open Index holds an exclusive lock (.git/desk/search.lock) until Close:
// scorch lets one process at a time open an index, and every update happens
// under the lock.
type Index struct {
	r    *repo.Repo
	dir  string
	lock *os.File
	idx  bleve.Index
}

// Status tells what Open did to catch the index up with the repository.
type Status struct {
	Rebuilt bool   // built from scratch
	Reason  string // why it was rebuilt; "" when it was not
	Updated int    // documents (re)indexed: files whose content changed, or all files on a rebuild
	Deleted int    // documents removed: files deleted, unreadable or renumbered
}

// meta is the catch-up record, kept in the index itself (bleve SetInternal)
// and written in the same batch as the last documents it describes, so the
// record never claims more than the index holds.
type meta struct {
	Version int              `json:"version"`
	Commit  string           `json:"commit"`  // HEAD when the work tree was last scanned
	Scanned int64            `json:"scanned"` // when that scan began, Unix ns
	Files   map[string]stamp `json:"files"`   // every ticket and article file seen then
}

// metaMagic starts the binary form of the record. A search at 100,000
// tickets reads it every time: JSON took 140 ms to decode, this a tenth.
const metaMagic = "DESKIDX1"

func (m *meta) encode() ([]byte, error) {
	paths := make([]string, 0, len(m.Files))
	for p := range m.Files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	b := append([]byte(nil), metaMagic...)
	b = binary.AppendUvarint(b, uint64(m.Version))
	b = appendStr(b, m.Commit)
	b = binary.AppendVarint(b, m.Scanned)
	b = binary.AppendUvarint(b, uint64(len(paths)))
	for _, p := range paths {
		st := m.Files[p]
		b = appendStr(b, p)
		b = binary.AppendVarint(b, st.Size)
		b = binary.AppendVarint(b, st.Mtime)
		b = binary.LittleEndian.AppendUint64(b, st.Hash)
		b = appendStr(b, st.ID)
	}
	return b, nil
}

func appendStr(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// decodeMeta reads the record; anything malformed is an error, which makes
// the caller rebuild the index.
func decodeMeta(data []byte) (*meta, error) {
	bad := errors.New("the catch-up record is damaged")
	if !bytes.HasPrefix(data, []byte(metaMagic)) {
		return nil, bad
	}
	d := data[len(metaMagic):]
	uv := func() uint64 {
		v, n := binary.Uvarint(d)
		if n <= 0 {
			d = nil
			return 0
		}
		d = d[n:]
		return v
	}
	sv := func() int64 {
		v, n := binary.Varint(d)
		if n <= 0 {
			d = nil
			return 0
		}
		d = d[n:]
		return v
	}
	str := func() string {
		n := uv()
		if n > uint64(len(d)) {
			d = nil
			return ""
		}
		s := string(d[:n])
		d = d[n:]
		return s
	}
	m := &meta{Version: int(uv()), Commit: str(), Scanned: sv()}
	n := uv()
	if d == nil || n > uint64(len(d)) {
		return nil, bad
	}
	m.Files = make(map[string]stamp, n)
	for range n {
		p := str()
		st := stamp{Size: sv(), Mtime: sv()}
		if len(d) < 8 {
			return nil, bad
		}
		st.Hash = binary.LittleEndian.Uint64(d)
		d = d[8:]
		st.ID = str()
		if d == nil {
			return nil, bad
		}
		m.Files[p] = st
	}
	return m, nil
}

// stamp is what the index knows of one file: stat data to notice a change
// cheaply, a content hash to tell a real change from a touch, and the
// document the file gave ("" if it could not be parsed).
type stamp struct {
	Size  int64  `json:"s"`
	Mtime int64  `json:"m"`
	Hash  uint64 `json:"h"`
	ID    string `json:"i,omitempty"`
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
// those the commits since then touched under tickets/ and kb/, and those
// whose size or modification time differs from what the index recorded.
func Open(ctx context.Context, r *repo.Repo, progress func(done, total int)) (*Index, Status, error) {
	state := r.StateDir()
	if err := os.MkdirAll(state, 0o777); err != nil {
		return nil, Status{}, err
	}
	lock, err := lockFile(ctx, filepath.Join(state, "search.lock"), busyWait)
	if err != nil {
		return nil, Status{}, err
	}
	ix := &Index{r: r, dir: filepath.Join(state, "search"), lock: lock}
	st, err := ix.open(ctx, progress)
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

// Rebuild deletes the index and indexes every ticket and article again.
func (ix *Index) Rebuild(ctx context.Context, progress func(done, total int)) error {
	_, err := ix.rebuild(ctx, progress)
	return err
}

func (ix *Index) open(ctx context.Context, progress func(done, total int)) (Status, error) {
	rebuild := func(reason string) (Status, error) {
		st, err := ix.rebuild(ctx, progress)
		st.Rebuilt, st.Reason = true, reason
		return st, err
	}
	if _, err := os.Stat(ix.dir); errors.Is(err, fs.ErrNotExist) {
		return rebuild("there was no search index yet")
	}
	idx, err := openBleve(ix.dir)
	if err != nil {
		return rebuild(fmt.Sprintf("the search index could not be opened (%v), so it was deleted and built again", err))
	}
	ix.idx = idx
	old, err := ix.readMeta()
	if err != nil {
		return rebuild(fmt.Sprintf("the search index has no usable catch-up record (%v); an earlier update was probably interrupted", err))
	}
	if old.Version != MappingVersion {
		return rebuild(fmt.Sprintf("the index was built with mapping version %d; this desk uses version %d", old.Version, MappingVersion))
	}
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
			return rebuild(reason)
		}
	}
	return ix.update(ctx, old, head, changed, progress)
}

func (ix *Index) rebuild(ctx context.Context, progress func(done, total int)) (Status, error) {
	if ix.idx != nil {
		ix.idx.Close()
		ix.idx = nil
	}
	if err := os.RemoveAll(ix.dir); err != nil {
		return Status{}, fmt.Errorf("remove the old search index: %w", err)
	}
	idx, err := bleve.NewUsing(ix.dir, NewMapping(), scorch.Name, scorch.Name, runtimeConfig())
	if err != nil {
		return Status{}, fmt.Errorf("create the search index: %w", err)
	}
	ix.idx = idx
	head, err := ix.head()
	if err != nil {
		return Status{}, err
	}
	return ix.update(ctx, &meta{Version: MappingVersion}, head, nil, progress)
}

func runtimeConfig() map[string]interface{} {
	// Our flock keeps other desks out; the bolt timeout only guards against a
	// foreign process holding the index, which would otherwise block forever.
	return map[string]interface{}{"bolt_timeout": "2s"}
}

// openBleve opens an existing index, turning a panic over damaged files
// into an error.
func openBleve(dir string) (idx bleve.Index, err error) {
	defer func() {
		if p := recover(); p != nil {
			idx, err = nil, fmt.Errorf("%v", p)
		}
	}()
	return bleve.OpenUsing(dir, runtimeConfig())
}

func (ix *Index) readMeta() (*meta, error) {
	data, err := ix.idx.GetInternal([]byte(metaKey))
	if err != nil {
		return nil, err
	}
	if data == nil {
		return nil, errors.New("none found")
	}
	return decodeMeta(data)
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

// scan stats every ticket and article file of the work tree. A symbolic
// link in place of one, or of a folder on the way, stops the search: desk
// reads nothing through a symlink, and a file left out of the index without
// a word would make every search silently incomplete.
func (ix *Index) scan() (map[string]stamp, error) {
	files := map[string]stamp{}
	tickets, err := ix.r.TicketFiles()
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	for _, f := range tickets {
		if f.Link {
			return nil, fmt.Errorf("search index: %s: %w", f.Path, &repo.SymlinkError{Path: f.Path, Link: f.Path})
		}
		if !f.Dir {
			files[f.Path] = stamp{Size: f.Size, Mtime: f.Mtime}
		}
	}
	arts, err := ix.r.ArticleFiles()
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	for _, f := range arts {
		if f.Link {
			return nil, fmt.Errorf("search index: %s: %w", f.Path, &repo.SymlinkError{Path: f.Path, Link: f.Path})
		}
		if !f.Dir {
			files[f.Path] = stamp{Size: f.Size, Mtime: f.Mtime}
		}
	}
	return files, nil
}

// parsed is one file read for indexing.
type parsed struct {
	path   string
	st     stamp // stat data, hash and document ID
	doc    *Document
	gone   bool // the file vanished since the scan
	failed bool // the file could not be read: try again next time
}

// update brings the index from old to the current work tree. candidates are
// paths known to differ (from the commits since old.Commit); every file whose
// stat data differs from old, or was stamped too close to old's scan to be
// trusted, is read too. Only files whose content hash changed are indexed.
// The new catch-up record goes in the last batch.
func (ix *Index) update(ctx context.Context, old *meta, head plumbing.Hash, candidates []string, progress func(done, total int)) (Status, error) {
	scanned := time.Now().UnixNano()
	cur, err := ix.scan()
	if err != nil {
		return Status{}, err
	}
	check := map[string]bool{}
	for _, p := range candidates {
		check[p] = true
	}
	next := make(map[string]stamp, len(cur))
	for p, st := range cur {
		o, ok := old.Files[p]
		if !ok || o.Size != st.Size || o.Mtime != st.Mtime || o.Mtime >= old.Scanned-racySlopNs {
			check[p] = true
		} else {
			next[p] = o
		}
	}
	for p := range old.Files {
		if _, ok := cur[p]; !ok {
			check[p] = true
		}
	}
	var todo []string
	for p := range check {
		todo = append(todo, p)
	}
	slices.Sort(todo)
	if len(todo) == 0 && (head.IsZero() && old.Commit == "" || old.Commit == head.String()) {
		// Nothing changed: the record stays as it is. (No file is within
		// the racy window of the recorded scan, or it would be in todo.)
		return Status{}, nil
	}

	var st Status
	deleteIDs := map[string]bool{}
	indexed := map[string]bool{} // document IDs indexed in this update
	total := len(todo)
	if progress != nil {
		progress(0, total)
	}
	b := ix.idx.NewBatch()
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := ix.idx.Batch(b); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		b.Reset()
		return nil
	}
	// Files are read and parsed one chunk ahead while bleve indexes the
	// current one, so that both cores stay busy.
	chunks := make(chan []parsed, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(chunks)
		for done := 0; done < len(todo); done += batchSize {
			select {
			case chunks <- ix.readAll(todo[done:min(done+batchSize, len(todo))], cur):
			case <-stop:
				return
			}
		}
	}()
	for done := 0; done < len(todo); {
		if err := ctx.Err(); err != nil {
			return Status{}, err
		}
		chunk := <-chunks
		for _, f := range chunk {
			o, had := old.Files[f.path]
			if f.gone {
				if had && o.ID != "" {
					deleteIDs[o.ID] = true
				}
				continue
			}
			if f.failed {
				// Keep the old document; a stamp that matches no file
				// makes the next update read the file again.
				next[f.path] = stamp{Mtime: -1, ID: o.ID}
				continue
			}
			next[f.path] = f.st
			if had && o.ID != "" && o.ID != f.st.ID {
				deleteIDs[o.ID] = true
			}
			if had && o.Hash == f.st.Hash && o.ID == f.st.ID {
				continue // touched, not changed
			}
			if f.doc != nil {
				if err := b.Index(f.doc.ID, *f.doc); err != nil {
					return Status{}, fmt.Errorf("search index: %s: %w", f.path, err)
				}
				indexed[f.doc.ID] = true
				st.Updated++
			}
		}
		done += len(chunk)
		if err := flush(); err != nil {
			return Status{}, err
		}
		if progress != nil {
			progress(done, total)
		}
	}
	// A document another file still gives (two files with one ID) stays:
	// index that file again rather than delete it.
	owners := map[string]string{}
	for p, s := range next {
		if s.ID != "" && deleteIDs[s.ID] {
			owners[s.ID] = p
		}
	}
	var again []string
	for id := range deleteIDs {
		if indexed[id] {
			continue
		}
		if p, ok := owners[id]; ok {
			again = append(again, p)
			continue
		}
		b.Delete(id)
		st.Deleted++
	}
	slices.Sort(again)
	for _, f := range ix.readAll(again, cur) {
		if f.doc != nil {
			if err := b.Index(f.doc.ID, *f.doc); err != nil {
				return Status{}, fmt.Errorf("search index: %s: %w", f.path, err)
			}
		}
	}
	m := meta{Version: MappingVersion, Scanned: scanned, Files: next}
	if !head.IsZero() {
		m.Commit = head.String()
	}
	data, err := m.encode()
	if err != nil {
		return Status{}, err
	}
	b.SetInternal([]byte(metaKey), data)
	if err := ix.idx.Batch(b); err != nil {
		return Status{}, fmt.Errorf("search index: %w", err)
	}
	return st, nil
}

// readAll reads and parses paths on all cores. A file that cannot be read
// or parsed gives no document; one that vanished is marked gone.
func (ix *Index) readAll(paths []string, cur map[string]stamp) []parsed {
	out := make([]parsed, len(paths))
	repo.Parallel(len(paths), func(i int) { out[i] = ix.read(paths[i], cur) })
	return out
}

func (ix *Index) read(p string, cur map[string]stamp) parsed {
	f := parsed{path: p}
	st, ok := cur[p]
	if !ok {
		f.gone = true
		return f
	}
	f.st = st
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
	if f.doc != nil {
		f.st.ID = f.doc.ID
	}
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
