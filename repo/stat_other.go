//go:build !linux

package repo

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/deskhq/desk/repo/records"
	"golang.org/x/sys/unix"
)

// statKey without inode and change time: size and modification time still
// catch every edit made through a normal write.
func statKey(fi fs.FileInfo) records.Key {
	return records.Key{Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}
}

func statAt(dir *os.File, name string) (records.Key, fs.FileMode, error) {
	fi, err := os.Lstat(filepath.Join(dir.Name(), name))
	if err != nil {
		return records.Key{}, 0, err
	}
	return statKey(fi), fi.Mode().Type(), nil
}

// keyOf is the cache key of stat data, as statKey makes it.
func keyOf(st *unix.Stat_t) records.Key {
	return records.Key{Size: st.Size, Mtime: st.Mtim.Sec*1e9 + int64(st.Mtim.Nsec)}
}
