package repo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/deskhq/desk/ticket/sla"
)

// ConfigFile is the name of the configuration file that marks a desk root.
const ConfigFile = "desk.toml"

// Config is a validated desk.toml with every default applied.
type Config struct {
	Desk     DeskConfig          `toml:"desk"`
	Tickets  TicketsConfig       `toml:"tickets"`
	Calendar CalendarConfig      `toml:"calendar"`
	SLA      SLAConfig           `toml:"sla"`
	Major    MajorConfig         `toml:"major"`
	Workflow WorkflowConfig      `toml:"workflow"`
	Required map[string][]string `toml:"required"`
	Sections SectionsConfig      `toml:"sections"`
	KB       KBConfig            `toml:"kb"`
	Site     SiteConfig          `toml:"site"`
	Check    CheckConfig         `toml:"check"`

	// Derived on load.
	Location   *time.Location `toml:"-"`
	Cal        *sla.Calendar  `toml:"-"`
	Policy     sla.Policy     `toml:"-"`
	targets    map[string]slaTargets
	catTargets map[string]slaTargets
	majorEvery sla.Duration
}

// DeskConfig is the [desk] table.
type DeskConfig struct {
	IDPrefix string `toml:"id_prefix"`
	Timezone string `toml:"timezone"`
	Language string `toml:"language"`
}

// TicketsConfig is the [tickets] table.
type TicketsConfig struct {
	Categories []string `toml:"categories"`
	Channels   []string `toml:"channels"`
}

// CalendarConfig is the [calendar] table: business time.
type CalendarConfig struct {
	Workdays []string    `toml:"workdays"`
	Hours    []string    `toml:"hours"`
	Holidays []time.Time `toml:"holidays"` // TOML local dates
}

// SLAConfig is the [sla] table.
type SLAConfig struct {
	AtRisk          float64     `toml:"at_risk"`
	Pause           []string    `toml:"pause"`
	DefaultPriority string      `toml:"default_priority"`
	Priority        []SLATarget `toml:"priority"`
	Category        []SLATarget `toml:"category"`
}

// SLATarget is one [[sla.priority]] or [[sla.category]] entry.
type SLATarget struct {
	Name    string `toml:"name"`
	Respond string `toml:"respond"`
	Resolve string `toml:"resolve"`
}

type slaTargets struct{ respond, resolve *sla.Duration }

// MajorConfig is the [major] table: the emergency mechanism.
type MajorConfig struct {
	UpdateEvery string   `toml:"update_every"`
	Require     []string `toml:"require"`
}

// WorkflowConfig is the [workflow] table: statuses and the transition graph.
type WorkflowConfig struct {
	Statuses    []string            `toml:"statuses"`
	Initial     string              `toml:"initial"`
	Responded   []string            `toml:"responded"`
	Resolved    []string            `toml:"resolved"`
	Transitions map[string][]string `toml:"transitions"`
}

// SectionsConfig maps section keys to body headings.
type SectionsConfig struct {
	Description string `toml:"description"`
	Analysis    string `toml:"analysis"`
	Handling    string `toml:"handling"`
	Resolution  string `toml:"resolution"`
	Postmortem  string `toml:"postmortem"`
}

// KBConfig is the [kb] table.
type KBConfig struct {
	ReviewDays int `toml:"review_days"`
}

// SiteConfig is the [site] table.
type SiteConfig struct {
	Title   string `toml:"title"`
	BaseURL string `toml:"base_url"`
	EditURL string `toml:"edit_url"`
}

// CheckBaseURL says why s cannot be the site's base URL, or returns nil.
// The base URL starts every canonical link, the feed and the sitemap, so it
// must be an absolute http or https URL (https://kb.example.com/help/) or a
// path from the server's root (/help/): a javascript: or data: URL would
// run in the reader's browser, and //host or a relative path would point
// elsewhere than the site.
func CheckBaseURL(s string) error {
	const want = "want an absolute http:// or https:// URL (https://kb.example.com/) or a path starting with / (/kb/)"
	u, err := checkLinkURL(s, want)
	if err != nil {
		return err
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#") {
		return fmt.Errorf("a base URL has no ?query or #fragment, since page paths are appended to it; %s", want)
	}
	return nil
}

// CheckEditURL says why s cannot be the site's "edit this page" link
// (site.edit_url), or returns nil: like a base URL, an absolute http or
// https URL or a path from the server's root, here with a query allowed;
// "{path}" in it stands for the article's path.
func CheckEditURL(s string) error {
	const want = "want an absolute http:// or https:// URL (https://git.example.com/kb/edit/main/{path}) or a path starting with /"
	_, err := checkLinkURL(strings.ReplaceAll(s, "{path}", "p"), want)
	return err
}

// checkLinkURL is what a base URL and an edit URL have in common.
func checkLinkURL(s, want string) (*url.URL, error) {
	for _, c := range s {
		if unicode.IsSpace(c) || unicode.IsControl(c) || strings.ContainsRune("\\\"'<>`", c) {
			return nil, fmt.Errorf("the character %q is not allowed in a URL here; %s", c, want)
		}
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, fmt.Errorf("not a URL; %s", want)
	case strings.HasPrefix(s, "//"):
		return nil, fmt.Errorf("a URL without a scheme (//host) takes the scheme of the page and is not allowed; %s", want)
	case u.Scheme == "" && strings.HasPrefix(s, "/"):
		// A path.
	case u.Scheme == "":
		return nil, fmt.Errorf("a relative path is not allowed; %s", want)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("the scheme %s: is not allowed; %s", u.Scheme, want)
	case u.Opaque != "" || u.Host == "":
		return nil, fmt.Errorf("no host after %s://; %s", u.Scheme, want)
	case u.User != nil:
		return nil, fmt.Errorf("a user name or password would be published in every page; %s", want)
	}
	return u, nil
}

// CheckConfig is the [check] table.
type CheckConfig struct {
	Rules map[string]string `toml:"rules"`
}

// ConfigError is a problem in desk.toml, with the line it is on.
type ConfigError struct {
	Path string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// DefaultConfig returns the configuration desk init writes, for language "en" or "zh".
func DefaultConfig(language string) *Config {
	c, err := parseConfig("desk.toml", []byte(DefaultConfigText("TS", "Asia/Shanghai", language)))
	if err != nil {
		panic("default configuration does not load: " + err.Error()) // a bug in this file, not user input
	}
	return c
}

// Sections in Chinese, used when [desk] language = "zh".
var zhSections = SectionsConfig{
	Description: "问题描述",
	Analysis:    "问题分析",
	Handling:    "技术处理过程",
	Resolution:  "处理结果",
	Postmortem:  "故障总结",
}

var enSections = SectionsConfig{
	Description: "Description",
	Analysis:    "Analysis",
	Handling:    "Handling record",
	Resolution:  "Resolution",
	Postmortem:  "Post-incident review",
}

// DefaultConfigText is the desk.toml that desk init writes.
func DefaultConfigText(prefix, timezone, language string) string {
	s := enSections
	title := "Knowledge base"
	if language == "zh" {
		s = zhSections
		title = "知识库"
	}
	return fmt.Sprintf(`[desk]
id_prefix = %q                 # ticket IDs are PREFIX-YYYYMMDD-N
timezone = %q       # IANA name: the day of an ID, calendars, reports
language = %q                  # "en" or "zh": headings and wording of new files and the site

[tickets]
categories = ["hardware", "software", "question", "request", "complaint", "other"]
channels = ["phone", "email", "chat", "portal", "onsite"]

[calendar]                       # business time, for targets in "bh" and "bd"
workdays = ["mon", "tue", "wed", "thu", "fri"]
hours = ["09:00", "18:00"]
holidays = [2026-10-01, 2026-10-02]

[sla]
at_risk = 0.75                   # an open ticket is at risk once this share of a target has passed
pause = ["pending"]              # statuses during which both clocks stop

[[sla.priority]]
name = "high"
respond = "1h"
resolve = "4h"

[[sla.priority]]
name = "medium"
respond = "4h"
resolve = "24h"

[[sla.priority]]
name = "low"
respond = "24h"
resolve = "3bd"

[[sla.category]]                 # optional: a category whose targets override the priority's
name = "complaint"
respond = "24h"

[major]                          # tickets with major = true (the emergency mechanism)
update_every = "2h"              # an open major ticket needs an event at least this often
require = ["lead", "section:postmortem"]   # before it may be closed

[workflow]
statuses = ["new", "triaged", "in_progress", "pending", "resolved", "closed", "archived"]
initial = "new"
responded = ["triaged", "in_progress", "pending", "resolved", "closed"]  # reaching one of these is the first response
resolved = ["resolved", "closed"]                                     # reaching one of these stops the resolution clock

[workflow.transitions]
new = ["triaged", "in_progress", "closed"]
triaged = ["in_progress", "pending", "closed"]
in_progress = ["pending", "resolved"]
pending = ["in_progress", "resolved", "closed"]
resolved = ["closed", "in_progress"]          # back to in_progress = reopened
closed = ["archived", "in_progress"]
archived = []

[required]                       # what a ticket must hold once it has reached a status, and ever after
new = ["title", "requester.name", "requester.contact", "channel", "section:description"]
triaged = ["category", "priority", "priority_reason", "assignee"]
resolved = ["section:handling", "section:resolution"]
closed = ["feedback.rating", "feedback.confirmed_by", "feedback.confirmed_at"]

[sections]                       # body headings by key
description = %q
analysis = %q
handling = %q
resolution = %q
postmortem = %q

[kb]
review_days = 365                # published articles without review_by get this review interval

[site]
title = %q
base_url = "/"
`, prefix, timezone, language, s.Description, s.Analysis, s.Handling, s.Resolution, s.Postmortem, title)
}

// LoadConfig reads and validates the desk.toml at path.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	return parseConfig(path, data)
}

var (
	prefixRE   = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,15}$`)
	statusRE   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	typeErrRE  = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)
	clockRE    = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)
	weekdayIdx = map[string]time.Weekday{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
)

// KnownRules lists the rule IDs of desk check, so [check.rules] can be validated.
var KnownRules = []string{
	"parse", "unknown-field", "invalid-value", "id-format", "duplicate-id", "required-field",
	"invalid-transition", "status-mismatch", "event-order", "sla-breached", "sla-at-risk",
	"sla-unexplained", "major-incident", "kb-link", "kb-stale", "personal-data",
	"history-rewritten", "id-taken", "event-time",
}

func parseConfig(path string, data []byte) (*Config, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	loc := newKeyLocator(data)
	fail := func(line int, format string, args ...any) error {
		return &ConfigError{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	var c Config
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fail(pe.Position.Line, "%s", pe.Message)
		}
		// Type mismatches come as plain errors with the line in the text.
		if m := typeErrRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, fail(line, "%s: %s", m[2], strings.Replace(m[3], "incompatible types: ", "wrong type: ", 1))
		}
		return nil, fail(0, "%v", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		return nil, fail(loc.line(k...), "unknown key %q", k.String())
	}
	def := func(keys ...string) bool { return !md.IsDefined(keys...) }

	// [desk]
	if def("desk", "id_prefix") {
		c.Desk.IDPrefix = "TS"
	}
	if !prefixRE.MatchString(c.Desk.IDPrefix) {
		return nil, fail(loc.line("desk", "id_prefix"), "id_prefix %q: want 1 to 16 capital letters or digits, starting with a letter (e.g. \"TS\")", c.Desk.IDPrefix)
	}
	if def("desk", "timezone") {
		c.Desk.Timezone = "Asia/Shanghai"
	}
	c.Location, err = time.LoadLocation(c.Desk.Timezone)
	if err != nil || c.Desk.Timezone == "" || strings.EqualFold(c.Desk.Timezone, "local") {
		return nil, fail(loc.line("desk", "timezone"), "unknown time zone %q: want an IANA name such as \"Asia/Shanghai\" or \"UTC\"", c.Desk.Timezone)
	}
	if def("desk", "language") {
		c.Desk.Language = "en"
	}
	if c.Desk.Language != "en" && c.Desk.Language != "zh" {
		return nil, fail(loc.line("desk", "language"), "language %q: want \"en\" or \"zh\"", c.Desk.Language)
	}

	// [tickets]
	if def("tickets", "categories") {
		c.Tickets.Categories = []string{"hardware", "software", "question", "request", "complaint", "other"}
	}
	if def("tickets", "channels") {
		c.Tickets.Channels = []string{"phone", "email", "chat", "portal", "onsite"}
	}

	// [workflow]
	w := &c.Workflow
	if def("workflow", "statuses") {
		w.Statuses = []string{"new", "triaged", "in_progress", "pending", "resolved", "closed", "archived"}
	}
	if len(w.Statuses) == 0 {
		return nil, fail(loc.line("workflow", "statuses"), "workflow.statuses is empty: list at least one status")
	}
	seen := map[string]bool{}
	for _, s := range w.Statuses {
		if !statusRE.MatchString(s) {
			return nil, fail(loc.line("workflow", "statuses"), "status %q: want lowercase letters, digits and underscores", s)
		}
		if seen[s] {
			return nil, fail(loc.line("workflow", "statuses"), "status %q is listed twice", s)
		}
		seen[s] = true
	}
	known := func(line int, what, s string) error {
		if !seen[s] {
			return fail(line, "%s: unknown status %q; the statuses are %s", what, s, strings.Join(w.Statuses, ", "))
		}
		return nil
	}
	if def("workflow", "initial") {
		w.Initial = w.Statuses[0]
	}
	if err := known(loc.line("workflow", "initial"), "workflow.initial", w.Initial); err != nil {
		return nil, err
	}
	if def("workflow", "responded") {
		w.Responded = []string{"triaged", "in_progress", "pending", "resolved", "closed"}
	}
	if def("workflow", "resolved") {
		w.Resolved = []string{"resolved", "closed"}
	}
	for _, s := range w.Responded {
		if err := known(loc.line("workflow", "responded"), "workflow.responded", s); err != nil {
			return nil, err
		}
	}
	for _, s := range w.Resolved {
		if err := known(loc.line("workflow", "resolved"), "workflow.resolved", s); err != nil {
			return nil, err
		}
	}
	if w.Transitions == nil {
		w.Transitions = map[string][]string{
			"new": {"triaged", "in_progress", "closed"}, "triaged": {"in_progress", "pending", "closed"},
			"in_progress": {"pending", "resolved"}, "pending": {"in_progress", "resolved", "closed"},
			"resolved": {"closed", "in_progress"}, "closed": {"archived", "in_progress"}, "archived": {},
		}
	}
	for _, from := range sortedKeys(w.Transitions) {
		line := loc.line("workflow", "transitions", from)
		if err := known(line, "workflow.transitions", from); err != nil {
			return nil, err
		}
		for _, to := range w.Transitions[from] {
			if err := known(line, "workflow.transitions."+from, to); err != nil {
				return nil, err
			}
		}
	}

	// [required]
	if c.Required == nil {
		c.Required = map[string][]string{
			"new":      {"title", "requester.name", "requester.contact", "channel", "section:description"},
			"triaged":  {"category", "priority", "priority_reason", "assignee"},
			"resolved": {"section:handling", "section:resolution"},
			"closed":   {"feedback.rating", "feedback.confirmed_by", "feedback.confirmed_at"},
		}
	}
	for _, st := range sortedKeys(c.Required) {
		line := loc.line("required", st)
		if err := known(line, "required", st); err != nil {
			return nil, err
		}
		for _, f := range c.Required[st] {
			if err := validRequirement(f); err != nil {
				return nil, fail(line, "required.%s: %v", st, err)
			}
		}
	}

	// [sections]
	base := enSections
	if c.Desk.Language == "zh" {
		base = zhSections
	}
	fill := func(v *string, key, d string) {
		if def("sections", key) {
			*v = d
		}
	}
	fill(&c.Sections.Description, "description", base.Description)
	fill(&c.Sections.Analysis, "analysis", base.Analysis)
	fill(&c.Sections.Handling, "handling", base.Handling)
	fill(&c.Sections.Resolution, "resolution", base.Resolution)
	fill(&c.Sections.Postmortem, "postmortem", base.Postmortem)

	// [calendar]
	if def("calendar", "workdays") {
		c.Calendar.Workdays = []string{"mon", "tue", "wed", "thu", "fri"}
	}
	if def("calendar", "hours") {
		c.Calendar.Hours = []string{"09:00", "18:00"}
	}
	if def("calendar", "holidays") {
		c.Calendar.Holidays = []time.Time{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)}
	}
	cal := &sla.Calendar{Location: c.Location, Holidays: map[sla.Date]bool{}}
	for _, d := range c.Calendar.Workdays {
		wd, ok := weekdayIdx[strings.ToLower(d)]
		if !ok {
			return nil, fail(loc.line("calendar", "workdays"), "workday %q: want mon, tue, wed, thu, fri, sat or sun", d)
		}
		cal.Workdays[wd] = true
	}
	hl := loc.line("calendar", "hours")
	if len(c.Calendar.Hours) != 2 {
		return nil, fail(hl, "calendar.hours: want two times, opening and closing, e.g. [\"09:00\", \"18:00\"]")
	}
	var hm [2]time.Duration
	for i, h := range c.Calendar.Hours {
		m := clockRE.FindStringSubmatch(h)
		if m == nil {
			return nil, fail(hl, "calendar.hours: %q is not a time of day HH:MM", h)
		}
		var hh, mm int
		fmt.Sscanf(m[1]+" "+m[2], "%d %d", &hh, &mm)
		hm[i] = time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute
	}
	if hm[1] <= hm[0] {
		return nil, fail(hl, "calendar.hours: closing %s must be after opening %s", c.Calendar.Hours[1], c.Calendar.Hours[0])
	}
	cal.Open, cal.Close = hm[0], hm[1]
	for _, d := range c.Calendar.Holidays {
		cal.Holidays[sla.Date{Year: d.Year(), Month: d.Month(), Day: d.Day()}] = true
	}
	c.Cal = cal

	// [sla]
	if def("sla", "at_risk") {
		c.SLA.AtRisk = 0.75
	}
	if c.SLA.AtRisk <= 0 || c.SLA.AtRisk > 1 {
		return nil, fail(loc.line("sla", "at_risk"), "sla.at_risk %v: want a share between 0 and 1, e.g. 0.75", c.SLA.AtRisk)
	}
	if def("sla", "pause") {
		c.SLA.Pause = []string{"pending"}
	}
	for _, s := range c.SLA.Pause {
		if err := known(loc.line("sla", "pause"), "sla.pause", s); err != nil {
			return nil, err
		}
	}
	if def("sla", "priority") {
		c.SLA.Priority = []SLATarget{{"high", "1h", "4h"}, {"medium", "4h", "24h"}, {"low", "24h", "3bd"}}
	}
	if def("sla", "category") {
		c.SLA.Category = []SLATarget{{Name: "complaint", Respond: "24h"}}
	}
	c.targets = map[string]slaTargets{}
	c.catTargets = map[string]slaTargets{}
	for i, t := range c.SLA.Priority {
		tt, key, err := parseTargets(t)
		if err != nil {
			return nil, fail(loc.entryLine("sla.priority", i, key), "sla.priority %q: %v", t.Name, err)
		}
		c.targets[t.Name] = tt
	}
	for i, t := range c.SLA.Category {
		tt, key, err := parseTargets(t)
		if err != nil {
			return nil, fail(loc.entryLine("sla.category", i, key), "sla.category %q: %v", t.Name, err)
		}
		if !slices.Contains(c.Tickets.Categories, t.Name) {
			return nil, fail(loc.entryLine("sla.category", i, "name"), "sla.category %q is not one of tickets.categories (%s)", t.Name, strings.Join(c.Tickets.Categories, ", "))
		}
		c.catTargets[t.Name] = tt
	}
	if c.SLA.DefaultPriority != "" {
		if _, ok := c.targets[c.SLA.DefaultPriority]; !ok {
			return nil, fail(loc.line("sla", "default_priority"), "sla.default_priority %q is not one of the [[sla.priority]] names (%s)", c.SLA.DefaultPriority, strings.Join(c.Priorities(), ", "))
		}
	}
	// A final status (archived: no way out) ends the resolution clock like a
	// resolved one, so archiving a closed ticket is not a reopen.
	resolvedForSLA := setOf(w.Resolved)
	for _, s := range w.Statuses {
		if len(w.Transitions[s]) == 0 {
			resolvedForSLA[s] = true
		}
	}
	c.Policy = sla.Policy{
		Calendar:  cal,
		AtRisk:    c.SLA.AtRisk,
		Pause:     setOf(c.SLA.Pause),
		Responded: setOf(w.Responded),
		Resolved:  resolvedForSLA,
	}

	// [major]
	if def("major", "update_every") {
		c.Major.UpdateEvery = "2h"
	}
	if c.majorEvery, err = sla.ParseDuration(c.Major.UpdateEvery); err != nil {
		return nil, fail(loc.line("major", "update_every"), "major.update_every: %v", err)
	}
	if def("major", "require") {
		c.Major.Require = []string{"lead", "section:postmortem"}
	}
	for _, f := range c.Major.Require {
		if err := validRequirement(f); err != nil {
			return nil, fail(loc.line("major", "require"), "major.require: %v", err)
		}
	}

	// [kb], [site]
	if def("kb", "review_days") {
		c.KB.ReviewDays = 365
	}
	if c.KB.ReviewDays < 0 {
		return nil, fail(loc.line("kb", "review_days"), "kb.review_days %d: want a number of days, 0 or more", c.KB.ReviewDays)
	}
	if def("site", "title") {
		c.Site.Title = "Knowledge base"
		if c.Desk.Language == "zh" {
			c.Site.Title = "知识库"
		}
	}
	if def("site", "base_url") || c.Site.BaseURL == "" {
		c.Site.BaseURL = "/"
	}
	if err := CheckBaseURL(c.Site.BaseURL); err != nil {
		return nil, fail(loc.line("site", "base_url"), "site.base_url %q: %v", c.Site.BaseURL, err)
	}
	if c.Site.EditURL != "" {
		if err := CheckEditURL(c.Site.EditURL); err != nil {
			return nil, fail(loc.line("site", "edit_url"), "site.edit_url %q: %v", c.Site.EditURL, err)
		}
	}

	// [check.rules]
	for _, r := range sortedKeys(c.Check.Rules) {
		line := loc.line("check", "rules", r)
		if !slices.Contains(KnownRules, r) {
			return nil, fail(line, "check.rules: unknown rule %q; the rules are %s", r, strings.Join(KnownRules, ", "))
		}
		switch c.Check.Rules[r] {
		case "error", "warning", "off":
		default:
			return nil, fail(line, "check.rules.%s = %q: want \"error\", \"warning\" or \"off\"", r, c.Check.Rules[r])
		}
	}
	return &c, nil
}

// parseTargets reads one target entry; on error it also returns the key at fault.
func parseTargets(t SLATarget) (slaTargets, string, error) {
	var out slaTargets
	if t.Name == "" {
		return out, "name", errors.New("name is missing")
	}
	for _, p := range []struct {
		key, s string
		dst    **sla.Duration
	}{{"respond", t.Respond, &out.respond}, {"resolve", t.Resolve, &out.resolve}} {
		if p.s == "" {
			continue
		}
		d, err := sla.ParseDuration(p.s)
		if err != nil {
			return out, p.key, err
		}
		*p.dst = &d
	}
	return out, "", nil
}

// Requirement keys that [required] and major.require may name.
var requirementFields = []string{
	"title", "status", "created", "channel", "category", "priority", "priority_reason", "assignee",
	"due", "tags", "kb", "lead", "requester.name", "requester.org", "requester.contact",
	"feedback.rating", "feedback.confirmed_by", "feedback.confirmed_at", "feedback.via", "feedback.comment",
	"sla.breach_reason", "parts",
}

var sectionKeys = []string{"description", "analysis", "handling", "resolution", "postmortem"}

func validRequirement(f string) error {
	if s, ok := strings.CutPrefix(f, "section:"); ok {
		if !slices.Contains(sectionKeys, s) {
			return fmt.Errorf("unknown section %q; the sections are %s", s, strings.Join(sectionKeys, ", "))
		}
		return nil
	}
	if !slices.Contains(requirementFields, f) {
		return fmt.Errorf("unknown field %q; use one of %s, or section:NAME", f, strings.Join(requirementFields, ", "))
	}
	return nil
}

// Priorities returns the priority names in the order configured.
func (c *Config) Priorities() []string {
	out := make([]string, 0, len(c.SLA.Priority))
	for _, p := range c.SLA.Priority {
		out = append(out, p.Name)
	}
	return out
}

// Targets returns the respond and resolve targets that apply to a ticket of this
// category and priority: a [[sla.category]] entry overrides the priority's targets
// key by key. A ticket without a priority takes sla.default_priority, else the last
// (least urgent) priority, so an untriaged ticket's response clock still runs.
func (c *Config) Targets(category, priority string) (respond, resolve *sla.Duration) {
	if priority == "" {
		priority = c.SLA.DefaultPriority
		if priority == "" && len(c.SLA.Priority) > 0 {
			priority = c.SLA.Priority[len(c.SLA.Priority)-1].Name
		}
	}
	t := c.targets[priority]
	if ct, ok := c.catTargets[category]; ok {
		if ct.respond != nil {
			t.respond = ct.respond
		}
		if ct.resolve != nil {
			t.resolve = ct.resolve
		}
	}
	return t.respond, t.resolve
}

// MajorUpdateEvery is the longest an open major ticket may go without an event.
func (c *Config) MajorUpdateEvery() sla.Duration { return c.majorEvery }

// Heading returns the body heading of a section key ("description", …).
func (c *Config) Heading(key string) string {
	switch key {
	case "description":
		return c.Sections.Description
	case "analysis":
		return c.Sections.Analysis
	case "handling":
		return c.Sections.Handling
	case "resolution":
		return c.Sections.Resolution
	case "postmortem":
		return c.Sections.Postmortem
	}
	return ""
}

// IsStatus reports whether s is a configured status.
func (c *Config) IsStatus(s string) bool { return slices.Contains(c.Workflow.Statuses, s) }

// CanMove reports whether the workflow connects from to to.
func (c *Config) CanMove(from, to string) bool {
	return slices.Contains(c.Workflow.Transitions[from], to)
}

// Open reports whether a status counts as open: not resolved, not archived and
// not a dead end of the workflow.
func (c *Config) Open(status string) bool {
	if slices.Contains(c.Workflow.Resolved, status) {
		return false
	}
	return len(c.Workflow.Transitions[status]) > 0
}

// RequiredAt returns what a ticket must hold at status: the requirements of that
// status and of every status before it in workflow.statuses.
func (c *Config) RequiredAt(status string) []string {
	var out []string
	for _, s := range c.Workflow.Statuses {
		for _, f := range c.Required[s] {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
		if s == status {
			break
		}
	}
	return out
}

func setOf(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// keyLocator finds the line of a key in a TOML file written the way people write
// configuration: one key per line, under [table] or [[array]] headers. It is used
// only to point error messages at a line; BurntSushi/toml does the parsing.
type keyLocator struct {
	keys   map[string]int // "table.key" -> line
	arrays map[string][]int
}

var (
	headerRE = regexp.MustCompile(`^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?`)
	keyRE    = regexp.MustCompile(`^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=`)
)

func newKeyLocator(data []byte) *keyLocator {
	l := &keyLocator{keys: map[string]int{}, arrays: map[string][]int{}}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if m := headerRE.FindStringSubmatch(line); m != nil {
			table = strings.ReplaceAll(m[2], " ", "")
			if m[1] == "[[" {
				l.arrays[table] = append(l.arrays[table], n)
				table = fmt.Sprintf("%s[%d]", table, len(l.arrays[table])-1)
			}
			if _, ok := l.keys[table]; !ok {
				l.keys[table] = n
			}
			continue
		}
		if m := keyRE.FindStringSubmatch(line); m != nil {
			k := strings.Trim(m[1], `"'`)
			if table != "" {
				k = table + "." + k
			}
			if _, ok := l.keys[k]; !ok {
				l.keys[k] = n
			}
		}
	}
	return l
}

// line returns the line of the key, else of its closest enclosing table, else 0.
func (l *keyLocator) line(key ...string) int {
	for i := len(key); i > 0; i-- {
		if n, ok := l.keys[strings.Join(key[:i], ".")]; ok {
			return n
		}
	}
	return 0
}

// entryLine returns the line of a key in the i-th [[name]] entry, else of the
// entry's header.
func (l *keyLocator) entryLine(name string, i int, key string) int {
	if n, ok := l.keys[fmt.Sprintf("%s[%d].%s", name, i, key)]; ok {
		return n
	}
	if a := l.arrays[name]; i < len(a) {
		return a[i]
	}
	return 0
}
