package config

// iCalendar files for holidays and make-up workdays.
//
// Holiday calendars are published as iCalendar files (RFC 5545): a public
// holiday is an all-day VEVENT (DTSTART;VALUE=DATE, DTEND the day after its
// last day), a fixed-date one often written once with RRULE:FREQ=YEARLY.
// desk reads them with github.com/emersion/go-ical, which unfolds lines,
// decodes parameters and values, and expands RRULE through
// github.com/teambition/rrule-go: the parts of the format that are easy to
// get wrong are a maintained library's, and this file only turns events
// into dates. The decoder reports no line numbers, so the line of a bad
// event's property is found here, in the file's text.

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/deskhq/desk/ticket/front"
	"github.com/deskhq/desk/ticket/sla"
)

// icsMaxDays bounds the dates one file may cover, so that an endless daily
// rule cannot make every business-time sum walk a huge holiday map.
const icsMaxDays = 5000

// icsHorizon is where a recurrence without an end stops being expanded.
var icsHorizon = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// icsFile reads the iCalendar file that key (at at) names and adds the
// dates its events cover, in loc, to *dates.
func (r *configReader) icsFile(key string, at front.Pos, file string, loc *time.Location, dates *map[sla.Date]bool) error {
	if r.files == nil {
		return r.fail(at, "%s: %q: iCalendar files are not read here", key, file)
	}
	if file == "" || strings.HasPrefix(file, "/") || strings.Contains(file, "\\") || path.Clean(file) != file || strings.HasPrefix(file, "../") || file == ".." {
		return r.fail(at, "%s: %q: want a path inside the repository, from the desk root, with / between folders (\"calendars/cn-2026.ics\")", key, file)
	}
	data, err := r.files(file)
	if errors.Is(err, fs.ErrNotExist) {
		return r.fail(at, "%s: %q: no such file in the repository", key, file)
	}
	if err != nil {
		return r.fail(at, "%s: %q: %v", key, file, err)
	}
	got, line, err := icsDates(data, loc)
	if err != nil {
		return &Error{Path: path.Join(path.Dir(r.path), file), Line: line,
			Msg: fmt.Sprintf("%v (named by %s in %s:%d)", err, key, path.Base(r.path), at.Line)}
	}
	if *dates == nil {
		*dates = map[sla.Date]bool{}
	}
	for _, d := range got {
		(*dates)[d] = true
	}
	return nil
}

// icsDates returns the dates that the events of an iCalendar file cover in
// loc. An all-day event covers its dates, DTEND excluded; an event with a
// time of day covers every date it touches. Cancelled events are left out.
// On error, line is where the fault is (0 when the decoder cannot say).
func icsDates(data []byte, loc *time.Location) (dates []sla.Date, line int, err error) {
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		return nil, 0, fmt.Errorf("not a valid iCalendar file: %v", strings.TrimPrefix(err.Error(), "ical: "))
	}
	lines := newICSLines(data)
	for i, ev := range cal.Events() {
		if status, _ := ev.Props.Text(ical.PropStatus); strings.EqualFold(status, "CANCELLED") {
			continue
		}
		fail := func(prop string, err error) ([]sla.Date, int, error) {
			return nil, lines.find(i, prop), fmt.Errorf("event %d, %s: %v", i+1, prop, strings.TrimPrefix(err.Error(), "ical: "))
		}
		startProp := ev.Props.Get(ical.PropDateTimeStart)
		if startProp == nil {
			return fail("BEGIN:VEVENT", errors.New("no DTSTART"))
		}
		start, err := startProp.DateTime(loc)
		if err != nil {
			return fail(ical.PropDateTimeStart, err)
		}
		end, err := ev.DateTimeEnd(loc)
		if err != nil {
			return fail(ical.PropDateTimeEnd, err)
		}
		if !end.After(start) {
			end = start.Add(time.Nanosecond) // an instant: its date
		}
		span := end.Sub(start)
		allDay := startProp.ValueType() == ical.ValueDate || len(startProp.Value) == len("20060102")
		days := 0
		if allDay {
			days = max(1, int(sla.DateOf(end).Sub(sla.DateOf(start))))
		}
		starts := []time.Time{start}
		set, err := ev.RecurrenceSet(loc)
		if err != nil {
			return fail(ical.PropRecurrenceRule, err)
		}
		if set != nil {
			starts = starts[:0]
			next := set.Iterator()
			for t, ok := next(); ok && t.Before(icsHorizon) && len(starts) <= icsMaxDays; t, ok = next() {
				starts = append(starts, t)
			}
		}
		for _, s := range starts {
			if allDay {
				first := sla.DateOf(s)
				for d := range days {
					dates = append(dates, first.AddDays(d))
				}
				continue
			}
			last := sla.DateOf(s.Add(span - time.Nanosecond).In(loc))
			for d := sla.DateOf(s.In(loc)); d.Sub(last) <= 0; d = d.AddDays(1) {
				dates = append(dates, d)
			}
		}
		if len(dates) > icsMaxDays {
			return nil, lines.find(i, "BEGIN:VEVENT"), fmt.Errorf("event %d: more than %d days; a holiday calendar lists days, not years of them", i+1, icsMaxDays)
		}
	}
	return dates, 0, nil
}

// icsLines finds the line of a property of the n-th VEVENT in the text of
// a file, for messages: the decoder does not keep positions.
type icsLines struct {
	lines  []string
	events []int // index of each BEGIN:VEVENT line
}

func newICSLines(data []byte) icsLines {
	var l icsLines
	l.lines = strings.Split(string(data), "\n")
	for i, s := range l.lines {
		if strings.EqualFold(strings.TrimSpace(s), "BEGIN:VEVENT") {
			l.events = append(l.events, i)
		}
	}
	return l
}

// find is the 1-based line of the first line of event n starting with
// prop (followed by ; or :), else of the event's BEGIN line, else 0.
func (l icsLines) find(n int, prop string) int {
	if n >= len(l.events) {
		return 0
	}
	begin := l.events[n]
	for i := begin; i < len(l.lines); i++ {
		s := strings.ToUpper(strings.TrimSpace(l.lines[i]))
		if i > begin && s == "END:VEVENT" {
			break
		}
		if rest, ok := strings.CutPrefix(s, prop); ok && (rest == "" || rest[0] == ';' || rest[0] == ':') {
			return i + 1
		}
	}
	return begin + 1
}
