package repo

import (
	"io/fs"
	"os"
	"syscall"

	"github.com/deskhq/desk/repo/records"
	"golang.org/x/sys/unix"
)

func statKey(fi fs.FileInfo) records.Key {
	k := records.Key{Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		k.Ctime = st.Ctim.Sec*1e9 + st.Ctim.Nsec
		k.Ino = st.Ino
	}
	return k
}

// statAt stats name in the open folder dir without following a symlink,
// resolving only the last path element (as git's preload does per folder).
// The mode is the type: fs.ModeDir, fs.ModeSymlink, 0 for a regular file.
func statAt(dir *os.File, name string) (records.Key, fs.FileMode, error) {
	var st unix.Stat_t
	for {
		err := unix.Fstatat(int(dir.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return records.Key{}, 0, err
		}
		break
	}
	k := keyOf(&st)
	var mode fs.FileMode
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
	case unix.S_IFDIR:
		mode = fs.ModeDir
	case unix.S_IFLNK:
		mode = fs.ModeSymlink
	default:
		mode = fs.ModeIrregular
	}
	return k, mode, nil
}

// keyOf is the cache key of stat data, as statAt makes it.
func keyOf(st *unix.Stat_t) records.Key {
	return records.Key{
		Size:  st.Size,
		Mtime: st.Mtim.Sec*1e9 + st.Mtim.Nsec,
		Ctime: st.Ctim.Sec*1e9 + st.Ctim.Nsec,
		Ino:   st.Ino,
	}
}
