//go:build !linux

package repo

// openBeneath is openat2 on Linux; elsewhere the path is opened a folder at
// a time.
func openBeneath(dir int, path string, flags int) (int, error) { return -1, errNoOpenat2 }
