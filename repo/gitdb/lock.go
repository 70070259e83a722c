package gitdb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// indexLock is a held .git/index.lock. Desk writes the new index into the
// open lock file and renames it over .git/index, exactly as git does, so git
// sees a desk commit as just another process holding the index.
type indexLock struct {
	path  string // .git/index.lock
	owner string // .git/desk/index.lock.owner
	f     *os.File

	mu   sync.Mutex // the signal handler may release concurrently
	done bool
}

// ownerInfo is the content of the owner file: enough to tell later, without
// any doubt, that a leftover index.lock is the one a now-dead desk created.
type ownerInfo struct {
	pid      int
	host     string
	dev, ino uint64
}

func (o ownerInfo) encode() []byte {
	return fmt.Appendf(nil, "pid %d\nhost %s\ndev %d\nino %d\n", o.pid, o.host, o.dev, o.ino)
}

func parseOwner(data []byte) (ownerInfo, bool) {
	var o ownerInfo
	seen := 0
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		var err error
		switch k {
		case "pid":
			o.pid, err = strconv.Atoi(v)
		case "host":
			o.host = v
		case "dev":
			o.dev, err = strconv.ParseUint(v, 10, 64)
		case "ino":
			o.ino, err = strconv.ParseUint(v, 10, 64)
		default:
			continue
		}
		if err != nil {
			return o, false
		}
		seen++
	}
	return o, seen == 4 && o.pid > 0 && o.ino != 0
}

// lockIndex takes .git/index.lock, waiting up to r.LockTimeout while another
// process holds it.
//
// Locking protocol, and why it is safe next to git and other desks:
//   - The lock itself is created with O_CREATE|O_EXCL, as git does; whoever
//     creates it owns it.
//   - Desk then records its pid and the lock's inode in the owner file. The
//     owner file exists only while the lock it names is in place: it is
//     written after the lock is created and removed before the lock is
//     renamed or removed.
//   - A lock is stale only if the owner file names that very inode, the
//     process is on this host and gone (kill(pid, 0) == ESRCH). A lock
//     without a matching owner file is git's (or a desk between creating the
//     lock and writing the owner file, for microseconds) and is only waited
//     for.
//   - Taking and recovering happen while holding an flock on .git/desk/lock,
//     which the kernel releases when a process dies. Two desks therefore never
//     both decide that the same lock is stale and one removes the other's
//     fresh lock.
func (r *Repo) lockIndex(ctx context.Context) (*indexLock, error) {
	deskDir := filepath.Join(r.gitDir, "desk")
	if err := os.MkdirAll(deskDir, 0o777); err != nil {
		return nil, fmt.Errorf("gitdb: lock: %w", err)
	}
	l := &indexLock{
		path:  filepath.Join(r.gitDir, "index.lock"),
		owner: filepath.Join(deskDir, "index.lock.owner"),
	}
	deadline := time.Now().Add(r.LockTimeout)
	wait := time.Millisecond
	for {
		ok, err := l.try(filepath.Join(deskDir, "lock"))
		if err != nil || ok {
			return l, err
		}
		if !time.Now().Before(deadline) {
			return nil, fmt.Errorf("gitdb: unable to create %s: File exists: %w: another git or desk process is working; if none is, remove %s",
				l.path, ErrLocked, l.path)
		}
		if err := sleepCtx(ctx, min(wait, time.Until(deadline))); err != nil {
			return nil, err
		}
		// Back off (with jitter so that waiting processes do not poll in
		// step), but stay responsive: git holds the lock for milliseconds.
		wait = min(wait*2, 50*time.Millisecond)
		wait = wait/2 + rand.N(wait/2+1)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// try makes one attempt to take the lock, recovering it if it is stale.
func (l *indexLock) try(mutexPath string) (bool, error) {
	m, err := os.OpenFile(mutexPath, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return false, fmt.Errorf("gitdb: lock: %w", err)
	}
	defer m.Close() // releases the flock
	if got, err := tryFlock(m); err != nil || !got {
		return false, err
	}
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(l.path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o666)
		if err == nil {
			if err := l.writeOwner(f); err != nil {
				f.Close()
				os.Remove(l.path)
				return false, err
			}
			l.f = f
			return true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return false, fmt.Errorf("gitdb: lock: %w", err)
		}
		if !l.removeIfStale() {
			return false, nil
		}
	}
	return false, nil
}

func (l *indexLock) writeOwner(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("gitdb: lock: %w", err)
	}
	st := statOf(fi)
	host, _ := os.Hostname()
	o := ownerInfo{pid: os.Getpid(), host: host, dev: st.dev, ino: st.ino}
	if o.ino == 0 {
		return nil // no inode numbers here: never claim recoverability
	}
	if err := writeFileAtomic(l.owner, o.encode(), 0o666); err != nil {
		return fmt.Errorf("gitdb: lock owner file: %w", err)
	}
	return nil
}

// removeIfStale removes index.lock if a dead desk left it; see lockIndex.
func (l *indexLock) removeIfStale() bool {
	data, err := os.ReadFile(l.owner)
	if err != nil {
		return false
	}
	o, ok := parseOwner(data)
	if !ok {
		return false
	}
	fi, err := os.Lstat(l.path)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist) // gone meanwhile: just retry
	}
	st := statOf(fi)
	host, _ := os.Hostname()
	if st.ino != o.ino || st.dev != o.dev || o.host != host || o.pid == os.Getpid() || pidAlive(o.pid) {
		return false
	}
	// Owner file first: should we die between the two removals, what is left
	// is a lock without owner, which is never mistaken for a stale one.
	if err := os.Remove(l.owner); err != nil {
		return false
	}
	return os.Remove(l.path) == nil
}

// release gives the lock up: with commit, the lock file (holding the new
// index) replaces .git/index; without, it is removed. Safe to call twice.
func (l *indexLock) release(commit bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		if commit {
			return errInterrupted
		}
		return nil
	}
	l.done = true
	if l.f != nil {
		l.f.Close()
	}
	os.Remove(l.owner)
	if commit {
		if err := os.Rename(l.path, filepath.Join(filepath.Dir(l.path), "index")); err != nil {
			os.Remove(l.path)
			return fmt.Errorf("gitdb: install new index: %w", err)
		}
		return nil
	}
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("gitdb: remove %s: %w", l.path, err)
	}
	return nil
}

var errInterrupted = errors.New("gitdb: interrupted by a signal; nothing was committed")

// writeFileAtomic writes data to a temporary file next to path, syncs it and
// renames it over path, so readers see the old or the new content, never a
// part.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir, base := filepath.Split(path)
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.desk-%d-%x.tmp", base, os.Getpid(), rand.Uint32()))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// lockRefFile takes "<file>.lock" with O_EXCL for a ref update, waiting up to
// timeout for another process (git itself retries ref locks for 100ms).
func lockRefFile(ctx context.Context, file string, timeout time.Duration) (*os.File, error) {
	lock := file + ".lock"
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		return nil, fmt.Errorf("gitdb: lock ref: %w", err)
	}
	deadline := time.Now().Add(max(timeout, 100*time.Millisecond))
	wait := time.Millisecond
	for {
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("gitdb: lock ref: %w", err)
		}
		if !time.Now().Before(deadline) {
			return nil, fmt.Errorf("gitdb: unable to create %s: File exists: %w: another git or desk process is working; if none is, remove %s",
				lock, ErrLocked, lock)
		}
		if err := sleepCtx(ctx, min(wait, time.Until(deadline))); err != nil {
			return nil, err
		}
		wait = min(wait*2, 20*time.Millisecond)
	}
}
