package front

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// String encodes s as a one-line TOML basic string. Backslash, the double
// quote and control characters are escaped (line ends as \n, tabs as \t);
// everything else, Chinese included, is written as it is. Invalid UTF-8 is
// replaced by U+FFFD.
func String(s string) string { return string(appendString(make([]byte, 0, len(s)+2), s)) }

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		i++
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\t':
			b = append(b, `\t`...)
		case '\r':
			b = append(b, `\r`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		default:
			if c < 0x20 || c == 0x7f {
				b = append(b, `\u00`...)
				b = append(b, "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

// Strings encodes ss as a one-line TOML array of basic strings: ["a", "b"].
func Strings(ss []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(String(s))
	}
	b.WriteByte(']')
	return b.String()
}

// Time encodes t as a TOML offset date-time in RFC 3339 with whole seconds
// (the fraction is dropped) and t's own offset: 2026-11-22T09:40:00+08:00
// (Z for UTC).
func Time(t time.Time) string { return t.Format("2006-01-02T15:04:05Z07:00") }

// Date encodes a TOML local date: 2026-12-31. Out-of-range values are
// normalised as time.Date does (Feb 30 becomes Mar 2).
func Date(y int, m time.Month, d int) string {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// Int encodes n as a TOML integer.
func Int(n int64) string { return strconv.FormatInt(n, 10) }

// Bool encodes b as a TOML boolean.
func Bool(b bool) string { return strconv.FormatBool(b) }
