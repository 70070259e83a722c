//go:build unix

package gitdb

import (
	"os"
	"syscall"
)

// fileOwner returns the uid that owns path; known is false if it cannot be
// read (git then treats the path as not ours, and so do we).
func fileOwner(path string) (uid int, known bool) {
	fi, err := os.Lstat(path)
	if err != nil {
		return -1, true
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return -1, false
	}
	return int(st.Uid), true
}
