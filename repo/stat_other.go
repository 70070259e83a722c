//go:build !linux

package repo

import "io/fs"

// statKey without inode and change time: size and modification time still
// catch every edit made through a normal write.
func statKey(fi fs.FileInfo) fileKey {
	return fileKey{Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}
}
