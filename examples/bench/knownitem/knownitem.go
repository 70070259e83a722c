package knownitem

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Cutoff is how many results a rank looks at (the 10 of MRR@10).
const Cutoff = 10

// A Query is one known item: what is typed and the article that answers it.
type Query struct {
	Query string `json:"query"`
	Slug  string `json:"slug"`
	Kind  string `json:"kind"`
}

// A Set is a named list of queries, read from NAME.tsv.
type Set struct {
	Name    string
	Queries []Query
}

const header = "query\tslug\tkind"

// Parse reads a set from TSV: the header line, then query, slug and kind
// separated by tabs. name is used in errors and as the set's name.
func Parse(name string, r io.Reader) (Set, error) {
	s := Set{Name: name}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			if text != header {
				return s, fmt.Errorf("%s:1: header is %q, want %q", name, text, header)
			}
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 3 || strings.TrimSpace(f[0]) == "" || f[1] == "" || f[2] == "" {
			return s, fmt.Errorf("%s:%d: want query, slug and kind separated by tabs, got %q", name, line, text)
		}
		s.Queries = append(s.Queries, Query{Query: f[0], Slug: f[1], Kind: f[2]})
	}
	if err := sc.Err(); err != nil {
		return s, fmt.Errorf("%s: %w", name, err)
	}
	if line == 0 {
		return s, fmt.Errorf("%s: empty, want the header %q", name, header)
	}
	return s, nil
}

// LoadDir reads every *.tsv of dir as a set, in the order of their names.
func LoadDir(dir string) ([]Set, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no *.tsv query sets", dir)
	}
	slices.Sort(paths)
	var sets []Set
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		s, err := Parse(p, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		s.Name = strings.TrimSuffix(filepath.Base(p), ".tsv")
		sets = append(sets, s)
	}
	return sets, nil
}

// Rank returns the 1-based position of slug among the first Cutoff results
// (duplicates counted once), or 0.
func Rank(results []string, slug string) int {
	var seen []string
	for _, r := range results {
		if slices.Contains(seen, r) {
			continue
		}
		seen = append(seen, r)
		if len(seen) > Cutoff {
			break
		}
		if r == slug {
			return len(seen)
		}
	}
	return 0
}

// Metrics summarize the ranks of a list of queries.
type Metrics struct {
	N   int     // queries
	MRR float64 // MRR@10: mean reciprocal rank, a miss counting 0
	R1  float64 // share of queries whose article came first
	R5  float64 // share of queries whose article came in the first five
}

// Score computes the metrics of ranks (1-based, 0 for a miss; ranks past
// Cutoff count as misses).
func Score(ranks []int) Metrics {
	m := Metrics{N: len(ranks)}
	if m.N == 0 {
		return m
	}
	for _, r := range ranks {
		if r < 1 || r > Cutoff {
			continue
		}
		m.MRR += 1 / float64(r)
		if r == 1 {
			m.R1++
		}
		if r <= 5 {
			m.R5++
		}
	}
	n := float64(m.N)
	m.MRR, m.R1, m.R5 = m.MRR/n, m.R1/n, m.R5/n
	return m
}
