package sitesearch

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/deskhq/desk/examples/bench/browsertest"
)

var (
	browserOnce sync.Once
	browser     *browsertest.Browser
	browserErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if browser != nil {
		browser.Close()
	}
	os.Exit(code)
}

// startBrowser returns the test binary's browser, started on first use, or
// skips the test when there is none.
func startBrowser(t *testing.T) *browsertest.Browser {
	t.Helper()
	browserOnce.Do(func() { browser, browserErr = browsertest.Start(context.Background()) })
	browsertest.Skip(t, browserErr)
	return browser
}

// fixtureSite writes the fixture site and serves it.
func fixtureSite(t *testing.T, lay layout) (dir string, srv *httptest.Server, st Stats) {
	dir = t.TempDir()
	st = writeSite(t, dir, fixtureDocs(), lay)
	srv = httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return dir, srv, st
}

func openPage(t *testing.T, u string) *browsertest.Page {
	t.Helper()
	p, err := startBrowser(t).Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if errs := p.Errors(); len(errs) > 0 {
			t.Errorf("page errors: %v", errs)
		}
		p.Close()
	})
	return p
}

func eval(t *testing.T, p *browsertest.Page, expr string, out any) {
	t.Helper()
	if err := p.Eval(t.Context(), expr, out); err != nil {
		t.Fatal(err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBrowserTokenParity checks that search.js analyses text and queries as
// the Go side does.
func TestBrowserTokenParity(t *testing.T) {
	_, srv, _ := fixtureSite(t, smallLayout)
	p := openPage(t, srv.URL+"/index.html")
	texts := []string{
		"打印机卡纸 printer jam", "ERP 报错 ERR_1045", "升级到 v2.1 后无法登录", "安装TiDB集群", "卡",
		"The printer's printing jobs are failing", "Error 0x0000011B when printing", "Enable TLS-1.2 now.",
		"Restart it.Reboot later", "ERR_ _x -y", "カタカナ 한국어", "无法登录，请重试。",
		"ＴｉＤＢ　ｖ２．１ ＥＲＲ＿１０４５", "don't O’Neil’s", "tidb_enable_fast_create_table",
		"İstanbul ΣΑΣ Straße Ǆemal ÀÉÎ", "caresses ponies agreed motoring hopping filing happy conflated",
		"the of and", "constructor toString __proto__", "x-1.2.3_y v10.2.3-rc1 ERR_1045's", "configu", "tidb_ena",
		"a " + strings.Repeat("long", 20) + " word",
		"v7.5.5", "升级到 TiDB v7.5.5", "tidb-v7.5.5 v8", "V7.5.5-rc1", "v7.5.5的",
	}
	for _, d := range fixtureDocs() {
		texts = append(texts, d.Title, d.Summary, d.Text)
	}
	in, _ := json.Marshal(texts)
	var got []struct {
		Tokens []string
		Groups []struct {
			Term, Prefix, Also string
			Parts              []string
		}
	}
	eval(t, p, `(`+string(in)+`).map(s => ({tokens: deskSearch.tokens(s), groups: deskSearch.groups(s)}))`, &got)
	for i, text := range texts {
		want := Tokens(text)
		if !reflect.DeepEqual(want, got[i].Tokens) && len(want)+len(got[i].Tokens) > 0 {
			t.Errorf("tokens of %q\n go %q\n js %q", text, want, got[i].Tokens)
		}
		var js []qgroup
		for _, g := range got[i].Groups {
			js = append(js, qgroup{g.Term, g.Prefix, g.Parts, g.Also})
		}
		if wantG := queryGroups(text); !reflect.DeepEqual(wantG, js) && len(wantG)+len(js) > 0 {
			t.Errorf("query terms of %q\n go %v\n js %v", text, wantG, js)
		}
	}
}

// TestBrowserQueryParity checks that search.js ranks as the Go reader does.
func TestBrowserQueryParity(t *testing.T) {
	dir, srv, _ := fixtureSite(t, smallLayout)
	p := openPage(t, srv.URL+"/index.html")
	for _, q := range []string{
		"打印机卡纸怎么办", "卡纸", "纸", "驱动 打印机", "ERR_1045", "fast create table", "v2.1 登录",
		"0x0000011b", "caches", "git", "git commit", "git commit-graph", "at", "archi", "network disk",
		"网络 密码", "note", "zzz", "printer 卡纸机器", "constructor", "toString", "__proto__",
	} {
		res, err := openReader(t, dir+"/search").search(q)
		if err != nil {
			t.Fatal(err)
		}
		var js []string
		eval(t, p, `deskSearch.query(`+jsString(q)+`).then(r => r.results.map(x => x.url))`, &js)
		if want := urls(res); !reflect.DeepEqual(want, js) && len(want)+len(js) > 0 {
			t.Errorf("results of %q\n go %v\n js %v", q, want, js)
		}
	}
}

// waitResults types q into the search box and waits for its results.
func waitResults(t *testing.T, p *browsertest.Page, q string) {
	t.Helper()
	ctx := t.Context()
	if err := p.Focus(ctx, "#search-input"); err != nil {
		t.Fatal(err)
	}
	if err := p.Type(ctx, q); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.querySelector("#search-status").textContent !== ""`); err != nil {
		t.Fatal(err)
	}
}

func firstTitle(t *testing.T, p *browsertest.Page) string {
	var s string
	eval(t, p, `(document.querySelector("#search-list .search-title") || {}).textContent || ""`, &s)
	return s
}

func TestBrowserSearchBox(t *testing.T) {
	_, srv, st := fixtureSite(t, smallLayout)
	p := openPage(t, srv.URL+"/index.html")
	ctx := t.Context()

	waitResults(t, p, "卡纸")
	if got := firstTitle(t, p); got != "打印机卡纸怎么办" {
		t.Errorf("first result for 卡纸: %q", got)
	}
	var marks []string
	eval(t, p, `[...document.querySelectorAll("#search-list li:first-child mark")].map(m => m.textContent)`, &marks)
	if len(marks) == 0 || marks[0] != "卡纸" {
		t.Errorf("marked words of the first result: %q, want 卡纸 first", marks)
	}
	var aria struct {
		Role, Expanded, Controls, Status, StatusRole, Live string
		Options                                            int
	}
	eval(t, p, `(() => { const i = document.getElementById("search-input"), s = document.getElementById("search-status");
		return {role: i.getAttribute("role"), expanded: i.getAttribute("aria-expanded"), controls: i.getAttribute("aria-controls"),
		status: s.textContent, statusRole: s.getAttribute("role"), live: document.getElementById("search-results").getAttribute("aria-live") || "",
		options: document.querySelectorAll("#search-list[role=listbox] > li[role=none] > a[role=option]").length}; })()`, &aria)
	if aria.Role != "combobox" || aria.Expanded != "true" || aria.Controls != "search-list" || aria.StatusRole != "status" ||
		aria.Live != "" || aria.Options != 1 || aria.Status != "1 article found" {
		t.Errorf("accessibility of the search box: %+v", aria)
	}

	// Only the shards of the query's terms and the chunks of the shown
	// results were fetched.
	need := map[string]bool{manifestFile: true}
	for _, g := range queryGroups("卡纸") {
		need[shardName(shardOf(g.term, st.Shards))] = true
	}
	var fetched []string
	for _, r := range p.Requests() {
		u, _ := url.Parse(r.URL)
		rel, ok := strings.CutPrefix(u.Path, "/search/")
		switch {
		case !ok:
		case strings.HasPrefix(rel, "d/"):
		case !need[filepath.FromSlash(rel)]:
			t.Errorf("query 卡纸 fetched %s, which it does not need", rel)
		default:
			fetched = append(fetched, rel)
		}
	}
	if len(fetched) == 0 || len(fetched) > len(need) {
		t.Errorf("index files fetched: %v, want those of %v", fetched, need)
	}

	// Escape clears.
	if err := p.Press(ctx, "Escape"); err != nil {
		t.Fatal(err)
	}
	var cleared struct {
		Value, Expanded, Status string
		Children                int
	}
	eval(t, p, `({value: document.getElementById("search-input").value, expanded: document.getElementById("search-input").getAttribute("aria-expanded"),
		status: document.getElementById("search-status").textContent, children: document.getElementById("search-results").childNodes.length})`, &cleared)
	if cleared.Value != "" || cleared.Expanded != "false" || cleared.Status != "" || cleared.Children != 0 {
		t.Errorf("after Escape: %+v, want an empty box, no status and an empty results container", cleared)
	}

	// The arrows move through the results, round.
	waitResults(t, p, "打印机")
	active := func() (id, selected string) {
		var v []string
		eval(t, p, `(() => { const id = document.getElementById("search-input").getAttribute("aria-activedescendant") || "";
			const o = id && document.getElementById(id); return [id, o ? o.getAttribute("aria-selected") : ""]; })()`, &v)
		return v[0], v[1]
	}
	for _, step := range []struct{ key, want string }{
		{"ArrowDown", "search-opt-0"}, {"ArrowDown", "search-opt-1"}, {"ArrowUp", "search-opt-0"},
		{"ArrowUp", "search-opt-1"}, {"ArrowDown", "search-opt-0"},
	} {
		if err := p.Press(ctx, step.key); err != nil {
			t.Fatal(err)
		}
		if id, sel := active(); id != step.want || sel != "true" {
			t.Errorf("after %s: active %q selected %q, want %s selected", step.key, id, sel, step.want)
		}
	}
	if err := p.Press(ctx, "Escape"); err != nil {
		t.Fatal(err)
	}

	// English, then Enter opens the active result.
	waitResults(t, p, "git commit")
	if got := firstTitle(t, p); got != "git commit" {
		t.Errorf("first result for git commit: %q", got)
	}
	if err := p.Press(ctx, "ArrowDown"); err != nil {
		t.Fatal(err)
	}
	if err := p.Press(ctx, "Enter"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `location.pathname === "/kb/git-commit/"`); err != nil {
		t.Error(err)
	}
}

func TestBrowserEscapesTitles(t *testing.T) {
	_, srv, _ := fixtureSite(t, smallLayout)
	p := openPage(t, srv.URL+"/index.html")
	waitResults(t, p, "escaping")
	var got struct {
		Title string
		Imgs  int
		Pwned bool
	}
	eval(t, p, `({title: document.querySelector("#search-list .search-title").textContent,
		imgs: document.querySelectorAll("#search-results img, #search-results b").length, pwned: !!window.pwned})`, &got)
	if got.Title != fixtureDocs()[13].Title || got.Imgs != 0 || got.Pwned {
		t.Errorf("a title with markup: %+v, want it as text", got)
	}
}

func TestBrowserSearchPageQuery(t *testing.T) {
	_, srv, _ := fixtureSite(t, smallLayout)
	p := openPage(t, srv.URL+"/search/?q="+url.QueryEscape("打印机 驱动"))
	if err := p.WaitFor(t.Context(), `document.querySelectorAll("#search-list li").length > 0`); err != nil {
		t.Fatal(err)
	}
	var v string
	eval(t, p, `document.getElementById("search-input").value`, &v)
	if got := firstTitle(t, p); got != "安装打印机驱动" || v != "打印机 驱动" {
		t.Errorf("search page with ?q=: box %q, first result %q", v, got)
	}
	var href string
	eval(t, p, `document.querySelector("#search-list a").getAttribute("href")`, &href)
	if href != "../kb/printer-driver/" {
		t.Errorf("result link %q, want the relative ../kb/printer-driver/", href)
	}
	var status string
	eval(t, p, `document.getElementById("search-status").textContent`, &status)
	if !strings.HasPrefix(status, "2 articles") {
		t.Errorf("status %q, want 2 articles found", status)
	}
}

func TestBrowserChineseMessages(t *testing.T) {
	_, srv, _ := fixtureSite(t, smallLayout)
	p := openPage(t, srv.URL+"/zh/index.html")
	waitResults(t, p, "不存在的词")
	var msg []string
	eval(t, p, `[document.getElementById("search-status").textContent, document.getElementById("search-results").textContent]`, &msg)
	if msg[0] != "没有找到文章" || msg[1] != "没有找到文章" {
		t.Errorf("status and results on a Chinese page: %q", msg)
	}
}

func TestBrowserFileURL(t *testing.T) {
	dir, _, _ := fixtureSite(t, smallLayout)
	p := openPage(t, "file://"+filepath.ToSlash(dir)+"/kb/git/index.html")
	waitResults(t, p, "ERR_1045")
	var href string
	eval(t, p, `document.querySelector("#search-list a").href`, &href)
	if !strings.HasSuffix(href, "/kb/vpn-err-1045/index.html") {
		t.Errorf("from file://, first result %q, want kb/vpn-err-1045/index.html", href)
	}
}

func TestBrowserIndexMissing(t *testing.T) {
	dir, srv, _ := fixtureSite(t, smallLayout)
	if err := os.RemoveAll(filepath.Join(dir, "search", "t")); err != nil {
		t.Fatal(err)
	}
	p, err := startBrowser(t).Open(t.Context(), srv.URL+"/index.html")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	waitResults(t, p, "git")
	var msg []string
	eval(t, p, `[document.getElementById("search-status").textContent, document.getElementById("search-results").textContent]`, &msg)
	if msg[0] != "Search is unavailable" || msg[1] != "Search is unavailable" {
		t.Errorf("with the shards missing: status and results %q, want that search is unavailable", msg)
	}
}
