package report

import (
	"strings"
	"testing"
	"time"
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParsePeriod(t *testing.T) {
	loc := shanghai(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	cases := []struct {
		name, in, want string
		start, end     time.Time
	}{
		{"a month runs from its first midnight to the next month's", "2026-11", "2026-11", day(2026, 11, 1), day(2026, 12, 1)},
		{"December ends in the next year", "2026-12", "2026-12", day(2026, 12, 1), day(2027, 1, 1)},
		{"February of a leap year has 29 days", "2028-02", "2028-02", day(2028, 2, 1), day(2028, 3, 1)},
		{"an ISO week starts on Monday", "2026-W47", "2026-W47", day(2026, 11, 16), day(2026, 11, 23)},
		{"week 1 holds 4 January, so it may start in December", "2026-W01", "2026-W01", day(2025, 12, 29), day(2026, 1, 5)},
		{"a year with 53 weeks has W53", "2026-W53", "2026-W53", day(2026, 12, 28), day(2027, 1, 4)},
		{"a lower-case w is read as W", "2026-w47", "2026-W47", day(2026, 11, 16), day(2026, 11, 23)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParsePeriod(c.in, loc)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != c.want || !p.Start.Equal(c.start) || !p.End.Equal(c.end) {
				t.Errorf("ParsePeriod(%q) = %s [%v, %v), want %s [%v, %v)", c.in, p.Name, p.Start, p.End, c.want, c.start, c.end)
			}
		})
	}
}

func TestParsePeriodBad(t *testing.T) {
	loc := shanghai(t)
	cases := []struct{ in, msg string }{
		{"2026-13", "not between 01 and 12"},
		{"2026-00", "not between 01 and 12"},
		{"0000-01", "there is no year 0000"},
		{"2027-W53", "2027 has no ISO week 53 (its weeks are W01 to W52)"},
		{"2026-W00", "has no ISO week 00"},
		{"November", "write a month (2026-11) or an ISO week (2026-W47)"},
		{"2026-11-01", "write a month (2026-11) or an ISO week (2026-W47)"},
		{"", "is not a period"},
	}
	for _, c := range cases {
		_, err := ParsePeriod(c.in, loc)
		if err == nil {
			t.Errorf("ParsePeriod(%q) = nil error, want one", c.in)
			continue
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParsePeriod(%q) = %q, want it to say %q", c.in, err, c.msg)
		}
	}
}

func TestParseRange(t *testing.T) {
	loc := shanghai(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, loc)
	cases := []struct {
		name, since, until, want string
		start, end               time.Time
	}{
		{"dates take in the whole --until day", "2026-11-01", "2026-11-30", "2026-11-01..2026-11-30",
			time.Date(2026, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 12, 1, 0, 0, 0, 0, loc)},
		{"one day", "2026-11-09", "2026-11-09", "2026-11-09..2026-11-09",
			time.Date(2026, 11, 9, 0, 0, 0, 0, loc), time.Date(2026, 11, 10, 0, 0, 0, 0, loc)},
		{"times are instants, --until excluded", "2026-11-09 09:00", "2026-11-09T18:00:00+08:00", "2026-11-09T09:00..2026-11-09T18:00",
			time.Date(2026, 11, 9, 9, 0, 0, 0, loc), time.Date(2026, 11, 9, 18, 0, 0, 0, loc)},
		{"no --until runs to now", "2026-11-16", "", "2026-11-16T00:00..2026-11-22T10:00",
			time.Date(2026, 11, 16, 0, 0, 0, 0, loc), now},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParseRange(c.since, c.until, loc, now)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != c.want || !p.Start.Equal(c.start) || !p.End.Equal(c.end) || p.Kind != Range {
				t.Errorf("ParseRange(%q, %q) = %s %s [%v, %v), want %s [%v, %v)", c.since, c.until, p.Kind, p.Name, p.Start, p.End, c.want, c.start, c.end)
			}
		})
	}
	bad := []struct{ name, since, until, msg string }{
		{"--since after --until", "2026-11-30", "2026-11-01", "--since 2026-11-30 is after --until 2026-11-01"},
		{"--until alone", "", "2026-11-30", "--until needs --since"},
		{"--since in the future without --until", "2026-12-01", "", "is not before now"},
		{"--since not a date", "yesterday", "", "--since: \"yesterday\" is not a time"},
		{"--until not a date", "2026-11-01", "2026-11-31", "--until: \"2026-11-31\" is not a time"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseRange(c.since, c.until, loc, now)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("ParseRange(%q, %q) = %v, want an error saying %q", c.since, c.until, err, c.msg)
			}
		})
	}
}

func TestPrevious(t *testing.T) {
	loc := shanghai(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, loc)
	mustPeriod := func(s string) Period {
		p, err := ParsePeriod(s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	mustRange := func(since, until string) Period {
		p, err := ParseRange(since, until, loc, now)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		p    Period
		want string
	}{
		{"the month before", mustPeriod("2026-03"), "2026-02"},
		{"the month before January is December", mustPeriod("2027-01"), "2026-12"},
		{"the week before", mustPeriod("2026-W47"), "2026-W46"},
		{"the week before W01 is the last of the year before", mustPeriod("2027-W01"), "2026-W53"},
		{"a range of days: as many days just before", mustRange("2026-11-09", "2026-11-15"), "2026-11-02..2026-11-08"},
		{"a range of instants: as long, just before", mustRange("2026-11-09 09:00", "2026-11-09 18:00"), "2026-11-09T00:00..2026-11-09T09:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prev := c.p.Previous()
			if prev.Name != c.want || !prev.End.Equal(c.p.Start) {
				t.Errorf("Previous of %s = %s ending %v, want %s ending %v", c.p.Name, prev.Name, prev.End, c.want, c.p.Start)
			}
		})
	}
}

func TestLastMonth(t *testing.T) {
	loc := shanghai(t)
	cases := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 11, 22, 10, 0, 0, 0, loc), "2026-10"},
		{time.Date(2026, 12, 1, 0, 0, 0, 0, loc), "2026-11"},
		{time.Date(2027, 1, 15, 0, 0, 0, 0, loc), "2026-12"},
		// 30 November 20:00 in UTC is already 1 December in Shanghai.
		{time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC), "2026-11"},
	}
	for _, c := range cases {
		if got := LastMonth(c.now, loc); got.Name != c.want || !got.Start.Equal(got.Start.In(loc)) {
			t.Errorf("LastMonth(%v) = %s, want %s", c.now, got.Name, c.want)
		}
	}
}

func TestChoosePeriod(t *testing.T) {
	loc := shanghai(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, loc)
	for _, tc := range []struct {
		period, since, until string
		want                 string
	}{
		{"", "", "", "2026-10"},
		{"2026-W47", "", "", "2026-W47"},
		{"2026-09", "", "", "2026-09"},
	} {
		p, err := ChoosePeriod(tc.period, tc.since, tc.until, loc, now)
		if err != nil || p.Name != tc.want {
			t.Errorf("ChoosePeriod(%q, %q, %q) = %q, %v; want %q", tc.period, tc.since, tc.until, p.Name, err, tc.want)
		}
	}
	p, err := ChoosePeriod("", "2026-11-01", "", loc, now)
	if err != nil || !p.Start.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, loc)) || !p.End.Equal(now) {
		t.Errorf("ChoosePeriod --since 2026-11-01 = %+v, %v", p, err)
	}
	for _, flags := range [][3]string{{"2026-11", "2026-11-01", ""}, {"2026-11", "", "2026-11-02"}, {"2026-13", "", ""}} {
		if _, err := ChoosePeriod(flags[0], flags[1], flags[2], loc, now); err == nil {
			t.Errorf("ChoosePeriod(%q): nil error, want one", flags)
		}
	}
}
