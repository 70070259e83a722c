package records

import (
	"context"

	"github.com/deskhq/desk/ticket"
)

// Record is a ticket file as the record cache keeps it: the decoded ticket and
// which body sections hold text, or the reason it could not be parsed.
type Record struct {
	Path     string
	Ticket   ticket.Ticket
	Sections []Section
	Unknown  []string           // keys the format does not know (events[2].actor)
	Err      *ticket.ParseError // non-nil: the file is not a valid ticket
}

// Section is a configured body heading of a ticket and whether it holds text.
type Section struct {
	Heading string
	Present bool
	Empty   bool
}

// Section returns the state of the section with this heading.
func (rec *Record) Section(heading string) Section {
	for _, s := range rec.Sections {
		if s.Heading == heading {
			return s
		}
	}
	return Section{Heading: heading, Empty: true}
}

// Head is the part of a record that filters look at before the rest of it
// is decoded.
type Head = ticket.Head

// Filter selects records by their head; nil selects all.
type Filter func(h *Head) bool

// HeadOf returns the head of a record.
func HeadOf(rec *Record) *Head {
	h := rec.Ticket.Head()
	return &h
}

// Source is what the linter and the report read of a repository: every
// ticket record that keep selects and every file that cannot be parsed, in
// path order, one at a time. *repo.Repo is one; a test may be another.
type Source interface {
	EachRecord(ctx context.Context, keep Filter, fn func(*Record) error) error
}
