package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/repo"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// exampleNow is the "today" of the bundled example repository.
var exampleNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// exampleReport is November 2026 of examples/helpdesk on its "today": a
// period not over yet, with open tickets in every SLA state.
func exampleReport(t *testing.T) *Report {
	t.Helper()
	r, err := repo.Open("../../examples/helpdesk")
	if err != nil {
		t.Fatal(err)
	}
	if r.Config.Site.Title != "Helpdesk knowledge base" {
		t.Fatalf("opened %s, not the example", r.Root)
	}
	p, err := ParsePeriod("2026-11", r.Config.Location)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(context.Background(), r.Config, r, Options{Period: p, Now: exampleNow})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// zhReport is the hand-computed November in a repository whose language is
// Chinese.
func zhReport(t *testing.T) *Report {
	rep := handReport(t, "2026-11", at("2026-12-02 12:00"))
	rep.Language = "zh"
	return rep
}

func render(t *testing.T, format string, rep *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, rep); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.Bytes()
}

// TestGolden renders the example in every format and the hand-computed
// repository in Chinese, and compares them with the files under
// testdata/golden; go test ./repo/report/ -update rewrites them.
func TestGolden(t *testing.T) {
	cases := []struct {
		name, format string
		rep          func(*testing.T) *Report
	}{
		{"example.md", "md", exampleReport},
		{"example.json", "json", exampleReport},
		{"example.html", "html", exampleReport},
		{"hand.zh.md", "md", zhReport},
		{"hand.zh.html", "html", zhReport},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := render(t, c.format, c.rep(t))
			path := filepath.Join("testdata", "golden", c.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./repo/report/ -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run go test ./repo/report/ -update to accept):\n--- got\n%s", c.format, path, got)
			}
		})
	}
}

// TestJSONRoundTrip: the JSON holds every figure; read back, it is the
// same report.
func TestJSONRoundTrip(t *testing.T) {
	rep := exampleReport(t)
	var back Report
	dec := json.NewDecoder(bytes.NewReader(render(t, "json", rep)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	// Times come back in a fixed zone named "": compare them as instants.
	a, _ := json.Marshal(rep)
	b, _ := json.Marshal(&back)
	if !bytes.Equal(a, b) {
		t.Errorf("the JSON read back differs:\n%s\n%s", a, b)
	}
}

// TestEmptyFormats: a period without tickets renders in every format, with
// "—" or null where a rate has nothing to divide.
func TestEmptyFormats(t *testing.T) {
	rep := handReport(t, "2025-03", at("2026-12-02 12:00"))
	md := string(render(t, "md", rep))
	for _, want := range []string{"| Opened | 0 | 0 | 0 |", "| Response SLA met | — | — | — |", "Open at the end: none."} {
		if !strings.Contains(md, want) {
			t.Errorf("empty md lacks %q:\n%s", want, md)
		}
	}
	var js map[string]any
	if err := json.Unmarshal(render(t, "json", rep), &js); err != nil {
		t.Fatal(err)
	}
	if r := js["satisfaction"].(map[string]any)["rate"]; r != nil {
		t.Errorf("satisfaction rate of an empty period = %v, want null", r)
	}
	html := string(render(t, "html", rep))
	if strings.Contains(html, "NaN") || strings.Contains(html, "Inf") {
		t.Errorf("empty html holds NaN or Inf")
	}
}

// TestHTMLSelfContained: one file, no script, nothing to fetch.
func TestHTMLSelfContained(t *testing.T) {
	for _, rep := range []*Report{exampleReport(t), zhReport(t)} {
		html := string(render(t, "html", rep))
		// The one link is the empty icon, a data: URL, which keeps the
		// browser from asking the server for /favicon.ico.
		const icon = `<link rel="icon" href="data:,">`
		if strings.Count(html, icon) != 1 {
			t.Errorf("%s report has no empty icon", rep.Language)
		}
		html = strings.Replace(html, icon, "", 1)
		for _, bad := range []string{"<script", "src=", "href=", "url(", "@import", "<link"} {
			if strings.Contains(html, bad) {
				t.Errorf("%s report holds %q", rep.Language, bad)
			}
		}
		// The only URL is the SVG namespace, which is a name, not a request.
		urls := regexp.MustCompile(`https?://[^"' <)]+`).FindAllString(html, -1)
		for _, u := range urls {
			if u != "http://www.w3.org/2000/svg" {
				t.Errorf("%s report names %s", rep.Language, u)
			}
		}
		if n := strings.Count(html, "<svg "); n != 3 {
			t.Errorf("%s report has %d charts, want 3", rep.Language, n)
		}
		if n := strings.Count(html, "<desc id="); n != 3 {
			t.Errorf("%s report has %d chart descriptions, want 3", rep.Language, n)
		}
		if !strings.Contains(html, "prefers-color-scheme:dark") {
			t.Errorf("%s report has no dark style", rep.Language)
		}
	}
	zh := string(render(t, "html", zhReport(t)))
	for _, want := range []string{`<html lang="zh-CN">`, "<title>服务台报告 2026-11</title>", "各优先级 SLA 达标率", "期末未结", "硬件"} {
		if !strings.Contains(zh, want) {
			t.Errorf("Chinese report lacks %q", want)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"VPN | slow", `VPN \| slow`},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"two\nlines", "two lines"},
		{"*bold* _it_ `code` [link]", `\*bold\* \_it\_ \` + "`" + `code\` + "`" + ` \[link\]`},
		{"打印机卡纸", "打印机卡纸"},
	}
	for _, c := range cases {
		if got := mdEscape(c.in); got != c.want {
			t.Errorf("mdEscape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPercentile pins the two statistics: the median averages the two
// middle values; p90 is the nearest rank ⌈0.9·n⌉.
func TestPercentile(t *testing.T) {
	m := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Minute
		}
		return out
	}
	cases := []struct {
		name     string
		in       []time.Duration
		med, p90 time.Duration
	}{
		{"one value is both", m(7), 7 * time.Minute, 7 * time.Minute},
		{"two values: the mean, and the second", m(10, 20), 15 * time.Minute, 20 * time.Minute},
		{"ten values: rank 9 is p90", m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 330 * time.Second, 9 * time.Minute},
		{"eleven values: rank ⌈9.9⌉ = 10", m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 6 * time.Minute, 10 * time.Minute},
	}
	for _, c := range cases {
		if med, p90 := median(c.in), percentile(c.in, 90); med != c.med || p90 != c.p90 {
			t.Errorf("%s: median %v p90 %v, want %v %v", c.name, med, p90, c.med, c.p90)
		}
	}
}
