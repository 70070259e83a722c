package sitesearch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/deskhq/desk/search/tokenize"
)

// This file reads an index as the browser does, with the same query
// analysis and ranking as search.js, so tests can check in Go what a query
// finds and what it downloads.

// Ranking parameters; search.js has the same values.
var (
	titleBoost   = 2.0
	prefixWeight = 0.5
	maxPrefix    = 8
	shown        = 10
	titleValue   = []float64{0, 1, 1.25, 1.5}
)

// reader is an index on disk and what has been loaded from it.
type reader struct {
	dir    string
	docs   int
	shards int
	chunk  int
	loaded map[string][]byte // file name relative to dir → content
	shard  map[int]map[string]string
	chunks map[int][][3]string
}

func openReader(t testing.TB, dir string) *reader {
	r := &reader{dir: dir, loaded: map[string][]byte{}, shard: map[int]map[string]string{}, chunks: map[int][][3]string{}}
	var m struct{ Docs, Shards, Chunk int }
	if err := r.load(manifestFile, "deskSearch.meta(", &m); err != nil {
		t.Fatal(err)
	}
	r.docs, r.shards, r.chunk = m.Docs, m.Shards, m.Chunk
	return r
}

// load reads the script name, checks that it calls fn and decodes its last
// argument into v.
func (r *reader) load(name, prefix string, v any) error {
	data, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil {
		return err
	}
	r.loaded[name] = data
	s := strings.TrimSuffix(string(data), ")\n")
	if !strings.HasPrefix(s, prefix) || len(s) == len(data) {
		return fmt.Errorf("%s: not a call of %s...)", name, prefix)
	}
	s = s[len(prefix):]
	if i := strings.IndexByte(s, ','); i >= 0 && s[0] != '{' && s[0] != '[' && s[0] != '"' {
		s = s[i+1:] // the shard or chunk number
	}
	return json.Unmarshal([]byte(s), v)
}

func (r *reader) getShard(i int) (map[string]string, error) {
	if m, ok := r.shard[i]; ok {
		return m, nil
	}
	var s string
	if err := r.load(filepath.Join(shardDir, strconv.FormatInt(int64(i), 16)+".js"), "deskSearch.shard(", &s); err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, e := range strings.Fields(s) {
		term, post, ok := strings.Cut(e, "!")
		if !ok {
			return nil, fmt.Errorf("shard %d: bad entry %q", i, e)
		}
		m[term] = post
	}
	r.shard[i] = m
	return m, nil
}

func (r *reader) getDoc(d int) ([3]string, error) {
	c := d / r.chunk
	rows, ok := r.chunks[c]
	if !ok {
		if err := r.load(filepath.Join(chunkDir, strconv.FormatInt(int64(c), 16)+".js"), "deskSearch.docs(", &rows); err != nil {
			return [3]string{}, err
		}
		r.chunks[c] = rows
	}
	if d%r.chunk >= len(rows) {
		return [3]string{}, fmt.Errorf("doc %d not in chunk %d", d, c)
	}
	return rows[d%r.chunk], nil
}

// bytesLoaded returns the size of every file loaded so far, plain and
// gzip-compressed.
func (r *reader) bytesLoaded() (plain, gz int) {
	for _, data := range r.loaded {
		plain += len(data)
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(data)
		w.Close()
		gz += buf.Len()
	}
	return plain, gz
}

// qgroup is one term of a query: a document matches it through the term,
// one of the terms that start with prefix (while the last word is typed),
// or, when the term is a code that is not in the index, all of its parts.
type qgroup struct {
	term   string
	prefix string
	parts  []string
	also   string // a version's number (7.5.5 for v7.5.5), which the index has too
}

// queryGroups analyses a query as search.js does: a CJK run gives its
// bigrams (its character when it has one), a word its term, a code its
// whole and its parts, a version also its number; stop words count only
// when there is nothing else; the last word, when the query ends with it,
// is also a prefix.
func queryGroups(q string) []qgroup {
	rs := tokenize.FoldString(q)
	var groups, stops []qgroup
	seen := map[string]bool{}
	add := func(g qgroup, stop bool) {
		if seen[g.term] {
			return
		}
		seen[g.term] = true
		if stop {
			stops = append(stops, g)
		} else {
			groups = append(groups, g)
		}
	}
	tokenize.Scan(rs, func(start, end int) {
		if end-start == 1 {
			add(qgroup{term: string(rs[start:end])}, false)
		}
		for k := start; k+1 < end; k++ {
			add(qgroup{term: string(rs[k : k+2])}, false)
		}
	}, func(parts []tokenize.Part) {
		start, end := parts[0].Start, parts[len(parts)-1].End
		var g qgroup
		var raw []rune
		stop := false
		if len(parts) == 1 {
			raw = tokenize.DropPossessive(rs[start:end])
			if g.term = tokenize.WordTerm(rs[start:end], true); g.term == "" {
				return
			}
			stop = tokenize.IsStopWord(g.term)
		} else {
			raw = rs[start:end]
			g.term = string(raw)
			for _, p := range parts {
				if t := tokenize.WordTerm(rs[p.Start:p.End], false); t != "" {
					g.parts = append(g.parts, t)
				}
			}
			// As tokenize indexes it.
			if tokenize.IsVersion(raw) && !tokenize.HasSep(raw) {
				g.also = string(raw[1:])
			}
		}
		if end == len(rs) && len(raw) >= keyLen(string(raw)) {
			g.prefix = string(raw)
		}
		add(g, stop)
	})
	if len(groups) == 0 {
		return stops
	}
	return groups
}

// result is a document found, with its score.
type result struct {
	doc   int
	score float64
	exact bool // the title is the query
	row   [3]string
}

// alt is a term a query group matches through, with its weight.
type alt struct {
	term   string
	weight float64
}

// resolve returns the terms of each group found in the index: the group's
// term, a version's number, and, while it is typed, the most frequent terms
// that extend it. A code that is not in the index is replaced by its parts.
func (r *reader) resolve(groups []qgroup) ([][]alt, error) {
	var out [][]alt
	seen := map[string]bool{}
	for _, g := range groups {
		seen[g.term] = true
	}
	for _, g := range groups {
		m, err := r.getShard(shardOf(g.term, r.shards))
		if err != nil {
			return nil, err
		}
		var alts []alt
		if m[g.term] != "" {
			alts = append(alts, alt{g.term, 1})
		}
		if g.also != "" {
			am, err := r.getShard(shardOf(g.also, r.shards))
			if err != nil {
				return nil, err
			}
			if am[g.also] != "" {
				alts = append(alts, alt{g.also, 1})
			}
		}
		if g.prefix != "" {
			pm, err := r.getShard(shardOf(g.prefix, r.shards))
			if err != nil {
				return nil, err
			}
			var ext []string
			for t := range pm {
				if t != g.term && strings.HasPrefix(t, g.prefix) {
					ext = append(ext, t)
				}
			}
			// The most frequent extensions, by the length of their postings.
			slices.SortFunc(ext, func(a, b string) int {
				if len(pm[a]) != len(pm[b]) {
					return len(pm[b]) - len(pm[a])
				}
				return strings.Compare(a, b)
			})
			for _, t := range ext[:min(len(ext), maxPrefix)] {
				alts = append(alts, alt{t, prefixWeight})
			}
		}
		if len(alts) == 0 && len(g.parts) > 0 {
			var parts []qgroup
			for _, t := range g.parts {
				if !seen[t] {
					seen[t] = true
					parts = append(parts, qgroup{term: t})
				}
			}
			sub, err := r.resolve(parts)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
			continue
		}
		out = append(out, alts)
	}
	return out, nil
}

// search runs a query as search.js does and returns the results shown and
// the number of documents found.
func (r *reader) search(q string) ([]result, error) {
	groups := queryGroups(q)
	if len(groups) == 0 {
		return nil, nil
	}
	resolved, err := r.resolve(groups)
	if err != nil {
		return nil, err
	}
	// A document's title is the query when the query has one or two words
	// and the title level of each says the title has as many words
	// (longer titles are compared with the query below).
	want := 0
	if len(resolved) <= 2 {
		want = titleLevels - len(resolved)
	}
	scores := map[int]float64{}
	matched := map[int]int{}
	exact := map[int]int{}
	for _, alts := range resolved {
		best := map[int]float64{}
		for k, a := range alts {
			m, err := r.getShard(shardOf(a.term, r.shards))
			if err != nil {
				return nil, err
			}
			ps, err := decodePostings(m[a.term])
			if err != nil {
				return nil, fmt.Errorf("term %q: %w", a.term, err)
			}
			idf := math.Log(1 + (float64(r.docs)-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
			for _, p := range ps {
				if v := a.weight * idf * weight(p.code); v > best[p.doc] {
					best[p.doc] = v
				}
				if k == 0 && a.weight == 1 && want > 0 && p.code/levels == want {
					exact[p.doc]++
				}
			}
		}
		for d, v := range best {
			scores[d] += v
			matched[d]++
		}
	}
	res := make([]result, 0, len(scores))
	for d, s := range scores {
		f := float64(matched[d]) / float64(len(resolved))
		res = append(res, result{doc: d, score: s * f * f, exact: exact[d] == len(resolved)})
	}
	slices.SortFunc(res, func(a, b result) int {
		switch {
		case a.exact != b.exact:
			if a.exact {
				return -1
			}
			return 1
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.doc - b.doc
	})
	res = res[:min(len(res), shown)]
	nq := normTitle(q)
	for i := range res {
		row, err := r.getDoc(res[i].doc)
		if err != nil {
			return nil, err
		}
		res[i].row = row
	}
	// A title equal to the query comes first (as typed, then folded), then
	// one the index tells is made of the query's terms.
	rank := func(r result) int {
		switch {
		case strings.Join(strings.Fields(r.row[1]), " ") == strings.Join(strings.Fields(q), " "):
			return 0
		case normTitle(r.row[1]) == nq:
			return 1
		case r.exact:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(res, func(a, b result) int { return rank(a) - rank(b) })
	return res, nil
}

// weight is the value of a posting code: the body weight of its level plus
// the title boost.
func weight(code int) float64 {
	w := (float64(code%levels) + 0.5) / levels * (k1 + 1)
	if t := code / levels; t > 0 {
		w += titleBoost * titleValue[t]
	}
	return w
}

// normTitle is a title reduced to its folded letters, digits and CJK
// characters, to compare a title with a query.
func normTitle(s string) string {
	var sb strings.Builder
	for _, r := range tokenize.FoldString(s) {
		if tokenize.IsWordRune(r) || tokenize.IsCJK(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

type posting struct{ doc, code int }

func decodePostings(s string) ([]posting, error) {
	var out []posting
	d := -1
	for i := 0; i < len(s); {
		v, next, ok := readNum(s, i)
		if !ok {
			return nil, fmt.Errorf("bad postings at %d", i)
		}
		i = next
		d += v/(levels+1) + 1
		code := v % (levels + 1)
		if code == levels {
			if v, i, ok = readNum(s, i); !ok || v >= levels*(titleLevels-1) {
				return nil, fmt.Errorf("bad title posting at %d", i)
			}
			code = v + levels
		}
		out = append(out, posting{d, code})
	}
	return out, nil
}

// unsym is the inverse of sym; -1 for a character that is no digit.
func unsym(c byte) int {
	switch {
	case c < '#' || c > '~' || c == '\\':
		return -1
	case c > '\\':
		return int(c) - '#' - 1
	}
	return int(c) - '#'
}

// readNum decodes the number at s[i:] and returns it and the index after
// it; ok is false when s ends in the middle of a number or holds a
// character that is no digit.
func readNum(s string, i int) (v, next int, ok bool) {
	mul := 1
	for i < len(s) {
		d := unsym(s[i])
		i++
		switch {
		case d < 0:
			return 0, i, false
		case d < base:
			return v + d*mul, i, true
		}
		v += (d - base) * mul
		mul *= base
		if mul > 1<<40 {
			return 0, i, false
		}
	}
	return 0, i, false
}
