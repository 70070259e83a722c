package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"unicode"
)

// The charts are inline SVG drawn here, not by a script: the report is one
// file that shows the same in any browser, printed or offline. Colours come
// from the page's style sheet (classes s1, s2, s3), so they follow light and
// dark mode. Each chart has a <title> and a <desc> that reads its numbers
// out, and the same numbers stand in a table beside it.

// svgWriter builds one chart.
type svgWriter struct {
	b strings.Builder
}

func (s *svgWriter) f(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// open starts a chart of w×h labelled by its title and description.
func (s *svgWriter) open(id string, w, h int, title, desc string) {
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" width="%d" height="%d">`,
		id, id, id, w, h, w, h)
	s.f(`<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(desc))
}

func (s *svgWriter) text(x, y float64, anchor, class, text string) {
	s.f(`<text x="%s" y="%s" text-anchor="%s" class="%s">%s</text>`, num(x), num(y), anchor, class, esc(text))
}

func (s *svgWriter) rect(x, y, w, h float64, class, tip string) {
	s.f(`<rect x="%s" y="%s" width="%s" height="%s" class="%s"><title>%s</title></rect>`, num(x), num(y), num(w), num(h), class, esc(tip))
}

func (s *svgWriter) html() template.HTML {
	s.b.WriteString("</svg>")
	return template.HTML(s.b.String())
}

func esc(s string) string { return html.EscapeString(s) }

// num renders a coordinate with at most one decimal.
func num(v float64) string {
	v = math.Round(v*10) / 10
	if v == math.Trunc(v) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}

// textWidth estimates the width of a label at 12 px: wide (CJK) characters
// take a full em, others about 0.6 of one.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
			unicode.Is(unicode.Hangul, r) || (r >= 0xFF00 && r <= 0xFFEF) {
			w += 12
		} else {
			w += 7
		}
	}
	return w
}

// clip shortens a label to about max pixels, with an ellipsis.
func clip(s string, max float64) string {
	if textWidth(s) <= max {
		return s
	}
	var b strings.Builder
	w := 0.0
	for _, r := range s {
		rw := textWidth(string(r))
		if w+rw > max-12 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// categoryChart is a horizontal bar per category, longest first, with its
// count and share.
func categoryChart(rep *Report, l *labels) template.HTML {
	rows := rep.Shares.Category
	const width, rowH, valueW = 560, 26, 96
	labelW := 60.0
	for _, r := range rows {
		labelW = math.Max(labelW, textWidth(l.value(r.Name))+10)
	}
	labelW = math.Min(labelW, 180)
	barW := width - labelW - valueW
	var parts []string
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s %d (%s)", l.value(r.Name), r.Count, pct(r.Share)))
	}
	desc := l.NoData
	if len(parts) > 0 {
		desc = strings.Join(parts, ", ")
	}
	h := max(len(rows)*rowH+8, 48)
	var s svgWriter
	s.open("chart-category", width, h, l.CategoryChart, fmt.Sprintf(l.CategoryDesc, rep.Period.Name, desc))
	if len(rows) == 0 {
		s.text(width/2, 28, "middle", "muted", l.NoData)
		return s.html()
	}
	most := rows[0].Count
	for i, r := range rows {
		y := float64(i*rowH) + 4
		s.text(labelW-8, y+rowH/2+4, "end", "label", clip(l.value(r.Name), labelW-10))
		w := barW * float64(r.Count) / float64(most)
		s.rect(labelW, y+4, math.Max(w, 1), rowH-8, "s1", fmt.Sprintf("%s: %d (%s)", l.value(r.Name), r.Count, pct(r.Share)))
		s.text(labelW+math.Max(w, 1)+6, y+rowH/2+4, "start", "value", fmt.Sprintf("%d · %s", r.Count, pct(r.Share)))
	}
	return s.html()
}

// slaChart is a pair of vertical bars per priority, response and
// resolution attainment on a 0–100 % scale, and the pair of all priorities.
func slaChart(rep *Report, l *labels) template.HTML {
	type group struct {
		name             string
		respond, resolve Rate
	}
	var groups []group
	for i, r := range rep.SLA.Respond.Priorities {
		groups = append(groups, group{l.value(r.Priority), r.Rate, rep.SLA.Resolve.Priorities[i].Rate})
	}
	groups = append(groups, group{l.All, rep.SLA.Respond.Total, rep.SLA.Resolve.Total})
	const top, bottom, left, groupW, barW, plotH = 34, 34, 44, 96, 30, 150
	width := left + len(groups)*groupW + 10
	height := top + plotH + bottom
	var parts []string
	for _, g := range groups {
		parts = append(parts, fmt.Sprintf("%s: %s %s, %s %s", g.name, l.Response, ratioText(g.respond), l.Resolution, ratioText(g.resolve)))
	}
	var s svgWriter
	s.open("chart-sla", width, height, l.SLAChart, fmt.Sprintf(l.SLADesc, rep.Period.Name, strings.Join(parts, "; ")))
	legend(&s, left, 14, []string{l.Response, l.Resolution}, []string{"s1", "s2"})
	for _, tick := range []int{0, 50, 100} {
		y := float64(top + plotH - plotH*tick/100)
		s.f(`<line x1="%d" x2="%d" y1="%s" y2="%s" class="grid"/>`, left, width-10, num(y), num(y))
		s.text(left-6, y+4, "end", "muted", fmt.Sprintf("%d%%", tick))
	}
	for i, g := range groups {
		x0 := float64(left + i*groupW + (groupW-2*barW-6)/2)
		for j, r := range []Rate{g.respond, g.resolve} {
			x := x0 + float64(j*(barW+6))
			class := []string{"s1", "s2"}[j]
			name := []string{l.Response, l.Resolution}[j]
			if r.Rate == nil {
				s.text(x+barW/2, float64(top+plotH-4), "middle", "muted", "—")
				continue
			}
			h := plotH * *r.Rate
			s.rect(x, float64(top+plotH)-h, barW, math.Max(h, 0.5), class, fmt.Sprintf("%s %s: %s", g.name, name, ratioText(r)))
			s.text(x+barW/2, float64(top+plotH)-h-4, "middle", "value", strings.TrimSuffix(percent(r.Rate), ".0%")+pctSuffix(r.Rate))
		}
		s.text(float64(left+i*groupW+groupW/2), float64(top+plotH+18), "middle", "label", clip(g.name, groupW-6))
	}
	return s.html()
}

// pctSuffix completes the short bar label: "100%" rather than "100.0%".
func pctSuffix(v *float64) string {
	if strings.HasSuffix(percent(v), ".0%") {
		return "%"
	}
	return ""
}

// trendChart is a pair of bars per period, opened and resolved, and a line
// of the tickets open at the end of each.
func trendChart(rep *Report, l *labels) template.HTML {
	trend := rep.Trend
	const top, bottom, left, groupW, barW, plotH = 34, 34, 44, 86, 24, 150
	width := left + len(trend)*groupW + 10
	height := top + plotH + bottom
	most := 0
	var parts []string
	for _, t := range trend {
		most = max(most, t.Opened, t.Resolved, t.Backlog)
		parts = append(parts, fmt.Sprintf("%s: %s %d, %s %d, %s %d", t.Period, l.Opened, t.Opened, l.Resolved, t.Resolved, l.OpenAtEnd, t.Backlog))
	}
	scale := niceCeil(most)
	var s svgWriter
	s.open("chart-trend", width, height, l.TrendChart, fmt.Sprintf(l.TrendDesc, len(trend), strings.Join(parts, "; ")))
	legend(&s, left, 14, []string{l.Opened, l.Resolved, l.OpenAtEnd}, []string{"s1", "s2", "s3"})
	y := func(v int) float64 { return float64(top+plotH) - float64(plotH)*float64(v)/float64(scale) }
	for _, tick := range []int{0, scale / 2, scale} {
		s.f(`<line x1="%d" x2="%d" y1="%s" y2="%s" class="grid"/>`, left, width-10, num(y(tick)), num(y(tick)))
		s.text(left-6, y(tick)+4, "end", "muted", fmt.Sprintf("%d", tick))
	}
	var points []string
	for i, t := range trend {
		x0 := float64(left + i*groupW + (groupW-2*barW-4)/2)
		for j, v := range []int{t.Opened, t.Resolved} {
			x := x0 + float64(j*(barW+4))
			class := []string{"s1", "s2"}[j]
			name := []string{l.Opened, l.Resolved}[j]
			s.rect(x, y(v), barW, math.Max(float64(top+plotH)-y(v), 0.5), class, fmt.Sprintf("%s %s: %d", t.Period, name, v))
		}
		cx := float64(left + i*groupW + groupW/2)
		points = append(points, num(cx)+","+num(y(t.Backlog)))
		s.text(cx, float64(top+plotH+18), "middle", "label", clip(t.Period, groupW-4))
	}
	s.f(`<polyline points="%s" class="line"/>`, strings.Join(points, " "))
	for i, t := range trend {
		cx := float64(left + i*groupW + groupW/2)
		s.f(`<circle cx="%s" cy="%s" r="4" class="s3"><title>%s</title></circle>`, num(cx), num(y(t.Backlog)),
			esc(fmt.Sprintf("%s %s: %d", t.Period, l.OpenAtEnd, t.Backlog)))
	}
	return s.html()
}

// legend draws swatches and names in a row.
func legend(s *svgWriter, x, y int, names, classes []string) {
	fx := float64(x)
	for i, n := range names {
		s.f(`<rect x="%s" y="%d" width="12" height="12" class="%s"/>`, num(fx), y-10, classes[i])
		s.text(fx+16, float64(y), "start", "label", n)
		fx += 16 + textWidth(n) + 18
	}
}

// niceCeil is the smallest of 1, 2, 5, 10, 20, 50, … at or above n, and at
// least 2 so that the middle tick is a whole number.
func niceCeil(n int) int {
	for step := 1; ; step *= 10 {
		for _, m := range []int{1, 2, 5} {
			if v := m * step; v >= n && v >= 2 {
				return v
			}
		}
		if step > math.MaxInt32 {
			return n
		}
	}
}
