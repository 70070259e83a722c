package sla

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FormatElapsed renders a clock's counted time d in the kind of its target's
// unit u, to the minute (seconds are dropped, not rounded):
//
//   - elapsed units (m, h, d, and any unknown unit): days of 24 hours, hours
//     and minutes, zero parts left out: "26m", "3h10m", "2d4h", "1d5m";
//     "0m" for less than a minute.
//   - business units (bh, bd): business hours and minutes, never days (a
//     business day's length belongs to the calendar): "12bh30m", "27bh",
//     "0bh45m"; "0bh" for less than a minute. The "bh" part is always there,
//     so a business rendering can never be read as an elapsed one.
//
// A negative d gets a leading "-". ParseElapsed reads both forms back.
func FormatElapsed(d time.Duration, u Unit) string {
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	mins := int64(d / time.Minute)
	if u.Business() {
		b.WriteString(strconv.FormatInt(mins/60, 10))
		b.WriteString("bh")
		if m := mins % 60; m > 0 {
			b.WriteString(strconv.FormatInt(m, 10))
			b.WriteByte('m')
		}
		return b.String()
	}
	if mins == 0 {
		b.WriteString("0m")
		return b.String()
	}
	for _, p := range [3]struct {
		n    int64
		unit byte
	}{{mins / 1440, 'd'}, {mins % 1440 / 60, 'h'}, {mins % 60, 'm'}} {
		if p.n > 0 {
			b.WriteString(strconv.FormatInt(p.n, 10))
			b.WriteByte(p.unit)
		}
	}
	return b.String()
}

// ParseElapsed reads what FormatElapsed writes: an optional "-", then either
// the elapsed form, one or more of "<n>d", "<n>h", "<n>m" in that order, or the
// business form, "<n>bh" optionally followed by "<n>m". business tells which.
// Parts need not be normalised ("90m" is accepted).
func ParseElapsed(s string) (d time.Duration, business bool, err error) {
	bad := func() (time.Duration, bool, error) {
		return 0, false, fmt.Errorf("%q: want an elapsed time such as \"3h10m\" or \"2d4h\", or business time such as \"12bh30m\"", s)
	}
	rest := strings.TrimPrefix(s, "-")
	neg := len(rest) < len(s)
	units := []struct {
		suffix string
		size   time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}}
	if strings.Contains(rest, "bh") {
		business = true
		units = units[2:]
		i := strings.Index(rest, "bh")
		n, ok := number(rest[:i])
		if !ok || n > int64(maxDuration/time.Hour) {
			return bad()
		}
		d = time.Duration(n) * time.Hour
		rest = rest[i+2:]
	} else if rest == "" {
		return bad()
	}
	for _, u := range units {
		i := strings.Index(rest, u.suffix)
		if i < 0 {
			continue
		}
		n, ok := number(rest[:i])
		if !ok || n > int64(maxDuration/u.size) {
			return bad()
		}
		d += time.Duration(n) * u.size
		if d > maxDuration {
			return bad()
		}
		rest = rest[i+1:]
	}
	if rest != "" {
		return bad()
	}
	if neg {
		d = -d
	}
	return d, business, nil
}

// number parses a non-empty run of decimal digits.
func number(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
