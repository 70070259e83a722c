package check

import (
	"fmt"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskhq/desk/repo"
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

// checkTicket applies the per-file rules to one ticket.
func (c *checker) checkTicket(rec *repo.Record, w *world) {
	p := rec.Path
	fileID := strings.TrimSuffix(path.Base(p), ".md")
	if rec.Err != nil {
		c.fileError(p, fileID, rec.Err.Line, rec.Err.Col, rec.Err.Msg, reflect.TypeOf(ticket.Ticket{}))
		return
	}
	t := &rec.Ticket
	id := t.ID
	if id == "" {
		id = fileID
	}
	c.ignore(p, id, t.CheckIgnore, t.CheckIgnoreReason)
	cfg := c.cfg

	for _, k := range outermost(rec.Unknown) {
		c.add(UnknownField, p, id, keyLoc(k), "unknown key %s%s", k, suggest(k, ticket.Known))
	}

	// id-format
	if t.ID == "" {
		c.add(RequiredField, p, id, atLine(1, 1), "the ticket has no id; it should be %q, from its file name", fileID)
	} else if pid, err := ticket.ParseID(t.ID); err != nil {
		if _, day, ok := strings.Cut(err.Error(), ticket.ErrBadID.Error()+": "); ok && strings.HasSuffix(day, "is not a date") {
			c.add(IDFormat, p, id, atKey("id"), "id %q is not of the form %s-YYYYMMDD-N: %s", t.ID, cfg.Desk.IDPrefix, day)
		} else {
			c.add(IDFormat, p, id, atKey("id"), "id %q is not of the form %s-YYYYMMDD-N", t.ID, cfg.Desk.IDPrefix)
		}
	} else {
		if pid.Prefix != cfg.Desk.IDPrefix {
			c.add(IDFormat, p, id, atKey("id"), "id %q has the prefix %s; desk.toml sets id_prefix = %q", t.ID, pid.Prefix, cfg.Desk.IDPrefix)
		}
		if want := pid.Path(); want != p {
			c.add(IDFormat, p, id, atKey("id"), "the file of %s must be %s", t.ID, want)
		}
		// The day of an ID is the registration day in the configured zone.
		if !t.Created.IsZero() {
			d := t.Created.In(cfg.Location)
			if d.Year() != pid.Year || d.Month() != pid.Month || d.Day() != pid.Day {
				c.add(IDFormat, p, id, atKey("created"), "created is %s but the ID %s names the day %04d-%02d-%02d; the ID's day is the registration day in %s",
					c.fmtTime(t.Created), t.ID, pid.Year, pid.Month, pid.Day, cfg.Location)
			}
		}
	}

	// invalid-value
	allowed := func(key []string, what, v string, list []string) {
		if v != "" && !slices.Contains(list, v) {
			c.add(InvalidValue, p, id, atKey(key...), "%s %q is not allowed; use one of: %s", what, v, strings.Join(list, ", "))
		}
	}
	if t.Status == "" {
		c.add(RequiredField, p, id, atLine(1, 1), "the ticket has no status")
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
			c.add(InvalidValue, p, id, loc{array: "parts", index: i, key: []string{"qty"}, orEvent: -1}, "part %q has quantity %d; want 1 or more", part.Name, part.Qty)
		}
	}
	for i, e := range t.Events {
		if strings.TrimSpace(e.By) == "" {
			c.add(RequiredField, p, id, atEvent(i), "event %d does not say who recorded it (by); every step of the record is traceable to a person", i+1)
		}
		if !slices.Contains(ticket.Actions, e.Action) {
			c.add(InvalidValue, p, id, atEventKey(i, "action"), "event %d: action %q is not allowed; use one of: %s", i+1, e.Action, strings.Join(ticket.Actions, ", "))
		}
		for _, st := range []struct{ k, v string }{{"from", e.From}, {"to", e.To}} {
			if st.v != "" && !cfg.IsStatus(st.v) {
				c.add(InvalidValue, p, id, atEventKey(i, st.k), "event %d: %s %q is not a status; the statuses are %s", i+1, st.k, st.v, strings.Join(cfg.Workflow.Statuses, ", "))
			}
		}
	}

	if len(t.Events) > 0 && t.Events[0].Action != "create" {
		c.add(InvalidTransition, p, id, atEventKey(0, "action"), "the log starts with a %s event; the first event of a ticket is its create event", t.Events[0].Action)
	}

	// The log: transitions, order, and the status it defines.
	reached := -1 // index of the event that reached the current status
	prev := ""
	var last time.Time
	for i, e := range t.Events {
		if e.At.IsZero() {
			c.add(RequiredField, p, id, atEvent(i), "event %d has no time (at)", i+1)
		} else {
			switch {
			case !last.IsZero() && e.At.Before(last):
				c.add(EventOrder, p, id, atEventKey(i, "at"), "event %d at %s is before the event before it (%s); the log is kept oldest first", i+1, c.fmtTime(e.At), c.fmtTime(last))
			case !t.Created.IsZero() && e.At.Before(t.Created):
				c.add(EventOrder, p, id, atEventKey(i, "at"), "event %d at %s is before the ticket was created (%s)", i+1, c.fmtTime(e.At), c.fmtTime(t.Created))
			}
			if e.At.After(c.now) {
				c.add(EventOrder, p, id, atEventKey(i, "at"), "event %d at %s is later than now (%s)", i+1, c.fmtTime(e.At), c.fmtTime(c.now))
			}
			last = e.At
		}
		if e.To == "" {
			continue
		}
		switch {
		case i == 0 && e.Action != "create":
			prev = e.To // reported below
			reached = i
			continue
		case i == 0 && e.Action == "create":
			if e.To != cfg.Workflow.Initial {
				c.add(InvalidTransition, p, id, atEventKey(i, "to"), "a ticket is created in status %s, not %s", cfg.Workflow.Initial, e.To)
			}
		case prev == "":
			c.add(InvalidTransition, p, id, atEvent(i), "event %d moves to %s before any event created the ticket", i+1, e.To)
		default:
			if e.From != "" && e.From != prev {
				c.add(InvalidTransition, p, id, atEventKey(i, "from"), "event %d moves from %s, but the ticket was %s", i+1, e.From, prev)
			}
			if !cfg.CanMove(prev, e.To) && cfg.IsStatus(e.To) && cfg.IsStatus(prev) {
				c.add(InvalidTransition, p, id, atEventKey(i, "to"), "event %d moves %s → %s, which [workflow.transitions] does not allow; from %s it allows %s", i+1, prev, e.To, prev, orNothing(cfg.Workflow.Transitions[prev]))
			}
		}
		prev = e.To
		reached = i
	}
	if len(t.Events) == 0 {
		c.add(RequiredField, p, id, atLine(1, 1), "the ticket has no events; its log starts with a create event")
	} else if prev != "" && t.Status != "" && prev != t.Status {
		c.add(StatusMismatch, p, id, atKey("status"), "status is %q but the last event moved the ticket to %q; change the status with desk ticket move", t.Status, prev)
	}

	// required-field at this status and every earlier one
	if cfg.IsStatus(t.Status) {
		for _, req := range cfg.Missing(rec, t.Status) {
			asked, at := c.askedAt(t, req)
			if at < 0 {
				at = reached
			}
			c.add(RequiredField, p, id, c.requirementLoc(rec, req, at), "%s is required once a ticket is %s%s", c.describe(req), asked, howTo(req))
		}
	}

	// SLA
	res := cfg.Clocks(t, c.now)
	open := cfg.Open(t.Status)
	clocks := []struct {
		name string
		k    *sla.Clock
	}{{"response", res.Respond}, {"resolution", res.Resolve}}
	at := atKey("priority")
	if t.Priority == "" {
		at = atKey("created")
	}
	for _, k := range clocks {
		if k.k == nil {
			continue
		}
		switch {
		case open && k.k.State == sla.StateBreached:
			c.add(SLABreached, p, id, at, "%s target %s missed: due %s, %s counted", k.name, k.k.Target, c.fmtTime(k.k.Due), sla.FormatElapsed(k.k.Elapsed, k.k.Target.Unit))
		case open && k.k.State == sla.StateAtRisk:
			c.add(SLAAtRisk, p, id, at, "%s target %s at risk: due %s, %s counted", k.name, k.k.Target, c.fmtTime(k.k.Due), sla.FormatElapsed(k.k.Elapsed, k.k.Target.Unit))
		case slices.Contains(cfg.Workflow.Resolved, t.Status) && k.k.State == sla.StateBreached && strings.TrimSpace(t.SLA.BreachReason) == "":
			c.add(SLAUnexplained, p, id, atKey("status"), "the %s target %s was missed (%s counted); say why in [sla] breach_reason", k.name, k.k.Target, sla.FormatElapsed(k.k.Elapsed, k.k.Target.Unit))
		}
	}

	// major incidents
	if t.Major {
		// While it was open, updates came at least every update_every.
		every := cfg.MajorUpdateEvery()
		wasOpen := true
		for i := 1; i < len(t.Events) && wasOpen; i++ {
			a, b := t.Events[i-1].At, t.Events[i].At
			if gap := c.majorDue(a, every); b.After(gap) {
				c.add(MajorIncident, p, id, atEvent(i), "major incident went without an update from %s to %s; major.update_every asks for one every %s", c.fmtTime(a), c.fmtTime(b), every)
			}
			if to := t.Events[i].To; to != "" {
				wasOpen = cfg.Open(to)
			}
		}
		if open && len(t.Events) > 0 {
			lastAt := t.LastEvent()
			if c.now.After(c.majorDue(lastAt, every)) {
				c.add(MajorIncident, p, id, atEvent(len(t.Events)-1), "major incident without an update since %s; major.update_every asks for one every %s", c.fmtTime(lastAt), every)
			}
		}
		if slices.Contains(cfg.Workflow.Resolved, t.Status) {
			for _, req := range cfg.Major.Require {
				if !cfg.Has(rec, req) {
					c.add(MajorIncident, p, id, c.requirementLoc(rec, req, reached), "a major incident needs %s before it is %s (major.require)", c.describe(req), t.Status)
				}
			}
		}
	}

	// kb-link
	for _, slug := range t.KB {
		if !w.articleExists(slug) {
			c.add(KBLink, p, id, atKey("kb"), "kb names article %q, but kb/%s.md does not exist", slug, slug)
		}
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
func (c *checker) requirementLoc(rec *repo.Record, req string, reached int) loc {
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
