package report

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/sla"
)

// Options are the choices of one report.
type Options struct {
	Period Period
	// Now is the clock. The figures of a period are taken at its end, or
	// at Now when the period is not over yet.
	Now time.Time
	// Trend is the number of periods in the trend, the report's own
	// included; 0 means 6.
	Trend int
	// Top is the length of the lists of tags and problem titles; 0 means 10.
	Top int
}

// Report is every figure of one period. Its JSON form is the json format
// (see the package documentation); the other formats render it.
type Report struct {
	Language     string       `json:"language"`
	Timezone     string       `json:"timezone"`
	Generated    time.Time    `json:"generated"`
	Period       PeriodInfo   `json:"period"`
	Tickets      Counts       `json:"tickets"`
	Backlog      Backlog      `json:"backlog"`
	Shares       Shares       `json:"shares"`
	Tags         []Share      `json:"tags"`
	Titles       []Share      `json:"titles"`
	SLA          SLA          `json:"sla"`
	Satisfaction Satisfaction `json:"satisfaction"`
	Assignees    []Assignee   `json:"assignees"`
	Major        []Incident   `json:"major"`
	Parts        []PartUse    `json:"parts"`
	Escalations  []Escalation `json:"escalations"`
	Previous     Summary      `json:"previous"`
	Delta        Delta        `json:"delta"`
	Trend        []Summary    `json:"trend"`
	Skipped      []string     `json:"skipped"`
}

// PeriodInfo is the period of a report and the instant its figures are
// taken at.
type PeriodInfo struct {
	Name  string    `json:"name"`
	Kind  string    `json:"kind"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// AsOf is End, or now when the period is not over yet (Partial).
	AsOf    time.Time `json:"as_of"`
	Partial bool      `json:"partial"`
}

// Counts are the tickets that went through each step in the period.
type Counts struct {
	Opened   int `json:"opened"`
	Resolved int `json:"resolved"`
	Closed   int `json:"closed"`
	Reopened int `json:"reopened"`
}

// Backlog is the open tickets at the end of the period and their age
// (wall time since created).
type Backlog struct {
	Open          int      `json:"open"`
	Median        *string  `json:"median"`
	P90           *string  `json:"p90"`
	Oldest        *string  `json:"oldest"`
	MedianMinutes *float64 `json:"median_minutes"`
	P90Minutes    *float64 `json:"p90_minutes"`
	OldestMinutes *float64 `json:"oldest_minutes"`
	OldestID      *string  `json:"oldest_id"`
}

// Share is a value and how many tickets have it, with its share of the
// whole (tickets opened, or ratings given).
type Share struct {
	Name  string  `json:"name"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

// Shares are the tickets opened in the period by category, channel and
// priority; "" stands for tickets without one.
type Shares struct {
	Category []Share `json:"category"`
	Channel  []Share `json:"channel"`
	Priority []Share `json:"priority"`
}

// SLA is the attainment and the times of the clocks. Update, the
// keep-in-touch clock's attainment (no times), is there only when
// desk.toml sets an update target.
type SLA struct {
	Respond ClockTable  `json:"respond"`
	Resolve ClockTable  `json:"resolve"`
	Update  *ClockTable `json:"update,omitempty"`
}

// ClockTable is one clock: a row per priority, in the configured order, and
// the total.
type ClockTable struct {
	Priorities []ClockRow `json:"priorities"`
	Total      Rate       `json:"total"`
}

// Rate is met ÷ (met + breached); nil when both are zero.
type Rate struct {
	Met      int      `json:"met"`
	Breached int      `json:"breached"`
	Rate     *float64 `json:"rate"`
}

// ClockRow is one clock of the tickets of one priority: the attainment of
// the clocks settled in the period and the times of those that stopped in
// it, in the clock's own units.
type ClockRow struct {
	Priority string `json:"priority"`
	Target   string `json:"target"` // the priority's target in desk.toml
	Rate
	Times []Times `json:"times"`
}

// Times are the median and 90th percentile of the clocks that stopped in
// the period. Unit is "h" for elapsed time and "bh" for business time; a
// priority whose clocks mix both has one Times of each.
type Times struct {
	Unit          string  `json:"unit"`
	Count         int     `json:"count"`
	Median        string  `json:"median"`
	P90           string  `json:"p90"`
	MedianMinutes float64 `json:"median_minutes"`
	P90Minutes    float64 `json:"p90_minutes"`
}

// Satisfaction is the feedback given in the period.
type Satisfaction struct {
	Rated   int     `json:"rated"`
	Ratings []Share `json:"ratings"`
	// Rate is (satisfied + basically_satisfied) ÷ rated.
	Rate *float64 `json:"rate"`
}

// Assignee is one engineer's figures: tickets handled (with an event in the
// period), resolved in it, open at its end; the on-time rate of the
// resolution clocks settled in it; the satisfaction of the feedback given
// in it.
type Assignee struct {
	Name         string   `json:"name"`
	Handled      int      `json:"handled"`
	Resolved     int      `json:"resolved"`
	Open         int      `json:"open"`
	Met          int      `json:"met"`
	Breached     int      `json:"breached"`
	OnTime       *float64 `json:"on_time"`
	Rated        int      `json:"rated"`
	Positive     int      `json:"positive"` // satisfied or basically satisfied
	Satisfaction *float64 `json:"satisfaction"`
}

// Incident is a major ticket of the period: opened in it, or open at its
// start.
type Incident struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Status   string     `json:"status"` // at the end of the period
	Priority string     `json:"priority"`
	Lead     string     `json:"lead"`
	Created  time.Time  `json:"created"`
	Resolved *time.Time `json:"resolved"`
	// Elapsed is the resolution clock's counted time, in its units, at
	// the resolution or at the end of the period.
	Elapsed string `json:"elapsed"`
	State   string `json:"state"` // of the resolution clock
}

// PartUse is a spare part and the quantity used by the tickets resolved in
// the period.
type PartUse struct {
	Name    string `json:"name"`
	Qty     int    `json:"qty"`
	Tickets int    `json:"tickets"`
}

// Escalation is a rule of desk escalate and the tickets it escalated in
// the period.
type Escalation struct {
	Rule    string `json:"rule"`
	Tickets int    `json:"tickets"`
}

// Summary is the headline of one period, for the comparison and the trend.
type Summary struct {
	Period       string    `json:"period"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Opened       int       `json:"opened"`
	Resolved     int       `json:"resolved"`
	Closed       int       `json:"closed"`
	Reopened     int       `json:"reopened"`
	Backlog      int       `json:"backlog"`
	Respond      *float64  `json:"respond"`      // attainment
	Resolve      *float64  `json:"resolve"`      // attainment
	Satisfaction *float64  `json:"satisfaction"` // rate
}

// Delta is this period less the previous one; rates are differences of
// shares (0.05 is 5 percentage points), nil when either side has none.
type Delta struct {
	Opened       int      `json:"opened"`
	Resolved     int      `json:"resolved"`
	Closed       int      `json:"closed"`
	Reopened     int      `json:"reopened"`
	Backlog      int      `json:"backlog"`
	Respond      *float64 `json:"respond"`
	Resolve      *float64 `json:"resolve"`
	Satisfaction *float64 `json:"satisfaction"`
}

// Build reads every ticket of src (a repository, through its record cache)
// under configuration cfg and computes the report of opts.Period. Files that
// do not parse are listed in Skipped.
func Build(ctx context.Context, cfg *config.Config, src records.Source, opts Options) (*Report, error) {
	c := newComputer(cfg, opts)
	end := c.windows[0].cut
	first := c.windows[len(c.windows)-1].p.Start
	// A ticket counts if it was created by the end, and is open or changed
	// since the first period began: a ticket closed before it changes no
	// figure (the cache's head says so without decoding the ticket).
	keep := func(h *records.Head) bool {
		return !h.Created.After(end) && (cfg.Open(h.Status) || h.Updated.IsZero() || !h.Updated.Before(first))
	}
	fn := func(rec *records.Record) error {
		if rec.Err != nil {
			c.skipped = append(c.skipped, strings.Clone(rec.Path))
			return nil
		}
		c.add(&rec.Ticket, nil)
		return nil
	}
	var err error
	if ps, ok := src.(parallelSource); ok {
		// Each ticket's log and clocks are read on all cores (the clocks
		// are most of a report's work); the counting is in order.
		var mu sync.Mutex
		prep := map[*records.Record][]prepared{}
		each := func(rec *records.Record) {
			if rec.Err == nil {
				p := c.prepareAll(&rec.Ticket)
				mu.Lock()
				prep[rec] = p
				mu.Unlock()
			}
		}
		err = ps.EachRecordThen(ctx, keep, each, func(rec *records.Record) error {
			if rec.Err != nil {
				return fn(rec)
			}
			mu.Lock()
			p := prep[rec]
			delete(prep, rec)
			mu.Unlock()
			c.add(&rec.Ticket, p)
			return nil
		})
	} else {
		err = src.EachRecord(ctx, keep, fn)
	}
	if err != nil {
		return nil, err
	}
	return c.report(), nil
}

// parallelSource is a Source that can run work on each record on all
// cores before handing them over in order (*repo.Repo).
type parallelSource interface {
	EachRecordThen(ctx context.Context, keep records.Filter, each func(*records.Record), fn func(*records.Record) error) error
}

// Compute is Build over tickets already read.
func Compute(cfg *config.Config, opts Options, tickets []*ticket.Ticket) *Report {
	c := newComputer(cfg, opts)
	for _, t := range tickets {
		c.add(t, nil)
	}
	return c.report()
}

// computer accumulates the figures of the report's period and of the
// periods of its trend.
type computer struct {
	cfg      *config.Config
	opts     Options
	windows  []*window // the report's period first, then the ones before it
	resolved map[string]bool
	skipped  []string
}

func newComputer(cfg *config.Config, opts Options) *computer {
	if opts.Trend <= 0 {
		opts.Trend = 6
	}
	if opts.Top <= 0 {
		opts.Top = 10
	}
	c := &computer{cfg: cfg, opts: opts, resolved: cfg.Policy.Resolved}
	p := opts.Period
	for i := 0; i < max(opts.Trend, 2); i++ {
		c.windows = append(c.windows, newWindow(p, opts.Now, i == 0))
		p = p.Previous()
	}
	return c
}

// window is one period being counted. cut is the instant its figures are
// taken at: the end of the period, or now. An event belongs to it when it
// is at or after the start and before the end, and not after now.
type window struct {
	p       Period
	cut     time.Time
	partial bool
	full    bool // the report's own period: every figure, not only the summary

	counts     Counts
	ages       []time.Duration
	oldest     time.Duration
	oldestID   string
	category   map[string]int
	channel    map[string]int
	priority   map[string]int
	tags       map[string]int
	titles     map[string]*titleCount
	respond    map[string]*clockAcc
	resolve    map[string]*clockAcc
	update     map[string]*clockAcc
	ratings    map[string]int
	people     map[string]*Assignee
	major      []Incident
	parts      map[string]*PartUse
	partsOrder []string
	escalated  map[string]int // escalate events of the period, by rule
}

type titleCount struct {
	title string
	n     int
}

// clockAcc is one clock of one priority: settled outcomes, and the counted
// times of the stopped clocks by unit ("h" or "bh").
type clockAcc struct {
	met, breached int
	times         map[string][]time.Duration
}

func newWindow(p Period, now time.Time, full bool) *window {
	w := &window{p: p, cut: p.End, full: full}
	if now.Before(p.End) {
		w.cut, w.partial = now, true
	}
	w.category, w.channel, w.priority = map[string]int{}, map[string]int{}, map[string]int{}
	w.tags, w.titles = map[string]int{}, map[string]*titleCount{}
	w.respond, w.resolve, w.update = map[string]*clockAcc{}, map[string]*clockAcc{}, map[string]*clockAcc{}
	w.ratings, w.people, w.parts = map[string]int{}, map[string]*Assignee{}, map[string]*PartUse{}
	w.escalated = map[string]int{}
	return w
}

// in reports whether t is in the window: at or after the start, before the
// end, not after now.
func (w *window) in(t time.Time) bool {
	return !t.Before(w.p.Start) && w.before(t)
}

// before reports whether t happened by the time the window's figures are
// taken: before the end of the period and not after now.
func (w *window) before(t time.Time) bool {
	if w.partial {
		return !t.After(w.cut)
	}
	return t.Before(w.cut)
}

// add counts t in every window; ps is prepareAll's result, or nil to
// prepare here.
func (c *computer) add(t *ticket.Ticket, ps []prepared) {
	if t.Created.IsZero() {
		return
	}
	for i, w := range c.windows {
		if w.before(t.Created) {
			if ps == nil {
				c.addTo(w, t, c.prepare(w, t))
			} else {
				c.addTo(w, t, ps[i])
			}
		}
	}
}

// prepared is what a window reads of a ticket's log and clocks: prepare
// needs nothing but the ticket, so tickets are prepared on all cores.
type prepared struct {
	atStart, atCut                              string
	active, resolved, closed, reopened, changed bool
	escalations                                 []string // rules of escalations in the window
	res, atStartRes                             sla.Result
}

// prepareAll prepares the ticket for each window whose cut it was created
// before (nil when it counts in none).
func (c *computer) prepareAll(t *ticket.Ticket) []prepared {
	if t.Created.IsZero() {
		return nil
	}
	ps := make([]prepared, len(c.windows))
	for i, w := range c.windows {
		if w.before(t.Created) {
			ps[i] = c.prepare(w, t)
		}
	}
	return ps
}

// prepare reads the log up to the window's cut: the status at the start
// and at the cut, what happened in between; and the clocks as they stood
// at the cut, and, for a ticket older than the period, at its start (an
// outcome is counted in the period in which it changed).
func (c *computer) prepare(w *window, t *ticket.Ticket) prepared {
	cfg := c.cfg
	var p prepared
	later := false // events after the cut: the clocks must not see them
	prev := ""
	for i := range t.Events {
		e := &t.Events[i]
		if !w.before(e.At) {
			later = true
			continue
		}
		in := !e.At.Before(w.p.Start)
		p.active = p.active || in
		if in && e.Action == "escalate" && e.Value != "" {
			p.escalations = append(p.escalations, e.Value)
		}
		if e.To == "" {
			continue
		}
		if in {
			p.changed = true
			if !c.resolved[prev] && c.resolved[e.To] {
				p.resolved = true
			}
			if e.To == "closed" && prev != "closed" {
				p.closed = true
			}
			if prev != "" && !cfg.Open(prev) && cfg.Open(e.To) {
				p.reopened = true
			}
		} else {
			p.atStart = e.To
		}
		prev = e.To
	}
	p.atCut = prev
	initial := cfg.Workflow.Initial
	if !hasChange(t) && t.Status != "" {
		// A ticket written without a log: its status is all there is.
		initial = t.Status
	}
	if p.atCut == "" {
		p.atCut = initial
	}
	if p.atStart == "" {
		p.atStart = initial
	}
	if cfg.Open(p.atCut) || p.changed {
		if later {
			p.res = cfg.Clocks(truncate(t, w.before), w.cut)
		} else {
			p.res = cfg.Clocks(t, w.cut)
		}
		res := &p.res
		if t.Created.Before(w.p.Start) && (outcome(res.Respond) != 0 || outcome(res.Resolve) != 0 || outcome(res.Update) != 0) {
			startsBefore := func(at time.Time) bool { return at.Before(w.p.Start) }
			p.atStartRes = cfg.Clocks(truncate(t, startsBefore), w.p.Start)
		}
	}
	return p
}

// addTo counts a ticket created before the window's cut.
func (c *computer) addTo(w *window, t *ticket.Ticket, p prepared) {
	cfg := c.cfg
	atStart, atCut := p.atStart, p.atCut
	resolved, closed, reopened, active := p.resolved, p.closed, p.reopened, p.active
	res, atStartRes := p.res, p.atStartRes
	for _, rule := range p.escalations {
		w.escalated[rule]++
	}
	opened := !t.Created.Before(w.p.Start)
	open := cfg.Open(atCut)

	if opened {
		w.counts.Opened++
	}
	if resolved {
		w.counts.Resolved++
	}
	if closed {
		w.counts.Closed++
	}
	if reopened {
		w.counts.Reopened++
	}
	if open {
		age := w.cut.Sub(t.Created)
		w.ages = append(w.ages, age)
		if w.oldestID == "" || age > w.oldest {
			w.oldest, w.oldestID = age, strings.Clone(t.ID)
		}
	}

	w.settle(w.respond, t.Priority, res.Respond, atStartRes.Respond)
	resolve := w.settle(w.resolve, t.Priority, res.Resolve, atStartRes.Resolve)
	w.settle(w.update, t.Priority, res.Update, atStartRes.Update)

	rating, rated := c.rating(w, t)
	if rated {
		inc(w.ratings, rating)
	}
	if !w.full {
		return
	}
	if opened {
		inc(w.category, t.Category)
		inc(w.channel, t.Channel)
		inc(w.priority, t.Priority)
		for i, tag := range t.Tags {
			// A tag written twice on a ticket counts once.
			if tag = strings.TrimSpace(tag); tag != "" && !slices.Contains(t.Tags[:i], tag) {
				inc(w.tags, tag)
			}
		}
		if title := strings.Join(strings.Fields(t.Title), " "); title != "" {
			key := strings.ToLower(title)
			if tc := w.titles[key]; tc != nil {
				tc.n++
			} else {
				w.titles[strings.Clone(key)] = &titleCount{title: strings.Clone(title), n: 1}
			}
		}
	}
	if active || open || resolved || rated || resolve != 0 {
		p := w.people[t.Assignee]
		if p == nil {
			p = &Assignee{Name: strings.Clone(t.Assignee)}
			w.people[p.Name] = p
		}
		if active {
			p.Handled++
		}
		if resolved {
			p.Resolved++
		}
		if open {
			p.Open++
		}
		switch resolve {
		case 1:
			p.Met++
		case -1:
			p.Breached++
		}
		if rated {
			p.Rated++
			if rating == "satisfied" || rating == "basically_satisfied" {
				p.Positive++
			}
		}
	}
	if resolved {
		for i, part := range t.Parts {
			name := strings.TrimSpace(part.Name)
			if name == "" {
				continue
			}
			u := w.parts[name]
			if u == nil {
				u = &PartUse{Name: strings.Clone(name)}
				w.parts[u.Name] = u
				w.partsOrder = append(w.partsOrder, u.Name)
			}
			u.Qty += part.Qty
			// desk ticket part records each use as an entry of its own:
			// a ticket that used a part twice counts once.
			if !slices.ContainsFunc(t.Parts[:i], func(p ticket.Part) bool { return strings.TrimSpace(p.Name) == name }) {
				u.Tickets++
			}
		}
	}
	if t.Major && (opened || cfg.Open(atStart)) {
		major := Incident{
			ID: strings.Clone(t.ID), Title: strings.Clone(t.Title), Status: strings.Clone(atCut),
			Priority: strings.Clone(t.Priority), Lead: strings.Clone(t.Lead), Created: t.Created,
		}
		if k := res.Resolve; k != nil {
			major.Elapsed = sla.FormatElapsed(k.Elapsed, k.Target.Unit)
			major.State = string(k.State)
			if k.At != nil {
				at := *k.At
				major.Resolved = &at
			}
		}
		w.major = append(w.major, major)
	}
}

// hasChange reports whether a ticket's log has an event with a status.
func hasChange(t *ticket.Ticket) bool {
	for i := range t.Events {
		if t.Events[i].To != "" {
			return true
		}
	}
	return false
}

// settle counts the outcome of a clock in the window: k as it stood at the
// cut, k0 at the start of the window (nil for a ticket created in it).
//
// An outcome is counted in the period in which it changed: met in the one
// in which the clock stopped within its target; breached in the one in
// which its counted time passed the target, stopped or still running, and
// so only once however long the ticket stays open. A clock still running
// within its target is not counted. A reopen may turn a met clock into a
// breached one: that breach counts in the period of the reopen. settle
// returns 1 for a met clock counted, -1 for a breached one, 0 otherwise. The
// time of a clock that stopped in the window goes to the priority's times.
func (w *window) settle(accs map[string]*clockAcc, priority string, k, k0 *sla.Clock) int {
	if k == nil {
		return 0
	}
	acc := accs[priority]
	if acc == nil {
		acc = &clockAcc{times: map[string][]time.Duration{}}
		accs[strings.Clone(priority)] = acc
	}
	if k.At != nil && w.in(*k.At) {
		unit := "h"
		if k.Target.Business() {
			unit = "bh"
		}
		acc.times[unit] = append(acc.times[unit], k.Elapsed)
	}
	o := outcome(k)
	if o == 0 || o == outcome(k0) {
		return 0
	}
	if o > 0 {
		acc.met++
	} else {
		acc.breached++
	}
	return o
}

// outcome is 1 for a clock that stopped within its target, -1 for one past
// its target (for the update clock, in any of its stretches), 0 for one
// still running within it or none.
func outcome(k *sla.Clock) int {
	switch {
	case k == nil:
		return 0
	case k.State == sla.StateBreached || k.Missed > 0:
		return -1
	case k.State == sla.StateMet:
		return 1
	}
	return 0
}

// truncate is the ticket with only the events keep selects: the log as it
// stood at an earlier time.
func truncate(t *ticket.Ticket, keep func(time.Time) bool) *ticket.Ticket {
	cp := *t
	cp.Events = make([]ticket.Event, 0, len(t.Events))
	for _, e := range t.Events {
		if keep(e.At) {
			cp.Events = append(cp.Events, e)
		}
	}
	return &cp
}

// rating returns the feedback given in the window: its confirmation time,
// or else the time of the last feedback event, is in it.
func (c *computer) rating(w *window, t *ticket.Ticket) (string, bool) {
	fb := t.Feedback
	if fb == nil || fb.Rating == "" {
		return "", false
	}
	var at time.Time
	if fb.ConfirmedAt != nil {
		at = *fb.ConfirmedAt
	} else {
		for _, e := range t.Events {
			if e.Action == "feedback" {
				at = e.At
			}
		}
	}
	if at.IsZero() || !w.in(at) {
		return "", false
	}
	return fb.Rating, true
}

// inc counts k in m, keeping a copy of k: the record's strings must not
// outlive the call that gave them.
func inc(m map[string]int, k string) {
	if _, ok := m[k]; !ok {
		k = strings.Clone(k)
	}
	m[k]++
}

// report assembles the figures.
func (c *computer) report() *Report {
	cfg := c.cfg
	loc := cfg.Location
	w := c.windows[0]
	rep := &Report{
		Language:  cfg.Desk.Language,
		Timezone:  cfg.Desk.Timezone,
		Generated: c.opts.Now.In(loc),
		Period: PeriodInfo{Name: w.p.Name, Kind: w.p.Kind, Start: w.p.Start.In(loc), End: w.p.End.In(loc),
			AsOf: w.cut.In(loc), Partial: w.partial},
		Tickets:   w.counts,
		Backlog:   backlog(w),
		Titles:    []Share{},
		Assignees: []Assignee{},
		Major:     w.major,
		Parts:     []PartUse{},
		Skipped:   c.skipped,
	}
	if rep.Major == nil {
		rep.Major = []Incident{}
	}
	if rep.Skipped == nil {
		rep.Skipped = []string{}
	}
	opened := w.counts.Opened
	rep.Shares = Shares{
		Category: shares(w.category, opened, cfg.Tickets.Categories),
		Channel:  shares(w.channel, opened, cfg.Tickets.Channels),
		Priority: shares(w.priority, opened, cfg.Priorities()),
	}
	// The priorities keep their configured order: high before low.
	sortByOrder(rep.Shares.Priority, cfg.Priorities())
	rep.Tags = shares(w.tags, opened, nil)
	if len(rep.Tags) > c.opts.Top {
		rep.Tags = rep.Tags[:c.opts.Top]
	}
	var titles []*titleCount
	for _, tc := range w.titles {
		if tc.n >= 2 {
			titles = append(titles, tc)
		}
	}
	sort.Slice(titles, func(i, j int) bool {
		if titles[i].n != titles[j].n {
			return titles[i].n > titles[j].n
		}
		return titles[i].title < titles[j].title
	})
	for i, tc := range titles {
		if i == c.opts.Top {
			break
		}
		rep.Titles = append(rep.Titles, Share{Name: tc.title, Count: tc.n, Share: ratio(tc.n, opened)})
	}
	rep.SLA = SLA{
		Respond: c.clockTable(w.respond, func(t sla.Targets) *sla.Target { return t.Respond }),
		Resolve: c.clockTable(w.resolve, func(t sla.Targets) *sla.Target { return t.Resolve }),
	}
	if c.cfg.HasUpdateTargets() {
		u := c.clockTable(w.update, func(t sla.Targets) *sla.Target { return t.Update })
		for i := range u.Priorities {
			u.Priorities[i].Times = []Times{} // a stretch between replies is no handling time
		}
		rep.SLA.Update = &u
	}
	rep.Satisfaction = satisfaction(w.ratings)
	for _, p := range w.people {
		a := *p
		a.OnTime = rate(a.Met, a.Breached).Rate
		if a.Rated > 0 {
			a.Satisfaction = share(a.Positive, a.Rated)
		}
		rep.Assignees = append(rep.Assignees, a)
	}
	sort.Slice(rep.Assignees, func(i, j int) bool {
		a, b := rep.Assignees[i], rep.Assignees[j]
		if (a.Name == "") != (b.Name == "") {
			return b.Name == "" // the unassigned last
		}
		if a.Handled != b.Handled {
			return a.Handled > b.Handled
		}
		return a.Name < b.Name
	})
	for _, name := range w.partsOrder {
		rep.Parts = append(rep.Parts, *w.parts[name])
	}
	rep.Escalations = []Escalation{}
	for rule, n := range w.escalated {
		rep.Escalations = append(rep.Escalations, Escalation{Rule: rule, Tickets: n})
	}
	sort.Slice(rep.Escalations, func(i, j int) bool {
		a, b := rep.Escalations[i], rep.Escalations[j]
		if a.Tickets != b.Tickets {
			return a.Tickets > b.Tickets
		}
		return a.Rule < b.Rule
	})
	sort.SliceStable(rep.Parts, func(i, j int) bool {
		if rep.Parts[i].Qty != rep.Parts[j].Qty {
			return rep.Parts[i].Qty > rep.Parts[j].Qty
		}
		return rep.Parts[i].Name < rep.Parts[j].Name
	})
	sort.SliceStable(rep.Major, func(i, j int) bool { return rep.Major[i].Created.Before(rep.Major[j].Created) })
	for i := range rep.Major {
		rep.Major[i].Created = rep.Major[i].Created.In(loc)
		if r := rep.Major[i].Resolved; r != nil {
			t := r.In(loc)
			rep.Major[i].Resolved = &t
		}
	}
	for i := len(c.windows) - 1; i >= 0; i-- {
		rep.Trend = append(rep.Trend, c.summary(c.windows[i]))
	}
	cur, prev := c.summary(c.windows[0]), c.summary(c.windows[1])
	rep.Previous = prev
	rep.Delta = Delta{
		Opened: cur.Opened - prev.Opened, Resolved: cur.Resolved - prev.Resolved, Closed: cur.Closed - prev.Closed,
		Reopened: cur.Reopened - prev.Reopened, Backlog: cur.Backlog - prev.Backlog,
		Respond: diff(cur.Respond, prev.Respond), Resolve: diff(cur.Resolve, prev.Resolve),
		Satisfaction: diff(cur.Satisfaction, prev.Satisfaction),
	}
	if len(rep.Trend) > c.opts.Trend {
		rep.Trend = rep.Trend[len(rep.Trend)-c.opts.Trend:]
	}
	return rep
}

func (c *computer) summary(w *window) Summary {
	loc := c.cfg.Location
	return Summary{
		Period: w.p.Name, Start: w.p.Start.In(loc), End: w.p.End.In(loc),
		Opened: w.counts.Opened, Resolved: w.counts.Resolved, Closed: w.counts.Closed, Reopened: w.counts.Reopened,
		Backlog: len(w.ages),
		Respond: total(w.respond).Rate, Resolve: total(w.resolve).Rate,
		Satisfaction: satisfaction(w.ratings).Rate,
	}
}

func backlog(w *window) Backlog {
	b := Backlog{Open: len(w.ages)}
	if len(w.ages) == 0 {
		return b
	}
	slices.Sort(w.ages)
	text := func(d time.Duration) *string { s := sla.FormatElapsed(d, sla.Hour); return &s }
	med, p90 := median(w.ages), percentile(w.ages, 90)
	b.Median, b.P90, b.Oldest = text(med), text(p90), text(w.oldest)
	b.MedianMinutes, b.P90Minutes, b.OldestMinutes = minutesPtr(med), minutesPtr(p90), minutesPtr(w.oldest)
	b.OldestID = &w.oldestID
	return b
}

// clockTable makes the rows of one clock: every configured priority, then
// any other priority found, then tickets without one ("").
func (c *computer) clockTable(accs map[string]*clockAcc, pick func(sla.Targets) *sla.Target) ClockTable {
	order := c.cfg.Priorities()
	var extra []string
	for p := range accs {
		if !slices.Contains(order, p) {
			extra = append(extra, p)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[j] == "" || (extra[i] != "" && extra[i] < extra[j]) })
	t := ClockTable{Priorities: []ClockRow{}, Total: total(accs)}
	for _, p := range append(order, extra...) {
		row := ClockRow{Priority: p, Times: []Times{}}
		if target := pick(c.cfg.Targets("", p)); target != nil {
			row.Target = target.String()
		}
		if acc := accs[p]; acc != nil {
			row.Rate = rate(acc.met, acc.breached)
			for _, unit := range []string{"h", "bh"} {
				if ds := acc.times[unit]; len(ds) > 0 {
					slices.Sort(ds)
					u := sla.Hour
					if unit == "bh" {
						u = sla.BusinessHour
					}
					m, p90 := median(ds), percentile(ds, 90)
					row.Times = append(row.Times, Times{Unit: unit, Count: len(ds),
						Median: sla.FormatElapsed(m, u), P90: sla.FormatElapsed(p90, u),
						MedianMinutes: minutes(m), P90Minutes: minutes(p90)})
				}
			}
		}
		t.Priorities = append(t.Priorities, row)
	}
	return t
}

func total(accs map[string]*clockAcc) Rate {
	met, breached := 0, 0
	for _, a := range accs {
		met += a.met
		breached += a.breached
	}
	return rate(met, breached)
}

func satisfaction(ratings map[string]int) Satisfaction {
	s := Satisfaction{Ratings: []Share{}}
	for _, n := range ratings {
		s.Rated += n
	}
	names := slices.Clone(ticket.Ratings)
	var other []string
	for r := range ratings {
		if !slices.Contains(names, r) {
			other = append(other, r)
		}
	}
	slices.Sort(other)
	for _, r := range append(names, other...) {
		s.Ratings = append(s.Ratings, Share{Name: r, Count: ratings[r], Share: ratio(ratings[r], s.Rated)})
	}
	if s.Rated > 0 {
		s.Rate = share(ratings["satisfied"]+ratings["basically_satisfied"], s.Rated)
	}
	return s
}

// shares lists the values of m, most frequent first; ties in the order of
// known, then by name.
func shares(m map[string]int, whole int, known []string) []Share {
	out := []Share{}
	for k, n := range m {
		out = append(out, Share{Name: k, Count: n, Share: ratio(n, whole)})
	}
	rank := func(s string) int {
		if i := slices.Index(known, s); i >= 0 {
			return i
		}
		return len(known)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if ra, rb := rank(a.Name), rank(b.Name); ra != rb {
			return ra < rb
		}
		return a.Name < b.Name
	})
	return out
}

// sortByOrder puts shares in the order of names, others after, by name.
func sortByOrder(s []Share, names []string) {
	rank := func(x string) int {
		if i := slices.Index(names, x); i >= 0 {
			return i
		}
		if x == "" {
			return len(names) + 1
		}
		return len(names)
	}
	sort.SliceStable(s, func(i, j int) bool {
		ri, rj := rank(s[i].Name), rank(s[j].Name)
		if ri != rj {
			return ri < rj
		}
		return s[i].Name < s[j].Name
	})
}

// median of sorted durations: the middle one, or the mean of the two middle
// ones.
func median(ds []time.Duration) time.Duration {
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}

// percentile of sorted durations by the nearest-rank method: the smallest
// value with at least p % of the values at or below it.
func percentile(ds []time.Duration, p int) time.Duration {
	rank := (p*len(ds) + 99) / 100 // ⌈p·n/100⌉
	return ds[max(rank, 1)-1]
}

func rate(met, breached int) Rate {
	r := Rate{Met: met, Breached: breached}
	if met+breached > 0 {
		r.Rate = share(met, met+breached)
	}
	return r
}

// ratio is n ÷ whole rounded to 4 decimals, 0 for an empty whole.
func ratio(n, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return round4(float64(n) / float64(whole))
}

func share(n, whole int) *float64 {
	v := ratio(n, whole)
	return &v
}

func diff(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	v := round4(*a - *b)
	return &v
}

func round4(v float64) float64 { return math.Round(v*10000) / 10000 }

// minutes is d in minutes, to a tenth.
func minutes(d time.Duration) float64 { return math.Round(d.Minutes()*10) / 10 }

func minutesPtr(d time.Duration) *float64 { v := minutes(d); return &v }
