package consist

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Repo is a checked repository.
type Repo struct {
	Root     string
	Config   *Config
	Tickets  map[string]*Ticket  // by ID
	Articles map[string]*Article // by slug
	Problems []string            // "path: message", sorted
}

var (
	slugRE   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	actions  = []string{"create", "transition", "assign", "comment", "update", "feedback", "link"}
	ratings  = []string{"satisfied", "basically_satisfied", "unsatisfied"}
	kbStatus = []string{"draft", "review", "published", "archived"}
)

// ValidSlug reports whether s is lowercase letters, digits and single hyphens.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// Check reads every ticket and article under root and checks them against
// root/desk.toml as of now.
func Check(root string, now time.Time) (*Repo, error) {
	cfg, err := Load(root)
	if err != nil {
		return nil, err
	}
	r := &Repo{Root: root, Config: cfg, Tickets: map[string]*Ticket{}, Articles: map[string]*Article{}}
	var paths []string
	for _, dir := range []string{"tickets", "kb"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) && p == filepath.Join(root, dir) {
					return filepath.SkipDir
				}
				return err
			}
			if !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				paths = append(paths, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	// Parse in parallel; a large generated repository holds 100,000 files.
	type parsed struct {
		t   *Ticket
		a   *Article
		err error
	}
	results := make([]parsed, len(paths))
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := paths[i]
				data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
				if err != nil {
					results[i].err = err
					continue
				}
				if !strings.HasSuffix(p, ".md") {
					results[i].err = fmt.Errorf("not a .md file")
					continue
				}
				if strings.HasPrefix(p, "tickets/") {
					results[i].t, results[i].err = ParseTicket(p, data)
				} else {
					slug := strings.TrimSuffix(strings.TrimPrefix(p, "kb/"), ".md")
					results[i].a, results[i].err = ParseArticle(p, slug, data)
				}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()

	for i, res := range results {
		switch {
		case res.err != nil:
			r.problem(paths[i], "%v", res.err)
		case res.t != nil:
			if old, dup := r.Tickets[res.t.ID]; dup {
				r.problem(res.t.Path, "duplicate id %s (also %s)", res.t.ID, old.Path)
				continue
			}
			r.Tickets[res.t.ID] = res.t
		case res.a != nil:
			r.Articles[res.a.Slug] = res.a
		}
	}
	for _, t := range r.Tickets {
		r.checkTicket(t, now)
	}
	linkedFrom := map[string][]string{} // slug → tickets naming it
	for id, t := range r.Tickets {
		for _, slug := range t.KB {
			linkedFrom[slug] = append(linkedFrom[slug], id)
		}
	}
	for _, a := range r.Articles {
		r.checkArticle(a, linkedFrom[a.Slug])
	}
	sort.Strings(r.Problems)
	return r, nil
}

func (r *Repo) problem(path, format string, args ...any) {
	r.Problems = append(r.Problems, path+": "+fmt.Sprintf(format, args...))
}

func (r *Repo) checkTicket(t *Ticket, now time.Time) {
	c := r.Config
	bad := func(format string, args ...any) { r.problem(t.Path, format, args...) }

	// ID and path.
	idRE := regexp.MustCompile(`^` + regexp.QuoteMeta(c.Desk.IDPrefix) + `-(\d{4})(\d{2})(\d{2})-([1-9]\d*)$`)
	m := idRE.FindStringSubmatch(t.ID)
	if m == nil {
		bad("id %q is not %s-YYYYMMDD-N", t.ID, c.Desk.IDPrefix)
	} else {
		if want := fmt.Sprintf("tickets/%s/%s/%s.md", m[1], m[2], t.ID); t.Path != want {
			bad("file should be %s", want)
		}
		if day := t.Created.In(c.Loc).Format("20060102"); day != m[1]+m[2]+m[3] {
			bad("id day %s%s%s is not the day of created (%s)", m[1], m[2], m[3], day)
		}
	}

	// Values desk.toml allows.
	if t.Title == "" {
		bad("empty title")
	}
	if c.StatusIndex(t.Status) < 0 {
		bad("unknown status %q", t.Status)
	}
	if t.Channel != "" && !contains(c.Tickets.Channels, t.Channel) {
		bad("unknown channel %q", t.Channel)
	}
	if t.Category != "" && !contains(c.Tickets.Categories, t.Category) {
		bad("unknown category %q", t.Category)
	}
	if t.Priority != "" {
		ok := false
		for _, p := range c.SLA.Priority {
			ok = ok || p.Name == t.Priority
		}
		if !ok {
			bad("unknown priority %q", t.Priority)
		}
	}
	if f := t.Feedback; f.Rating != "" && !contains(ratings, f.Rating) {
		bad("unknown feedback.rating %q", f.Rating)
	}
	if f := t.Feedback; f.Via != "" && !contains(c.Tickets.Channels, f.Via) {
		bad("unknown feedback.via %q", f.Via)
	}
	if at := t.Feedback.ConfirmedAt; at != nil && (at.Before(t.Created) || at.After(now)) {
		bad("feedback.confirmed_at %v outside created..now", at)
	}
	if t.Due != nil && t.Due.Before(t.Created) {
		bad("due before created")
	}
	for _, p := range t.Parts {
		if p.Name == "" || p.Qty < 1 {
			bad("part %q with qty %d", p.Name, p.Qty)
		}
	}

	// The event log.
	if len(t.Events) == 0 {
		bad("no events")
		return
	}
	reached := map[string]bool{}
	status := ""
	var closedAt *time.Time
	for i, e := range t.Events {
		where := fmt.Sprintf("event %d (%s)", i+1, e.Action)
		if !contains(actions, e.Action) {
			bad("%s: unknown action", where)
		}
		if e.By == "" || e.At.IsZero() {
			bad("%s: needs at and by", where)
		}
		if i > 0 && e.At.Before(t.Events[i-1].At) {
			bad("%s: before the event above it", where)
		}
		if e.At.Before(t.Created) || e.At.After(now) {
			bad("%s: at %v outside created..now", where, e.At)
		}
		switch {
		case i == 0:
			if e.Action != "create" || e.To != c.Workflow.Initial || e.From != "" || !e.At.Equal(t.Created) {
				bad("first event must be create to %q at created", c.Workflow.Initial)
			}
		case e.Action == "create":
			bad("%s: create after the first event", where)
		case e.Action == "transition":
			if e.From != status {
				bad("%s: from %q but the status was %q", where, e.From, status)
			}
			if !contains(c.Workflow.Transitions[e.From], e.To) {
				bad("%s: %s → %s is not a transition of desk.toml", where, e.From, e.To)
			}
		default:
			if e.From != "" || e.To != "" {
				bad("%s: only transitions change the status", where)
			}
		}
		switch e.Action {
		case "comment":
			if strings.TrimSpace(e.Note) == "" {
				bad("%s: empty note", where)
			}
		case "assign", "update":
			if e.Field == "" || e.Value == "" {
				bad("%s: needs field and value", where)
			}
		}
		if e.To != "" {
			status = e.To
			reached[status] = true
			if status == "closed" && closedAt == nil {
				at := e.At
				closedAt = &at
			}
		}
		if t.Major && i > 0 && (closedAt == nil || e.At.Equal(*closedAt)) {
			if gap := e.At.Sub(t.Events[i-1].At); gap > r.majorEvery() {
				bad("%s: major ticket without an event for %v", where, gap)
			}
		}
	}
	if t.Status != status {
		bad("status %q but the last event moved it to %q", t.Status, status)
	}

	// Required fields: a status asks for its own list and those of every status before it.
	sections := Sections(t.Body)
	has := func(key string) bool {
		if strings.HasPrefix(key, "section:") {
			text, ok := sections[c.Heading(strings.TrimPrefix(key, "section:"))]
			return ok && !EmptySection(text)
		}
		v, ok := Lookup(t.Raw, key)
		if s, isStr := v.(string); isStr {
			return strings.TrimSpace(s) != ""
		}
		return ok && v != nil
	}
	for s := range reached {
		for _, earlier := range c.Workflow.Statuses[:c.StatusIndex(s)+1] {
			for _, key := range c.Required[earlier] {
				if !has(key) {
					bad("status %s reached but %s (required from %s) is missing or empty", s, key, earlier)
				}
			}
		}
	}
	for _, h := range c.Sections {
		if _, ok := sections[h]; !ok && h != c.Heading("postmortem") {
			bad("no ## %s section", h)
		}
	}

	// Major incidents.
	if t.Major {
		if reached["closed"] {
			for _, key := range c.Major.Require {
				if !has(key) {
					bad("major ticket closed without %s", key)
				}
			}
		}
		last := t.Events[len(t.Events)-1].At
		if !reached["closed"] && !contains(c.Workflow.Resolved, t.Status) && now.Sub(last) > r.majorEvery() {
			bad("open major ticket without an event since %v", last)
		}
	}

	// SLA: a stopped clock that missed its target needs a reason.
	if t.Priority != "" {
		resp, res, err := c.Evaluate(t, now)
		if err != nil {
			bad("%v", err)
		} else if res.At != nil && (resp.State == "breached" || res.State == "breached") && strings.TrimSpace(t.SLA.BreachReason) == "" {
			bad("missed its SLA (respond %v of %s, resolve %v of %s) without sla.breach_reason",
				resp.Elapsed, resp.Target.Text, res.Elapsed, res.Target.Text)
		}
	}

	for _, slug := range t.KB {
		if r.Articles[slug] == nil {
			bad("kb %q: no such article", slug)
		}
	}
}

func (r *Repo) majorEvery() time.Duration {
	sp, err := r.Config.Span(r.Config.Major.UpdateEvery)
	if err != nil {
		return 0
	}
	return sp.D
}

func (r *Repo) checkArticle(a *Article, linkedFrom []string) {
	bad := func(format string, args ...any) { r.problem(a.Path, format, args...) }
	if !ValidSlug(a.Slug) {
		bad("slug %q is not lowercase letters, digits and single hyphens", a.Slug)
	}
	if a.Title == "" {
		bad("empty title")
	}
	if !contains(kbStatus, a.Status) {
		bad("unknown status %q", a.Status)
	}
	linked := map[string]bool{}
	for _, id := range a.Tickets {
		if r.Tickets[id] == nil {
			bad("tickets: no ticket %q", id)
		}
		linked[id] = true
	}
	for _, id := range linkedFrom {
		linked[id] = true
	}
	if a.Status == "published" || a.Status == "review" {
		text := a.Title + "\n" + a.Summary + "\n" + a.Body
		for id := range linked {
			if t := r.Tickets[id]; t != nil {
				for _, pd := range []string{t.Requester.Name, t.Requester.Contact} {
					if pd != "" && strings.Contains(text, pd) {
						bad("holds %q, personal data of the requester of %s", pd, id)
					}
				}
			}
		}
	}
}
