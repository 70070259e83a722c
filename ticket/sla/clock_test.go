package sla

import (
	"encoding/json"
	"testing"
	"time"
)

func set(s ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return m
}

// defaultPolicy is desk init's [sla] and [workflow] on the default calendar.
func defaultPolicy(tb testing.TB) Policy {
	return Policy{
		Calendar:  defaultCal(tb),
		AtRisk:    0.75,
		Pause:     set("pending"),
		Responded: set("triaged", "in_progress", "pending", "resolved", "closed"),
		Resolved:  set("resolved", "closed"),
	}
}

func dur(s string) *Duration {
	d, err := ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return &d
}

// tgt is the target s on the policy's calendar.
func tgt(s string) *Target { return &Target{Duration: *dur(s)} }

// want is the expected clock; "" for At means nil, a nil *want a nil clock.
type want struct {
	due, at, elapsed string
	state            State
}

func TestCompute(t *testing.T) {
	p := defaultPolicy(t)
	loc := p.Calendar.Location

	type ev struct{ at, to string }
	tests := []struct {
		name             string
		policy           *Policy // nil: the default
		created          string
		changes          []ev
		respond, resolve string // "": no target
		now              string
		wantRespond      *want
		wantResolve      *want
	}{
		{
			name:    "high 1h/4h: both met",
			created: "2026-11-23 09:14",
			changes: []ev{{"2026-11-23 09:14", "new"}, {"2026-11-23 09:40", "triaged"}, {"2026-11-23 10:00", "in_progress"}, {"2026-11-23 12:30", "resolved"}},
			respond: "1h", resolve: "4h",
			now:         "2026-11-23 15:00",
			wantRespond: &want{"2026-11-23 10:14", "2026-11-23 09:40", "26m", StateMet},
			wantResolve: &want{"2026-11-23 13:14", "2026-11-23 12:30", "3h16m", StateMet},
		},
		{
			name:    "the CLI example: response met, resolution at risk at 3h10m of 4h",
			created: "2026-11-22 09:14",
			changes: []ev{{"2026-11-22 09:14", "new"}, {"2026-11-22 09:40", "triaged"}},
			respond: "1h", resolve: "4h",
			now:         "2026-11-22 12:24",
			wantRespond: &want{"2026-11-22 10:14", "2026-11-22 09:40", "26m", StateMet},
			wantResolve: &want{"2026-11-22 13:14", "", "3h10m", StateAtRisk},
		},
		{
			name:        "response given after the target is breached",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 10:30", "triaged"}},
			respond:     "1h",
			now:         "2026-11-23 11:00",
			wantRespond: &want{"2026-11-23 10:00", "2026-11-23 10:30", "1h30m", StateBreached},
		},
		{
			name:        "no response yet past the target is breached while running",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}},
			respond:     "1h",
			now:         "2026-11-23 10:01",
			wantRespond: &want{"2026-11-23 10:00", "", "1h1m", StateBreached},
		},
		{
			name:    "low: created Friday 17:30 with 3bd, due Wednesday 17:30",
			created: "2026-11-20 17:30",
			changes: []ev{{"2026-11-20 17:30", "new"}},
			respond: "24h", resolve: "3bd",
			now:         "2026-11-23 10:00",
			wantRespond: &want{"2026-11-21 17:30", "", "2d16h30m", StateBreached},
			wantResolve: &want{"2026-11-25 17:30", "", "1bh30m", StateRunning},
		},
		{
			name:        "created Saturday with a bh target counts from Monday's opening",
			created:     "2026-11-21 10:00",
			changes:     []ev{{"2026-11-21 10:00", "new"}},
			resolve:     "8bh",
			now:         "2026-11-22 20:00",
			wantResolve: &want{"2026-11-23 17:00", "", "0bh", StateRunning},
		},
		{
			name:        "created Saturday with a bh target, Monday morning",
			created:     "2026-11-21 10:00",
			changes:     []ev{{"2026-11-21 10:00", "new"}},
			resolve:     "8bh",
			now:         "2026-11-23 10:30",
			wantResolve: &want{"2026-11-23 17:00", "", "1bh30m", StateRunning},
		},
		{
			name:    "a past pending of 2 hours moves due by 2 hours",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "triaged"}, {"2026-11-23 10:00", "pending"}, {"2026-11-23 12:00", "in_progress"}},
			respond: "1h", resolve: "4h",
			now:         "2026-11-23 12:30",
			wantRespond: &want{"2026-11-23 10:00", "2026-11-23 09:10", "10m", StateMet},
			wantResolve: &want{"2026-11-23 15:00", "", "1h30m", StateRunning},
		},
		{
			name:        "currently pending: paused, due as if resumed now",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "triaged"}, {"2026-11-23 10:00", "pending"}},
			resolve:     "4h",
			now:         "2026-11-23 11:00",
			wantResolve: &want{"2026-11-23 14:00", "", "1h", StatePaused},
		},
		{
			name:        "currently pending past the at-risk share is at risk",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:05", "in_progress"}, {"2026-11-23 12:10", "pending"}},
			resolve:     "4h",
			now:         "2026-11-23 13:00",
			wantResolve: &want{"2026-11-23 13:50", "", "3h10m", StateAtRisk},
		},
		{
			name:        "currently pending after the target is breached, due where it was reached",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:05", "in_progress"}, {"2026-11-23 13:30", "pending"}},
			resolve:     "4h",
			now:         "2026-11-23 15:00",
			wantResolve: &want{"2026-11-23 13:00", "", "4h30m", StateBreached},
		},
		{
			name:        "pending ending in resolved is just a stop",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}, {"2026-11-23 10:00", "pending"}, {"2026-11-23 12:00", "resolved"}},
			resolve:     "4h",
			now:         "2026-11-23 14:00",
			wantResolve: &want{"2026-11-23 15:00", "2026-11-23 12:00", "1h", StateMet},
		},
		{
			name:        "reopen after resolved: the time spent resolved counts, as FORMAT.md defines it",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}, {"2026-11-23 10:00", "resolved"}, {"2026-11-23 11:00", "in_progress"}},
			resolve:     "4h",
			now:         "2026-11-23 12:00",
			wantResolve: &want{"2026-11-23 13:00", "", "3h", StateAtRisk},
		},
		{
			name:        "resolved again after a reopen stops at the last entry",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}, {"2026-11-23 10:00", "resolved"}, {"2026-11-23 11:00", "in_progress"}, {"2026-11-23 11:30", "resolved"}},
			resolve:     "4h",
			now:         "2026-11-23 15:00",
			wantResolve: &want{"2026-11-23 13:00", "2026-11-23 11:30", "2h30m", StateMet},
		},
		{
			name:        "resolved then closed stops at resolved",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}, {"2026-11-23 11:00", "resolved"}, {"2026-11-23 16:00", "closed"}},
			resolve:     "4h",
			now:         "2026-11-23 17:00",
			wantResolve: &want{"2026-11-23 13:00", "2026-11-23 11:00", "2h", StateMet},
		},
		{
			name:    "closed directly from new stops at closed",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:30", "closed"}},
			respond: "1h", resolve: "4h",
			now:         "2026-11-23 17:00",
			wantRespond: &want{"2026-11-23 10:00", "2026-11-23 09:30", "30m", StateMet},
			wantResolve: &want{"2026-11-23 13:00", "2026-11-23 09:30", "30m", StateMet},
		},
		{
			name:        "resolved after the target is breached",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 13:01", "resolved"}},
			resolve:     "4h",
			now:         "2026-11-23 17:00",
			wantResolve: &want{"2026-11-23 13:00", "2026-11-23 13:01", "4h1m", StateBreached},
		},
		{
			name:        "resolved exactly at the target is met",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 13:00", "resolved"}},
			resolve:     "4h",
			now:         "2026-11-23 17:00",
			wantResolve: &want{"2026-11-23 13:00", "2026-11-23 13:00", "4h", StateMet},
		},
		{
			name:        "at risk at exactly 75%",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}},
			resolve:     "4h",
			now:         "2026-11-23 12:00",
			wantResolve: &want{"2026-11-23 13:00", "", "3h", StateAtRisk},
		},
		{
			name:        "running just under 75%",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:10", "in_progress"}},
			resolve:     "4h",
			now:         "2026-11-23 11:59:59",
			wantResolve: &want{"2026-11-23 13:00", "", "2h59m", StateRunning},
		},
		{
			name:        "exactly at the target is still at risk",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}},
			resolve:     "4h",
			now:         "2026-11-23 13:00",
			wantResolve: &want{"2026-11-23 13:00", "", "4h", StateAtRisk},
		},
		{
			name:        "one second past the target is breached",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}},
			resolve:     "4h",
			now:         "2026-11-23 13:00:01",
			wantResolve: &want{"2026-11-23 13:00", "", "4h", StateBreached},
		},
		{
			name:    "business target: a pending stretch moves due by its business time",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:30", "triaged"}, {"2026-11-23 17:00", "pending"}, {"2026-11-24 11:00", "in_progress"}},
			resolve: "3bd",
			now:     "2026-11-24 12:00",
			// 27bh from Monday 09:00 would end Wednesday 18:00; 3bh pending
			// (Monday 17–18, Tuesday 9–11) push it to Thursday 12:00.
			wantResolve: &want{"2026-11-26 12:00", "", "9bh", StateRunning},
		},
		{
			name:        "business target: paused over the weekend, due from the next opening",
			created:     "2026-11-20 09:00",
			changes:     []ev{{"2026-11-20 09:00", "new"}, {"2026-11-20 10:00", "pending"}},
			resolve:     "8bh",
			now:         "2026-11-21 12:00",
			wantResolve: &want{"2026-11-23 16:00", "", "1bh", StatePaused},
		},
		{
			name:        "business target reached at closing stays at risk until the next opening",
			created:     "2026-11-20 10:00",
			changes:     []ev{{"2026-11-20 10:00", "new"}},
			resolve:     "8bh",
			now:         "2026-11-21 12:00",
			wantResolve: &want{"2026-11-20 18:00", "", "8bh", StateAtRisk},
		},
		{
			name:        "business target breached from the next opening on",
			created:     "2026-11-20 10:00",
			changes:     []ev{{"2026-11-20 10:00", "new"}},
			resolve:     "8bh",
			now:         "2026-11-23 09:01",
			wantResolve: &want{"2026-11-20 18:00", "", "8bh1m", StateBreached},
		},
		{
			name:        "business target over the October holidays",
			created:     "2026-09-30 17:00",
			changes:     []ev{{"2026-09-30 17:00", "new"}, {"2026-09-30 17:10", "in_progress"}, {"2026-10-05 10:00", "resolved"}},
			resolve:     "3bh",
			now:         "2026-10-06 10:00",
			wantResolve: &want{"2026-10-05 11:00", "2026-10-05 10:00", "2bh", StateMet},
		},
		{
			name:    "no target gives nil clocks",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}},
			now:     "2026-11-23 13:00",
		},
		{
			name:    "empty log: both clocks run from created",
			created: "2026-11-23 09:00",
			respond: "1h", resolve: "4h",
			now:         "2026-11-23 09:30",
			wantRespond: &want{"2026-11-23 10:00", "", "30m", StateRunning},
			wantResolve: &want{"2026-11-23 13:00", "", "30m", StateRunning},
		},
		{
			name:        "created directly in a responded status responds at once",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "in_progress"}},
			respond:     "1h",
			now:         "2026-11-23 09:30",
			wantRespond: &want{"2026-11-23 10:00", "2026-11-23 09:00", "0m", StateMet},
		},
		{
			name:    "changes before created or out of order are clamped forward",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 08:00", "triaged"}, {"2026-11-23 10:00", "in_progress"}, {"2026-11-23 09:30", "resolved"}},
			respond: "1h", resolve: "4h",
			now:         "2026-11-23 11:00",
			wantRespond: &want{"2026-11-23 10:00", "2026-11-23 09:00", "0m", StateMet},
			wantResolve: &want{"2026-11-23 13:00", "2026-11-23 10:00", "1h", StateMet},
		},
		{
			name:        "a change later than now is taken at now",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 12:00", "triaged"}},
			respond:     "4h",
			now:         "2026-11-23 11:00",
			wantRespond: &want{"2026-11-23 13:00", "2026-11-23 11:00", "2h", StateMet},
		},
		{
			name:        "now before created is taken as created",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}},
			resolve:     "4h",
			now:         "2026-11-23 08:00",
			wantResolve: &want{"2026-11-23 13:00", "", "0m", StateRunning},
		},
		{
			name:        "changes at the same instant apply in the order given",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 10:00", "resolved"}, {"2026-11-23 10:00", "in_progress"}},
			resolve:     "4h",
			now:         "2026-11-23 11:00",
			wantResolve: &want{"2026-11-23 13:00", "", "2h", StateRunning},
		},
		{
			name:        "changes at the same instant, resolved last, stop there",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 10:00", "in_progress"}, {"2026-11-23 10:00", "resolved"}},
			resolve:     "4h",
			now:         "2026-11-23 11:00",
			wantResolve: &want{"2026-11-23 13:00", "2026-11-23 10:00", "1h", StateMet},
		},
		{
			name:    "an invalid target gives no clock",
			created: "2026-11-23 09:00",
			changes: []ev{{"2026-11-23 09:00", "new"}},
			respond: "-",
			now:     "2026-11-23 13:00",
		},
		{
			name:        "a zero target is reached at created",
			created:     "2026-11-23 09:00",
			changes:     []ev{{"2026-11-23 09:00", "new"}, {"2026-11-23 09:00", "triaged"}},
			respond:     "0m",
			now:         "2026-11-23 13:00",
			wantRespond: &want{"2026-11-23 09:00", "2026-11-23 09:00", "0m", StateMet},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := p
			if tt.policy != nil {
				pol = *tt.policy
			}
			var changes []Change
			for _, e := range tt.changes {
				changes = append(changes, Change{At: tm(t, loc, e.at), To: e.to})
			}
			target := func(s string) *Target {
				switch s {
				case "":
					return nil
				case "-":
					return &Target{Duration: Duration{N: 1, Unit: "x"}}
				}
				return tgt(s)
			}
			r := Compute(pol, tm(t, loc, tt.created), changes, nil, Targets{Respond: target(tt.respond), Resolve: target(tt.resolve)}, tm(t, loc, tt.now))
			checkClock(t, "respond", r.Respond, tt.wantRespond, loc)
			checkClock(t, "resolve", r.Resolve, tt.wantResolve, loc)
		})
	}
}

func checkClock(t *testing.T, which string, got *Clock, w *want, loc *time.Location) {
	t.Helper()
	if w == nil {
		if got != nil {
			t.Errorf("%s: got %+v, want no clock", which, *got)
		}
		return
	}
	if got == nil {
		t.Errorf("%s: got no clock, want %+v", which, *w)
		return
	}
	if d := tm(t, loc, w.due); !got.Due.Equal(d) {
		t.Errorf("%s: due %v, want %v", which, got.Due, d)
	}
	if got.Due.Location() != loc {
		t.Errorf("%s: due in %v, want %v", which, got.Due.Location(), loc)
	}
	switch {
	case w.at == "" && got.At != nil:
		t.Errorf("%s: at %v, want nil", which, *got.At)
	case w.at != "" && got.At == nil:
		t.Errorf("%s: at nil, want %s", which, w.at)
	case w.at != "" && !got.At.Equal(tm(t, loc, w.at)):
		t.Errorf("%s: at %v, want %s", which, *got.At, w.at)
	}
	if e := FormatElapsed(got.Elapsed, got.Target.Unit); e != w.elapsed {
		t.Errorf("%s: elapsed %s (%v), want %s", which, e, got.Elapsed, w.elapsed)
	}
	if got.State != w.state {
		t.Errorf("%s: state %s, want %s", which, got.State, w.state)
	}
}

func TestComputeElapsedDayAcrossDST(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	p := Policy{Calendar: &Calendar{Location: berlin, Workdays: monFri, Open: 9 * time.Hour, Close: 18 * time.Hour}, AtRisk: 0.75}
	created := tm(t, berlin, "2026-03-28 12:00")
	r := Compute(p, created, []Change{{created, "new"}}, nil, Targets{Resolve: tgt("1d")}, tm(t, berlin, "2026-03-29 12:00"))
	// "1d" is 24 hours of wall time: noon CET plus 24h is 13:00 CEST.
	if want := tm(t, berlin, "2026-03-29 13:00"); !r.Resolve.Due.Equal(want) || r.Resolve.Elapsed != 23*time.Hour {
		t.Errorf("due %v elapsed %v, want %v and 23h", r.Resolve.Due, r.Resolve.Elapsed, want)
	}
}

func TestClockJSON(t *testing.T) {
	p := defaultPolicy(t)
	loc := p.Calendar.Location
	created := tm(t, loc, "2026-11-22 09:14")
	changes := []Change{{created, "new"}, {tm(t, loc, "2026-11-22 09:40"), "triaged"}}
	r := Compute(p, created, changes, nil, Targets{Respond: tgt("1h"), Resolve: tgt("4h")}, tm(t, loc, "2026-11-22 12:24"))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"respond":{"target":"1h","due":"2026-11-22T10:14:00+08:00","at":"2026-11-22T09:40:00+08:00","elapsed":"26m","left":"34m","state":"met"},` +
		`"resolve":{"target":"4h","due":"2026-11-22T13:14:00+08:00","at":null,"elapsed":"3h10m","left":"50m","state":"at_risk"}}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(Result{})
	if string(b) != `{"respond":null,"resolve":null}` {
		t.Errorf("JSON of no clocks: %s", b)
	}
}

func BenchmarkCompute(b *testing.B) {
	p := defaultPolicy(b)
	loc := p.Calendar.Location
	created := tm(b, loc, "2026-11-20 16:00")
	var changes []Change
	for _, e := range []struct{ at, to string }{
		{"2026-11-20 16:00", "new"},
		{"2026-11-20 16:30", "triaged"},
		{"2026-11-23 10:00", "in_progress"},
		{"2026-11-23 15:00", "pending"},
		{"2026-11-24 11:00", "in_progress"},
		{"2026-11-25 17:00", "resolved"},
		{"2026-11-26 09:30", "in_progress"},
		{"2026-11-26 14:00", "resolved"},
	} {
		changes = append(changes, Change{At: tm(b, loc, e.at), To: e.to})
	}
	targets := Targets{Respond: tgt("24h"), Resolve: tgt("3bd"), Update: tgt("1bd")}
	replies := []time.Time{tm(b, loc, "2026-11-23 11:00"), tm(b, loc, "2026-11-25 16:00")}
	now := tm(b, loc, "2026-11-27 10:00")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Compute(p, created, changes, replies, targets, now)
	}
}
