package helpdesk_test

import (
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/deskhq/desk/examples/internal/consist"
)

// now is the "today" of the example: every event lies before it, and the open
// tickets are in different SLA states at this moment.
var now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

func load(t *testing.T) *consist.Repo {
	t.Helper()
	repo, err := consist.Check(".", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range repo.Problems {
		t.Error(p)
	}
	return repo
}

func TestConsistent(t *testing.T) {
	repo := load(t)
	if len(repo.Tickets) < 20 || len(repo.Articles) != 5 {
		t.Errorf("%d tickets and %d articles; want about 22 and 5", len(repo.Tickets), len(repo.Articles))
	}
}

func TestDeskTOML(t *testing.T) {
	data, err := os.ReadFile("desk.toml")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(consist.DefaultDeskTOML, `title = "Knowledge base"`, `title = "Helpdesk knowledge base"`, 1)
	if string(data) != want {
		t.Error("desk.toml should be the documented defaults with [site] title = \"Helpdesk knowledge base\"")
	}
}

// TestCoverage keeps the example useful: every value desk.toml allows appears somewhere,
// and the special cases the commands have to handle are all present.
func TestCoverage(t *testing.T) {
	repo := load(t)
	c := repo.Config
	seen := map[string]map[string]bool{}
	mark := func(kind, v string) {
		if seen[kind] == nil {
			seen[kind] = map[string]bool{}
		}
		seen[kind][v] = true
	}
	var zh, en, major, reopened, paused, breach, parts, sameDay int
	for id, tk := range repo.Tickets {
		mark("status", tk.Status)
		mark("category", tk.Category)
		mark("channel", tk.Channel)
		mark("priority", tk.Priority)
		if tk.Feedback.Rating != "" {
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
		if strings.HasSuffix(id, "-2") {
			sameDay++
		}
	}
	all := map[string][]string{
		"status":   c.Workflow.Statuses,
		"category": c.Tickets.Categories,
		"channel":  c.Tickets.Channels,
		"priority": {"high", "medium", "low"},
		"rating":   {"satisfied", "basically_satisfied", "unsatisfied"},
		"action":   {"create", "transition", "assign", "comment", "update", "feedback", "link"},
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

// TestSLAStates: at "now" the open tickets show every state a list or report can show.
func TestSLAStates(t *testing.T) {
	repo := load(t)
	states := map[string]bool{}
	var ids []string
	for id := range repo.Tickets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		tk := repo.Tickets[id]
		resp, res, err := repo.Config.Evaluate(tk, now)
		if err != nil {
			t.Fatal(err)
		}
		if res.At == nil {
			states[resp.State] = true
			states[res.State] = true
			t.Logf("%s %-11s %-6s respond %-8s resolve %-8s (%v of %s)", id, tk.Status, tk.Priority, resp.State, res.State, res.Elapsed, res.Target.Text)
		}
	}
	for _, s := range []string{"running", "paused", "at_risk", "breached"} {
		if !states[s] {
			t.Errorf("no open ticket whose SLA state is %s", s)
		}
	}
}

var (
	email = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	phone = regexp.MustCompile(`(\+\d{1,3} ?)?\b\d{3}[ -]\d{4}\b|\b1\d{10}\b`)
)

func TestArticles(t *testing.T) {
	repo := load(t)
	status := map[string]int{}
	for slug, a := range repo.Articles {
		status[a.Status]++
		for _, id := range a.Tickets {
			if tk := repo.Tickets[id]; tk != nil && !contains(tk.KB, slug) {
				t.Errorf("kb/%s.md names %s, whose kb does not name it back", slug, id)
			}
		}
		text := a.Title + a.Summary + a.Body
		if m := email.FindString(text); m != "" {
			t.Errorf("kb/%s.md holds an e-mail address %q", slug, m)
		}
		if m := phone.FindString(text); m != "" {
			t.Errorf("kb/%s.md holds what looks like a phone number %q", slug, m)
		}
	}
	for id, tk := range repo.Tickets {
		for _, slug := range tk.KB {
			if a := repo.Articles[slug]; a != nil && !contains(a.Tickets, id) {
				t.Errorf("%s links kb/%s.md, which does not list it in tickets", id, slug)
			}
		}
	}
	if want := map[string]int{"published": 3, "review": 1, "draft": 1}; !reflect.DeepEqual(status, want) {
		t.Errorf("article statuses %v, want %v", status, want)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
