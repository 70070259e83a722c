package site

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
)

//go:embed templates/*.html
var embeddedTemplates embed.FS

//go:embed assets/*
var embeddedAssets embed.FS

// pageKinds are the page templates; each fills the "content" block of
// layout.html.
var pageKinds = []string{"home", "article", "list", "terms", "search", "404"}

// siteConfig is what the pages need from desk.toml and the options.
type siteConfig struct {
	Title    string
	BaseURL  string // with a trailing slash
	Lang     string // "en" or "zh"
	HTMLLang string // the lang attribute: "en", "zh-CN"
	EditURL  string
	// Absolute: the base URL has a scheme and a host, so the sitemap, the
	// feed and canonical links, which must be absolute, can be written.
	Absolute bool
	// AtRoot: the site is at the root of its host, where crawlers look
	// for robots.txt.
	AtRoot bool
	loc    *time.Location
}

func newSiteConfig(r *repo.Repo, opts Options) (siteConfig, error) {
	c := r.Config
	sc := siteConfig{Title: c.Site.Title, BaseURL: c.Site.BaseURL, Lang: c.Desk.Language, EditURL: c.Site.EditURL, loc: c.Location}
	if opts.BaseURL != "" {
		if err := config.CheckBaseURL(opts.BaseURL); err != nil {
			return sc, repo.Usagef("--base-url %q: %v", opts.BaseURL, err)
		}
		sc.BaseURL = opts.BaseURL
	}
	if sc.BaseURL == "" {
		sc.BaseURL = "/"
	}
	// desk.toml was checked when it was read; a Config made in code was not.
	if err := config.CheckBaseURL(sc.BaseURL); err != nil {
		return sc, fmt.Errorf("site.base_url %q: %w", sc.BaseURL, err)
	}
	if !strings.HasSuffix(sc.BaseURL, "/") {
		sc.BaseURL += "/"
	}
	sc.Absolute = strings.HasPrefix(sc.BaseURL, "https://") || strings.HasPrefix(sc.BaseURL, "http://")
	if u, err := url.Parse(sc.BaseURL); err == nil {
		sc.AtRoot = u.Path == "/" || u.Path == ""
	}
	if sc.Title == "" {
		sc.Title = strings_(sc.Lang)["kb"]
	}
	sc.HTMLLang = "en"
	if sc.Lang == "zh" {
		sc.HTMLLang = "zh-CN"
	}
	if sc.loc == nil {
		sc.loc = time.UTC
	}
	return sc, nil
}

// strings_ returns the words of the pages in a language.
func strings_(lang string) map[string]string {
	if lang == "zh" {
		return map[string]string{
			"kb": "知识库", "home": "首页", "search": "搜索", "searchLabel": "搜索知识库", "searchHint": "输入关键词，↑↓ 选择，回车打开",
			"categories": "分类", "tags": "标签", "recent": "最近更新", "updated": "更新于", "by": "作者", "contents": "目录",
			"related": "相关文章", "edit": "编辑此页", "notFound": "页面不存在", "notFoundText": "没有找到这个页面。试试搜索，或回到首页。",
			"articles": "篇文章", "all": "全部文章", "skip": "跳到正文", "feed": "订阅", "noScript": "搜索需要启用 JavaScript。",
			"category": "分类", "tag": "标签",
		}
	}
	return map[string]string{
		"kb": "Knowledge base", "home": "Home", "search": "Search", "searchLabel": "Search the knowledge base", "searchHint": "Type to search; ↑↓ to choose, Enter to open",
		"categories": "Categories", "tags": "Tags", "recent": "Recently updated", "updated": "Updated", "by": "by", "contents": "Contents",
		"related": "Related articles", "edit": "Edit this page", "notFound": "Page not found", "notFoundText": "There is no page here. Try the search, or go back to the home page.",
		"articles": "articles", "all": "All articles", "skip": "Skip to content", "feed": "Feed", "noScript": "Search needs JavaScript.",
		"category": "Category", "tag": "Tag",
	}
}

// templates holds one parsed template set per page kind.
type templates struct {
	pages map[string]*template.Template
}

// loadTemplates parses the embedded templates, each replaced by a file of
// the same name in site/templates when the repository has one.
func loadTemplates(r *repo.Repo, lang string) (*templates, error) {
	read := func(name string) (string, string, error) {
		p := "site/templates/" + name
		if data, err := r.ReadFile(p, maxFile, "a template"); err == nil {
			return string(data), p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", "", fmt.Errorf("%s: %w", p, err)
		}
		data, err := embeddedTemplates.ReadFile("templates/" + name)
		return string(data), "templates/" + name, err
	}
	funcs := template.FuncMap{
		"date": func(t time.Time) string { return t.Format("2006-01-02") },
		"iso":  func(t time.Time) string { return t.Format(time.RFC3339) },
	}
	layout, lp, err := read("layout.html")
	if err != nil {
		return nil, err
	}
	base, err := template.New("layout").Funcs(funcs).Parse(layout)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lp, err)
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, kind := range pageKinds {
		text, p, err := read(kind + ".html")
		if err != nil {
			return nil, err
		}
		c, err := base.Clone()
		if err == nil {
			_, err = c.New(kind).Parse(text)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		t.pages[kind] = c
	}
	return t, nil
}

// execute renders a page of a kind into b.
func (t *templates) execute(b *bytes.Buffer, kind string, p *page) error {
	if err := t.pages[kind].ExecuteTemplate(b, "layout", p); err != nil {
		return fmt.Errorf("template %s.html: %w", kind, err)
	}
	return nil
}

// page is what a template sees.
type page struct {
	Site      *siteConfig
	T         map[string]string
	Root      string // relative path from the page to the site root: "", "../", "../../"
	Kind      string
	Title     string
	Desc      string
	Lang      string // the page's language when it is not the site's
	Canonical string
	Crumbs    []link
	Article   *articleView
	Items     []item // articles of a list page; recently updated on the home page
	Terms     []term // categories or tags
	Tags      []term // all tags, on the home page
	Generated time.Time
}

type link struct{ Name, URL string }

type item struct {
	Title, URL, Summary string
	Updated             time.Time
}

type term struct {
	Name, URL string
	Count     int
}

type articleView struct {
	Title, Summary string
	Category       *link
	Tags           []link
	Updated        time.Time
	By             string
	TOC            []Heading
	Body           template.HTML
	Related        []item
	EditURL        string
}

// segment makes a category or tag name into a folder name: letters and
// digits of any script, '-' and '_' are kept, lowercased; anything else
// becomes a hyphen.
func segment(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "_"
	}
	return s
}

// articleLang is the lang attribute of an article's page: its language
// key, else what its text is written in — Chinese (zh-CN) when Han
// characters make up at least a fifth of its letters, English when it has
// Latin letters and hardly any Han, else "" (the site's).
func articleLang(a *article) string {
	if l := strings.TrimSpace(a.a.Language); l != "" {
		return l
	}
	var han, latin int
	count := func(s string) {
		for _, r := range s {
			switch {
			case unicode.Is(unicode.Han, r):
				han++
			case r < 0x250 && unicode.IsLetter(r):
				latin++
			}
		}
	}
	count(a.a.Title)
	count(a.a.Summary)
	count(string(a.body))
	switch {
	case han == 0 && latin == 0:
		return ""
	case han*5 >= han+latin:
		return "zh-CN"
	case han*50 < latin:
		return "en"
	}
	return ""
}
