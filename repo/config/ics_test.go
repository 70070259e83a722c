package config

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/deskhq/desk/ticket/sla"
)

func ics(events ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//desk//test//EN\r\n" + strings.Join(events, "") + "END:VCALENDAR\r\n"
}

func vevent(lines ...string) string {
	return "BEGIN:VEVENT\r\nUID:" + lines[0] + "\r\nDTSTAMP:20260101T000000Z\r\n" + strings.Join(lines[1:], "\r\n") + "\r\nEND:VEVENT\r\n"
}

// TestICSDates: the dates the events of an iCalendar file cover, in the
// calendar's zone.
func TestICSDates(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"all-day, DTEND the day after the last (国庆节 1–7 October)",
			ics(vevent("a", "SUMMARY:国庆节", "DTSTART;VALUE=DATE:20261001", "DTEND;VALUE=DATE:20261008")),
			[]string{"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"}},
		{"all-day without DTEND: one day", ics(vevent("b", "DTSTART;VALUE=DATE:20260101")), []string{"2026-01-01"}},
		{"all-day with DURATION", ics(vevent("c", "DTSTART;VALUE=DATE:20261224", "DURATION:P2D")), []string{"2026-12-24", "2026-12-25"}},
		{"yearly rule with COUNT", ics(vevent("d", "DTSTART;VALUE=DATE:20261225", "DTEND;VALUE=DATE:20261226", "RRULE:FREQ=YEARLY;COUNT=3")),
			[]string{"2026-12-25", "2027-12-25", "2028-12-25"}},
		{"yearly rule with UNTIL, two days each", ics(vevent("e", "DTSTART;VALUE=DATE:20260501", "DTEND;VALUE=DATE:20260503", "RRULE:FREQ=YEARLY;UNTIL=20270501")),
			[]string{"2026-05-01", "2026-05-02", "2027-05-01", "2027-05-02"}},
		{"a timed event marks each day it touches, in the calendar's zone",
			ics(vevent("f", "DTSTART:20261231T150000Z", "DTEND:20261231T170000Z")), // 23:00 to 01:00 in Shanghai
			[]string{"2026-12-31", "2027-01-01"}},
		{"TZID", ics(vevent("g", "DTSTART;TZID=Europe/Berlin:20261224T120000", "DTEND;TZID=Europe/Berlin:20261224T180000")), []string{"2026-12-24", "2026-12-25"}},
		{"cancelled events are left out", ics(vevent("h", "STATUS:CANCELLED", "DTSTART;VALUE=DATE:20260102"), vevent("i", "DTSTART;VALUE=DATE:20260103")), []string{"2026-01-03"}},
		{"LF line endings and folded lines", strings.ReplaceAll(ics(vevent("j", "SUMMARY:a long\r\n  name", "DTSTART;VALUE=DATE:20260104")), "\r\n", "\n"), []string{"2026-01-04"}},
		{"no events", ics(), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := Default("en").Location
			got, _, err := icsDates([]byte(tc.file), loc)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, d := range got {
				s = append(s, d.String())
			}
			slices.Sort(s)
			if !slices.Equal(s, tc.want) {
				t.Errorf("dates %v, want %v", s, tc.want)
			}
		})
	}
	// An endless daily rule is expanded to the horizon, and refused.
	_, line, err := icsDates([]byte(ics(vevent("k", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=DAILY"))), Default("en").Location)
	if err == nil || line != 4 || !strings.Contains(err.Error(), "more than 5000 days") {
		t.Errorf("endless rule: line %d, %v", line, err)
	}
}

// TestICSFilesInConfig: desk.toml's holidays_ics and workdates_ics read
// through the reader given, and their problems named with a file and line.
func TestICSFilesInConfig(t *testing.T) {
	files := map[string]string{
		"calendars/cn-2026.ics":      ics(vevent("nd", "DTSTART;VALUE=DATE:20261001", "DTEND;VALUE=DATE:20261008")),
		"calendars/cn-workdays.ics":  ics(vevent("w1", "DTSTART;VALUE=DATE:20260927"), vevent("w2", "DTSTART;VALUE=DATE:20261010")),
		"calendars/broken.ics":       "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\n",
		"calendars/bad-date.ics":     ics(vevent("ok", "DTSTART;VALUE=DATE:20260101"), vevent("bad", "SUMMARY:x", "DTSTART;VALUE=DATE:2026-10-01")),
		"calendars/no-dtstart.ics":   ics(vevent("n", "SUMMARY:x")),
		"calendars/link.ics":         "symlink",
		"calendars/not-calendar.ics": "hello\n",
	}
	read := func(name string) ([]byte, error) {
		switch data, ok := files[name]; {
		case !ok:
			return nil, fmt.Errorf("open: %w", fs.ErrNotExist)
		case data == "symlink":
			return nil, fmt.Errorf("is a symbolic link; desk reads nothing through a symlink")
		default:
			return []byte(data), nil
		}
	}
	c, err := ParseWith("desk.toml", []byte(`[calendars.cn]
holidays_ics = ["calendars/cn-2026.ics"]
workdates_ics = ["calendars/cn-workdays.ics"]
[[sla.priority]]
name = "high"
resolve = "2bd"
calendar = "cn"
`), read)
	if err != nil {
		t.Fatal(err)
	}
	cn := c.Targets("", "high").Resolve.Calendar
	for d, want := range map[sla.Date]bool{{Year: 2026, Month: 10, Day: 1}: false, {Year: 2026, Month: 10, Day: 7}: false, {Year: 2026, Month: 10, Day: 8}: true,
		{Year: 2026, Month: 9, Day: 27}: true, {Year: 2026, Month: 10, Day: 10}: true, {Year: 2026, Month: 10, Day: 11}: false} {
		if got := cn.IsBusinessDay(d); got != want {
			t.Errorf("%s business day: %v, want %v", d, got, want)
		}
	}

	for _, tc := range []struct{ name, toml, want string }{
		{"missing file", "[calendar]\nholidays_ics = [\"calendars/cn-2027.ics\"]\n", `desk.toml:2: calendar.holidays_ics: "calendars/cn-2027.ics": no such file in the repository`},
		{"a symlink", "[calendars.cn]\n\nworkdates_ics = [\"calendars/link.ics\"]\n", `desk.toml:3: calendars.cn.workdates_ics: "calendars/link.ics": is a symbolic link; desk reads nothing through a symlink`},
		{"outside the repository", "[calendar]\nholidays_ics = [\"../secret.ics\"]\n", `desk.toml:2: calendar.holidays_ics: "../secret.ics": want a path inside the repository`},
		{"absolute", "[calendar]\nholidays_ics = [\"/etc/x.ics\"]\n", `desk.toml:2: calendar.holidays_ics: "/etc/x.ics": want a path inside the repository`},
		{"malformed", "[calendar]\nholidays_ics = [\"calendars/broken.ics\"]\n", `calendars/broken.ics: not a valid iCalendar file: `},
		{"not a calendar", "[calendar]\nholidays_ics = [\"calendars/not-calendar.ics\"]\n", `calendars/not-calendar.ics: not a valid iCalendar file: `},
		{"bad date, with its line", "[calendar]\n# 节假日\nholidays_ics = [\"calendars/bad-date.ics\"]\n", `calendars/bad-date.ics:13: event 2, DTSTART: parsing time "2026-10-01"`},
		{"no DTSTART", "[calendar]\nholidays_ics = [\"calendars/no-dtstart.ics\"]\n", `calendars/no-dtstart.ics:4: event 1, BEGIN:VEVENT: no DTSTART (named by calendar.holidays_ics in desk.toml:2)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseWith("desk.toml", []byte(tc.toml), read)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error\n%v\nwant one starting with\n%s", err, tc.want)
			}
			if _, ok := err.(*Error); !ok {
				t.Errorf("a %T, want a *config.Error", err)
			}
		})
	}
}
