package gitdb

import "syscall"

// lockAttr is the extended attribute in which desk tags the inode of a lock
// file it creates with a random nonce. Unlike an inode number, the tag cannot
// survive the inode being freed and reused by another process's lock.
const lockAttr = "user.desk.lock"

func setLockTag(path, nonce string) bool {
	return syscall.Setxattr(path, lockAttr, []byte(nonce), 0) == nil
}

func lockTag(path string) string {
	buf := make([]byte, 64)
	n, err := syscall.Getxattr(path, lockAttr, buf)
	if err != nil || n <= 0 || n > len(buf) {
		return ""
	}
	return string(buf[:n])
}
