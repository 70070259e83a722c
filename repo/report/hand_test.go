package report

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/deskhq/desk/repo"
)

// The hand-computed repository, testdata/hand, holds twelve tickets written
// as files with known event times (default desk.toml: high 1h/4h, medium
// 4h/24h, low 24h/3bd on Mon–Fri 09:00–18:00, complaint respond 24h,
// pending pauses the clocks). Every number below is worked out by hand from
// those files, in the comments; none was copied from the program's output.
//
//	T1  TS-20261020-1  high hardware    resolved in Oct (3h, met), closed Oct 21, reopened Nov 3 10:00, resolved Nov 3 11:00
//	T2  TS-20261030-1  medium software  Oct 30 17:00, triaged 22:00 (5h: breached), pending Nov 2 10:00–Nov 4 10:00, resolved Nov 4 12:00, closed Nov 5
//	T3  TS-20261102-1  high software    triaged 20m, resolved 2h30m, closed Nov 3, archived Nov 20
//	T4  TS-20261103-1  high hardware    major; Nov 3 14:00, triaged 15:30 (1h30m: breached), in progress until Dec 1 10:00
//	T5  TS-20261105-1  medium hardware  triaged 1h, 2h + pending 24h + 4h = 6h resolved, closed Nov 9 (unsatisfied)
//	T6  TS-20261109-1  low hardware     "printer  jams"; triaged 6h, resolved in 9+9+3 = 21bh, closed Nov 12
//	T7  TS-20261110-1  medium complaint triaged 22h (complaint: 24h target), resolved 47h (breached), closed Nov 13
//	T8  TS-20261116-1  untriaged        new since Nov 16 09:00: no category, priority (so low's targets) or assignee
//	T9  TS-20261127-1  low request      triaged 30m, in progress at the end (10bh of 27), resolved Dec 2
//	T10 TS-20261118-1  medium software  triaged 30m, resolved 20h, feedback and closed Dec 1
//	T11 TS-20261124-1  high software    major; triaged 10m, resolved 3h, closed Nov 25
//	T12 TS-20261201-1  low hardware     opened Dec 1
func handReport(t *testing.T, period string, now time.Time) *Report {
	t.Helper()
	r, err := repo.Open("testdata/hand")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePeriod(period, r.Config.Location)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(context.Background(), r.Config, r, Options{Period: p, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

var cst = time.FixedZone("CST", 8*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

func f(v float64) *float64 { return &v }
func s(v string) *string   { return &v }

// same compares a figure with its expected value through JSON, so that
// pointers and times compare by value.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// TestHandNovember is the month of November 2026, reported on 2 December:
// the period is over, so its figures are taken at 1 December 00:00 and the
// events of December (T4 and T9 resolved, T10 confirmed and closed, T12
// opened) are in none of them.
func TestHandNovember(t *testing.T) {
	rep := handReport(t, "2026-11", at("2026-12-02 12:00"))

	same(t, "period", rep.Period, PeriodInfo{Name: "2026-11", Kind: Month,
		Start: at("2026-11-01 00:00"), End: at("2026-12-01 00:00"), AsOf: at("2026-12-01 00:00"), Partial: false})

	// Opened: created in November: T3 T4 T5 T6 T7 T8 T9 T10 T11 = 9.
	// Resolved: moved to resolved in November: T1 (after its reopen) T2 T3 T5
	// T6 T7 T10 T11 = 8 (T4 and T9 only in December).
	// Closed: T2 T3 T5 T6 T7 T11 = 6 (T10 on 1 December; T1 in October).
	// Reopened: T1 (closed → in_progress on 3 November) = 1.
	same(t, "tickets", rep.Tickets, Counts{Opened: 9, Resolved: 8, Closed: 6, Reopened: 1})

	// Open on 1 December 00:00: T4 in progress, T8 new, T9 in progress.
	// Ages: T9 Nov 27 17:00 → 3d7h (79h); T8 Nov 16 09:00 → 14d15h (351h);
	// T4 Nov 3 14:00 → 27d10h (658h). Median of three: the middle, 14d15h;
	// p90: rank ⌈0.9·3⌉ = 3, 27d10h; oldest T4.
	same(t, "backlog", rep.Backlog, Backlog{Open: 3,
		Median: s("14d15h"), P90: s("27d10h"), Oldest: s("27d10h"),
		MedianMinutes: f(351 * 60), P90Minutes: f(658 * 60), OldestMinutes: f(658 * 60), OldestID: s("TS-20261103-1")})

	// Shares of the 9 opened: 3/9 = 33.3 %, 2/9 = 22.2 %, 1/9 = 11.1 %.
	// Categories: hardware T4 T5 T6, software T3 T10 T11, request T9,
	// complaint T7, none T8; equal counts in desk.toml's order, none last.
	same(t, "categories", rep.Shares.Category, []Share{
		{"hardware", 3, 0.3333}, {"software", 3, 0.3333}, {"request", 1, 0.1111}, {"complaint", 1, 0.1111}, {"", 1, 0.1111}})
	// Channels: phone T4 T11, email T7 T10, chat T3 T9, portal T6 T8, onsite T5.
	same(t, "channels", rep.Shares.Channel, []Share{
		{"phone", 2, 0.2222}, {"email", 2, 0.2222}, {"chat", 2, 0.2222}, {"portal", 2, 0.2222}, {"onsite", 1, 0.1111}})
	// Priorities, in desk.toml's order: high T3 T4 T11, medium T5 T7 T10, low T6 T9, none T8.
	same(t, "priorities", rep.Shares.Priority, []Share{
		{"high", 3, 0.3333}, {"medium", 3, 0.3333}, {"low", 2, 0.2222}, {"", 1, 0.1111}})
	// Tags of the opened tickets: email (T3 T11), outage (T4 T11), printer
	// (T5 T6) twice each, then once each by name.
	same(t, "tags", rep.Tags, []Share{
		{"email", 2, 0.2222}, {"outage", 2, 0.2222}, {"printer", 2, 0.2222},
		{"access", 1, 0.1111}, {"complaint", 1, 0.1111}, {"outlook", 1, 0.1111}, {"server", 1, 0.1111}, {"vpn", 1, 0.1111}})
	// "Printer jams" (T5) and "printer  jams" (T6) are one problem, written as
	// first seen; "VPN disconnects" came up once in November (T2 is October's).
	same(t, "titles", rep.Titles, []Share{{"Printer jams", 2, 0.2222}})

	// Response clocks settled in November, by priority:
	//   high:   T3 20m met, T11 10m met, T4 1h30m > 1h breached → 2/3 = 66.7 %;
	//           times 10m 20m 1h30m: median 20m, p90 rank ⌈2.7⌉ = 3 → 1h30m.
	//   medium: T5 1h, T10 30m met; T7 22h met against complaint's 24h → 3/3;
	//           times 30m 1h 22h: median 1h, p90 22h.
	//           (T2 breached in October: already counted, so not again.)
	//   low:    T6 6h, T9 30m met → 2/2; median (30m + 6h) / 2 = 3h15m,
	//           p90 rank ⌈1.8⌉ = 2 → 6h.
	//   none:   T8 (low's 24h) passed its target on Nov 17 09:00 while new → 0/1.
	//   all:    7 met, 2 breached → 7/9 = 77.8 %.
	same(t, "respond", rep.SLA.Respond, ClockTable{
		Priorities: []ClockRow{
			{Priority: "high", Target: "1h", Rate: Rate{2, 1, f(0.6667)}, Times: []Times{{"h", 3, "20m", "1h30m", 20, 90}}},
			{Priority: "medium", Target: "4h", Rate: Rate{3, 0, f(1)}, Times: []Times{{"h", 3, "1h", "22h", 60, 22 * 60}}},
			{Priority: "low", Target: "24h", Rate: Rate{2, 0, f(1)}, Times: []Times{{"h", 2, "3h15m", "6h", 195, 360}}},
			{Priority: "", Target: "24h", Rate: Rate{0, 1, f(0)}, Times: []Times{}},
		},
		Total: Rate{7, 2, f(0.7778)},
	})
	// Resolution clocks settled in November:
	//   high:   T3 2h30m met, T11 3h met; T4 still open, past 4h since Nov 3
	//           18:00 → breached; T1 was met in October but its reopen makes
	//           it created Oct 20 10:00 → resolved Nov 3 11:00 = 337h → breached
	//           in November → 2/4 = 50 %. Times of the clocks that stopped in
	//           November: 2h30m 3h 337h (14d1h): median 3h, p90 14d1h.
	//   medium: T5 6h met, T10 20h met, T7 47h breached → 2/3; T2 (67h: 65h
	//           before the pause + 2h after) breached in October, not again.
	//           Times 6h 20h 47h 67h: median (20h + 47h) / 2 = 33h30m =
	//           1d9h30m, p90 rank ⌈3.6⌉ = 4 → 67h = 2d19h.
	//   low:    T6 21bh met → 1/1; T9 (10bh of 27) is still running within
	//           its target: not counted. Times in business hours: 21bh.
	//   none:   T8: 27 business hours passed on Nov 18 18:00 → 0/1.
	//   all:    5 met, 4 breached → 5/9 = 55.6 %.
	same(t, "resolve", rep.SLA.Resolve, ClockTable{
		Priorities: []ClockRow{
			{Priority: "high", Target: "4h", Rate: Rate{2, 2, f(0.5)}, Times: []Times{{"h", 3, "3h", "14d1h", 180, 337 * 60}}},
			{Priority: "medium", Target: "24h", Rate: Rate{2, 1, f(0.6667)}, Times: []Times{{"h", 4, "1d9h30m", "2d19h", 33.5 * 60, 67 * 60}}},
			{Priority: "low", Target: "3bd", Rate: Rate{1, 0, f(1)}, Times: []Times{{"bh", 1, "21bh", "21bh", 21 * 60, 21 * 60}}},
			{Priority: "", Target: "3bd", Rate: Rate{0, 1, f(0)}, Times: []Times{}},
		},
		Total: Rate{5, 4, f(0.5556)},
	})

	// Feedback confirmed in November: T3 T6 T7 T11 satisfied, T2 basically
	// satisfied, T5 unsatisfied = 6 (T1's was in October, T10's in
	// December). Satisfied 4/6 = 66.7 %, basically 1/6, unsatisfied 1/6;
	// rate (4 + 1) / 6 = 83.3 %.
	same(t, "satisfaction", rep.Satisfaction, Satisfaction{Rated: 6,
		Ratings: []Share{{"satisfied", 4, 0.6667}, {"basically_satisfied", 1, 0.1667}, {"unsatisfied", 1, 0.1667}},
		Rate:    f(0.8333)})

	// Per assignee (handled: an event in November):
	//   li.si      T1 T3 T7: all resolved in November; resolution T3 met, T1
	//              and T7 breached → 1/3; feedback T3 T7 satisfied → 2/2.
	//   tom.baker  T4 T5 T6: T5 T6 resolved, T4 open; T5 T6 met, T4 breached
	//              → 2/3; T5 unsatisfied, T6 satisfied → 1/2.
	//   wang.wu    T2 T9 T10: T2 T10 resolved, T9 open; only T10 settled in
	//              November (met) → 1/1; T2 basically satisfied → 1/1.
	//   emma.clark T11: resolved, met, satisfied.
	//   unassigned T8: open, breached.
	// Most handled first, then by name; the unassigned last.
	same(t, "assignees", rep.Assignees, []Assignee{
		{Name: "li.si", Handled: 3, Resolved: 3, Open: 0, Met: 1, Breached: 2, OnTime: f(0.3333), Rated: 2, Positive: 2, Satisfaction: f(1)},
		{Name: "tom.baker", Handled: 3, Resolved: 2, Open: 1, Met: 2, Breached: 1, OnTime: f(0.6667), Rated: 2, Positive: 1, Satisfaction: f(0.5)},
		{Name: "wang.wu", Handled: 3, Resolved: 2, Open: 1, Met: 1, Breached: 0, OnTime: f(1), Rated: 1, Positive: 1, Satisfaction: f(1)},
		{Name: "emma.clark", Handled: 1, Resolved: 1, Open: 0, Met: 1, Breached: 0, OnTime: f(1), Rated: 1, Positive: 1, Satisfaction: f(1)},
		{Name: "", Handled: 1, Resolved: 0, Open: 1, Met: 0, Breached: 1, OnTime: f(0), Rated: 0, Positive: 0, Satisfaction: nil},
	})

	// Major: T4, in progress on 1 December, its resolution clock at 27d10h
	// (Nov 3 14:00 → Dec 1 00:00); T11, 08:00 → 11:00 = 3h, met.
	resolved := at("2026-11-24 11:00")
	same(t, "major", rep.Major, []Incident{
		{ID: "TS-20261103-1", Title: "File server down", Status: "in_progress", Priority: "high", Lead: "li.si",
			Created: at("2026-11-03 14:00"), Resolved: nil, Elapsed: "27d10h", State: "breached"},
		{ID: "TS-20261124-1", Title: "Email service outage", Status: "closed", Priority: "high", Lead: "emma.clark",
			Created: at("2026-11-24 08:00"), Resolved: &resolved, Elapsed: "3h", State: "met"},
	})

	// Parts of the tickets resolved in November: T5 a fuser unit and two
	// pickup rollers, T1 a laptop battery. Most used first.
	same(t, "parts", rep.Parts, []PartUse{{"Pickup roller", 2, 1}, {"Fuser unit", 1, 1}, {"Laptop battery", 1, 1}})

	// October, on 1 November 00:00: opened T1 T2; resolved and closed T1;
	// open T2. Response: T1 met, T2 breached → 1/2. Resolution: T1 met (3h),
	// T2 open and past 24h since Oct 31 17:00 → 1/2. Feedback: T1 satisfied.
	same(t, "previous", rep.Previous, Summary{Period: "2026-10", Start: at("2026-10-01 00:00"), End: at("2026-11-01 00:00"),
		Opened: 2, Resolved: 1, Closed: 1, Reopened: 0, Backlog: 1, Respond: f(0.5), Resolve: f(0.5), Satisfaction: f(1)})
	// Deltas: 9-2, 8-1, 6-1, 1-0, 3-1; 0.7778-0.5, 0.5556-0.5, 0.8333-1.
	same(t, "delta", rep.Delta, Delta{Opened: 7, Resolved: 7, Closed: 5, Reopened: 1, Backlog: 2,
		Respond: f(0.2778), Resolve: f(0.0556), Satisfaction: f(-0.1667)})

	// The trend: June to November, nothing before October.
	if len(rep.Trend) != 6 {
		t.Fatalf("trend has %d periods, want 6", len(rep.Trend))
	}
	for i, name := range []string{"2026-06", "2026-07", "2026-08", "2026-09"} {
		same(t, "trend "+name, rep.Trend[i], Summary{Period: name, Start: rep.Trend[i].Start, End: rep.Trend[i].End})
	}
	same(t, "trend 2026-10", rep.Trend[4], rep.Previous)
	same(t, "trend 2026-11", rep.Trend[5], Summary{Period: "2026-11", Start: at("2026-11-01 00:00"), End: at("2026-12-01 00:00"),
		Opened: 9, Resolved: 8, Closed: 6, Reopened: 1, Backlog: 3, Respond: f(0.7778), Resolve: f(0.5556), Satisfaction: f(0.8333)})
	same(t, "skipped", rep.Skipped, []string{})
}

// TestHandWeek is ISO week 46, Monday 9 to Sunday 15 November.
func TestHandWeek(t *testing.T) {
	rep := handReport(t, "2026-W46", at("2026-12-02 12:00"))
	// Opened: T6 (Nov 9), T7 (Nov 10). Resolved: T6 (Nov 11), T7 (Nov 12).
	// Closed: T5 (Nov 9 10:00), T6, T7. Open on Nov 16 00:00: T4 only, for
	// Nov 3 14:00 → Nov 16 00:00 = 12d10h.
	same(t, "tickets", rep.Tickets, Counts{Opened: 2, Resolved: 2, Closed: 3})
	same(t, "backlog", []any{rep.Backlog.Open, rep.Backlog.Median, rep.Backlog.OldestID}, []any{1, "12d10h", "TS-20261103-1"})
	// Response: T6 and T7 met; T4's breach was in week 45. Resolution: T6
	// met, T7 passed 24h on Nov 11 10:00 → 1/2; T4 breached in week 45.
	same(t, "respond", rep.SLA.Respond.Total, Rate{2, 0, f(1)})
	same(t, "resolve", rep.SLA.Resolve.Total, Rate{1, 1, f(0.5)})
	// Feedback: T5 unsatisfied (Nov 9), T6 and T7 satisfied → 2/3.
	same(t, "satisfaction", []any{rep.Satisfaction.Rated, rep.Satisfaction.Rate}, []any{3, 0.6667})
	// Week 45, Nov 2–8: opened T3 T4 T5; resolved T1 T2 T3 T5; closed T2 T3;
	// reopened T1; open at Nov 9 00:00: T4 (T5 was resolved on Nov 6).
	// Response: T3 T5 met, T4 breached → 2/3. Resolution: T3 T5
	// met, T4 and the reopened T1 breached → 2/4; T2 breached in October.
	// Feedback: T2 basically satisfied (Nov 5), T3 satisfied (Nov 3) → 2/2.
	same(t, "previous", rep.Previous, Summary{Period: "2026-W45", Start: at("2026-11-02 00:00"), End: at("2026-11-09 00:00"),
		Opened: 3, Resolved: 4, Closed: 2, Reopened: 1, Backlog: 1, Respond: f(0.6667), Resolve: f(0.5), Satisfaction: f(1)})
	// A range of the same days is the same report under another name.
	r, _ := repo.Open("testdata/hand")
	p, err := ParseRange("2026-11-09", "2026-11-15", r.Config.Location, at("2026-12-02 12:00"))
	if err != nil {
		t.Fatal(err)
	}
	byRange, err := Build(context.Background(), r.Config, r, Options{Period: p, Now: at("2026-12-02 12:00")})
	if err != nil {
		t.Fatal(err)
	}
	byRange.Period, rep.Period = PeriodInfo{}, PeriodInfo{}
	for i := range rep.Trend {
		rep.Trend[i].Period, byRange.Trend[i].Period = "", ""
	}
	rep.Previous.Period, byRange.Previous.Period = "", ""
	if !reflect.DeepEqual(rep, byRange) {
		t.Errorf("--since 2026-11-09 --until 2026-11-15 differs from --period 2026-W46")
	}
}

// TestHandPartial is November on 22 November 10:00: the period is not
// over, so its figures are taken at that instant.
func TestHandPartial(t *testing.T) {
	rep := handReport(t, "2026-11", at("2026-11-22 10:00"))
	if !rep.Period.Partial || !rep.Period.AsOf.Equal(at("2026-11-22 10:00")) {
		t.Errorf("period %+v: want partial, as of 2026-11-22 10:00", rep.Period)
	}
	// Opened by then: T3 T4 T5 T6 T7 T8 T10 = 7 (T9 and T11 later).
	// Resolved: T1 T2 T3 T5 T6 T7 T10 = 7. Closed: T2 T3 T5 T6 T7 = 5.
	// Open: T4 (18d20h) and T8 (6d1h); T10 is resolved.
	same(t, "tickets", rep.Tickets, Counts{Opened: 7, Resolved: 7, Closed: 5, Reopened: 1})
	same(t, "backlog", []any{rep.Backlog.Open, rep.Backlog.Oldest, rep.Backlog.OldestID}, []any{2, "18d20h", "TS-20261103-1"})
}

// TestEmptyPeriod is a month without tickets: zeros, and no rate where
// nothing was counted.
func TestEmptyPeriod(t *testing.T) {
	rep := handReport(t, "2025-03", at("2026-12-02 12:00"))
	same(t, "tickets", rep.Tickets, Counts{})
	same(t, "backlog", rep.Backlog, Backlog{})
	same(t, "respond", rep.SLA.Respond.Total, Rate{})
	same(t, "satisfaction", rep.Satisfaction.Rate, (*float64)(nil))
	same(t, "delta", rep.Delta, Delta{})
	for _, row := range rep.SLA.Resolve.Priorities {
		if row.Rate.Rate != nil || len(row.Times) > 0 {
			t.Errorf("resolve %q: %+v, want no rate and no times", row.Priority, row)
		}
	}
}
