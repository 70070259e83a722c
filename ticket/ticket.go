package ticket

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/deskhq/desk/ticket/front"
)

// Ticket is the decoded front matter of a ticket file.
type Ticket struct {
	ID                string     `toml:"id" json:"id"`
	Title             string     `toml:"title" json:"title"`
	Status            string     `toml:"status" json:"status"`
	Created           time.Time  `toml:"created" json:"created"`
	Channel           string     `toml:"channel" json:"channel,omitempty"`
	Category          string     `toml:"category" json:"category,omitempty"`
	Priority          string     `toml:"priority" json:"priority,omitempty"`
	PriorityReason    string     `toml:"priority_reason" json:"priority_reason,omitempty"`
	Assignee          string     `toml:"assignee" json:"assignee,omitempty"`
	Due               *time.Time `toml:"due" json:"due,omitempty"`
	Tags              []string   `toml:"tags" json:"tags,omitempty"`
	KB                []string   `toml:"kb" json:"kb,omitempty"`
	DuplicateOf       string     `toml:"duplicate_of" json:"duplicate_of,omitempty"`
	Duplicates        []string   `toml:"duplicates" json:"duplicates,omitempty"`
	Parent            string     `toml:"parent" json:"parent,omitempty"`
	Children          []string   `toml:"children" json:"children,omitempty"`
	Related           []string   `toml:"related" json:"related,omitempty"`
	Major             bool       `toml:"major" json:"major,omitempty"`
	Lead              string     `toml:"lead" json:"lead,omitempty"`
	Requester         Requester  `toml:"requester" json:"requester"`
	Parts             []Part     `toml:"parts" json:"parts,omitempty"`
	Feedback          *Feedback  `toml:"feedback" json:"feedback,omitempty"`
	SLA               SLAInfo    `toml:"sla" json:"-"`
	Events            []Event    `toml:"events" json:"events"`
	CheckIgnore       []string   `toml:"check_ignore" json:"check_ignore,omitempty"`
	CheckIgnoreReason string     `toml:"check_ignore_reason" json:"check_ignore_reason,omitempty"`
}

// Requester is who reported the problem. It is personal data: it stays in the
// ticket file.
type Requester struct {
	Name    string `toml:"name" json:"name"`
	Org     string `toml:"org" json:"org,omitempty"`
	Contact string `toml:"contact" json:"contact"`
}

// Part is a spare part used.
type Part struct {
	Name string `toml:"name" json:"name"`
	Qty  int    `toml:"qty" json:"qty"`
}

// Feedback is the requester's confirmation of the result.
type Feedback struct {
	Rating      string     `toml:"rating" json:"rating,omitempty"`
	ConfirmedBy string     `toml:"confirmed_by" json:"confirmed_by,omitempty"`
	ConfirmedAt *time.Time `toml:"confirmed_at" json:"confirmed_at,omitempty"`
	Via         string     `toml:"via" json:"via,omitempty"`
	Comment     string     `toml:"comment" json:"comment,omitempty"`
}

// SLAInfo is the [sla] table of a ticket.
type SLAInfo struct {
	BreachReason string `toml:"breach_reason" json:"breach_reason,omitempty"`
}

// Event is one entry of a ticket's log.
type Event struct {
	At     time.Time `toml:"at" json:"at"`
	By     string    `toml:"by" json:"by"`
	Action string    `toml:"action" json:"action"`
	From   string    `toml:"from" json:"from,omitempty"`
	To     string    `toml:"to" json:"to,omitempty"`
	Note   string    `toml:"note" json:"note,omitempty"`
	Field  string    `toml:"field" json:"field,omitempty"`
	Value  string    `toml:"value" json:"value,omitempty"`
	// Public marks an event the requester sees (a reply); every other
	// event is internal. Public events restart the update clock.
	Public bool `toml:"public" json:"public,omitempty"`
	// MessageID is the Message-ID of the e-mail the event came from
	// (desk intake), without angle brackets: a message is taken in once.
	MessageID string `toml:"message_id" json:"message_id,omitempty"`
}

// Known lists every key of the ticket format, with array indexes and table
// prefixes written as in front.KeyInfo paths without the index: events.to.
var Known = map[string]bool{
	"id": true, "title": true, "status": true, "created": true, "channel": true, "category": true,
	"priority": true, "priority_reason": true, "assignee": true, "due": true, "tags": true, "kb": true,
	"duplicate_of": true, "duplicates": true, "parent": true, "children": true, "related": true,
	"major": true, "lead": true, "check_ignore": true, "check_ignore_reason": true,
	"requester": true, "requester.name": true, "requester.org": true, "requester.contact": true,
	"parts": true, "parts.name": true, "parts.qty": true,
	"feedback": true, "feedback.rating": true, "feedback.confirmed_by": true, "feedback.confirmed_at": true,
	"feedback.via": true, "feedback.comment": true,
	"sla": true, "sla.breach_reason": true,
	"events": true, "events.at": true, "events.by": true, "events.action": true, "events.from": true,
	"events.to": true, "events.note": true, "events.field": true, "events.value": true, "events.public": true, "events.message_id": true,
}

// UnknownKeys returns the paths of the keys and tables of a document that
// are not in known, as front.KeyInfo writes them (events[2].actor).
func UnknownKeys(doc *front.Doc, known map[string]bool) []string {
	var out []string
	var buf []byte
	doc.EachPath(func(p string) {
		buf = stripIndexes(buf[:0], p)
		if !known[string(buf)] {
			out = append(out, p)
		}
	})
	return out
}

// stripIndexes appends p without its array indexes: events[2].to -> events.to.
func stripIndexes(dst []byte, p string) []byte {
	for i := 0; i < len(p); i++ {
		if p[i] == '[' {
			if j := strings.IndexByte(p[i:], ']'); j > 0 {
				i += j
				continue
			}
		}
		dst = append(dst, p[i])
	}
	return dst
}

// Link is a ticket a ticket's link key names.
type Link struct{ Key, ID string }

// Links returns the tickets the link keys name (duplicate_of, duplicates,
// parent, children, related), in that order.
func (t *Ticket) Links() []Link {
	var out []Link
	add := func(key string, ids ...string) {
		for _, id := range ids {
			if id != "" {
				out = append(out, Link{key, id})
			}
		}
	}
	add("duplicate_of", t.DuplicateOf)
	add("duplicates", t.Duplicates...)
	add("parent", t.Parent)
	add("children", t.Children...)
	add("related", t.Related...)
	return out
}

// Equal reports whether two events record the same thing at the same instant.
func (e Event) Equal(o Event) bool {
	return e.At.Equal(o.At) && e.By == o.By && e.Action == o.Action && e.From == o.From &&
		e.To == o.To && e.Note == o.Note && e.Field == o.Field && e.Value == o.Value &&
		e.Public == o.Public && e.MessageID == o.MessageID
}

// Actions an event may record.
var Actions = []string{"create", "transition", "assign", "comment", "reply", "update", "feedback", "link", "escalate", "mail"}

// Ratings a feedback may give.
var Ratings = []string{"satisfied", "basically_satisfied", "unsatisfied"}

// File is a parsed ticket file: the decoded ticket and the document it came
// from, which keeps everything needed to rewrite it faithfully.
type File struct {
	Path   string // slash-separated, relative to the desk root
	Ticket Ticket
	Doc    *front.Doc
}

// ParseError is a file that cannot be read, with the position of the fault.
type ParseError = front.FileError

// Parse reads a ticket file. path is only used in errors. The TOML is decoded
// once, into the ticket, which also validates it: by the fast path of fast.go
// when it can, else by BurntSushi/toml.
func Parse(path string, data []byte) (*File, error) { return parse(path, data, true) }

// parse is Parse; with fast false, it skips the fast path, so that tests and
// benchmarks can hold both paths side by side.
func parse(path string, data []byte, fast bool) (*File, error) {
	doc, err := front.ParseNoValidate(data)
	if err != nil {
		return nil, posError(path, err)
	}
	if strings.TrimSpace(string(doc.FrontMatter())) == "" {
		return nil, &ParseError{Path: path, Line: 2, Col: 1,
			Msg: "the front matter is empty (a doubled +++ line?): the ticket's keys go between the first two +++ lines"}
	}
	f := &File{Path: path, Doc: doc}
	if fast {
		fast, _ = decodeFast(doc, &f.Ticket)
	}
	if !fast {
		f.Ticket = Ticket{}
		if _, err := doc.Decode(&f.Ticket); err != nil {
			return nil, posError(path, err)
		}
	}
	return f, nil
}

// ParseRecord parses a ticket file for what the record cache keeps of it:
// the ticket, the keys the format does not know (UnknownKeys with Known),
// and the body. When the fast path decodes the front matter and meets no
// unknown key, the index of keys and tables is not built: that index and
// the walk over it were a fifth of a cold desk check's CPU (1.9 s of 9.9 s
// at 100,000 tickets). The File's Doc then answers only for the front
// matter and the body (see front.ParseNoIndex). Anything else is Parse.
func ParseRecord(path string, data []byte) (f *File, unknown []string, err error) {
	if doc, err := front.ParseNoIndex(data); err == nil && len(bytes.TrimSpace(doc.FrontMatter())) > 0 {
		f := &File{Path: path, Doc: doc}
		if ok, unknown := decodeFast(doc, &f.Ticket); ok && !unknown {
			return f, nil, nil
		}
	}
	if f, err = Parse(path, data); err != nil {
		return nil, nil, err
	}
	return f, UnknownKeys(f.Doc, Known), nil
}

func posError(path string, err error) error {
	var fe *front.Error
	if errors.As(err, &fe) {
		return &ParseError{Path: path, Line: fe.Line, Col: fe.Col, Msg: fe.Msg}
	}
	return &ParseError{Path: path, Msg: err.Error()}
}

// Section returns the text under the "## heading" of the body, trimmed; ok
// reports whether the heading exists.
func (f *File) Section(heading string) (text string, ok bool) {
	s, ok := f.Doc.SectionText(heading)
	return strings.TrimSpace(s), ok
}

// SectionEmpty reports whether a section is missing or holds nothing but white
// space and HTML comments.
func SectionEmpty(text string) bool {
	for {
		text = strings.TrimSpace(text)
		if !strings.HasPrefix(text, "<!--") {
			return text == ""
		}
		end := strings.Index(text, "-->")
		if end < 0 {
			return true
		}
		text = text[end+3:]
	}
}

// AppendEvent appends ev to the file's log and, when it changes the status,
// sets status to match.
func (f *File) AppendEvent(ev Event) {
	kv := []front.KV{
		{Key: "at", Value: front.Time(ev.At)},
		{Key: "by", Value: front.String(ev.By)},
		{Key: "action", Value: front.String(ev.Action)},
	}
	add := func(k, v string) {
		if v != "" {
			kv = append(kv, front.KV{Key: k, Value: front.String(v)})
		}
	}
	add("from", ev.From)
	add("to", ev.To)
	add("field", ev.Field)
	add("value", ev.Value)
	add("note", ev.Note)
	add("message_id", ev.MessageID)
	if ev.Public {
		kv = append(kv, front.KV{Key: "public", Value: front.Bool(true)})
	}
	f.Doc.AppendArrayTable("events", kv)
	f.Ticket.Events = append(f.Ticket.Events, ev)
	if ev.To != "" {
		f.Doc.Set("", "status", front.String(ev.To))
		f.Ticket.Status = ev.To
	}
}

// Reparse decodes the document again after edits, so Ticket reflects them.
func (f *File) Reparse() error {
	g, err := Parse(f.Path, f.Doc.Bytes())
	if err != nil {
		return err
	}
	*f = *g
	return nil
}

// LastEvent returns the time of the newest event, or created.
func (t *Ticket) LastEvent() time.Time {
	last := t.Created
	for _, e := range t.Events {
		if e.At.After(last) {
			last = e.At
		}
	}
	return last
}

// ID is a parsed ticket ID.
type ID struct {
	Prefix string
	Year   int
	Month  time.Month
	Day    int
	N      int
}

var idRE = regexp.MustCompile(`^([A-Z][A-Z0-9]{0,15})-(\d{4})(\d{2})(\d{2})-([1-9]\d{0,8})$`)

// ErrBadID is returned for a string that is not a ticket ID.
var ErrBadID = errors.New("not a ticket ID")

// ParseID parses PREFIX-YYYYMMDD-N.
func ParseID(s string) (ID, error) {
	m := idRE.FindStringSubmatch(s)
	if m == nil {
		return ID{}, fmt.Errorf("%q: %w: want PREFIX-YYYYMMDD-N, e.g. TS-20261122-1", s, ErrBadID)
	}
	y, _ := strconv.Atoi(m[2])
	mo, _ := strconv.Atoi(m[3])
	d, _ := strconv.Atoi(m[4])
	n, _ := strconv.Atoi(m[5])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
		return ID{}, fmt.Errorf("%q: %w: %s%s%s is not a date", s, ErrBadID, m[2], m[3], m[4])
	}
	return ID{Prefix: m[1], Year: y, Month: time.Month(mo), Day: d, N: n}, nil
}

func (id ID) String() string {
	return fmt.Sprintf("%s-%04d%02d%02d-%d", id.Prefix, id.Year, id.Month, id.Day, id.N)
}

// Dir is the folder of the ticket's file: tickets/YYYY/MM.
func (id ID) Dir() string { return fmt.Sprintf("tickets/%04d/%02d", id.Year, id.Month) }

// Path is the ticket file's path relative to the desk root.
func (id ID) Path() string { return id.Dir() + "/" + id.String() + ".md" }

// DayPrefix is the part of the ID before N, with the trailing hyphen.
func (id ID) DayPrefix() string {
	return fmt.Sprintf("%s-%04d%02d%02d-", id.Prefix, id.Year, id.Month, id.Day)
}

// NextID returns the ID after the highest N among names (file names or IDs) for
// the day of t in loc. A removed ticket's number is never reused.
func NextID(prefix string, t time.Time, loc *time.Location, names []string) ID {
	t = t.In(loc)
	id := ID{Prefix: prefix, Year: t.Year(), Month: t.Month(), Day: t.Day()}
	day := id.DayPrefix()
	for _, name := range names {
		rest, ok := strings.CutPrefix(strings.TrimSuffix(name, ".md"), day)
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n > id.N {
			id.N = n
		}
	}
	id.N++
	return id
}
