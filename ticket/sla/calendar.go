package sla

import (
	"errors"
	"fmt"
	"time"
)

// Date is a local calendar date, as in desk.toml's [calendar] holidays.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String renders d as a TOML local date, "2026-10-01".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOf(dayNum(d)) }

// Valid reports whether d names a real day (month 1–12, day within the month).
func (d Date) Valid() bool { return dateOfDay(dayNum(d)) == d }

// Calendar is a business calendar of desk.toml ([calendar] or a
// [calendars.NAME] table): business time runs from Open to Close
// (wall-clock time since local midnight, in Location) on every Workday and
// every one of the Workdates that is not one of the Holidays. Workdates are
// make-up working days on a weekday that is otherwise free, as Chinese
// holiday calendars move work onto a weekend (调休).
//
// Opening hours are wall-clock hours: across a DST change the office still
// opens at 09:00 local time. Business time itself is real time: the business
// time of a day is the time between that day's opening and closing instants,
// which is Close-Open except on a day whose DST change falls inside the open
// hours (an opening or closing time that does not exist on such a day is
// placed as time.Date places it).
//
// A nil Calendar, or one with no business time at all (no workday, Open < 0,
// Close <= Open or Close > 24h; see Validate), is always open: business time
// is wall time and DayLength is 24 hours. A nil Location is UTC.
//
// A Calendar is read, never written, by this package: it may be shared by
// goroutines as long as no one changes it.
type Calendar struct {
	Location    *time.Location
	Workdays    [7]bool       // indexed by time.Weekday
	Open, Close time.Duration // since local midnight, e.g. 9h and 18h
	Holidays    map[Date]bool // local dates; only true entries are holidays
	Workdates   map[Date]bool // local dates worked whatever their weekday; a holiday wins
}

// Validate reports what makes c unusable as a business calendar; Calendar's
// methods treat such a calendar as always open.
func (c *Calendar) Validate() error {
	switch {
	case c == nil:
		return errors.New("no calendar")
	case c.workdaysPerWeek() == 0:
		return errors.New("calendar has no workday")
	case c.Open < 0 || c.Close > 24*time.Hour:
		return fmt.Errorf("calendar hours %v–%v: want times of day between 00:00 and 24:00", c.Open, c.Close)
	case c.Close <= c.Open:
		return fmt.Errorf("calendar hours %v–%v: closing must be after opening", c.Open, c.Close)
	}
	for d, ok := range c.Holidays {
		if ok && !d.Valid() {
			return fmt.Errorf("holiday %s is not a date", d)
		}
	}
	for d, ok := range c.Workdates {
		if ok && !d.Valid() {
			return fmt.Errorf("workdate %s is not a date", d)
		}
	}
	return nil
}

// usable reports whether c has business time (see Calendar).
func (c *Calendar) usable() bool {
	return c != nil && c.Open >= 0 && c.Close > c.Open && c.Close <= 24*time.Hour && c.workdaysPerWeek() > 0
}

func (c *Calendar) workdaysPerWeek() int64 {
	var n int64
	for _, w := range c.Workdays {
		if w {
			n++
		}
	}
	return n
}

func (c *Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// DayLength is Close-Open, the business time of one "bd"; 24 hours for a
// calendar that is always open (see Calendar).
func (c *Calendar) DayLength() time.Duration {
	if !c.usable() {
		return 24 * time.Hour
	}
	return c.Close - c.Open
}

// IsBusinessDay reports whether d is a workday or a workdate, and not a
// holiday.
func (c *Calendar) IsBusinessDay(d Date) bool {
	if !c.usable() {
		return true
	}
	return c.businessDay(dayNum(d))
}

// businessDay reports whether the day numbered n is a workday or a
// workdate, and not a holiday.
func (c *Calendar) businessDay(n int64) bool {
	if !c.Workdays[weekdayOf(n)] && (len(c.Workdates) == 0 || !c.Workdates[dateOfDay(n)]) {
		return false
	}
	return len(c.Holidays) == 0 || !c.Holidays[dateOfDay(n)]
}

// window is the open hours of the day numbered n, [s, e); e <= s when a DST
// change eats them all.
func (c *Calendar) window(n int64) (s, e time.Time) {
	d := dateOfDay(n)
	loc := c.loc()
	return wall(d, c.Open, loc), wall(d, c.Close, loc)
}

// wall is the instant at wall-clock time since midnight of the day d.
func wall(d Date, since time.Duration, loc *time.Location) time.Time {
	h := since / time.Hour
	since -= h * time.Hour
	m := since / time.Minute
	since -= m * time.Minute
	s := since / time.Second
	since -= s * time.Second
	return time.Date(d.Year, d.Month, d.Day, int(h), int(m), int(s), int(since), loc)
}

// dayOf is the number of the local day of t in c's location.
func (c *Calendar) dayOf(t time.Time) int64 {
	y, m, d := t.In(c.loc()).Date()
	return dayNum(Date{y, m, d})
}

// overlap is the business time of [a, b) on the day numbered n.
func (c *Calendar) overlap(n int64, a, b time.Time) time.Duration {
	if !c.businessDay(n) {
		return 0
	}
	s, e := c.window(n)
	if a.After(s) {
		s = a
	}
	if b.Before(e) {
		e = b
	}
	if e.After(s) {
		return e.Sub(s)
	}
	return 0
}

// BusinessBetween is the business time in [a, b); 0 when b is not after a.
//
// Its cost does not grow with the span beyond O(min(days, holidays)): whole
// weeks are counted arithmetically, then holidays and DST changes in the
// span are adjusted for.
func (c *Calendar) BusinessBetween(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if !c.usable() {
		return b.Sub(a)
	}
	da, db := c.dayOf(a), c.dayOf(b)
	if da == db {
		return c.overlap(da, a, b)
	}
	total := c.overlap(da, a, b) + c.overlap(db, a, b)
	if db-da > 1 {
		total += c.fullDays(da+1, db-1)
	}
	return total
}

// fullDays is the business time of the whole days numbered d1 to d2.
func (c *Calendar) fullDays(d1, d2 int64) time.Duration {
	if d2 < d1 {
		return 0
	}
	return time.Duration(c.countBusinessDays(d1, d2))*c.DayLength() + c.dstAdjust(d1, d2)
}

// countBusinessDays counts the business days among the days numbered d1 to d2.
func (c *Calendar) countBusinessDays(d1, d2 int64) int64 {
	n := d2 - d1 + 1
	if n <= 0 {
		return 0
	}
	var count int64
	if n <= 14 || n <= int64(len(c.Holidays)+len(c.Workdates)) {
		for d := d1; d <= d2; d++ {
			if c.businessDay(d) {
				count++
			}
		}
		return count
	}
	weeks := n / 7
	count = weeks * c.workdaysPerWeek()
	for d := d1 + weeks*7; d <= d2; d++ {
		if c.Workdays[weekdayOf(d)] {
			count++
		}
	}
	for h, ok := range c.Holidays {
		if !ok {
			continue
		}
		hn := dayNum(h)
		if hn >= d1 && hn <= d2 && c.Workdays[weekdayOf(hn)] && dateOfDay(hn) == h {
			count--
		}
	}
	for w, ok := range c.Workdates {
		if !ok || c.Holidays[w] {
			continue
		}
		wn := dayNum(w)
		if wn >= d1 && wn <= d2 && !c.Workdays[weekdayOf(wn)] && dateOfDay(wn) == w {
			count++
		}
	}
	return count
}

// dstAdjust is how much the open hours of the business days numbered d1 to d2
// differ in real time from DayLength each, because of the time-zone changes
// (DST) that fall inside them.
func (c *Calendar) dstAdjust(d1, d2 int64) time.Duration {
	loc := c.loc()
	if loc == time.UTC {
		return 0
	}
	// Look a day beyond each end for changes that may touch an edge day.
	t := wall(dateOfDay(d1-1), 0, loc)
	to := wall(dateOfDay(d2+2), 0, loc)
	var adj time.Duration
	last := d1 - 1
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.After(t) || end.After(to) {
			return adj
		}
		for _, x := range [2]time.Time{end.Add(-time.Nanosecond), end} {
			n := c.dayOf(x)
			if n <= last || n < d1 || n > d2 || !c.businessDay(n) {
				continue
			}
			last = n
			s, e := c.window(n)
			length := time.Duration(0)
			if e.After(s) {
				length = e.Sub(s)
			}
			adj += length - c.DayLength()
		}
		t = end
	}
}

// AddBusiness is the earliest instant at which d of business time has passed
// since t: if t is outside the open hours, counting starts at the next
// opening; a count that ends exactly at a closing ends there, not at the next
// opening. AddBusiness(t, d) is t for d <= 0.
//
// For every t and d >= 0, BusinessBetween(t, AddBusiness(t, d)) == d.
func (c *Calendar) AddBusiness(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	if !c.usable() {
		return t.Add(d)
	}
	n := c.dayOf(t)
	if c.businessDay(n) {
		s, e := c.window(n)
		if t.Before(e) {
			if t.After(s) {
				s = t
			}
			if avail := e.Sub(s); avail > 0 {
				if d <= avail {
					return s.Add(d)
				}
				d -= avail
			}
		}
	}
	n++
	// Jump whole weeks while far from the end; a margin of two business days
	// keeps DST changes from overshooting.
	dl := c.DayLength()
	wpw := c.workdaysPerWeek()
	for d > 16*dl {
		weeks := (int64(d/dl) - 2) / wpw
		if weeks < 1 {
			break
		}
		got := c.fullDays(n, n+weeks*7-1)
		if got >= d {
			break
		}
		d -= got
		n += weeks * 7
	}
	for {
		if c.businessDay(n) {
			s, e := c.window(n)
			if e.After(s) {
				w := e.Sub(s)
				if d <= w {
					return s.Add(d)
				}
				d -= w
			}
		}
		n++
	}
}

// Day numbers count days from 1970-01-01 (day 0) in the proleptic Gregorian
// calendar (H. Hinnant's civil-date algorithms).

func dayNum(d Date) int64 {
	y, m := int64(d.Year), int64(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dateOfDay(z int64) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{int(y), time.Month(m), int(d)}
}

func weekdayOf(n int64) time.Weekday {
	return time.Weekday(n - floorDiv(n+4, 7)*7 + 4) // 1970-01-01 was a Thursday
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// AddDays is the date n days after d (before it for a negative n).
func (d Date) AddDays(n int) Date { return dateOfDay(dayNum(d) + int64(n)) }

// Sub is the number of days from e to d.
func (d Date) Sub(e Date) int64 { return dayNum(d) - dayNum(e) }
