package site

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/examples/bench/browsertest"
	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
)

var (
	browser    *browsertest.Browser
	browserErr error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if browser != nil {
		browser.Close()
	}
	os.Exit(code)
}

// startBrowser starts the one browser of the test binary on first use.
func startBrowser(t *testing.T) *browsertest.Browser {
	t.Helper()
	if browser == nil && browserErr == nil {
		browser, browserErr = browsertest.Start(context.Background())
	}
	browsertest.Skip(t, browserErr)
	return browser
}

// serve serves a built site the way a static host does.
func serve(t *testing.T, dir string) string {
	t.Helper()
	srv := httptest.NewServer(&siteHandler{dir: dir})
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// query types q into the search box of page p and returns the paths of the
// results, best first.
func query(t *testing.T, ctx context.Context, p *browsertest.Page, q string) []string {
	t.Helper()
	// Escape empties the box and the results, so what shows next is the
	// answer to q.
	if err := p.Focus(ctx, "#search-input"); err != nil {
		t.Fatal(err)
	}
	if err := p.Press(ctx, "Escape"); err != nil {
		t.Fatal(err)
	}
	if err := p.Type(ctx, q); err != nil {
		t.Fatal(err)
	}
	cond := `document.querySelectorAll("#search-results a").length > 0 || /no |没有/i.test(document.getElementById("search-results").textContent)`
	if err := p.WaitFor(ctx, cond); err != nil {
		t.Fatalf("query %q: no results shown: %v", q, err)
	}
	var hrefs []string
	if err := p.Eval(ctx, `[...document.querySelectorAll("#search-results a")].map(a => new URL(a.href).pathname)`, &hrefs); err != nil {
		t.Fatal(err)
	}
	return hrefs
}

func noErrors(t *testing.T, p *browsertest.Page, base string) {
	t.Helper()
	for _, m := range p.Errors() {
		t.Errorf("console: %s", m)
	}
	u, _ := url.Parse(base)
	for _, r := range p.Requests() {
		ru, err := url.Parse(r.URL)
		if err != nil || (ru.Scheme != "data" && ru.Host != u.Host) {
			t.Errorf("request to another host: %s", r.URL)
		}
	}
}

// TestBrowser opens the fixture site as a visitor would: the home page loads
// cleanly, a Chinese and an English query find their article first, the
// keyboard opens a result, and an article with <script> in it shows the text
// and runs nothing.
func TestBrowser(t *testing.T) {
	b := startBrowser(t)
	r := newSiteRepo(t, "zh", fixture)
	out, _, _ := build(t, r)
	base := serve(t, out)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	p, err := b.Open(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	noErrors(t, p, base)

	for _, c := range []struct{ q, want string }{
		{"错误 809", "/kb/vpn-809/"},
		{"password portal", "/kb/password-reset/"},
		{"logs", "/kb/code-samples/"},
	} {
		got := query(t, ctx, p, c.q)
		if len(got) == 0 || got[0] != c.want {
			t.Errorf("query %q: results %v, want %s first", c.q, got, c.want)
		}
	}
	// The keyboard: down to the first result, Enter opens it.
	query(t, ctx, p, "错误 809")
	if err := p.Press(ctx, "ArrowDown"); err != nil {
		t.Fatal(err)
	}
	if err := p.Press(ctx, "Enter"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `location.pathname === "/kb/vpn-809/" && document.readyState === "complete"`); err != nil {
		var at string
		p.Eval(ctx, "location.href", &at)
		t.Errorf("Enter on the first result did not open it (at %s): %v", at, err)
	}
	noErrors(t, p, base)

	// An article with <script> in its body shows the text and runs nothing.
	if err := p.Navigate(ctx, base+"kb/html-in-body/"); err != nil {
		t.Fatal(err)
	}
	var state struct {
		Pwned bool   `json:"pwned"`
		Title string `json:"title"`
		Text  string `json:"text"`
	}
	if err := p.Eval(ctx, `({pwned: window.pwned === true, title: document.title, text: document.querySelector(".body").innerText})`, &state); err != nil {
		t.Fatal(err)
	}
	if state.Pwned || strings.Contains(state.Title, "pwned") {
		t.Errorf("a script in the article ran: %+v", state)
	}
	if !strings.Contains(state.Text, `<script>window.pwned = true;</script>`) || !strings.Contains(state.Text, `<script>document.title="pwned"</script>`) {
		t.Errorf("the article does not show its script as text: %q", state.Text)
	}
	noErrors(t, p, base)
}

// TestBrowserCorpus builds the site of the whole corpus (DESK_CORPUS) and
// checks that known Chinese and English queries put their article first,
// downloading a small part of the index.
func TestBrowserCorpus(t *testing.T) {
	corpus := os.Getenv("DESK_CORPUS")
	if corpus == "" {
		t.Skip("DESK_CORPUS is not set")
	}
	b := startBrowser(t)
	r := corpusRepo(t, corpus)
	out := filepath.Join(t.TempDir(), "public")
	start := time.Now()
	st, err := Build(t.Context(), r, Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built %d articles in %s; search index %d bytes", st.Articles, time.Since(start).Round(time.Millisecond), st.Search.Bytes)
	base := serve(t, out)
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	for _, c := range corpusQueries {
		p, err := b.Open(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		noErrors(t, p, base)
		p.ResetRequests()
		got := query(t, ctx, p, c.q)
		var bytes int64
		for _, r := range p.Requests() {
			bytes += r.EncodedBytes
		}
		t.Logf("%q: %d bytes, first %v", c.q, bytes, got[:min(3, len(got))])
		if len(got) == 0 || got[0] != c.want {
			t.Errorf("query %q: results %v, want %s first", c.q, got, c.want)
		}
		noErrors(t, p, base)
		p.Close()
	}
}

// corpusQueries are what a person would type, with the article that answers.
var corpusQueries = []struct{ q, want string }{
	{"加速建表", "/kb/accelerated-table-creation/"},
	{"OOM 故障排查", "/kb/troubleshoot-tidb-oom/"},
	{"generate ssh keys", "/kb/common-ssh-keygen/"},
	{"archiving utility tar", "/kb/common-tar/"},
}

// corpusRepo makes a desk repository whose kb/ holds the corpus, committed.
func corpusRepo(t *testing.T, corpus string) *repo.Repo {
	t.Helper()
	files := map[string]string{}
	for _, sub := range []string{"kb-zh", "kb-en"} {
		ents, err := os.ReadDir(filepath.Join(corpus, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".md") {
				data, err := os.ReadFile(filepath.Join(corpus, sub, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				files["kb/"+e.Name()] = string(data)
			}
		}
	}
	if len(files) < 8000 {
		t.Fatalf("corpus holds %d articles", len(files))
	}
	// The tldr pages show made-up addresses and numbers in their examples.
	files["desk.toml"] = config.DefaultText("TS", "Asia/Shanghai", "zh") + "\n[check.rules]\npersonal-data = \"warning\"\n"
	return newSiteRepo(t, "zh", files)
}

// TestAxe runs axe-core (a checker nobody here wrote) in the browser over
// every kind of page, in both languages: no WCAG 2 A or AA violation. The
// script comes from DESK_AXE (axe.min.js of the npm package axe-core, which
// .ci/run installs); without it the test is skipped, unless DESK_REQUIRE_AXE
// says it must run.
func TestAxe(t *testing.T) {
	path := os.Getenv("DESK_AXE")
	if path == "" {
		if os.Getenv("DESK_REQUIRE_AXE") != "" {
			t.Fatal("DESK_AXE does not name axe.min.js, and DESK_REQUIRE_AXE says the test must run")
		}
		t.Skip("DESK_AXE does not name axe.min.js (npm install axe-core)")
	}
	axe, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b := startBrowser(t)
	for _, lang := range []string{"zh", "en"} {
		r := newSiteRepo(t, lang, fixture)
		out, _, _ := build(t, r)
		base := serve(t, out)
		for _, page := range []string{"", "kb/vpn-809/", "kb/password-reset/", "categories/", "tags/vpn/", "search/?q=vpn", "no-such-page/"} {
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			p, err := b.Open(ctx, base+page)
			if err != nil {
				cancel()
				t.Fatal(err)
			}
			if err := p.Eval(ctx, string(axe)+";0", nil); err != nil {
				t.Fatalf("loading axe: %v", err)
			}
			var violations []string
			err = p.Eval(ctx, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r =>
				r.violations.map(v => v.id + " (" + v.impact + "): " + v.nodes.map(n => n.target.join(" ")).join(", ")))`, &violations)
			p.Close()
			cancel()
			if err != nil {
				t.Fatalf("%s %s: axe: %v", lang, page, err)
			}
			for _, v := range violations {
				t.Errorf("%s /%s: %s", lang, page, v)
			}
		}
	}
}
