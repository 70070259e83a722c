package site

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/repo"
)

// fixture is a small knowledge base in Chinese and English: published
// articles that link to each other, a draft, an article with HTML and a
// javascript: link, and one with code in several languages.
var fixture = map[string]string{
	"kb/vpn-809.md": `+++
title = "VPN 连接失败（错误 809）"
status = "published"
category = "网络"
tags = ["vpn", "远程办公"]
summary = "错误 809 多为本地网络屏蔽 UDP 500/4500，改用 SSL VPN。"
owner = "wang.wu"
created = 2026-11-04T10:00:00+08:00
+++

# VPN 连接失败（错误 809）

## 常见错误

| 错误码 | 含义 |
| --- | --- |
| 809 | IPsec 协商无响应<br>多为本地网络屏蔽 |
| 691 | 口令错误 |

## 处理步骤

- [x] 换用手机热点测试
- [ ] 测试 443 端口

详见 [口令重置](password-reset.md#步骤) 与 [草稿](draft-only.md)，以及 [不存在的文章](nowhere.md)。

## 常见问题

~~旧客户端~~ 已停用。参见 https://vpn.example.com/help 。

### 仍然失败

联系网络组[^1]。

[^1]: 工作日 9:00–18:00。
`,
	"kb/password-reset.md": `+++
title = "Resetting a password"
status = "published"
category = "accounts"
tags = ["password", "vpn"]
summary = "Reset a domain password from the self-service portal."
created = 2026-11-05T10:00:00+08:00
+++

## 步骤

1. Open the portal.
2. Choose **Forgot password**.

See also [the VPN article](./vpn-809.md).

![portal screenshot](https://images.example.com/portal.png)
`,
	"kb/draft-only.md": `+++
title = "An unfinished draft"
status = "draft"
created = 2026-11-06T10:00:00+08:00
+++

Secret plans.
`,
	"kb/html-in-body.md": `+++
title = "Printer shows a script error"
status = "published"
category = "hardware"
tags = ["printer"]
created = 2026-11-07T10:00:00+08:00
+++

The driver page prints <script>document.title="pwned"</script> in the log.

<script>window.pwned = true;</script>

<img src="x" onerror="window.pwned = true">

Do not click [this](javascript:alert(1)) or [that](JaVa	ScRiPt:alert(2)).
`,
	"kb/code-samples.md": `+++
title = "Collecting logs"
status = "published"
category = "hardware"
tags = ["logs"]
created = 2026-11-08T10:00:00+08:00
+++

## Shell

` + "```bash\n# collect\ntar czf logs.tgz /var/log/app \"$HOME/app.log\"\n```" + `

## SQL

` + "```sql\nSELECT id FROM tickets WHERE status = 'open';\n```" + `

## Unknown

` + "```weird\n<b>not bold</b>\n```" + `
`,
}

// newSiteRepo makes a desk repository holding files, committed.
func newSiteRepo(t *testing.T, lang string, files map[string]string) *repo.Repo {
	t.Helper()
	t.Setenv("GIT_AUTHOR_NAME", "Li Si")
	t.Setenv("GIT_AUTHOR_EMAIL", "li.si@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "Li Si")
	t.Setenv("GIT_COMMITTER_EMAIL", "li.si@example.com")
	r, err := repo.Init(t.TempDir(), repo.InitOptions{Language: lang})
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		p := r.Abs(name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"add", "-A"}, {"commit", "-qm", "articles"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = r.Root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	r, err = repo.Open(r.Root)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func build(t *testing.T, r *repo.Repo) (string, *Stats, []string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	var warnings []string
	st, err := Build(context.Background(), r, Options{Out: out, Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	return out, st, warnings
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestBuildPages(t *testing.T) {
	r := newSiteRepo(t, "zh", fixture)
	out, st, warnings := build(t, r)
	if st.Articles != 4 {
		t.Errorf("articles = %d, want 4 (the draft stays out)", st.Articles)
	}
	for _, name := range []string{"index.html", "kb/vpn-809/index.html", "kb/password-reset/index.html",
		"categories/index.html", "categories/网络/index.html", "tags/index.html", "tags/vpn/index.html", "tags/远程办公/index.html",
		"search/index.html", "404.html", "robots.txt", "assets/style.css", "assets/search.js"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s", name)
		}
	}
	// The base URL "/" is a path: no sitemap or feed (their addresses must
	// be absolute), no canonical link, and the build says so.
	for _, name := range []string{"sitemap.xml", "atom.xml"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("%s written for a base URL that is a path", name)
		}
	}
	if !slices.ContainsFunc(warnings, func(w string) bool {
		return strings.Contains(w, "sitemap.xml and atom.xml need the site's absolute URL")
	}) {
		t.Errorf("no warning about the left-out sitemap: %q", warnings)
	}
	if home := read(t, out, "index.html"); strings.Contains(home, "atom.xml") || strings.Contains(home, `rel="canonical"`) {
		t.Error("the home page links a feed or a canonical URL that cannot be absolute")
	}
	if _, err := os.Stat(filepath.Join(out, "kb/draft-only")); err == nil {
		t.Error("the draft reached the site")
	}
	// Nothing of a draft, anywhere.
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, _ := os.ReadFile(p); strings.Contains(string(data), "Secret plans") || strings.Contains(string(data), "unfinished draft") {
				t.Errorf("%s holds the draft's text", p)
			}
		}
		return nil
	})

	vpn := read(t, out, "kb/vpn-809/index.html")
	for _, want := range []string{
		`<html lang="zh-CN" data-root="../../">`,
		`<h2 id="常见错误">常见错误<a class="anchor" href="#%E5%B8%B8%E8%A7%81%E9%94%99%E8%AF%AF"`, // a Chinese heading keeps its characters
		`<table>`, `<del>旧客户端</del>`, `<input type="checkbox" checked disabled`,
		`<a href="https://vpn.example.com/help">`,                  // autolink
		`<a href="../password-reset/#%E6%AD%A5%E9%AA%A4">口令重置</a>`, // a link to an article, rewritten, anchor kept
		`<span class="broken-link">草稿</span>`, `<span class="broken-link">不存在的文章</span>`,
		`IPsec 协商无响应<br>多为本地网络屏蔽`,
		`class="footnotes"`,
		`<nav aria-label="breadcrumb" class="crumbs"><ol><li><a href="../../">首页</a></li><li><a href="../../categories/%e7%bd%91%e7%bb%9c/">网络</a></li>`,
		`<a href="../../tags/%e8%bf%9c%e7%a8%8b%e5%8a%9e%e5%85%ac/">远程办公</a>`,
		`<nav class="toc"`, `<a href="#%e4%bb%8d%e7%84%b6%e5%a4%b1%e8%b4%a5">仍然失败</a>`,
		`更新于 <time datetime="`, `作者 Li Si`,
		`<aside class="related"`, `<a href="../../kb/password-reset/">Resetting a password</a>`,
	} {
		if !strings.Contains(vpn, want) {
			t.Errorf("vpn page lacks %s", want)
		}
	}
	if strings.Count(vpn, "<h1>") != 1 {
		t.Errorf("vpn page has %d <h1>, want 1 (the body's title heading is dropped)", strings.Count(vpn, "<h1>"))
	}
	// Broken links are reported with the file and line.
	joined := strings.Join(warnings, "\n")
	for _, want := range []string{
		`kb/vpn-809.md:25: link "draft-only.md": kb/draft-only.md is draft, not published`,
		`kb/vpn-809.md:25: link "nowhere.md": no article kb/nowhere.md`,
		`kb/html-in-body.md:15: link "javascript:alert(1)"`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings lack %q:\n%s", want, joined)
		}
	}

	// Raw HTML is shown as text; javascript: links are dropped.
	html := read(t, out, "kb/html-in-body/index.html")
	if regexp.MustCompile(`(?i)<script>|<img src="x"|javascript:`).MatchString(html) {
		t.Errorf("the HTML article still holds live HTML or a javascript: link:\n%s", html)
	}
	for _, want := range []string{`<code class="raw-html">&lt;script&gt;</code>document.title=&quot;pwned&quot;<code class="raw-html">&lt;/script&gt;</code>`, `&lt;script&gt;window.pwned = true;&lt;/script&gt;`, `<span class="broken-link">this</span>`} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML article lacks %s", want)
		}
	}
	// An image on another host becomes a link; the site loads nothing from elsewhere.
	pw := read(t, out, "kb/password-reset/index.html")
	if !strings.Contains(pw, `<a class="remote-image" href="https://images.example.com/portal.png">portal screenshot</a>`) || strings.Contains(pw, "<img") {
		t.Errorf("the remote image is not turned into a link")
	}
	code := read(t, out, "kb/code-samples/index.html")
	if !strings.Contains(code, `<code class="language-bash">`) || !strings.Contains(code, `<code class="language-sql">`) || !strings.Contains(code, `&lt;b&gt;not bold&lt;/b&gt;`) {
		t.Errorf("code blocks are not highlighted or escaped:\n%s", code)
	}
	// No page refers to another host for anything it loads.
	loads := regexp.MustCompile(`(?i)<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//`)
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			if data, _ := os.ReadFile(p); loads.Match(data) {
				t.Errorf("%s loads from another host: %s", p, loads.Find(data))
			}
		}
		return nil
	})

	home := read(t, out, "index.html")
	for _, want := range []string{`<input type="search" id="search-input"`, `最近更新`, `<a href="categories/%e7%bd%91%e7%bb%9c/">网络</a>`, `<a href="kb/vpn-809/">VPN 连接失败（错误 809）</a>`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %s", want)
		}
	}
	if nf := read(t, out, "404.html"); !strings.Contains(nf, `href="/assets/style.css"`) {
		t.Errorf("404 page links do not start at the base URL")
	}
}

func TestFeeds(t *testing.T) {
	r := newSiteRepo(t, "en", fixture)
	out := filepath.Join(t.TempDir(), "public")
	var warnings []string
	if _, err := Build(context.Background(), r, Options{Out: out, BaseURL: "https://kb.example.com/help", Warn: func(m string) { warnings = append(warnings, m) }}); err != nil {
		t.Fatal(err)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(read(t, out, "sitemap.xml")), &sm); err != nil {
		t.Fatal(err)
	}
	if len(sm.URLs) == 0 || sm.URLs[0].Loc != "https://kb.example.com/help/" {
		t.Errorf("sitemap: %+v", sm.URLs)
	}
	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(read(t, out, "atom.xml")), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 4 {
		t.Errorf("feed has %d entries, want 4", len(feed.Entries))
	}
	// Below the host's root, robots.txt would never be read: none, and the
	// build says what to add to the root's.
	if _, err := os.Stat(filepath.Join(out, "robots.txt")); err == nil {
		t.Error("robots.txt written below the host's root")
	}
	if !slices.ContainsFunc(warnings, func(w string) bool {
		return strings.Contains(w, `add "Sitemap: https://kb.example.com/help/sitemap.xml" to the root's robots.txt`)
	}) {
		t.Errorf("warnings: %q", warnings)
	}
	for _, a := range feed.Entries {
		if !strings.HasPrefix(a.ID, "https://kb.example.com/help/kb/") {
			t.Errorf("feed entry id %q is not an absolute IRI", a.ID)
		}
	}
	if page := read(t, out, "kb/vpn-809/index.html"); !strings.Contains(page, `<link rel="canonical" href="https://kb.example.com/help/kb/vpn-809/">`) {
		t.Error("no absolute canonical link")
	}
	// In this English site, the Chinese article's page is marked Chinese;
	// the English one (with one Chinese heading) keeps the site's.
	if page := read(t, out, "kb/vpn-809/index.html"); !strings.Contains(page, `<html lang="zh-CN"`) {
		t.Error("the Chinese article is not lang=zh-CN")
	}
	if page := read(t, out, "kb/password-reset/index.html"); !strings.Contains(page, `<html lang="en"`) {
		t.Error("the English article is not lang=en")
	}
	if page := read(t, out, "search/index.html"); !strings.Contains(page, `<meta name="description"`) {
		t.Error("the search page has no description")
	}
	if home := read(t, out, "index.html"); !strings.Contains(home, `<html lang="en" data-root="">`) || !strings.Contains(home, "Recently updated") {
		t.Errorf("English home page wrong")
	}
}

func TestPersonalDataStopsTheBuild(t *testing.T) {
	files := map[string]string{
		"kb/leak.md": "+++\ntitle = \"Leak\"\nstatus = \"published\"\ncreated = 2026-11-07T10:00:00+08:00\n+++\n\nCall Zhang San at 13812345678 or zhang.san@corp.cn.\n",
	}
	for k, v := range fixture {
		files[k] = v
	}
	r := newSiteRepo(t, "en", files)
	out := filepath.Join(t.TempDir(), "public")
	// A previous good site stays as it was.
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, marker), nil, 0o644)
	os.WriteFile(filepath.Join(out, "index.html"), []byte("old"), 0o644)
	_, err := Build(context.Background(), r, Options{Out: out})
	var pd *PersonalDataError
	if !errors.As(err, &pd) {
		t.Fatalf("err = %v, want a PersonalDataError", err)
	}
	if !strings.Contains(err.Error(), "kb/leak.md:7:") {
		t.Errorf("error does not name the article and line: %v", err)
	}
	if got := read(t, out, "index.html"); got != "old" {
		t.Errorf("the old site was touched")
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	if len(ents) != 1 {
		t.Errorf("a failed build left files beside the site: %v", ents)
	}
}

func TestOutFolderNotOurs(t *testing.T) {
	r := newSiteRepo(t, "en", fixture)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "thesis.docx"), []byte("precious"), 0o644)
	_, err := Build(context.Background(), r, Options{Out: out})
	var refused *repo.RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if got := read(t, out, "thesis.docx"); got != "precious" {
		t.Error("the folder was changed")
	}
}

func TestTemplateOverride(t *testing.T) {
	files := map[string]string{
		"site/templates/home.html": `{{define "content"}}<h1>Our own home</h1>{{end}}`,
		"site/assets/logo.svg":     `<svg xmlns="http://www.w3.org/2000/svg"/>`,
	}
	for k, v := range fixture {
		files[k] = v
	}
	r := newSiteRepo(t, "en", files)
	out, _, _ := build(t, r)
	if home := read(t, out, "index.html"); !strings.Contains(home, "<h1>Our own home</h1>") || !strings.Contains(home, `id="search-input"`) {
		t.Errorf("the repository's home.html was not used inside the built-in layout")
	}
	if read(t, out, "assets/logo.svg") == "" {
		t.Error("site/assets not copied")
	}

	// A template that does not parse names its file.
	os.WriteFile(r.Abs("site/templates/home.html"), []byte(`{{define "content"}}{{.Nope`), 0o644)
	_, err := Build(context.Background(), r, Options{Out: filepath.Join(t.TempDir(), "x")})
	if err == nil || !strings.Contains(err.Error(), "site/templates/home.html") {
		t.Errorf("err = %v, want the template's path", err)
	}
}

func TestRebuildIsIdentical(t *testing.T) {
	r := newSiteRepo(t, "zh", fixture)
	a, _, _ := build(t, r)
	b, _, _ := build(t, r)
	filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s differs between two builds", rel)
		}
		return nil
	})
}

// TestServe previews the site and sees an edit without a restart.
func TestServe(t *testing.T) {
	r := newSiteRepo(t, "en", fixture)
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, r, ServeOptions{Addr: "127.0.0.1:0", Poll: 50 * time.Millisecond, Ready: func(u string) { ready <- u }})
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start")
	}
	get := func(p string) (int, string) {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	if code, body := get("kb/password-reset/"); code != 200 || !strings.Contains(body, "Resetting a password") {
		t.Fatalf("article: %d", code)
	}
	if code, body := get("kb/draft-only/"); code != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("a missing page: %d, want the 404 page", code)
	}
	if code, _ := get("kb/password-reset"); code != 200 {
		t.Errorf("a folder without a slash: %d", code)
	}
	// An edit shows up after a rebuild.
	p := r.Abs("kb/password-reset.md")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(data), "Resetting a password", "Resetting a forgotten password", 1)), 0o644)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, body := get("kb/password-reset/"); strings.Contains(body, "Resetting a forgotten password") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the edit was not rebuilt")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// TestBaseURLMustBeHTTPOrAPath: --base-url, like site.base_url, is an
// absolute http(s) URL or a path; anything else is refused before a file
// is written.
func TestBaseURLMustBeHTTPOrAPath(t *testing.T) {
	r := newSiteRepo(t, "en", fixture)
	for _, bad := range []string{"javascript:alert(1)//", "//evil.example", "ftp://x", "data:text/html,x"} {
		out := filepath.Join(t.TempDir(), "public")
		_, err := Build(context.Background(), r, Options{Out: out, BaseURL: bad})
		var usage *repo.UsageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--base-url") || !strings.Contains(err.Error(), "want an absolute http:// or https:// URL") {
			t.Errorf("--base-url %q: err = %v, want a usage error saying what is allowed", bad, err)
		}
		if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("--base-url %q: the site was written", bad)
		}
	}
	// A configuration made in code is held to the same rule.
	r.Config.Site.BaseURL = "javascript:alert(1)//"
	if _, err := Build(context.Background(), r, Options{Out: filepath.Join(t.TempDir(), "public")}); err == nil || !strings.Contains(err.Error(), "site.base_url") {
		t.Errorf("site.base_url javascript: err = %v", err)
	}
	r.Config.Site.BaseURL = "/"
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), r, Options{Out: out, BaseURL: "https://kb.example.com"}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, out, "robots.txt"); !strings.Contains(got, "Sitemap: https://kb.example.com/sitemap.xml") {
		t.Errorf("robots.txt: %s", got)
	}
}
