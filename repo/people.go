package repo

import (
	"context"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo/records"
)

// People returns the names and contacts of every requester the repository
// knows (each ticket's requester, and who confirmed its resolution), for
// the personal-data rule: no article that is or will be published may hold
// any of them, whichever ticket it comes from. The record cache makes this
// a read of the cache, not of 100,000 files.
func (r *Repo) People(ctx context.Context) (*kb.People, error) {
	people := kb.NewPeople(nil, nil)
	err := r.EachRecord(ctx, nil, func(rec *records.Record) error {
		AddRequesters(people, rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return people, nil
}

// AddRequesters adds to people the requester of a ticket record, and who
// confirmed its resolution. Nothing of rec is kept, so it may be a record
// of EachRecord.
func AddRequesters(people *kb.People, rec *records.Record) {
	if rec.Err != nil {
		return
	}
	t := &rec.Ticket
	people.Add(t.Requester.Name, t.Requester.Contact)
	if t.Feedback != nil {
		people.Add(t.Feedback.ConfirmedBy, "")
	}
}
