package report

import (
	"strings"
	"testing"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/ticket"
)

// TestUpdateAttainment: the update clock's attainment, with desk init's
// targets (high: a public reply at least every 2h), in November 2026.
func TestUpdateAttainment(t *testing.T) {
	to := func(s, status string) ticket.Event { return ticket.Event{At: at(s), Action: "transition", To: status} }
	reply := func(s string) ticket.Event {
		return ticket.Event{At: at(s), Action: "reply", Note: "news", Public: true}
	}
	high := func(id, created string, ev ...ticket.Event) *ticket.Ticket {
		return &ticket.Ticket{ID: id, Created: at(created), Priority: "high", Category: "hardware", Status: ev[len(ev)-1].To,
			Events: append([]ticket.Event{to(created, "new")}, ev...)}
	}
	tickets := []*ticket.Ticket{
		// Replies at 09:30 and 12:00: 2h30 between them, breached, though
		// the ticket was resolved 30 minutes after the second.
		high("TS-20261103-1", "2026-11-03 09:00", to("2026-11-03 09:05", "in_progress"), reply("2026-11-03 09:30"), reply("2026-11-03 12:00"), to("2026-11-03 12:30", "resolved")),
		// Every stretch in time: met.
		high("TS-20261104-1", "2026-11-04 09:00", reply("2026-11-04 10:00"), to("2026-11-04 10:05", "in_progress"), to("2026-11-04 11:00", "resolved")),
		// Still open, no reply since 10:00 on the 5th: breached in November.
		high("TS-20261105-1", "2026-11-05 09:00", to("2026-11-05 09:05", "in_progress"), reply("2026-11-05 10:00")),
		// Met in October: not November's.
		high("TS-20261030-1", "2026-10-30 09:00", reply("2026-10-30 10:00"), to("2026-10-30 10:30", "resolved")),
	}
	p, err := ParsePeriod("2026-11", config.Default("en").Location)
	if err != nil {
		t.Fatal(err)
	}
	rep := Compute(config.Default("en"), Options{Period: p, Now: at("2026-12-02 12:00")}, tickets)
	if rep.SLA.Update == nil {
		t.Fatal("no update attainment with update targets")
	}
	row := rep.SLA.Update.Priorities[0]
	same(t, "high update row", row, ClockRow{Priority: "high", Target: "2h", Rate: Rate{Met: 1, Breached: 2, Rate: f(0.3333)}, Times: []Times{}})
	same(t, "update total", rep.SLA.Update.Total, Rate{Met: 1, Breached: 2, Rate: f(0.3333)})
	md := string(render(t, "md", rep))
	if !strings.Contains(md, "| Update target | Met |") || !strings.Contains(md, "| 2h | 33.3% (1/3) |") {
		t.Errorf("markdown lacks the update columns:\n%s", md)
	}
	for _, format := range Formats {
		render(t, format, rep)
	}

	// A desk.toml without update targets: no update figures, no column.
	old, err := config.Parse("desk.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	rep = Compute(old, Options{Period: p, Now: at("2026-12-02 12:00")}, tickets)
	if rep.SLA.Update != nil {
		t.Errorf("update attainment without update targets: %+v", rep.SLA.Update)
	}
	if md := string(render(t, "md", rep)); strings.Contains(md, "Update target") {
		t.Error("an update column without update targets")
	}
}
