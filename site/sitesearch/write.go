package sitesearch

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/deskhq/desk/search/tokenize"
)

// Doc is a published article as the index sees it.
type Doc struct {
	URL      string // relative to the site root, e.g. "kb/vpn/" (a leading "/" is dropped)
	Title    string
	Summary  string
	Text     string // plain text of the body
	Category string
	Lang     string
	Tags     []string
}

// Stats tells what Write wrote.
type Stats struct {
	Docs   int   `json:"docs"`   // documents indexed
	Terms  int   `json:"terms"`  // distinct terms
	Shards int   `json:"shards"` // files of the term dictionary
	Chunks int   `json:"chunks"` // files of document titles and snippets
	Bytes  int64 `json:"bytes"`  // total size of the files written
}

// layout sets how the index is split.
type layout struct {
	// shardTarget is the mean size in bytes of a shard that picks the
	// number of shards, a power of two.
	shardTarget int
	// chunkSize is the number of documents per metadata chunk.
	chunkSize int
}

// defaultLayout gives shards of 1.5 KB on average for the 8,201 articles of
// the corpus (2,048 shards): a first query downloads tens of kilobytes, and
// the build writes a few thousand files.
var defaultLayout = layout{shardTarget: 2048, chunkSize: 4}

const (
	maxShards = 1 << 14
	// snippetLen is the length in characters of a result's text.
	snippetLen = 160
	// BM25 parameters of the body weight.
	k1 = 1.2
	b  = 0.75
	// summaryWeight counts a summary's terms this many times in the body.
	summaryWeight = 4
)

// Script file names under dir.
const (
	manifestFile = "manifest.js"
	shardDir     = "t"
	chunkDir     = "d"
)

// docTerms is what one document contributes to the index.
type docTerms struct {
	terms  []string
	body   []int32 // term frequency in the body (summary counted summaryWeight times)
	title  []uint8 // title level: 0 not in title or tags, 1 in the tags or a title of 3 or more words, 2 in a title of 2 words, 3 the title
	length int     // number of body terms
}

// Write writes the search index of docs under dir (the site's search/
// folder): manifest.js, shards under t/ and document chunks under d/. It
// removes t/ and d/ first. The same docs give the same bytes.
func Write(dir string, docs []Doc) (Stats, error) { return write(dir, docs, defaultLayout) }

func write(dir string, docs []Doc, lay layout) (Stats, error) {
	chunkSize := lay.chunkSize
	docs = sortDocs(docs)
	per := make([]docTerms, len(docs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range docs {
		g.Go(func() error { per[i] = analyzeDoc(&docs[i]); return nil })
	}
	g.Wait()

	dict := buildPostings(docs, per)
	n := 1
	var total int
	for _, p := range dict.postings {
		total += len(p) + 8 // and about 8 bytes for the term and separators
	}
	for n < maxShards && total/n > lay.shardTarget {
		n *= 2
	}
	shards := make([][]int, n)
	for id, t := range dict.terms {
		s := shardOf(t, n)
		shards[s] = append(shards[s], id)
	}
	chunks := (len(docs) + chunkSize - 1) / chunkSize
	st := Stats{Docs: len(docs), Terms: len(dict.terms), Shards: n, Chunks: chunks}

	for _, sub := range []string{shardDir, chunkDir} {
		if err := os.RemoveAll(filepath.Join(dir, sub)); err != nil {
			return st, fmt.Errorf("search index: %w", err)
		}
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return st, fmt.Errorf("search index: %w", err)
		}
	}
	manifest := fmt.Sprintf("deskSearch.meta({\"docs\":%d,\"shards\":%d,\"chunk\":%d})\n", len(docs), n, chunkSize)
	if err := os.WriteFile(filepath.Join(dir, manifestFile), []byte(manifest), 0o644); err != nil {
		return st, fmt.Errorf("search index: %w", err)
	}
	sizes := make([]int64, n+chunks)
	var files errgroup.Group
	files.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n + chunks {
		files.Go(func() error {
			var name string
			var data []byte
			if i < n {
				name = filepath.Join(dir, shardDir, strconv.FormatInt(int64(i), 16)+".js")
				data = shardFile(i, shards[i], dict)
			} else {
				c := i - n
				name = filepath.Join(dir, chunkDir, strconv.FormatInt(int64(c), 16)+".js")
				var err error
				if data, err = chunkFile(c, docs[c*chunkSize:min(len(docs), (c+1)*chunkSize)]); err != nil {
					return err
				}
			}
			sizes[i] = int64(len(data))
			return os.WriteFile(name, data, 0o644)
		})
	}
	if err := files.Wait(); err != nil {
		return st, fmt.Errorf("search index: %w", err)
	}
	st.Bytes = int64(len(manifest))
	for _, n := range sizes {
		st.Bytes += n
	}
	return st, nil
}

// sortDocs returns the documents ordered by language, category and URL, so
// that documents found together have close numbers: postings gaps are
// small and the results of a query share chunks.
func sortDocs(docs []Doc) []Doc {
	out := slices.Clone(docs)
	slices.SortStableFunc(out, func(a, b Doc) int {
		return cmp.Or(cmp.Compare(a.Lang, b.Lang), cmp.Compare(a.Category, b.Category), cmp.Compare(a.URL, b.URL))
	})
	return out
}

// analyzeDoc counts the terms of one document.
func analyzeDoc(d *Doc) docTerms {
	var dt docTerms
	index := map[string]int{}
	add := func(t string, body int32, title uint8) {
		i, ok := index[t]
		if !ok {
			i = len(dt.terms)
			index[t] = i
			dt.terms = append(dt.terms, t)
			dt.body = append(dt.body, 0)
			dt.title = append(dt.title, 0)
		}
		dt.body[i] += body
		dt.title[i] = max(dt.title[i], title)
	}
	// 3 for a title of one word, 2 for two, 1 for more.
	lvl := uint8(titleLevels - min(titleLevels-1, max(1, titleWords(tokenize.FoldString(d.Title)))))
	tokenize.Each(d.Title, titleOptions, func(t tokenize.Token) {
		if t.Kind == tokenize.CodePart {
			add(t.Term, 0, 1) // a part of a code is not a word of the title
		} else {
			add(t.Term, 0, lvl)
		}
	})
	tag := func(t tokenize.Token) { add(t.Term, 0, 1) }
	for _, s := range d.Tags {
		tokenize.Each(s, titleOptions, tag)
	}
	if !slices.Contains(d.Tags, d.Category) {
		tokenize.Each(d.Category, titleOptions, tag)
	}
	tokenize.Each(d.Summary, bodyOptions, func(t tokenize.Token) { add(t.Term, summaryWeight, 0); dt.length++ })
	tokenize.Each(stripPlaceholders(d.Text, false), bodyOptions, func(t tokenize.Token) { add(t.Term, 1, 0); dt.length++ })
	return dt
}

// titleWords counts the words of a title as a query counts them: a CJK
// character run as its bigrams, a code as one word, stop words only when
// there is nothing else.
func titleWords(rs []rune) int {
	n, stops := 0, 0
	tokenize.Scan(rs, func(start, end int) { n += max(1, end-start-1) }, func(parts []tokenize.Part) {
		if len(parts) == 1 && tokenize.IsStopWord(string(tokenize.DropPossessive(rs[parts[0].Start:parts[0].End]))) {
			stops++
		} else {
			n++
		}
	})
	if n == 0 {
		return stops
	}
	return n
}

// stripPlaceholders removes the {{...}} placeholders of s, or with keep
// only their braces; shortcodes ({{< ... >}}, {{% ... %}}) go in both cases.
func stripPlaceholders(s string, keep bool) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var sb strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			break
		}
		inner := s[i+2 : i+2+j]
		sb.WriteString(s[:i])
		if keep && !strings.HasPrefix(inner, "<") && !strings.HasPrefix(inner, "%") {
			sb.WriteString(strings.TrimPrefix(inner, "{"))
		} else {
			sb.WriteByte(' ')
		}
		s = strings.TrimPrefix(s[i+4+j:], "}")
	}
	sb.WriteString(s)
	return sb.String()
}

// dictionary is the postings of every term, encoded.
type dictionary struct {
	terms    []string
	postings [][]byte
}

// buildPostings gathers and encodes the postings of every term, documents
// in order.
func buildPostings(docs []Doc, per []docTerms) *dictionary {
	// The BM25 length normalisation is per language: Chinese text gives two
	// terms per character and its documents are longer.
	sum, count := map[string]float64{}, map[string]float64{}
	for i := range docs {
		sum[docs[i].Lang] += float64(per[i].length)
		count[docs[i].Lang]++
	}
	dict := &dictionary{}
	ids := map[string]int{}
	last := []int{}
	for d := range per {
		dt := &per[d]
		avg := max(1, sum[docs[d].Lang]/count[docs[d].Lang])
		norm := k1 * (1 - b + b*float64(dt.length)/avg)
		for k, t := range dt.terms {
			id, ok := ids[t]
			if !ok {
				id = len(dict.terms)
				ids[t] = id
				dict.terms = append(dict.terms, t)
				dict.postings = append(dict.postings, nil)
				last = append(last, -1)
			}
			dict.postings[id] = appendPosting(dict.postings[id], d-last[id], level(float64(dt.body[k]), norm), int(dt.title[k]))
			last[id] = d
		}
	}
	return dict
}

// level quantizes the BM25 weight of a term of frequency tf in a body whose
// length normalisation is norm.
func level(tf, norm float64) int {
	w := tf * (k1 + 1) / (tf + norm)
	return min(levels-1, int(math.Floor(w/(k1+1)*levels)))
}

// shardFile is the script of shard i: its terms, sorted, each followed by
// '!' and its postings, separated by spaces (no term holds a space or a '!',
// no postings character is one).
func shardFile(i int, ids []int, dict *dictionary) []byte {
	slices.SortFunc(ids, func(a, b int) int { return strings.Compare(dict.terms[a], dict.terms[b]) })
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "deskSearch.shard(%d,\"", i)
	for k, id := range ids {
		if k > 0 {
			buf.WriteByte(' ')
		}
		buf.WriteString(dict.terms[id])
		buf.WriteByte('!')
		buf.Write(dict.postings[id])
	}
	buf.WriteString("\")\n")
	return buf.Bytes()
}

// chunkFile is the script of chunk c: URL, title and snippet text of its
// documents.
func chunkFile(c int, docs []Doc) ([]byte, error) {
	rows := make([][3]string, len(docs))
	for i, d := range docs {
		rows[i] = [3]string{strings.TrimPrefix(d.URL, "/"), d.Title, snippet(d)}
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "deskSearch.docs(%d,", c)
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rows); err != nil {
		return nil, err
	}
	buf.Truncate(buf.Len() - 1)
	buf.WriteString(")\n")
	return buf.Bytes(), nil
}

// snippet is the text shown under a result's title: the summary, or the
// beginning of the body, in one line of at most snippetLen characters,
// without the backquotes of Markdown code.
func snippet(d Doc) string {
	s := d.Summary
	if strings.TrimSpace(s) == "" {
		s = stripPlaceholders(d.Text, true)
	}
	s = strings.ReplaceAll(s, "`", "")
	var sb strings.Builder
	n := 0
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if n == snippetLen {
			sb.WriteString("…")
			break
		}
		if space {
			sb.WriteByte(' ')
			n++
			space = false
		}
		if r == utf8.RuneError {
			continue
		}
		sb.WriteRune(r)
		n++
	}
	return sb.String()
}
