package sla

import (
	"fmt"
	"strconv"
	"time"
)

// Unit is the unit of a Duration: "m", "h" and "d" are elapsed (wall) time,
// "bh" and "bd" are business time on a Calendar.
type Unit string

// The units of a Duration.
const (
	Minute       Unit = "m"  // elapsed minutes
	Hour         Unit = "h"  // elapsed hours
	Day          Unit = "d"  // elapsed days of 24 hours, DST or not
	BusinessHour Unit = "bh" // hours of business time
	BusinessDay  Unit = "bd" // business days: one is Calendar.DayLength of business time
)

// Business reports whether u is counted on the business calendar.
func (u Unit) Business() bool { return u == BusinessHour || u == BusinessDay }

func (u Unit) valid() bool {
	switch u {
	case Minute, Hour, Day, BusinessHour, BusinessDay:
		return true
	}
	return false
}

// Duration is an SLA target or interval as written in desk.toml: a whole
// non-negative number and a unit ("90m", "4h", "3d", "8bh", "3bd").
type Duration struct {
	N    int
	Unit Unit
}

// maxDuration bounds N*unit so that it always fits a time.Duration; a business
// day is bounded by 24 hours.
const maxDuration = 100 * 365 * 24 * time.Hour

// ParseDuration parses "90m", "1h", "3d", "8bh" or "3bd". The number is a whole
// non-negative decimal number without sign; nothing else (spaces, fractions,
// upper case, several parts) is accepted.
func ParseDuration(s string) (Duration, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	u := Unit(s[i:])
	if i == 0 || !u.valid() {
		return Duration{}, fmt.Errorf("%q: want a whole number and a unit: m, h, d (elapsed) or bh, bd (business time), e.g. \"4h\" or \"3bd\"", s)
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil || time.Duration(n) > maxDuration/unitBound(u) {
		return Duration{}, fmt.Errorf("%q: too large: at most %d%s", s, maxDuration/unitBound(u), u)
	}
	return Duration{N: n, Unit: u}, nil
}

// unitBound is the longest one unit can be.
func unitBound(u Unit) time.Duration {
	switch u {
	case Minute:
		return time.Minute
	case Hour, BusinessHour:
		return time.Hour
	default:
		return 24 * time.Hour
	}
}

// String renders d as it is written in desk.toml, e.g. "3bd".
func (d Duration) String() string { return strconv.Itoa(d.N) + string(d.Unit) }

// Business reports whether d is business time ("bh" or "bd").
func (d Duration) Business() bool { return d.Unit.Business() }

// Valid reports whether d has a known unit and a non-negative number.
func (d Duration) Valid() bool { return d.N >= 0 && d.Unit.valid() }

// Length is d as a time.Duration: wall time for elapsed units, business time
// for business units ("bd" is N*c.DayLength(); c may be nil, see DayLength).
// It is 0 for an invalid Duration.
func (d Duration) Length(c *Calendar) time.Duration {
	if !d.Valid() {
		return 0
	}
	n := time.Duration(d.N)
	switch d.Unit {
	case Minute:
		return n * time.Minute
	case Hour, BusinessHour:
		return n * time.Hour
	case Day:
		return n * 24 * time.Hour
	default: // BusinessDay
		return n * c.DayLength()
	}
}

// MarshalText renders d as String does, so that a Duration can be a TOML or
// JSON value.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses text with ParseDuration.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := ParseDuration(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
