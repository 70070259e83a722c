//go:build !linux

package main

import "os"

type statData struct{}

func stat(os.FileInfo) statData { return statData{} }

// writeIndex lets git build the index from HEAD, hashing the files just written.
func (w *treeWriter) writeIndex() error { return git(w.root, nil, "reset", "-q") }
