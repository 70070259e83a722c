package main

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// render writes a ticket file: TOML front matter between +++ lines, then the body.
func (t *ticket) render(buf []byte) []byte {
	b := buf[:0]
	str := func(key, v string) {
		b = append(b, key...)
		b = append(b, " = "...)
		b = quote(b, v)
		b = append(b, '\n')
	}
	tm := func(key string, v time.Time) {
		b = append(b, key...)
		b = append(b, " = "...)
		b = v.AppendFormat(b, "2006-01-02T15:04:05-07:00")
		b = append(b, '\n')
	}
	list := func(key string, vs []string) {
		b = append(b, key...)
		b = append(b, " = ["...)
		for i, v := range vs {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = quote(b, v)
		}
		b = append(b, "]\n"...)
	}
	b = append(b, "+++\n"...)
	str("id", t.id)
	str("title", t.title)
	str("status", t.status)
	tm("created", t.created)
	str("channel", t.channel)
	str("category", t.category)
	str("priority", t.priority)
	str("priority_reason", t.reason)
	if t.assgn != "" {
		str("assignee", t.assgn)
	}
	if t.due != nil {
		tm("due", *t.due)
	}
	list("tags", t.tags)
	if len(t.kb) > 0 {
		list("kb", t.kb)
	}
	if t.major {
		b = append(b, "major = true\n"...)
		str("lead", t.lead)
	}
	b = append(b, "\n[requester]\n"...)
	str("name", t.reqName)
	str("org", t.reqOrg)
	str("contact", t.reqContact)
	for _, p := range t.parts {
		b = append(b, "\n[[parts]]\n"...)
		str("name", p.name)
		b = append(b, "qty = "...)
		b = strconv.AppendInt(b, int64(p.qty), 10)
		b = append(b, '\n')
	}
	if t.fbRating != "" {
		b = append(b, "\n[feedback]\n"...)
		str("rating", t.fbRating)
		str("confirmed_by", t.fbBy)
		tm("confirmed_at", t.fbAt)
		str("via", t.fbVia)
		if t.fbComment != "" {
			str("comment", t.fbComment)
		}
	}
	if t.breach != "" {
		b = append(b, "\n[sla]\n"...)
		str("breach_reason", t.breach)
	}
	for _, e := range t.events {
		b = append(b, "\n[[events]]\n"...)
		tm("at", e.at)
		str("by", e.by)
		str("action", e.action)
		if e.from != "" {
			str("from", e.from)
		}
		if e.to != "" {
			str("to", e.to)
		}
		if e.f != "" {
			str("field", e.f)
			str("value", e.v)
		}
		if e.note != "" {
			str("note", e.note)
		}
	}
	b = append(b, "+++\n"...)
	b = append(b, t.body...)
	return b
}

// quote writes a TOML basic string.
func quote(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20 || c == 0x7f:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		i++
	}
	return append(b, '"')
}
