package repo

import (
	"errors"
	"strings"
	"testing"
)

func TestTicketHistory(t *testing.T) {
	r, a := newKBRepo(t, "en")
	id := triageTicket(t, r, a)
	commits, err := r.TicketHistory(id)
	if err != nil || len(commits) != 1 || commits[0].Action != "create" || !strings.HasPrefix(commits[0].Subject, id+": ") {
		t.Errorf("TicketHistory(%s) = %+v, %v", id, commits, err)
	}
	var nf *NotFoundError
	if _, err := r.TicketHistory("TS-20261122-9"); !errors.As(err, &nf) {
		t.Errorf("the history of a ticket that does not exist: %v", err)
	}
	var usage *UsageError
	if _, err := r.TicketHistory("../x"); !errors.As(err, &usage) {
		t.Errorf("the history of no ID: %v", err)
	}
}
