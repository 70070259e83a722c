package report

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/deskhq/desk/ticket"
)

// Kinds of Period.
const (
	Month = "month" // a calendar month: --period 2026-11
	Week  = "week"  // an ISO 8601 week, Monday to Sunday: --period 2026-W47
	Range = "range" // --since and --until
)

// Period is the stretch of time a report covers: from Start up to, not
// including, End, in the repository's time zone.
type Period struct {
	Name  string // "2026-11", "2026-W47", "2026-11-01..2026-11-15"
	Kind  string // Month, Week or Range
	Start time.Time
	End   time.Time // exclusive
}

var (
	monthRE = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	weekRE  = regexp.MustCompile(`^(\d{4})-[Ww](\d{2})$`)
)

// ParsePeriod reads --period: a month "2026-11" or an ISO week "2026-W47",
// at midnight in loc. Anything else is an error that shows both forms.
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	if m := monthRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		switch {
		case y < 1:
			return Period{}, fmt.Errorf("--period %q: there is no year 0000", s)
		case mo < 1 || mo > 12:
			return Period{}, fmt.Errorf("--period %q: month %s is not between 01 and 12", s, m[2])
		}
		return MonthOf(time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, loc)), nil
	}
	if m := weekRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		start := isoWeekStart(y, w, loc)
		if gy, gw := start.ISOWeek(); y >= 1 && w >= 1 && gy == y && gw == w {
			return weekFrom(start), nil
		}
		return Period{}, fmt.Errorf("--period %q: %d has no ISO week %02d (its weeks are W01 to W%02d)", s, y, w, weeksIn(y))
	}
	return Period{}, fmt.Errorf("--period %q is not a period; write a month (2026-11) or an ISO week (2026-W47)", s)
}

// isoWeekStart is the Monday of ISO week w of year y: week 1 is the week
// that holds 4 January.
func isoWeekStart(y, w int, loc *time.Location) time.Time {
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, loc)
	back := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return jan4.AddDate(0, 0, -back+7*(w-1))
}

// weeksIn is the number of ISO weeks of year y: 28 December is always in
// the last one.
func weeksIn(y int) int {
	_, w := time.Date(y, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// MonthOf is the calendar month that holds t, in t's location.
func MonthOf(t time.Time) Period {
	start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
	return Period{Name: start.Format("2006-01"), Kind: Month, Start: start, End: start.AddDate(0, 1, 0)}
}

func weekFrom(monday time.Time) Period {
	y, w := monday.ISOWeek()
	return Period{Name: fmt.Sprintf("%04d-W%02d", y, w), Kind: Week, Start: monday, End: monday.AddDate(0, 0, 7)}
}

// LastMonth is the default period of a report: the last calendar month that
// has ended at now, in loc. On 22 November it is October; on 1 December,
// November.
func LastMonth(now time.Time, loc *time.Location) Period {
	return MonthOf(now.In(loc)).Previous()
}

// ParseRange reads --since and --until. A date (2026-11-01) is a whole day:
// --since starts at its midnight and --until takes in the whole day, so
// "--since 2026-11-01 --until 2026-11-30" is November. A time
// (2026-11-22T09:00:00+08:00, "2026-11-22 09:00") is that instant, --until
// excluded. An empty until means now. --until before --since is an
// error.
func ParseRange(since, until string, loc *time.Location, now time.Time) (Period, error) {
	if since == "" {
		return Period{}, fmt.Errorf("--until needs --since: the report covers --since to --until")
	}
	start, _, err := parseBound(since, loc)
	if err != nil {
		return Period{}, fmt.Errorf("--since: %v", err)
	}
	end, untilDate := now, false
	if until != "" {
		if end, untilDate, err = parseBound(until, loc); err != nil {
			return Period{}, fmt.Errorf("--until: %v", err)
		}
		if untilDate {
			end = end.AddDate(0, 0, 1)
		}
	}
	if !end.After(start) {
		if until == "" {
			return Period{}, fmt.Errorf("--since %s is not before now (%s); give --until too", since, now.In(loc).Format("2006-01-02 15:04"))
		}
		return Period{}, fmt.Errorf("--since %s is after --until %s: the period would be empty the wrong way round", since, until)
	}
	p := Period{Kind: Range, Start: start.In(loc), End: end.In(loc)}
	p.Name = rangeName(p.Start, p.End)
	return p, nil
}

// parseBound parses a date or a time; date reports a bare date.
func parseBound(s string, loc *time.Location) (t time.Time, date bool, err error) {
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, true, nil
	}
	t, err = ticket.ParseTime(s, loc)
	return t, false, err
}

// rangeName names a range by its first and last day, or by its instants
// when it does not run from midnight to midnight.
func rangeName(start, end time.Time) string {
	if _, ok := wholeDays(start, end); ok {
		return start.Format("2006-01-02") + ".." + end.AddDate(0, 0, -1).Format("2006-01-02")
	}
	return start.Format("2006-01-02T15:04") + ".." + end.Format("2006-01-02T15:04")
}

// Previous is the period of the same kind just before p: the month before,
// the week before, or a range as long as p that ends where p starts (the
// same number of days when p runs from midnight to midnight).
func (p Period) Previous() Period {
	switch p.Kind {
	case Month:
		return MonthOf(p.Start.AddDate(0, -1, 0))
	case Week:
		return weekFrom(p.Start.AddDate(0, 0, -7))
	}
	var start time.Time
	if days, ok := wholeDays(p.Start, p.End); ok {
		start = p.Start.AddDate(0, 0, -days)
	} else {
		start = p.Start.Add(-p.End.Sub(p.Start))
	}
	return Period{Name: rangeName(start, p.Start), Kind: Range, Start: start, End: p.Start}
}

// wholeDays reports how many calendar days lie between two midnights.
func wholeDays(start, end time.Time) (int, bool) {
	if start.Hour()+start.Minute()+start.Second()+start.Nanosecond() != 0 || end.Hour()+end.Minute()+end.Second()+end.Nanosecond() != 0 {
		return 0, false
	}
	a := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a) / (24 * time.Hour)), true
}

// ChoosePeriod is the period of desk report's flags: --period (a month or a
// week), or --since and --until (ParseRange), or else the last month. Both
// kinds at once are an error.
func ChoosePeriod(period, since, until string, loc *time.Location, now time.Time) (Period, error) {
	switch {
	case period != "" && (since != "" || until != ""):
		return Period{}, fmt.Errorf("--period cannot be combined with --since or --until")
	case period != "":
		return ParsePeriod(period, loc)
	case since != "" || until != "":
		return ParseRange(since, until, loc, now)
	}
	return LastMonth(now, loc), nil
}
