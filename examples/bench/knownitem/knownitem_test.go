package knownitem

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ranks []int
		want  Metrics
	}{
		{"none", nil, Metrics{}},
		{"all first", []int{1, 1}, Metrics{N: 2, MRR: 1, R1: 1, R5: 1}},
		// 1 + 1/2 + 1/5 + 1/10 + 0 + 0 = 1.8 over 6 queries.
		{"mixed", []int{1, 2, 5, 10, 0, 0}, Metrics{N: 6, MRR: 1.8 / 6, R1: 1.0 / 6, R5: 3.0 / 6}},
		{"past the cutoff is a miss", []int{11, 0, 6}, Metrics{N: 3, MRR: 1.0 / 6 / 3}},
	} {
		got := Score(tc.ranks)
		if got.N != tc.want.N || !near(got.MRR, tc.want.MRR) || !near(got.R1, tc.want.R1) || !near(got.R5, tc.want.R5) {
			t.Errorf("%s: Score(%v) = %+v, want %+v", tc.name, tc.ranks, got, tc.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestRank(t *testing.T) {
	results := []string{"a", "b", "a", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
	for _, tc := range []struct {
		slug string
		want int
	}{
		{"a", 1}, {"c", 3}, {"j", 10}, {"k", 0}, {"zzz", 0},
	} {
		if got := Rank(results, tc.slug); got != tc.want {
			t.Errorf("Rank(%q) = %d, want %d (a repeated result counts once)", tc.slug, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	s, err := Parse("x", strings.NewReader("query\tslug\tkind\r\ntar -xzvf a.tar.gz\tcommon-tar\tcommand\n\n慢查询\tanalyze-slow-queries\tkeywords\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Query{{"tar -xzvf a.tar.gz", "common-tar", "command"}, {"慢查询", "analyze-slow-queries", "keywords"}}
	if len(s.Queries) != 2 || s.Queries[0] != want[0] || s.Queries[1] != want[1] {
		t.Errorf("Parse = %+v, want %+v", s.Queries, want)
	}
	for _, bad := range []string{"", "q\ts\n", "query\tslug\tkind\nonly a query\n", "query\tslug\tkind\na\tb\tc\td\n", "query\tslug\tkind\n \tslug\tkind\n"} {
		if _, err := Parse("bad", strings.NewReader(bad)); err == nil {
			t.Errorf("Parse(%q) took it", bad)
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"b.tsv":     "query\tslug\tkind\nvpn\tvpn-setup\tkeywords\n",
		"a.tsv":     "query\tslug\tkind\n",
		"notes.txt": "not a set",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sets, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 2 || sets[0].Name != "a" || sets[1].Name != "b" || len(sets[1].Queries) != 1 {
		t.Errorf("LoadDir = %+v", sets)
	}
	if _, err := LoadDir(t.TempDir()); err == nil {
		t.Error("LoadDir of a folder without sets took it")
	}
}
