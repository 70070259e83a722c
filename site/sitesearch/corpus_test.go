package sitesearch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/search/tokenize"
)

// corpusDocs loads the articles of DESK_CORPUS (kb-zh and kb-en) as the site
// build would pass them, the body reduced to text by plainText.
func corpusDocs(t testing.TB) []Doc {
	root := os.Getenv("DESK_CORPUS")
	if root == "" {
		t.Skip("DESK_CORPUS not set")
	}
	var docs []Doc
	for _, sub := range []string{"kb-zh", "kb-en"} {
		paths, err := filepath.Glob(filepath.Join(root, sub, "*.md"))
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(paths)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			f, err := kb.Parse(p, data)
			if err != nil {
				t.Fatal(err)
			}
			a := f.Article
			lang := "en"
			if sub == "kb-zh" {
				lang = "zh"
			}
			docs = append(docs, Doc{
				URL: "kb/" + f.Slug + "/", Title: a.Title, Summary: a.Summary,
				Text: plainText(string(f.Doc.Body())), Category: a.Category, Tags: a.Tags, Lang: lang,
			})
		}
	}
	if len(docs) == 0 {
		t.Skip("no articles under DESK_CORPUS")
	}
	return docs
}

var (
	mdLink  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdTag   = regexp.MustCompile(`<[^>]*>`)
	mdMarks = regexp.MustCompile("(?m)^\\s*(#+|>|[-*+]|\\d+\\.)\\s+|```\\w*|`|\\*\\*|\\|")
)

// plainText is a rough text of a Markdown body, enough for measuring.
func plainText(md string) string {
	md = mdLink.ReplaceAllString(md, "$1")
	md = mdTag.ReplaceAllString(md, " ")
	return mdMarks.ReplaceAllString(md, " ")
}

// knownItem is a query and the document it is meant to find.
type knownItem struct {
	query, url, lang, variant string
}

// knownItems picks per language n articles spread evenly over the corpus
// and gives for each two queries: its title, and the two or three most
// distinctive words of its summary (the rarest in the index).
func knownItems(t testing.TB, docs []Doc, r *reader, n int) []knownItem {
	byLang := map[string][]Doc{}
	for _, d := range docs {
		byLang[d.Lang] = append(byLang[d.Lang], d)
	}
	var items []knownItem
	for _, lang := range []string{"zh", "en"} {
		ds := byLang[lang]
		for k := range n {
			d := ds[k*len(ds)/n]
			items = append(items, knownItem{d.Title, d.URL, lang, "title"})
			if q := distinctive(t, r, d.Summary); q != "" {
				items = append(items, knownItem{q, d.URL, lang, "words"})
			}
		}
	}
	return items
}

// distinctive returns the two or three words of s found in the fewest
// articles, in their order in s. A CJK run is cut into words at common
// function characters (的, 和, 在, ...), a piece longer than four characters
// into pairs.
func distinctive(t testing.TB, r *reader, s string) string {
	type cand struct {
		word    string
		df, pos int
	}
	var cands []cand
	seen := map[string]bool{}
	addWord := func(w string) {
		if seen[w] {
			return
		}
		seen[w] = true
		// The documents that have every term of w.
		var docs map[int]bool
		for _, term := range Tokens(w) {
			if rs := []rune(term); len(rs) == 1 && tokenize.IsCJK(rs[0]) {
				continue // a character of a bigram
			}
			m, err := r.getShard(shardOf(term, r.shards))
			if err != nil {
				t.Fatal(err)
			}
			ps, _ := decodePostings(m[term])
			next := map[int]bool{}
			for _, p := range ps {
				if docs == nil || docs[p.doc] {
					next[p.doc] = true
				}
			}
			docs = next
		}
		if len(docs) > 0 {
			cands = append(cands, cand{w, len(docs), len(cands)})
		}
	}
	const function = "的了和与及在是为对将从等或并中也而以其可"
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !tokenize.IsWordRune(r) && !tokenize.IsCJK(r) && r != '_' && r != '-' }) {
		rs := []rune(f)
		if !tokenize.IsCJK(rs[0]) {
			if len(rs) > 2 && !tokenize.IsStopWord(strings.ToLower(f)) {
				addWord(f)
			}
			continue
		}
		for _, piece := range strings.FieldsFunc(f, func(r rune) bool { return strings.ContainsRune(function, r) }) {
			prs := []rune(piece)
			switch {
			case len(prs) < 2:
			case len(prs) <= 4:
				addWord(piece)
			default:
				for i := 0; i+1 < len(prs); i += 2 {
					addWord(string(prs[i : i+2]))
				}
			}
		}
	}
	if len(cands) < 2 {
		return ""
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return a.df - b.df })
	cands = cands[:min(3, len(cands))]
	slices.SortFunc(cands, func(a, b cand) int { return a.pos - b.pos })
	var words []string
	for _, c := range cands {
		words = append(words, c.word)
	}
	return strings.Join(words, " ")
}

// TestCorpusKnownItems builds the index of the corpus and measures, for
// known-item queries, the share of wanted articles ranked first and in the
// top five and what a first query downloads.
func TestCorpusKnownItems(t *testing.T) {
	docs := corpusDocs(t)
	dir := t.TempDir()
	start := time.Now()
	st, err := Write(dir, docs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("index: %d docs, %d terms, %d shards, %d chunks, %.1f MB, built in %v",
		st.Docs, st.Terms, st.Shards, st.Chunks, float64(st.Bytes)/1e6, time.Since(start).Round(time.Millisecond))
	// One shard is small: a query of a few terms downloads tens of KB.
	var sizes []int
	for i := range st.Shards {
		fi, err := os.Stat(filepath.Join(dir, shardName(i)))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, int(fi.Size()))
	}
	slices.Sort(sizes)
	t.Logf("shards: median %s, 90th percentile %s, largest %s", kbs(sizes[len(sizes)/2]), kbs(sizes[len(sizes)*9/10]), kbs(sizes[len(sizes)-1]))
	if sizes[len(sizes)/2] > 4000 || sizes[len(sizes)-1] > 32000 {
		t.Errorf("shards too big: median %d bytes (want at most 4000), largest %d (want at most 32000)", sizes[len(sizes)/2], sizes[len(sizes)-1])
	}
	n := 100
	if s := os.Getenv("SITESEARCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	items := knownItems(t, docs, openReader(t, dir), n)
	type agg struct {
		n, first, top5 int
		plain, gz      []int
	}
	res := map[string]*agg{}
	for _, it := range items {
		r := openReader(t, dir)
		found, err := r.search(it.query)
		if err != nil {
			t.Fatal(err)
		}
		a := res[it.lang+" "+it.variant]
		if a == nil {
			a = &agg{}
			res[it.lang+" "+it.variant] = a
		}
		a.n++
		rank := -1
		for i, f := range found {
			if f.row[0] == it.url {
				rank = i
				break
			}
		}
		if rank == 0 {
			a.first++
		}
		if rank >= 0 && rank < 5 {
			a.top5++
		}
		if rank != 0 && testing.Verbose() && os.Getenv("SITESEARCH_MISSES") != "" {
			top := ""
			if len(found) > 0 {
				top = found[0].row[1]
			}
			t.Logf("miss %s %s %q: rank %d, first %q", it.lang, it.variant, it.query, rank, top)
		}
		p, g := r.bytesLoaded()
		a.plain = append(a.plain, p)
		a.gz = append(a.gz, g)
	}
	keys := make([]string, 0, len(res))
	for k := range res {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a := res[k]
		t.Logf("%-9s %3d queries: first %5.1f%%, top 5 %5.1f%%; bytes median %s max %s (gzip median %s max %s)",
			k, a.n, pct(a.first, a.n), pct(a.top5, a.n), median(a.plain), kbs(slices.Max(a.plain)), median(a.gz), kbs(slices.Max(a.gz)))
	}
}

func pct(a, n int) float64 { return 100 * float64(a) / float64(n) }

func median(v []int) string {
	s := slices.Clone(v)
	slices.Sort(s)
	return kbs(s[len(s)/2])
}

func medianInt(v []int) int {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func kbs(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1000) }

// TestBrowserCorpusKnownItems runs the known-item queries with search.js in
// the browser, each in a fresh page, and measures what it ranks and what it
// downloads; it also counts the queries whose results differ from the Go
// reader's.
func TestBrowserCorpusKnownItems(t *testing.T) {
	docs := corpusDocs(t)
	startBrowser(t)
	dir := t.TempDir()
	writeSite(t, dir, docs[:0], defaultLayout)
	st, err := Write(filepath.Join(dir, "search"), docs)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	items := knownItems(t, docs, openReader(t, filepath.Join(dir, "search")), 100)
	p := openPage(t, srv.URL+"/index.html")
	ctx := t.Context()

	// The browser's terms are Go's for every 20th article.
	var texts []string
	for i := 0; i < len(docs); i += 20 {
		texts = append(texts, docs[i].Title, docs[i].Summary, docs[i].Text)
	}
	in, _ := json.Marshal(texts)
	var js [][]string
	eval(t, p, `(`+string(in)+`).map(s => deskSearch.tokens(s))`, &js)
	for i, text := range texts {
		if want := Tokens(text); !slices.Equal(want, js[i]) {
			t.Errorf("article text %d: Go and the browser disagree on its terms", i)
		}
	}
	t.Logf("terms of %d texts (%d characters) agree", len(texts), func() (n int) {
		for _, s := range texts {
			n += len([]rune(s))
		}
		return n
	}())
	type agg struct {
		n, first, top5, differ int
		plain, gz, files       []int
	}
	res := map[string]*agg{}
	sizes := map[string][2]int{}
	size := func(rel string) [2]int {
		if s, ok := sizes[rel]; ok {
			return s
		}
		data, err := os.ReadFile(filepath.Join(dir, "search", filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(data)
		w.Close()
		sizes[rel] = [2]int{len(data), buf.Len()}
		return sizes[rel]
	}
	for _, it := range items {
		if err := p.Navigate(ctx, srv.URL+"/index.html"); err != nil {
			t.Fatal(err)
		}
		p.ResetRequests()
		var got []string
		eval(t, p, `deskSearch.query(`+jsString(it.query)+`).then(r => r.results.map(x => x.url))`, &got)
		k := it.lang + " " + it.variant
		a := res[k]
		if a == nil {
			a = &agg{}
			res[k] = a
		}
		a.n++
		rank := slices.Index(got, it.url)
		if rank == 0 {
			a.first++
		}
		if rank >= 0 && rank < 5 {
			a.top5++
		}
		goRes, err := openReader(t, filepath.Join(dir, "search")).search(it.query)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(urls(goRes), got) && len(got)+len(goRes) > 0 {
			a.differ++
			t.Errorf("Go and the browser rank %q differently:\n go %v\n js %v", it.query, urls(goRes), got)
		}
		var plain, gz, files int
		for _, r := range p.Requests() {
			u, _ := url.Parse(r.URL)
			if rel, ok := strings.CutPrefix(u.Path, "/search/"); ok {
				s := size(rel)
				plain += s[0]
				gz += s[1]
				files++
			}
		}
		a.plain = append(a.plain, plain)
		a.gz = append(a.gz, gz)
		a.files = append(a.files, files)
	}
	t.Logf("index: %d docs, %d terms, %d shards, %d chunks, %.1f MB; script %d bytes", st.Docs, st.Terms, st.Shards, st.Chunks, float64(st.Bytes)/1e6, len(Script))
	keys := slices.Sorted(maps.Keys(res))
	for _, k := range keys {
		a := res[k]
		t.Logf("%-9s %3d queries: first %5.1f%%, top 5 %5.1f%%; first query downloads median %s max %s (gzip median %s max %s) in median %s files; %d differ from Go",
			k, a.n, pct(a.first, a.n), pct(a.top5, a.n), median(a.plain), kbs(slices.Max(a.plain)), median(a.gz), kbs(slices.Max(a.gz)), fmt.Sprint(medianInt(a.files)), a.differ)
	}
}

// BenchmarkWriteCorpus measures Write over the corpus (DESK_CORPUS).
func BenchmarkWriteCorpus(b *testing.B) {
	docs := corpusDocs(b)
	dir := b.TempDir()
	b.ResetTimer()
	for range b.N {
		if _, err := Write(dir, docs); err != nil {
			b.Fatal(err)
		}
	}
}
