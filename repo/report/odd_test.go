package report

import (
	"testing"
	"time"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/ticket"
)

// TestOddTickets: tickets as a hand may write them, with holes and
// contradictions, are counted where they can be and never stop a report.
func TestOddTickets(t *testing.T) {
	cfg := config.Default("en")
	nov3 := at("2026-11-03 10:00")
	ev := func(at time.Time, to string) ticket.Event { return ticket.Event{At: at, Action: "transition", To: to} }
	confirmed := at("2026-11-04 10:00")
	tickets := []*ticket.Ticket{
		// No created time: not placed in any period.
		{ID: "TS-20261101-1", Status: "new"},
		// No events at all: opened, and in the status it says.
		{ID: "TS-20261103-1", Status: "new", Created: nov3},
		{ID: "TS-20261103-4", Status: "closed", Created: nov3},
		// Events out of order and before created; an unknown priority and
		// status; a part without a name; a rating desk does not know.
		{ID: "TS-20261103-2", Created: nov3, Priority: "urgent", Category: "printers",
			Events:   []ticket.Event{ev(nov3.Add(2*time.Hour), "resolved"), ev(nov3.Add(-time.Hour), "new"), ev(nov3.Add(time.Hour), "limbo")},
			Parts:    []ticket.Part{{Name: "", Qty: 3}, {Name: "Toner", Qty: -1}},
			Feedback: &ticket.Feedback{Rating: "great", ConfirmedAt: &confirmed}},
		// Feedback without a time and without a feedback event: not counted.
		{ID: "TS-20261103-3", Created: nov3, Events: []ticket.Event{ev(nov3, "new")}, Feedback: &ticket.Feedback{Rating: "satisfied"}},
	}
	p, err := ParsePeriod("2026-11", cfg.Location)
	if err != nil {
		t.Fatal(err)
	}
	rep := Compute(cfg, Options{Period: p, Now: at("2026-12-02 12:00")}, tickets)
	// Four with a created time in November.
	if rep.Tickets.Opened != 4 {
		t.Errorf("opened %d, want 4", rep.Tickets.Opened)
	}
	// TS-20261103-1 and -3 are new; -4 says it is closed; -2 ended in an
	// unknown status with no way out, so not open.
	if rep.Backlog.Open != 2 {
		t.Errorf("open at the end %d, want 2", rep.Backlog.Open)
	}
	// The unknown rating is listed after the known ones and counts as rated,
	// not as satisfied.
	same(t, "satisfaction", rep.Satisfaction, Satisfaction{Rated: 1,
		Ratings: []Share{{"satisfied", 0, 0}, {"basically_satisfied", 0, 0}, {"unsatisfied", 0, 0}, {"great", 1, 1}}, Rate: f(0)})
	// An unknown priority is a share of its own; no SLA target applies to
	// it, so it has no row of SLA figures.
	same(t, "priorities", rep.Shares.Priority, []Share{{"urgent", 1, 0.25}, {"", 3, 0.75}})
	for _, row := range rep.SLA.Respond.Priorities {
		if row.Priority == "urgent" {
			t.Errorf("an SLA row for a priority without targets: %+v", row)
		}
	}
	for _, format := range Formats {
		render(t, format, rep)
	}
}

// TestPartUsedTwice: desk ticket part records each use as an entry of its
// own; a ticket with two entries of one part adds both quantities and is
// one ticket that used it.
func TestPartUsedTwice(t *testing.T) {
	cfg := config.Default("en")
	nov3 := at("2026-11-03 10:00")
	tk := &ticket.Ticket{ID: "TS-20261103-1", Status: "resolved", Created: nov3,
		Events: []ticket.Event{{At: nov3, Action: "create", To: "new"}, {At: nov3.Add(time.Hour), Action: "transition", From: "new", To: "in_progress"},
			{At: nov3.Add(2 * time.Hour), Action: "transition", From: "in_progress", To: "resolved"}},
		Parts: []ticket.Part{{Name: "DDR4", Qty: 1}, {Name: "Fan", Qty: 1}, {Name: "DDR4", Qty: 2}}}
	p, err := ParsePeriod("2026-11", cfg.Location)
	if err != nil {
		t.Fatal(err)
	}
	rep := Compute(cfg, Options{Period: p, Now: at("2026-12-02 12:00")}, []*ticket.Ticket{tk})
	same(t, "parts", rep.Parts, []PartUse{{"DDR4", 3, 1}, {"Fan", 1, 1}})
}
