package gitdb

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// This file updates git's index (format: Documentation/gitformat-index.txt)
// without go-git: go-git's encoder drops extensions and its SetIndex rewrites
// .git/index in place. We parse the existing index into slices of its own
// bytes, replace only the entries of the changed paths and serialise the
// result into the held index.lock. Entries we do not touch are copied byte
// for byte, stat data and flags included, so git keeps trusting them.

// statData is the part of lstat(2) git records per index entry to tell
// quickly that a file is unchanged.
type statData struct {
	ctimeSec, ctimeNsec, mtimeSec, mtimeNsec uint32
	dev, ino                                 uint64
	uid, gid                                 uint32
	size                                     uint32
}

func statFallback(fi os.FileInfo) statData {
	t := fi.ModTime()
	return statData{
		ctimeSec: uint32(t.Unix()), ctimeNsec: uint32(t.Nanosecond()),
		mtimeSec: uint32(t.Unix()), mtimeNsec: uint32(t.Nanosecond()),
		size: uint32(fi.Size()),
	}
}

// idxEntry is one index entry: where its fixed-size header (62 bytes, 64
// with the v3 extended flags) and its path lie. It holds offsets into the
// index's arenas instead of slices so that 100,000 entries hold no pointers
// and cost the garbage collector nothing.
type idxEntry struct {
	hdrOff, nameOff, nameLen uint32
	hdrLen                   uint8
	hdrIn, nameIn            uint8 // arena: 0 the old index bytes, 1 ix.extra
}

type idxExt struct {
	sig  string
	data []byte
}

type indexFile struct {
	version  uint32
	entries  []idxEntry
	exts     []idxExt
	skipHash bool // index.skipHash: the trailing hash is all zeros
	// arena[0] is the old index file, arena[1] holds new entries and the
	// paths of a v4 index (which are prefix-compressed on disk).
	arena [2][]byte
}

func (ix *indexFile) hdr(e idxEntry) []byte {
	return ix.arena[e.hdrIn][e.hdrOff : e.hdrOff+uint32(e.hdrLen)]
}

func (ix *indexFile) name(e idxEntry) []byte {
	return ix.arena[e.nameIn][e.nameOff : e.nameOff+e.nameLen]
}

const (
	entryFlagExtended   = 0x4000
	entryNameMask       = 0x0fff
	extFlagSkipWorktree = 0x4000 // in the v3 extended flags
	modeRegular         = 0o100644
	modeSparseDir       = 0o040000 // a sparse index's "dir/" entry
)

var be = binary.BigEndian

func errCorrupt(what string) error { return fmt.Errorf("gitdb: index file corrupt: %s", what) }

// parseIndex parses an index of version 2, 3 or 4, after checking its
// trailing SHA-1.
func parseIndex(data []byte) (*indexFile, error) {
	if len(data) < 12+20 || string(data[:4]) != "DIRC" {
		return nil, errCorrupt("bad signature")
	}
	ix := &indexFile{version: be.Uint32(data[4:])}
	if ix.version < 2 || ix.version > 4 {
		return nil, fmt.Errorf("gitdb: index version %d: %w", ix.version, ErrUnsupported)
	}
	body, sum := data[:len(data)-20], data[len(data)-20:]
	if bytes.Equal(sum, make([]byte, 20)) {
		ix.skipHash = true
	} else if s := sha1.Sum(body); !bytes.Equal(s[:], sum) {
		return nil, errCorrupt("checksum mismatch")
	}
	n := int(be.Uint32(data[8:]))
	if n > len(body)/62 {
		return nil, errCorrupt("entry count")
	}
	ix.entries = make([]idxEntry, 0, n)
	ix.arena[0] = body
	pos := 12
	var prev []byte
	for range n {
		if pos+62 > len(body) {
			return nil, errCorrupt("truncated entry")
		}
		flags := be.Uint16(body[pos+60:])
		hl := 62
		if flags&entryFlagExtended != 0 {
			if ix.version < 3 {
				return nil, errCorrupt("extended flags in a version 2 index")
			}
			hl = 64
		}
		if pos+hl > len(body) {
			return nil, errCorrupt("truncated entry")
		}
		e := idxEntry{hdrOff: uint32(pos), hdrLen: uint8(hl)}
		p := pos + hl
		if ix.version == 4 {
			strip, k := decodeVarint(body[p:])
			if k == 0 || strip > uint64(len(prev)) {
				return nil, errCorrupt("bad path prefix")
			}
			p += k
			nul := bytes.IndexByte(body[p:], 0)
			if nul < 0 {
				return nil, errCorrupt("unterminated path")
			}
			keep := len(prev) - int(strip)
			e.nameIn, e.nameOff, e.nameLen = 1, uint32(len(ix.arena[1])), uint32(keep+nul)
			ix.arena[1] = append(ix.arena[1], prev[:keep]...)
			ix.arena[1] = append(ix.arena[1], body[p:p+nul]...)
			pos = p + nul + 1
		} else {
			nl := int(flags & entryNameMask)
			if nl == entryNameMask { // long path: NUL-terminated
				if nl = bytes.IndexByte(body[p:], 0); nl < 0 {
					return nil, errCorrupt("unterminated path")
				}
			}
			if p+nl > len(body) {
				return nil, errCorrupt("truncated path")
			}
			e.nameOff, e.nameLen = uint32(p), uint32(nl)
			pos += (hl + nl + 8) &^ 7
			if pos > len(body) {
				return nil, errCorrupt("truncated entry")
			}
		}
		ix.entries = append(ix.entries, e)
		prev = ix.name(e)
	}
	for pos < len(body) {
		if pos+8 > len(body) {
			return nil, errCorrupt("truncated extension")
		}
		sig := string(body[pos : pos+4])
		size := int(be.Uint32(body[pos+4:]))
		if size < 0 || pos+8+size > len(body) {
			return nil, errCorrupt("truncated extension " + sig)
		}
		ix.exts = append(ix.exts, idxExt{sig: sig, data: body[pos+8 : pos+8+size]})
		pos += 8 + size
	}
	return ix, nil
}

// decodeVarint decodes git's offset varint (used by index v4 path prefix
// compression); k is 0 on malformed input.
func decodeVarint(b []byte) (val uint64, k int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	k = 1
	val = uint64(c & 127)
	for c&128 != 0 {
		val++
		if val == 0 || val>>57 != 0 || k >= len(b) {
			return 0, 0
		}
		c = b[k]
		k++
		val = val<<7 + uint64(c&127)
	}
	return val, k
}

func appendVarint(buf []byte, v uint64) []byte {
	var tmp [16]byte
	pos := len(tmp) - 1
	tmp[pos] = byte(v & 127)
	for v >>= 7; v != 0; v >>= 7 {
		v--
		pos--
		tmp[pos] = 128 | byte(v&127)
	}
	return append(buf, tmp[pos:]...)
}

// encode serialises the index with a fresh trailing checksum.
func (ix *indexFile) encode() []byte {
	size := 12 + 20 + len(ix.entries)*8
	for _, e := range ix.entries {
		size += int(e.hdrLen) + int(e.nameLen)
	}
	for _, x := range ix.exts {
		size += 8 + len(x.data)
	}
	buf := make([]byte, 0, size)
	buf = append(buf, "DIRC"...)
	buf = be.AppendUint32(buf, ix.version)
	buf = be.AppendUint32(buf, uint32(len(ix.entries)))
	var prev []byte
	var zeros [8]byte
	for _, e := range ix.entries {
		name := ix.name(e)
		buf = append(buf, ix.hdr(e)...)
		if ix.version == 4 {
			common := 0
			for common < len(prev) && common < len(name) && prev[common] == name[common] {
				common++
			}
			buf = appendVarint(buf, uint64(len(prev)-common))
			buf = append(buf, name[common:]...)
			buf = append(buf, 0)
		} else {
			buf = append(buf, name...)
			n := int(e.hdrLen) + len(name)
			buf = append(buf, zeros[:((n+8)&^7)-n]...)
		}
		prev = name
	}
	for _, x := range ix.exts {
		buf = append(buf, x.sig...)
		buf = be.AppendUint32(buf, uint32(len(x.data)))
		buf = append(buf, x.data...)
	}
	if ix.skipHash {
		return append(buf, make([]byte, 20)...)
	}
	sum := sha1.Sum(buf)
	return append(buf, sum[:]...)
}

// newEntry stores a new entry's header and path in the extra arena.
func (ix *indexFile) newEntry(path string, mode uint32, blob plumbing.Hash, st statData) idxEntry {
	return ix.newEntryFlags(path, mode, blob, st, 0)
}

// newEntryFlags is newEntry with v3 extended flags (such as
// extFlagSkipWorktree); non-zero ones need index version 3 or more.
func (ix *indexFile) newEntryFlags(path string, mode uint32, blob plumbing.Hash, st statData, ext uint16) idxEntry {
	var hdr [64]byte
	be.PutUint32(hdr[0:], st.ctimeSec)
	be.PutUint32(hdr[4:], st.ctimeNsec)
	be.PutUint32(hdr[8:], st.mtimeSec)
	be.PutUint32(hdr[12:], st.mtimeNsec)
	be.PutUint32(hdr[16:], uint32(st.dev)) // git keeps the low 32 bits
	be.PutUint32(hdr[20:], uint32(st.ino))
	be.PutUint32(hdr[24:], mode)
	be.PutUint32(hdr[28:], st.uid)
	be.PutUint32(hdr[32:], st.gid)
	be.PutUint32(hdr[36:], st.size)
	copy(hdr[40:60], blob[:])
	flags := uint16(min(len(path), entryNameMask))
	hl := 62
	if ext != 0 {
		flags |= entryFlagExtended
		be.PutUint16(hdr[62:], ext)
		hl = 64
	}
	be.PutUint16(hdr[60:], flags)
	off := uint32(len(ix.arena[1]))
	ix.arena[1] = append(ix.arena[1], hdr[:hl]...)
	ix.arena[1] = append(ix.arena[1], path...)
	return idxEntry{hdrIn: 1, hdrOff: off, hdrLen: uint8(hl), nameIn: 1, nameOff: off + uint32(hl), nameLen: uint32(len(path))}
}

// idxChange is the new state of one path: removed, or a stage-0 regular file
// with the given blob and the stat data of the file just written.
type idxChange struct {
	path string
	del  bool
	blob plumbing.Hash
	st   statData
}

// applyChanges replaces the entries of the changed paths. Like git's
// add_index_entry with ADD_CACHE_OK_TO_REPLACE, adding "a/b" drops a file
// entry "a" and adding "a" drops the entries below "a/", so the index never
// holds a path as both file and directory. All stages of a changed path go
// (a desk write resolves a conflict).
func (ix *indexFile) applyChanges(changes []idxChange) error {
	if ix.hasExt("link") {
		return errSplitIndex("the index is split (core.splitIndex)")
	}
	for _, x := range ix.exts {
		if x.sig[0] < 'A' || x.sig[0] > 'Z' {
			if x.sig != "sdir" {
				return fmt.Errorf("gitdb: index extension %q: %w", x.sig, ErrUnsupported)
			}
		}
	}
	ents := ix.entries
	search := func(name string) int {
		return sort.Search(len(ents), func(i int) bool { return string(ix.name(ents[i])) >= name })
	}
	removed := make(map[int]bool)
	removeExact := func(name string) {
		for i := search(name); i < len(ents) && string(ix.name(ents[i])) == name; i++ {
			removed[i] = true
		}
	}
	sparse := ix.hasExt("sdir")
	var added []idxEntry
	for _, c := range changes {
		removeExact(c.path)
		if sparse {
			// A sparse index stands for a whole directory outside the
			// sparse-checkout cone with one "dir/" entry; writing below it
			// would need the directory expanded first.
			for dir := parentDir(c.path); dir != ""; dir = parentDir(dir) {
				i := search(dir + "/")
				if i < len(ents) && string(ix.name(ents[i])) == dir+"/" {
					return fmt.Errorf("gitdb: %s is below the sparse-index directory entry %s/, which was not expanded: %w", c.path, dir, ErrUnsupported)
				}
			}
		}
		if c.del {
			continue
		}
		for dir := parentDir(c.path); dir != ""; dir = parentDir(dir) {
			removeExact(dir)
		}
		pfx := c.path + "/"
		for i := search(pfx); i < len(ents) && bytes.HasPrefix(ix.name(ents[i]), []byte(pfx)); i++ {
			removed[i] = true
		}
		added = append(added, ix.newEntry(c.path, modeRegular, c.blob, c.st))
	}
	ix.sortEntries(added)
	out := make([]idxEntry, 0, len(ents)+len(added))
	j := 0
	for i, e := range ents {
		if removed[i] {
			continue
		}
		for j < len(added) && bytes.Compare(ix.name(added[j]), ix.name(e)) < 0 {
			out = append(out, added[j])
			j++
		}
		out = append(out, e)
	}
	out = append(out, added[j:]...)
	ix.entries = out

	paths := make([]string, len(changes))
	for i, c := range changes {
		paths[i] = c.path
	}
	exts := ix.exts[:0]
	for _, x := range ix.exts {
		switch x.sig {
		case "TREE":
			data, err := invalidateCacheTree(x.data, paths)
			if err != nil {
				continue // the cache tree is optional: better none than a wrong one
			}
			x.data = data
		case "UNTR", "FSMN":
			// The untracked cache and the fsmonitor token describe the work
			// tree as git last saw it; our writes make them stale, and git
			// rebuilds both when they are missing.
			continue
		case "EOIE", "IEOT":
			// Offsets of the entry block, which just changed.
			continue
		}
		exts = append(exts, x)
	}
	ix.exts = exts
	return nil
}

func (ix *indexFile) hasExt(sig string) bool {
	for _, x := range ix.exts {
		if x.sig == sig {
			return true
		}
	}
	return false
}

func parentDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

// invalidateCacheTree marks invalid (entry_count -1, no hash) every cache-tree
// node that is an ancestor of a changed path, the path itself or below it;
// every other directory keeps its valid hash, so git need not rehash them.
// The extension is a pre-order list of nodes:
// "<name>\0<entry_count> <subtree_count>\n" followed by the 20-byte tree hash
// if entry_count >= 0.
func invalidateCacheTree(data []byte, changed []string) ([]byte, error) {
	out := make([]byte, 0, len(data))
	pos := 0
	field := func(end byte) (string, error) {
		i := bytes.IndexByte(data[pos:], end)
		if i < 0 {
			return "", errCorrupt("cache tree")
		}
		s := string(data[pos : pos+i])
		pos += i + 1
		return s, nil
	}
	touched := func(dir string) bool {
		for _, p := range changed {
			if dir == "" || p == dir || strings.HasPrefix(p, dir+"/") || strings.HasPrefix(dir, p+"/") {
				return true
			}
		}
		return false
	}
	var node func(parent string, root bool, depth int) error
	node = func(parent string, root bool, depth int) error {
		if depth > 4096 {
			return errCorrupt("cache tree depth")
		}
		name, err := field(0)
		if err != nil {
			return err
		}
		cnt, err := field(' ')
		if err != nil {
			return err
		}
		subs, err := field('\n')
		if err != nil {
			return err
		}
		count, err1 := strconv.Atoi(cnt)
		nsub, err2 := strconv.Atoi(subs)
		if err1 != nil || err2 != nil || nsub < 0 {
			return errCorrupt("cache tree")
		}
		var hash []byte
		if count >= 0 {
			if pos+20 > len(data) {
				return errCorrupt("cache tree")
			}
			hash = data[pos : pos+20]
			pos += 20
		}
		full := parent + name
		if root {
			full = ""
		}
		if touched(full) {
			count, hash = -1, nil
		}
		out = append(out, name...)
		out = append(out, 0)
		out = strconv.AppendInt(out, int64(count), 10)
		out = append(out, ' ')
		out = strconv.AppendInt(out, int64(nsub), 10)
		out = append(out, '\n')
		out = append(out, hash...)
		prefix := full + "/"
		if root {
			prefix = ""
		}
		for range nsub {
			if err := node(prefix, false, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if len(data) == 0 {
		return data, nil
	}
	if err := node("", true, 0); err != nil {
		return nil, err
	}
	if pos != len(data) {
		return nil, errCorrupt("cache tree trailing data")
	}
	return out, nil
}

// treeModeToIndex maps a tree entry mode to the index's numeric mode.
func treeModeToIndex(mode string) (uint32, error) {
	switch mode {
	case "100644", "100664":
		return 0o100644, nil
	case "100755":
		return 0o100755, nil
	case "120000":
		return 0o120000, nil
	case "160000":
		return 0o160000, nil
	}
	return 0, fmt.Errorf("gitdb: unexpected tree entry mode %s", mode)
}

// freshIndex builds a version 2 index holding every file of tree, for a
// repository that has no index yet (a fresh `git init`). Only then is the
// whole tree walked. Paths in stats get the stat data of the files just
// written; the others get zero stat data, which makes git re-check them.
func (r *Repo) freshIndex(tree plumbing.Hash, stats map[string]statData) (*indexFile, error) {
	ix := &indexFile{version: 2}
	err := r.walkTree(tree, "", func(path string, e treeEntry) error {
		mode, err := treeModeToIndex(e.mode)
		if err != nil {
			return err
		}
		ix.entries = append(ix.entries, ix.newEntry(path, mode, e.hash, stats[path]))
		return nil
	})
	if err != nil {
		return nil, err
	}
	ix.sortEntries(ix.entries)
	return ix, nil
}

func (ix *indexFile) sortEntries(es []idxEntry) {
	sort.SliceStable(es, func(i, j int) bool { return bytes.Compare(ix.name(es[i]), ix.name(es[j])) < 0 })
}

// applyIndexChanges applies changes to ix as applyChanges does, after
// expanding the sparse-index directory entries that cover a changed path.
//
// In a sparse checkout, git marks the entries outside the sparse-checkout
// patterns skip-worktree and leaves their files out of the work tree; a
// sparse index (index.sparse) goes further and stands for a whole directory
// outside the cone with one "dir/" entry holding its tree. A desk change to a
// path outside the cone is made as `git add --sparse` and `git commit` make
// it: the file is written to the work tree and its entry is an ordinary one,
// without the skip-worktree bit, so `git status` is clean and the file stays
// where desk and the user can read it until `git sparse-checkout reapply`
// (or a checkout) prunes it like any other file outside the cone. To make
// room for that entry, the directory entries along its path are expanded one
// level at a time, each child an entry git would have written itself: files
// skip-worktree with no stat data, subdirectories as sparse directory
// entries; the rest of the sparse index stays collapsed.
func (r *Repo) applyIndexChanges(ix *indexFile, changes []idxChange) error {
	if ix.hasExt("sdir") {
		for _, c := range changes {
			if err := r.expandSparse(ix, c.path); err != nil {
				return err
			}
		}
	}
	return ix.applyChanges(changes)
}

// expandSparse expands the sparse directory entries above path until none
// covers it.
func (r *Repo) expandSparse(ix *indexFile, path string) error {
	for {
		i, ok := ix.sparseDirOf(path)
		if !ok {
			return nil
		}
		e := ix.entries[i]
		dir := string(ix.name(e)) // with its trailing slash
		var tree plumbing.Hash
		copy(tree[:], ix.hdr(e)[40:60])
		entries, err := r.readTree(tree)
		if err != nil {
			return fmt.Errorf("gitdb: expand sparse index entry %s: %w", dir, err)
		}
		children := make([]idxEntry, 0, len(entries))
		for _, te := range entries {
			if te.isTree() {
				children = append(children, ix.newEntryFlags(dir+te.name+"/", modeSparseDir, te.hash, statData{}, extFlagSkipWorktree))
				continue
			}
			mode, err := treeModeToIndex(te.mode)
			if err != nil {
				return err
			}
			children = append(children, ix.newEntryFlags(dir+te.name, mode, te.hash, statData{}, extFlagSkipWorktree))
		}
		ix.sortEntries(children)
		// Nothing else starts with "dir/" while the sparse entry stands
		// for it, so its children sort exactly where it was.
		ix.entries = slices.Concat(ix.entries[:i], children, ix.entries[i+1:])
		if ix.version < 3 {
			ix.version = 3 // the skip-worktree bit is an extended flag
		}
	}
}

// sparseDirOf finds the sparse directory entry ("dir/", mode 040000) whose
// directory holds path.
func (ix *indexFile) sparseDirOf(path string) (int, bool) {
	for dir := parentDir(path); dir != ""; dir = parentDir(dir) {
		name := []byte(dir + "/")
		i := sort.Search(len(ix.entries), func(i int) bool { return bytes.Compare(ix.name(ix.entries[i]), name) >= 0 })
		if i < len(ix.entries) && bytes.Equal(ix.name(ix.entries[i]), name) && be.Uint32(ix.hdr(ix.entries[i])[24:]) == modeSparseDir {
			return i, true
		}
	}
	return 0, false
}

// checkSplitIndex refuses, before anything is written, a repository whose
// index is split or is to be split (core.splitIndex): desk writes only a
// whole index, and a split one would be rewritten by git's next command
// anyway. The advice names both settings, so that following it lasts.
func (r *Repo) checkSplitIndex(cfg *gitConfig) error {
	if v, ok := cfg.get("core.splitindex"); ok {
		on, err := parseBool(v)
		if err != nil {
			return fmt.Errorf("gitdb: %s: core.splitIndex = %q: %w", cfg.origin("core.splitindex"), v, err)
		}
		if on {
			return errSplitIndex(fmt.Sprintf("core.splitIndex is true in %s", cfg.origin("core.splitindex")))
		}
	}
	file := filepath.Join(r.gitDir, "index")
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("gitdb: read index: %w", err)
	}
	if slices.Contains(indexExtensions(data), "link") {
		return errSplitIndex(file + " is a split index")
	}
	return nil
}

func errSplitIndex(why string) error {
	return fmt.Errorf("gitdb: %s: desk does not write split indexes and changed nothing; "+
		"run `git config core.splitIndex false && git update-index --no-split-index` and try again: %w", why, ErrUnsupported)
}

// indexExtensions lists the signatures of an index's extensions, walking
// the entries without keeping them or checking the checksum (the update
// that follows does both). A malformed index gives what was found so far.
func indexExtensions(data []byte) []string {
	if len(data) < 12+20 || string(data[:4]) != "DIRC" {
		return nil
	}
	version := be.Uint32(data[4:])
	n := int(be.Uint32(data[8:]))
	body := data[:len(data)-20]
	pos := 12
	for range n {
		if pos+62 > len(body) {
			return nil
		}
		hl := 62
		flags := be.Uint16(body[pos+60:])
		if flags&entryFlagExtended != 0 {
			hl = 64
		}
		p := pos + hl
		if p > len(body) {
			return nil
		}
		if version == 4 {
			_, k := decodeVarint(body[p:])
			nul := -1
			if k > 0 {
				nul = bytes.IndexByte(body[p+k:], 0)
			}
			if nul < 0 {
				return nil
			}
			pos = p + k + nul + 1
			continue
		}
		nl := int(flags & entryNameMask)
		if nl == entryNameMask {
			if nl = bytes.IndexByte(body[p:], 0); nl < 0 {
				return nil
			}
		}
		pos += (hl + nl + 8) &^ 7
	}
	var sigs []string
	for pos+8 <= len(body) {
		size := int(be.Uint32(body[pos+4:]))
		sigs = append(sigs, string(body[pos:pos+4]))
		if size < 0 || pos+8+size > len(body) {
			break
		}
		pos += 8 + size
	}
	return sigs
}
