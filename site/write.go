package site

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/site/highlight"
	"github.com/deskhq/desk/site/sitesearch"
)

// recentCount is how many articles the home page and the feed list.
const recentCount = 20

// writer puts the files of one build into a folder and counts them.
type writer struct {
	dir   string
	mu    sync.Mutex
	files int
	bytes int64
	err   error
}

func (w *writer) put(name string, data []byte) {
	p := filepath.Join(w.dir, filepath.FromSlash(name))
	err := os.MkdirAll(filepath.Dir(p), 0o755)
	if err == nil {
		err = os.WriteFile(p, data, 0o644)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil && w.err == nil {
		w.err = err
	}
	w.files++
	w.bytes += int64(len(data))
}

func (w *writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

// write renders the pages, feeds, assets and search index into dir.
func (s *siteState) write(ctx context.Context, dir string) error {
	w := &writer{dir: dir}
	cats, tags := s.terms()
	pages := 0

	// One page per article.
	repo.Parallel(len(s.articles), func(i int) {
		if ctx.Err() != nil {
			return
		}
		a := s.articles[i]
		var b bytes.Buffer
		b.Grow(len(a.r.HTML) + 8<<10)
		if err := s.tmpl.execute(&b, "article", s.articlePage(a)); err != nil {
			w.fail(err)
			return
		}
		w.put(a.url()+"index.html", b.Bytes())
		a.r.HTML = nil // written: free it for the search index that follows
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	pages += len(s.articles)

	render := func(name, kind string, p *page) {
		var b bytes.Buffer
		if err := s.tmpl.execute(&b, kind, p); err != nil {
			w.fail(err)
			return
		}
		w.put(name, b.Bytes())
		pages++
	}
	t := strings_(s.cfg.Lang)

	// The home page: search, categories, recently updated, tags.
	home := s.newPage("", "home", s.cfg.Title)
	home.Desc = s.cfg.Title
	home.Terms = termsAt(cats, "", "categories")
	home.Tags = termsAt(tags, "", "tags")
	for _, a := range s.articles[:min(recentCount, len(s.articles))] {
		home.Items = append(home.Items, itemOf(a, ""))
	}
	render("index.html", "home", home)

	// Categories and tags: an index of each and a page per name.
	for _, g := range []struct {
		folder, title, one string
		list               []*termGroup
	}{{"categories", t["categories"], t["category"], cats}, {"tags", t["tags"], t["tag"], tags}} {
		idx := s.newPage("../", "terms", g.title)
		idx.Crumbs = []link{{t["home"], "../"}}
		idx.Terms = termsAt(g.list, "../", g.folder)
		render(g.folder+"/index.html", "terms", idx)
		for _, tg := range g.list {
			p := s.newPage("../../", "list", tg.name)
			p.Desc = g.one + ": " + tg.name
			p.Crumbs = []link{{t["home"], "../../"}, {g.title, "../"}}
			for _, a := range tg.articles {
				p.Items = append(p.Items, itemOf(a, "../../"))
			}
			render(g.folder+"/"+tg.seg+"/index.html", "list", p)
		}
	}

	// The search page and the 404 page. The 404 page is served from any
	// path, so its links start at the base URL.
	sp := s.newPage("../", "search", t["search"])
	sp.Desc = t["search"] + " · " + s.cfg.Title
	sp.Crumbs = []link{{t["home"], "../"}}
	render("search/index.html", "search", sp)
	nf := s.newPage(s.cfg.BaseURL, "404", t["notFound"])
	render("404.html", "404", nf)

	// Feeds and crawlers. A sitemap's locations, a feed's and its entries'
	// IDs must be absolute (sitemaps.org, RFC 4287): with a base URL that is
	// a path they are left out, and said so. Crawlers read robots.txt only
	// at the root of a host.
	if s.cfg.Absolute {
		w.put("sitemap.xml", s.sitemap(cats, tags))
		w.put("atom.xml", s.atom())
	} else {
		s.warn(fmt.Sprintf("base URL %s is a path: sitemap.xml and atom.xml need the site's absolute URL (site.base_url = \"https://kb.example.com%s\" or --base-url) and were left out", s.cfg.BaseURL, s.cfg.BaseURL))
	}
	if s.cfg.AtRoot {
		w.put("robots.txt", s.robots())
	} else if s.cfg.Absolute {
		s.warn(fmt.Sprintf("the site is below the root of its host: crawlers read robots.txt only at the root, so none was written; add \"Sitemap: %ssitemap.xml\" to the root's robots.txt", s.cfg.BaseURL))
	}

	// Assets: the embedded ones, the highlighter's colours, the search
	// script, then the repository's own site/assets over them.
	if err := s.assets(w); err != nil {
		return err
	}
	// Files the articles link to.
	copied := map[string]bool{}
	for _, a := range s.articles {
		for _, f := range a.files {
			if copied[f] {
				continue
			}
			copied[f] = true
			data, err := s.r.ReadFile(f, maxFile, "a file the site copies")
			if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			w.put("files/"+f, data)
		}
	}

	// The search index of the published articles.
	docs := make([]sitesearch.Doc, len(s.articles))
	for i, a := range s.articles {
		docs[i] = sitesearch.Doc{URL: a.url(), Title: a.a.Title, Summary: a.a.Summary, Text: a.r.Text,
			Category: a.a.Category, Tags: a.a.Tags, Lang: s.cfg.Lang}
	}
	st, err := sitesearch.Write(filepath.Join(dir, "search"), docs)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	w.put(marker, []byte("built by desk site build; desk replaces this folder on the next build\n"))
	if w.err != nil {
		return w.err
	}
	s.stats.Articles = len(s.articles)
	s.stats.Pages = pages
	s.stats.Files = w.files + st.Shards + st.Chunks + 1
	s.stats.Bytes = w.bytes + st.Bytes
	s.stats.Search = st
	return nil
}

// newPage starts the data of a page whose way back to the root is root.
func (s *siteState) newPage(root, kind, title string) *page {
	return &page{Site: &s.cfg, T: strings_(s.cfg.Lang), Root: root, Kind: kind, Title: title}
}

func (s *siteState) articlePage(a *article) *page {
	t := strings_(s.cfg.Lang)
	p := s.newPage("../../", "article", a.a.Title)
	p.Desc = a.a.Summary
	if lang := articleLang(a); lang != s.cfg.HTMLLang {
		p.Lang = lang
	}
	if s.cfg.Absolute {
		p.Canonical = s.cfg.BaseURL + a.url()
	}
	p.Crumbs = []link{{t["home"], "../../"}}
	v := &articleView{Title: a.a.Title, Summary: a.a.Summary, Updated: a.updated.In(s.cfg.loc), By: a.by,
		Body: template.HTML(a.r.HTML)}
	if c := a.a.Category; c != "" {
		v.Category = &link{c, "../../categories/" + segment(c) + "/"}
		p.Crumbs = append(p.Crumbs, *v.Category)
	}
	for _, tag := range a.a.Tags {
		v.Tags = append(v.Tags, link{tag, "../../tags/" + segment(tag) + "/"})
	}
	// A table of contents helps once an article has a few sections.
	if len(a.r.Headings) >= 3 {
		v.TOC = a.r.Headings
	}
	for _, r := range a.related {
		v.Related = append(v.Related, itemOf(r, "../../"))
	}
	if e := s.cfg.EditURL; e != "" {
		if strings.Contains(e, "{path}") {
			v.EditURL = strings.ReplaceAll(e, "{path}", s.r.GitPath(a.path))
		} else {
			v.EditURL = e + s.r.GitPath(a.path)
		}
	}
	p.Article = v
	return p
}

func itemOf(a *article, root string) item {
	return item{Title: a.a.Title, URL: root + a.url(), Summary: a.a.Summary, Updated: a.updated}
}

// termGroup is a category or a tag with its articles.
type termGroup struct {
	name, seg string
	articles  []*article
	updated   time.Time
}

// terms groups the articles by category and by tag, each sorted by name,
// their articles by title.
func (s *siteState) terms() (cats, tags []*termGroup) {
	group := func(names func(a *article) []string) []*termGroup {
		bySeg := map[string]*termGroup{}
		for _, a := range s.articles {
			for _, n := range names(a) {
				if strings.TrimSpace(n) == "" {
					continue
				}
				seg := segment(n)
				g := bySeg[seg]
				if g == nil {
					g = &termGroup{name: n, seg: seg}
					bySeg[seg] = g
				}
				g.articles = append(g.articles, a)
				if a.updated.After(g.updated) {
					g.updated = a.updated
				}
			}
		}
		out := make([]*termGroup, 0, len(bySeg))
		for _, g := range bySeg {
			slices.SortFunc(g.articles, func(x, y *article) int {
				if c := strings.Compare(strings.ToLower(x.a.Title), strings.ToLower(y.a.Title)); c != 0 {
					return c
				}
				return strings.Compare(x.slug, y.slug)
			})
			out = append(out, g)
		}
		slices.SortFunc(out, func(x, y *termGroup) int { return strings.Compare(x.seg, y.seg) })
		return out
	}
	cats = group(func(a *article) []string { return []string{a.a.Category} })
	tags = group(func(a *article) []string { return a.a.Tags })
	return cats, tags
}

func termsAt(groups []*termGroup, root, folder string) []term {
	out := make([]term, len(groups))
	for i, g := range groups {
		out[i] = term{Name: g.name, URL: root + folder + "/" + g.seg + "/", Count: len(g.articles)}
	}
	return out
}

// assets writes the stylesheet (with the highlighter's colours), the search
// script, and the repository's site/assets files over the embedded ones.
func (s *siteState) assets(w *writer) error {
	err := fs.WalkDir(embeddedAssets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := embeddedAssets.ReadFile(p)
		if err != nil {
			return err
		}
		if p == "assets/style.css" {
			data = append(data, highlight.CSS...)
		}
		w.put(p, data)
		return nil
	})
	if err != nil {
		return err
	}
	w.put("assets/search.js", sitesearch.Script)
	const own = "site/assets"
	if fi, err := s.r.Stat(own); errors.Is(err, fs.ErrNotExist) || err == nil && !fi.IsDir() {
		return nil
	} else if err != nil {
		return fmt.Errorf("%s: %w", own, err)
	}
	// WalkDir does not follow symlinks; ReadFile refuses them, on the way
	// too, should a folder be replaced by one while we walk.
	return filepath.WalkDir(s.r.Abs(own), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(s.r.Root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		data, err := s.r.ReadFile(rel, maxFile, "a site asset")
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		w.put("assets/"+strings.TrimPrefix(rel, own+"/"), data)
		return nil
	})
}

// maxFile is the largest asset or linked file the site copies.
const maxFile = 1 << 30

// sitemap lists every page with its last change.
func (s *siteState) sitemap(cats, tags []*termGroup) []byte {
	type u struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	type urlset struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []u      `xml:"url"`
	}
	base := s.cfg.BaseURL
	set := urlset{}
	last := ""
	if len(s.articles) > 0 {
		last = s.articles[0].updated.UTC().Format("2006-01-02")
	}
	set.URLs = append(set.URLs, u{Loc: base, LastMod: last})
	for _, a := range s.articles {
		set.URLs = append(set.URLs, u{Loc: base + a.url(), LastMod: a.updated.UTC().Format("2006-01-02")})
	}
	for _, g := range []struct {
		folder string
		list   []*termGroup
	}{{"categories", cats}, {"tags", tags}} {
		for _, t := range g.list {
			set.URLs = append(set.URLs, u{Loc: base + g.folder + "/" + t.seg + "/", LastMod: t.updated.UTC().Format("2006-01-02")})
		}
	}
	out, _ := xml.MarshalIndent(set, "", " ")
	return append([]byte(xml.Header), append(out, '\n')...)
}

// atom is the feed of the most recently updated articles.
func (s *siteState) atom() []byte {
	type alink struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
	}
	type entry struct {
		Title   string `xml:"title"`
		Link    alink  `xml:"link"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Author  *struct {
			Name string `xml:"name"`
		} `xml:"author,omitempty"`
		Summary string `xml:"summary,omitempty"`
	}
	type feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Lang    string   `xml:"xml:lang,attr"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Links   []alink  `xml:"link"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []entry `xml:"entry"`
	}
	base := s.cfg.BaseURL
	f := feed{Lang: s.cfg.HTMLLang, Title: s.cfg.Title, ID: base, Links: []alink{{Href: base}, {Href: base + "atom.xml", Rel: "self"}}}
	f.Author.Name = s.cfg.Title
	f.Updated = time.Unix(0, 0).UTC().Format(time.RFC3339)
	if len(s.articles) > 0 {
		f.Updated = s.articles[0].updated.UTC().Format(time.RFC3339)
	}
	for _, a := range s.articles[:min(recentCount, len(s.articles))] {
		e := entry{Title: a.a.Title, Link: alink{Href: base + a.url()}, ID: base + a.url(),
			Updated: a.updated.UTC().Format(time.RFC3339), Summary: a.a.Summary}
		if a.by != "" {
			e.Author = &struct {
				Name string `xml:"name"`
			}{a.by}
		}
		f.Entries = append(f.Entries, e)
	}
	out, _ := xml.MarshalIndent(f, "", " ")
	return append([]byte(xml.Header), append(out, '\n')...)
}

func (s *siteState) robots() []byte {
	text := "User-agent: *\nAllow: /\n"
	if strings.HasPrefix(s.cfg.BaseURL, "http://") || strings.HasPrefix(s.cfg.BaseURL, "https://") {
		text += "Sitemap: " + s.cfg.BaseURL + "sitemap.xml\n"
	}
	return []byte(text)
}
