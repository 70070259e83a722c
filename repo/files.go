package repo

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/deskhq/desk/repo/records"
)

// FileStat is a ticket file's path and the stat data that tells a change.
type FileStat struct {
	Path        string // desk path
	Size, Mtime int64  // bytes; nanoseconds since 1970
	Dir         bool   // a folder where a ticket file should be
	Link        bool   // a symbolic link, which desk does not read through
}

// TicketFiles lists tickets/YYYY/MM/*.md with their stat data, sorted, on
// all cores. A symbolic link where a file or folder of that tree should be
// is listed with Link set, and nothing below it.
func (r *Repo) TicketFiles() ([]FileStat, error) {
	files, err := r.walkTickets(true)
	if err != nil {
		return nil, err
	}
	return fileStats(files), nil
}

// ArticleFiles lists kb/*.md with their stat data, sorted, without
// following a symbolic link: kb itself when it is a link (Link set, nothing
// below it), and each file by fstatat in the opened folder, one system call
// a file with no path to resolve (Repo.Stat takes one per folder on the
// way).
func (r *Repo) ArticleFiles() ([]FileStat, error) {
	base := r.Abs("kb")
	fi, err := os.Lstat(base)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case fi.Mode()&fs.ModeSymlink != 0:
		k := statKey(fi)
		return []FileStat{{Path: "kb", Size: k.Size, Mtime: k.Mtime, Link: true}}, nil
	case !fi.IsDir():
		return nil, nil
	}
	files, err := statFolder(base, "kb/")
	if err != nil {
		return nil, err
	}
	return fileStats(files), nil
}

// statFolder lists the *.md entries of folder abs, sorted, with their stat
// data (one fstatat each, following no link), as desk paths prefix+name.
func statFolder(abs, prefix string) ([]walkedFile, error) {
	dir, names, err := openFolder(abs)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	names = slices.DeleteFunc(names, func(n string) bool { return !strings.HasSuffix(n, ".md") })
	// A large folder (kb, a busy month) is statted on all cores, in
	// chunks that stay in order.
	const chunk = 1024
	parts := make([][]walkedFile, (len(names)+chunk-1)/chunk)
	parallelN(2*runtime.GOMAXPROCS(0), len(parts), func(c int) {
		part := names[c*chunk : min((c+1)*chunk, len(names))]
		out := make([]walkedFile, 0, len(part))
		for _, name := range part {
			key, mode, err := statAt(dir, name)
			if err != nil {
				continue // removed while we looked
			}
			out = append(out, walkedFile{path: prefix + name, key: key, dir: mode == fs.ModeDir, link: mode == fs.ModeSymlink})
		}
		parts[c] = out
	})
	return slices.Concat(parts...), nil
}

// listFolder is statFolder without the stat calls: the entry types of
// the folder read tell files, folders and symlinks apart, and the keys
// are zero.
func listFolder(abs, prefix string) ([]walkedFile, error) {
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, err
	}
	out := make([]walkedFile, 0, len(entries))
	for _, e := range entries { // sorted by name
		if name := e.Name(); strings.HasSuffix(name, ".md") {
			out = append(out, walkedFile{path: prefix + name, dir: e.IsDir(), link: e.Type()&fs.ModeSymlink != 0})
		}
	}
	return out, nil
}

func fileStats(files []walkedFile) []FileStat {
	out := make([]FileStat, len(files))
	for i, f := range files {
		out[i] = FileStat{Path: f.path, Size: f.key.Size, Mtime: f.key.Mtime, Dir: f.dir, Link: f.link}
	}
	return out
}

// openFolder opens the folder abs and reads its names, sorted; the caller
// closes it.
func openFolder(abs string) (*os.File, []string, error) {
	dir, err := os.Open(abs)
	if err != nil {
		return nil, nil, err
	}
	names, err := dir.Readdirnames(-1)
	if err != nil {
		dir.Close()
		return nil, nil, err
	}
	slices.Sort(names)
	return dir, names, nil
}

type walkedFile struct {
	path string // desk path
	key  records.Key
	dir  bool // a directory where a ticket file should be
	link bool // a symlink: reading it gives a *SymlinkError
}

// walkTickets lists tickets/YYYY/MM/*.md with their stat data. It follows
// no symlink: the folder entries' types say which are links (no extra
// stat), and a link is listed in place of what it stands for, so that
// reading it reports it.
//
// Without stat, the files' keys are zero: the names and entry types come
// from the folder reads alone.
func (r *Repo) walkTickets(stat bool) ([]walkedFile, error) {
	months, err := r.TicketFolders()
	if err != nil {
		return nil, err
	}
	results := make([][]walkedFile, len(months))
	errs := make([]error, len(months))
	// Stat calls block in the kernel: more workers than cores keep both
	// cores busy, as git's preload-index threads do.
	parallelN(8*runtime.GOMAXPROCS(0), len(months), func(i int) {
		m := months[i]
		abs := r.Abs(m.Path)
		if m.Link {
			if fi, err := os.Lstat(abs); err == nil {
				results[i] = []walkedFile{{path: m.Path, key: statKey(fi), link: true}}
			}
			return
		}
		// Sorted per folder, in parallel: the folders are in order, so the
		// concatenation is sorted without a global sort.
		if stat {
			results[i], errs[i] = statFolder(abs, m.Path+"/")
		} else {
			results[i], errs[i] = listFolder(abs, m.Path+"/")
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(results...), nil
}

// Parallel runs fn(0..n-1) on all cores.
func Parallel(n int, fn func(i int)) { parallelN(runtime.GOMAXPROCS(0), n, fn) }

// parallelN runs fn(0..n-1) on up to workers goroutines at once.
func parallelN(workers, n int, fn func(i int)) {
	var g errgroup.Group
	g.SetLimit(max(1, workers))
	for i := range n {
		g.Go(func() error { fn(i); return nil })
	}
	g.Wait()
}

// FolderStat is a folder of ticket files and the stat data that tells
// whether its entries changed: a folder's modification time moves when a
// file in it is created, deleted or renamed (as editors and git save
// files), not when a file is rewritten in place.
type FolderStat struct {
	Path  string // desk path: tickets/YYYY/MM
	Mtime int64  // nanoseconds since 1970
	Ino   uint64 // a folder replaced by another has another inode
	Link  bool   // a symbolic link in place of the folder (or of its year)
}

// TicketFolders lists the month folders tickets/YYYY/MM, sorted, with
// their stat data: a few folder reads, however many tickets they hold.
func (r *Repo) TicketFolders() ([]FolderStat, error) {
	base := r.Abs("tickets")
	fi, err := os.Lstat(base)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return []FolderStat{{Path: "tickets", Link: true}}, nil
	}
	dir, years, err := openFolder(base)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	var out []FolderStat
	for _, y := range years {
		_, mode, err := statAt(dir, y)
		if err != nil || mode != fs.ModeDir && mode != fs.ModeSymlink {
			continue
		}
		if mode == fs.ModeSymlink {
			out = append(out, FolderStat{Path: "tickets/" + y, Link: true})
			continue
		}
		yd, months, err := openFolder(filepath.Join(base, y))
		if err != nil {
			return nil, err
		}
		for _, m := range months {
			key, mode, err := statAt(yd, m)
			switch {
			case err != nil:
			case mode == fs.ModeSymlink:
				out = append(out, FolderStat{Path: "tickets/" + y + "/" + m, Link: true})
			case mode == fs.ModeDir:
				out = append(out, FolderStat{Path: "tickets/" + y + "/" + m, Mtime: key.Mtime, Ino: key.Ino})
			}
		}
		yd.Close()
	}
	return out, nil
}

// FolderFiles lists the *.md files of one folder (a month folder of
// tickets, or kb) with their stat data, sorted, following no symbolic link
// (see TicketFiles). A folder that does not exist has no files.
func (r *Repo) FolderFiles(folder string) ([]FileStat, error) {
	files, err := statFolder(r.Abs(folder), folder+"/")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return fileStats(files), nil
}
