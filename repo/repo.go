package repo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/gitdb"
)

// ErrNotDesk is returned when no desk.toml is found.
var ErrNotDesk = errors.New("not a desk repository")

// Repo is an open desk repository.
type Repo struct {
	Root   string // absolute path of the desk root
	Config *config.Config
	Git    *gitdb.Repo
	// Now is the clock: the time of events and, unless GIT_AUTHOR_DATE or
	// GIT_COMMITTER_DATE names another, of commits. Open sets it to
	// time.Now; the command line replaces it with the one clock it resolved
	// (DESK_NOW), tests with a fixed time.
	Now func() time.Time
	// Stats describes the last Records call.
	Stats CacheStats

	prefix string // the desk root relative to the git top level, "" or "a/b/"
}

// Open finds the desk root at or above dir and opens it.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	root := abs
	for {
		if fi, err := os.Stat(filepath.Join(root, config.File)); err == nil && !fi.IsDir() {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return nil, fmt.Errorf("%w (no %s in %s or any parent folder); run \"desk init\" to make one", ErrNotDesk, config.File, abs)
		}
		root = parent
	}
	cfg, err := loadConfig(root)
	if err != nil {
		return nil, err
	}
	return openAt(root, cfg, nil)
}

// loadConfig reads the desk.toml of the desk root and the iCalendar files
// it names, which like every file below the root are read without
// following a symlink.
func loadConfig(root string) (*config.Config, error) {
	path := filepath.Join(root, config.File)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	r := &Repo{Root: root}
	return config.ParseWith(path, data, func(name string) ([]byte, error) {
		return r.ReadFile(name, maxCalendarFile, "an iCalendar file")
	})
}

// maxCalendarFile is the largest iCalendar file desk.toml may name: a
// holiday calendar of many years and countries is well below it.
const maxCalendarFile = 4 << 20

func openAt(root string, cfg *config.Config, now func() time.Time) (*Repo, error) {
	g, err := gitdb.Open(root)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", root, err)
	}
	// A desk killed mid-commit left its lock: finish or undo its change
	// before reading anything, so that every command sees what git has.
	if err := g.Recover(); err != nil {
		return nil, err
	}
	top, err := filepath.EvalSymlinks(g.TopLevel())
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(top, real)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, fmt.Errorf("%s is outside the git work tree %s", root, top)
	}
	r := &Repo{Root: root, Config: cfg, Git: g, Now: now}
	if r.Now == nil {
		r.Now = time.Now
	}
	// Commits take their dates from the same clock, read when they are made.
	g.Now = func() time.Time { return r.Now() }
	if rel != "." {
		r.prefix = filepath.ToSlash(rel) + "/"
	}
	return r, nil
}

// GitPath turns a desk path into a path relative to the git top level.
func (r *Repo) GitPath(p string) string { return r.prefix + p }

// Abs turns a desk path into an absolute file name.
func (r *Repo) Abs(p string) string { return filepath.Join(r.Root, filepath.FromSlash(p)) }

// StateDir is where desk keeps local, rebuildable state (.git/desk).
func (r *Repo) StateDir() string { return filepath.Join(r.Git.GitDir(), "desk") }

// InitOptions are the choices of desk init.
type InitOptions struct {
	Language string // "en" or "zh"
	Prefix   string
	Timezone string
	// Now is the clock of the first commit; nil means time.Now.
	Now func() time.Time
}

// ErrExists is returned by Init when the folder already holds a desk.toml.
var ErrExists = errors.New("already a desk repository")

const gitattributesLine = "tickets/**/*.md merge=desk"

// Init makes dir a desk root: it writes desk.toml, .gitattributes and the
// folders, creating the git repository first when dir is not inside one, and
// commits them.
func Init(dir string, opts InitOptions) (*Repo, error) {
	if opts.Language == "" {
		opts.Language = "en"
	}
	if opts.Prefix == "" {
		opts.Prefix = "TS"
	}
	if opts.Timezone == "" {
		opts.Timezone = "Asia/Shanghai"
	}
	text := config.DefaultText(opts.Prefix, opts.Timezone, opts.Language)
	cfg, err := config.Parse(config.File, []byte(text))
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			return nil, &UsageError{Msg: ce.Msg}
		}
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(abs, config.File)); err == nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, config.File), ErrExists)
	}
	if _, err := gitdb.Open(abs); errors.Is(err, gitdb.ErrNotRepo) {
		if _, err := gitdb.Init(abs); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	r, err := openAt(abs, cfg, opts.Now)
	if err != nil {
		return nil, err
	}
	_, err = r.Git.Update(context.Background(), func(tx *gitdb.Tx) (string, error) {
		if _, err := os.Stat(filepath.Join(abs, config.File)); err == nil {
			return "", fmt.Errorf("%s: %w", filepath.Join(dir, config.File), ErrExists)
		}
		tx.Put(r.GitPath(config.File), []byte(text))
		attrs, err := os.ReadFile(filepath.Join(abs, ".gitattributes"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		if !strings.Contains(string(attrs), gitattributesLine) {
			if len(attrs) > 0 && !strings.HasSuffix(string(attrs), "\n") {
				attrs = append(attrs, '\n')
			}
			attrs = append(attrs, gitattributesLine+"\n"...)
			tx.Put(r.GitPath(".gitattributes"), attrs)
		}
		for _, keep := range []string{"tickets/.gitkeep", "kb/.gitkeep"} {
			if _, err := os.Stat(r.Abs(keep)); err != nil {
				tx.Put(r.GitPath(keep), nil)
			}
		}
		return "desk init\n\nDesk-Action: init\n", nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
