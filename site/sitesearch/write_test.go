package sitesearch

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// smallLayout splits the fixture into many shards and chunks.
var smallLayout = layout{shardTarget: 64, chunkSize: 4}

func TestSearchFindsFixture(t *testing.T) {
	dir := t.TempDir()
	if _, err := write(dir, fixtureDocs(), smallLayout); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query, first string
	}{
		{"chinese title", "打印机卡纸怎么办", "kb/printer-jam/"},
		{"chinese words", "卡纸", "kb/printer-jam/"},
		{"chinese single character", "纸", "kb/printer-jam/"},
		{"chinese words in another order", "驱动 打印机", "kb/printer-driver/"},
		{"error code", "ERR_1045", "kb/vpn-err-1045/"},
		{"error code lower case and full width", "ｅｒｒ＿１０４５", "kb/vpn-err-1045/"},
		{"part of a code", "fast create table", "kb/tidb-fast-ddl/"},
		{"version", "v2.1 登录", "kb/upgrade-v2-1/"},
		{"hex code", "0x0000011b", "kb/bsod-printing/"},
		{"english stemmed", "caches", "kb/caching-proxy/"},
		{"english other form", "cached proxy", "kb/caching-proxy/"},
		{"exact title first", "git", "kb/git/"},
		{"exact two-word title first", "git commit", "kb/git-commit/"},
		{"code title", "git commit-graph", "kb/git-commit-graph/"},
		{"stop word title", "at", "kb/at/"},
		{"prefix of the last word", "archi", "kb/tar/"},
		{"word named like a javascript property", "constructor", "kb/constructor/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := openReader(t, dir)
			res, err := r.search(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) == 0 || res[0].row[0] != tt.first {
				t.Errorf("search %q: got %v, want %s first", tt.query, urls(res), tt.first)
			}
		})
	}
}

func TestSearchFindsNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := write(dir, fixtureDocs(), smallLayout); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"target",       // only inside a {{placeholder}}
		"copyable",     // only inside a {{< shortcode >}}
		"",             // nothing
		"~~ !!",        // no term
		"zzzunknown",   // not in the index
		"the",          // a stop word in no title
		"printer 卡纸机器", // terms of different articles, none with all: still results, checked below
	} {
		r := openReader(t, dir)
		res, err := r.search(q)
		if err != nil {
			t.Fatal(err)
		}
		if q == "printer 卡纸机器" {
			if len(res) == 0 {
				t.Errorf("search %q: nothing found, want the articles matching some terms", q)
			}
			continue
		}
		if len(res) > 0 {
			t.Errorf("search %q: got %v, want nothing", q, urls(res))
		}
	}
}

func urls(res []result) []string {
	var out []string
	for _, r := range res {
		out = append(out, r.row[0])
	}
	return out
}

func TestWriteIsDeterministic(t *testing.T) {
	docs := fixtureDocs()
	a, b := t.TempDir(), t.TempDir()
	if _, err := Write(a, docs); err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(docs)
	slices.Reverse(reversed)
	if _, err := Write(b, reversed); err != nil {
		t.Fatal(err)
	}
	fa, fb := readTree(t, a), readTree(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("%d files, then %d", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two builds of the same articles", name)
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWriteStats(t *testing.T) {
	dir := t.TempDir()
	// A stale file of an earlier build goes.
	if err := os.MkdirAll(filepath.Join(dir, "t"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "t", "stale.js"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("the search page"), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := fixtureDocs()
	st, err := write(dir, docs, smallLayout)
	if err != nil {
		t.Fatal(err)
	}
	files := readTree(t, dir)
	if _, ok := files["t/stale.js"]; ok {
		t.Error("a shard of an earlier build is left")
	}
	if string(files["index.html"]) != "the search page" {
		t.Error("Write touched a file of dir that is not its own")
	}
	delete(files, "index.html")
	var total int64
	shards, chunks := 0, 0
	for name, data := range files {
		total += int64(len(data))
		switch {
		case strings.HasPrefix(name, "t/"):
			shards++
		case strings.HasPrefix(name, "d/"):
			chunks++
		}
	}
	want := Stats{Docs: len(docs), Terms: st.Terms, Shards: shards, Chunks: chunks, Bytes: total}
	if st != want {
		t.Errorf("stats %+v, files on disk say %+v", st, want)
	}
	if st.Shards < 16 || st.Chunks != (len(docs)+3)/4 {
		t.Errorf("stats %+v: want at least 16 shards and %d chunks", st, (len(docs)+3)/4)
	}
}

// TestShardSizesBounded checks that the hash spreads the terms: no shard is
// much bigger than the mean unless one term's postings make it so.
func TestShardSizesBounded(t *testing.T) {
	dir := t.TempDir()
	lay := layout{shardTarget: 256, chunkSize: 4}
	st, err := write(dir, fixtureDocs(), lay)
	if err != nil {
		t.Fatal(err)
	}
	r := openReader(t, dir)
	var sum, biggest int
	for i := range st.Shards {
		m, err := r.getShard(i)
		if err != nil {
			t.Fatal(err)
		}
		size := len(r.loaded[shardName(i)])
		sum += size
		biggestTerm := 0
		for term, p := range m {
			biggestTerm = max(biggestTerm, len(term)+len(p))
		}
		if limit := 4*lay.shardTarget + biggestTerm; size > limit {
			t.Errorf("shard %d: %d bytes, more than %d", i, size, limit)
		}
		biggest = max(biggest, size)
	}
	if mean := sum / st.Shards; mean > 2*lay.shardTarget {
		t.Errorf("mean shard %d bytes, want at most %d", mean, 2*lay.shardTarget)
	}
}

func shardName(i int) string { return filepath.Join(shardDir, strconv.FormatInt(int64(i), 16)+".js") }

func TestChunkEscapes(t *testing.T) {
	dir := t.TempDir()
	docs := fixtureDocs()
	if _, err := write(dir, docs, smallLayout); err != nil {
		t.Fatal(err)
	}
	r := openReader(t, dir)
	found := false
	for d := range len(docs) {
		row, err := r.getDoc(d)
		if err != nil {
			t.Fatal(err)
		}
		if row[0] == "kb/escaping/" {
			found = true
			if row[1] != docs[13].Title {
				t.Errorf("title %q, want %q", row[1], docs[13].Title)
			}
			if want := "Titles are <b>text</b>, never markup. Line separator."; row[2] != want {
				t.Errorf("snippet %q, want %q", row[2], want)
			}
		}
	}
	if !found {
		t.Error("kb/escaping/ not in any chunk")
	}
}

func TestSnippet(t *testing.T) {
	tests := []struct {
		name string
		doc  Doc
		want string
	}{
		{"summary", Doc{Summary: "  Archiving\n utility. ", Text: "body"}, "Archiving utility."},
		{"summary without code backquotes", Doc{Summary: "See also: `git commit`."}, "See also: git commit."},
		{"body without placeholders' braces", Doc{Text: "tar cf {{path/to/target.tar}} {{< copyable \"sql\" >}} x"}, "tar cf path/to/target.tar x"},
		{"long body cut", Doc{Text: strings.Repeat("字", 200)}, strings.Repeat("字", snippetLen) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := snippet(tt.doc); got != tt.want {
				t.Errorf("snippet: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriteError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(file, fixtureDocs()); err == nil {
		t.Error("Write into a path that is a file: no error")
	}
}

func TestWriteNoDocs(t *testing.T) {
	dir := t.TempDir()
	st, err := Write(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != 0 || st.Shards != 1 || st.Chunks != 0 {
		t.Errorf("stats %+v, want no documents, one empty shard, no chunk", st)
	}
	res, err := openReader(t, dir).search("anything")
	if err != nil || len(res) > 0 {
		t.Errorf("search of an empty index: %v, %v", res, err)
	}
}
