package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed report.html.tmpl
var htmlText string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"percent": percent,
	"pct":     pct,
	"signed":  signed,
	"ratio":   ratioText,
	"times":   times,
	"dash":    orDash,
	"minute":  func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"resolvedAt": func(t *time.Time) string {
		if t == nil {
			return "—"
		}
		return t.Format("2006-01-02 15:04")
	},
	"sprintf": fmt.Sprintf,
	"rate":    func(met, breached int, r *float64) Rate { return Rate{Met: met, Breached: breached, Rate: r} },
	"sub":     func(a, b int) int { return a - b },
	// Replaced for each report by its language's.
	"v":      func(s string) string { return s },
	"points": func(v *float64) string { return "" },
}).Parse(htmlText))

// htmlData is what the template sees.
type htmlData struct {
	R                    *Report
	L                    *labels
	Cur                  Summary
	Backlog, PeriodLine  string
	Category, SLA, Trend template.HTML
	Generated            string
}

// writeHTML renders the report as one self-contained HTML page: inline CSS,
// charts as inline SVG, no script, nothing fetched from anywhere.
func writeHTML(w io.Writer, rep *Report) error {
	l := labelsFor(rep.Language)
	d := htmlData{
		R: rep, L: l, Cur: summaryOf(rep),
		Backlog:    backlogLine(l, rep.Backlog, func(s string) string { return s }),
		PeriodLine: l.periodLine(rep.Period, rep.Timezone),
		Category:   categoryChart(rep, l),
		SLA:        slaChart(rep, l),
		Trend:      trendChart(rep, l),
		Generated:  fmt.Sprintf(l.Footer, rep.Generated.Format("2006-01-02 15:04")),
	}
	t, err := htmlTemplate.Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{"v": l.value, "points": l.points})
	return t.Execute(w, d)
}
