package repo

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// List selects by the fields of the heads, orders newest first (by ID on
// equal times), reports unreadable files apart, and refuses what the
// configuration does not allow.
func TestList(t *testing.T) {
	r := newTestRepo(t)
	writeTicket(t, r, "TS-20261122-1", "one")
	writeTicket(t, r, "TS-20261122-2", "two")
	if err := os.WriteFile(r.Abs("tickets/2026/11/TS-20261122-3.md"), []byte("+++\ntitle = \n+++\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	rows, skipped, err := r.List(context.Background(), Selection{Statuses: []string{"new"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range rows {
		ids = append(ids, l.Record.Ticket.ID)
	}
	if strings.Join(ids, " ") != "TS-20261122-2 TS-20261122-1" {
		t.Errorf("listed %v; want newest first, by ID", ids)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0].Error(), "TS-20261122-3") {
		t.Errorf("skipped %v", skipped)
	}
	rows, _, err = r.List(context.Background(), Selection{Statuses: []string{"closed"}}, now)
	if err != nil || len(rows) != 0 {
		t.Errorf("closed: %d rows, %v", len(rows), err)
	}
	rows, _, err = r.List(context.Background(), Selection{Assignee: "none"}, now)
	if err != nil || len(rows) != 2 {
		t.Errorf("unassigned: %d rows, %v", len(rows), err)
	}
	_, _, err = r.List(context.Background(), Selection{Statuses: []string{"nieuw"}}, now)
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `--status "nieuw" is not allowed`) {
		t.Errorf("unknown status: %v", err)
	}
	if _, _, err = r.List(context.Background(), Selection{Sort: "title"}, now); !errors.As(err, &ue) {
		t.Errorf("unknown sort: %v", err)
	}
}
