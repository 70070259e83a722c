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
		RunE: func(cmd *cobra.Command, args []string) error {
			var data [3][]byte
			for i := range 3 {
				b, err := os.ReadFile(args[i])
				if err != nil {
					return err
				}
				data[i] = b
			}
			path := ""
			if len(args) == 4 {
				path = args[3]
			}
			merged, merr := ticket.Merge(path, data[0], data[1], data[2])
			if err := os.WriteFile(args[1], merged, 0o644); err != nil {
				return err
			}
			if merr != nil {
				// A conflict: git reports it and leaves the markers to resolve.
				fmt.Fprintf(a.err, "desk: %v\n", merr)
				return &silentExit{code: exitRefused}
			}
			return nil
		},
	}
}
