package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket/front"
)

// Options choose what a run checks.
type Options struct {
	Now    time.Time
	Paths  []string // desk paths of files or folders; empty: everything
	Staged bool     // check what is staged in the index
	Base   string   // check what changed since the merge base with this revision
}

// UsageError is a bad option of Run (--base that names no commit): the
// command line's usage error, exit 2.
type UsageError = repo.UsageError

// loc says where in a file a finding points before positions are known.
type loc struct {
	array   string   // an entry of an array of tables: "events", "parts"
	index   int      // which entry
	key     []string // a key: {"priority"}, {"feedback", "rating"}; in an entry: {"to"}
	section string   // a body heading
	line    int      // an explicit position, when already known
	col     int
	orEvent int // when the key or section is missing: point at this [[events]] entry; -1: none
}

var noLoc = loc{orEvent: -1}

func atKey(k ...string) loc { return loc{key: k, orEvent: -1} }
func atEvent(i int) loc     { return loc{array: "events", index: i, orEvent: -1} }
func atEventKey(i int, k string) loc {
	return loc{array: "events", index: i, key: []string{k}, orEvent: -1}
}
func atLine(line, col int) loc { return loc{line: line, col: col, orEvent: -1} }

type pending struct {
	f  Finding
	at loc
}

// source gives the bytes of a file in the version being checked.
type source func(path string) ([]byte, error)

// checker holds one run's state.
type checker struct {
	r        *repo.Repo
	cfg      *config.Config
	now      time.Time
	severity map[*Rule]Severity // every registered rule; "" when desk.toml turns it off
	read     source             // version of files being checked (desk paths)
	report   func(path string) bool

	branch  []*object.Commit // with --base: the branch's commits, newest first
	objects *objectCache     // with --base: trees and blobs decoded in this run
	// with --base: the branch's commits by the ticket their trailer names
	trailers      map[string][]*object.Commit
	trailersKnown bool

	mu      sync.Mutex
	pending map[string][]pending // by desk path
	ignored map[string]map[*Rule]bool

	// links are the ticket links found while the tickets stream through
	// the rules, before every ID is known; ticket-link judges them after.
	links []linkRef

	// people are every requester the repository knows (personal-data),
	// read once, when the first article needs them.
	people func() (*kb.People, error)
}

// Run checks the repository.
func Run(ctx context.Context, r *repo.Repo, opts Options) (Result, error) {
	c := &checker{
		people: sync.OnceValues(func() (*kb.People, error) { return r.People(ctx) }),
		r:      r, cfg: r.Config, now: opts.Now,
		severity: make(map[*Rule]Severity, len(Rules)),
		pending:  map[string][]pending{},
		ignored:  map[string]map[*Rule]bool{},
		read:     func(p string) ([]byte, error) { return readFile(r, p) },
		report:   func(string) bool { return true },
	}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	for _, rule := range Rules {
		sev := rule.Severity
		switch r.Config.Check.Rules[rule.ID] {
		case "off":
			sev = ""
		case "error":
			sev = Error
		case "warning":
			sev = Warning
		}
		c.severity[rule] = sev
	}
	var files int
	var err error
	switch {
	case opts.Base != "":
		files, err = c.runBase(ctx, opts)
	case opts.Staged:
		files, err = c.runStaged(ctx, opts)
	default:
		files, err = c.runTree(ctx, opts)
	}
	if err != nil {
		return Result{}, err
	}
	res := Result{Findings: c.resolve(), Summary: Summary{Files: files}}
	for _, f := range res.Findings {
		if f.Severity == Error {
			res.Summary.Errors++
		} else {
			res.Summary.Warnings++
		}
	}
	return res, nil
}

// readFile reads a ticket or article of the work tree, through no symlink.
func readFile(r *repo.Repo, p string) ([]byte, error) {
	if strings.HasPrefix(p, "kb/") {
		return r.ReadFile(p, kb.MaxSize, "an article")
	}
	return r.ReadFile(p, repo.MaxTicketSize, "a ticket file")
}

// add records a finding unless its rule is off or ignored for the file.
func (c *checker) add(rule *Rule, path, id string, at loc, format string, args ...any) {
	c.addAs(c.severityOf(rule), rule, path, id, at, format, args...)
}

// severityOf is a rule's severity in this run, "" when it is off. A rule
// that is not in Rules is a mistake in this package, never a finding to drop.
func (c *checker) severityOf(rule *Rule) Severity {
	sev, registered := c.severity[rule]
	if !registered {
		panic(fmt.Sprintf("check: rule %q is not in check.Rules", rule.ID))
	}
	return sev
}

// addAs is add with the severity given; "" records nothing.
func (c *checker) addAs(sev Severity, rule *Rule, path, id string, at loc, format string, args ...any) {
	if sev == "" || !c.report(path) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ignored[path][rule] {
		return
	}
	c.pending[path] = append(c.pending[path], pending{
		f:  Finding{Rule: rule.ID, Severity: sev, Path: c.r.GitPath(path), Ticket: strings.Clone(id), Message: fmt.Sprintf(format, args...)},
		at: at,
	})
}

// pass is one file under its rules: report records a finding of the rule
// being applied, so the code of a rule reports for that rule only.
type pass struct {
	c    *checker
	w    *world
	rule *Rule
	path string // desk path
	id   string // the ticket ID, or the article slug
}

func (p *pass) report(at loc, format string, args ...any) {
	p.c.add(p.rule, p.path, p.id, at, format, args...)
}

// applyRules runs on one file the code of each rule that is on and has code
// (of) for files of its kind, in the order of Rules, binding the file's pass
// (bind) to the rule.
func applyRules[P any](p P, bind *pass, of func(*Rule) func(P)) {
	for _, r := range Rules {
		if code := of(r); code != nil && bind.c.severityOf(r) != "" {
			bind.rule = r
			code(p)
		}
	}
}

// unknownKeys reports the keys the format does not know (unknown-field),
// each with the closest known key.
func (p *pass) unknownKeys(keys []string, known map[string]bool) {
	for _, k := range outermost(keys) {
		p.report(keyLoc(k), "unknown key %s%s", k, suggest(k, known))
	}
}

// ignore applies a file's check_ignore list; an ignore without a reason is
// itself a finding.
func (c *checker) ignore(path, id string, rules []string, reason string) {
	if len(rules) == 0 {
		return
	}
	if strings.TrimSpace(reason) == "" {
		c.add(RequiredField, path, id, atKey("check_ignore"), "check_ignore needs check_ignore_reason: say why %s does not apply to this file", strings.Join(rules, ", "))
		return
	}
	m := map[*Rule]bool{}
	for _, name := range rules {
		if r, known := RuleByID(name); !known {
			c.add(InvalidValue, path, id, atKey("check_ignore"), "check_ignore names %q, which is not a rule; the rules are %s", name, ruleIDs())
		} else if r != Parse {
			m[r] = true
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ignored[path] = m
}

func ruleIDs() string {
	ids := make([]string, len(Rules))
	for i, r := range Rules {
		ids[i] = r.ID
	}
	return strings.Join(ids, ", ")
}

// resolve turns pending findings into findings with positions, indexing
// each file that has findings once.
func (c *checker) resolve() []Finding {
	paths := make([]string, 0, len(c.pending))
	for p := range c.pending {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var out []Finding
	for _, p := range paths {
		var doc *front.Doc
		if data, err := c.read(p); err == nil {
			doc, _ = front.ParseNoValidate(data)
		}
		for _, pf := range c.pending[p] {
			f := pf.f
			f.Line, f.Column = position(doc, pf.at)
			out = append(out, f)
		}
	}
	Sort(out)
	return out
}

func position(doc *front.Doc, at loc) (int, int) {
	if at.line > 0 {
		return at.line, max(at.col, 1)
	}
	if doc == nil {
		return 0, 0
	}
	var p front.Pos
	ok := false
	switch {
	case at.section != "":
		p, ok = doc.Section(at.section)
	case at.array != "" && len(at.key) == 1:
		if p, ok = doc.KeyIn(at.array, at.index, at.key[0]); !ok {
			p, ok = doc.ArrayTable(at.array, at.index)
		}
	case at.array != "":
		p, ok = doc.ArrayTable(at.array, at.index)
	case len(at.key) > 0:
		if p, ok = doc.Key(at.key...); !ok && at.orEvent < 0 {
			// A table ([requestor]), else the table that should hold the key.
			if p, ok = doc.Table(strings.Join(at.key, ".")); !ok && len(at.key) > 1 {
				p, ok = doc.Table(strings.Join(at.key[:len(at.key)-1], "."))
			}
		}
	}
	if !ok && at.orEvent >= 0 {
		p, ok = doc.ArrayTable("events", at.orEvent)
	}
	if !ok && at.section != "" {
		return doc.BodyLine(), 1
	}
	if !ok {
		return 1, 1
	}
	return p.Line, p.Col
}

// selection reports whether a desk path is one of paths or in one of them;
// with no paths, every path is.
func selection(paths []string) func(path string) bool {
	if len(paths) == 0 {
		return func(string) bool { return true }
	}
	sel := make([]string, len(paths))
	for i, p := range paths {
		sel[i] = strings.TrimSuffix(p, "/")
	}
	return func(path string) bool {
		for _, s := range sel {
			if s == "." || path == s || strings.HasPrefix(path, s+"/") {
				return true
			}
		}
		return false
	}
}

// runTree checks the work tree: every file, or the given paths.
func (c *checker) runTree(ctx context.Context, opts Options) (int, error) {
	c.report = selection(opts.Paths)
	// Which articles exist is known from their file names; they are parsed
	// after the tickets, one at a time.
	artPaths, err := kb.Paths(c.r.Root)
	if err != nil {
		return 0, err
	}
	slugs := make(map[string]bool, len(artPaths))
	for _, p := range artPaths {
		slugs[kb.SlugOf(p)] = true
	}
	// Tickets stream through the rules; only their IDs are kept, for
	// duplicate IDs and the links of articles.
	ids := map[string][]string{} // ID -> paths
	w := &world{articleExists: func(s string) bool { return slugs[s] }}
	files := 0
	// The requesters, for personal-data, from this pass rather than a
	// second read of every record (1.6 s at 100,000 tickets).
	people := kb.NewPeople(nil, nil)
	// Each ticket's own rules run on all cores as it is read; what spans
	// tickets is gathered in order.
	each := func(rec *records.Record) {
		if c.report(rec.Path) {
			c.checkTicket(rec, w)
		}
	}
	err = c.r.EachRecordThen(ctx, nil, each, func(rec *records.Record) error {
		if rec.Err == nil && rec.Ticket.ID != "" {
			// A copy: the ID shares memory with the whole decoded record,
			// which must not outlive this call.
			id := strings.Clone(rec.Ticket.ID)
			ids[id] = append(ids[id], rec.Path)
		}
		repo.AddRequesters(people, rec)
		if c.report(rec.Path) {
			files++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	stray, err := c.strayTickets()
	if err != nil {
		return 0, err
	}
	for _, p := range stray {
		if c.report(p) {
			files++
			c.checkTicket(c.r.ReadRecord(p, false), w)
		}
	}
	w.ticketExists = func(id string) bool { return len(ids[id]) > 0 }
	for _, l := range c.links {
		c.linkTarget(w, l)
	}
	c.people = func() (*kb.People, error) { return people, nil }
	var checked []string
	for _, p := range artPaths {
		if c.report(p) {
			checked = append(checked, p)
		}
	}
	files += len(checked)
	repo.Parallel(len(checked), func(i int) { c.checkArticle(c.parseArticle(checked[i]), w) })
	c.duplicates(ids, artPaths)
	return files, nil
}

// strayTickets lists the .md files under tickets/ that are not at
// tickets/YYYY/MM/<file>, where the records are read from: they are checked
// as tickets, so that id-format names the file they belong in.
func (c *checker) strayTickets() ([]string, error) {
	root := c.r.Abs("tickets")
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		if rel := "tickets" + filepath.ToSlash(p[len(root):]); strings.Count(rel, "/") != 3 {
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

// article is an article file, parsed or not.
type article struct {
	path string
	f    *kb.File
	err  *kb.ParseError
}

func (c *checker) loadArticles() ([]*article, error) {
	paths, err := kb.Paths(c.r.Root)
	if err != nil {
		return nil, err
	}
	out := make([]*article, len(paths))
	repo.Parallel(len(paths), func(i int) {
		out[i] = c.parseArticle(paths[i])
	})
	return out, nil
}

func (c *checker) parseArticle(p string) *article {
	a := &article{path: p}
	data, err := c.read(p)
	if err != nil {
		a.err = &kb.ParseError{Path: p, Msg: err.Error()}
		return a
	}
	f, err := kb.Parse(p, data)
	if err != nil {
		var pe *kb.ParseError
		if !errors.As(err, &pe) {
			pe = &kb.ParseError{Path: p, Msg: err.Error()}
		}
		a.err = pe
		return a
	}
	a.f = f
	return a
}

// world is what rules need to know about the whole repository.
type world struct {
	ticketExists  func(id string) bool
	articleExists func(slug string) bool
}

func (c *checker) world(recs []*records.Record, arts []*article) *world {
	ids := make(map[string]*records.Record, len(recs))
	for _, r := range recs {
		if r.Err == nil {
			ids[r.Ticket.ID] = r
		}
	}
	slugs := make(map[string]bool, len(arts))
	for _, a := range arts {
		slugs[kb.SlugOf(a.path)] = true
	}
	return &world{
		ticketExists:  func(id string) bool { return ids[id] != nil },
		articleExists: func(s string) bool { return slugs[s] },
	}
}

// duplicates reports two tickets with one ID and two articles whose slugs
// differ only in case.
func (c *checker) duplicates(ids map[string][]string, articles []string) {
	for id, paths := range ids {
		if len(paths) < 2 {
			continue
		}
		for _, p := range paths {
			others := slices.DeleteFunc(slices.Clone(paths), func(x string) bool { return x == p })
			c.add(DuplicateID, p, id, atKey("id"), "ID %s is also used by %s; give one of them a new ID with desk ticket renumber %s", id, strings.Join(others, ", "), id)
		}
	}
	bySlug := map[string][]string{}
	for _, p := range articles {
		s := strings.ToLower(kb.SlugOf(p))
		bySlug[s] = append(bySlug[s], p)
	}
	for _, ps := range bySlug {
		if len(ps) < 2 {
			continue
		}
		for _, p := range ps {
			c.add(DuplicateID, p, kb.SlugOf(p), atLine(1, 1), "slug %q collides with %s on case-insensitive file systems; rename one", kb.SlugOf(p), strings.Join(slices.DeleteFunc(slices.Clone(ps), func(x string) bool { return x == p }), ", "))
		}
	}
}
