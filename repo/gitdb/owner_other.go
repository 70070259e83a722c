//go:build !unix

package gitdb

// fileOwner cannot tell owners apart here (git for Windows compares SIDs,
// which desk does not read), so no repository is refused for its owner.
func fileOwner(path string) (uid int, known bool) { return -1, false }
