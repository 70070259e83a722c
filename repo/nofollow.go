package repo

// Reading the work tree without following symbolic links.
//
// A ticket or article is a file that git tracks. A symbolic link in its
// place (kb/x.md -> /elsewhere/file.md), or in place of a folder on its way
// (tickets/2026 -> /elsewhere), would make desk show, index, publish or
// commit a file from outside the repository. So every read of a file below
// the desk root goes through Repo.ReadFile or Repo.Stat, which refuse a
// symlink anywhere between the desk root and the file, the file included.
//
// os.Root (Go 1.24) keeps reads inside a folder, but it follows the
// symlinks that stay inside it, and a symlink is exactly what desk refuses
// (one committed beside the tickets can point at any of them, under
// another name). On Linux one openat2 call with RESOLVE_NO_SYMLINKS opens
// the file and refuses any symlink on the way; elsewhere, or where openat2
// is not allowed, the path is opened a folder at a time with O_NOFOLLOW.
// BenchmarkReadTicketFile keeps the cost in view: reading a ticket file
// this way took 18 µs, os.ReadFile (which follows symlinks) 23 µs, os.Root
// 33 µs, and the folder-at-a-time way 32 µs.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/deskhq/desk/repo/records"
	"golang.org/x/sys/unix"
)

// errNoOpenat2 says the kernel (before 5.6), a seccomp filter or the system
// refused openat2: the path is opened a folder at a time instead.
var errNoOpenat2 = errors.New("openat2 is not available")

// noOpenat2 remembers that openat2 was refused once, so it is not tried
// for every file.
var noOpenat2 atomic.Bool

// SymlinkError is a desk path that is a symbolic link, or lies below one.
// desk reads nothing through a symlink. Like the other read errors its
// message leaves out Path, which the caller names.
type SymlinkError struct {
	Path string // the desk path that was to be read
	Link string // the symlink: Path itself, or a folder on its way
}

func (e *SymlinkError) Error() string {
	const why = "is a symbolic link; desk reads nothing through a symlink, which could lead outside the repository: replace the link with what it points to"
	if e.Link == e.Path {
		return why
	}
	return e.Link + " " + why
}

// ReadFile reads the regular file at the desk path p, following no symlink
// at p or on its way from the desk root (a *SymlinkError). what names the
// kind of file in messages ("a ticket file"), which may be at most limit
// bytes. A missing file is an error that errors.Is reports as
// fs.ErrNotExist. Errors do not name p: callers do.
func (r *Repo) ReadFile(p string, limit int64, what string) ([]byte, error) {
	fd, err := r.openNoFollow(p)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	data, _, err := readOpened(fd, p, limit, what)
	return data, err
}

// readOpened reads the file open at fd, which was opened from the desk
// path p, with ReadFile's checks and errors, and returns its stat data.
func readOpened(fd int, p string, limit int64, what string) ([]byte, records.Key, error) {
	var st unix.Stat_t
	if err := retry(func() error { return unix.Fstat(fd, &st) }); err != nil {
		return nil, records.Key{}, err
	}
	key := keyOf(&st)
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
	case unix.S_IFDIR:
		return nil, key, errors.New("is a directory, not " + what)
	case unix.S_IFLNK: // not opened through a symlink, but opened as one
		return nil, key, &SymlinkError{Path: p, Link: p}
	default:
		return nil, key, errors.New("is not a regular file, so not " + what)
	}
	if st.Size > limit {
		return nil, key, fmt.Errorf("file is %d MB; %s may be at most %d MB", st.Size>>20, what, limit>>20)
	}
	// Room for one byte more than the size: a file that grew since is
	// read to its end, up to the limit.
	buf := make([]byte, 0, st.Size+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		var m int
		want := cap(buf) - len(buf)
		err := retry(func() (err error) { m, err = unix.Read(fd, buf[len(buf):cap(buf)]); return err })
		if err != nil {
			return nil, key, err
		}
		if m == 0 {
			return buf, key, nil
		}
		if buf = buf[:len(buf)+m]; int64(len(buf)) > limit {
			return nil, key, fmt.Errorf("file is larger than %d MB, the most %s may be", limit>>20, what)
		}
		if m < want && int64(len(buf)) == st.Size {
			// A regular file's read stops short only at its end: the
			// size fstat gave, read whole in one call, saves the call
			// that would return 0.
			return buf, key, nil
		}
	}
}

// folderReader reads many files of a few folders, as EachRecord does: each
// folder is opened once, like ReadFile would open it (no symlink from the
// desk root), and its files are opened from it with O_NOFOLLOW. That is
// four system calls a file (open, fstat, read, close) where ReadFile makes
// seven, and a fresh clone's first listing reads every ticket. It is safe
// for concurrent use; close releases the folders.
type folderReader struct {
	r    *Repo
	mu   sync.Mutex
	fds  map[string]int
	errs map[string]error
}

func (r *Repo) newFolderReader() *folderReader {
	return &folderReader{r: r, fds: map[string]int{}, errs: map[string]error{}}
}

func (fr *folderReader) folder(dir string) (int, error) {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if fd, ok := fr.fds[dir]; ok {
		return fd, nil
	}
	if err, ok := fr.errs[dir]; ok {
		return -1, err
	}
	fd, err := fr.r.openNoFollow(dir)
	if err == nil {
		var st unix.Stat_t
		if err = retry(func() error { return unix.Fstat(fd, &st) }); err == nil && st.Mode&unix.S_IFMT != unix.S_IFDIR {
			err = errors.New("is not a folder")
		}
		if err != nil {
			unix.Close(fd)
		}
	}
	if err != nil {
		fr.errs[dir] = err
		return -1, err
	}
	fr.fds[dir] = fd
	return fd, nil
}

// read is ReadFile of the desk path p, with the file's stat data (zero
// when it could not be read).
func (fr *folderReader) read(p string, limit int64, what string) ([]byte, records.Key, error) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 || checkRel(p) != nil {
		data, err := fr.r.ReadFile(p, limit, what)
		return data, records.Key{}, err
	}
	dir, err := fr.folder(p[:i])
	if err != nil {
		// The folder's own error (a symlink on the way) is ReadFile's.
		data, err := fr.r.ReadFile(p, limit, what)
		return data, records.Key{}, err
	}
	const flags = unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC | unix.O_NOFOLLOW
	var fd int
	err = retry(func() (err error) { fd, err = unix.Openat(dir, p[i+1:], flags, 0); return err })
	if err != nil {
		data, err := fr.r.ReadFile(p, limit, what) // the same error, worded as ReadFile words it
		return data, records.Key{}, err
	}
	defer unix.Close(fd)
	return readOpened(fd, p, limit, what)
}

func (fr *folderReader) close() {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	for _, fd := range fr.fds {
		unix.Close(fd)
	}
	clear(fr.fds)
}

// Stat returns what is at the desk path p, following no symlink at p or on
// its way from the desk root (a *SymlinkError).
func (r *Repo) Stat(p string) (fs.FileInfo, error) {
	if err := checkRel(p); err != nil {
		return nil, err
	}
	var fi fs.FileInfo
	for end := 0; end <= len(p); end++ {
		// p[:end] is the next folder on the way, then p itself.
		if i := strings.IndexByte(p[end:], '/'); i >= 0 {
			end += i
		} else {
			end = len(p)
		}
		var err error
		if fi, err = os.Lstat(filepath.Join(r.Root, filepath.FromSlash(p[:end]))); err != nil {
			return nil, unwrapPath(err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, &SymlinkError{Path: p, Link: p[:end]}
		}
		if end < len(p) && !fi.IsDir() {
			return nil, unix.ENOTDIR
		}
	}
	return fi, nil
}

// unwrapPath drops the absolute file name of an os error: callers name the
// desk path.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkRel refuses a desk path that could name something outside the desk
// root.
func checkRel(p string) error {
	if p == "" || strings.HasPrefix(p, "/") {
		return fmt.Errorf("%q is not a path inside the desk root", p)
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("%q is not a path inside the desk root", p)
		}
	}
	return nil
}

// openNoFollow opens the desk path p for reading, without blocking on a
// FIFO and without following a symlink on the way.
func (r *Repo) openNoFollow(p string) (int, error) {
	if err := checkRel(p); err != nil {
		return -1, err
	}
	var root int
	err := retry(func() (err error) {
		root, err = unix.Open(r.Root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return -1, fmt.Errorf("the desk root %s: %w", r.Root, err)
	}
	defer unix.Close(root)
	const flags = unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC | unix.O_NOFOLLOW
	fd, err := openBeneath(root, p, flags)
	switch {
	case err == nil:
		return fd, nil
	case errors.Is(err, unix.ELOOP):
		return -1, r.symlinkOn(p)
	case !errors.Is(err, errNoOpenat2):
		return -1, err
	}
	// A folder at a time: each opened with O_NOFOLLOW from the one before.
	dir := root
	defer func() {
		if dir != root {
			unix.Close(dir)
		}
	}()
	for start := 0; ; {
		end := len(p)
		if i := strings.IndexByte(p[start:], '/'); i >= 0 {
			end = start + i
		}
		fl := flags
		if end < len(p) {
			fl |= unix.O_DIRECTORY
		}
		var next int
		err := retry(func() (err error) { next, err = unix.Openat(dir, p[start:end], fl, 0); return err })
		if err != nil {
			// ELOOP on Linux and macOS, EMLINK or ENOTDIR on some BSDs:
			// ask what is there rather than trust the number.
			var st unix.Stat_t
			if unix.Fstatat(dir, p[start:end], &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
				return -1, &SymlinkError{Path: p, Link: p[:end]}
			}
			return -1, err
		}
		if end == len(p) {
			return next, nil
		}
		if dir != root {
			unix.Close(dir)
		}
		dir, start = next, end+1
	}
}

// symlinkOn names the symlink that made opening p fail.
func (r *Repo) symlinkOn(p string) error {
	_, err := r.Stat(p)
	var se *SymlinkError
	if errors.As(err, &se) {
		return se
	}
	// Replaced since: name the file.
	return &SymlinkError{Path: p, Link: p}
}

// retry repeats a system call interrupted by a signal, as package os does.
func retry(call func() error) error {
	for {
		if err := call(); err != unix.EINTR {
			return err
		}
	}
}
