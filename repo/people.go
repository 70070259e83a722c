package repo

import (
	"context"

	"github.com/deskhq/desk/kb"
)

// People returns the names and contacts of every requester the repository
// knows (each ticket's requester, and who confirmed its resolution), for
// the personal-data rule: no article that is or will be published may hold
// any of them, whichever ticket it comes from. The record cache makes this
// a read of the cache, not of 100,000 files.
func (r *Repo) People(ctx context.Context) (*kb.People, error) {
	recs, err := r.Records(ctx)
	if err != nil {
		return nil, err
	}
	var names, contacts []string
	for _, rec := range recs {
		if rec.Err != nil {
			continue
		}
		t := &rec.Ticket
		names = append(names, t.Requester.Name)
		contacts = append(contacts, t.Requester.Contact)
		if t.Feedback != nil {
			names = append(names, t.Feedback.ConfirmedBy)
		}
	}
	return kb.NewPeople(names, contacts), nil
}
