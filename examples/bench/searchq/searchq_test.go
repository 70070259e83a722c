package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/deskhq/desk/examples/bench/knownitem"
)

// TestSets holds the committed sets to what doc.go says of them.
func TestSets(t *testing.T) {
	sets, err := knownitem.LoadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string][]string{
		"a": {"heading", "keywords", "paraphrase", "title"},
		"b": {"error", "command", "mixed", "version", "typo"},
	}
	var names []string
	for _, s := range sets {
		names = append(names, s.Name)
		if len(s.Queries) < 60 {
			t.Errorf("%s: %d queries, want at least 60", s.Name, len(s.Queries))
		}
		queries, slugs := map[string]bool{}, map[string]bool{}
		titles := 0
		for _, q := range s.Queries {
			if queries[q.Query] || slugs[q.Slug] {
				t.Errorf("%s: %q (%s) repeats a query or an article", s.Name, q.Query, q.Slug)
			}
			queries[q.Query], slugs[q.Slug] = true, true
			if !slices.Contains(kinds[s.Name[len(s.Name)-1:]], q.Kind) {
				t.Errorf("%s: %q is of kind %q, not one of set %s", s.Name, q.Query, q.Kind, s.Name[len(s.Name)-1:])
			}
			if q.Kind == "title" {
				titles++
			}
			if q.Query != strings.TrimSpace(q.Query) {
				t.Errorf("%s: %q has spaces around it", s.Name, q.Query)
			}
		}
		if titles*5 > len(s.Queries) {
			t.Errorf("%s: %d of %d queries are exact titles, more than a fifth", s.Name, titles, len(s.Queries))
		}
	}
	if !slices.Equal(names, []string{"en-a", "en-b", "zh-a", "zh-b"}) {
		t.Errorf("sets %v", names)
	}
}

// A fake desk answers "tar" with two articles, fails on "Error 1298: zone"
// and records its arguments.
const fakeDesk = `#!/bin/sh
printf '%s\n' "$@" >> "$(dirname "$0")/args"
case "$*" in
*"Error 1298"*) echo 'desk: unknown field "zone"' >&2; exit 2 ;;
*tar*) echo '{"total": 3, "hits": [{"type": "ticket", "id": "TS-1"}, {"type": "kb", "id": "common-bfs"}, {"type": "kb", "id": "common-tar"}]}' ;;
*) echo '{"total": 0, "hits": []}' ;;
esac
`

func TestRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake desk is a shell script")
	}
	dir := t.TempDir()
	write := func(name, data string, mode os.FileMode) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("bin/desk", fakeDesk, 0o755)
	write("sets/x.tsv", "query\tslug\tkind\n-xzvf a.tar\tcommon-tar\tcommand\nError 1298: zone\tticdc-troubleshoot-ticdc\terror\nnothing\tcommon-tar\tkeywords\n", 0o644)
	write("repo/kb/common-tar.md", "", 0o644)
	for _, tc := range []struct {
		engine, args string
	}{
		{"desk-search", "-C\nREPO\nsearch\n--type\nkb\n--json\n--limit\n10\n--\n-xzvf a.tar\n"},
		{"desk-similar", "-C\nREPO\nsimilar\n--text=-xzvf a.tar\n--type\nkb\n--json\n--limit\n10\n"},
	} {
		os.Remove(filepath.Join(dir, "bin/args"))
		var out, errOut bytes.Buffer
		js := filepath.Join(dir, tc.engine+".json")
		code := Main([]string{"-repo", filepath.Join(dir, "repo"), "-sets", filepath.Join(dir, "sets"), "-engine", tc.engine,
			"-desk", filepath.Join(dir, "bin/desk"), "-json", js, "-v"}, &out, &errOut)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.engine, code, errOut.String())
		}
		args, _ := os.ReadFile(filepath.Join(dir, "bin/args"))
		if first := strings.ReplaceAll(string(args), filepath.Join(dir, "repo"), "REPO"); !strings.HasPrefix(first, tc.args) {
			t.Errorf("%s: desk got\n%s\nwant first\n%s", tc.engine, first, tc.args)
		}
		// Ranks 2, 0 (desk failed) and 0: MRR 1/2 / 3.
		for _, want := range []string{
			"x         3   0.167     0%    33%       1\n",
			`desk failed: x "Error 1298: zone": exit 2: desk: unknown field "zone"`,
			`x command "-xzvf a.tar" → common-bfs first; wanted common-tar, rank 2`,
			`x keywords "nothing" → nothing first; wanted common-tar, not in the first 10`,
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: output lacks %q:\n%s", tc.engine, want, out.String())
			}
		}
		if !strings.Contains(errOut.String(), "ticdc-troubleshoot-ticdc, which") {
			t.Errorf("%s: no warning of a wanted article the repository lacks: %s", tc.engine, errOut.String())
		}
		var recs []record
		data, _ := os.ReadFile(js)
		if err := json.Unmarshal(data, &recs); err != nil || len(recs) != 3 || !slices.Equal(recs[0].Results, []string{"common-bfs", "common-tar"}) {
			t.Errorf("%s: JSON %s (%v)", tc.engine, data, err)
		}
	}

	// The table of both runs and a sitecmp-like file.
	write("page.json", `[{"engine": "desk", "set": "x", "rank": 1}, {"engine": "desk", "set": "y", "rank": 0}]`, 0o644)
	var out bytes.Buffer
	if code := Main([]string{"-table", filepath.Join(dir, "desk-search.json"), filepath.Join(dir, "desk-similar.json"), filepath.Join(dir, "page.json")}, &out, &out); code != 0 {
		t.Fatalf("-table: exit %d: %s", code, out.String())
	}
	want := `| engine | x MRR@10 | R@1 | R@5 | y MRR@10 | R@1 | R@5 |
| --- | --- | --- | --- | --- | --- | --- |
| desk search | 0.167 | 0 % | 33 % |  |  |  |
| desk similar --text | 0.167 | 0 % | 33 % |  |  |  |
| the page (desk site build) | 1.000 | 100 % | 100 % | 0.000 | 0 % | 0 % |

queries: x 3, y 1
`
	if out.String() != want {
		t.Errorf("-table:\n%s\nwant\n%s", out.String(), want)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"-repo", "r", "-engine", "grep"}, {"-table"}, {"-repo", "r", "extra"}} {
		var out bytes.Buffer
		if code := Main(args, &out, &out); code != 2 {
			t.Errorf("Main(%q) = %d, want 2", args, code)
		}
	}
}
