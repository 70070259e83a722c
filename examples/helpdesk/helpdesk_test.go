package helpdesk_test

import (
	"context"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/check"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/sla"
)

// now is the "today" of the example: every event lies before it, and the open
// tickets are in different SLA states at this moment.
var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// example is the example repository, opened in place, with its tickets and articles
// as desk parses them.
type example struct {
	r        *repo.Repo
	tickets  map[string]*records.Record // by ID
	articles map[string]*kb.File        // by slug
}

func load(t *testing.T) *example {
	t.Helper()
	r, err := repo.Open(".")
	if err != nil {
		t.Fatal(err)
	}
	if r.Config.Site.Title != "Helpdesk knowledge base" {
		t.Fatalf("repo.Open(\".\") found the desk root %s, not the example", r.Root)
	}
	ex := &example{r: r, tickets: map[string]*records.Record{}, articles: map[string]*kb.File{}}
	recs, err := r.Records(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if rec.Err != nil {
			t.Errorf("%s: %v", rec.Path, rec.Err)
			continue
		}
		if len(rec.Unknown) > 0 {
			t.Errorf("%s: unknown keys %v", rec.Path, rec.Unknown)
		}
		if old := ex.tickets[rec.Ticket.ID]; old != nil {
			t.Errorf("%s: id %s also in %s", rec.Path, rec.Ticket.ID, old.Path)
		}
		ex.tickets[rec.Ticket.ID] = rec
	}
	paths, err := kb.Paths(r.Root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(r.Abs(p))
		if err != nil {
			t.Fatal(err)
		}
		f, err := kb.Parse(p, data)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		ex.articles[f.Slug] = f
	}
	return ex
}

// wantWarnings are the findings of desk check at now: the open tickets past or near
// an SLA target, and nothing else. They are warnings by design (TestSLAStates);
// any other finding, or a missing one, is a change in the example or in desk.
var wantWarnings = []string{
	"tickets/2026/11/TS-20261118-1.md sla-at-risk",  // resolution 3bd
	"tickets/2026/11/TS-20261119-2.md sla-breached", // resolution 24h
	"tickets/2026/11/TS-20261120-1.md sla-breached", // resolution 4h
	"tickets/2026/11/TS-20261121-1.md sla-breached", // response 1h
	"tickets/2026/11/TS-20261121-1.md sla-breached", // resolution 4h
	"tickets/2026/11/TS-20261121-2.md sla-at-risk",  // response 24h (complaint)
}

// TestCheck: desk check finds no error in the example, and exactly the SLA warnings
// of wantWarnings.
func TestCheck(t *testing.T) {
	ex := load(t)
	res, err := check.Run(context.Background(), ex.r, check.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	// Findings name paths from the top of the git work tree; the example is a subfolder.
	prefix := strings.TrimSuffix(ex.r.GitPath(config.File), config.File)
	var warnings []string
	for _, f := range res.Findings {
		if f.Severity == check.Error {
			t.Errorf("%s:%d:%d: %s: %s", f.Path, f.Line, f.Column, f.Rule, f.Message)
			continue
		}
		t.Logf("%s:%d:%d: %s: %s", f.Path, f.Line, f.Column, f.Rule, f.Message)
		warnings = append(warnings, strings.TrimPrefix(f.Path, prefix)+" "+f.Rule)
	}
	sort.Strings(warnings)
	if !reflect.DeepEqual(warnings, wantWarnings) {
		t.Errorf("warnings:\n\t%s\nwant:\n\t%s", strings.Join(warnings, "\n\t"), strings.Join(wantWarnings, "\n\t"))
	}
	if res.Summary.Errors != 0 || res.Summary.Warnings != len(wantWarnings) {
		t.Errorf("summary %+v", res.Summary)
	}
	if want := len(ex.tickets) + len(ex.articles); res.Summary.Files != want {
		t.Errorf("desk check read %d files; the example has %d tickets and %d articles", res.Summary.Files, len(ex.tickets), len(ex.articles))
	}
	if len(ex.tickets) < 20 || len(ex.articles) != 5 {
		t.Errorf("%d tickets and %d articles; want about 23 and 5", len(ex.tickets), len(ex.articles))
	}
}

// TestDeskTOML: the example's desk.toml is what desk init writes, with its
// own site title and the update (keep-in-touch) targets commented out: the
// example's tickets predate the update clock, so it shows how a repository
// written before it keeps working, and its figures in the README stay
// those of the respond and resolve clocks.
func TestDeskTOML(t *testing.T) {
	data, err := os.ReadFile(config.File)
	if err != nil {
		t.Fatal(err)
	}
	const title = `title = "Helpdesk knowledge base"`
	def := config.DefaultText("TS", "Asia/Shanghai", "en")
	if !strings.Contains(def, `title = "Knowledge base"`) {
		t.Fatal(`config.DefaultText no longer holds title = "Knowledge base"`)
	}
	want := strings.Replace(def, `title = "Knowledge base"`, title, 1)
	want = regexp.MustCompile(`(?m)^update = `).ReplaceAllString(want, "# update = ")
	if string(data) != want {
		t.Errorf("desk.toml should be what desk init writes (config.DefaultText(\"TS\", \"Asia/Shanghai\", \"en\")) with [site] %s", title)
	}
	cfg, err := config.Load(config.File)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Site.Title = "Knowledge base"
	defCfg := config.Default("en")
	for _, targets := range [][]config.SLATarget{defCfg.SLA.Priority, defCfg.SLA.Category} {
		for i := range targets {
			targets[i].Update = ""
		}
	}
	for name, pair := range map[string][2]any{
		"desk": {cfg.Desk, defCfg.Desk}, "tickets": {cfg.Tickets, defCfg.Tickets}, "calendar": {cfg.Calendar, defCfg.Calendar},
		"sla": {cfg.SLA, defCfg.SLA}, "major": {cfg.Major, defCfg.Major}, "workflow": {cfg.Workflow, defCfg.Workflow},
		"required": {cfg.Required, defCfg.Required}, "sections": {cfg.Sections, defCfg.Sections}, "kb": {cfg.KB, defCfg.KB},
		"site": {cfg.Site, defCfg.Site}, "check": {cfg.Check, defCfg.Check},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("[%s] of desk.toml loads to %+v; config.Default(\"en\") has %+v", name, pair[0], pair[1])
		}
	}
}

// TestCoverage keeps the example useful: every value desk.toml allows appears somewhere,
// and the special cases the commands have to handle are all present.
func TestCoverage(t *testing.T) {
	ex := load(t)
	c := ex.r.Config
	seen := map[string]map[string]bool{}
	mark := func(kind, v string) {
		if seen[kind] == nil {
			seen[kind] = map[string]bool{}
		}
		seen[kind][v] = true
	}
	var zh, en, major, reopened, paused, breach, parts, sameDay int
	for id, rec := range ex.tickets {
		tk := &rec.Ticket
		mark("status", tk.Status)
		mark("category", tk.Category)
		mark("channel", tk.Channel)
		mark("priority", tk.Priority)
		if tk.Feedback != nil && tk.Feedback.Rating != "" {
			mark("rating", tk.Feedback.Rating)
		}
		for _, e := range tk.Events {
			mark("action", e.Action)
			if e.From == "resolved" && e.To == "in_progress" {
				reopened++
			}
			if e.To == "pending" && tk.Status == "closed" {
				paused++
			}
		}
		if strings.IndexFunc(tk.Title, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
			zh++
		} else {
			en++
		}
		if tk.Major && tk.Status == "closed" && tk.Lead != "" {
			major++
		}
		if tk.SLA.BreachReason != "" && tk.Status == "closed" {
			breach++
		}
		if len(tk.Parts) > 0 {
			parts++
		}
		pid, err := ticket.ParseID(id)
		if err != nil {
			t.Errorf("%s: %v", id, err)
		} else if pid.N >= 2 {
			sameDay++
		}
	}
	all := map[string][]string{
		"status":   c.Workflow.Statuses,
		"category": c.Tickets.Categories,
		"channel":  c.Tickets.Channels,
		"priority": c.Priorities(),
		"rating":   ticket.Ratings,
		"action":   ticket.Actions,
	}
	for kind, values := range all {
		for _, v := range values {
			if !seen[kind][v] {
				t.Errorf("no ticket with %s %q", kind, v)
			}
		}
	}
	for name, n := range map[string]int{"Chinese": zh, "English": en} {
		if n < 8 {
			t.Errorf("only %d %s tickets", n, name)
		}
	}
	for name, n := range map[string]int{"closed major": major, "reopened": reopened, "paused then closed": paused,
		"closed with breach_reason": breach, "with parts": parts, "second of a day": sameDay} {
		if n == 0 {
			t.Errorf("no ticket %s", name)
		}
	}
}

// TestSLAStates: at now the open tickets show every state a list or report can show.
func TestSLAStates(t *testing.T) {
	ex := load(t)
	c := ex.r.Config
	states := map[sla.State]bool{}
	var ids []string
	for id := range ex.tickets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		tk := &ex.tickets[id].Ticket
		res := c.Clocks(tk, now)
		if res.Respond == nil || res.Resolve == nil {
			t.Errorf("%s: no SLA target for priority %q, category %q", id, tk.Priority, tk.Category)
			continue
		}
		if res.Resolve.At == nil {
			states[res.Respond.State] = true
			states[res.Resolve.State] = true
			t.Logf("%s %-11s %-6s respond %-8s resolve %-8s (%s of %s)", id, tk.Status, tk.Priority, res.Respond.State, res.Resolve.State,
				sla.FormatElapsed(res.Resolve.Elapsed, res.Resolve.Target.Unit), res.Resolve.Target)
		}
	}
	for _, s := range []sla.State{sla.StateRunning, sla.StatePaused, sla.StateAtRisk, sla.StateBreached} {
		if !states[s] {
			t.Errorf("no open ticket whose SLA state is %s", s)
		}
	}
}

// TestArticles: articles and tickets name each other, no article holds personal data
// (drafts included, which desk check does not scan), and the lifecycle is covered.
func TestArticles(t *testing.T) {
	ex := load(t)
	status := map[string]int{}
	for slug, a := range ex.articles {
		status[a.Article.Status]++
		var names []string
		for _, id := range a.Article.Tickets {
			rec := ex.tickets[id]
			if rec == nil {
				t.Errorf("%s names %s, which does not exist", a.Path, id)
				continue
			}
			if !slices.Contains(rec.Ticket.KB, slug) {
				t.Errorf("%s names %s, whose kb does not name it back", a.Path, id)
			}
			names = append(names, rec.Ticket.Requester.Name, rec.Ticket.Requester.Contact)
		}
		data, err := os.ReadFile(ex.r.Abs(a.Path))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range kb.FindPersonalData(data, names) {
			t.Errorf("%s:%d:%d: %s %q", a.Path, m.Line, m.Col, m.Kind, m.Text)
		}
	}
	links := 0
	for id, rec := range ex.tickets {
		for _, slug := range rec.Ticket.KB {
			links++
			if a := ex.articles[slug]; a == nil {
				t.Errorf("%s links kb/%s.md, which does not exist", id, slug)
			} else if !slices.Contains(a.Article.Tickets, id) {
				t.Errorf("%s links kb/%s.md, which does not list it in tickets", id, slug)
			}
		}
	}
	if links == 0 {
		t.Error("no ticket links an article")
	}
	if want := map[string]int{"published": 3, "review": 1, "draft": 1}; !reflect.DeepEqual(status, want) {
		t.Errorf("article statuses %v, want %v", status, want)
	}
}
