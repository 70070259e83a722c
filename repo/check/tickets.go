package check

import (
	"cmp"
	"fmt"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
	"github.com/deskhq/desk/ticket/sla"
)

var typeErrRE = regexp.MustCompile(`wrong type|incompatible types|cannot decode|type mismatch|parsing time`)

// fileError reports a file that cannot be decoded: parse, or invalid-value
// for a value of the wrong type. BurntSushi/toml places a type error at the
// last key of that name, which in an array of tables is often another entry,
// and a time's error does not name its key; so the value at fault is looked
// for again, first in file order, with the type of its key in root.
func (c *checker) fileError(p, id string, line, col int, msg string, root reflect.Type) {
	if !typeErrRE.MatchString(msg) {
		c.add(Parse, p, id, atLine(line, col), "%s", msg)
		return
	}
	if data, err := c.read(p); err == nil {
		if doc, err := front.ParseNoValidate(data); err == nil {
			for _, k := range doc.Keys() {
				typ := fieldType(root, indexRE.ReplaceAllString(k.Path, ""))
				if typ == nil || inlineTables(k.Value, typ) {
					continue // unknown, or checked key by key
				}
				if !fits(k.Value, typ) {
					c.add(InvalidValue, p, id, atLine(k.Pos.Line, k.Pos.Col), "%s = %s: want %s", k.Path, short(k.Value), typeName(k.Path, typ))
					return
				}
			}
		}
	}
	c.add(InvalidValue, p, id, atLine(line, col), "%s", msg)
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// fieldType is the type of the key at path (events.at) in the struct root,
// by toml tags; nil when the format has no such key.
func fieldType(t reflect.Type, path string) reflect.Type {
	for _, part := range strings.Split(path, ".") {
		for t.Kind() == reflect.Pointer || (t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct) {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		f, ok := fieldByTag(t, part)
		if !ok {
			return nil
		}
		t = f.Type
	}
	return t
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if f := t.Field(i); f.Tag.Get("toml") == tag {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// fits reports whether a TOML value decodes into a value of type t.
func fits(value string, t reflect.Type) bool {
	doc, err := front.ParseNoValidate([]byte("+++\nv = " + value + "\n+++\n"))
	if err != nil {
		return true // not a value on its own; not what is looked for
	}
	v := reflect.New(reflect.StructOf([]reflect.StructField{{Name: "V", Type: t, Tag: `toml:"v"`}}))
	_, err = doc.Decode(v.Interface())
	return err == nil
}

var timeType = reflect.TypeOf(time.Time{})

// inlineTables reports whether a value is an inline table, or an array of
// them, for a table or array of tables: its keys are listed on their own.
func inlineTables(value string, t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	v := strings.TrimLeft(value, "[ \t\r\n")
	return t.Kind() == reflect.Struct && t != timeType && strings.HasPrefix(v, "{")
}

func typeName(path string, t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType && strings.HasSuffix(path, "review_by"):
		return "a date such as 2027-11-23"
	case t == timeType:
		return "a time with its offset, such as 2026-11-22T09:14:00+08:00"
	case t.Kind() == reflect.String:
		return "a string in double quotes"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Int:
		return "a whole number"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return `an array of strings, such as ["a", "b"]`
	case t.Kind() == reflect.Slice:
		return "an array of tables"
	}
	return "a table"
}

// short is a value as a message quotes it: one line, at most 40 characters.
func short(v string) string {
	v = strings.Join(strings.Fields(v), " ")
	if r := []rune(v); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return v
}

// checkTicket applies the per-file rules to one ticket: a file that does not
// decode is one parse or invalid-value finding; a decoded one goes through
// the ticket code of every rule that is on.
func (c *checker) checkTicket(rec *records.Record, w *world) {
	fileID := strings.TrimSuffix(path.Base(rec.Path), ".md")
	if rec.Err != nil {
		c.fileError(rec.Path, fileID, rec.Err.Line, rec.Err.Col, rec.Err.Msg, reflect.TypeOf(ticket.Ticket{}))
		return
	}
	t := &rec.Ticket
	p := &ticketPass{pass: pass{c: c, w: w, path: rec.Path, id: cmp.Or(t.ID, fileID)},
		rec: rec, t: t, cfg: c.cfg, fileID: fileID}
	c.ignore(p.path, p.id, t.CheckIgnore, t.CheckIgnoreReason)
	p.moved, p.reached = lastMove(t.Events)
	applyRules(p, &p.pass, func(r *Rule) func(*ticketPass) { return r.ticket })
}

// ticketPass is one decoded ticket, as the ticket code of a rule reads it.
type ticketPass struct {
	pass
	rec    *records.Record
	t      *ticket.Ticket
	cfg    *config.Config
	fileID string // the ID the file name gives
	// The status the log's last move reached, and the index of that event
	// ("" and -1: no event moves the ticket).
	moved   string
	reached int
	clocks  []namedClock // the SLA clocks, once an SLA rule asked for them
}

// lastMove finds the last event of the log that moves the ticket.
func lastMove(events []ticket.Event) (status string, index int) {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].To != "" {
			return events[i].To, i
		}
	}
	return "", -1
}

// unknownTicketKeys is unknown-field for a ticket.
func unknownTicketKeys(p *ticketPass) { p.unknownKeys(p.rec.Unknown, ticket.Known) }

// ticketID is id-format for a ticket: the form and prefix of its ID, the
// file it is in, and the day it names. A missing ID is a required-field.
func ticketID(p *ticketPass) {
	t, cfg := p.t, p.cfg
	if t.ID == "" {
		return
	}
	pid, err := ticket.ParseID(t.ID)
	if err != nil {
		if _, day, ok := strings.Cut(err.Error(), ticket.ErrBadID.Error()+": "); ok && strings.HasSuffix(day, "is not a date") {
			p.report(atKey("id"), "id %q is not of the form %s-YYYYMMDD-N: %s", t.ID, cfg.Desk.IDPrefix, day)
		} else {
			p.report(atKey("id"), "id %q is not of the form %s-YYYYMMDD-N", t.ID, cfg.Desk.IDPrefix)
		}
		return
	}
	if pid.Prefix != cfg.Desk.IDPrefix {
		p.report(atKey("id"), "id %q has the prefix %s; desk.toml sets id_prefix = %q", t.ID, pid.Prefix, cfg.Desk.IDPrefix)
	}
	if want := pid.Path(); want != p.path {
		p.report(atKey("id"), "the file of %s must be %s", t.ID, want)
	}
	// The day of an ID is the registration day in the configured zone.
	if !t.Created.IsZero() {
		d := t.Created.In(cfg.Location)
		if d.Year() != pid.Year || d.Month() != pid.Month || d.Day() != pid.Day {
			p.report(atKey("created"), "created is %s but the ID %s names the day %04d-%02d-%02d; the ID's day is the registration day in %s",
				p.c.fmtTime(t.Created), t.ID, pid.Year, pid.Month, pid.Day, cfg.Location)
		}
	}
}

// ticketValues is invalid-value for a ticket: the values desk.toml or the
// format lists, part quantities, and the actions and statuses of events.
func ticketValues(p *ticketPass) {
	t, cfg := p.t, p.cfg
	allowed := func(key []string, what, v string, list []string) {
		if v != "" && !slices.Contains(list, v) {
			p.report(atKey(key...), "%s %q is not allowed; use one of: %s", what, v, strings.Join(list, ", "))
		}
	}
	allowed([]string{"status"}, "status", t.Status, cfg.Workflow.Statuses)
	allowed([]string{"priority"}, "priority", t.Priority, cfg.Priorities())
	allowed([]string{"category"}, "category", t.Category, cfg.Tickets.Categories)
	allowed([]string{"channel"}, "channel", t.Channel, cfg.Tickets.Channels)
	if fb := t.Feedback; fb != nil {
		allowed([]string{"feedback", "rating"}, "rating", fb.Rating, ticket.Ratings)
		allowed([]string{"feedback", "via"}, "feedback.via", fb.Via, cfg.Tickets.Channels)
	}
	for i, part := range t.Parts {
		if part.Qty <= 0 {
			p.report(loc{array: "parts", index: i, key: []string{"qty"}, orEvent: -1}, "part %q has quantity %d; want 1 or more", part.Name, part.Qty)
		}
	}
	for i, e := range t.Events {
		if !slices.Contains(ticket.Actions, e.Action) {
			p.report(atEventKey(i, "action"), "event %d: action %q is not allowed; use one of: %s", i+1, e.Action, strings.Join(ticket.Actions, ", "))
		}
		for _, st := range []struct{ k, v string }{{"from", e.From}, {"to", e.To}} {
			if st.v != "" && !cfg.IsStatus(st.v) {
				p.report(atEventKey(i, st.k), "event %d: %s %q is not a status; the statuses are %s", i+1, st.k, st.v, strings.Join(cfg.Workflow.Statuses, ", "))
			}
		}
	}
}

// ticketRequired is required-field for a ticket: an ID, a status, a log
// whose events say who and when, and what [required] asks for at this
// status and every earlier one.
func ticketRequired(p *ticketPass) {
	t, cfg := p.t, p.cfg
	if t.ID == "" {
		p.report(atLine(1, 1), "the ticket has no id; it should be %q, from its file name", p.fileID)
	}
	if t.Status == "" {
		p.report(atLine(1, 1), "the ticket has no status")
	}
	for i, e := range t.Events {
		if strings.TrimSpace(e.By) == "" {
			p.report(atEvent(i), "event %d does not say who recorded it (by); every step of the record is traceable to a person", i+1)
		}
	}
	for i, e := range t.Events {
		if e.At.IsZero() {
			p.report(atEvent(i), "event %d has no time (at)", i+1)
		}
	}
	if len(t.Events) == 0 {
		p.report(atLine(1, 1), "the ticket has no events; its log starts with a create event")
	}
	if !cfg.IsStatus(t.Status) {
		return
	}
	for _, req := range cfg.Missing(p.rec, t.Status) {
		asked, at := p.c.askedAt(t, req)
		if at < 0 {
			at = p.reached
		}
		p.report(p.c.requirementLoc(p.rec, req, at), "%s is required once a ticket is %s%s", p.c.describe(req), asked, howTo(req))
	}
}

// transitions is invalid-transition: the log starts with the create event
// in the initial status, and every later move is an edge of the workflow
// from the status the move before reached.
func transitions(p *ticketPass) {
	t, cfg := p.t, p.cfg
	if len(t.Events) > 0 && t.Events[0].Action != "create" {
		p.report(atEventKey(0, "action"), "the log starts with a %s event; the first event of a ticket is its create event", t.Events[0].Action)
	}
	prev := ""
	for i, e := range t.Events {
		if e.To == "" {
			continue
		}
		switch {
		case i == 0 && e.Action != "create":
			// reported above
		case i == 0:
			if e.To != cfg.Workflow.Initial {
				p.report(atEventKey(i, "to"), "a ticket is created in status %s, not %s", cfg.Workflow.Initial, e.To)
			}
		case prev == "":
			p.report(atEvent(i), "event %d moves to %s before any event created the ticket", i+1, e.To)
		default:
			if e.From != "" && e.From != prev {
				p.report(atEventKey(i, "from"), "event %d moves from %s, but the ticket was %s", i+1, e.From, prev)
			}
			if !cfg.CanMove(prev, e.To) && cfg.IsStatus(e.To) && cfg.IsStatus(prev) {
				p.report(atEventKey(i, "to"), "event %d moves %s → %s, which [workflow.transitions] does not allow; from %s it allows %s", i+1, prev, e.To, prev, orNothing(cfg.Workflow.Transitions[prev]))
			}
		}
		prev = e.To
	}
}

// statusMismatch is status-mismatch: the status is the one the log's last
// move reached.
func statusMismatch(p *ticketPass) {
	if t := p.t; p.moved != "" && t.Status != "" && p.moved != t.Status {
		p.report(atKey("status"), "status is %q but the last event moved the ticket to %q; change the status with desk ticket move", t.Status, p.moved)
	}
}

// eventOrder is event-order: the log is oldest first, starts no earlier
// than created, and holds nothing later than now. An event without a time
// is a required-field.
func eventOrder(p *ticketPass) {
	t, c := p.t, p.c
	var last time.Time
	for i, e := range t.Events {
		if e.At.IsZero() {
			continue
		}
		switch {
		case !last.IsZero() && e.At.Before(last):
			p.report(atEventKey(i, "at"), "event %d at %s is before the event before it (%s); the log is kept oldest first", i+1, c.fmtTime(e.At), c.fmtTime(last))
		case !t.Created.IsZero() && e.At.Before(t.Created):
			p.report(atEventKey(i, "at"), "event %d at %s is before the ticket was created (%s)", i+1, c.fmtTime(e.At), c.fmtTime(t.Created))
		}
		if e.At.After(c.now) {
			p.report(atEventKey(i, "at"), "event %d at %s is later than now (%s)", i+1, c.fmtTime(e.At), c.fmtTime(c.now))
		}
		last = e.At
	}
}

// namedClock is an SLA clock and the word messages name it by.
type namedClock struct {
	name string
	*sla.Clock
}

// clockWords name the clocks in messages.
var clockWords = map[string]string{"respond": "response", "resolve": "resolution", "update": "update"}

// slaClocks are the ticket's response, resolution and update clocks that
// run, computed once for the three SLA rules.
func (p *ticketPass) slaClocks() []namedClock {
	if p.clocks == nil {
		p.clocks = []namedClock{}
		for name, k := range p.cfg.Clocks(p.t, p.c.now).All() {
			p.clocks = append(p.clocks, namedClock{clockWords[name], k})
		}
	}
	return p.clocks
}

// slaBreached is sla-breached: an open ticket past a target.
func slaBreached(p *ticketPass) { p.openClocks(sla.StateBreached, "missed") }

// slaAtRisk is sla-at-risk: an open ticket past sla.at_risk of a target.
func slaAtRisk(p *ticketPass) { p.openClocks(sla.StateAtRisk, "at risk") }

// openClocks reports the clocks of an open ticket that are in state, at
// its priority (the key that sets the targets), else at created.
func (p *ticketPass) openClocks(state sla.State, verb string) {
	if !p.cfg.Open(p.t.Status) {
		return
	}
	at := atKey("priority")
	if p.t.Priority == "" {
		at = atKey("created")
	}
	for _, k := range p.slaClocks() {
		if k.State != state {
			continue
		}
		since := ""
		if k.name == "update" {
			since = "no public reply since " + p.c.fmtTime(k.Since) + "; "
		}
		p.report(at, "%s target %s "+verb+": %sdue %s, %s counted", k.name, k.Target, since, p.c.fmtTime(k.Due), sla.FormatElapsed(k.Elapsed, k.Target.Unit))
	}
}

// slaUnexplained is sla-unexplained: a resolved or closed ticket that
// missed a target says why.
func slaUnexplained(p *ticketPass) {
	t, cfg := p.t, p.cfg
	if cfg.Open(t.Status) || !slices.Contains(cfg.Workflow.Resolved, t.Status) || strings.TrimSpace(t.SLA.BreachReason) != "" {
		return
	}
	for _, k := range p.slaClocks() {
		switch {
		case k.Missed > 0:
			n := k.Missed
			if k.State == sla.StateBreached {
				n++
			}
			p.report(atKey("status"), "the %s target %s was missed (%d stretches without a public reply in time); say why in [sla] breach_reason", k.name, k.Target, n)
		case k.State == sla.StateBreached:
			p.report(atKey("status"), "the %s target %s was missed (%s counted); say why in [sla] breach_reason", k.name, k.Target, sla.FormatElapsed(k.Elapsed, k.Target.Unit))
		}
	}
}

// majorIncident is major-incident: while open, a major incident is updated
// at least every major.update_every; from major.require_at on (closed), it
// has what major.require asks.
func majorIncident(p *ticketPass) {
	t, cfg, c := p.t, p.cfg, p.c
	if !t.Major {
		return
	}
	every := cfg.MajorUpdateEvery()
	wasOpen := true
	for i := 1; i < len(t.Events) && wasOpen; i++ {
		a, b := t.Events[i-1].At, t.Events[i].At
		if gap := c.majorDue(a, every); b.After(gap) {
			p.report(atEvent(i), "major incident went without an update from %s to %s; major.update_every asks for one every %s", c.fmtTime(a), c.fmtTime(b), every)
		}
		if to := t.Events[i].To; to != "" {
			wasOpen = cfg.Open(to)
		}
	}
	if cfg.Open(t.Status) && len(t.Events) > 0 {
		lastAt := t.LastEvent()
		if c.now.After(c.majorDue(lastAt, every)) {
			p.report(atEvent(len(t.Events)-1), "major incident without an update since %s; major.update_every asks for one every %s", c.fmtTime(lastAt), every)
		}
	}
	if cfg.MajorRequired(t.Status) {
		for _, req := range cfg.Major.Require {
			if !cfg.Has(p.rec, req) {
				p.report(c.requirementLoc(p.rec, req, p.reached), "a major incident needs %s before it is %s (major.require)", c.describe(req), t.Status)
			}
		}
	}
}

// ticketKBLinks is kb-link for a ticket: the articles its kb names exist.
func ticketKBLinks(p *ticketPass) {
	for _, slug := range p.t.KB {
		if !p.w.articleExists(slug) {
			p.report(atKey("kb"), "kb names article %q, but kb/%s.md does not exist", slug, slug)
		}
	}
}

// ticketLinks is ticket-link: the tickets a ticket's link keys name exist,
// and none is the ticket itself. While the tickets of the work tree stream
// through the rules, which exist is not known yet: the links wait for the
// end of the stream.
func ticketLinks(p *ticketPass) {
	for _, l := range p.t.Links() {
		ref := linkRef{rule: p.rule, path: p.path, id: p.id, key: l.Key, target: l.ID}
		switch {
		case l.ID == p.t.ID:
			p.report(atKey(l.Key), "%s names the ticket itself", l.Key)
		case p.w.ticketExists == nil:
			ref.path, ref.id, ref.key, ref.target = strings.Clone(ref.path), strings.Clone(ref.id), strings.Clone(ref.key), strings.Clone(ref.target)
			p.c.mu.Lock()
			p.c.links = append(p.c.links, ref)
			p.c.mu.Unlock()
		default:
			p.c.linkTarget(p.w, ref)
		}
	}
}

// linkRef is a ticket link: the ticket, the key and the ticket it names.
type linkRef struct {
	rule                  *Rule
	path, id, key, target string
}

// linkTarget reports a link to a ticket that does not exist.
func (c *checker) linkTarget(w *world, l linkRef) {
	if !w.ticketExists(l.target) {
		c.add(l.rule, l.path, l.id, atKey(l.key), "%s names ticket %s, which does not exist", l.key, l.target)
	}
}

// majorDue is when the next update of a major incident is due after t.
func (c *checker) majorDue(t time.Time, every sla.Duration) time.Time {
	if every.Business() {
		return c.cfg.Cal.AddBusiness(t, every.Length(c.cfg.Cal))
	}
	return t.Add(time.Duration(every.N) * unitLen(every.Unit))
}

func unitLen(u sla.Unit) time.Duration {
	switch u {
	case "m":
		return time.Minute
	case "h":
		return time.Hour
	case "d":
		return 24 * time.Hour
	}
	return time.Hour
}

// askedAt returns the first status of workflow.statuses whose [required]
// list asks for req, and the index of the first event that reached it or a
// later status (-1: none did).
func (c *checker) askedAt(t *ticket.Ticket, req string) (string, int) {
	st := c.cfg.Workflow.Statuses
	for k, s := range st {
		if !slices.Contains(c.cfg.Required[s], req) {
			continue
		}
		for i, e := range t.Events {
			if slices.Index(st, e.To) >= k {
				return s, i
			}
		}
		return s, -1
	}
	return "", -1
}

// requirementLoc points at an empty key or section, else at the event that
// made the ticket reach the status asking for it (reached).
func (c *checker) requirementLoc(rec *records.Record, req string, reached int) loc {
	if s, ok := strings.CutPrefix(req, "section:"); ok {
		return loc{section: c.cfg.Heading(s), orEvent: reached}
	}
	return loc{key: strings.Split(req, "."), orEvent: reached}
}

// describe names a requirement as the file shows it: a key, or a section by
// its heading.
func (c *checker) describe(req string) string {
	if s, ok := strings.CutPrefix(req, "section:"); ok {
		return fmt.Sprintf("the section ## %s (%s)", c.cfg.Heading(s), s)
	}
	return req
}

func howTo(req string) string {
	switch {
	case strings.HasPrefix(req, "feedback."):
		return " (desk ticket feedback ID --rating … --confirmed-by …)"
	case req == "section:handling":
		return " (desk ticket comment ID TEXT --section handling)"
	case req == "section:resolution":
		return " (desk ticket move ID resolved --resolution TEXT)"
	case strings.HasPrefix(req, "section:"):
		return " (desk ticket comment ID TEXT --section " + strings.TrimPrefix(req, "section:") + ")"
	case req == "category" || req == "priority" || req == "priority_reason":
		return " (desk ticket triage)"
	}
	return " (desk ticket set ID " + req + "=…)"
}

func orNothing(list []string) string {
	if len(list) == 0 {
		return "nothing (it is final)"
	}
	return strings.Join(list, ", ")
}

func (c *checker) fmtTime(t time.Time) string {
	return t.In(c.cfg.Location).Format("2006-01-02 15:04")
}

var arrayKeyRE = regexp.MustCompile(`^([a-z_.]+)\[(\d+)\](?:\.(.+))?$`)

// keyLoc turns a front.KeyInfo path into a location: a key, a table, an
// element of an array of tables (events[2]) or a key in one (parts[0].nme).
func keyLoc(k string) loc {
	if m := arrayKeyRE.FindStringSubmatch(k); m != nil {
		i, _ := strconv.Atoi(m[2])
		if m[3] == "" {
			return loc{array: m[1], index: i, orEvent: -1}
		}
		return loc{array: m[1], index: i, key: splitPath(m[3]), orEvent: -1}
	}
	return atKey(splitPath(k)...)
}

// splitPath splits a front.KeyInfo path into its parts, unquoting the parts
// written as TOML basic strings ("my key", "a.b").
func splitPath(k string) []string {
	var parts []string
	for k != "" {
		part := k
		if k[0] == '"' {
			end := 1
			for end < len(k) && k[end] != '"' {
				if k[end] == '\\' {
					end++
				}
				end++
			}
			part = k[:min(end+1, len(k))]
			if u, err := strconv.Unquote(part); err == nil {
				parts = append(parts, u)
			} else {
				parts = append(parts, part)
			}
		} else {
			if i := strings.IndexByte(k, '.'); i >= 0 {
				part = k[:i]
			}
			parts = append(parts, part)
		}
		k = strings.TrimPrefix(k[len(part):], ".")
	}
	return parts
}

// outermost drops the unknown keys that sit in an unknown table or array of
// tables: the finding for the table covers them.
func outermost(keys []string) []string {
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		set[k] = true
	}
	out := keys[:0:0]
	for _, k := range keys {
		inside := false
		for i := 1; i < len(k) && !inside; i++ {
			inside = (k[i] == '.' || k[i] == '[') && set[k[:i]]
		}
		if !inside {
			out = append(out, k)
		}
	}
	return out
}

// suggest names the closest known key, for a typing mistake.
func suggest(k string, known map[string]bool) string {
	norm := indexRE.ReplaceAllString(k, "")
	prefix, name := "", norm
	if i := strings.LastIndexByte(norm, '.'); i >= 0 {
		prefix, name = norm[:i+1], norm[i+1:]
	}
	best, bestD := "", 1<<30
	for cand := range known {
		cp, cn := "", cand
		if i := strings.LastIndexByte(cand, '.'); i >= 0 {
			cp, cn = cand[:i+1], cand[i+1:]
		}
		if cp != prefix {
			continue
		}
		if d := distance(name, cn); d < bestD || (d == bestD && cn < best) {
			best, bestD = cn, d
		}
	}
	if best == "" || bestD > max(2, len(name)/2) {
		return "; the format does not have it"
	}
	return fmt.Sprintf("; did you mean %s?", best)
}

// distance is the Levenshtein distance between two strings.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
