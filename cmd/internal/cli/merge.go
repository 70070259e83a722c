package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/ticket"
)

func (a *app) mergeFileCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "merge-file BASE OURS THEIRS [PATH]",
		Short: "Git merge driver for ticket files",
		Long: `Merges two versions of a ticket file that grew from BASE and writes the result
to OURS, as git's merge driver (desk hooks install configures it for the
tickets/**/*.md line of .gitattributes); PATH is the file's name in the
repository, for messages.

The log never loses an event: the base's events, then every event either
branch added, in time order, unknown keys included. Keys and text changed on
one side only take that side's version. A branch that removed or changed an
event, a version that does not parse, or both branches changing the same key
or lines get git's conflict markers, a message naming the side, and exit
status 1, so that git reports the conflict.`,
		Example: `  git config merge.desk.driver "desk merge-file %O %A %B %P"`,
		Args:    cobra.RangeArgs(3, 4),
		RunE: func(_ *cobra.Command, args []string) error {
			o := mergeFileOptions{base: args[0], ours: args[1], theirs: args[2]}
			if len(args) == 4 {
				o.path = args[3]
			}
			return a.mergeFileRun(o)
		},
	}
}

type mergeFileOptions struct {
	base, ours, theirs string // the three versions' files; the result goes to ours
	path               string // the file's name in the repository, for messages
}

func (a *app) mergeFileRun(o mergeFileOptions) error {
	var data [3][]byte
	for i, name := range []string{o.base, o.ours, o.theirs} {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		data[i] = b
	}
	merged, merr := ticket.Merge(o.path, data[0], data[1], data[2])
	if err := os.WriteFile(o.ours, merged, 0o644); err != nil {
		return err
	}
	if merr != nil {
		// A conflict: git reports it and leaves the markers to resolve.
		fmt.Fprintf(a.err, "desk: %v\n", merr)
		return &silentExit{code: exitRefused}
	}
	return nil
}
