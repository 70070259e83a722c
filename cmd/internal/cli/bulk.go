package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/ticket"
)

// targets are the tickets a command that may change several at once
// changes: IDs given as arguments, or those a --query selects.
type targets struct {
	ids    []string
	query  string
	dryRun bool
}

// bulkFlags adds --query and --dry-run to a command that changes tickets.
func (t *targets) bulkFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.query, "query", "", "change the tickets this `QUERY` selects instead of IDs, e.g. 'status:new category:hardware' (the words are above)")
	cmd.Flags().BoolVar(&t.dryRun, "dry-run", false, "print what would change and write nothing")
}

// splitIDs takes the leading arguments that are ticket IDs (none with
// --query), and returns them and the rest, refusing IDs and --query
// together and a command with neither.
func (t *targets) splitIDs(args []string) (rest []string, err error) {
	n := 0
	for n < len(args) && isID(args[n]) {
		n++
	}
	switch {
	case t.query != "" && n > 0:
		return nil, repo.Usagef("give ticket IDs or --query, not both")
	case t.query == "" && n == 0 && len(args) > 0:
		return nil, checkID(args[0])
	case t.query == "" && n == 0:
		return nil, repo.Usagef("which tickets? give their IDs or --query")
	}
	t.ids = args[:n]
	return args[n:], nil
}

// splitOne is splitIDs for a command whose tickets are followed by one
// value (a status, a user); usage says so when it is not there.
func (t *targets) splitOne(args []string, usage string) (string, error) {
	rest, err := t.splitIDs(args)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		return "", repo.Usagef("%s", usage)
	}
	return rest[0], nil
}

func isID(s string) bool {
	_, err := ticket.ParseID(s)
	return err == nil
}

// changeEach applies edit to every target ticket in one commit (all or
// nothing) and says what it did to each, or with --dry-run what it would
// do. subject heads the commit message of several tickets (n of them).
func (a *app) changeEach(t targets, at string, subject func(n int) string, edit func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error)) error {
	r, err := a.open()
	if err != nil {
		return err
	}
	act, err := a.actor(r, at)
	if err != nil {
		return err
	}
	ids := t.ids
	if t.query != "" {
		if ids, err = a.queryIDs(r, t.query); err != nil {
			return err
		}
		if len(ids) == 0 {
			fmt.Fprintf(a.err, "no ticket matches %q; nothing to change\n", t.query)
			return nil
		}
	}
	one := func(f *ticket.File) (string, string, error) { return edit(r, f, act) }
	if t.dryRun {
		changed, err := r.PreviewMany(ids, one)
		if err != nil {
			return err
		}
		for _, ch := range changed {
			fmt.Fprintf(a.out, "%s: %s\n", ch.File.Ticket.ID, ch.Summary)
		}
		fmt.Fprintf(a.err, "dry run: %d of %d tickets would change; nothing was written\n", len(changed), len(ids))
		return nil
	}
	if a.terminal(a.err) && len(ids) > 1 {
		fmt.Fprintf(a.err, "changing %d tickets…\n", len(ids))
	}
	changed, err := r.ChangeMany(a.ctx, ids, subject(len(ids)), one)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		fmt.Fprintf(a.err, "%s: nothing to change\n", strings.Join(ids, ", "))
		return nil
	}
	for _, ch := range changed {
		fmt.Fprintf(a.err, "%s: %s\n", ch.File.Ticket.ID, ch.Summary)
	}
	if len(changed) > 1 {
		fmt.Fprintf(a.err, "%d tickets changed in one commit\n", len(changed))
	}
	return nil
}

// queryIDs returns the IDs of the tickets a query selects, oldest first.
func (a *app) queryIDs(r *repo.Repo, query string) ([]string, error) {
	sel, err := repo.ParseQuery(query, r.Config.Location)
	if err != nil {
		return nil, err
	}
	rows, skipped, err := r.List(a.ctx, sel, a.now())
	if err != nil {
		return nil, err
	}
	a.skipped(skipped)
	// Oldest first, as they came in.
	ids := make([]string, len(rows))
	for i, l := range rows {
		ids[len(rows)-1-i] = l.Record.Ticket.ID
	}
	return ids, nil
}

// querySyntax is the help on --query that every bulk command shows.
const querySyntax = `
Several tickets at once: give several IDs, or --query with FIELD:VALUE words
that a ticket must all match (the filters of desk ticket list):
  status:new,triaged  priority:high  category:hardware   any of the values
  assignee:li.si  assignee:none                          none: unassigned
  since:2026-11-01                                       created on or after
  is:open  is:at-risk  is:breached
All of them change in one commit, or none does: if any ticket refuses, nothing
is written and every refusal is listed (exit 1). --dry-run prints what would
change.`
