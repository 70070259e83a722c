package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/ticket/sla"
)

// world is what every ticket generator shares (read-only).
type world struct {
	cfg      *config.Config
	until    time.Time
	seed     uint64
	ids      []string
	created  []time.Time
	articles map[string]*article // by slug
	kbByScen [][]string          // per scenario: candidate slugs present in the corpus
	scenCum  []int               // cumulative scenario weights
}

type event struct {
	at                               time.Time
	by, action, from, to, note, f, v string
}

type part struct {
	name string
	qty  int
}

// ticket is one generated ticket before it is written.
type ticket struct {
	id, title, status                          string
	created                                    time.Time
	channel, category, priority, reason, assgn string
	due                                        *time.Time
	tags, kb                                   []string
	major                                      bool
	lead                                       string
	reqName, reqOrg, reqContact                string
	parts                                      []part
	fbRating, fbBy, fbVia, fbComment           string
	fbAt                                       time.Time
	breach                                     string
	events                                     []event
	body                                       string
}

// gen generates one ticket; it owns its random source so tickets can be made in parallel.
type gen struct {
	w   *world
	r   *rand.Rand
	i   int
	zh  bool
	ph  *phrases
	sc  *scenario
	si  int
	tx  *text
	t   *ticket
	dev string
	cod string
	loc string
	n   int
	dup string

	assign0     string // assignee at triage
	reopen      bool
	closedEarly string // note of a ticket closed straight from new
	symptom     string
}

func newWorld(cfg *config.Config, until time.Time, seed uint64, ids []string, created []time.Time, arts map[string]*article) *world {
	w := &world{cfg: cfg, until: until, seed: seed, ids: ids, created: created, articles: arts}
	sum := 0
	for _, sc := range scenarios {
		n := 0
		for _, s := range scenarios {
			if s.cat == sc.cat {
				n++
			}
		}
		// Spread the category's weight over its scenarios (×12 keeps it integral).
		sum += categoryWeight[sc.cat] * 12 / n
		w.scenCum = append(w.scenCum, sum)
		var kb []string
		if sc.kb != "" {
			for _, slug := range split(sc.kb) {
				if arts[slug] != nil {
					kb = append(kb, slug)
				}
			}
		}
		w.kbByScen = append(w.kbByScen, kb)
	}
	return w
}

func (w *world) ticket(i int) *ticket {
	g := &gen{w: w, i: i, r: rand.New(rand.NewPCG(w.seed, uint64(i)+1))}
	g.make()
	return g.t
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) between(a, b time.Duration) time.Duration {
	if b <= a {
		return a
	}
	return a + time.Duration(g.r.Int64N(int64(b-a)))
}

// fill replaces the placeholders of a template.
func (g *gen) fill(s string) string {
	if strings.IndexByte(s, '{') < 0 {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		switch s[i+1 : i+j] {
		case "dev":
			b.WriteString(g.dev)
		case "code":
			b.WriteString(g.cod)
		case "loc":
			b.WriteString(g.loc)
		case "n":
			b.WriteString(strconv.Itoa(g.n))
		case "org":
			b.WriteString(g.t.reqOrg)
		case "name":
			b.WriteString(g.t.reqName)
		case "dup":
			b.WriteString(g.dup)
		default:
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

func (g *gen) weighted(names []string, weights ...int) string {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	x := g.r.IntN(sum)
	for i, w := range weights {
		if x < w {
			return names[i]
		}
		x -= w
	}
	return names[len(names)-1]
}

var (
	prios    = []string{"high", "medium", "low"}
	channels = []string{"phone", "email", "chat", "portal", "onsite"}
	ratings  = []string{"satisfied", "basically_satisfied", "unsatisfied"}
)

func (g *gen) setup() {
	w, r, t := g.w, g.r, &ticket{}
	g.t = t
	t.id, t.created = w.ids[g.i], w.created[g.i]
	g.zh = r.Float64() < 0.55
	g.ph = &en
	if g.zh {
		g.ph = &zh
	}
	x := r.IntN(w.scenCum[len(w.scenCum)-1])
	si := sort.SearchInts(w.scenCum, x+1)
	g.si, g.sc = si, &scenarios[si]
	g.tx = &g.sc.en
	if g.zh {
		g.tx = &g.sc.zh
	}
	g.dev = g.pick(split(g.sc.dev))
	if g.sc.codes != "" {
		g.cod = g.pick(split(g.sc.codes))
	}
	g.n = 2 + r.IntN(8)
	t.category = g.sc.cat
	switch t.category {
	case "question":
		t.priority = g.weighted(prios, 2, 23, 75)
	case "request":
		t.priority = g.weighted(prios, 5, 40, 55)
	case "complaint":
		t.priority = g.weighted(prios, 45, 45, 10)
	default:
		t.priority = g.weighted(prios, 16, 52, 32)
	}
	if t.category == "hardware" || t.category == "other" {
		t.channel = g.weighted(channels, 30, 20, 12, 20, 18)
	} else {
		t.channel = g.weighted(channels, 24, 26, 24, 22, 4)
	}
	if g.zh {
		s, gv := strings.Split(g.pick(surnames), "="), strings.Split(g.pick(given), "=")
		t.reqName = s[0] + gv[0]
		t.reqOrg = g.pick(orgZH)
		g.loc = g.pick(locZH)
		if r.IntN(5) == 0 {
			t.reqContact = fmt.Sprintf("分机 %d", 8000+r.IntN(1000))
		} else {
			t.reqContact = fmt.Sprintf("%s.%s@example.com", gv[1], s[1])
		}
	} else {
		f, l := g.pick(first), g.pick(last)
		t.reqName = f + " " + l
		t.reqOrg = g.pick(orgEN)
		g.loc = g.pick(locEN)
		if r.IntN(5) == 0 {
			t.reqContact = fmt.Sprintf("+1 555-01%02d", r.IntN(100))
		} else {
			t.reqContact = strings.ToLower(f + "." + l + "@example.com")
		}
	}
	// Titles and symptoms of a scenario are listed in roughly the same order.
	titles, symptoms := split(g.tx.title), split(g.tx.symptom)
	k := r.IntN(len(titles))
	t.title = g.fill(titles[k])
	if k >= len(symptoms) {
		k = r.IntN(len(symptoms))
	}
	g.symptom = g.fill(symptoms[k])
	tags := split(g.sc.tags)
	t.tags = tags[:1+r.IntN(len(tags))]
	var reasons []string
	switch t.priority {
	case "high":
		reasons = g.ph.reasonHigh
	case "medium":
		reasons = g.ph.reasonMedium
	default:
		reasons = g.ph.reasonLow
	}
	t.reason = g.fill(g.pick(reasons))
}

func (g *gen) engineer() string {
	if (g.r.IntN(5) == 0) != g.zh {
		return g.pick(engineersZH)
	}
	return g.pick(engineersEN)
}

func (g *gen) agent() string {
	if (g.r.IntN(6) == 0) != g.zh {
		return g.pick(agentsZH)
	}
	return g.pick(agentsEN)
}

func mail(user string) string { return user + "@example.com" }

// isBusinessDay reports whether the day of t, in the desk's time zone, is a working day
// of desk.toml's calendar.
func isBusinessDay(cfg *config.Config, t time.Time) bool {
	return cfg.Cal.IsBusinessDay(sla.DateOf(t.In(cfg.Location)))
}

// window returns the business hours of the day of t, in the desk's time zone (whether
// or not that day is a working day).
func window(cfg *config.Config, t time.Time) (open, close time.Time) {
	t = t.In(cfg.Location)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cfg.Location)
	return day.Add(cfg.Cal.Open), day.Add(cfg.Cal.Close)
}

// work moves a time into business hours: to a little after the next opening if it is
// outside them.
func (g *gen) work(t time.Time) time.Time {
	c := g.w.cfg
	open, close := window(c, t)
	if isBusinessDay(c, t) && !t.Before(open) && t.Before(close) {
		return t
	}
	return g.nextOpen(t).Add(g.between(2*time.Minute, 50*time.Minute))
}

// nextOpen is the first opening of business hours at or after t.
func (g *gen) nextOpen(t time.Time) time.Time {
	c := g.w.cfg
	open, _ := window(c, t)
	for open.Before(t) || !isBusinessDay(c, open) {
		open, _ = window(c, open.AddDate(0, 0, 1))
	}
	return open
}

// addBusiness returns the time d of business time after t, starting from t moved into
// business hours as work moves it.
func (g *gen) addBusiness(t time.Time, d time.Duration) time.Time {
	return g.w.cfg.Cal.AddBusiness(g.work(t), d)
}

// target is an SLA target of desk.toml as a length of (business or wall) time.
type target struct {
	D        time.Duration
	Business bool
}

func (w *world) target(d *sla.Target) target {
	return target{D: d.Length(d.Calendar), Business: d.Business()}
}

// hline is a line of the handling record.
type hline struct {
	at   time.Time
	text string
}

func (g *gen) make() {
	g.setup()
	w, r, t, ph := g.w, g.r, g.t, g.ph
	cfg := w.cfg
	ts := cfg.Targets(t.category, t.priority)
	rd, sd := ts.Respond, ts.Resolve
	if rd == nil || sd == nil {
		panic(fmt.Sprintf("desk.toml has no SLA targets for priority %q, category %q", t.priority, t.category))
	}
	respond, resolve := w.target(rd), w.target(sd)
	age := w.until.Sub(t.created)
	t.major = t.priority == "high" && (t.category == "software" || t.category == "hardware" || t.category == "other") &&
		r.IntN(40) == 0 && age > 14*time.Hour
	urgent := t.priority == "high" // handled around the clock
	at := func(x time.Time) time.Time {
		if urgent {
			return x
		}
		return g.work(x)
	}
	// Outside business hours the desk still works to meet a target (extended hours,
	// on call), except on the tickets that slip.
	late := r.IntN(100) < 6
	snap := func(x, deadline time.Time) time.Time {
		if w := at(x); !w.After(deadline) || late {
			return w
		}
		return x
	}
	deadline := func(sp target) time.Time {
		if sp.Business {
			return g.addBusiness(t.created, sp.D*9/10)
		}
		return t.created.Add(sp.D * 9 / 10)
	}
	respondBy, resolveBy := deadline(respond), deadline(resolve)
	agent, eng := g.agent(), g.engineer()
	var ev []event
	add := func(e event) { ev = append(ev, e) }
	status := "new"
	move := func(x time.Time, by, to, note string) {
		add(event{at: x, by: mail(by), action: "transition", from: status, to: to, note: note})
		status = to
	}
	var handling []hline
	step := func(x time.Time, text string) { handling = append(handling, hline{x, text}) }

	by := mail(agent)
	if t.channel == "portal" && strings.Contains(t.reqContact, "@") {
		by = t.reqContact
	}
	add(event{at: t.created, by: by, action: "create", to: "new"})

	// Stalled tickets stay open; recent ones far more often than old ones.
	stall := ""
	var p float64
	switch {
	case age < 7*24*time.Hour:
		p = 0.6
	case age < 30*24*time.Hour:
		p = 0.3
	case age < 90*24*time.Hour:
		p = 0.12
	default:
		p = 0.045
	}
	if !t.major && r.Float64() < p {
		stall = g.weighted([]string{"new", "triaged", "in_progress", "pending", "resolved"}, 10, 22, 33, 22, 13)
		if stall == "new" && age > 30*24*time.Hour {
			stall = "triaged"
		}
	}

	// First response: mostly within the target, sometimes not. (A complaint may have a
	// long respond target and a short resolve target: respond by the shorter one.)
	respD := respond.D
	if !resolve.Business && resolve.D/2 < respD {
		respD = resolve.D / 2
	}
	var d time.Duration
	switch {
	case t.major:
		d = g.between(3*time.Minute, 25*time.Minute)
	case r.IntN(100) < 5:
		d = time.Duration(float64(respD) * (1.1 + r.Float64()*1.5))
	default:
		d = time.Duration(float64(respD) * (0.03 + r.Float64()*0.55))
	}
	x := snap(t.created.Add(d), respondBy)
	if !t.major && r.IntN(8) == 0 {
		add(event{at: t.created.Add(x.Sub(t.created) / 3), by: mail(agent), action: "comment", note: g.pick(ph.comments)})
	}

	kind := r.IntN(100)
	switch {
	case !t.major && kind < 3: // duplicate or withdrawn: closed straight from new
		g.assign0 = agent
		var note string
		if kind < 2 && g.i > 0 {
			g.dup = w.ids[g.i-1-r.IntN(min(g.i, 40))]
			note = g.fill(g.pick(ph.duplicate))
		} else {
			note = g.pick(ph.withdrawn)
		}
		g.closedEarly = note
		step(x, note)
		fb := x.Add(g.between(0, 3*time.Minute))
		g.feedback(&ev, fb, agent, g.weighted(ratings, 70, 30, 0))
		move(fb.Add(time.Minute), agent, "closed", note)
	default:
		if !t.major && kind < 16 { // answered on first contact by the agent
			g.assign0 = agent
			eng = agent
			move(x, agent, "in_progress", g.triageNote())
		} else {
			g.assign0 = eng
			move(x, agent, "triaged", g.triageNote())
			if t.major {
				t.lead = g.pick(leads)
				x = x.Add(g.between(time.Minute, 5*time.Minute))
				add(event{at: x, by: mail(t.lead), action: "update", f: "major", v: "true", note: g.pick(ph.majorTeam)})
			} else if r.IntN(8) == 0 {
				x = x.Add(g.between(5*time.Minute, time.Hour))
				for old := eng; eng == old; {
					eng = g.engineer()
				}
				add(event{at: x, by: mail(agent), action: "assign", f: "assignee", v: eng})
			}
			if t.major {
				x = x.Add(g.between(2*time.Minute, 10*time.Minute))
			} else {
				x = snap(x.Add(time.Duration(float64(respD)*r.Float64()*0.5)), resolveBy)
			}
			move(x, eng, "in_progress", "")
		}
		start := x
		steps := g.steps()

		// When is it resolved? A share of tickets misses its target.
		f := 0.08 + r.Float64()*0.62
		if r.IntN(100) < 5 {
			f = 1.05 + r.Float64()*1.8
		}
		span := time.Duration(float64(resolve.D) * f)
		var end time.Time
		if resolve.Business {
			end = g.addBusiness(t.created, span)
		} else {
			end = snap(t.created.Add(span), resolveBy)
		}
		if t.major {
			end = start.Add(g.between(40*time.Minute, 170*time.Minute))
		}
		if lo := start.Add(10 * time.Minute); end.Before(lo) {
			end = lo.Add(g.between(0, time.Hour))
		}

		if t.major {
			// Progress updates at most 2 h apart.
			k := int(end.Sub(start)/(100*time.Minute)) + 1
			for j := 1; j <= k; j++ {
				y := start.Add(end.Sub(start) * time.Duration(j) / time.Duration(k+1))
				add(event{at: y, by: mail(t.lead), action: "comment", note: ph.majorUpdate[min(j-1, len(ph.majorUpdate)-1)]})
				step(y, steps[min(j-1, len(steps)-1)])
			}
		} else {
			pause := r.IntN(100) < map[bool]int{true: 30, false: 17}[t.category == "hardware"]
			reopen := !pause && r.IntN(100) < 4
			g.reopen = reopen
			nc := r.IntN(3)
			if pause || reopen {
				nc = r.IntN(2)
			}
			// Comments and steps at random times; a pause pushes everything after it later.
			ts := make([]time.Time, nc+len(steps))
			for j := range ts {
				ts[j] = snap(start.Add(time.Duration(r.Int64N(int64(end.Sub(start))+1))), resolveBy)
			}
			sort.Slice(ts, func(a, b int) bool { return ts[a].Before(ts[b]) })
			isComment := make([]bool, len(ts))
			for _, j := range r.Perm(len(ts))[:nc] {
				isComment[j] = true
			}
			var pauseAt, resume time.Time
			var shift time.Duration
			if pause {
				pauseAt = snap(start.Add(time.Duration(float64(end.Sub(start))*(0.2+0.4*r.Float64()))), resolveBy)
				resume = at(pauseAt.Add(g.between(2*time.Hour, 5*24*time.Hour)))
				shift = resume.Sub(pauseAt)
				resolveBy = resolveBy.Add(shift)
				end = snap(end.Add(shift), resolveBy)
			}
			var phase []event
			si := 0
			for j, y := range ts {
				if pause && y.After(pauseAt) {
					y = y.Add(shift)
				}
				if !y.Before(end) {
					end = snap(y.Add(g.between(5*time.Minute, time.Hour)), resolveBy)
				}
				if isComment[j] {
					phase = append(phase, event{at: y, by: mail(eng), action: "comment", note: g.pick(ph.comments)})
				} else {
					step(y, steps[si])
					si++
				}
			}
			if pause {
				why := r.IntN(len(ph.pending))
				phase = append(phase, event{at: pauseAt, by: mail(eng), action: "transition", from: "in_progress", to: "pending", note: ph.pending[why]})
				step(pauseAt, ph.pending[why])
				if r.IntN(100) < 85 {
					phase = append(phase, event{at: resume, by: mail(eng), action: "transition", from: "pending", to: "in_progress", note: ph.resume[why]})
				} else {
					// Resolved straight from pending, when the part or answer arrives.
					for _, e := range phase {
						if e.at.After(end) {
							end = e.at
						}
					}
					end = end.Add(g.between(5*time.Minute, time.Hour))
				}
			}
			sort.SliceStable(phase, func(a, b int) bool { return phase[a].at.Before(phase[b].at) })
			for _, e := range phase {
				if e.to != "" {
					status = e.to
				}
				if e.at.After(end.Add(-5 * time.Minute)) {
					end = snap(e.at.Add(g.between(5*time.Minute, time.Hour)), resolveBy)
				}
			}
			ev = append(ev, phase...)
		}
		move(end, eng, "resolved", g.fill(g.pick(split(g.tx.resolution))))
		resolvedAt := end
		if g.reopen {
			y := g.work(end.Add(g.between(2*time.Hour, 3*24*time.Hour)))
			note := g.pick(ph.reopen)
			move(y, eng, "in_progress", note)
			step(y, note)
			z := at(y.Add(g.between(30*time.Minute, 24*time.Hour)))
			step(z.Add(-5*time.Minute), g.pick(split(g.tx.steps)))
			move(z, eng, "resolved", g.fill(g.pick(split(g.tx.resolution))))
			resolvedAt = z
		}
		// Confirmation and closing.
		var fb time.Time
		if t.major {
			fb = resolvedAt.Add(g.between(20*time.Minute, 80*time.Minute))
		} else {
			fb = g.work(resolvedAt.Add(g.between(20*time.Minute, 3*24*time.Hour)))
		}
		g.feedback(&ev, fb, agent, g.weighted(ratings, 76, 18, 6))
		closer := agent
		if t.major {
			closer = t.lead
		}
		move(fb.Add(g.between(0, 5*time.Minute)), closer, "closed", "")
	}
	if closedAt := ev[len(ev)-1].at; closedAt.Add(30*24*time.Hour).Before(w.until) && r.IntN(100) < 80 {
		y := g.work(closedAt.Add(g.between(30*24*time.Hour, 120*24*time.Hour)))
		move(y, agent, "archived", g.pick(ph.archive))
	}

	// Cut the log at the stall status and at the reference time.
	ev = g.cut(ev, stall)
	for len(ev) > 10 {
		ev = dropOne(ev)
	}
	t.events = ev
	g.finish(handling, respond, resolve)
}

func (g *gen) feedback(ev *[]event, at time.Time, agent, rating string) {
	t := g.t
	t.fbRating, t.fbBy, t.fbAt = rating, t.reqName, at
	t.fbVia = t.channel
	if t.fbVia == "onsite" && g.r.IntN(2) == 0 {
		t.fbVia = "phone"
	}
	if g.r.IntN(3) == 0 {
		t.fbComment = g.pick(g.ph.feedbackComment)
	}
	name := map[string]string{"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}[rating]
	if !g.zh {
		name = strings.ReplaceAll(rating, "_", " ")
	}
	// The wording follows the channel of the confirmation (phrases are in channel order).
	note := strings.ReplaceAll(g.ph.feedback[slices.Index(channels, t.fbVia)], "{rating}", name)
	*ev = append(*ev, event{at: at, by: mail(agent), action: "feedback", note: note})
}

func (g *gen) triageNote() string {
	t := g.t
	if g.zh {
		return g.ph.catName[t.category] + "；" + g.ph.prioName[t.priority] + "：" + t.reason
	}
	return g.ph.catName[t.category] + "; " + g.ph.prioName[t.priority] + ": " + t.reason
}

// steps picks the handling steps of this ticket.
func (g *gen) steps() []string {
	own := split(g.tx.steps)
	n := 2 + g.r.IntN(min(4, len(own)-1))
	start := g.r.IntN(len(own) - n + 1)
	out := append([]string(nil), own[start:start+n]...)
	if g.r.IntN(3) == 0 {
		out = append([]string{g.pick(g.ph.extraSteps)}, out...)
	}
	return out
}

// cut ends the log at the first arrival at the stall status (plus a comment or two
// later on) and drops everything after the reference time.
func (g *gen) cut(ev []event, stall string) []event {
	until := g.w.until
	if stall != "" {
		idx := -1
		for i, e := range ev {
			if e.to == stall {
				idx = i
				break
			}
		}
		pause := false
		if idx < 0 && stall != "new" {
			for i, e := range ev {
				if e.to == "in_progress" {
					idx = i
					break
				}
			}
			pause = stall == "pending" && idx >= 0
		}
		if idx < 0 {
			idx = 0
		}
		last := ev[idx]
		ev = ev[: idx+1 : idx+1]
		if lim := min(until.Sub(last.at), 3*24*time.Hour); pause && lim > 10*time.Minute {
			// Waiting for something that has not come yet.
			y := g.work(last.at.Add(g.between(5*time.Minute, lim)))
			if !y.After(until) {
				last = event{at: y, by: last.by, action: "transition", from: "in_progress", to: "pending", note: g.pick(g.ph.pending)}
				ev = append(ev, last)
			}
		}
		for k := g.r.IntN(3); k > 0; k-- {
			lim := until.Sub(last.at)
			if lim > 20*24*time.Hour {
				lim = 20 * 24 * time.Hour
			}
			if lim < 10*time.Minute {
				break
			}
			y := last.at.Add(g.between(5*time.Minute, lim))
			who := mail(g.assign0)
			if last.to == "new" || g.assign0 == "" {
				who = mail(g.agent())
			}
			e := event{at: y, by: who, action: "comment", note: g.pick(g.ph.comments)}
			if last.to == "pending" {
				e.note = g.pick(g.ph.pending)
			}
			ev = append(ev, e)
			last = e
		}
	}
	n := len(ev)
	for n > 1 && ev[n-1].at.After(until) {
		n--
	}
	ev = ev[:n]
	if len(ev) == 1 && ev[0].at.Add(30*time.Minute).Before(until) {
		// A brand-new ticket: the agent has at least looked at it.
		y := ev[0].at.Add(g.between(5*time.Minute, min(until.Sub(ev[0].at), 6*time.Hour)))
		by := mail(g.agent())
		ev = append(ev, event{at: y, by: by, action: "comment", note: g.pick(g.ph.comments)})
	}
	return ev
}

// dropOne removes the first comment or assignment (never a transition).
func dropOne(ev []event) []event {
	for _, kind := range []string{"comment", "assign"} {
		for i, e := range ev {
			if e.action == kind {
				return append(ev[:i:i], ev[i+1:]...)
			}
		}
	}
	// Only transitions left: drop the archive at the end.
	if ev[len(ev)-1].to == "archived" {
		return ev[:len(ev)-1]
	}
	return ev[:10]
}
