package gitdb

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// A journal is the record of one commit in progress, kept in
// .git/desk/journal from just before the work tree is touched until the new
// index is in place. It names the index lock it belongs to, the branch with
// its commit before and after, and for every staged path what the work tree
// held before (as a blob, so that it can be put back) and what it will hold.
// With it, the next desk that finds the lock of a desk that died can finish
// the change if the branch already moved, or undo it if it did not; see
// Recover and the protocol in doc.go.
type journal struct {
	lock     ownerInfo // pid, dev, ino and tag of the index lock
	ref      string
	old, new plumbing.Hash // new is zero when no commit is made
	paths    []journalPath
	dirs     []string // folders the change creates, parents first
}

// journalPath is one staged path in a journal.
type journalPath struct {
	path    string
	oldKind string // "absent", "file" or "link"
	oldBlob plumbing.Hash
	oldPerm fs.FileMode
	newBlob plumbing.Hash // zero: the path is deleted
}

const journalMagic = "desk journal 1"

func (r *Repo) journalPath() string { return filepath.Join(r.gitDir, "desk", "journal") }

func (j *journal) encode() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nlock %d %d %d %s\nref %s\nold %s\nnew %s\n",
		journalMagic, j.lock.pid, j.lock.dev, j.lock.ino, orDash(j.lock.tag), strconv.Quote(j.ref), j.old, j.new)
	for _, p := range j.paths {
		fmt.Fprintf(&b, "path %s %s %s %o %s\n", strconv.Quote(p.path), p.oldKind, p.oldBlob, p.oldPerm, p.newBlob)
	}
	for _, d := range j.dirs {
		fmt.Fprintf(&b, "dir %s\n", strconv.Quote(d))
	}
	b.WriteString("end\n")
	return b.Bytes()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// parseJournal reads what encode wrote. A journal without its last line is
// refused: it is written whole by rename, so that means another program
// wrote it.
func parseJournal(data []byte) (*journal, error) {
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) < 6 || lines[0] != journalMagic || lines[len(lines)-1] != "end" {
		return nil, errors.New("not a complete desk journal")
	}
	j := &journal{}
	bad := func(line string) error { return fmt.Errorf("bad journal line %q", line) }
	hash := func(s string) (plumbing.Hash, bool) {
		if s == plumbing.ZeroHash.String() {
			return plumbing.ZeroHash, true
		}
		return parseHash(s)
	}
	for _, line := range lines[1 : len(lines)-1] {
		key, rest, _ := strings.Cut(line, " ")
		var ok bool
		switch key {
		case "lock":
			f := strings.Fields(rest)
			if len(f) != 4 {
				return nil, bad(line)
			}
			var e1, e2, e3 error
			j.lock.pid, e1 = strconv.Atoi(f[0])
			j.lock.dev, e2 = strconv.ParseUint(f[1], 10, 64)
			j.lock.ino, e3 = strconv.ParseUint(f[2], 10, 64)
			if f[3] != "-" {
				j.lock.tag = f[3]
			}
			ok = e1 == nil && e2 == nil && e3 == nil
		case "ref":
			var err error
			j.ref, err = strconv.Unquote(rest)
			ok = err == nil && (j.ref == "HEAD" || validRefName(j.ref))
		case "old":
			j.old, ok = hash(rest)
		case "new":
			j.new, ok = hash(rest)
		case "path":
			var p journalPath
			var err error
			if p.path, rest, err = cutQuoted(rest); err != nil {
				return nil, bad(line)
			}
			f := strings.Fields(rest)
			if len(f) != 4 {
				return nil, bad(line)
			}
			perm, perr := strconv.ParseUint(f[2], 8, 32)
			p.oldKind, p.oldPerm = f[0], fs.FileMode(perm)&fs.ModePerm
			var ok1, ok2 bool
			p.oldBlob, ok1 = hash(f[1])
			p.newBlob, ok2 = hash(f[3])
			if _, cerr := cleanPath(p.path); cerr != nil {
				return nil, bad(line)
			}
			ok = perr == nil && ok1 && ok2 && (p.oldKind == "absent" || p.oldKind == "file" || p.oldKind == "link")
			j.paths = append(j.paths, p)
		case "dir":
			d, rest, err := cutQuoted(rest)
			if _, cerr := cleanPath(d); err != nil || cerr != nil || rest != "" {
				return nil, bad(line)
			}
			j.dirs = append(j.dirs, d)
			ok = true
		}
		if !ok {
			return nil, bad(line)
		}
	}
	return j, nil
}

// cutQuoted splits a Go-quoted string off the front of s.
func cutQuoted(s string) (string, string, error) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", "", err
	}
	v, err := strconv.Unquote(q)
	return v, strings.TrimPrefix(s[len(q):], " "), err
}

// writeJournal records the commit about to be made: the old contents of the
// staged paths go into the object store first (most are there already, as
// HEAD's blobs), then the journal appears whole by rename. It is not synced:
// like git's loose objects, it guards against a killed process, not against
// a machine that loses its page cache. The journal also serves to undo the
// change in this process when a later step fails (committer.fail).
func (c *committer) writeJournal(commit plumbing.Hash) (*journal, error) {
	r := c.r
	j := &journal{lock: c.lk.info, ref: c.ref, old: c.head, new: commit, dirs: c.wt.plannedDirs}
	j.lock.ref = ""
	for i, ch := range c.changes {
		s := c.wt.saved[i]
		p := journalPath{path: ch.path, oldKind: "absent", newBlob: ch.blob}
		var data []byte
		switch {
		case !s.existed:
		case s.isLink:
			p.oldKind, data = "link", []byte(s.link)
		default:
			p.oldKind, p.oldPerm, data = "file", s.perm, s.data
		}
		if p.oldKind != "absent" {
			h, err := r.ensureBlob(data)
			if err != nil {
				return nil, err
			}
			p.oldBlob = h
		}
		j.paths = append(j.paths, p)
	}
	if err := writeFileVia(r.tmpDir(), r.journalPath(), j.encode(), 0o666, false); err != nil {
		return nil, fmt.Errorf("gitdb: write journal: %w", err)
	}
	return j, nil
}

// ensureBlob stores data as a blob unless the object store has it already.
func (r *Repo) ensureBlob(data []byte) (plumbing.Hash, error) {
	h := plumbing.ComputeHash(plumbing.BlobObject, data)
	r.objMu.Lock()
	err := r.git.Storer.HasEncodedObject(h)
	r.objMu.Unlock()
	if err == nil {
		return h, nil
	}
	return r.writeObject(plumbing.BlobObject, data)
}

// ErrUnrecoverable is returned when an interrupted desk commit can be
// neither finished nor undone because its branch moved elsewhere since.
var ErrUnrecoverable = errors.New("gitdb: an interrupted desk commit cannot be finished or undone")

// recoverDead finishes or undoes the commit of the dead desk whose lock o
// describes; it runs under the flock with the index lock verified stale.
// It reports whether it installed the lock as the new index (then the lock
// is gone). Without a journal of that lock the desk died before touching the
// work tree, and there is nothing to do beyond removing the locks.
func (r *Repo) recoverDead(lockPath string, o ownerInfo) (installed bool, err error) {
	data, err := os.ReadFile(r.journalPath())
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("gitdb: read journal: %w", err)
	}
	j, err := parseJournal(data)
	if err != nil {
		return false, fmt.Errorf("gitdb: %s: %v; %w: remove it and %s by hand", r.journalPath(), err, ErrUnrecoverable, lockPath)
	}
	if j.lock.pid != o.pid || j.lock.dev != o.dev || j.lock.ino != o.ino || j.lock.tag != o.tag {
		// Left by a desk that finished its commit but died before removing
		// the journal: it belongs to no lock that exists.
		os.Remove(r.journalPath())
		return false, nil
	}
	cur, err := r.refValue(j.ref)
	if err != nil {
		return false, err
	}
	index := filepath.Join(r.gitDir, "index")
	switch {
	case !j.new.IsZero() && cur == j.new:
		// The branch moved: the commit happened. The index in the lock was
		// complete (synced) before the branch moved, and the work tree was
		// written before the index; bring both in place.
		written, err := r.redoWorktree(j)
		if err != nil {
			return false, err
		}
		if len(written) == 0 {
			if err := os.Rename(lockPath, index); err != nil {
				return false, fmt.Errorf("gitdb: install the index of an interrupted commit: %w", err)
			}
			installed = true
			break
		}
		if err := r.installRefreshed(lockPath, written); err != nil {
			return false, err
		}
	case cur == j.old:
		restored, err := r.undoWorktree(j)
		if err != nil {
			return false, err
		}
		if len(restored) > 0 {
			if err := r.installRefreshed(index, restored); err != nil {
				return false, err
			}
		}
	default:
		return false, fmt.Errorf("%w: %s is at %s, neither %s (before it) nor %s (after it); "+
			"the work tree may hold its files (%d); remove %s and %s, then compare with `git status`",
			ErrUnrecoverable, j.ref, short(cur), short(j.old), short(j.new), len(j.paths), lockPath, r.journalPath())
	}
	os.Remove(r.journalPath())
	return installed, nil
}

func short(h plumbing.Hash) string {
	if h.IsZero() {
		return "(none)"
	}
	return h.String()[:12]
}

// refValue returns the commit ref (or a detached HEAD) holds now, zero if
// it does not exist.
func (r *Repo) refValue(ref string) (plumbing.Hash, error) {
	if ref == "HEAD" {
		data, err := os.ReadFile(filepath.Join(r.gitDir, "HEAD"))
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("gitdb: read HEAD: %w", err)
		}
		h, _ := parseHash(strings.TrimSpace(string(data)))
		return h, nil
	}
	return r.resolveRef(ref)
}

// installRefreshed makes .git/index the index in src with the stat data of
// the files just written (path -> the blob written), so that git sees them
// as unchanged without reading them. An entry whose blob is not the one
// written keeps its stat data, so that a change of the user's still shows.
// The new index replaces the old by rename while the stale lock still
// excludes git.
func (r *Repo) installRefreshed(src string, written map[string]plumbing.Hash) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("gitdb: recover: read %s: %w", src, err)
	}
	ix, err := parseIndex(data)
	if err != nil {
		return err
	}
	var changes []idxChange
	for path, blob := range written {
		mode, have, ok := ix.lookup(path)
		fi, err := os.Lstat(filepath.Join(r.top, filepath.FromSlash(path)))
		if !ok || have != blob || mode != modeRegular || err != nil || !fi.Mode().IsRegular() {
			continue
		}
		changes = append(changes, idxChange{path: path, blob: blob, st: statOf(fi)})
	}
	if len(changes) > 0 {
		sort.Slice(changes, func(i, j int) bool { return changes[i].path < changes[j].path })
		if err := ix.applyChanges(changes); err != nil {
			return err
		}
		data = ix.encode()
	}
	if err := writeFileVia(r.tmpDir(), filepath.Join(r.gitDir, "index"), data, 0o666, true); err != nil {
		return fmt.Errorf("gitdb: recover: write index: %w", err)
	}
	return nil
}

// lookup returns the mode and blob of path's stage-0 entry.
func (ix *indexFile) lookup(path string) (uint32, plumbing.Hash, bool) {
	ents := ix.entries
	i := sort.Search(len(ents), func(i int) bool { return string(ix.name(ents[i])) >= path })
	for ; i < len(ents) && string(ix.name(ents[i])) == path; i++ {
		h := ix.hdr(ents[i])
		if be.Uint16(h[60:])>>12&3 != 0 {
			continue
		}
		var blob plumbing.Hash
		copy(blob[:], h[40:60])
		return be.Uint32(h[24:]), blob, true
	}
	return 0, plumbing.ZeroHash, false
}

// redoWorktree makes every journalled path hold its new content, and
// returns the files it had to write.
func (r *Repo) redoWorktree(j *journal) (map[string]plumbing.Hash, error) {
	tmp := r.tmpDir()
	written := map[string]plumbing.Hash{}
	for _, p := range j.paths {
		abs := filepath.Join(r.top, filepath.FromSlash(p.path))
		if p.newBlob.IsZero() {
			if err := os.Remove(abs); err != nil && !errors.Is(err, fs.ErrNotExist) && !isNotDir(err) {
				return nil, fmt.Errorf("gitdb: finish interrupted commit: %w", err)
			}
			continue
		}
		want, err := r.readObject(plumbing.BlobObject, p.newBlob)
		if err != nil {
			return nil, fmt.Errorf("gitdb: finish interrupted commit: %s: %w", p.path, err)
		}
		if fi, err := os.Lstat(abs); err == nil && fi.Mode().IsRegular() {
			if have, err := os.ReadFile(abs); err == nil && bytes.Equal(have, want) {
				continue
			}
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o777); err != nil {
			return nil, fmt.Errorf("gitdb: finish interrupted commit: %w", err)
		}
		if err := writeFileVia(tmp, abs, want, 0o666, true); err != nil {
			return nil, fmt.Errorf("gitdb: finish interrupted commit: %s: %w", p.path, err)
		}
		written[p.path] = p.newBlob
	}
	return written, nil
}

// undoWorktree puts back what the journalled paths held before, and removes
// the folders the change created if they are empty again. It returns the
// files it wrote back.
func (r *Repo) undoWorktree(j *journal) (map[string]plumbing.Hash, error) {
	tmp := r.tmpDir()
	restored := map[string]plumbing.Hash{}
	for _, p := range j.paths {
		abs := filepath.Join(r.top, filepath.FromSlash(p.path))
		fi, lerr := os.Lstat(abs)
		switch p.oldKind {
		case "absent":
			if lerr == nil && !fi.IsDir() {
				if err := os.Remove(abs); err != nil {
					return nil, fmt.Errorf("gitdb: undo interrupted commit: %w", err)
				}
			}
		case "link":
			target, err := r.readObject(plumbing.BlobObject, p.oldBlob)
			if err != nil {
				return nil, fmt.Errorf("gitdb: undo interrupted commit: %s: %w", p.path, err)
			}
			if cur, err := os.Readlink(abs); err == nil && cur == string(target) {
				continue
			}
			os.Remove(abs)
			if err := os.MkdirAll(filepath.Dir(abs), 0o777); err != nil {
				return nil, fmt.Errorf("gitdb: undo interrupted commit: %w", err)
			}
			if err := os.Symlink(string(target), abs); err != nil {
				return nil, fmt.Errorf("gitdb: undo interrupted commit: %w", err)
			}
		case "file":
			old, err := r.readObject(plumbing.BlobObject, p.oldBlob)
			if err != nil {
				return nil, fmt.Errorf("gitdb: undo interrupted commit: %s: %w", p.path, err)
			}
			if lerr == nil && fi.Mode().IsRegular() && fi.Mode().Perm() == p.oldPerm {
				if have, err := os.ReadFile(abs); err == nil && bytes.Equal(have, old) {
					continue
				}
			}
			if err := os.MkdirAll(filepath.Dir(abs), 0o777); err != nil {
				return nil, fmt.Errorf("gitdb: undo interrupted commit: %w", err)
			}
			if err := writeFileVia(tmp, abs, old, p.oldPerm, true); err != nil {
				return nil, fmt.Errorf("gitdb: undo interrupted commit: %s: %w", p.path, err)
			}
			os.Chmod(abs, p.oldPerm) // the umask may have narrowed it
			restored[p.path] = p.oldBlob
		}
	}
	for i := len(j.dirs) - 1; i >= 0; i-- {
		os.Remove(filepath.Join(r.top, filepath.FromSlash(j.dirs[i]))) // only if empty
	}
	return restored, nil
}
