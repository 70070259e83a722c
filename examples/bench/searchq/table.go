package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/deskhq/desk/examples/bench/knownitem"
)

// labels name the engines of searchq and sitecmp in the table.
var labels = map[string]string{
	"desk-search":  "desk search",
	"desk-similar": "desk similar --text",
	"desk":         "the page (desk site build)",
	"pagefind":     "Pagefind (Hugo + pagefind)",
}

// printTable prints one Markdown table from the JSON records of searchq and
// sitecmp runs: an engine a row (in the order they come), for each set
// MRR@10, R@1 and R@5.
func printTable(w io.Writer, files []string) error {
	type run struct {
		Engine string `json:"engine"`
		Set    string `json:"set"`
		Rank   int    `json:"rank"`
	}
	ranks := map[[2]string][]int{}
	var engines, sets []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var runs []run
		if err := json.Unmarshal(data, &runs); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, r := range runs {
			if r.Set == "" {
				return fmt.Errorf("%s: a run of %s has no set (sitecmp without -queries?)", f, r.Engine)
			}
			if !slices.Contains(engines, r.Engine) {
				engines = append(engines, r.Engine)
			}
			if !slices.Contains(sets, r.Set) {
				sets = append(sets, r.Set)
			}
			k := [2]string{r.Engine, r.Set}
			ranks[k] = append(ranks[k], r.Rank)
		}
	}
	slices.Sort(sets)
	head := []string{"engine"}
	for _, s := range sets {
		head = append(head, s+" MRR@10", "R@1", "R@5")
	}
	fmt.Fprintln(w, "| "+strings.Join(head, " | ")+" |")
	fmt.Fprintln(w, "|"+strings.Repeat(" --- |", len(head)))
	for _, e := range engines {
		row := []string{e}
		if l, ok := labels[e]; ok {
			row[0] = l
		}
		for _, s := range sets {
			rs, ok := ranks[[2]string{e, s}]
			if !ok {
				row = append(row, "", "", "")
				continue
			}
			m := knownitem.Score(rs)
			row = append(row, fmt.Sprintf("%.3f", m.MRR), fmt.Sprintf("%.0f %%", 100*m.R1), fmt.Sprintf("%.0f %%", 100*m.R5))
		}
		fmt.Fprintln(w, "| "+strings.Join(row, " | ")+" |")
	}
	var ns []string
	for _, s := range sets {
		n := 0
		for _, e := range engines {
			n = max(n, len(ranks[[2]string{e, s}]))
		}
		ns = append(ns, fmt.Sprintf("%s %d", s, n))
	}
	fmt.Fprintf(w, "\nqueries: %s\n", strings.Join(ns, ", "))
	return nil
}
