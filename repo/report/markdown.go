package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// writeMarkdown renders the report as GitHub-flavoured Markdown that fits a
// pull-request comment: a heading, short tables, no HTML.
func writeMarkdown(w io.Writer, rep *Report) error {
	l := labelsFor(rep.Language)
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	v := func(s string) string { return mdEscape(l.value(s)) }

	p("## %s %s\n\n", l.Title, mdEscape(rep.Period.Name))
	p("%s\n\n", mdEscape(l.periodLine(rep.Period, rep.Timezone)))

	cur, prev, d := summaryOf(rep), rep.Previous, rep.Delta
	p("| %s | %s | %s | %s |\n|:--|--:|--:|--:|\n", l.Figure, mdEscape(rep.Period.Name), mdEscape(prev.Period), l.Change)
	count := func(name string, a, b, delta int) { p("| %s | %d | %d | %s |\n", name, a, b, signed(delta)) }
	count(l.Opened, cur.Opened, prev.Opened, d.Opened)
	count(l.Resolved, cur.Resolved, prev.Resolved, d.Resolved)
	count(l.Closed, cur.Closed, prev.Closed, d.Closed)
	count(l.Reopened, cur.Reopened, prev.Reopened, d.Reopened)
	count(l.OpenAtEnd, cur.Backlog, prev.Backlog, d.Backlog)
	rateRow := func(name string, a, b, delta *float64) {
		p("| %s | %s | %s | %s |\n", name, percent(a), percent(b), l.points(delta))
	}
	rateRow(l.RespondMet, cur.Respond, prev.Respond, d.Respond)
	rateRow(l.ResolveMet, cur.Resolve, prev.Resolve, d.Resolve)
	rateRow(l.SatRate, cur.Satisfaction, prev.Satisfaction, d.Satisfaction)
	p("\n%s\n", backlogLine(l, rep.Backlog, mdEscape))

	p("\n### %s\n\n", l.ProblemTypes)
	shareTable(p, l.Category, l, rep.Shares.Category, v)
	p("\n**%s**%s", l.Tags, l.Colon)
	if len(rep.Tags) == 0 {
		p("%s\n", l.NoTags)
	} else {
		parts := make([]string, len(rep.Tags))
		for i, t := range rep.Tags {
			parts[i] = fmt.Sprintf("%s %d (%s)", mdEscape(t.Name), t.Count, pct(t.Share))
		}
		p("%s\n", strings.Join(parts, " · "))
	}
	if len(rep.Titles) == 0 {
		p("\n**%s**%s%s\n", l.Recurring, l.Colon, l.NoRecurring)
	} else {
		p("\n**%s**\n\n| %s | %s |\n|:--|--:|\n", l.Recurring, l.TicketTitle, l.Tickets)
		for _, t := range rep.Titles {
			p("| %s | %d |\n", mdEscape(t.Name), t.Count)
		}
	}

	p("\n### %s · %s\n\n", l.ByChannel, l.ByPriority)
	shareTable(p, l.Channel, l, rep.Shares.Channel, v)
	p("\n")
	shareTable(p, l.Priority, l, rep.Shares.Priority, v)

	p("\n### %s\n\n", l.SLAHeading)
	// The update columns, where desk.toml sets an update target.
	upd := rep.SLA.Update
	updHead, updRule, updAll := "", "", ""
	if upd != nil {
		updHead, updRule, updAll = fmt.Sprintf(" %s | %s |", l.UpdateT, l.Met), "--:|--:|", fmt.Sprintf(" | %s |", ratioText(upd.Total))
	}
	p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%s\n", l.Priority,
		l.RespondT, l.Met, l.Median, l.P90, l.ResolveT, l.Met, l.Median, l.P90, updHead)
	p("|:--|--:|--:|--:|--:|--:|--:|--:|--:|%s\n", updRule)
	for i, r := range rep.SLA.Respond.Priorities {
		s := rep.SLA.Resolve.Priorities[i]
		updCells := ""
		if upd != nil {
			u := upd.Priorities[i]
			updCells = fmt.Sprintf(" %s | %s |", orDash(u.Target), ratioText(u.Rate))
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%s\n", v(r.Priority),
			orDash(r.Target), ratioText(r.Rate), times(r.Times, false), times(r.Times, true),
			orDash(s.Target), ratioText(s.Rate), times(s.Times, false), times(s.Times, true), updCells)
	}
	p("| **%s** | | %s | | | | %s | | |%s\n", l.All, ratioText(rep.SLA.Respond.Total), ratioText(rep.SLA.Resolve.Total), updAll)
	p("\n%s\n", l.SLANote)
	if upd != nil {
		p("%s\n", l.UpdateNote)
	}

	p("\n### %s\n\n", l.Satisfaction)
	p(l.Rated+"\n\n", rep.Satisfaction.Rated, percent(rep.Satisfaction.Rate))
	p("| %s | %s | %s |\n|:--|--:|--:|\n", l.Rating, l.Count, l.Share)
	for _, r := range rep.Satisfaction.Ratings {
		share := "—"
		if rep.Satisfaction.Rated > 0 {
			share = pct(r.Share)
		}
		p("| %s | %d | %s |\n", v(r.Name), r.Count, share)
	}

	p("\n### %s\n\n", l.Engineers)
	if len(rep.Assignees) == 0 {
		p("%s\n", l.None)
	} else {
		p("| %s | %s | %s | %s | %s | %s |\n|:--|--:|--:|--:|--:|--:|\n", l.Assignee, l.Handled, l.Resolved, l.Open, l.OnTime, l.SatRate)
		for _, a := range rep.Assignees {
			name := mdEscape(a.Name)
			if a.Name == "" {
				name = l.Unassigned
			}
			p("| %s | %d | %d | %d | %s | %s |\n", name, a.Handled, a.Resolved, a.Open,
				ratioText(Rate{Met: a.Met, Breached: a.Breached, Rate: a.OnTime}),
				ratioText(Rate{Met: a.Positive, Breached: a.Rated - a.Positive, Rate: a.Satisfaction}))
		}
	}

	p("\n### %s\n\n", l.Major)
	if len(rep.Major) == 0 {
		p("%s\n", l.None)
	} else {
		p("| ID | %s | %s | %s | %s | %s | %s |\n|:--|:--|:--|:--|:--|--:|:--|\n", l.TicketTitle, l.Status, l.Created, l.ResolvedAt, l.Elapsed, l.Lead)
		for _, m := range rep.Major {
			resolved := "—"
			if m.Resolved != nil {
				resolved = m.Resolved.Format("2006-01-02 15:04")
			}
			p("| %s | %s | %s | %s | %s | %s | %s |\n", mdEscape(m.ID), mdEscape(m.Title), v(m.Status),
				m.Created.Format("2006-01-02 15:04"), resolved, orDash(m.Elapsed)+stateNote(l, m.State), mdEscape(orDash(m.Lead)))
		}
	}

	if len(rep.Escalations) > 0 {
		p("\n### %s\n\n| %s | %s |\n|:--|--:|\n", l.Escalations, l.Rule, l.Tickets)
		for _, e := range rep.Escalations {
			p("| %s | %d |\n", mdEscape(e.Rule), e.Tickets)
		}
	}

	p("\n### %s\n\n", l.Parts)
	if len(rep.Parts) == 0 {
		p("%s\n", l.None)
	} else {
		p("| %s | %s | %s |\n|:--|--:|--:|\n", l.Part, l.Qty, l.Tickets)
		for _, u := range rep.Parts {
			p("| %s | %d | %d |\n", mdEscape(u.Name), u.Qty, u.Tickets)
		}
	}

	p("\n### %s\n\n", l.Trend)
	p("| %s | %s | %s | %s | %s | %s | %s |\n|:--|--:|--:|--:|--:|--:|--:|\n", l.Period, l.Opened, l.Resolved, l.OpenAtEnd, l.RespondMet, l.ResolveMet, l.SatRate)
	for _, s := range rep.Trend {
		p("| %s | %d | %d | %d | %s | %s | %s |\n", mdEscape(s.Period), s.Opened, s.Resolved, s.Backlog,
			percent(s.Respond), percent(s.Resolve), percent(s.Satisfaction))
	}
	if n := len(rep.Skipped); n > 0 {
		p("\n> "+l.Skipped+"\n", n)
	}
	return b.Flush()
}

// summaryOf is the report's own period as a Summary: the last of the trend.
func summaryOf(rep *Report) Summary {
	return rep.Trend[len(rep.Trend)-1]
}

func backlogLine(l *labels, b Backlog, esc func(string) string) string {
	if b.Open == 0 {
		return l.NoBacklog
	}
	return fmt.Sprintf(l.BacklogLine, b.Open, *b.Median, *b.P90, *b.Oldest, esc(*b.OldestID))
}

func shareTable(p func(string, ...any), head string, l *labels, s []Share, v func(string) string) {
	p("| %s | %s | %s |\n|:--|--:|--:|\n", head, l.Tickets, l.Share)
	if len(s) == 0 {
		p("| — | 0 | — |\n")
	}
	for _, x := range s {
		p("| %s | %d | %s |\n", v(x.Name), x.Count, pct(x.Share))
	}
}

// stateNote marks a resolution clock that missed its target.
func stateNote(l *labels, state string) string {
	if state == "breached" {
		return " (" + l.value(state) + ")"
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// mdEscape keeps a value from breaking a table or turning into markup.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '|', '*', '_', '`', '[', ']', '#', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
