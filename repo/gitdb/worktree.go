package gitdb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// worktreeWrite writes the staged files into the work tree. prepare first
// reads what every path holds and which folders writing will create, for
// the journal, from which a failure in a later step (index, ref) or a kill
// puts the work tree back (Repo.undoWorktree).
type worktreeWrite struct {
	top         string
	tmpDir      string      // where temporary files are made (see writeFileVia)
	saved       []savedFile // what each change's path held, in change order
	plannedDirs []string    // folders apply will create, slash paths, parents first
}

type savedFile struct {
	existed bool
	data    []byte
	perm    fs.FileMode
	link    string // symlink target, if the old entry was a symlink
	isLink  bool
}

// prepare reads what is at every staged path now and which folders writing
// them will create.
func (u *worktreeWrite) prepare(changes []*change) error {
	u.saved = make([]savedFile, len(changes))
	planned := map[string]bool{}
	for i, ch := range changes {
		abs := filepath.Join(u.top, filepath.FromSlash(ch.path))
		old, err := u.save(abs, ch)
		if err != nil {
			return err
		}
		u.saved[i] = old
		if ch.del {
			continue
		}
		dir := ""
		parts := strings.Split(ch.path, "/")
		for _, p := range parts[:len(parts)-1] {
			dir = path.Join(dir, p)
			if planned[dir] {
				continue
			}
			if _, err := os.Lstat(filepath.Join(u.top, filepath.FromSlash(dir))); errors.Is(err, fs.ErrNotExist) {
				planned[dir] = true
				u.plannedDirs = append(u.plannedDirs, dir)
			}
		}
	}
	return nil
}

// apply writes every change (sorted by path) and returns the lstat data of
// the written files, for the index. prepare must have run.
func (u *worktreeWrite) apply(changes []*change) (map[string]statData, error) {
	dirs := map[string]bool{}
	for i, ch := range changes {
		abs := filepath.Join(u.top, filepath.FromSlash(ch.path))
		if !ch.del {
			if err := u.mkdirs(ch.path); err != nil {
				return nil, err
			}
		}
		old := u.saved[i]
		if ch.del {
			if !old.existed {
				continue
			}
			if err := os.Remove(abs); err != nil {
				return nil, fmt.Errorf("gitdb: remove %s: %w", ch.path, err)
			}
			u.prune(filepath.Dir(abs))
			dirs[filepath.Dir(abs)] = true
			continue
		}
		if err := writeFileVia(u.tmpDir, abs, ch.data, 0o666, true); err != nil {
			return nil, fmt.Errorf("gitdb: write %s: %w", ch.path, err)
		}
		dirs[filepath.Dir(abs)] = true
		crashPoint("worktree-file")
	}
	// Make the renames durable before the index and the branch say the
	// files are there.
	for d := range dirs {
		syncDir(d)
	}
	stats := map[string]statData{}
	for _, ch := range changes {
		if ch.del {
			continue
		}
		// Stat after the rename: the index must hold what a later lstat will
		// report (rename updates ctime on some filesystems).
		fi, err := os.Lstat(filepath.Join(u.top, filepath.FromSlash(ch.path)))
		if err != nil {
			return nil, fmt.Errorf("gitdb: stat %s: %w", ch.path, err)
		}
		stats[ch.path] = statOf(fi)
	}
	return stats, nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every filesystem can sync a directory
		d.Close()
	}
}

// save reads what is at abs now. A directory where a file is to be written
// or deleted is refused rather than removed: it may hold untracked work.
func (u *worktreeWrite) save(abs string, ch *change) (savedFile, error) {
	var s savedFile
	fi, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist) || isNotDir(err):
		return s, nil
	case err != nil:
		return s, fmt.Errorf("gitdb: %s: %w", ch.path, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		if s.link, err = os.Readlink(abs); err != nil {
			return s, fmt.Errorf("gitdb: %s: %w", ch.path, err)
		}
		s.isLink = true
	case fi.Mode().IsRegular():
		if s.data, err = os.ReadFile(abs); err != nil {
			return s, fmt.Errorf("gitdb: %s: %w", ch.path, err)
		}
		s.perm = fi.Mode().Perm()
	case fi.IsDir():
		return s, fmt.Errorf("gitdb: %s: is a directory in the work tree", ch.path)
	default:
		return s, fmt.Errorf("gitdb: %s: not a regular file in the work tree", ch.path)
	}
	s.existed = true
	return s, nil
}

// mkdirs creates the parent directories of path below the top level. Like
// git it refuses to go through a symlink, which could lead outside the work
// tree.
func (u *worktreeWrite) mkdirs(path string) error {
	dir := u.top
	parts := strings.Split(path, "/")
	for _, p := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, p)
		fi, err := os.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.Mkdir(dir, 0o777); err != nil {
				return fmt.Errorf("gitdb: write %s: %w", path, err)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("gitdb: write %s: %w", path, err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("gitdb: write %s: %s is not a directory in the work tree", path, dir)
		}
	}
	return nil
}

// prune removes dir and its parents up to the top level while they are empty,
// as git does when a checkout removes the last file of a directory.
func (u *worktreeWrite) prune(dir string) {
	for dir != u.top && strings.HasPrefix(dir, u.top+string(filepath.Separator)) {
		if os.Remove(dir) != nil {
			return // not empty (or not removable): stop
		}
		dir = filepath.Dir(dir)
	}
}
