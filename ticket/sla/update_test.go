package sla

import (
	"testing"
	"time"
)

// TestComputeUpdate holds the update (keep-in-touch) clock to times worked
// out by hand on the default calendar (Asia/Shanghai, Monday to Friday
// 09:00–18:00; 2026-11-20 is a Friday, 2026-11-23 a Monday).
func TestComputeUpdate(t *testing.T) {
	p := defaultPolicy(t)
	loc := p.Calendar.Location
	type ev struct{ at, to string }
	tests := []struct {
		name       string
		created    string
		changes    []ev
		replies    []string
		update     string
		now        string
		want       want
		wantSince  string
		wantMissed int
	}{
		{
			name:    "no reply yet: counts from created",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}},
			update:  "2h", now: "2026-11-23 10:00",
			want:      want{"2026-11-23 11:00", "", "1h", StateRunning},
			wantSince: "2026-11-23 09:00",
		},
		{
			name:    "a public reply restarts it",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}},
			replies: []string{"2026-11-23 10:30"},
			update:  "2h", now: "2026-11-23 11:30",
			want:      want{"2026-11-23 12:30", "", "1h", StateRunning},
			wantSince: "2026-11-23 10:30",
		},
		{
			name:    "a late reply: the stretch before it was missed, the new one runs",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}},
			replies: []string{"2026-11-23 12:00"},
			update:  "2h", now: "2026-11-23 13:00",
			want:      want{"2026-11-23 14:00", "", "1h", StateRunning},
			wantSince: "2026-11-23 12:00", wantMissed: 1,
		},
		{
			name:    "no reply past the target: breached",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}},
			update:  "2h", now: "2026-11-23 11:30",
			want:      want{"2026-11-23 11:00", "", "2h30m", StateBreached},
			wantSince: "2026-11-23 09:00",
		},
		{
			name:    "pending pauses it: 1h before, 20m after the two hours pending",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}, {"2026-11-23 10:00", "pending"}, {"2026-11-23 12:00", "in_progress"}},
			update:  "2h", now: "2026-11-23 12:20",
			want:      want{"2026-11-23 13:00", "", "1h20m", StateRunning},
			wantSince: "2026-11-23 09:00",
		},
		{
			name:    "while pending: paused, due moves with now",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}, {"2026-11-23 10:00", "pending"}},
			update:  "2h", now: "2026-11-23 11:00",
			want:      want{"2026-11-23 12:00", "", "1h", StatePaused},
			wantSince: "2026-11-23 09:00",
		},
		{
			name:    "1bd over a weekend: Friday 17-18 and Monday 09-14 are 6bh of 9",
			created: "2026-11-20 15:00",
			changes: []ev{{"2026-11-20 15:00", "new"}, {"2026-11-20 15:30", "in_progress"}},
			replies: []string{"2026-11-20 17:00"},
			update:  "1bd", now: "2026-11-23 14:00",
			want:      want{"2026-11-23 17:00", "", "6bh", StateRunning},
			wantSince: "2026-11-20 17:00",
		},
		{
			name:    "4bh over a weekend and a pause: Friday 16-17, pending to Monday 10:00, then 10-11",
			created: "2026-11-20 16:00",
			changes: []ev{{"2026-11-20 16:00", "new"}, {"2026-11-20 16:00", "in_progress"}, {"2026-11-20 17:00", "pending"}, {"2026-11-23 10:00", "in_progress"}},
			update:  "4bh", now: "2026-11-23 11:00",
			want:      want{"2026-11-23 13:00", "", "2bh", StateRunning},
			wantSince: "2026-11-20 16:00",
		},
		{
			name:    "stops at the resolution: met",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}, {"2026-11-23 11:00", "resolved"}, {"2026-11-23 12:00", "closed"}},
			replies: []string{"2026-11-23 09:30"},
			update:  "2h", now: "2026-11-23 15:00",
			want:      want{"2026-11-23 11:30", "2026-11-23 11:00", "1h30m", StateMet},
			wantSince: "2026-11-23 09:30",
		},
		{
			name:    "resolved without a reply, late: breached at the stop",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 12:00", "resolved"}},
			update:  "2h", now: "2026-11-23 13:00",
			want:      want{"2026-11-23 11:00", "2026-11-23 12:00", "3h", StateBreached},
			wantSince: "2026-11-23 09:00",
		},
		{
			name:    "a reply after the resolution does not restart a stopped clock",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 10:00", "resolved"}},
			replies: []string{"2026-11-23 10:30"},
			update:  "2h", now: "2026-11-23 11:00",
			want:      want{"2026-11-23 11:00", "2026-11-23 10:00", "1h", StateMet},
			wantSince: "2026-11-23 09:00",
		},
		{
			name:    "a reopen starts a new stretch; time resolved never counts",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:00", "in_progress"}, {"2026-11-23 10:00", "resolved"}, {"2026-11-24 09:00", "in_progress"}},
			update:  "2h", now: "2026-11-24 10:00",
			want:      want{"2026-11-24 11:00", "", "1h", StateRunning},
			wantSince: "2026-11-24 09:00",
		},
		{
			name:    "two late stretches before the current one",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}},
			replies: []string{"2026-11-23 09:20", "2026-11-23 10:30", "2026-11-23 11:10"}, // 20m, 70m, 40m
			update:  "30m", now: "2026-11-23 11:20",
			want:      want{"2026-11-23 11:40", "", "10m", StateRunning},
			wantSince: "2026-11-23 11:10", wantMissed: 2,
		},
		{
			name:    "replies out of order or before created are clamped forward",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}},
			replies: []string{"2026-11-23 08:00", "2026-11-23 10:00", "2026-11-23 09:30"},
			update:  "2h", now: "2026-11-23 11:00",
			want:      want{"2026-11-23 12:00", "", "1h", StateRunning},
			wantSince: "2026-11-23 10:00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var changes []Change
			for _, e := range tt.changes {
				changes = append(changes, Change{At: tm(t, loc, e.at), To: e.to})
			}
			var replies []time.Time
			for _, at := range tt.replies {
				replies = append(replies, tm(t, loc, at))
			}
			r := Compute(p, tm(t, loc, tt.created), changes, replies, Targets{Update: tgt(tt.update)}, tm(t, loc, tt.now))
			if r.Respond != nil || r.Resolve != nil {
				t.Errorf("clocks without targets: %+v", r)
			}
			checkClock(t, "update", r.Update, &tt.want, loc)
			if r.Update == nil {
				return
			}
			if since := tm(t, loc, tt.wantSince); !r.Update.Since.Equal(since) {
				t.Errorf("since %v, want %v", r.Update.Since, since)
			}
			if r.Update.Missed != tt.wantMissed {
				t.Errorf("missed %d, want %d", r.Update.Missed, tt.wantMissed)
			}
		})
	}
}

// TestComputeCalendars holds each target to its own calendar: the built-in
// always calendar, a calendar in another zone, and make-up workdays.
func TestComputeCalendars(t *testing.T) {
	p := defaultPolicy(t)
	loc := p.Calendar.Location
	always := &Calendar{Location: loc}
	cn := defaultCal(t)
	cn.Holidays = map[Date]bool{}
	for d := 1; d <= 7; d++ {
		cn.Holidays[Date{2026, 10, d}] = true
	}
	cn.Workdates = map[Date]bool{{2026, 10, 10}: true} // a Saturday worked
	berlin := &Calendar{Location: mustLoc(t, "Europe/Berlin"), Workdays: monFri, Open: 9 * time.Hour, Close: 17 * time.Hour}
	for _, tc := range []struct {
		name             string
		created, now     string
		target           string
		cal              *Calendar
		wantDue, elapsed string
		wantLoc          *time.Location
	}{
		{"the default calendar: Friday 16-18, Monday 09-11", "2026-11-20 16:00", "2026-11-20 17:00", "4bh", nil, "2026-11-23 11:00", "1bh", loc},
		{"always: 24×7, the weekend counts", "2026-11-20 16:00", "2026-11-20 17:00", "4bh", always, "2026-11-20 20:00", "1bh", loc},
		{"always: a bd is 24 hours", "2026-11-20 16:00", "2026-11-21 16:00", "2bd", always, "2026-11-22 16:00", "24bh", loc},
		{"Berlin hours, due in Berlin time: Friday 09:00-17:00 CET is 16:00 to midnight in Shanghai", "2026-11-20 16:00", "2026-11-20 17:00", "8bh", berlin, "2026-11-21 00:00", "1bh", berlin.Location},
		{"National Day holidays: 30 Sep 17-18, then 8 Oct", "2026-09-30 17:00", "2026-10-02 12:00", "2bh", cn, "2026-10-08 10:00", "1bh", loc},
		{"a make-up Saturday is worked", "2026-10-09 17:00", "2026-10-09 17:30", "2bh", cn, "2026-10-10 10:00", "30m", loc},
	} {
		t.Run(tc.name, func(t *testing.T) {
			created := tm(t, loc, tc.created)
			target := &Target{Duration: *dur(tc.target), Calendar: tc.cal}
			r := Compute(p, created, []Change{{created, "new"}}, nil, Targets{Resolve: target}, tm(t, loc, tc.now))
			k := r.Resolve
			if want := tm(t, loc, tc.wantDue); !k.Due.Equal(want) {
				t.Errorf("due %v, want %v", k.Due, want)
			}
			if k.Due.Location().String() != tc.wantLoc.String() {
				t.Errorf("due in %v, want %v", k.Due.Location(), tc.wantLoc)
			}
			if e := FormatElapsed(k.Elapsed, k.Target.Unit); e != tc.elapsed && FormatElapsed(k.Elapsed, Minute) != tc.elapsed {
				t.Errorf("elapsed %s, want %s", e, tc.elapsed)
			}
		})
	}
}
