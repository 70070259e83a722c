package main

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/deskhq/desk/examples/bench/knownitem"
	"github.com/deskhq/desk/kb"
)

// An article is what sitecmp needs of a published article.
type article struct {
	Slug, Title, Summary, Lang string
	body                       string
}

// An item is an article to find and the query that should find it.
type item struct {
	Slug  string `json:"slug"`
	Lang  string `json:"lang"`          // "zh" or "en"
	Kind  string `json:"kind"`          // "title" or "words"; with -queries, the set's kind
	Query string `json:"query"`         // what is typed
	Set   string `json:"set,omitempty"` // with -queries, the set's name
}

// loadArticles reads the published articles of root/kb. Files that do not
// parse are skipped and counted.
func loadArticles(root string) ([]article, int, error) {
	paths, err := kb.Paths(root)
	if err != nil {
		return nil, 0, err
	}
	if len(paths) == 0 {
		return nil, 0, fmt.Errorf("%s: no kb/*.md", root)
	}
	var arts []article
	bad := 0
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			return nil, 0, err
		}
		f, err := kb.Parse(p, data)
		if err != nil {
			bad++
			continue
		}
		if !f.Article.Published() {
			continue
		}
		a := article{Slug: f.Slug, Title: strings.TrimSpace(f.Article.Title), Summary: f.Article.Summary, body: string(f.Doc.Body())}
		a.Lang = "en"
		if hasHan(a.Title) || hasHan(a.Summary) {
			a.Lang = "zh"
		}
		arts = append(arts, a)
	}
	return arts, bad, nil
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// pick chooses n articles of each language whose title is not the title of
// another article (case and spaces aside), in the order of a hash of seed
// and slug: the same corpus and seed give the same items.
func pick(arts []article, n int, seed string) []article {
	titles := map[string]int{}
	for _, a := range arts {
		titles[titleKey(a.Title)]++
	}
	hash := func(s string) uint64 {
		h := fnv.New64a()
		h.Write([]byte(seed + "\x00" + s))
		return h.Sum64()
	}
	var out []article
	for _, lang := range []string{"zh", "en"} {
		var c []article
		for _, a := range arts {
			if a.Lang == lang && a.Title != "" && titles[titleKey(a.Title)] == 1 {
				c = append(c, a)
			}
		}
		slices.SortFunc(c, func(x, y article) int {
			return cmp.Or(cmp.Compare(hash(x.Slug), hash(y.Slug)), cmp.Compare(x.Slug, y.Slug))
		})
		out = append(out, c[:min(n, len(c))]...)
	}
	return out
}

func titleKey(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// docFreq tells how many articles (of one language) hold a word: a Latin word (letters,
// digits, _ and internal - or .) as a whole token, case aside; a run of Han
// characters as a substring, approximated by the articles that hold each of
// its bigrams (each character, for one character).
type docFreq struct {
	words map[string]int
	grams map[string][]int32 // sorted article numbers
}

func newDocFreq(arts []article) *docFreq {
	df := &docFreq{words: map[string]int{}, grams: map[string][]int32{}}
	for i, a := range arts {
		text := a.Title + "\n" + a.Summary + "\n" + a.body
		seen := map[string]bool{}
		for _, w := range latinWords(text) {
			if !seen[w] {
				seen[w] = true
				df.words[w]++
			}
		}
		clear(seen)
		for _, run := range hanRuns(text) {
			for _, g := range grams(run) {
				if !seen[g] {
					seen[g] = true
					df.grams[g] = append(df.grams[g], int32(i))
				}
			}
		}
	}
	return df
}

// of returns the number of articles that hold w.
func (df *docFreq) of(w string) int {
	if !hasHan(w) {
		return df.words[strings.ToLower(w)]
	}
	var set []int32
	for k, g := range grams(w) {
		p := df.grams[g]
		if k == 0 {
			set = slices.Clone(p)
			continue
		}
		set = intersect(set, p)
	}
	return len(set)
}

func intersect(a, b []int32) []int32 {
	out := a[:0]
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// grams returns the bigrams of a run of Han characters, or the character
// itself for a run of one.
func grams(run string) []string {
	rs := []rune(run)
	if len(rs) == 1 {
		return []string{run}
	}
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// latinWords splits text into lower-case words of letters and digits (not
// Han), keeping _ and a - or . between two such characters (tidb_ddl_version,
// x86-64, v2.1).
func latinWords(text string) []string {
	var out []string
	rs := []rune(text)
	isW := func(r rune) bool {
		return (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') && !unicode.Is(unicode.Han, r)
	}
	for i := 0; i < len(rs); {
		if !isW(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (isW(rs[j]) || (rs[j] == '-' || rs[j] == '.') && j+1 < len(rs) && isW(rs[j+1]) && j > i) {
			j++
		}
		out = append(out, strings.ToLower(string(rs[i:j])))
		i = j
	}
	return out
}

// hanRuns returns the runs of Han characters of text.
func hanRuns(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		if unicode.Is(unicode.Han, r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			out = append(out, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

// stop holds English words too common or too vague to be a distinctive word.
var stop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be by can do does for from has have how if in into is it
		its not of on or that the their them then there these this to use used using was what when where which
		who will with you your all any one more most other some such only also via than about after before
		between both each many may must new no over same should so until up very way while within without`) {
		stop[w] = true
	}
}

// candidates returns the words of an article's title and summary that may
// make a "words" query: Latin words of three or more characters that are
// neither stop words nor numbers, and Chinese words of two or more Han
// characters (segment splits Chinese text into words; nil: Han runs as
// they are). Each word once, in order of appearance.
func candidates(a article, segment func(string) []string) []string {
	text := a.Title + "\n" + a.Summary
	var words []string
	if segment != nil && hasHan(text) {
		words = segment(text)
	} else {
		words = append(latinWords(text), hanRuns(text)...)
	}
	seen := map[string]bool{}
	var out []string
	for _, w := range words {
		w = strings.TrimSpace(w)
		key := strings.ToLower(w)
		if seen[key] {
			continue
		}
		switch {
		case hasHan(w):
			if !allHan(w) || len([]rune(w)) < 2 {
				continue
			}
		case len([]rune(w)) < 3 || stop[key] || isNumber(w) || len(latinWords(w)) != 1:
			continue
		}
		seen[key] = true
		out = append(out, w)
	}
	return out
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' && r != '-' {
			return false
		}
	}
	return true
}

// distinctive returns the k words of cands that the fewest articles hold
// (ties: the longer word, then the earlier one), in the order of cands.
// Words no article holds (the segmenter's and the index's ideas of a word
// differ) are left out.
func distinctive(cands []string, df *docFreq, k int) []string {
	type c struct {
		w       string
		pos, df int
	}
	var cs []c
	for i, w := range cands {
		if n := df.of(w); n > 0 {
			cs = append(cs, c{w, i, n})
		}
	}
	slices.SortFunc(cs, func(x, y c) int {
		return cmp.Or(cmp.Compare(x.df, y.df), cmp.Compare(len([]rune(y.w)), len([]rune(x.w))), cmp.Compare(x.pos, y.pos))
	})
	cs = cs[:min(k, len(cs))]
	slices.SortFunc(cs, func(x, y c) int { return cmp.Compare(x.pos, y.pos) })
	out := make([]string, len(cs))
	for i, x := range cs {
		out[i] = x.w
	}
	return out
}

// makeItems turns the picked articles into queries: the title, and the three
// most distinctive words (two when only two are found; none when fewer). A
// Chinese article's words hold at least one Chinese word when its title or
// summary has one. df maps a language to the document frequencies among
// the articles of that language.
func makeItems(picked []article, df map[string]*docFreq, segment func(string) []string) []item {
	var out []item
	for _, a := range picked {
		out = append(out, item{Slug: a.Slug, Lang: a.Lang, Kind: "title", Query: a.Title})
	}
	for _, a := range picked {
		if df[a.Lang] == nil {
			continue
		}
		cands := candidates(a, segment)
		ws := distinctive(cands, df[a.Lang], 3)
		if a.Lang == "zh" && len(ws) > 0 && !slices.ContainsFunc(ws, hasHan) {
			var han []string
			for _, w := range cands {
				if hasHan(w) {
					han = append(han, w)
				}
			}
			if h := distinctive(han, df[a.Lang], 1); len(h) == 1 {
				ws = distinctive(append(slices.Clone(ws[:len(ws)-1]), h[0]), df[a.Lang], 3)
				// distinctive keeps the order of its input: put the words
				// back in the order of the text.
				slices.SortFunc(ws, func(x, y string) int {
					return cmp.Compare(slices.Index(cands, x), slices.Index(cands, y))
				})
			}
		}
		if len(ws) >= 2 {
			out = append(out, item{Slug: a.Slug, Lang: a.Lang, Kind: "words", Query: strings.Join(ws, " ")})
		}
	}
	return out
}

// freqByLang returns the document frequencies among the articles of each
// language.
func freqByLang(arts []article) map[string]*docFreq {
	by := map[string][]article{}
	for _, a := range arts {
		by[a.Lang] = append(by[a.Lang], a)
	}
	out := map[string]*docFreq{}
	for lang, as := range by {
		out[lang] = newDocFreq(as)
	}
	return out
}

// setItems turns known-item sets into items. An item's language is its
// article's, or the set name's prefix (zh-a: zh) for an article the
// repository does not publish, which is reported to warn.
func setItems(sets []knownitem.Set, arts []article, warn io.Writer) []item {
	lang := map[string]string{}
	for _, a := range arts {
		lang[a.Slug] = a.Lang
	}
	var out []item
	for _, s := range sets {
		for _, q := range s.Queries {
			l, ok := lang[q.Slug]
			if !ok {
				l, _, _ = strings.Cut(s.Name, "-")
				fmt.Fprintf(warn, "sitecmp: %s: %q wants %s, which is no published article\n", s.Name, q.Query, q.Slug)
			}
			out = append(out, item{Slug: q.Slug, Lang: l, Kind: q.Kind, Query: q.Query, Set: s.Name})
		}
	}
	return out
}
