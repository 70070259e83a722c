package search

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// TestTuning scores the ranking on queries made by rule from the article
// corpus under $DESK_CORPUS: the tuning set, which the ranking may be
// adjusted on. (The held-out sets under examples/bench/searchq are written
// by hand and only ever measured.) It runs when DESK_TUNE is set; the
// index is kept in $DESK_TUNE (a folder) between runs while MappingVersion
// is unchanged.
//
// Kinds of query, for 150 articles of each language picked by a hash:
//   - summary: the article's summary (tldr's one-line description of a
//     command; the first sentence of a TiDB page), without its final stop;
//   - step: a line of the body that no other article has — a tldr step
//     ("List the home directory contents of another user") or a TiDB
//     heading ("使用 TiUP 部署");
//   - title: the title, for titles no other article has.
func TestTuning(t *testing.T) {
	corpus, dir := os.Getenv("DESK_CORPUS"), os.Getenv("DESK_TUNE")
	if corpus == "" || dir == "" {
		t.Skip("set DESK_CORPUS and DESK_TUNE=folder")
	}
	if p := os.Getenv("DESK_TUNE_P"); p != "" {
		fmt.Sscan(p, &titleBoost, &proximityWeight, &coverExp, &fuzzyBoost, &headBoost, &titleAskedBonus)
	}
	arts := tuneArticles(t, corpus)
	idx := tuneIndex(t, dir, arts)
	defer idx.Close()
	text := artsText(arts)
	items := tuneItems(arts)
	type score struct {
		n, r1, r5 int
		rr        float64
	}
	scores := map[string]*score{}
	var keys []string
	for _, it := range items {
		k := it.lang + " " + it.kind
		s := scores[k]
		if s == nil {
			s = &score{}
			scores[k] = s
			keys = append(keys, k)
		}
		q, err := ParseQuery(it.query, time.UTC)
		if err != nil {
			t.Logf("%s %q: %v", k, it.query, err)
			s.n++
			continue
		}
		res, err := searchIn(t.Context(), idx, text, q, SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		hits := res.Hits
		s.n++
		for i, h := range hits {
			if h.ID == it.id {
				if i == 0 {
					s.r1++
				}
				if i < 5 {
					s.r5++
				}
				s.rr += 1 / float64(i+1)
				break
			}
		}
		if os.Getenv("DESK_TUNE_V") != "" && (len(hits) == 0 || hits[0].ID != it.id) {
			first := ""
			if len(hits) > 0 {
				first = hits[0].ID
			}
			t.Logf("miss %s %q: want %s, first %s", k, it.query, it.id, first)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		s := scores[k]
		t.Logf("%-12s n=%3d  R@1 %5.1f%%  R@5 %5.1f%%  MRR@10 %.3f", k, s.n,
			100*float64(s.r1)/float64(s.n), 100*float64(s.r5)/float64(s.n), s.rr/float64(s.n))
	}
}

type tuneArticle struct {
	id, lang string
	doc      *Document
	summary  string
	lines    []string
}

func tuneArticles(t *testing.T, corpus string) []tuneArticle {
	var arts []tuneArticle
	for _, sub := range []string{"kb-zh", "kb-en"} {
		files, err := filepath.Glob(filepath.Join(corpus, sub, "*.md"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no articles in %s: %v", filepath.Join(corpus, sub), err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d := articleDoc("kb/"+filepath.Base(f), data)
			if d == nil {
				continue
			}
			summary, _, _ := strings.Cut(d.Body, "\n\n")
			d.ID = sub + "/" + d.ID
			arts = append(arts, tuneArticle{id: d.ID, lang: sub[3:], doc: d, summary: summary, lines: tuneLines(d.Body)})
		}
	}
	return arts
}

var (
	stepLine    = regexp.MustCompile(`(?m)^- (.{12,90}):$`)
	headingLine = regexp.MustCompile(`(?m)^#{2,3} (.{4,60})$`)
)

// tuneLines returns the tldr steps and the headings of a body.
func tuneLines(body string) []string {
	var out []string
	for _, m := range stepLine.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	for _, m := range headingLine.FindAllStringSubmatch(body, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

type tuneItem struct{ lang, kind, query, id string }

func tuneItems(arts []tuneArticle) []tuneItem {
	count := map[string]int{}
	for _, a := range arts {
		seen := map[string]bool{}
		for _, s := range append([]string{a.doc.Title}, a.lines...) {
			k := strings.ToLower(strings.Join(strings.Fields(s), " "))
			if !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	unique := func(s string) bool { return count[strings.ToLower(strings.Join(strings.Fields(s), " "))] == 1 }
	hash := func(s string) uint64 {
		h := fnv.New64a()
		h.Write([]byte("tune\x00" + s))
		return h.Sum64()
	}
	// Document frequencies of lower-case Latin words and of Han bigrams,
	// for the keywords kind.
	df := map[string]int{}
	keys := func(text string) []string {
		var out []string
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || unicode.Is(unicode.Han, r))
		}) {
			rs := []rune(w)
			if unicode.Is(unicode.Han, rs[0]) {
				for i := 0; i+1 < len(rs); i++ {
					if g := string(rs[i : i+2]); !seen[g] && unicode.Is(unicode.Han, rs[i+1]) {
						seen[g] = true
						out = append(out, g)
					}
				}
				continue
			}
			if len(w) >= 4 && !seen[w] && !unicode.Is(unicode.Han, rs[len(rs)-1]) {
				seen[w] = true
				out = append(out, w)
			}
		}
		return out
	}
	for _, a := range arts {
		for _, k := range keys(a.doc.Title + "\n" + a.doc.Body) {
			df[k]++
		}
	}
	sorted := slices.Clone(arts)
	slices.SortFunc(sorted, func(x, y tuneArticle) int { return cmp.Compare(hash(x.id), hash(y.id)) })
	var items []tuneItem
	for _, lang := range []string{"zh", "en"} {
		n := 0
		for _, a := range sorted {
			if a.lang != lang || n == 150 {
				continue
			}
			n++
			if s := strings.TrimRight(strings.TrimSpace(a.summary), ".。"); s != "" && !strings.Contains(s, "\n") && len(s) < 200 {
				items = append(items, tuneItem{lang, "summary", s, a.id})
			}
			for i, l := range a.lines {
				if unique(l) && l != a.doc.Title {
					items = append(items, tuneItem{lang, "step", a.lines[(i+int(hash(a.id)%7))%len(a.lines)], a.id})
					break
				}
			}
			if unique(a.doc.Title) {
				items = append(items, tuneItem{lang, "title", a.doc.Title, a.id})
			}
			if ks := keys(a.doc.Title + " " + a.summary); len(ks) >= 2 {
				slices.SortStableFunc(ks, func(x, y string) int { return cmp.Compare(df[x], df[y]) })
				items = append(items, tuneItem{lang, "keywords", ks[0] + " " + ks[1], a.id})
			}
		}
	}
	return items
}

// artsText gives the documents of the articles by their IDs.
func artsText(arts []tuneArticle) texts {
	m := make(map[string]*Document, len(arts))
	for _, a := range arts {
		m[a.id] = a.doc
	}
	return func(id string) *Document { return m[id] }
}

// tuneIndex opens the index in dir, building it if it is missing or was
// built with another mapping.
func tuneIndex(t *testing.T, dir string, arts []tuneArticle) bleve.Index {
	path := filepath.Join(dir, fmt.Sprintf("v%d", MappingVersion))
	if idx, err := bleve.OpenUsing(path, runtimeConfig()); err == nil {
		return idx
	}
	os.RemoveAll(path)
	return corpusIndex(t, path, arts)
}

// corpusIndex builds an index of arts at path (scorch on disk: several
// times faster to build than in memory for 8,000 articles).
func corpusIndex(t *testing.T, path string, arts []tuneArticle) bleve.Index {
	start := time.Now()
	idx, err := bleve.NewUsing(path, NewMapping(), scorch.Name, scorch.Name, runtimeConfig())
	if err != nil {
		t.Fatal(err)
	}
	b := idx.NewBatch()
	for _, a := range arts {
		if err := b.Index(a.id, a.doc); err != nil {
			t.Fatal(err)
		}
		if b.Size() >= 500 {
			if err := idx.Batch(b); err != nil {
				t.Fatal(err)
			}
			b.Reset()
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	t.Logf("indexed %d articles in %v", len(arts), time.Since(start).Round(time.Millisecond))
	return idx
}
