package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/ticket"
)

type linkOptions struct {
	id                           string
	duplicateOf, parent, related string
	remove                       bool
	at                           string
}

func (a *app) ticketLinkCmd() *cobra.Command {
	var o linkOptions
	cmd := &cobra.Command{
		Use:   "link ID (--duplicate-of X | --parent X | --related X) [--remove]",
		Short: "Link a ticket to another: a duplicate, a child, or related",
		Long: `Links two tickets, writing both files in one commit with a link event on each:
the ticket gets duplicate_of, parent or related, and the other ticket lists it
under duplicates, children or related, so desk ticket show of either names the
other. --remove takes the link away from both.

A ticket is a duplicate of at most one other, which must not be a duplicate
itself, and has at most one parent, which must not descend from it.
Resolving or closing a duplicate says "duplicate of X" in its log.`,
		Example: `  desk ticket link TS-20261122-3 --duplicate-of TS-20261122-1
  desk ticket link TS-20261122-4 --parent TS-20261120-2
  desk ticket link TS-20261122-4 --related TS-20261119-1
  desk ticket link TS-20261122-3 --duplicate-of TS-20261122-1 --remove`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeIDs,
		RunE:              func(_ *cobra.Command, args []string) error { o.id = args[0]; return a.ticketLinkRun(o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.duplicateOf, "duplicate-of", "", "the ticket `ID` this one duplicates")
	fl.StringVar(&o.parent, "parent", "", "the ticket `ID` this one is part of")
	fl.StringVar(&o.related, "related", "", "a ticket `ID` related to this one")
	fl.BoolVar(&o.remove, "remove", false, "remove the link instead")
	fl.StringVar(&o.at, "at", "", "when it happened, if not now")
	for _, f := range []string{"duplicate-of", "parent", "related"} {
		cmd.RegisterFlagCompletionFunc(f, func(cmd *cobra.Command, _ []string, tc string) ([]string, cobra.ShellCompDirective) {
			return a.completeIDs(cmd, nil, tc)
		})
	}
	return cmd
}

func (a *app) ticketLinkRun(o linkOptions) error {
	var kind repo.LinkKind
	var other string
	for _, k := range []struct {
		kind repo.LinkKind
		id   string
	}{{repo.DuplicateOf, o.duplicateOf}, {repo.Parent, o.parent}, {repo.Related, o.related}} {
		if k.id == "" {
			continue
		}
		if other != "" {
			return repo.Usagef("give one of --duplicate-of, --parent or --related, not several")
		}
		kind, other = k.kind, k.id
	}
	if other == "" {
		return repo.Usagef("link to what? give --duplicate-of, --parent or --related with a ticket ID")
	}
	if err := checkID(other); err != nil {
		return err
	}
	r, act, err := a.openFor(o.id, o.at)
	if err != nil {
		return err
	}
	summary, err := r.Link(a.ctx, o.id, kind, other, o.remove, act)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.err, "%s: %s\n", o.id, summary)
	return nil
}

type partOptions struct {
	id, name, at string
	qty          int
}

func (a *app) ticketPartCmd() *cobra.Command {
	var o partOptions
	cmd := &cobra.Command{
		Use:   "part ID NAME [--qty N]",
		Short: "Record a spare part used on a ticket",
		Long: `Adds a [[parts]] entry (name and quantity) with one update event, in one
commit. desk report counts the parts of the tickets resolved in a period. A
part used again is recorded again; correct a mistake with desk ticket edit.`,
		Example: `  desk ticket part TS-20261122-1 "DDR4 8GB module"
  desk ticket part TS-20261122-1 "USB-C charger 65 W" --qty 2`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: a.completeIDs,
		RunE: func(_ *cobra.Command, args []string) error {
			o.id, o.name = args[0], args[1]
			return a.ticketPartRun(o)
		},
	}
	cmd.Flags().IntVar(&o.qty, "qty", 1, "how many were used")
	cmd.Flags().StringVar(&o.at, "at", "", "when it happened, if not now")
	return cmd
}

func (a *app) ticketPartRun(o partOptions) error {
	return a.change(o.id, o.at, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		if err := r.Part(f, o.name, o.qty, act); err != nil {
			return "", "", err
		}
		return "part " + repo.PartValue(strings.Join(strings.Fields(o.name), " "), o.qty), "update", nil
	})
}

// showLinks writes the links of t, one line a key, for ticket show.
func showLinks(w io.Writer, t *ticket.Ticket) {
	labels := map[string]string{"duplicate_of": "duplicate of"}
	links := t.Links()
	for i := 0; i < len(links); {
		key := links[i].Key
		var ids []string
		for ; i < len(links) && links[i].Key == key; i++ {
			ids = append(ids, links[i].ID)
		}
		label := labels[key]
		if label == "" {
			label = key
		}
		fmt.Fprintf(w, "%-10s %s\n", label+":", strings.Join(ids, ", "))
	}
}
