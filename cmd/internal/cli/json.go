package cli

import (
	"time"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/sla"
)

// The JSON shapes of the commands' --json output: what a script reads, so
// they change only with a note in the README.

// ClockJSON is one clock as show --json and list --json print it.
type ClockJSON struct {
	Target  string  `json:"target"`
	Due     string  `json:"due"`
	At      *string `json:"at"`
	Elapsed string  `json:"elapsed"`
	Left    string  `json:"left"`
	State   string  `json:"state"`
}

// SLAJSON is the sla object of a ticket in JSON output.
type SLAJSON struct {
	Respond *ClockJSON `json:"respond"`
	Resolve *ClockJSON `json:"resolve"`
	// Update is the keep-in-touch clock, only where an update target applies.
	Update       *ClockJSON `json:"update,omitempty"`
	BreachReason string     `json:"breach_reason,omitempty"`
}

// TicketJSON is a ticket as show --json and list --json print it: the
// front-matter keys, its path, and its SLA clocks.
type TicketJSON struct {
	*ticket.Ticket
	Path string  `json:"path"`
	SLA  SLAJSON `json:"sla"`
	Body *string `json:"body,omitempty"`
}

// ticketJSON returns the JSON form of a record at now.
func ticketJSON(c *config.Config, rec *records.Record, now time.Time) TicketJSON {
	res := c.Clocks(&rec.Ticket, now)
	return TicketJSON{
		Ticket: &rec.Ticket,
		Path:   rec.Path,
		SLA: SLAJSON{
			Respond:      clockJSON(c, res.Respond),
			Resolve:      clockJSON(c, res.Resolve),
			Update:       clockJSON(c, res.Update),
			BreachReason: rec.Ticket.SLA.BreachReason,
		},
	}
}

func clockJSON(c *config.Config, k *sla.Clock) *ClockJSON {
	if k == nil {
		return nil
	}
	out := &ClockJSON{
		Target:  k.Target.String(),
		Due:     k.Due.In(c.Location).Format(time.RFC3339),
		Elapsed: sla.FormatElapsed(k.Elapsed, k.Target.Unit),
		Left:    sla.FormatElapsed(k.Left, k.Target.Unit),
		State:   string(k.State),
	}
	if k.At != nil {
		s := k.At.In(c.Location).Format(time.RFC3339)
		out.At = &s
	}
	return out
}

// ArticleJSON is an article as desk kb list --json and show --json print it:
// the front-matter keys, the slug and path, and for show the body.
type ArticleJSON struct {
	Slug string `json:"slug"`
	Path string `json:"path"`
	kb.Article
	// ReviewBy shadows the embedded time: a review date is a date.
	ReviewBy string     `json:"review_by,omitempty"`
	Updated  *time.Time `json:"updated,omitempty"` // the last commit that changed the file
	Body     *string    `json:"body,omitempty"`
}

// articleJSON returns the JSON form of an article, without body and update time.
func articleJSON(f *kb.File) ArticleJSON {
	js := ArticleJSON{Slug: f.Slug, Path: f.Path, Article: f.Article}
	if f.Article.ReviewBy != nil {
		js.ReviewBy = f.Article.ReviewBy.Format("2006-01-02")
	}
	return js
}
