package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/deskhq/desk/examples/bench/knownitem"
)

func main() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the flags of one scoring run.
type options struct {
	repo, sets, engine, desk, jsonOut string
	verbose                           bool
}

// engines maps an engine's name to desk's arguments for a query (after -C REPO).
var engines = map[string]func(q string) []string{
	"desk-search": func(q string) []string {
		return []string{"search", "--type", "kb", "--json", "--limit", strconv.Itoa(knownitem.Cutoff), "--", q}
	},
	"desk-similar": func(q string) []string {
		return []string{"similar", "--text=" + q, "--type", "kb", "--json", "--limit", strconv.Itoa(knownitem.Cutoff)}
	},
}

// Main runs searchq with args and returns the exit status: 0 done, 1 a
// failure, 2 bad flags.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("searchq", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.repo, "repo", "", "the desk repository to search (its kb/ holds the corpus)")
	fs.StringVar(&o.sets, "sets", "examples/bench/searchq", "folder of *.tsv query sets")
	fs.StringVar(&o.engine, "engine", "desk-search", "desk-search or desk-similar")
	fs.StringVar(&o.desk, "desk", "desk", "the desk binary")
	fs.StringVar(&o.jsonOut, "json", "", "write every query run as JSON to `FILE`")
	fs.BoolVar(&o.verbose, "v", false, "list every query whose article was not first")
	table := fs.Bool("table", false, "print one table from the JSON files given as arguments (of searchq and sitecmp -queries)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: searchq -repo REPO [-sets DIR] [-engine desk-search|desk-similar] [-desk BIN] [-json FILE] [-v]")
		fmt.Fprintln(stderr, "       searchq -table FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var err error
	switch {
	case *table && fs.NArg() > 0:
		err = printTable(stdout, fs.Args())
	case *table || fs.NArg() > 0 || o.repo == "" || engines[o.engine] == nil:
		fs.Usage()
		return 2
	default:
		err = run(o, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "searchq:", err)
		return 1
	}
	return 0
}

// A record is one query run.
type record struct {
	Engine string `json:"engine"`
	Set    string `json:"set"`
	knownitem.Query
	Rank    int      `json:"rank"`    // of the wanted article, 1-based; 0 when not in Results
	Results []string `json:"results"` // slugs, best first
	Error   string   `json:"error,omitempty"`
	Millis  int64    `json:"ms"` // the whole desk process
}

func run(o options, stdout, stderr io.Writer) error {
	sets, err := knownitem.LoadDir(o.sets)
	if err != nil {
		return err
	}
	n := 0
	for _, s := range sets {
		for _, q := range s.Queries {
			n++
			if _, err := os.Stat(filepath.Join(o.repo, "kb", q.Slug+".md")); err != nil {
				fmt.Fprintf(stderr, "searchq: %s: %q wants %s, which %s/kb does not hold\n", s.Name, q.Query, q.Slug, o.repo)
			}
		}
	}
	start := time.Now()
	var all []record
	for _, s := range sets {
		for _, q := range s.Queries {
			rec, err := query(o, s.Name, q)
			if err != nil {
				return err
			}
			all = append(all, rec)
			if len(all)%50 == 0 {
				fmt.Fprintf(stderr, "searchq: %s %d/%d\n", o.engine, len(all), n)
			}
		}
	}
	fmt.Fprintf(stdout, "searchq: %s, %d queries in %d sets on %s, %s\n", o.engine, n, len(sets), o.repo, time.Since(start).Round(time.Second))
	report(stdout, sets, all, o.verbose)
	if o.jsonOut != "" {
		data, err := json.MarshalIndent(all, "", " ")
		if err != nil {
			return err
		}
		return os.WriteFile(o.jsonOut, append(data, '\n'), 0o644)
	}
	return nil
}

// query runs one query through desk. A desk that fails makes a record with
// its message; only a desk that cannot be started is an error.
func query(o options, set string, q knownitem.Query) (record, error) {
	rec := record{Engine: o.engine, Set: set, Query: q}
	cmd := exec.Command(o.desk, append([]string{"-C", o.repo}, engines[o.engine](q.Query)...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	rec.Millis = time.Since(start).Milliseconds()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		rec.Error = fmt.Sprintf("exit %d: %s", exit.ExitCode(), strings.TrimSpace(errOut.String()))
		return rec, nil
	case err != nil:
		return rec, err
	}
	var res struct {
		Hits []struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		rec.Error = fmt.Sprintf("output is not desk's JSON: %v", err)
		return rec, nil
	}
	for _, h := range res.Hits {
		if h.Type == "kb" {
			rec.Results = append(rec.Results, h.ID)
		}
	}
	rec.Rank = knownitem.Rank(rec.Results, q.Slug)
	return rec, nil
}

// report prints the metrics of each set and of all queries, then the
// queries desk failed on and, if verbose, those whose article was not first.
func report(w io.Writer, sets []knownitem.Set, all []record, verbose bool) {
	fmt.Fprintf(w, "%-6s %4s %7s %6s %6s %7s\n", "set", "n", "MRR@10", "R@1", "R@5", "errors")
	line := func(name string, rs []record) {
		var ranks []int
		errs := 0
		for _, r := range rs {
			ranks = append(ranks, r.Rank)
			if r.Error != "" {
				errs++
			}
		}
		m := knownitem.Score(ranks)
		fmt.Fprintf(w, "%-6s %4d %7.3f %5.0f%% %5.0f%% %7d\n", name, m.N, m.MRR, 100*m.R1, 100*m.R5, errs)
	}
	for _, s := range sets {
		line(s.Name, bySet(all, s.Name))
	}
	line("all", all)
	for _, r := range all {
		if r.Error != "" {
			fmt.Fprintf(w, "desk failed: %s %q: %s\n", r.Set, r.Query.Query, r.Error)
		}
	}
	if !verbose {
		return
	}
	for _, r := range all {
		if r.Rank == 1 || r.Error != "" {
			continue
		}
		first := "nothing"
		if len(r.Results) > 0 {
			first = r.Results[0]
		}
		rank := "not in the first 10"
		if r.Rank > 0 {
			rank = "rank " + strconv.Itoa(r.Rank)
		}
		fmt.Fprintf(w, "  %s %s %q → %s first; wanted %s, %s\n", r.Set, r.Kind, r.Query.Query, first, r.Slug, rank)
	}
}

func bySet(all []record, set string) []record {
	var out []record
	for _, r := range all {
		if r.Set == set {
			out = append(out, r)
		}
	}
	return out
}
