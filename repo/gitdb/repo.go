package gitdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	gogit "github.com/go-git/go-git/v5"
	gitcfg "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// Sentinel errors. Callers test them with errors.Is; the returned errors wrap
// them with the path or ref concerned.
var (
	// ErrNotRepo means no git repository contains the folder given to Open.
	ErrNotRepo = errors.New("not a git repository")
	// ErrLocked means the index lock (or a ref lock) stayed taken by another
	// git or desk process for longer than the lock timeout.
	ErrLocked = errors.New("repository is locked")
	// ErrConflict means the branch moved between reading HEAD and moving the
	// ref; nothing was committed and the work tree was restored.
	ErrConflict = errors.New("branch moved concurrently")
	// ErrNoIdentity means no author or committer name/email is configured.
	ErrNoIdentity = errors.New("no identity configured")
	// ErrUnsupported means the repository uses a git feature this package
	// does not write (SHA-256 objects, reftable, split index...).
	ErrUnsupported = errors.New("unsupported repository format")
	// ErrDubiousOwnership means the repository belongs to another user and
	// safe.directory does not name it: git refuses it, and so does Open.
	ErrDubiousOwnership = errors.New("dubious ownership")
)

// DefaultLockTimeout is how long Update waits for a lock held by another
// process when neither Repo.LockTimeout nor DESK_LOCK_TIMEOUT says otherwise.
const DefaultLockTimeout = 2 * time.Second

// DefaultConflictRetries is Repo.ConflictRetries as Open sets it.
const DefaultConflictRetries = 5

// Repo is an opened repository with a work tree. Its methods may be called
// from several goroutines; Updates of the same repository within one process
// queue up, and across processes they exclude each other with the index lock.
type Repo struct {
	// Now gives the commit time when GIT_AUTHOR_DATE / GIT_COMMITTER_DATE are
	// unset (each variable wins for the date it names, as in git); nil means
	// time.Now. The desk repository sets it to its own clock, so DESK_NOW
	// dates commits too.
	Now func() time.Time
	// LockTimeout is how long Update waits for a lock another process holds
	// before failing with ErrLocked; 0 means try once. Open sets it from
	// DESK_LOCK_TIMEOUT ("500ms", "3s", or plain seconds "2") or to
	// DefaultLockTimeout, so the environment wins unless the caller sets it.
	LockTimeout time.Duration
	// ConflictRetries is how many times Update starts over (re-running fn)
	// when the branch moved during its commit, before returning ErrConflict.
	// Open sets it to DefaultConflictRetries.
	ConflictRetries int

	top, gitDir, commonDir string

	git *gogit.Repository
	// objMu serialises access to go-git's object storage, which is not safe
	// for concurrent use.
	objMu sync.Mutex
}

// Open finds the git repository whose work tree contains dir (dir may be any
// folder inside it). It understands a ".git" directory, a ".git" file
// ("gitdir: ...", as linked worktrees and submodules use) and the
// "commondir" file of linked worktrees. It fails with ErrNotRepo if no folder
// from dir up to the root holds a repository.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("gitdb: open %s: %w", dir, err)
	}
	// git reports the real path of the top level; resolving symlinks first
	// makes TopLevel agree with `git rev-parse --show-toplevel`.
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("gitdb: open %s: %w", dir, err)
	}
	for d := real; ; {
		dotGit := filepath.Join(d, ".git")
		if fi, err := os.Stat(dotGit); err == nil {
			switch {
			case fi.IsDir() && isGitDir(dotGit):
				if err := checkOwnership("", d, dotGit); err != nil {
					return nil, err
				}
				return openAt(d, dotGit)
			case fi.Mode().IsRegular():
				gd, err := readGitFile(dotGit)
				if err != nil {
					return nil, err
				}
				if err := checkOwnership(dotGit, d, gd); err != nil {
					return nil, err
				}
				return openAt(d, gd)
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return nil, fmt.Errorf("gitdb: %s (or any of the parent directories): %w", real, ErrNotRepo)
}

// isGitDir tells whether dir looks like a git dir: git itself requires HEAD
// and an objects folder (or a commondir pointing at one).
func isGitDir(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, "objects")); err == nil {
		return true
	}
	_, err := os.Stat(filepath.Join(dir, "commondir"))
	return err == nil
}

// readGitFile reads a ".git" file of the form "gitdir: <path>"; a relative
// path is relative to the folder holding the file.
func readGitFile(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("gitdb: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	target, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return "", fmt.Errorf("gitdb: %s: no \"gitdir:\" line: %w", file, ErrNotRepo)
	}
	target = strings.TrimSpace(target)
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(file), target)
	}
	if real, err := filepath.EvalSymlinks(target); err == nil {
		target = real
	}
	if !isGitDir(target) {
		return "", fmt.Errorf("gitdb: %s points to %s: %w", file, target, ErrNotRepo)
	}
	return target, nil
}

func openAt(top, gitDir string) (*Repo, error) {
	commonDir := gitDir
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(data))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		commonDir = filepath.Clean(c)
		if real, err := filepath.EvalSymlinks(commonDir); err == nil {
			commonDir = real
		}
	}
	r := &Repo{top: top, gitDir: gitDir, commonDir: commonDir, LockTimeout: DefaultLockTimeout, ConflictRetries: DefaultConflictRetries}
	if v := os.Getenv("DESK_LOCK_TIMEOUT"); v != "" {
		d, err := parseLockTimeout(v)
		if err != nil {
			return nil, err
		}
		r.LockTimeout = d
	}
	if err := r.checkFormat(); err != nil {
		return nil, err
	}

	var dotFS billy.Filesystem = osfs.New(gitDir)
	if commonDir != gitDir {
		dotFS = dotgit.NewRepositoryFilesystem(dotFS, osfs.New(commonDir))
	}
	st := filesystem.NewStorageWithOptions(dotFS, cache.NewObjectLRUDefault(), filesystem.Options{})
	g, err := gogit.Open(extensionsJudged{st}, osfs.New(top))
	if err != nil {
		return nil, fmt.Errorf("gitdb: open %s: %w", gitDir, err)
	}
	// Open was only shown the config without [extensions]; everything
	// after it (and a config written back by a caller) sees all of it.
	g.Storer = st
	r.git = g
	return r, nil
}

// extensionsJudged is the storage as gogit.Open sees it: without the
// [extensions] section, which checkFormat has already judged. go-git v5
// refuses every extension it does not implement itself, even
// worktreeConfig, which `git sparse-checkout` turns on and which only says
// that config.worktree is read (loadConfig does).
type extensionsJudged struct{ *filesystem.Storage }

func (s extensionsJudged) Config() (*gitcfg.Config, error) {
	c, err := s.Storage.Config()
	if err != nil || c.Raw == nil || !c.Raw.HasSection("extensions") {
		return c, err
	}
	shown := *c
	raw := *c.Raw
	raw.Sections = nil
	for _, sec := range c.Raw.Sections {
		if !sec.IsName("extensions") {
			raw.Sections = append(raw.Sections, sec)
		}
	}
	shown.Raw = &raw
	return &shown, nil
}

func parseLockTimeout(v string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
		return time.Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("gitdb: DESK_LOCK_TIMEOUT=%q: want a duration such as 500ms or 2s", v)
	}
	return d, nil
}

// checkFormat refuses repositories whose formats this package would corrupt
// by writing SHA-1 loose objects and loose ref files. Extensions are judged
// as git judges them: in format version 1 an unknown one is refused, in
// version 0 git ignores them all but the few that predate versioning.
func (r *Repo) checkFormat() error {
	file := filepath.Join(r.commonDir, "config")
	cfg, err := readConfigFile(file)
	if err != nil {
		return err
	}
	version, ok := cfg.get("core.repositoryformatversion")
	if !ok {
		version = "0"
	}
	if version != "0" && version != "1" {
		return fmt.Errorf("gitdb: %s: core.repositoryFormatVersion = %s: only versions 0 and 1 are supported: %w", file, version, ErrUnsupported)
	}
	if v, ok := cfg.get("extensions.objectformat"); ok && !strings.EqualFold(v, "sha1") {
		return fmt.Errorf("gitdb: %s: extensions.objectFormat = %s: desk reads and writes SHA-1 repositories only "+
			"(a repository made with `git init --object-format=sha1`, git's default): %w", file, v, ErrUnsupported)
	}
	if v, ok := cfg.get("extensions.refstorage"); ok && !strings.EqualFold(v, "files") {
		return fmt.Errorf("gitdb: %s: extensions.refStorage = %s: desk writes loose ref files only: %w", file, v, ErrUnsupported)
	}
	if version == "1" {
		for _, k := range cfg.keys {
			name, ok := strings.CutPrefix(k, "extensions.")
			if ok && !knownExtensions[name] {
				return fmt.Errorf("gitdb: %s: extensions.%s: %w", file, name, ErrUnsupported)
			}
		}
	}
	return nil
}

// knownExtensions are the repository extensions desk can work with: the
// object and ref formats are checked by value above; worktreeConfig makes
// loadConfig read config.worktree; preciousObjects forbids deleting objects
// (desk never does); partialClone may leave objects missing, which only
// makes a read fail.
var knownExtensions = map[string]bool{
	"objectformat": true, "refstorage": true, "worktreeconfig": true,
	"preciousobjects": true, "partialclone": true, "noop": true, "noop-v1": true,
}

// Init creates a repository in dir as `git init` does (creating dir if
// needed) and opens it. The first branch is init.defaultBranch from the
// global or system git config, else "main". If dir already holds a
// repository, Init just opens it, as `git init` leaves it alone.
func Init(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("gitdb: init %s: %w", dir, err)
	}
	gitDir := filepath.Join(abs, ".git")
	if _, err := os.Stat(filepath.Join(gitDir, "HEAD")); err == nil {
		return Open(abs)
	}
	branch := "main"
	if cfg, err := loadConfig("", "", ""); err == nil {
		if b, ok := cfg.get("init.defaultbranch"); ok && b != "" {
			branch = b
		}
	}
	if !validRefName("refs/heads/" + branch) {
		return nil, fmt.Errorf("gitdb: init %s: invalid init.defaultBranch %q", dir, branch)
	}
	for _, d := range []string{"objects/info", "objects/pack", "refs/heads", "refs/tags", "info", "hooks"} {
		if err := os.MkdirAll(filepath.Join(gitDir, d), 0o777); err != nil {
			return nil, fmt.Errorf("gitdb: init: %w", err)
		}
	}
	files := []struct{ name, content string }{
		{"config", "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n"},
		{"description", "Unnamed repository; edit this file 'description' to name the repository.\n"},
		{"info/exclude", "# git ls-files --others --exclude-from=.git/info/exclude\n"},
		// HEAD last: its presence is what makes the folder a repository.
		{"HEAD", "ref: refs/heads/" + branch + "\n"},
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(gitDir, f.name), []byte(f.content), 0o666, true); err != nil {
			return nil, fmt.Errorf("gitdb: init: %w", err)
		}
	}
	return Open(abs)
}

// TopLevel returns the absolute path of the work tree's root.
func (r *Repo) TopLevel() string { return r.top }

// GitDir returns the absolute path of the (per-worktree) git dir.
func (r *Repo) GitDir() string { return r.gitDir }

// CommonDir returns the absolute path of the git dir shared by all worktrees
// (objects, branches, config).
func (r *Repo) CommonDir() string { return r.commonDir }

// Git returns the go-git repository for callers that need history (logs of a
// path and the like). It shares storage with r; go-git's storage is not safe
// for concurrent use, so callers should not use it while r is in Update from
// another goroutine.
func (r *Repo) Git() *gogit.Repository { return r.git }

// Head returns the current branch's full ref name (e.g. "refs/heads/main")
// and its commit; the hash is zero when the branch is unborn. For a detached
// HEAD the ref is "HEAD".
func (r *Repo) Head() (ref string, commit plumbing.Hash, err error) {
	return r.readHead()
}

func (r *Repo) readHead() (string, plumbing.Hash, error) {
	data, err := os.ReadFile(filepath.Join(r.gitDir, "HEAD"))
	if err != nil {
		return "", plumbing.ZeroHash, fmt.Errorf("gitdb: read HEAD: %w", err)
	}
	s := strings.TrimSpace(string(data))
	if target, ok := strings.CutPrefix(s, "ref:"); ok {
		ref := strings.TrimSpace(target)
		if !validRefName(ref) {
			return "", plumbing.ZeroHash, fmt.Errorf("gitdb: HEAD points to invalid ref %q", ref)
		}
		h, err := r.resolveRef(ref)
		return ref, h, err
	}
	h, ok := parseHash(s)
	if !ok {
		return "", plumbing.ZeroHash, fmt.Errorf("gitdb: HEAD holds %q: neither a ref nor a commit", s)
	}
	return "HEAD", h, nil
}

// resolveRef returns the commit a ref points to, following symbolic refs;
// zero if the ref does not exist (an unborn branch).
func (r *Repo) resolveRef(ref string) (plumbing.Hash, error) {
	for range 5 {
		v, err := r.readRefValue(ref)
		if err != nil || v == "" {
			return plumbing.ZeroHash, err
		}
		if target, ok := strings.CutPrefix(v, "ref:"); ok {
			ref = strings.TrimSpace(target)
			if !validRefName(ref) {
				return plumbing.ZeroHash, fmt.Errorf("gitdb: symbolic ref to invalid name %q", ref)
			}
			continue
		}
		h, ok := parseHash(v)
		if !ok {
			return plumbing.ZeroHash, fmt.Errorf("gitdb: ref %s holds %q", ref, v)
		}
		return h, nil
	}
	return plumbing.ZeroHash, fmt.Errorf("gitdb: ref %s: too many levels of symbolic refs", ref)
}

// readRefValue returns the raw value of a ref: the loose ref file's content,
// else the packed-refs line; "" if the ref does not exist.
func (r *Repo) readRefValue(ref string) (string, error) {
	data, err := os.ReadFile(r.refFile(ref))
	if err == nil {
		return strings.TrimSpace(string(data)), nil
	}
	if !errors.Is(err, fs.ErrNotExist) && !isNotDir(err) {
		return "", fmt.Errorf("gitdb: read ref %s: %w", ref, err)
	}
	if ref == "HEAD" {
		return "", nil
	}
	h, err := r.packedRef(ref)
	if err != nil || h.IsZero() {
		return "", err
	}
	return h.String(), nil
}

// isNotDir reports ENOTDIR: a ref "a/b" when a file "a" exists simply does
// not exist.
func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }

// packedRef looks ref up in packed-refs; zero if absent.
func (r *Repo) packedRef(ref string) (plumbing.Hash, error) {
	f, err := os.Open(filepath.Join(r.commonDir, "packed-refs"))
	if errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("gitdb: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue
		}
		hex, name, ok := strings.Cut(line, " ")
		if ok && name == ref {
			h, ok := parseHash(hex)
			if !ok {
				return plumbing.ZeroHash, fmt.Errorf("gitdb: packed-refs: bad line %q", line)
			}
			return h, nil
		}
	}
	if err := sc.Err(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("gitdb: read packed-refs: %w", err)
	}
	return plumbing.ZeroHash, nil
}

// refFile returns the loose file of ref: HEAD and per-worktree refs live in
// the git dir, everything else in the common dir.
func (r *Repo) refFile(ref string) string {
	return filepath.Join(r.refBase(ref), filepath.FromSlash(ref))
}

func (r *Repo) refBase(ref string) string {
	if ref == "HEAD" || strings.HasPrefix(ref, "refs/worktree/") ||
		strings.HasPrefix(ref, "refs/bisect/") || strings.HasPrefix(ref, "refs/rewritten/") {
		return r.gitDir
	}
	return r.commonDir
}

// validRefName is a conservative subset of git check-ref-format: enough to
// never build a path outside the refs folder from a hostile HEAD.
func validRefName(ref string) bool {
	if ref == "HEAD" {
		return true
	}
	if !strings.HasPrefix(ref, "refs/") || strings.HasSuffix(ref, "/") || strings.HasSuffix(ref, ".lock") {
		return false
	}
	for _, c := range strings.Split(ref, "/") {
		if c == "" || c == "." || c == ".." || strings.HasPrefix(c, ".") {
			return false
		}
	}
	return !strings.ContainsAny(ref, " ~^:?*[\\\x00\x7f") && !strings.Contains(ref, "..") && !strings.Contains(ref, "@{")
}

func parseHash(s string) (plumbing.Hash, bool) {
	if len(s) != 40 {
		return plumbing.ZeroHash, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return plumbing.ZeroHash, false
		}
	}
	return plumbing.NewHash(s), true
}

// ReadFile reads path (slash-separated, relative to TopLevel) from the tree
// of commit. A path absent from the commit (or a zero commit) gives an error
// wrapping fs.ErrNotExist.
func (r *Repo) ReadFile(commit plumbing.Hash, path string) ([]byte, error) {
	p, err := cleanPath(path)
	if err != nil {
		return nil, err
	}
	if commit.IsZero() {
		return nil, fmt.Errorf("gitdb: %s: no commit: %w", path, fs.ErrNotExist)
	}
	root, err := r.commitTree(commit)
	if err != nil {
		return nil, err
	}
	e, found, err := r.lookup(root, p)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("gitdb: %s in %s: %w", path, commit, fs.ErrNotExist)
	}
	if e.isTree() || e.mode == "160000" {
		return nil, fmt.Errorf("gitdb: %s in %s: is not a file", path, commit)
	}
	return r.readObject(plumbing.BlobObject, e.hash)
}

// ListDir lists the entry names of directory path ("" or "." for the root) in
// the tree of commit, in git's tree order. It loads only the trees along the
// path. An absent directory (or a zero commit) gives nil, nil.
func (r *Repo) ListDir(commit plumbing.Hash, path string) ([]string, error) {
	if commit.IsZero() {
		return nil, nil
	}
	tree, err := r.commitTree(commit)
	if err != nil {
		return nil, err
	}
	if path != "" && path != "." {
		p, err := cleanPath(strings.TrimSuffix(path, "/"))
		if err != nil {
			return nil, err
		}
		e, found, err := r.lookup(tree, p)
		if err != nil || !found {
			return nil, err
		}
		if !e.isTree() {
			return nil, fmt.Errorf("gitdb: %s in %s: not a directory", path, commit)
		}
		tree = e.hash
	}
	entries, err := r.readTree(tree)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.name
	}
	return names, nil
}

// readObject returns the content of object h, which must have type t.
func (r *Repo) readObject(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	r.objMu.Lock()
	defer r.objMu.Unlock()
	o, err := r.git.Storer.EncodedObject(t, h)
	if err != nil {
		return nil, fmt.Errorf("gitdb: read %s %s: %w", t, h, err)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("gitdb: read %s %s: %w", t, h, err)
	}
	defer rd.Close()
	buf := bytes.NewBuffer(make([]byte, 0, o.Size()))
	if _, err := io.Copy(buf, rd); err != nil {
		return nil, fmt.Errorf("gitdb: read %s %s: %w", t, h, err)
	}
	return buf.Bytes(), nil
}

// writeObject stores an object as a loose object (go-git writes a temporary
// file and renames it into place) and returns its hash.
func (r *Repo) writeObject(t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	o := &plumbing.MemoryObject{}
	o.SetType(t)
	if _, err := o.Write(data); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("gitdb: write %s: %w", t, err)
	}
	r.objMu.Lock()
	defer r.objMu.Unlock()
	h, err := r.git.Storer.SetEncodedObject(o)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("gitdb: write %s: %w", t, err)
	}
	return h, nil
}

// commitTree returns the root tree of a commit by reading its first header
// line, without decoding the rest.
func (r *Repo) commitTree(commit plumbing.Hash) (plumbing.Hash, error) {
	data, err := r.readObject(plumbing.CommitObject, commit)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	hex, ok := bytes.CutPrefix(line, []byte("tree "))
	h, ok2 := parseHash(string(hex))
	if !ok || !ok2 {
		return plumbing.ZeroHash, fmt.Errorf("gitdb: commit %s: no tree line", commit)
	}
	return h, nil
}

// checkWritable refuses, before an Update takes the lock or writes any
// object, a setup whose commit desk could not make whole: a split index
// (core.splitIndex) or signing settings that cannot work. Update calls it
// first, so such a refusal leaves the repository as it was.
func (r *Repo) checkWritable() error {
	cfg, err := r.config()
	if err != nil {
		return err
	}
	if err := r.checkSplitIndex(cfg); err != nil {
		return err
	}
	_, err = signerFor(cfg)
	return err
}
