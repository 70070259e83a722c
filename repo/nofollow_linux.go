package repo

import "golang.org/x/sys/unix"

// openBeneath opens path below the folder dir in one call, failing with
// ELOOP at the first symlink on the way or at the end.
func openBeneath(dir int, path string, flags int) (int, error) {
	if noOpenat2.Load() {
		return -1, errNoOpenat2
	}
	how := &unix.OpenHow{
		Flags:   uint64(flags),
		Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
	}
	for tries := 0; ; tries++ {
		fd, err := unix.Openat2(dir, path, how)
		switch {
		case err == nil:
			return fd, nil
		case err == unix.EINTR, err == unix.EAGAIN && tries < 100: // EAGAIN: a rename raced the lookup
			continue
		case err == unix.EAGAIN:
			return -1, errNoOpenat2
		case err == unix.ENOSYS, err == unix.EPERM:
			// EPERM is what seccomp filters of some container runtimes
			// answer for a call they do not know.
			noOpenat2.Store(true)
			return -1, errNoOpenat2
		}
		return -1, err
	}
}
