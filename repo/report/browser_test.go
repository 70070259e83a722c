package report

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/deskhq/desk/examples/bench/browsertest"
)

// TestHTMLInBrowser opens the HTML reports, English and Chinese, from
// file:// in headless Chromium: no console error, no request but the file
// itself, and the three charts drawn as SVG with a size, a title and a
// description.
func TestHTMLInBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := browsertest.Start(ctx)
	browsertest.Skip(t, err)
	defer b.Close()

	for _, c := range []struct {
		name string
		rep  *Report
	}{{"en", exampleReport(t)}, {"zh", zhReport(t)}} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			if err := os.WriteFile(path, render(t, "html", c.rep), 0o644); err != nil {
				t.Fatal(err)
			}
			page := (&url.URL{Scheme: "file", Path: path}).String()
			p, err := b.Open(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			var charts []struct {
				ID          string
				Width       float64
				Height      float64
				Title, Desc string
				Marks       int
			}
			err = p.Eval(ctx, `[...document.querySelectorAll("svg")].map(s => {
				const r = s.getBoundingClientRect();
				return {ID: s.id, Width: r.width, Height: r.height,
					Title: s.querySelector(":scope > title")?.textContent || "",
					Desc: s.querySelector(":scope > desc")?.textContent || "",
					Marks: s.querySelectorAll("rect[class^=s], circle").length};
			})`, &charts)
			if err != nil {
				t.Fatal(err)
			}
			// axe-core (DESK_AXE, as in site's TestAxe): no WCAG 2 A or AA
			// violation.
			if axe := os.Getenv("DESK_AXE"); axe != "" {
				src, err := os.ReadFile(axe)
				if err != nil {
					t.Fatal(err)
				}
				var violations []string
				if err := p.Eval(ctx, string(src)+`;axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r =>
					r.violations.map(v => v.id + " (" + v.impact + "): " + v.nodes.map(n => n.target.join(" ")).join(", ")))`, &violations); err != nil {
					t.Fatalf("axe: %v", err)
				}
				for _, v := range violations {
					t.Errorf("axe: %s", v)
				}
			} else if os.Getenv("DESK_REQUIRE_AXE") != "" {
				t.Fatal("DESK_REQUIRE_AXE is set and DESK_AXE names no axe.min.js")
			}
			want := []string{"chart-category", "chart-sla", "chart-trend"}
			if len(charts) != len(want) {
				t.Fatalf("%d SVG charts, want %d: %+v", len(charts), len(want), charts)
			}
			for i, ch := range charts {
				if ch.ID != want[i] || ch.Width <= 0 || ch.Height <= 0 || ch.Title == "" || ch.Desc == "" || ch.Marks == 0 {
					t.Errorf("chart %d = %+v, want %s with a size, a title, a description and bars", i, ch, want[i])
				}
			}
			var dark bool
			if err := p.Eval(ctx, `[...document.styleSheets].some(s => [...s.cssRules].some(r => r.media && r.media.mediaText.includes("prefers-color-scheme: dark")))`, &dark); err != nil {
				t.Fatal(err)
			}
			if !dark {
				t.Error("no prefers-color-scheme: dark rule in the parsed style sheet")
			}
			for _, m := range p.Errors() {
				t.Errorf("console: %s", m)
			}
			for _, r := range p.Requests() {
				if r.URL != page {
					t.Errorf("request for %s (%s), want none but the page", r.URL, r.Type)
				}
			}
		})
	}
}
