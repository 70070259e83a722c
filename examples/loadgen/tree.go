package main

import (
	"crypto/sha1"
	"os"
	"path/filepath"
	"strconv"
)

// treeWriter writes the working tree in the background, from the same bytes that go
// to fast-import, and remembers what the index needs: each file's object ID and stat data.
type treeWriter struct {
	root    string
	ch      chan wfile
	done    chan error
	dirs    map[string]bool
	entries []entry
}

type wfile struct {
	path string
	data []byte
}

// entry is one index entry.
type entry struct {
	path string
	oid  [sha1.Size]byte
	st   statData
}

func newTreeWriter(root string) *treeWriter {
	w := &treeWriter{root: root, ch: make(chan wfile, 4096), done: make(chan error, 1), dirs: map[string]bool{}}
	go func() {
		var first error
		for f := range w.ch {
			if first == nil {
				first = w.write(f)
			}
		}
		w.done <- first
	}()
	return w
}

func (w *treeWriter) write(f wfile) error {
	p := filepath.Join(w.root, filepath.FromSlash(f.path))
	if dir := filepath.Dir(p); !w.dirs[dir] {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		w.dirs[dir] = true
	}
	fh, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = fh.Write(f.data)
	var fi os.FileInfo
	if err == nil {
		fi, err = fh.Stat()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	e := entry{path: f.path, st: stat(fi)}
	h := sha1.New()
	h.Write([]byte("blob " + strconv.Itoa(len(f.data)) + "\x00"))
	h.Write(f.data)
	h.Sum(e.oid[:0])
	w.entries = append(w.entries, e)
	return nil
}

func (w *treeWriter) add(path string, data []byte) { w.ch <- wfile{path, data} }

// wait finishes writing and reports the first error.
func (w *treeWriter) wait() error {
	if w.ch == nil {
		return nil
	}
	close(w.ch)
	w.ch = nil
	return <-w.done
}
