package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/deskhq/desk/examples/bench/browsertest"
	"github.com/deskhq/desk/examples/bench/knownitem"
)

func main() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the flags of one comparison.
type options struct {
	desk, pagefind, repo string
	n                    int
	seed                 string
	gzip                 bool
	settle               time.Duration
	box                  bool
	jsonOut              string
	queries              string
}

// Main runs sitecmp with args and returns the exit status: 0 done, 1 a
// failure, 2 bad flags.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sitecmp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.desk, "desk", "", "folder built by desk site build")
	fs.StringVar(&o.pagefind, "pagefind", "", "Hugo's output folder, indexed by pagefind --site")
	fs.StringVar(&o.repo, "repo", "", "the desk repository both were built from (its kb/ gives the queries)")
	fs.IntVar(&o.n, "n", 100, "articles to look for in each language")
	fs.StringVar(&o.seed, "seed", "sitecmp", "picks the articles")
	fs.BoolVar(&o.gzip, "gzip", true, "serve text files gzip-compressed (both sites)")
	fs.BoolVar(&o.box, "box", false, "desk: type into the search box even when the script offers window.deskSearch.query")
	fs.DurationVar(&o.settle, "settle", 400*time.Millisecond, "desk's search box: the results are final once unchanged this long")
	fs.StringVar(&o.jsonOut, "json", "", "write every query run as JSON to `FILE`")
	fs.StringVar(&o.queries, "queries", "", "run the known-item sets (*.tsv) of `DIR` instead of queries made from the articles")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sitecmp -repo REPO [-desk DIR] [-pagefind DIR] [-n 100 | -queries DIR] [-json FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || o.repo == "" || o.desk == "" && o.pagefind == "" || o.n < 1 {
		fs.Usage()
		return 2
	}
	if err := run(context.Background(), o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "sitecmp:", err)
		return 1
	}
	return 0
}

func run(ctx context.Context, o options, stdout, stderr io.Writer) error {
	var sites []site
	for _, s := range []site{{Engine: "desk", Dir: o.desk}, {Engine: "pagefind", Dir: o.pagefind}} {
		if s.Dir == "" {
			continue
		}
		probe := map[string]string{"desk": "search", "pagefind": "pagefind/pagefind.js"}[s.Engine]
		if _, err := os.Stat(s.Dir + "/" + probe); err != nil {
			return fmt.Errorf("-%s %s: no %s: %w", s.Engine, s.Dir, probe, err)
		}
		s.wire = newWire()
		srv := httptest.NewServer(s.wire.wrap(siteHandler(s.Dir, o.gzip)))
		defer srv.Close()
		s.URL = srv.URL + "/"
		sites = append(sites, s)
	}

	arts, bad, err := loadArticles(o.repo)
	if err != nil {
		return err
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "sitecmp: %d article file(s) do not parse and are left out\n", bad)
	}

	b, err := browsertest.Start(ctx)
	if errors.Is(err, browsertest.ErrNoBrowser) {
		return fmt.Errorf("%w (install chromium or set DESK_CHROMIUM)", err)
	} else if err != nil {
		return err
	}
	defer b.Close()
	var items []item
	if o.queries != "" {
		sets, err := knownitem.LoadDir(o.queries)
		if err != nil {
			return err
		}
		items = setItems(sets, arts, stderr)
	} else {
		picked := pick(arts, o.n, o.seed)
		var texts []string
		for _, a := range picked {
			if a.Lang == "zh" {
				texts = append(texts, a.Title+"\n"+a.Summary)
			}
		}
		segment, err := segmenter(ctx, b, texts)
		if err != nil {
			return fmt.Errorf("Intl.Segmenter: %w", err)
		}
		items = makeItems(picked, freqByLang(arts), segment)
	}
	gz := "not compressed"
	if o.gzip {
		gz = "gzip for text types"
	}
	fmt.Fprintf(stdout, "sitecmp: %d articles, %d queries, %s, served with Cache-Control: no-store, %s\n",
		len(arts), len(items), b.Version(), gz)

	var all []record
	var loads []load
	for _, s := range sites {
		d := &driver{b: b, site: s, settle: o.settle, box: o.box}
		p, l, err := d.open(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Engine, err)
		}
		p.Close()
		loads = append(loads, l)
		for i, it := range items {
			rec, err := d.run(ctx, it)
			if err != nil {
				return fmt.Errorf("%s: query %q: %w", s.Engine, it.Query, err)
			}
			all = append(all, rec)
			if (i+1)%50 == 0 {
				fmt.Fprintf(stderr, "sitecmp: %s %d/%d\n", s.Engine, i+1, len(items))
			}
		}
	}
	report(stdout, sites, loads, all)
	if o.jsonOut != "" {
		data, err := json.MarshalIndent(all, "", " ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// report prints, for each engine and group of queries (language and kind,
// or with -queries the set): MRR@10, how often the wanted article came first
// and in the top 5, and the bytes of the first query (median and 90th
// percentile).
func report(w io.Writer, sites []site, loads []load, all []record) {
	for i, s := range sites {
		l := loads[i]
		fmt.Fprintf(w, "%-9s home page: %d requests, %s transferred, %s of files\n", s.Engine, l.Requests, kbytes(l.Transferred), kbytes(l.Files))
	}
	group := func(r record) string {
		if r.Set != "" {
			return r.Set
		}
		return r.Lang + " " + r.Kind
	}
	var groups []string
	for _, r := range all {
		if g := group(r); !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	fmt.Fprintf(w, "first query: median bytes transferred (p90), of files; and with the data of 5 results\n")
	fmt.Fprintf(w, "%-9s %-9s %4s %6s %6s %6s %12s %12s %12s %12s %12s %5s %6s\n",
		"engine", "queries", "n", "MRR@10", "first", "top 5", "transferred", "p90", "files", "5: transf.", "5: files", "reqs", "errors")
	for _, s := range sites {
		for _, g := range groups {
			var rs []record
			for _, r := range all {
				if r.Engine == s.Engine && group(r) == g {
					rs = append(rs, r)
				}
			}
			if len(rs) == 0 {
				continue
			}
			errs := 0
			var ranks []int
			var tr, files, reqs, ltr, lfiles []int64
			for _, r := range rs {
				ranks = append(ranks, r.Rank)
				if len(r.Errors) > 0 {
					errs++
				}
				tr = append(tr, r.Transferred)
				files = append(files, r.Files)
				ltr = append(ltr, r.ListTransferred)
				lfiles = append(lfiles, r.ListFiles)
				reqs = append(reqs, int64(r.Requests))
			}
			m := knownitem.Score(ranks)
			fmt.Fprintf(w, "%-9s %-9s %4d %6.3f %5.0f%% %5.0f%% %12s %12s %12s %12s %12s %5d %6d\n",
				s.Engine, g, m.N, m.MRR, 100*m.R1, 100*m.R5,
				kbytes(quantile(tr, 0.5)), kbytes(quantile(tr, 0.9)), kbytes(quantile(files, 0.5)),
				kbytes(quantile(ltr, 0.5)), kbytes(quantile(lfiles, 0.5)), quantile(reqs, 0.5), errs)
		}
	}
	var misses []string
	shown := map[string]int{}
	for _, r := range all {
		if r.Rank != 1 && shown[r.Engine] < 6 {
			shown[r.Engine]++
			misses = append(misses, fmt.Sprintf("  %s %s %q: wanted %s, got %s", r.Engine, strings.TrimSpace(r.Set+" "+r.Lang+" "+r.Kind), r.Query, r.Slug, strings.Join(r.Results[:min(5, len(r.Results))], " ")))
		}
	}
	if len(misses) > 0 {
		fmt.Fprintln(w, "some queries whose wanted article was not first:")
		fmt.Fprintln(w, strings.Join(misses, "\n"))
	}
}

// quantile returns the q-quantile of xs (nearest rank).
func quantile(xs []int64, q float64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func kbytes(n int64) string { return fmt.Sprintf("%.1f KB", float64(n)/1000) }
