package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	deskticket "github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/sla"
)

// finish derives the fields that depend on how far the (cut) log got, writes the body
// and explains a missed SLA target.
func (g *gen) finish(handling []hline, respond, resolve target) {
	t, r, ph, w := g.t, g.r, g.ph, g.w
	cfg := w.cfg
	ev := t.events
	last := ev[len(ev)-1].at
	reached := map[string]bool{}
	assignee, feedback := g.assign0, false
	for _, e := range ev {
		if e.to != "" {
			t.status = e.to
			reached[e.to] = true
		}
		switch e.action {
		case "feedback":
			feedback = true
		case "assign":
			assignee = e.v
		}
	}
	if len(reached) > 1 {
		t.assgn = assignee
	}
	if !feedback {
		t.fbRating, t.fbBy, t.fbVia, t.fbComment = "", "", "", ""
	}
	worked := reached["in_progress"] || reached["pending"] || reached["resolved"]
	done := reached["resolved"] || reached["closed"]

	if done && g.sc.parts != "" && (t.category == "hardware" || t.category == "request") && r.IntN(2) == 0 {
		ps := split(g.sc.parts)
		for _, j := range r.Perm(len(ps))[:1+r.IntN(min(2, len(ps)))] {
			names := strings.Split(ps[j], "=")
			name := names[1]
			if g.zh {
				name = names[0]
			}
			qty := 1
			if strings.Contains(name, "线") || strings.Contains(name, "cable") {
				qty += r.IntN(3)
			}
			t.parts = append(t.parts, part{name, qty})
		}
	}
	if r.IntN(100) < 12 {
		var due time.Time
		if resolve.Business {
			due = g.addBusiness(t.created, resolve.D)
		} else {
			due = t.created.Add(resolve.D)
		}
		due = due.Truncate(time.Hour).Add(time.Hour)
		t.due = &due
	}
	if kb := w.kbByScen[g.si]; len(kb) > 0 && r.IntN(100) < 15 {
		for _, j := range r.Perm(len(kb))[:1+r.IntN(min(2, len(kb)))] {
			if a := w.articles[kb[j]]; !a.mentions(t.reqName, t.reqContact) {
				t.kb = append(t.kb, kb[j])
			}
		}
	}

	// Body, sized between about 0.5 and 3 KB.
	target := min(380+int(r.ExpFloat64()*850), 3000)
	var b strings.Builder
	b.Grow(target + 512)
	sec := func(key string) { fmt.Fprintf(&b, "\n## %s\n\n", cfg.Heading(key)) }

	sec("description")
	descTarget := target * 3 / 5
	if !done {
		descTarget = target * 3 / 4
	}
	start := b.Len()
	head := ph.descHead[map[string]int{"phone": 0, "email": 1, "chat": 2, "portal": 3, "onsite": 4}[t.channel]]
	b.WriteString(g.fill(head))
	b.WriteString(g.sep())
	b.WriteString(g.symptom)
	b.WriteString("\n\n")
	if g.cod != "" && r.IntN(100) < 55 {
		g.logBlock(&b, 2+r.IntN(4))
	}
	impact := g.pick(ph.impact)
	if t.major {
		impact = ph.impact[1]
	}
	seen := t.created.Add(-time.Duration(r.IntN(180)) * time.Minute).In(cfg.Location).Format("2006-01-02 15:04")
	if g.zh {
		fmt.Fprintf(&b, "- 发生时间：%s 左右\n- 触发操作：%s\n- 影响范围：%s\n", seen, g.pick(ph.trigger), g.fill(impact))
	} else {
		fmt.Fprintf(&b, "- First seen: about %s\n- Trigger: %s\n- Impact: %s\n", seen, g.pick(ph.trigger), g.fill(impact))
	}
	facts := g.facts()
	for _, j := range r.Perm(len(facts))[:r.IntN(len(facts))] {
		fmt.Fprintf(&b, "- %s\n", facts[j])
	}
	b.WriteString("\n")
	g.extras(&b, start, descTarget, ph.extraDesc)
	if left := descTarget - (b.Len() - start); left > 200 {
		// A long ticket: the requester pasted a log.
		b.WriteString("\n")
		g.logBlock(&b, min(left/80, 30))
	}

	sec("analysis")
	if worked || (reached["triaged"] && r.IntN(3) == 0) {
		start := b.Len()
		an := split(g.tx.analysis)
		b.WriteString(g.fill(an[r.IntN(len(an))]))
		b.WriteString("\n\n")
		g.extras(&b, start, target/5, ph.extraAnalysis)
	}

	sec("handling")
	sort.SliceStable(handling, func(i, j int) bool { return handling[i].at.Before(handling[j].at) })
	for _, h := range handling {
		if !h.at.After(last) {
			stamp := h.at.In(cfg.Location).Format("2 Jan 15:04")
			if g.zh {
				stamp = h.at.In(cfg.Location).Format("01-02 15:04")
			}
			fmt.Fprintf(&b, "- %s %s\n", stamp, g.fill(h.text))
		}
	}

	sec("resolution")
	if done {
		if g.closedEarly != "" {
			b.WriteString(g.closedEarly)
		} else {
			b.WriteString(g.fill(g.pick(split(g.tx.resolution))))
			b.WriteString(g.sep())
			b.WriteString(g.pick(ph.followUp))
		}
		b.WriteString("\n")
	}
	if t.major && reached["closed"] {
		sec("postmortem")
		g.postmortem(&b)
	}
	t.body = b.String()

	// A stopped clock that missed its target (or came close) gets a reason.
	ct := &deskticket.Ticket{Created: t.created, Priority: t.priority, Category: t.category}
	for _, e := range ev {
		ct.Events = append(ct.Events, deskticket.Event{At: e.at, Action: e.action, From: e.from, To: e.to})
	}
	clocks := cfg.Clocks(ct, w.until)
	close := func(c *sla.Clock) bool { return float64(c.Elapsed) > 0.97*float64(c.Target.Length(cfg.Cal)) }
	// The generated log has no public replies: an update clock, where
	// desk.toml sets one, missed its target on a long ticket.
	missedUpdate := clocks.Update != nil && (clocks.Update.Missed > 0 || close(clocks.Update))
	if clocks.Resolve.At != nil && (close(clocks.Respond) || close(clocks.Resolve) || missedUpdate) {
		t.breach = g.pick(ph.breach)
	}
}

func (g *gen) sep() string {
	if g.zh {
		return ""
	}
	return " "
}

// extras appends a paragraph of sentences from pool until the section since start
// reaches target bytes.
func (g *gen) extras(b *strings.Builder, start, target int, pool []string) {
	n := 0
	for _, j := range g.r.Perm(len(pool)) {
		if b.Len()-start >= target {
			break
		}
		if n > 0 {
			b.WriteString(g.sep())
		}
		b.WriteString(g.fill(pool[j]))
		n++
	}
	if n > 0 {
		b.WriteString("\n")
	}
}

// facts are varied lines a requester or agent adds: asset tags, versions, addresses.
func (g *gen) facts() []string {
	r := g.r
	asset := fmt.Sprintf("%s-%s-%04d", g.pick(split("FIN|HR|SAL|MKT|ENG|OPS|CS|LEG|PRC|LOG")), g.pick(split("LT|PC|PR|MN|PH")), r.IntN(10000))
	osv := g.pick(split("Windows 11 23H2 (22631.4460)|Windows 11 24H2 (26100.2314)|Windows 10 22H2 (19045.5131)|macOS 14.6 Sonoma|macOS 15.1 Sequoia|Ubuntu 22.04 LTS"))
	ip := fmt.Sprintf("10.%d.%d.%d", 10+r.IntN(40), r.IntN(255), 2+r.IntN(250))
	host := fmt.Sprintf("%s-%s-%04d", g.pick(split("SH|BJ|SZ|HZ|LDN|NYC")), g.pick(split("FIN|HR|SAL|ENG|OPS")), r.IntN(10000))
	if g.zh {
		return []string{"资产编号：" + asset, "系统版本：" + osv, "IP 地址：" + ip + "，计算机名：" + host, "设备：" + g.dev}
	}
	return []string{"Asset tag: " + asset, "OS: " + osv, "IP address: " + ip + ", host name: " + host, "Device: " + g.dev}
}

// logBlock writes n log lines ending in the error.
func (g *gen) logBlock(b *strings.Builder, n int) {
	r := g.r
	t := g.t.created.In(g.w.cfg.Location).Add(-time.Duration(r.IntN(3600)) * time.Second)
	comp := split(g.sc.tags)[0]
	fail := g.cod
	if fail == "" {
		fail = g.pick(logErrors)
	}
	b.WriteString("```\n")
	for i := 0; i < n; i++ {
		t = t.Add(time.Duration(1+r.IntN(90)) * time.Second)
		level, msg := "INFO", g.pick(logInfo)
		switch {
		case i == n-1 || r.IntN(4) == 0:
			level, msg = "ERROR", fail
		case r.IntN(3) == 0:
			level, msg = "WARN", g.pick(logWarn)
		}
		fmt.Fprintf(b, "%s %-5s [%s] %s %s\n", t.Format("2006-01-02 15:04:05"), level, comp, g.dev, msg)
	}
	b.WriteString("```\n\n")
}

func (g *gen) postmortem(b *strings.Builder) {
	ev := g.t.events
	var resolvedAt time.Time
	for _, e := range ev {
		if e.to == "resolved" && resolvedAt.IsZero() {
			resolvedAt = e.at
		}
	}
	d := resolvedAt.Sub(g.t.created).Round(time.Minute)
	an := split(g.tx.analysis)
	if g.zh {
		fmt.Fprintf(b, "**影响**：%s约 %d0 人受影响，中断 %d 小时 %d 分钟。\n\n", g.t.reqOrg, g.n, int(d.Hours()), int(d.Minutes())%60)
		fmt.Fprintf(b, "**根因**：%s\n\n", g.fill(g.pick(an)))
		b.WriteString("**改进措施**：\n\n")
		for i, m := range g.r.Perm(4)[:2+g.r.IntN(2)] {
			fmt.Fprintf(b, "%d. %s\n", i+1, split("相关变更纳入变更评审|增加监控告警，异常 5 分钟内通知值班人员|更新应急预案并组织演练|知识库补充本次故障的识别与处理方法")[m])
		}
		return
	}
	fmt.Fprintf(b, "**Impact**: about %d0 people in %s affected for %dh%02dm.\n\n", g.n, g.t.reqOrg, int(d.Hours()), int(d.Minutes())%60)
	fmt.Fprintf(b, "**Root cause**: %s\n\n", g.fill(g.pick(an)))
	b.WriteString("**Actions**:\n\n")
	for i, m := range g.r.Perm(4)[:2+g.r.IntN(2)] {
		fmt.Fprintf(b, "%d. %s\n", i+1, split("Put such changes through change review|Alert the on-call engineer within 5 minutes|Update the incident runbook and rehearse it|Add detection and fix to the knowledge base")[m])
	}
}

var (
	logInfo   = split("connection opened|request sent|session started|queue length 3|heartbeat ok|user logged in|config loaded|sync started|job queued|cache warmed|policy applied|update check finished")
	logWarn   = split("retrying in 5 s|slow response (4.2 s)|certificate expires in 7 days|disk usage 91 %|queue length 48|packet loss 12 %|fallback to cached credentials")
	logErrors = split("timeout after 30 s|connection reset by peer|access denied|device not ready|retry limit exceeded|service unavailable|checksum mismatch")
)
