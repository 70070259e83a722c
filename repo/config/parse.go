package config

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/deskhq/desk/ticket/front"
	"github.com/deskhq/desk/ticket/sla"
)

// configReader is desk.toml being read: its position index, the decoded
// configuration and what the table checks share. See parse.
type configReader struct {
	path  string
	x     *front.Index
	md    toml.MetaData
	c     *Config
	files Files
}

// Files reads a file that desk.toml names (an iCalendar file), by its
// slash-separated path from the desk root. repo.Open passes one that
// follows no symlink.
type Files func(name string) ([]byte, error)

// Parse decodes desk.toml and checks it table by table, in the order
// below, filling in defaults; the first problem is returned as a
// *Error. It reads no other file: a desk.toml naming iCalendar files
// needs ParseWith.
func Parse(path string, data []byte) (*Config, error) { return ParseWith(path, data, nil) }

// ParseWith is Parse, reading the iCalendar files that the calendars
// name with files. Parsing stays a function of its inputs: the caller
// decides how files are read.
func ParseWith(path string, data []byte, files Files) (*Config, error) {
	r := &configReader{path: path, x: front.ScanTOML(data), c: &Config{}, files: files}
	for _, step := range []func() error{
		r.decode, r.desk, r.tickets, r.workflow, r.required, r.sections,
		r.calendar, r.sla, r.major, r.kb, r.site, r.checkRules, r.routing, r.escalation, r.intake, r.mail,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return r.c, nil
}

func (r *configReader) fail(at front.Pos, format string, args ...any) error {
	return &Error{Path: r.path, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf(format, args...)}
}

// unset reports whether the key is not written in the file, so that it
// takes its default.
func (r *configReader) unset(key ...string) bool { return !r.md.IsDefined(key...) }

// at is the position of the key, else of its closest enclosing table
// (each part but the last is a table's name), else the zero Pos.
func (r *configReader) at(key ...string) front.Pos {
	if p, ok := r.x.Key(key...); ok {
		return p
	}
	for i := len(key) - 1; i > 0; i-- {
		if p, ok := r.x.Table(strings.Join(key[:i], ".")); ok {
			return p
		}
	}
	return front.Pos{}
}

// entryAt is the position of key in element i of the array of tables
// array, else of the element.
func (r *configReader) entryAt(array string, i int, key string) front.Pos {
	if p, ok := r.x.KeyIn(array, i, key); ok {
		return p
	}
	p, _ := r.x.ArrayTable(array, i)
	return p
}

// decode decodes the file into r.c. BurntSushi/toml finds the syntax
// errors, at the position its ParseError gives; the types and the keys are
// checked against Config first (typeError), so that those errors have
// positions too.
func (r *configReader) decode() error {
	var raw map[string]any
	if _, err := r.x.Decode(&raw); err != nil {
		return r.decodeErr(err)
	}
	if err := r.typeError(raw); err != nil {
		return err
	}
	md, err := r.x.Decode(r.c)
	if err != nil {
		return r.decodeErr(err)
	}
	r.md = md
	return nil
}

// typeError is the first value in the file of a type that Config does not
// take, else its first key that Config has no field for, in desk's words;
// else nil. A value that does not parse as a time (a holiday) is left to
// BurntSushi/toml, whose ParseError places it at the array element itself.
func (r *configReader) typeError(raw map[string]any) error {
	var unknown *front.Mismatch
	for _, m := range r.x.CheckTypes(raw, reflect.TypeFor[Config]()) {
		switch m.Kind {
		case front.WrongType:
			return r.fail(m.Pos, "%s: wrong type: TOML value has type %s; destination has type %s", m.Key, m.Found, m.Want)
		case front.NotTable:
			return r.fail(m.Pos, "%s: type mismatch: expected table but found %s", m.Key, m.Found)
		case front.UnknownKey:
			if unknown == nil {
				unknown = &m
			}
		}
	}
	if unknown != nil {
		return r.fail(unknown.Pos, "%s", unknown.Msg)
	}
	return nil
}

func (r *configReader) decodeErr(err error) error {
	var fe *front.Error
	if errors.As(err, &fe) {
		return r.fail(front.Pos{Line: fe.Line, Col: fe.Col}, "%s", fe.Msg)
	}
	return r.fail(front.Pos{}, "%v", err)
}

// desk checks [desk].
func (r *configReader) desk() error {
	d := &r.c.Desk
	if r.unset("desk", "id_prefix") {
		d.IDPrefix = "TS"
	}
	if !prefixRE.MatchString(d.IDPrefix) {
		return r.fail(r.at("desk", "id_prefix"), "id_prefix %q: want 1 to 16 capital letters or digits, starting with a letter (e.g. \"TS\")", d.IDPrefix)
	}
	if r.unset("desk", "timezone") {
		d.Timezone = "Asia/Shanghai"
	}
	var err error
	r.c.Location, err = time.LoadLocation(d.Timezone)
	if err != nil || d.Timezone == "" || strings.EqualFold(d.Timezone, "local") {
		return r.fail(r.at("desk", "timezone"), "unknown time zone %q: want an IANA name such as \"Asia/Shanghai\" or \"UTC\"", d.Timezone)
	}
	if r.unset("desk", "language") {
		d.Language = "en"
	}
	if d.Language != "en" && d.Language != "zh" {
		return r.fail(r.at("desk", "language"), "language %q: want \"en\" or \"zh\"", d.Language)
	}
	return nil
}

// tickets fills in [tickets]; any names are allowed.
func (r *configReader) tickets() error {
	if r.unset("tickets", "categories") {
		r.c.Tickets.Categories = []string{"hardware", "software", "question", "request", "complaint", "other"}
	}
	if r.unset("tickets", "channels") {
		r.c.Tickets.Channels = []string{"phone", "email", "chat", "portal", "onsite"}
	}
	return nil
}

// workflow checks [workflow] and [workflow.transitions].
func (r *configReader) workflow() error {
	w := &r.c.Workflow
	if err := r.statuses(); err != nil {
		return err
	}
	if r.unset("workflow", "initial") {
		w.Initial = w.Statuses[0]
	}
	if err := r.known(r.at("workflow", "initial"), "workflow.initial", w.Initial); err != nil {
		return err
	}
	if r.unset("workflow", "responded") {
		w.Responded = []string{"triaged", "in_progress", "pending", "resolved", "closed"}
	}
	if r.unset("workflow", "resolved") {
		w.Resolved = []string{"resolved", "closed"}
	}
	if err := r.allKnown(r.at("workflow", "responded"), "workflow.responded", w.Responded); err != nil {
		return err
	}
	if err := r.allKnown(r.at("workflow", "resolved"), "workflow.resolved", w.Resolved); err != nil {
		return err
	}
	return r.transitions()
}

// statuses checks workflow.statuses.
func (r *configReader) statuses() error {
	w := &r.c.Workflow
	if r.unset("workflow", "statuses") {
		w.Statuses = []string{"new", "triaged", "in_progress", "pending", "resolved", "closed", "archived"}
	}
	at := r.at("workflow", "statuses")
	if len(w.Statuses) == 0 {
		return r.fail(at, "workflow.statuses is empty: list at least one status")
	}
	for i, s := range w.Statuses {
		if !statusRE.MatchString(s) {
			return r.fail(at, "status %q: want lowercase letters, digits and underscores", s)
		}
		if slices.Contains(w.Statuses[:i], s) {
			return r.fail(at, "status %q is listed twice", s)
		}
	}
	return nil
}

// transitions checks workflow.transitions.
func (r *configReader) transitions() error {
	w := &r.c.Workflow
	if w.Transitions == nil {
		w.Transitions = map[string][]string{
			"new": {"triaged", "in_progress", "closed"}, "triaged": {"in_progress", "pending", "closed"},
			"in_progress": {"pending", "resolved"}, "pending": {"in_progress", "resolved", "closed"},
			"resolved": {"closed", "in_progress"}, "closed": {"archived", "in_progress"}, "archived": {},
		}
	}
	for _, from := range sortedKeys(w.Transitions) {
		at := r.at("workflow", "transitions", from)
		if err := r.known(at, "workflow.transitions", from); err != nil {
			return err
		}
		if err := r.allKnown(at, "workflow.transitions."+from, w.Transitions[from]); err != nil {
			return err
		}
	}
	return nil
}

// known says, at at, that s is not a status of the workflow, or returns nil.
func (r *configReader) known(at front.Pos, what, s string) error {
	if ss := r.c.Workflow.Statuses; !slices.Contains(ss, s) {
		return r.fail(at, "%s: unknown status %q; the statuses are %s", what, s, strings.Join(ss, ", "))
	}
	return nil
}

func (r *configReader) allKnown(at front.Pos, what string, ss []string) error {
	for _, s := range ss {
		if err := r.known(at, what, s); err != nil {
			return err
		}
	}
	return nil
}

// required checks [required].
func (r *configReader) required() error {
	c := r.c
	if c.Required == nil {
		c.Required = map[string][]string{
			"new":      {"title", "requester.name", "requester.contact", "channel", "section:description"},
			"triaged":  {"category", "priority", "priority_reason", "assignee"},
			"resolved": {"section:handling", "section:resolution"},
			"closed":   {"feedback.rating", "feedback.confirmed_by", "feedback.confirmed_at"},
		}
	}
	for _, st := range sortedKeys(c.Required) {
		at := r.at("required", st)
		if err := r.known(at, "required", st); err != nil {
			return err
		}
		for _, f := range c.Required[st] {
			if err := validRequirement(f); err != nil {
				return r.fail(at, "required.%s: %v", st, err)
			}
		}
	}
	return nil
}

// sections fills in [sections] in the language of [desk].
func (r *configReader) sections() error {
	base := enSections
	if r.c.Desk.Language == "zh" {
		base = zhSections
	}
	s := &r.c.Sections
	for _, f := range []struct {
		key   string
		v     *string
		deflt string
	}{
		{"description", &s.Description, base.Description},
		{"analysis", &s.Analysis, base.Analysis},
		{"handling", &s.Handling, base.Handling},
		{"resolution", &s.Resolution, base.Resolution},
		{"postmortem", &s.Postmortem, base.Postmortem},
	} {
		if r.unset("sections", f.key) {
			*f.v = f.deflt
		}
	}
	return nil
}

// calendar checks [calendar] and the [calendars.NAME] tables and builds
// the business calendars.
func (r *configReader) calendar() error {
	k := &r.c.Calendar
	if r.unset("calendar", "holidays") {
		k.Holidays = []time.Time{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)}
	}
	var err error
	if r.c.Cal, err = r.businessCalendar([]string{"calendar"}, k); err != nil {
		return err
	}
	r.c.cals = map[string]*sla.Calendar{Always: {Location: r.c.Location}} // no workday: always open
	for _, name := range sortedKeys(r.c.Calendars) {
		key := []string{"calendars", name}
		if name == Always {
			return r.fail(r.at(key...), "calendars.%s: %q is the built-in calendar that is always open; give this one another name", Always, Always)
		}
		k := r.c.Calendars[name]
		cal, err := r.businessCalendar(key, &k)
		if err != nil {
			return err
		}
		r.c.Calendars[name] = k
		r.c.cals[name] = cal
	}
	return nil
}

// businessCalendar checks one calendar table, at key, filling in its
// defaults, and builds it with the dates of its iCalendar files.
func (r *configReader) businessCalendar(key []string, k *Calendar) (*sla.Calendar, error) {
	name := strings.Join(key, ".")
	at := func(field string) front.Pos { return r.at(append(slices.Clip(key), field)...) }
	unset := func(field string) bool { return r.unset(append(slices.Clip(key), field)...) }
	cal := &sla.Calendar{Location: r.c.Location, Holidays: map[sla.Date]bool{}}
	if !unset("timezone") {
		loc, err := time.LoadLocation(k.Timezone)
		if err != nil || k.Timezone == "" || strings.EqualFold(k.Timezone, "local") {
			return nil, r.fail(at("timezone"), "%s.timezone: unknown time zone %q: want an IANA name such as \"Asia/Shanghai\" or \"UTC\"", name, k.Timezone)
		}
		cal.Location = loc
	}
	if unset("workdays") {
		k.Workdays = []string{"mon", "tue", "wed", "thu", "fri"}
	}
	if unset("hours") {
		k.Hours = []string{"09:00", "18:00"}
	}
	for _, d := range k.Workdays {
		wd, ok := weekdayIdx[strings.ToLower(d)]
		if !ok {
			return nil, r.fail(at("workdays"), "workday %q: want mon, tue, wed, thu, fri, sat or sun", d)
		}
		cal.Workdays[wd] = true
	}
	var err error
	if cal.Open, cal.Close, err = businessHours(k.Hours); err != nil {
		return nil, r.fail(at("hours"), "%s.hours: %v", name, err)
	}
	for _, d := range k.Holidays {
		cal.Holidays[sla.DateOf(d)] = true
	}
	if len(k.Workdates) > 0 {
		cal.Workdates = map[sla.Date]bool{}
		for _, d := range k.Workdates {
			cal.Workdates[sla.DateOf(d)] = true
		}
	}
	for _, f := range []struct {
		field string
		files []string
		dates *map[sla.Date]bool
	}{{"holidays_ics", k.HolidaysICS, &cal.Holidays}, {"workdates_ics", k.WorkdatesICS, &cal.Workdates}} {
		for _, file := range f.files {
			if err := r.icsFile(name+"."+f.field, at(f.field), file, cal.Location, f.dates); err != nil {
				return nil, err
			}
		}
	}
	return cal, nil
}

// businessHours reads calendar.hours: the opening and closing times of day.
func businessHours(hours []string) (open, close time.Duration, err error) {
	if len(hours) != 2 {
		return 0, 0, errors.New("want two times, opening and closing, e.g. [\"09:00\", \"18:00\"]")
	}
	var hm [2]time.Duration
	for i, h := range hours {
		m := clockRE.FindStringSubmatch(h)
		if m == nil {
			return 0, 0, fmt.Errorf("%q is not a time of day HH:MM", h)
		}
		var hh, mm int
		fmt.Sscanf(m[1]+" "+m[2], "%d %d", &hh, &mm)
		hm[i] = time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute
	}
	if hm[1] <= hm[0] {
		return 0, 0, fmt.Errorf("closing %s must be after opening %s", hours[1], hours[0])
	}
	return hm[0], hm[1], nil
}

// sla checks [sla], its [[sla.priority]] and [[sla.category]] targets, and
// builds the SLA policy.
func (r *configReader) sla() error {
	s := &r.c.SLA
	if r.unset("sla", "at_risk") {
		s.AtRisk = 0.75
	}
	if s.AtRisk <= 0 || s.AtRisk > 1 {
		return r.fail(r.at("sla", "at_risk"), "sla.at_risk %v: want a share between 0 and 1, e.g. 0.75", s.AtRisk)
	}
	if r.unset("sla", "pause") {
		s.Pause = []string{"pending"}
	}
	if err := r.allKnown(r.at("sla", "pause"), "sla.pause", s.Pause); err != nil {
		return err
	}
	if err := r.slaTargets(); err != nil {
		return err
	}
	if s.DefaultPriority != "" {
		if _, ok := r.c.targets[s.DefaultPriority]; !ok {
			return r.fail(r.at("sla", "default_priority"), "sla.default_priority %q is not one of the [[sla.priority]] names (%s)", s.DefaultPriority, strings.Join(r.c.Priorities(), ", "))
		}
	}
	r.slaPolicy()
	return nil
}

// slaTargets checks [[sla.priority]] and [[sla.category]].
func (r *configReader) slaTargets() error {
	c := r.c
	if r.unset("sla", "priority") {
		// No update targets: a desk.toml from before them keeps its clocks.
		c.SLA.Priority = []SLATarget{{Name: "high", Respond: "1h", Resolve: "4h"}, {Name: "medium", Respond: "4h", Resolve: "24h"}, {Name: "low", Respond: "24h", Resolve: "3bd"}}
	}
	if r.unset("sla", "category") {
		c.SLA.Category = []SLATarget{{Name: "complaint", Respond: "24h"}}
	}
	c.targets = map[string]sla.Targets{}
	c.catTargets = map[string]sla.Targets{}
	for i, t := range c.SLA.Priority {
		tt, key, err := c.parseTargets(t)
		if err != nil {
			return r.fail(r.entryAt("sla.priority", i, key), "sla.priority %q: %v", t.Name, err)
		}
		c.targets[t.Name] = tt
	}
	for i, t := range c.SLA.Category {
		tt, key, err := c.parseTargets(t)
		if err != nil {
			return r.fail(r.entryAt("sla.category", i, key), "sla.category %q: %v", t.Name, err)
		}
		if !slices.Contains(c.Tickets.Categories, t.Name) {
			return r.fail(r.entryAt("sla.category", i, "name"), "sla.category %q is not one of tickets.categories (%s)", t.Name, strings.Join(c.Tickets.Categories, ", "))
		}
		c.catTargets[t.Name] = tt
	}
	return nil
}

// slaPolicy builds the SLA policy from [sla], [calendar] and [workflow].
func (r *configReader) slaPolicy() {
	c, w := r.c, &r.c.Workflow
	// A final status (archived: no way out) ends the resolution clock like a
	// resolved one, so archiving a closed ticket is not a reopen.
	resolvedForSLA := setOf(w.Resolved)
	for _, s := range w.Statuses {
		if len(w.Transitions[s]) == 0 {
			resolvedForSLA[s] = true
		}
	}
	c.Policy = sla.Policy{
		Calendar:  c.Cal,
		AtRisk:    c.SLA.AtRisk,
		Pause:     setOf(c.SLA.Pause),
		Responded: setOf(w.Responded),
		Resolved:  resolvedForSLA,
	}
}

// major checks [major].
func (r *configReader) major() error {
	m := &r.c.Major
	if r.unset("major", "update_every") {
		m.UpdateEvery = "2h"
	}
	var err error
	if r.c.majorEvery, err = sla.ParseDuration(m.UpdateEvery); err != nil {
		return r.fail(r.at("major", "update_every"), "major.update_every: %v", err)
	}
	if r.unset("major", "require") {
		m.Require = []string{"lead", "section:postmortem"}
	}
	for _, f := range m.Require {
		if err := validRequirement(f); err != nil {
			return r.fail(r.at("major", "require"), "major.require: %v", err)
		}
	}
	if r.unset("major", "require_at") {
		// The resolved status that comes last in workflow.statuses.
		for _, st := range r.c.Workflow.Statuses {
			if slices.Contains(r.c.Workflow.Resolved, st) {
				m.RequireAt = st
			}
		}
		return nil
	}
	return r.known(r.at("major", "require_at"), "major.require_at", m.RequireAt)
}

// kb checks [kb].
func (r *configReader) kb() error {
	if r.unset("kb", "review_days") {
		r.c.KB.ReviewDays = 365
	}
	if n := r.c.KB.ReviewDays; n < 0 {
		return r.fail(r.at("kb", "review_days"), "kb.review_days %d: want a number of days, 0 or more", n)
	}
	return nil
}

// site checks [site].
func (r *configReader) site() error {
	s := &r.c.Site
	if r.unset("site", "title") {
		s.Title = "Knowledge base"
		if r.c.Desk.Language == "zh" {
			s.Title = "知识库"
		}
	}
	if r.unset("site", "base_url") || s.BaseURL == "" {
		s.BaseURL = "/"
	}
	if err := CheckBaseURL(s.BaseURL); err != nil {
		return r.fail(r.at("site", "base_url"), "site.base_url %q: %v", s.BaseURL, err)
	}
	if s.EditURL != "" {
		if err := CheckEditURL(s.EditURL); err != nil {
			return r.fail(r.at("site", "edit_url"), "site.edit_url %q: %v", s.EditURL, err)
		}
	}
	return nil
}

// checkRules checks [check.rules].
func (r *configReader) checkRules() error {
	rules := r.c.Check.Rules
	for _, id := range sortedKeys(rules) {
		at := r.at("check", "rules", id)
		if !slices.Contains(KnownRules, id) {
			return r.fail(at, "check.rules: unknown rule %q; the rules are %s", id, strings.Join(KnownRules, ", "))
		}
		switch rules[id] {
		case "error", "warning", "off":
		default:
			return r.fail(at, "check.rules.%s = %q: want \"error\", \"warning\" or \"off\"", id, rules[id])
		}
	}
	return nil
}
