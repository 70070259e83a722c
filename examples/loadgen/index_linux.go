package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"os"
	"path/filepath"
	"sort"
	"syscall"
)

// statData is what the git index keeps of a file's stat(2), as 32-bit values.
type statData struct {
	ctimeS, ctimeN, mtimeS, mtimeN, dev, ino, uid, gid, size uint32
}

func stat(fi os.FileInfo) statData {
	st := fi.Sys().(*syscall.Stat_t)
	return statData{
		ctimeS: uint32(st.Ctim.Sec), ctimeN: uint32(st.Ctim.Nsec),
		mtimeS: uint32(st.Mtim.Sec), mtimeN: uint32(st.Mtim.Nsec),
		dev: uint32(st.Dev), ino: uint32(st.Ino), uid: st.Uid, gid: st.Gid, size: uint32(st.Size),
	}
}

// writeIndex writes .git/index (version 2) for the files written, so that the index
// matches HEAD and the working tree without git hashing every file again.
func (w *treeWriter) writeIndex() error {
	es := w.entries
	sort.Slice(es, func(i, j int) bool { return es[i].path < es[j].path })
	var b bytes.Buffer
	b.Grow(len(es) * 96)
	b.WriteString("DIRC")
	be := func(v uint32) { binary.Write(&b, binary.BigEndian, v) }
	be(2)
	be(uint32(len(es)))
	for _, e := range es {
		start := b.Len()
		for _, v := range []uint32{e.st.ctimeS, e.st.ctimeN, e.st.mtimeS, e.st.mtimeN, e.st.dev, e.st.ino, 0o100644, e.st.uid, e.st.gid, e.st.size} {
			be(v)
		}
		b.Write(e.oid[:])
		binary.Write(&b, binary.BigEndian, uint16(min(len(e.path), 0xfff)))
		b.WriteString(e.path)
		// NUL-padded to a multiple of eight bytes, at least one NUL.
		for n := 8 - (b.Len()-start)%8; n > 0; n-- {
			b.WriteByte(0)
		}
	}
	sum := sha1.Sum(b.Bytes())
	b.Write(sum[:])
	tmp := filepath.Join(w.root, ".git", "index.lock")
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(w.root, ".git", "index"))
}
