package search

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/deskhq/desk/repo"
)

// The catch-up record tells what the index reflects, in two parts:
//
//   - the header (bleve internal key metaKey, written in the same batch as
//     the last documents it describes, so that it never claims more than
//     the index holds): the version, the commit, and a stamp per folder
//     (kb and each tickets/YYYY/MM): the folder's modification time and
//     inode when its files were last looked at, when that was, and the
//     generation of its file list;
//   - a file per folder under .git/desk/search-files: the generation, then
//     the folder's files, each with its size, modification time and
//     content hash. An update writes the lists it changed (a new file
//     renamed over the old) before the batch that holds the header; a list
//     whose generation is not the header's (an update killed between the
//     two) makes the index rebuilt. Scorch copies every internal key into
//     each snapshot it persists and loads them all when it opens: kept
//     there, the 4 MB of lists at 100,000 tickets cost a catch-up 60 ms of
//     bolt writes and every search 5 ms.
//
// A search reads the small first record and stats the folders; only a
// folder whose stamp moved (a file created, deleted or renamed in it, as
// git, desk and editors that save by renaming do), one a commit touched, or
// one stamped too close to its last look to be trusted, has its files
// statted and its file list read. At 100,000 tickets + 8,201 articles
// that is 26 folder stats instead of 108,201 file stats (0.21 s on two
// cores here) and no 7 MB record decoded into a map (0.16 s); with the
// read-only open (index.go), desk search vpn went from 0.78 s to 0.07 s.
//
// What that leaves out: a file rewritten in place (not renamed) and not
// committed keeps its old text in the index until the next commit that
// touches it or the next full scan (Index.Scan, desk index).
const (
	metaKey     = "desk:meta"
	metaMagic   = "DESKIDX3"
	folderMagic = "DESKDIR2"
	kbFolder    = "kb"
)

type meta struct {
	Version int
	Commit  string // HEAD when the record was written; "" on an unborn branch
	Gen     uint64 // generation of the last update
	Folders map[string]folderStamp
}

// folderStamp is what the record knows of a folder.
type folderStamp struct {
	Mtime   int64  // the folder's modification time, ns
	Ino     uint64 //
	Scanned int64  // when its files were last statted, Unix ns
	Racy    bool   // it or a file in it changed within racySlopNs of Scanned: look again
	Gen     uint64 // the generation of its file list
}

// stamp is what the index knows of one file: stat data to notice a change
// cheaply, a content hash to tell a real change from a touch, and whether
// the file gave a document (an unparsable one does not).
type stamp struct {
	Size  int64
	Mtime int64 // -1: could not be read; read it again next time
	Hash  uint64
	Doc   bool
}

func (m *meta) encode() []byte {
	names := make([]string, 0, len(m.Folders))
	for p := range m.Folders {
		names = append(names, p)
	}
	slices.Sort(names)
	b := append([]byte(nil), metaMagic...)
	b = binary.AppendUvarint(b, uint64(m.Version))
	b = appendStr(b, m.Commit)
	b = binary.AppendUvarint(b, m.Gen)
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, p := range names {
		f := m.Folders[p]
		b = appendStr(b, p)
		b = binary.AppendVarint(b, f.Mtime)
		b = binary.AppendUvarint(b, f.Ino)
		b = binary.AppendVarint(b, f.Scanned)
		b = appendBool(b, f.Racy)
		b = binary.AppendUvarint(b, f.Gen)
	}
	return b
}

func appendStr(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

var errDamaged = errors.New("the catch-up record is damaged")

// decoder reads the fields of a record; after a malformed field every
// read gives zero and ok reports false.
type decoder struct{ d []byte }

func (r *decoder) ok() bool { return r.d != nil }

func (r *decoder) uv() uint64 {
	v, n := binary.Uvarint(r.d)
	if n <= 0 {
		r.d = nil
		return 0
	}
	r.d = r.d[n:]
	return v
}

func (r *decoder) sv() int64 {
	v, n := binary.Varint(r.d)
	if n <= 0 {
		r.d = nil
		return 0
	}
	r.d = r.d[n:]
	return v
}

func (r *decoder) str() string {
	n := r.uv()
	if n > uint64(len(r.d)) {
		r.d = nil
		return ""
	}
	s := string(r.d[:n])
	r.d = r.d[n:]
	return s
}

func (r *decoder) u64() uint64 {
	if len(r.d) < 8 {
		r.d = nil
		return 0
	}
	v := binary.LittleEndian.Uint64(r.d)
	r.d = r.d[8:]
	return v
}

func (r *decoder) bool() bool {
	if len(r.d) < 1 || r.d[0] > 1 {
		r.d = nil
		return false
	}
	v := r.d[0] == 1
	r.d = r.d[1:]
	return v
}

// count reads a number of entries, each at least min bytes long.
func (r *decoder) count(min int) int {
	n := r.uv()
	if n > uint64(len(r.d)/min) {
		r.d = nil
		return 0
	}
	return int(n)
}

func decodeMeta(data []byte) (*meta, error) {
	if !bytes.HasPrefix(data, []byte(metaMagic)) {
		return nil, errDamaged
	}
	r := &decoder{data[len(metaMagic):]}
	m := &meta{Version: int(r.uv()), Commit: r.str(), Gen: r.uv()}
	n := r.count(6)
	m.Folders = make(map[string]folderStamp, n)
	for range n {
		p := r.str()
		m.Folders[p] = folderStamp{Mtime: r.sv(), Ino: r.uv(), Scanned: r.sv(), Racy: r.bool(), Gen: r.uv()}
	}
	if !r.ok() {
		return nil, errDamaged
	}
	return m, nil
}

func encodeFolder(gen uint64, files map[string]stamp) []byte {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	b := append([]byte(nil), folderMagic...)
	b = binary.AppendUvarint(b, gen)
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, n := range names {
		st := files[n]
		b = appendStr(b, n)
		b = binary.AppendVarint(b, st.Size)
		b = binary.AppendVarint(b, st.Mtime)
		b = binary.LittleEndian.AppendUint64(b, st.Hash)
		b = appendBool(b, st.Doc)
	}
	return b
}

func decodeFolder(data []byte) (gen uint64, files map[string]stamp, err error) {
	if !bytes.HasPrefix(data, []byte(folderMagic)) {
		return 0, nil, errDamaged
	}
	r := &decoder{data[len(folderMagic):]}
	gen = r.uv()
	n := r.count(12)
	files = make(map[string]stamp, n)
	for range n {
		name := r.str()
		files[name] = stamp{Size: r.sv(), Mtime: r.sv(), Hash: r.u64(), Doc: r.bool()}
	}
	if !r.ok() {
		return 0, nil, errDamaged
	}
	return gen, files, nil
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

// filesDir is the folder of the file lists.
func (ix *Index) filesDir() string { return ix.dir + "-files" }

// listPath is the file of a folder's file list.
func (ix *Index) listPath(folder string) string {
	return filepath.Join(ix.filesDir(), url.QueryEscape(folder))
}

// readFolder returns the file list of a folder the header stamps (ok);
// none for a folder it does not. A list that is missing or damaged, or of
// another generation, is errDamaged.
func (ix *Index) readFolder(folder string, f folderStamp, ok bool) (map[string]stamp, error) {
	if !ok {
		return map[string]stamp{}, nil
	}
	data, err := os.ReadFile(ix.listPath(folder))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errDamaged, err)
	}
	gen, files, err := decodeFolder(data)
	if err != nil {
		return nil, err
	}
	if gen != f.Gen {
		return nil, fmt.Errorf("%w: the list of %s is of update %d, the index of update %d", errDamaged, folder, gen, f.Gen)
	}
	return files, nil
}

// writeFolder replaces the file list of a folder.
func (ix *Index) writeFolder(folder string, data []byte) error {
	if err := os.MkdirAll(ix.filesDir(), 0o777); err != nil {
		return err
	}
	name := ix.listPath(folder)
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o666); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// folders returns the stat data of kb and of every month folder of
// tickets. A symbolic link in place of one, or of a folder on the way,
// stops the search: desk reads nothing through a symlink, and a folder
// left out of the index without a word would make every search silently
// incomplete.
func (ix *Index) folders() (map[string]repo.FolderStat, error) {
	list, err := ix.r.TicketFolders()
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	out := make(map[string]repo.FolderStat, len(list)+1)
	for _, f := range list {
		if f.Link {
			return nil, fmt.Errorf("search index: %s: %w", f.Path, &repo.SymlinkError{Path: f.Path, Link: f.Path})
		}
		out[f.Path] = f
	}
	fi, err := os.Lstat(ix.r.Abs(kbFolder))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("search index: %w", err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, fmt.Errorf("search index: kb: %w", &repo.SymlinkError{Path: kbFolder, Link: kbFolder})
	case fi.IsDir():
		f := repo.FolderStat{Path: kbFolder, Mtime: fi.ModTime().UnixNano()}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			f.Ino = st.Ino
		}
		out[kbFolder] = f
	}
	return out, nil
}

// look is one folder looked into by update.
type look struct {
	folder string
	old    map[string]stamp // its record
	next   map[string]stamp // the record to write
	stamp  folderStamp
	gone   bool     // the folder is gone: its record goes
	todo   []todo   // files to read
	dels   []string // paths whose documents go
	err    error
}

// todo is a file to read, with the stat data of the look.
type todo struct {
	path string
	st   stamp
}

// update brings the index from old to the work tree and head. committed
// are the paths the commits since old.Commit changed; full looks into
// every folder (desk index, a rebuild), otherwise only into those that may
// have changed (see the record notes above). Only files whose content hash
// changed are indexed again.
func (ix *Index) update(ctx context.Context, old *meta, head plumbing.Hash, committed []string, full bool, progress func(done, total int)) (Status, error) {
	scanned := time.Now().UnixNano()
	cur, err := ix.folders()
	if err != nil {
		return Status{}, err
	}
	force := map[string]bool{}
	want := map[string]bool{}
	for p, f := range cur {
		o, ok := old.Folders[p]
		if full || !ok || o.Racy || o.Mtime != f.Mtime || o.Ino != f.Ino {
			want[p] = true
		}
	}
	for p := range old.Folders {
		if _, ok := cur[p]; !ok {
			want[p] = true
		}
	}
	for _, p := range committed {
		d := path.Dir(p)
		_, now := cur[d]
		_, before := old.Folders[d]
		if now || before {
			want[d], force[p] = true, true
		}
	}
	looks := make([]*look, 0, len(want))
	for p := range want {
		looks = append(looks, &look{folder: p})
	}
	slices.SortFunc(looks, func(a, b *look) int { return strings.Compare(a.folder, b.folder) })
	repo.Parallel(len(looks), func(i int) {
		l := looks[i]
		f, ok := cur[l.folder]
		l.gone = !ok
		o, had := old.Folders[l.folder]
		l.old, l.err = ix.readFolder(l.folder, o, had)
		if l.err != nil {
			return
		}
		var files []repo.FileStat
		if ok {
			if files, l.err = ix.r.FolderFiles(l.folder); l.err != nil {
				return
			}
		}
		l.err = l.compare(files, old.Folders[l.folder], f, scanned, force)
	})
	changed := old.Commit != head.String() && !(head.IsZero() && old.Commit == "")
	for _, l := range looks {
		if l.err != nil {
			if errors.Is(l.err, errDamaged) {
				return Status{}, l.err
			}
			return Status{}, fmt.Errorf("search index: %w", l.err)
		}
		o, had := old.Folders[l.folder]
		switch {
		case len(l.todo) > 0 || len(l.dels) > 0 || l.gone || !had || o.Racy || l.stamp.Racy ||
			o.Mtime != l.stamp.Mtime || o.Ino != l.stamp.Ino:
			changed = true
		default:
			// Looked into and found as recorded: the record stays, with
			// the time of the look that wrote it.
			l.stamp = o
		}
	}
	if !changed {
		return Status{}, nil
	}
	if err := ix.writable(); err != nil {
		return Status{}, err
	}
	return ix.apply(ctx, old, head, looks, progress)
}

// compare fills the look's todo, dels, next and stamp from the files
// found in the folder (f is its stat data; o its old stamp).
func (l *look) compare(files []repo.FileStat, o folderStamp, f repo.FolderStat, scanned int64, force map[string]bool) error {
	l.next = make(map[string]stamp, len(files))
	l.stamp = folderStamp{Mtime: f.Mtime, Ino: f.Ino, Scanned: scanned, Racy: f.Mtime >= scanned-racySlopNs}
	seen := make(map[string]bool, len(files))
	for _, fs := range files {
		if fs.Link {
			return fmt.Errorf("%s: %w", fs.Path, &repo.SymlinkError{Path: fs.Path, Link: fs.Path})
		}
		if fs.Dir {
			continue
		}
		name := path.Base(fs.Path)
		seen[name] = true
		if fs.Mtime >= scanned-racySlopNs {
			l.stamp.Racy = true
		}
		st := stamp{Size: fs.Size, Mtime: fs.Mtime}
		prev, had := l.old[name]
		if !had || force[fs.Path] || prev.Size != st.Size || prev.Mtime != st.Mtime || prev.Mtime >= o.Scanned-racySlopNs {
			l.todo = append(l.todo, todo{fs.Path, st})
			continue
		}
		l.next[name] = prev
	}
	for name, prev := range l.old {
		if !seen[name] && prev.Doc {
			l.dels = append(l.dels, l.folder+"/"+name)
		}
	}
	slices.Sort(l.dels)
	return nil
}

// apply reads and indexes the looks' files, deletes their documents that
// went, and writes the record in the last batch. An update of more than
// one batch first removes the record, so that one cut short is rebuilt
// rather than trusted.
func (ix *Index) apply(ctx context.Context, old *meta, head plumbing.Hash, looks []*look, progress func(done, total int)) (Status, error) {
	var work []todo
	owner := map[string]*look{}
	for _, l := range looks {
		work = append(work, l.todo...)
		for _, t := range l.todo {
			owner[t.path] = l
		}
	}
	if len(work) > batchSize && len(old.Folders) > 0 {
		if err := ix.idx.DeleteInternal([]byte(metaKey)); err != nil {
			return Status{}, fmt.Errorf("search index: %w", err)
		}
	}
	var st Status
	total := len(work)
	if progress != nil {
		progress(0, total)
	}
	// Files are read and parsed a chunk ahead (on all cores), and two
	// chunks are indexed at once: bleve analyses a batch on all cores but
	// builds its segment on one.
	var (
		mu      sync.Mutex // guards st, done, the looks' next and stamp
		done    int
		wg      sync.WaitGroup
		errs    = make([]error, indexers)
		cancelc = make(chan struct{})
		once    sync.Once
	)
	cancel := func() { once.Do(func() { close(cancelc) }) }
	chunks := make(chan []parsed, 1)
	go func() {
		defer close(chunks)
		for done := 0; done < len(work); done += batchSize {
			select {
			case chunks <- ix.readAll(work[done:min(done+batchSize, len(work))]):
			case <-cancelc:
				return
			}
		}
	}()
	for w := range indexers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range chunks {
				select {
				case <-cancelc:
					continue // drain
				default:
				}
				if err := ctx.Err(); err != nil {
					errs[w] = err
					cancel()
					continue
				}
				b := ix.idx.NewBatch()
				mu.Lock()
				err := chunkBatch(b, chunk, owner, &st)
				mu.Unlock()
				if err == nil {
					err = ix.idx.Batch(b)
				}
				if err != nil {
					errs[w] = fmt.Errorf("search index: %w", err)
					cancel()
					continue
				}
				mu.Lock()
				done += len(chunk)
				if progress != nil {
					progress(done, total)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Status{}, err
	}
	b := ix.idx.NewBatch()
	m := meta{Version: MappingVersion, Gen: old.Gen + 1, Folders: make(map[string]folderStamp, len(old.Folders))}
	for p, f := range old.Folders {
		m.Folders[p] = f
	}
	var gone []string
	for _, l := range looks {
		for _, p := range l.dels {
			b.Delete(p)
			st.Deleted++
		}
		if l.gone {
			delete(m.Folders, l.folder)
			gone = append(gone, l.folder)
			continue
		}
		l.stamp.Gen = m.Gen
		m.Folders[l.folder] = l.stamp
		if err := ix.writeFolder(l.folder, encodeFolder(m.Gen, l.next)); err != nil {
			return Status{}, fmt.Errorf("search index: %w", err)
		}
	}
	if !head.IsZero() {
		m.Commit = head.String()
	}
	b.SetInternal([]byte(metaKey), m.encode())
	if err := ix.idx.Batch(b); err != nil {
		return Status{}, fmt.Errorf("search index: %w", err)
	}
	for _, f := range gone {
		os.Remove(ix.listPath(f))
	}
	return st, nil
}

// indexers is how many batches apply indexes at once.
const indexers = 2

// chunkBatch adds to b what the files of chunk change, and updates their
// folders' records and st.
func chunkBatch(b *bleve.Batch, chunk []parsed, owner map[string]*look, st *Status) error {
	for _, f := range chunk {
		l := owner[f.path]
		name := path.Base(f.path)
		prev, had := l.old[name]
		switch {
		case f.gone:
			if had && prev.Doc {
				b.Delete(f.path)
				st.Deleted++
			}
		case f.failed:
			// Keep the old document; a stamp that matches no file makes
			// the next update read the file again, and keeps the folder
			// looked at.
			l.next[name] = stamp{Mtime: -1, Doc: prev.Doc}
			l.stamp.Racy = true
		case f.doc == nil:
			l.next[name] = f.st
			if had && prev.Doc {
				b.Delete(f.path)
				st.Deleted++
			}
		default:
			l.next[name] = f.st
			if had && prev.Doc && prev.Hash == f.st.Hash {
				continue // touched, not changed
			}
			if err := b.Index(f.path, *f.doc); err != nil {
				return fmt.Errorf("%s: %w", f.path, err)
			}
			st.Updated++
		}
	}
	return nil
}

// parsed is one file read for indexing.
type parsed struct {
	path   string
	st     stamp // stat data and hash
	doc    *Document
	gone   bool // the file vanished since it was statted
	failed bool // the file could not be read: try again next time
}
