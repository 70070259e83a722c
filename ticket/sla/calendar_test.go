package sla

import (
	"math/rand"
	"sort"
	"testing"
	"time"
	_ "time/tzdata" // the tests do not depend on the machine's zoneinfo
)

func mustLoc(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

var monFri = [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true}

// defaultCal is desk init's [calendar]: Asia/Shanghai, Monday to Friday,
// 09:00–18:00, holidays 2026-10-01 and 2026-10-02.
func defaultCal(tb testing.TB) *Calendar {
	return &Calendar{
		Location: mustLoc(tb, "Asia/Shanghai"),
		Workdays: monFri,
		Open:     9 * time.Hour,
		Close:    18 * time.Hour,
		Holidays: map[Date]bool{{2026, 10, 1}: true, {2026, 10, 2}: true},
	}
}

// tm parses "2006-01-02 15:04" (or with ":05") in loc.
func tm(tb testing.TB, loc *time.Location, s string) time.Time {
	tb.Helper()
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout += ":05"
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestCalendar(t *testing.T) {
	sh := defaultCal(t)
	berlin := &Calendar{Location: mustLoc(t, "Europe/Berlin"), Workdays: monFri, Open: 9 * time.Hour, Close: 18 * time.Hour}
	allWeek := [7]bool{true, true, true, true, true, true, true}
	berlinNight := &Calendar{Location: berlin.Location, Workdays: allWeek, Open: 1 * time.Hour, Close: 5 * time.Hour}
	berlinAlways := &Calendar{Location: berlin.Location, Workdays: allWeek, Open: 0, Close: 24 * time.Hour}

	tests := []struct {
		name string
		cal  *Calendar
		a, b string
		want time.Duration
		// add: whether AddBusiness(a, want) must be b (b is the earliest
		// instant with that much business time since a).
		add bool
	}{
		{"inside one day", sh, "2026-11-23 10:00", "2026-11-23 12:30", 150 * time.Minute, true},
		{"over a weekend", sh, "2026-11-20 17:00", "2026-11-23 10:00", 2 * time.Hour, true},
		{"over the October holidays and the weekend after", sh, "2026-09-30 17:00", "2026-10-05 10:00", 2 * time.Hour, true},
		{"start before opening", sh, "2026-11-23 07:00", "2026-11-23 10:00", time.Hour, true},
		{"start after closing", sh, "2026-11-23 19:00", "2026-11-24 10:00", time.Hour, true},
		{"start on a Saturday", sh, "2026-11-21 10:00", "2026-11-23 10:00", time.Hour, true},
		{"end exactly at closing stays at closing", sh, "2026-11-23 17:00", "2026-11-23 18:00", time.Hour, true},
		{"end at opening counts nothing of that day", sh, "2026-11-20 17:00", "2026-11-23 09:00", time.Hour, false},
		{"whole weekend outside hours is zero", sh, "2026-11-20 18:00", "2026-11-23 09:00", 0, false},
		{"a whole week is five days", sh, "2026-11-23 00:00", "2026-11-30 00:00", 45 * time.Hour, false},
		{"3bd from Friday 17:30 ends Wednesday 17:30", sh, "2026-11-20 17:30", "2026-11-25 17:30", 27 * time.Hour, true},
		{"a year with two holidays on workdays", sh, "2026-01-01 00:00", "2027-01-01 00:00", 259 * 9 * time.Hour, false},
		{"b before a is zero", sh, "2026-11-23 12:00", "2026-11-23 10:00", 0, false},
		{"seconds are kept", sh, "2026-11-23 10:00:30", "2026-11-23 10:01:00", 30 * time.Second, true},
		{"Berlin: weekend over the spring DST change", berlin, "2026-03-27 17:00", "2026-03-30 10:00", 2 * time.Hour, true},
		{"Berlin: weekend over the autumn DST change", berlin, "2026-10-23 17:00", "2026-10-26 10:00", 2 * time.Hour, true},
		{"Berlin: two weeks over the spring change are still 90h", berlin, "2026-03-23 00:00", "2026-04-06 00:00", 90 * time.Hour, false},
		{"Berlin: open hours that lose an hour on the spring day", berlinNight, "2026-03-29 00:00", "2026-03-30 00:00", 3 * time.Hour, false},
		{"Berlin: spring day counted to its real closing", berlinNight, "2026-03-29 00:00", "2026-03-29 05:00", 3 * time.Hour, true},
		{"Berlin: open hours that gain an hour on the autumn day", berlinNight, "2026-10-25 00:00", "2026-10-26 00:00", 5 * time.Hour, false},
		{"Berlin: long span over both changes", berlinNight, "2026-03-01 00:00", "2026-11-01 00:00", 245*4*time.Hour - time.Hour + time.Hour, false}, // 245 days, -1h in spring, +1h in autumn,
		{"Berlin: always open is wall time over the spring change", berlinAlways, "2026-03-28 12:00", "2026-03-30 12:00", 47 * time.Hour, true},
		{"Berlin: always open is wall time over the autumn change", berlinAlways, "2026-10-24 12:00", "2026-10-26 12:00", 49 * time.Hour, true},
		{"nil calendar is always open", nil, "2026-11-21 10:00", "2026-11-21 12:00", 2 * time.Hour, true},
		{"calendar without workdays is always open", &Calendar{Open: 9 * time.Hour, Close: 18 * time.Hour}, "2026-11-21 10:00", "2026-11-21 12:00", 2 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := time.UTC
			if tt.cal != nil && tt.cal.Location != nil {
				loc = tt.cal.Location
			}
			a, b := tm(t, loc, tt.a), tm(t, loc, tt.b)
			if got := tt.cal.BusinessBetween(a, b); got != tt.want {
				t.Errorf("BusinessBetween(%v, %v) = %v, want %v", a, b, got, tt.want)
			}
			if tt.add {
				if got := tt.cal.AddBusiness(a, tt.want); !got.Equal(b) {
					t.Errorf("AddBusiness(%v, %v) = %v, want %v", a, tt.want, got, b)
				}
			}
		})
	}
}

func TestAddBusinessZeroIsIdentity(t *testing.T) {
	c := defaultCal(t)
	for _, s := range []string{"2026-11-21 10:00", "2026-11-23 07:00", "2026-11-23 12:00", "2026-11-23 18:00", "2026-10-01 10:00"} {
		at := tm(t, c.Location, s)
		if got := c.AddBusiness(at, 0); !got.Equal(at) {
			t.Errorf("AddBusiness(%s, 0) = %v, want %v", s, got, at)
		}
		if got := c.AddBusiness(at, -time.Hour); !got.Equal(at) {
			t.Errorf("AddBusiness(%s, -1h) = %v, want %v", s, got, at)
		}
	}
}

func TestDateHelpers(t *testing.T) {
	for n := int64(-800000); n < 800000; n += 997 {
		d := dateOfDay(n)
		if dayNum(d) != n {
			t.Fatalf("dayNum(dateOfDay(%d)) = %d", n, dayNum(d))
		}
		want := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
		if floorDiv(want.Unix(), 86400) != n || want.Weekday() != d.Weekday() {
			t.Fatalf("day %d: %v (%v), time package says %v (%v)", n, d, d.Weekday(), want, want.Weekday())
		}
	}
	if (Date{2026, 2, 29}).Valid() || !(Date{2028, 2, 29}).Valid() || (Date{2026, 13, 1}).Valid() {
		t.Error("Date.Valid is wrong about Feb 29 or month 13")
	}
	if got := (Date{2026, 10, 1}).String(); got != "2026-10-01" {
		t.Errorf("Date.String = %q", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cal  *Calendar
		ok   bool
	}{
		{"defaults are valid", defaultCal(t), true},
		{"nil", nil, false},
		{"no workday", &Calendar{Open: 9 * time.Hour, Close: 18 * time.Hour}, false},
		{"closing before opening", &Calendar{Workdays: monFri, Open: 18 * time.Hour, Close: 9 * time.Hour}, false},
		{"closing after midnight", &Calendar{Workdays: monFri, Open: 9 * time.Hour, Close: 25 * time.Hour}, false},
		{"holiday that is not a date", &Calendar{Workdays: monFri, Open: 9 * time.Hour, Close: 18 * time.Hour, Holidays: map[Date]bool{{2026, 2, 30}: true}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cal.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// brute is a minute-by-minute reference: prefix[i] is the number of business
// minutes in [start, start+i minutes), judged minute by minute from the wall
// clock, independently of Calendar's own day windows.
func brute(c *Calendar, start time.Time, minutes int) []int32 {
	prefix := make([]int32, minutes+1)
	for i := 0; i < minutes; i++ {
		lt := start.Add(time.Duration(i) * time.Minute).In(c.Location)
		tod := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute
		on := (c.Workdays[lt.Weekday()] || c.Workdates[DateOf(lt)]) && !c.Holidays[DateOf(lt)] && tod >= c.Open && tod < c.Close
		prefix[i+1] = prefix[i]
		if on {
			prefix[i+1]++
		}
	}
	return prefix
}

func TestCalendarAgainstMinuteByMinute(t *testing.T) {
	rng := rand.New(rand.NewSource(20261122))
	berlin := mustLoc(t, "Europe/Berlin")
	randomHolidays := func(n int) map[Date]bool {
		h := map[Date]bool{{2026, 10, 1}: true, {2026, 10, 2}: true, {2027, 5, 5}: false}
		for i := 0; i < n; i++ {
			h[dateOfDay(dayNum(Date{2026, 1, 1})+rng.Int63n(730))] = true
		}
		return h
	}
	randomWorkdates := func(n int) map[Date]bool {
		w := map[Date]bool{{2026, 10, 10}: true, {2026, 10, 1}: true, {2026, 10, 11}: false} // 10-01 is also a holiday: not worked
		for i := 0; i < n; i++ {
			w[dateOfDay(dayNum(Date{2026, 1, 1})+rng.Int63n(730))] = true
		}
		return w
	}
	cals := []struct {
		name string
		cal  *Calendar
	}{
		{"defaults", defaultCal(t)},
		{"Shanghai with many holidays", &Calendar{Location: mustLoc(t, "Asia/Shanghai"), Workdays: monFri, Open: 9 * time.Hour, Close: 18 * time.Hour, Holidays: randomHolidays(60)}},
		{"Berlin office hours", &Calendar{Location: berlin, Workdays: monFri, Open: 8*time.Hour + 30*time.Minute, Close: 17 * time.Hour, Holidays: randomHolidays(20)}},
		{"Berlin nights through the DST changes", &Calendar{Location: berlin, Workdays: [7]bool{true, false, true, true, false, true, true}, Open: 1 * time.Hour, Close: 5 * time.Hour, Holidays: randomHolidays(10)}},
		{"Shanghai with holidays and make-up weekend workdays (调休)", &Calendar{Location: mustLoc(t, "Asia/Shanghai"), Workdays: monFri, Open: 9 * time.Hour, Close: 18 * time.Hour,
			Holidays: randomHolidays(30), Workdates: randomWorkdates(40)}},
		{"Berlin around the clock, Monday to Saturday", &Calendar{Location: berlin, Workdays: [7]bool{false, true, true, true, true, true, true}, Open: 0, Close: 24 * time.Hour}},
	}
	const minutes = 2*365*24*60 + 3*24*60 // a little over two years
	for _, cc := range cals {
		t.Run(cc.name, func(t *testing.T) {
			c := cc.cal
			start := time.Date(2025, 12, 30, 0, 0, 0, 0, c.Location)
			prefix := brute(c, start, minutes)
			at := func(i int) time.Time { return start.Add(time.Duration(i) * time.Minute) }
			for k := 0; k < 3000; k++ {
				i := rng.Intn(minutes + 1)
				j := rng.Intn(minutes + 1)
				if k%2 == 0 { // half of the spans are short, as most tickets are
					j = i + rng.Intn(14*24*60)
					if j > minutes {
						j = minutes
					}
				}
				if j < i {
					i, j = j, i
				}
				want := time.Duration(prefix[j]-prefix[i]) * time.Minute
				if got := c.BusinessBetween(at(i), at(j)); got != want {
					t.Fatalf("BusinessBetween(%v, %v) = %v, want %v", at(i), at(j), got, want)
				}
				// AddBusiness: the first minute at which that much has passed.
				want2 := i + sort.Search(j-i+1, func(n int) bool { return prefix[i+n]-prefix[i] >= prefix[j]-prefix[i] })
				if got := c.AddBusiness(at(i), want); !got.Equal(at(want2)) {
					t.Fatalf("AddBusiness(%v, %v) = %v, want %v", at(i), want, got, at(want2))
				}
			}
		})
	}
}

func TestAddBusinessInverseOfBusinessBetween(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	cals := []*Calendar{
		defaultCal(t),
		{Location: mustLoc(t, "Europe/Berlin"), Workdays: [7]bool{true, true, false, true, true, true, true}, Open: 30 * time.Minute, Close: 4 * time.Hour, Holidays: map[Date]bool{{2026, 3, 29}: true}},
		{Location: mustLoc(t, "Asia/Shanghai"), Workdays: monFri, Open: 9 * time.Hour, Close: 18 * time.Hour,
			Holidays: map[Date]bool{{2026, 10, 1}: true, {2026, 10, 2}: true, {2026, 10, 5}: true}, Workdates: map[Date]bool{{2026, 9, 27}: true, {2026, 10, 10}: true}},
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for ci, c := range cals {
		for k := 0; k < 5000; k++ {
			a := base.Add(time.Duration(rng.Int63n(int64(2 * 365 * 24 * time.Hour))))
			d := time.Duration(rng.Int63n(int64(800 * time.Hour)))
			if k%2 == 0 {
				d = time.Duration(rng.Int63n(int64(20 * time.Hour)))
			}
			b := c.AddBusiness(a, d)
			if got := c.BusinessBetween(a, b); got != d {
				t.Fatalf("calendar %d: BusinessBetween(a, AddBusiness(a, %v)) = %v; a=%v b=%v", ci, d, got, a, b)
			}
			// And the other way: AddBusiness(a, BusinessBetween(a, x)) is the
			// earliest instant with that business time, so never after x.
			x := a.Add(time.Duration(rng.Int63n(int64(60 * 24 * time.Hour))))
			y := c.AddBusiness(a, c.BusinessBetween(a, x))
			if y.After(x) || c.BusinessBetween(y, x) != 0 {
				t.Fatalf("calendar %d: AddBusiness(a, BusinessBetween(a, x)) = %v, x = %v", ci, y, x)
			}
		}
	}
}

func BenchmarkBusinessBetween(b *testing.B) {
	c := defaultCal(b)
	x := tm(b, c.Location, "2026-11-20 17:30")
	for _, span := range []struct {
		name string
		d    time.Duration
	}{{"3days", 3 * 24 * time.Hour}, {"2years", 2 * 365 * 24 * time.Hour}} {
		y := x.Add(span.d)
		b.Run(span.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				c.BusinessBetween(x, y)
			}
		})
	}
}

func BenchmarkAddBusiness(b *testing.B) {
	c := defaultCal(b)
	x := tm(b, c.Location, "2026-11-20 17:30")
	for _, d := range []time.Duration{27 * time.Hour, 2000 * time.Hour} {
		b.Run(d.String(), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				c.AddBusiness(x, d)
			}
		})
	}
}
