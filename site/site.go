package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/site/sitesearch"
)

// Options are the choices of one build.
type Options struct {
	Out     string // the folder to write; replaced as a whole when the build succeeds
	BaseURL string // overrides site.base_url
	// Progress, when set, is told how many articles have been rendered.
	Progress func(done, total int)
	// Warn, when set, receives problems that do not stop the build, such as
	// a link to an article that is not published.
	Warn func(msg string)
}

// Stats says what a build wrote.
type Stats struct {
	Articles int   // published articles, one page each
	Pages    int   // HTML pages written
	Files    int   // all files written
	Bytes    int64 // their total size
	BadLinks int   // links that point nowhere, reported through Warn
	Search   sitesearch.Stats
}

// PersonalDataError stops a build: a published article holds personal data.
// Nothing is written.
type PersonalDataError struct {
	Findings []string // "kb/x.md:12:5: an e-mail address"
}

func (e *PersonalDataError) Error() string {
	return fmt.Sprintf("the site was not built: %d published article(s) hold personal data (rule personal-data); mask or remove it, or move the article back to draft:\n  %s",
		len(e.Findings), strings.Join(e.Findings, "\n  "))
}

// marker names a folder as one desk built, so a rebuild may replace it.
const marker = ".desk-site"

// Build makes the static site of the published articles of r in opts.Out:
// load the articles and their git history, render them, write the pages,
// feeds and search index into a fresh folder, then put it in place. A
// failed build leaves the previous site as it was.
func Build(ctx context.Context, r *repo.Repo, opts Options) (*Stats, error) {
	if opts.Out == "" {
		return nil, repo.Usagef("no output folder: give --out DIR")
	}
	if err := checkOut(opts.Out); err != nil {
		return nil, err
	}
	s, err := load(ctx, r, opts)
	if err != nil {
		return nil, err
	}
	// Reading git history and rendering are independent: do both at once.
	hist := make(chan error, 1)
	go func() { hist <- s.history() }()
	err = s.render(ctx)
	if herr := <-hist; err == nil {
		err = herr
	}
	if err != nil {
		return nil, err
	}
	s.sortByUpdate()
	parent := filepath.Dir(filepath.Clean(opts.Out))
	sweepBuilds(parent, opts.Out)
	tmp, err := os.MkdirTemp(parent, fmt.Sprintf("%s%d-*", buildPrefix, os.Getpid()))
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := s.write(ctx, tmp); err != nil {
		return nil, err
	}
	if err := replaceDir(tmp, opts.Out); err != nil {
		return nil, err
	}
	return &s.stats, nil
}

// buildPrefix begins the name of the folder a build writes into, beside
// --out: ".desk-site-<pid>-<random>", and "….old" for the previous site
// while it is being replaced.
const buildPrefix = ".desk-site-"

// sweepBuilds removes the folders that builds killed before they finished
// left beside the output out: those whose process is gone. A running
// build's folder is left alone. A previous site set aside by a build killed
// between its two renames is put back if out is missing.
func sweepBuilds(parent, out string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), buildPrefix)
		pid, _, ok2 := strings.Cut(rest, "-")
		n, err := strconv.Atoi(pid)
		if !ok || !ok2 || err != nil || !e.IsDir() || n == os.Getpid() || processAlive(n) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if strings.HasSuffix(e.Name(), ".old") {
			if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) && os.Rename(p, out) == nil {
				continue
			}
		}
		os.RemoveAll(p)
	}
}

// processAlive tells whether process pid exists. Where that cannot be known
// (Windows), it says yes: a leftover folder is better than a removed one.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	if runtime.GOOS == "windows" {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// checkOut refuses to replace a folder desk did not build.
func checkOut(out string) error {
	ents, err := os.ReadDir(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if len(ents) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, marker)); err != nil {
		return &repo.RefusedError{Msg: fmt.Sprintf("%s is not empty and was not built by desk; choose another --out or empty it", out)}
	}
	return nil
}

// replaceDir puts the new site in place of the old one with two renames, so
// a reader sees either the old site or the new one.
func replaceDir(tmp, out string) error {
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// article is a published article on its way to a page.
type article struct {
	slug     string
	path     string // kb/<slug>.md
	a        kb.Article
	body     []byte
	bodyLine int // file line of the first body line
	updated  time.Time
	by       string // author of the last commit that changed it
	r        *Rendered
	related  []*article
	files    []string // repository files the page links to, copied under files/
	links    []string // slugs of the published articles it links to
}

func (a *article) url() string { return "kb/" + a.slug + "/" }

// siteState is one build: the configuration, the articles and the output.
type siteState struct {
	r        *repo.Repo
	people   *kb.People // every requester's name and contact
	opts     Options
	cfg      siteConfig
	articles []*article // published, newest update first
	bySlug   map[string]*article
	all      map[string]string // every article's slug → its status
	md       *markdown
	tmpl     *templates
	stats    Stats
}

// load reads every article, keeps the published ones, stops on personal
// data, and adds when and by whom each was last changed.
func load(ctx context.Context, r *repo.Repo, opts Options) (*siteState, error) {
	cfg, err := newSiteConfig(r, opts)
	if err != nil {
		return nil, err
	}
	s := &siteState{r: r, opts: opts, cfg: cfg, bySlug: map[string]*article{}, all: map[string]string{}, md: newMarkdown()}
	s.tmpl, err = loadTemplates(r, cfg.Lang)
	if err != nil {
		return nil, err
	}
	// Every requester the repository knows: an article may name one of
	// another ticket than those it links.
	if s.people, err = r.People(ctx); err != nil {
		return nil, err
	}
	paths, err := kb.Paths(r.Root)
	if err != nil {
		return nil, err
	}
	files := make([]*kb.File, len(paths))
	errs := make([]error, len(paths))
	repo.Parallel(len(paths), func(i int) {
		data, err := r.ReadFile(paths[i], kb.MaxSize, "an article")
		if err != nil {
			err = fmt.Errorf("%s: %w", paths[i], err)
		} else {
			files[i], err = kb.Parse(paths[i], data)
		}
		errs[i] = err
	})
	var personal []string
	for i, f := range files {
		if err := errs[i]; err != nil {
			// An article that cannot be read stops the build only if it
			// might be published; a broken draft is desk check's business.
			// A symlink stops it always: what it points to is not read.
			if f == nil && !errors.As(err, new(*repo.SymlinkError)) && !s.mayBePublished(paths[i]) {
				s.warn(fmt.Sprintf("%s: skipped, it cannot be read: %v", paths[i], err))
				continue
			}
			return nil, err
		}
		s.all[f.Slug] = f.Article.Status
		if !f.Article.Published() {
			continue
		}
		personal = append(personal, s.personalData(f)...)
		a := &article{slug: f.Slug, path: f.Path, a: f.Article, body: f.Doc.Body(), bodyLine: f.Doc.BodyLine()}
		s.articles = append(s.articles, a)
		s.bySlug[a.slug] = a
	}
	if len(personal) > 0 {
		// desk.toml may lower the rule ([check.rules] personal-data =
		// "warning"): the team has then decided what these matches are.
		if sev := r.Config.Check.Rules["personal-data"]; sev == "warning" {
			for _, p := range personal {
				s.warn(p + " (personal-data is a " + sev + " in desk.toml)")
			}
		} else {
			return nil, &PersonalDataError{Findings: personal}
		}
	}
	return s, ctx.Err()
}

// history gives each article the time and author of the last commit that
// changed it. It only sets those two fields, so it runs beside render.
func (s *siteState) history() error {
	changes, err := s.r.LastChanges("kb")
	if err != nil {
		return fmt.Errorf("reading the history of kb/: %w", err)
	}
	for _, a := range s.articles {
		if c, ok := changes[a.path]; ok {
			a.updated, a.by = c.When, c.Author
		} else {
			// Not committed yet: the file's own time, and nobody to name.
			a.updated = a.a.Created
			if fi, err := s.r.Stat(a.path); err == nil {
				a.updated = fi.ModTime()
			}
		}
	}
	return nil
}

// sortByUpdate puts the most recently updated articles first.
func (s *siteState) sortByUpdate() {
	slices.SortStableFunc(s.articles, func(x, y *article) int {
		if c := y.updated.Compare(x.updated); c != 0 {
			return c
		}
		return strings.Compare(x.slug, y.slug)
	})
}

// mayBePublished guesses, for an article that does not parse, whether it
// says status = "published".
func (s *siteState) mayBePublished(p string) bool {
	data, err := s.r.ReadFile(p, kb.MaxSize, "an article")
	return err != nil || strings.Contains(string(data), `"published"`)
}

// personalData applies the personal-data rule of desk check to a published
// article: e-mail addresses, phone numbers, ID numbers, and the name or
// contact of any requester of the repository.
func (s *siteState) personalData(f *kb.File) []string {
	if s.r.Config.Check.Rules["personal-data"] == "off" {
		return nil
	}
	if slices.Contains(f.Article.CheckIgnore, "personal-data") && strings.TrimSpace(f.Article.CheckIgnoreReason) != "" {
		return nil
	}
	var out []string
	for _, m := range kb.FindPersonal(f.Doc.Bytes(), s.people) {
		out = append(out, fmt.Sprintf("%s:%d:%d: %s", f.Path, m.Line, m.Col, m.Kind))
	}
	return out
}

func (s *siteState) warn(msg string) {
	if s.opts.Warn != nil {
		s.opts.Warn(msg)
	}
}

// render turns every article into HTML, in parallel, and finds related
// articles.
func (s *siteState) render(ctx context.Context) error {
	var done atomic.Int64
	total := len(s.articles)
	repo.Parallel(total, func(i int) {
		if ctx.Err() != nil {
			return
		}
		a := s.articles[i]
		a.r = s.md.render(a.body, s.resolver(a))
		a.body = nil // rendered: the Markdown is not needed again
		if s.opts.Progress != nil {
			s.opts.Progress(int(done.Add(1)), total)
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, a := range s.articles {
		for _, bl := range a.r.BadLinks {
			s.stats.BadLinks++
			s.warn(fmt.Sprintf("%s:%d: link %q: %s", a.path, a.bodyLine+bl.Line-1, bl.Dest, bl.Why))
		}
	}
	findRelated(s.articles)
	return nil
}

// resolver rewrites the links of article a: a link to another article's
// file (other.md, ./other.md, ../kb/other.md, /other.md, with or without
// #anchor) becomes the relative URL of its page; other relative links must
// name a file of the repository that the site can copy.
func (s *siteState) resolver(a *article) linkResolver {
	return func(dest string) (string, string, bool) {
		if dest == "" || strings.HasPrefix(dest, "#") || isRemote(dest) {
			return dest, "", true
		}
		p, frag, _ := strings.Cut(dest, "#")
		p, _, _ = strings.Cut(p, "?")
		if p == "" {
			return dest, "", true
		}
		if !strings.HasSuffix(p, ".md") {
			// A file beside the articles (an image, a PDF).
			full := path.Clean(path.Join("kb", p))
			if strings.HasPrefix(p, "/") {
				full = path.Clean(strings.TrimPrefix(p, "/"))
			}
			if strings.HasPrefix(full, "../") || strings.HasPrefix(full, "tickets/") || full == ".git" || strings.HasPrefix(full, ".git/") {
				return "", "the site shows only files of the repository outside tickets/ and .git", false
			}
			var link *repo.SymlinkError
			if fi, err := s.r.Stat(full); errors.As(err, &link) {
				return "", link.Error(), false
			} else if err != nil || !fi.Mode().IsRegular() {
				return "", "no such file in the repository", false
			}
			a.files = append(a.files, full)
			return "../../files/" + full + fragment(frag), "", true
		}
		if strings.Contains(p, "tickets/") {
			return "", "tickets never reach the site", false
		}
		// The file's own name first, then the whole path made into a slug:
		// documentation imported from a tree of folders links to
		// /folder/page.md, which became kb/folder-page.md.
		slug := strings.TrimSuffix(path.Base(p), ".md")
		candidates := []string{slug, kb.Slugify(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(path.Clean(p), "../kb/"), "/"), ".md"))}
		for _, c := range candidates {
			if _, ok := s.bySlug[c]; ok {
				a.links = append(a.links, c)
				return "../" + c + "/" + fragment(frag), "", true
			}
		}
		for _, c := range candidates {
			if st, ok := s.all[c]; ok {
				return "", fmt.Sprintf("kb/%s.md is %s, not published", c, st), false
			}
		}
		return "", "no article kb/" + slug + ".md", false
	}
}

func fragment(f string) string {
	if f == "" {
		return ""
	}
	return "#" + f
}
