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
	"syscall"
	"time"
)

// indexLock is a held .git/index.lock. Desk writes the new index into the
// open lock file and renames it over .git/index, exactly as git does, so git
// sees a desk commit as just another process holding the index.
type indexLock struct {
	path   string   // .git/index.lock
	owner  string   // .git/desk/index.lock.owner
	tmpDir string   // .git/desk/tmp: temporary files of desk processes
	roots  []string // git dir and common dir: where recorded ref locks may be
	f      *os.File
	info   ownerInfo // what the owner file says
	// finish finishes or undoes the commit of a dead desk whose stale lock
	// is about to be removed (Repo.recoverDead); installed reports that it
	// made the lock the index.
	finish func(lockPath string, o ownerInfo) (installed bool, err error)

	mu   sync.Mutex // the signal handler may release concurrently
	done bool
}

// ownerInfo is the content of the owner file: enough to tell later, without
// any doubt, that a leftover index.lock (and ref lock) is the one a now-dead
// desk created.
type ownerInfo struct {
	pid      int
	host     string
	dev, ino uint64
	tag      string // the lock's user.desk.lock attribute; "" if unsupported
	// The ref lock ("<ref>.lock") taken while holding the index lock, if
	// any: a desk killed while moving the branch leaves it too.
	ref            string
	refDev, refIno uint64
	refTag         string
}

func (o ownerInfo) encode() []byte {
	b := fmt.Appendf(nil, "pid %d\nhost %s\ndev %d\nino %d\n", o.pid, o.host, o.dev, o.ino)
	if o.tag != "" {
		b = fmt.Appendf(b, "tag %s\n", o.tag)
	}
	if o.ref != "" {
		b = fmt.Appendf(b, "reflock %s\nrefdev %d\nrefino %d\n", o.ref, o.refDev, o.refIno)
		if o.refTag != "" {
			b = fmt.Appendf(b, "reftag %s\n", o.refTag)
		}
	}
	return b
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
			seen++
		case "host":
			o.host = v
			seen++
		case "dev":
			o.dev, err = strconv.ParseUint(v, 10, 64)
			seen++
		case "ino":
			o.ino, err = strconv.ParseUint(v, 10, 64)
			seen++
		case "tag":
			o.tag = v
		case "reftag":
			o.refTag = v
		case "reflock":
			o.ref = v
		case "refdev":
			o.refDev, err = strconv.ParseUint(v, 10, 64)
		case "refino":
			o.refIno, err = strconv.ParseUint(v, 10, 64)
		}
		if err != nil {
			return o, false
		}
	}
	return o, seen == 4 && o.pid > 0 && o.ino != 0
}

// lockIndex takes .git/index.lock, waiting up to r.LockTimeout while another
// process holds it.
//
// Locking protocol, and why it is safe next to git and other desks:
//   - index.lock is taken only if it does not exist, as git does with
//     O_CREAT|O_EXCL; whoever creates it owns it.
//   - Before the lock appears (see createExclusive), desk records its pid and
//     the lock's inode in the owner file and, where the filesystem has
//     extended attributes, tags the inode with a random nonce (also in the
//     owner file).
//   - A lock is stale only if the owner file names that very lock (inode, and
//     tag if there is one) and the process is on this host and gone
//     (kill(pid, 0) == ESRCH). A lock without a matching owner file is git's
//     and is only waited for.
//   - With a tag, a leftover owner file can never match another process's
//     lock (a reused inode has no tag), so desk renames the lock into place
//     first and removes the owner file after: a desk killed at any instant
//     is recoverable. Without a tag, only the inode number identifies the
//     lock, and inode numbers are reused at once: the owner file is then
//     removed first, and a desk killed between that and the rename leaves a
//     lock without owner that needs a human.
//   - Taking and recovering happen while holding an flock on .git/desk/lock,
//     which the kernel releases when a process dies. Two desks therefore never
//     both decide that the same lock is stale and one removes the other's
//     fresh lock.
func (r *Repo) lockIndex(ctx context.Context) (*indexLock, error) {
	deskDir := filepath.Join(r.gitDir, "desk")
	l := r.newIndexLock()
	if err := os.MkdirAll(l.tmpDir, 0o777); err != nil {
		return nil, fmt.Errorf("gitdb: lock: %w", err)
	}
	deadline := time.Now().Add(r.LockTimeout)
	wait := time.Millisecond
	for {
		ok, err := l.try(filepath.Join(deskDir, "lock"))
		if err != nil || ok {
			return l, err
		}
		if !time.Now().Before(deadline) {
			return nil, lockedError(l.path)
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

func (r *Repo) newIndexLock() *indexLock {
	return &indexLock{
		path:   filepath.Join(r.gitDir, "index.lock"),
		owner:  filepath.Join(r.gitDir, "desk", "index.lock.owner"),
		tmpDir: r.tmpDir(),
		roots:  []string{r.gitDir, r.commonDir},
		finish: r.recoverDead,
	}
}

// Recover finishes or undoes the commit of a desk that was killed while it
// held the index lock, and removes the locks it left (see doc.go), so that
// HEAD, the index and the work tree agree again. Every desk command calls it
// when it opens the repository, readers too: what they read is then what
// git has. It costs one lstat when there is no lock, and does nothing while
// the lock's owner is alive or the lock is git's. An error wraps
// ErrUnrecoverable when the branch moved elsewhere since.
func (r *Repo) Recover() error {
	l := r.newIndexLock()
	if _, err := os.Lstat(l.path); err != nil {
		return nil
	}
	if _, ok := l.staleOwner(); !ok {
		return nil
	}
	m, err := os.OpenFile(filepath.Join(r.gitDir, "desk", "lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil // no desk folder: no desk has held a lock here
	}
	defer m.Close() // releases the flock
	if got, err := tryFlock(m); err != nil || !got {
		return err // another desk is taking or recovering the lock
	}
	_, err = l.removeIfStale()
	return err
}

func lockedError(path string) error {
	return fmt.Errorf("gitdb: unable to create %s: File exists: %w: another git or desk process is working; if none is, remove %s",
		path, ErrLocked, path)
}

func (r *Repo) tmpDir() string { return filepath.Join(r.gitDir, "desk", "tmp") }

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
		if _, err := os.Lstat(l.path); err == nil {
			stale, err := l.removeIfStale()
			if err != nil || !stale {
				return false, err
			}
			continue
		}
		host, _ := os.Hostname()
		f, err := createExclusive(l.tmpDir, l.path, func(st statData, tag string) error {
			l.info = ownerInfo{pid: os.Getpid(), host: host, dev: st.dev, ino: st.ino, tag: tag}
			return l.writeOwner()
		})
		if err != nil {
			os.Remove(l.owner) // it names our private file, not a lock
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			return false, err
		}
		l.f = f
		l.sweep()
		return true, nil
	}
	return false, nil
}

// sweep removes temporary files that desks killed at the wrong moment left in
// .git/desk/tmp. It runs holding both the flock and the index lock, when no
// other desk can be using one of them; the pid check is a second guard.
func (l *indexLock) sweep() {
	d, err := os.Open(l.tmpDir)
	if err != nil {
		return
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	for _, n := range names {
		rest, ok := strings.CutPrefix(n, ".desk-")
		pidStr, _, ok2 := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidStr)
		if ok && ok2 && err == nil && pid != os.Getpid() && !pidAlive(pid) {
			os.Remove(filepath.Join(l.tmpDir, n))
		}
	}
}

func (l *indexLock) writeOwner() error {
	l.mu.Lock()
	done := l.done
	l.mu.Unlock()
	if l.info.ino == 0 || done {
		// No inode numbers here: never claim recoverability. Or the lock is
		// released: an owner file must never outlive its lock.
		return nil
	}
	// No fsync: after a crash of the machine the pid means nothing anyway.
	if err := writeFileAtomic(l.owner, l.info.encode(), 0o666, false); err != nil {
		return fmt.Errorf("gitdb: lock owner file: %w", err)
	}
	return nil
}

// createExclusive creates path if it does not exist (else an error wrapping
// fs.ErrExist) and returns it open for writing. The file is first created
// under a private name in tmpDir, tagged (if the filesystem allows) and
// announced with its stat data and tag; only then is it hard-linked to path,
// which fails if path exists just as O_EXCL does. So the owner file names the
// lock before the lock exists, and a desk killed at any instant while holding
// it can be recovered from. Where hard links are not possible, it falls back
// to O_EXCL.
func createExclusive(tmpDir, path string, announce func(st statData, tag string) error) (*os.File, error) {
	nonce := fmt.Sprintf("%d-%x", os.Getpid(), rand.Uint64())
	tmp := filepath.Join(tmpDir, ".desk-"+nonce+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("gitdb: lock: %w", err)
	}
	defer os.Remove(tmp)
	tag := ""
	if setLockTag(tmp, nonce) {
		tag = nonce
	}
	fi, err := f.Stat()
	if err == nil {
		err = announce(statOf(fi), tag)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	err = os.Link(tmp, path)
	if err == nil {
		return f, nil
	}
	f.Close()
	if errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	// No hard links here (or another filesystem): create the lock directly.
	// A desk killed before announce is done leaves a lock that must be
	// removed by hand.
	f, err = os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o666)
	if err != nil {
		return nil, err
	}
	tag = ""
	if setLockTag(path, nonce) {
		tag = nonce
	}
	if fi, err = f.Stat(); err == nil {
		err = announce(statOf(fi), tag)
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return f, nil
}

// isOurs tells whether the file at path is the lock an owner record names.
func isOurs(path string, dev, ino uint64, tag string) bool {
	fi, err := os.Lstat(path)
	if err != nil {
		return false
	}
	st := statOf(fi)
	return st.ino == ino && st.dev == dev && (tag == "" || lockTag(path) == tag)
}

// removeIfStale removes index.lock (and the ref lock recorded with it) if a
// dead desk left them, after finishing or undoing that desk's commit (see
// doc.go); see lockIndex. An error means the commit could be neither
// finished nor undone: the locks stay, for a human to look at.
func (l *indexLock) removeIfStale() (bool, error) {
	o, ok := l.staleOwner()
	if !ok {
		_, err := os.Lstat(l.path)
		return errors.Is(err, fs.ErrNotExist), nil // gone meanwhile: just retry
	}
	if o.ref != "" && strings.HasSuffix(o.ref, ".lock") && l.underRoots(o.ref) && isOurs(o.ref, o.refDev, o.refIno, o.refTag) {
		// The branch did not move (the lock was not renamed over it).
		os.Remove(o.ref)
	}
	installed := false
	if l.finish != nil {
		var err error
		if installed, err = l.finish(l.path, o); err != nil {
			return false, err
		}
	}
	// Owner file before the lock: should we die between the two removals,
	// what is left is a lock without owner, which is never taken for stale.
	if err := os.Remove(l.owner); err != nil {
		return false, nil
	}
	if !installed && os.Remove(l.path) != nil {
		return false, nil
	}
	// The dead desk may also have left temporary files (its private lock
	// file, a half-written work-tree file).
	leftovers, _ := filepath.Glob(filepath.Join(l.tmpDir, fmt.Sprintf(".desk-%d-*.tmp", o.pid)))
	for _, f := range leftovers {
		os.Remove(f)
	}
	return true, nil
}

// staleOwner returns what the owner file says if it names the index lock
// there now and its desk is dead.
func (l *indexLock) staleOwner() (ownerInfo, bool) {
	data, err := os.ReadFile(l.owner)
	if err != nil {
		return ownerInfo{}, false
	}
	o, ok := parseOwner(data)
	if !ok {
		return o, false
	}
	host, _ := os.Hostname()
	if o.host != host || o.pid == os.Getpid() || !isOurs(l.path, o.dev, o.ino, o.tag) || pidAlive(o.pid) {
		return o, false
	}
	return o, true
}

func (l *indexLock) underRoots(path string) bool {
	for _, r := range l.roots {
		if strings.HasPrefix(path, r+string(filepath.Separator)) && !strings.Contains(path, "..") {
			return true
		}
	}
	return false
}

// lockRef takes "<file>.lock" for a ref update, recording it in the owner
// file first, and waits up to timeout while another process holds it (git
// itself retries ref locks for 100ms).
func (l *indexLock) lockRef(ctx context.Context, file string, timeout time.Duration) (*os.File, error) {
	lock := file + ".lock"
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		return nil, fmt.Errorf("gitdb: lock ref: %w", err)
	}
	deadline := time.Now().Add(max(timeout, 100*time.Millisecond))
	wait := time.Millisecond
	for {
		f, err := createExclusive(l.tmpDir, lock, func(st statData, tag string) error {
			l.info.ref, l.info.refDev, l.info.refIno, l.info.refTag = lock, st.dev, st.ino, tag
			return l.writeOwner()
		})
		if err == nil {
			return f, nil
		}
		l.forgetRef()
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("gitdb: lock ref: %w", err)
		}
		if !time.Now().Before(deadline) {
			return nil, lockedError(lock)
		}
		if err := sleepCtx(ctx, min(wait, time.Until(deadline))); err != nil {
			return nil, err
		}
		wait = min(wait*2, 20*time.Millisecond)
	}
}

// forgetRef drops the ref lock from the owner file once it is renamed over
// the ref or removed, so its inode, once reused, is never taken for ours.
func (l *indexLock) forgetRef() {
	if l.info.ref != "" {
		l.info.ref, l.info.refDev, l.info.refIno, l.info.refTag = "", 0, 0, ""
		l.writeOwner()
	}
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
	// See lockIndex for why the order depends on the tag.
	tagged := l.info.tag != ""
	if !tagged {
		os.Remove(l.owner)
	}
	var err error
	if commit {
		if err = os.Rename(l.path, filepath.Join(filepath.Dir(l.path), "index")); err != nil {
			os.Remove(l.path)
			err = fmt.Errorf("gitdb: install new index: %w", err)
		}
	} else if rerr := os.Remove(l.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = fmt.Errorf("gitdb: remove %s: %w", l.path, rerr)
	}
	if tagged {
		os.Remove(l.owner)
	}
	return err
}

var errInterrupted = errors.New("gitdb: interrupted by a signal; nothing was committed")

// writeFileAtomic writes data to a temporary file next to path, syncs it (if
// sync) and renames it over path, so readers see the old or the new content,
// never a part.
func writeFileAtomic(path string, data []byte, perm os.FileMode, sync bool) error {
	return writeFileVia("", path, data, perm, sync)
}

// writeFileVia is writeFileAtomic with the temporary file in tmpDir (if not
// ""), so that a process killed mid-write leaves its debris there rather
// than in the work tree, where `git status` would show it. If tmpDir is on
// another filesystem, the temporary file goes next to path after all.
func writeFileVia(tmpDir, path string, data []byte, perm os.FileMode, sync bool) error {
	dir := tmpDir
	if dir == "" {
		dir = filepath.Dir(path)
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".desk-%d-%x.tmp", os.Getpid(), rand.Uint64()))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && sync {
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
		if tmpDir != "" && errors.Is(err, syscall.EXDEV) {
			return writeFileVia("", path, data, perm, sync)
		}
	}
	return err
}
