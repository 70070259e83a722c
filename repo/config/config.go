package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/sla"
)

// File is the name of the configuration file that marks a desk root.
const File = "desk.toml"

// Config is a validated desk.toml with every default applied.
type Config struct {
	Desk      Desk                `toml:"desk"`
	Tickets   Tickets             `toml:"tickets"`
	Calendar  Calendar            `toml:"calendar"`
	Calendars map[string]Calendar `toml:"calendars"` // [calendars.NAME]
	SLA       SLA                 `toml:"sla"`
	Major     Major               `toml:"major"`
	Workflow  Workflow            `toml:"workflow"`
	Required  map[string][]string `toml:"required"`
	Sections  Sections            `toml:"sections"`
	KB        KB                  `toml:"kb"`
	Site      Site                `toml:"site"`
	Check     Check               `toml:"check"`
	Routing   []Route             `toml:"routing"`

	Escalation []Escalation `toml:"escalation"`
	Webhook    Webhook      `toml:"webhook"`
	Intake     Intake       `toml:"intake"`
	Mail       Mail         `toml:"mail"`

	// Derived on load.
	Location   *time.Location           `toml:"-"`
	Cal        *sla.Calendar            `toml:"-"` // [calendar]: the default calendar
	Policy     sla.Policy               `toml:"-"`
	cals       map[string]*sla.Calendar // by name, "always" included
	targets    map[string]sla.Targets
	catTargets map[string]sla.Targets
	majorEvery sla.Duration
}

// Desk is the [desk] table.
type Desk struct {
	IDPrefix string `toml:"id_prefix"`
	Timezone string `toml:"timezone"`
	Language string `toml:"language"`
}

// Tickets is the [tickets] table.
type Tickets struct {
	Categories []string `toml:"categories"`
	Channels   []string `toml:"channels"`
}

// Calendar is the [calendar] table, the default calendar, or a
// [calendars.NAME] table: business time.
type Calendar struct {
	Timezone  string      `toml:"timezone"` // default: desk.timezone
	Workdays  []string    `toml:"workdays"`
	Hours     []string    `toml:"hours"`
	Holidays  []time.Time `toml:"holidays"`  // TOML local dates
	Workdates []time.Time `toml:"workdates"` // make-up working days on a free weekday (调休)
	// iCalendar files in the repository, paths from the desk root: the
	// dates their events cover are holidays, or workdates.
	HolidaysICS  []string `toml:"holidays_ics"`
	WorkdatesICS []string `toml:"workdates_ics"`
}

// Always is the name of the built-in calendar that is always open: 24
// hours a day, 7 days a week, no holidays.
const Always = "always"

// SLA is the [sla] table.
type SLA struct {
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
	Update  string `toml:"update"` // the longest an open ticket may go without a public reply
	// Calendar names the calendar of this entry's targets: a
	// [calendars.NAME] table or "always"; "" is [calendar].
	Calendar string `toml:"calendar"`
}

// Major is the [major] table: the emergency mechanism.
type Major struct {
	UpdateEvery string   `toml:"update_every"`
	Require     []string `toml:"require"`
	// RequireAt is the status from which on (in workflow.statuses order)
	// a major ticket must hold Require: by default the status of
	// workflow.resolved that comes last, the one that closes a ticket.
	RequireAt string `toml:"require_at"`
}

// Workflow is the [workflow] table: statuses and the transition graph.
type Workflow struct {
	Statuses    []string            `toml:"statuses"`
	Initial     string              `toml:"initial"`
	Responded   []string            `toml:"responded"`
	Resolved    []string            `toml:"resolved"`
	Transitions map[string][]string `toml:"transitions"`
}

// Sections maps section keys to body headings.
type Sections struct {
	Description string `toml:"description"`
	Analysis    string `toml:"analysis"`
	Handling    string `toml:"handling"`
	Resolution  string `toml:"resolution"`
	Postmortem  string `toml:"postmortem"`
}

// KB is the [kb] table.
type KB struct {
	ReviewDays int `toml:"review_days"`
}

// Site is the [site] table.
type Site struct {
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

// Check is the [check] table.
type Check struct {
	Rules map[string]string `toml:"rules"`
}

// Error is a problem in desk.toml, with the position it is at: Line
// and Col (in runes) are 1-based, and 0 when the problem has no place in the
// file. The message names the line only.
type Error struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Default returns the configuration desk init writes, for language "en" or "zh".
func Default(language string) *Config {
	c, err := Parse("desk.toml", []byte(DefaultText("TS", "Asia/Shanghai", language)))
	if err != nil {
		panic("default configuration does not load: " + err.Error()) // a bug in this file, not user input
	}
	return c
}

// Sections in Chinese, used when [desk] language = "zh".
var zhSections = Sections{
	Description: "问题描述",
	Analysis:    "问题分析",
	Handling:    "技术处理过程",
	Resolution:  "处理结果",
	Postmortem:  "故障总结",
}

var enSections = Sections{
	Description: "Description",
	Analysis:    "Analysis",
	Handling:    "Handling record",
	Resolution:  "Resolution",
	Postmortem:  "Post-incident review",
}

// DefaultText is the desk.toml that desk init writes.
func DefaultText(prefix, timezone, language string) string {
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
# templates/CATEGORY.md, when it exists, is the body of a new ticket of that category

# [[routing]]                    # the first rule that matches a new ticket (ticket new, triage) gives
# name = "printers"              # it an assignee and a priority it does not have yet
# category = ["hardware"]        # every key given must match, any value of a list
# channel = ["onsite", "phone"]
# tags = ["printer"]
# words = ["printer", "打印机"]   # in the title or description, in any case
# org = ["Finance"]              # the requester's org
# team = ["li.si", "wang.wu"]    # round-robin; or assignee = "li.si"
# priority = "medium"

# [[escalation]]                 # desk escalate (run it from a scheduled job) applies these to open
# name = "high at risk"          # tickets; a ticket is escalated by a rule once
# when = "at_risk"               # "at_risk" or "breached"
# clock = "resolve"              # "respond", "resolve" or "update"; left out: any
# priority = ["high", "medium"]  # only these priorities; left out: any (category likewise)
# raise = true                   # raise the priority one step: low → medium → high
# assignee = "duty.manager"      # hand the ticket over
# tag = "escalated"              # mark it
#
# [intake]                       # desk intake: mail into tickets
# imap = "imaps://mail.example.com/INBOX"   # the user and password come from the environment:
# user_env = "DESK_IMAP_USER"                # these name the variables (the defaults shown)
# password_env = "DESK_IMAP_PASSWORD"
# max_attachment = "10MB"        # larger attachments are not saved (the ticket says so)

# [mail]                         # desk ticket reply sends the reply to the requester
# smtp = "smtps://mail.example.com:465"      # or smtp://host:587 (STARTTLS when offered)
# from = "IT Service Desk <helpdesk@example.com>"
# user_env = "DESK_SMTP_USER"                # the variables holding the user and password
# password_env = "DESK_SMTP_PASSWORD"

# [webhook]                      # desk escalate posts what it did here, as JSON
# url = "https://hooks.example.com/desk"
# secret_env = "DESK_WEBHOOK_SECRET"   # its value signs the body: X-Desk-Signature: sha256=HMAC

[calendar]                       # business time, for targets in "bh" and "bd"
workdays = ["mon", "tue", "wed", "thu", "fri"]
hours = ["09:00", "18:00"]
holidays = [2026-10-01, 2026-10-02]
# workdates = [2026-09-27]       # make-up working days on a weekend (调休)
# holidays_ics = ["calendars/holidays.ics"]   # iCalendar files in this repository: their events are holidays
# workdates_ics = ["calendars/workdates.ics"] # ... or make-up working days

# [calendars.cn]                 # a named calendar, same keys as [calendar] and a timezone;
# timezone = "Asia/Shanghai"     # a target takes it with calendar = "cn" ("always" is 24×7)
# holidays_ics = ["calendars/cn-2026.ics"]

[sla]
at_risk = 0.75                   # an open ticket is at risk once this share of a target has passed
pause = ["pending"]              # statuses during which the clocks stop

[[sla.priority]]
name = "high"
respond = "1h"
resolve = "4h"
update = "2h"                    # the longest an open ticket goes without a public reply (desk ticket reply)
# calendar = "always"            # the calendar of this entry's bh/bd targets; [calendar] when left out

[[sla.priority]]
name = "medium"
respond = "4h"
resolve = "24h"
update = "1bd"

[[sla.priority]]
name = "low"
respond = "24h"
resolve = "3bd"
update = "2bd"

[[sla.category]]                 # optional: a category whose targets override the priority's
name = "complaint"
respond = "24h"

[major]                          # tickets with major = true (the emergency mechanism)
update_every = "2h"              # an open major ticket needs an event at least this often
require = ["lead", "section:postmortem"]   # before it may be closed:
require_at = "closed"            # and at every status after it in workflow.statuses

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
base_url = "/"                   # the site's address: "https://kb.example.com/" gives it a sitemap and a feed
`, prefix, timezone, language, s.Description, s.Analysis, s.Handling, s.Resolution, s.Postmortem, title)
}

// Load reads and validates the desk.toml at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	return Parse(path, data)
}

var (
	prefixRE   = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,15}$`)
	statusRE   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	clockRE    = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)
	weekdayIdx = map[string]time.Weekday{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
)

// KnownRules lists the rule IDs of desk check, so [check.rules] can be validated.
var KnownRules = []string{
	"parse", "unknown-field", "invalid-value", "id-format", "duplicate-id", "required-field",
	"invalid-transition", "status-mismatch", "event-order", "sla-breached", "sla-at-risk",
	"sla-unexplained", "major-incident", "kb-link", "ticket-link", "kb-stale", "personal-data",
	"history-rewritten", "id-taken", "event-time",
}

// parseTargets reads one target entry, its targets on the calendar it
// names; on error it also returns the key at fault.
func (c *Config) parseTargets(t SLATarget) (sla.Targets, string, error) {
	var out sla.Targets
	if t.Name == "" {
		return out, "name", errors.New("name is missing")
	}
	cal := c.Cal
	if t.Calendar != "" {
		if cal = c.cals[t.Calendar]; cal == nil {
			return out, "calendar", fmt.Errorf("unknown calendar %q; the calendars are %s, or leave calendar out for [calendar]", t.Calendar, strings.Join(sortedKeys(c.cals), ", "))
		}
	}
	for _, p := range []struct {
		key, s string
		dst    **sla.Target
	}{{"respond", t.Respond, &out.Respond}, {"resolve", t.Resolve, &out.Resolve}, {"update", t.Update, &out.Update}} {
		if p.s == "" {
			continue
		}
		d, err := sla.ParseDuration(p.s)
		if err != nil {
			return out, p.key, err
		}
		*p.dst = &sla.Target{Duration: d, Calendar: cal}
	}
	if t.Calendar != "" && out == (sla.Targets{}) {
		return out, "calendar", errors.New("calendar applies to the respond, resolve and update targets of its entry, and this one has none")
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

// SectionKeys are the keys of [sections], in the order of a ticket's body.
var SectionKeys = []string{"description", "analysis", "handling", "resolution", "postmortem"}

func validRequirement(f string) error {
	if s, ok := strings.CutPrefix(f, "section:"); ok {
		if !slices.Contains(SectionKeys, s) {
			return fmt.Errorf("unknown section %q; the sections are %s", s, strings.Join(SectionKeys, ", "))
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

// Targets returns the targets that apply to a ticket of this category and
// priority, each on the calendar of its entry: a [[sla.category]] entry
// overrides the priority's targets key by key. A ticket without a priority
// takes sla.default_priority, else the last (least urgent) priority, so an
// untriaged ticket's response clock still runs.
func (c *Config) Targets(category, priority string) sla.Targets {
	if priority == "" {
		priority = c.SLA.DefaultPriority
		if priority == "" && len(c.SLA.Priority) > 0 {
			priority = c.SLA.Priority[len(c.SLA.Priority)-1].Name
		}
	}
	t := c.targets[priority]
	if ct, ok := c.catTargets[category]; ok {
		for _, p := range [...]struct{ dst, src **sla.Target }{{&t.Respond, &ct.Respond}, {&t.Resolve, &ct.Resolve}, {&t.Update, &ct.Update}} {
			if *p.src != nil {
				*p.dst = *p.src
			}
		}
	}
	return t
}

// HasUpdateTargets reports whether any [[sla.priority]] or [[sla.category]]
// entry sets an update target.
func (c *Config) HasUpdateTargets() bool {
	for _, m := range []map[string]sla.Targets{c.targets, c.catTargets} {
		for _, t := range m {
			if t.Update != nil {
				return true
			}
		}
	}
	return false
}

// CalendarNames are the names a target's calendar key may take, sorted.
func (c *Config) CalendarNames() []string { return sortedKeys(c.cals) }

// MajorRequired reports whether a major ticket at status must hold what
// major.require asks: at major.require_at and every status after it.
func (c *Config) MajorRequired(status string) bool {
	at := slices.Index(c.Workflow.Statuses, c.Major.RequireAt)
	i := slices.Index(c.Workflow.Statuses, status)
	return at >= 0 && i >= at
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

// Resolved reports whether a ticket counts as resolved for writing it up:
// its status is one of workflow.resolved, or a final status (one with no
// way out, such as archived) that it reached through a resolved status
// without being reopened since.
func (c *Config) Resolved(t *ticket.Ticket) bool {
	if slices.Contains(c.Workflow.Resolved, t.Status) {
		return true
	}
	if len(c.Workflow.Transitions[t.Status]) > 0 {
		return false
	}
	resolved := false
	for _, e := range t.Events {
		switch {
		case e.To == "":
		case slices.Contains(c.Workflow.Resolved, e.To):
			resolved = true
		case c.Open(e.To):
			resolved = false
		}
	}
	return resolved
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
