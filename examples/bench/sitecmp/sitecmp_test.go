package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/examples/bench/browsertest"
	"github.com/deskhq/desk/examples/bench/knownitem"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func articleFile(title, summary, body string) string {
	return "+++\ntitle = \"" + title + "\"\nstatus = \"published\"\ncategory = \"general\"\nsummary = \"" + summary +
		"\"\nowner = \"docs\"\ncreated = 2026-01-05T10:00:00+08:00\n+++\n\n" + body + "\n"
}

func TestLoadAndPick(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"kb/vpn.md":      articleFile("VPN drops every hour", "Renew the lease.", "Body."),
		"kb/printer.md":  articleFile("打印机卡纸", "取出纸张。", "正文。"),
		"kb/dup-a.md":    articleFile("Same title", "", ""),
		"kb/dup-b.md":    articleFile("same  TITLE", "", ""),
		"kb/mixed.md":    articleFile("TiDB FAQ", "常见问题", ""),
		"kb/draft.md":    strings.Replace(articleFile("A draft", "", ""), "published", "draft", 1),
		"kb/broken.md":   "+++\ntitle = \n+++\n",
		"kb/password.md": articleFile("Reset a password", "Self service.", ""),
	})
	arts, bad, err := loadArticles(root)
	if err != nil {
		t.Fatal(err)
	}
	if bad != 1 {
		t.Errorf("bad = %d, want 1 (broken.md)", bad)
	}
	lang := map[string]string{}
	for _, a := range arts {
		lang[a.Slug] = a.Lang
	}
	if _, ok := lang["draft"]; ok {
		t.Error("a draft was loaded")
	}
	if lang["printer"] != "zh" || lang["mixed"] != "zh" || lang["vpn"] != "en" {
		t.Errorf("languages = %v", lang)
	}
	got := pick(arts, 10, "s")
	var slugs []string
	for _, a := range got {
		slugs = append(slugs, a.Slug)
	}
	if slices.Contains(slugs, "dup-a") || slices.Contains(slugs, "dup-b") {
		t.Errorf("picked an article whose title another article has: %v", slugs)
	}
	if len(slugs) != 4 {
		t.Errorf("picked %v, want the 4 articles with a title of their own", slugs)
	}
	if again := pick(arts, 10, "s"); !slices.Equal(slugsOf(again), slugs) {
		t.Errorf("second pick %v differs from %v", slugsOf(again), slugs)
	}
	if one := pick(arts, 1, "s"); len(one) != 2 || one[0].Lang != "zh" || one[1].Lang != "en" {
		t.Errorf("pick 1 per language = %v", slugsOf(one))
	}
}

func slugsOf(as []article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Slug)
	}
	return out
}

func TestDistinctiveWords(t *testing.T) {
	arts := []article{
		{Slug: "a", Lang: "en", Title: "Configure the proxy server", Summary: "Point apt and curl at the proxy.", body: "server server"},
		{Slug: "b", Lang: "en", Title: "Restart the server", Summary: "When the server hangs.", body: "configure"},
		{Slug: "c", Lang: "en", Title: "Install curl", Summary: "The curl command.", body: "configure server"},
		{Slug: "d", Title: "提升建表性能", Summary: "加速建表的原理。", body: "建表"},
		{Slug: "e", Title: "建表语句", Summary: "", body: ""},
	}
	df := newDocFreq(arts)
	if n := df.of("server"); n != 3 {
		t.Errorf("df(server) = %d, want 3", n)
	}
	if n := df.of("建表"); n != 2 {
		t.Errorf("df(建表) = %d, want 2", n)
	}
	if n := df.of("性能"); n != 1 {
		t.Errorf("df(性能) = %d, want 1", n)
	}
	got := distinctive(candidates(arts[0], nil), df, 3)
	// proxy, point and apt are in a alone; curl in two; configure and server
	// in three. "the", "and", "at" are stop words.
	if want := []string{"proxy", "point", "apt"}; !slices.Equal(got, want) {
		t.Errorf("distinctive = %v, want %v (in the order of the text)", got, want)
	}
	seg := func(s string) []string {
		return []string{"提升", "建表", "性能", "加速", "建表", "的", "原理"}
	}
	got = distinctive(candidates(arts[3], seg), df, 3)
	if want := []string{"提升", "性能", "加速"}; !slices.Equal(got, want) {
		t.Errorf("distinctive zh = %v, want %v", got, want)
	}
	items := makeItems(arts[:1], map[string]*docFreq{"en": df}, nil)
	if len(items) != 2 || items[0].Query != "Configure the proxy server" || items[1].Query != "proxy point apt" {
		t.Errorf("items = %+v", items)
	}
	// A Chinese article whose rarest words are Latin still gets a Chinese word.
	zh := []article{
		{Slug: "x", Lang: "zh", Title: "ALPHA BETA GAMMA 概况", Summary: "", body: ""},
		{Slug: "y", Lang: "zh", Title: "概况", Summary: "", body: ""},
	}
	items = makeItems(zh[:1], map[string]*docFreq{"zh": newDocFreq(zh)}, func(string) []string { return []string{"ALPHA", "BETA", "GAMMA", "概况"} })
	if len(items) != 2 || items[1].Query != "ALPHA BETA 概况" {
		t.Errorf("zh items = %+v, want the words ALPHA BETA 概况", items)
	}
}

func TestLatinWords(t *testing.T) {
	got := latinWords("Set tidb_ddl_version on x86-64 (v2.1). End-")
	want := []string{"set", "tidb_ddl_version", "on", "x86-64", "v2.1", "end"}
	if !slices.Equal(got, want) {
		t.Errorf("latinWords = %v, want %v", got, want)
	}
}

func TestSlugOf(t *testing.T) {
	for u, want := range map[string]string{
		"http://127.0.0.1:1/kb/vpn/":              "vpn",
		"http://127.0.0.1:1/kb/vpn/index.html":    "vpn",
		"http://127.0.0.1:1/kb/vpn/#heading":      "vpn",
		"/kb/common-less/":                        "common-less",
		"http://127.0.0.1:1/tags/vpn/":            "",
		"http://127.0.0.1:1/kb/":                  "",
		"http://127.0.0.1:1/sub/site/kb/a-b-c/?x": "a-b-c",
	} {
		if got := slugOf(u); got != want {
			t.Errorf("slugOf(%q) = %q, want %q", u, got, want)
		}
	}
}

func TestSiteHandler(t *testing.T) {
	dir := t.TempDir()
	js := strings.Repeat("var x = 1;\n", 500)
	writeFiles(t, dir, map[string]string{
		"index.html":                   "<!doctype html><title>home</title>",
		"assets/search.js":             js,
		"pagefind/index/en_1.pf_index": strings.Repeat("\x1f\x8b binary", 50),
	})
	srv := httptest.NewServer(siteHandler(dir, true))
	defer srv.Close()
	get := func(path string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		// A transport of its own that does not decompress for us.
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get("/assets/search.js")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("search.js headers: %v", resp.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != js || len(body) >= len(js)/4 {
		t.Errorf("search.js: %d bytes compressed to %d, decompressed equal: %v", len(js), len(body), string(plain) == js)
	}
	resp, _ = get("/pagefind/index/en_1.pf_index")
	if resp.Header.Get("Content-Encoding") != "" {
		t.Errorf(".pf_index compressed again: %v", resp.Header)
	}
	resp, _ = get("/")
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("home headers: %v", resp.Header)
	}
	if n := fileSize(dir, "/"); n != int64(len("<!doctype html><title>home</title>")) {
		t.Errorf("fileSize(/) = %d", n)
	}
	if n := fileSize(dir, "/../../etc/passwd"); n != 0 {
		t.Errorf("fileSize outside the folder = %d", n)
	}
}

// A stand-in for desk's site: a search box whose script loads one index file
// as a script and lists the articles whose title holds the query, and a
// stand-in for Pagefind: a module whose search fetches one file.
var fakeSites = map[string]string{
	"index.html": `<!doctype html><html lang="en"><title>kb</title>
<input type="search" id="search-input"><div id="search-results"></div>
<script src="assets/search.js" defer></script>`,
	"assets/search.js": `const find = q => new Promise(ok => {
  const s = document.createElement('script');
  s.src = 'search/index.js';
  s.onload = () => ok(window.INDEX.filter(d => d.title.toLowerCase().includes(q.toLowerCase())));
  document.head.appendChild(s);
});
window.deskSearch = {query: async q => ({results: await find(q)})};
document.querySelector('#search-input').addEventListener('input', e => {
  setTimeout(async () => {
    const rs = await find(e.target.value);
    document.querySelector('#search-results').innerHTML = rs.map(d => '<a href="' + d.url + '">' + d.title + '</a>').join('');
  }, 100);
});`,
	"search/index.js": `window.INDEX = [{url: 'kb/vpn-basics/', title: 'VPN basics'}, {url: 'kb/vpn/', title: 'VPN drops'},
  {url: 'kb/printer/', title: 'Printer jam'}];` + strings.Repeat("\n// padding", 200),
	"pagefind/pagefind.js": `export async function search(q) {
  const w = new Worker(new URL('worker.js', import.meta.url));
  await new Promise(ok => { w.onmessage = ok; });
  const r = await fetch(new URL('index.json', import.meta.url));
  const docs = await r.json();
  return {results: docs.filter(d => d.title.toLowerCase().includes(q.toLowerCase()))
    .map(d => ({data: async () => { await (await fetch(new URL('fragment.json', import.meta.url))).json(); return d; }}))};
}`,
	"pagefind/index.json": `[{"url": "/kb/printer/", "title": "Printer jam"}, {"url": "/kb/vpn/", "title": "VPN drops"}` +
		tonerDocs() + `]`,
	"pagefind/fragment.json": `{"x": 1}`,
	"pagefind/worker.js":     "postMessage('ready');" + strings.Repeat("\n// padding", 100),
}

// tonerDocs are 11 more Pagefind results, /kb/toner-1/ to /kb/toner-11/.
func tonerDocs() string {
	var b strings.Builder
	for i := 1; i <= 11; i++ {
		fmt.Fprintf(&b, `, {"url": "/kb/toner-%d/", "title": "Toner %d"}`, i, i)
	}
	return b.String()
}

func TestDriversInBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := browsertest.Start(ctx)
	browsertest.Skip(t, err)
	defer b.Close()
	dir := t.TempDir()
	writeFiles(t, dir, fakeSites)
	w := newWire()
	srv := httptest.NewServer(w.wrap(siteHandler(dir, false)))
	defer srv.Close()

	// The script's query function, then the search box.
	for _, box := range []bool{false, true} {
		desk := &driver{b: b, site: site{Engine: "desk", Dir: dir, URL: srv.URL + "/", wire: w}, settle: 300 * time.Millisecond, box: box}
		rec, err := desk.run(ctx, item{Slug: "vpn", Lang: "en", Kind: "title", Query: "VPN"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rec.Results, []string{"vpn-basics", "vpn"}) || rec.Rank != 2 {
			t.Errorf("desk (box %v): results %v rank %d, want [vpn-basics vpn] rank 2", box, rec.Results, rec.Rank)
		}
		idx := int64(len(fakeSites["search/index.js"]))
		if rec.Requests != 1 || rec.Files != idx || rec.Transferred <= idx || rec.ListFiles != idx || len(rec.Errors) > 0 {
			t.Errorf("desk (box %v): %d requests, files %d (want %d), transferred %d, list files %d, errors %v",
				box, rec.Requests, rec.Files, idx, rec.Transferred, rec.ListFiles, rec.Errors)
		}
	}

	pf := &driver{b: b, site: site{Engine: "pagefind", Dir: dir, URL: srv.URL + "/", wire: w}}
	rec, err := pf.run(ctx, item{Slug: "printer", Lang: "en", Kind: "words", Query: "printer"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.Results, []string{"printer"}) || rec.Rank != 1 {
		t.Errorf("pagefind: results %v rank %d", rec.Results, rec.Rank)
	}
	// pagefind.js, the worker's script, index.json and the first result's
	// fragment. The worker's padded script goes gzipped, so the bytes on the
	// wire may be fewer than the files'.
	want := int64(len(fakeSites["pagefind/pagefind.js"]) + len(fakeSites["pagefind/worker.js"]) +
		len(fakeSites["pagefind/index.json"]) + len(fakeSites["pagefind/fragment.json"]))
	if rec.Requests != 4 || rec.Files != want || rec.Transferred <= int64(len(fakeSites["pagefind/pagefind.js"])) {
		t.Errorf("pagefind: %d requests, files %d, transferred %d; want 4 requests and %d bytes", rec.Requests, rec.Files, rec.Transferred, want)
	}
	// One result only: the list needs no more data.
	if rec.ListFiles != want {
		t.Errorf("pagefind: list files %d, want %d", rec.ListFiles, want)
	}
	// Ranks count the first 10 results, whose data is loaded past the 5 of the list.
	for slug, rank := range map[string]int{"toner-8": 8, "toner-11": 0} {
		rec, err = pf.run(ctx, item{Slug: slug, Query: "toner"})
		if err != nil || len(rec.Results) != 10 || rec.Rank != rank {
			t.Errorf("pagefind, 11 results: %d results %v, rank of %s %d (want %d), %v", len(rec.Results), rec.Results, slug, rec.Rank, rank, err)
		}
	}
	rec, err = pf.run(ctx, item{Slug: "printer", Query: "nothing"})
	if err != nil || rec.Rank != 0 || len(rec.Results) != 0 {
		t.Errorf("pagefind, no result: %+v, %v", rec, err)
	}

	seg, err := segmenter(ctx, b, []string{"提升 TiDB 建表性能"})
	if err != nil {
		t.Fatal(err)
	}
	if words := seg("提升 TiDB 建表性能"); !slices.Contains(words, "TiDB") || !slices.Contains(words, "提升") {
		t.Errorf("segmenter: %q", words)
	}
}

func TestSetItems(t *testing.T) {
	arts := []article{{Slug: "printer", Lang: "zh"}, {Slug: "vpn", Lang: "en"}}
	sets := []knownitem.Set{
		{Name: "en-b", Queries: []knownitem.Query{{Query: "打印机 卡纸", Slug: "printer", Kind: "mixed"}, {Query: "gone", Slug: "gone", Kind: "typo"}}},
		{Name: "zh-a", Queries: []knownitem.Query{{Query: "vpn", Slug: "vpn", Kind: "keywords"}}},
	}
	var warn bytes.Buffer
	got := setItems(sets, arts, &warn)
	want := []item{
		{Slug: "printer", Lang: "zh", Kind: "mixed", Query: "打印机 卡纸", Set: "en-b"},
		{Slug: "gone", Lang: "en", Kind: "typo", Query: "gone", Set: "en-b"},
		{Slug: "vpn", Lang: "en", Kind: "keywords", Query: "vpn", Set: "zh-a"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("setItems = %+v, want %+v", got, want)
	}
	if !strings.Contains(warn.String(), `"gone" wants gone`) {
		t.Errorf("no warning of an article that is not there: %q", warn.String())
	}
}
