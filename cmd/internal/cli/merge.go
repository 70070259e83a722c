package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
)

func (a *app) mergeFileCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "merge-file BASE OURS THEIRS PATH",
		Short: "Git merge driver for ticket files",
		Long: `Merges two versions of a ticket file that grew from BASE and writes the result
to OURS, as git's merge driver (desk hooks install configures it for the
tickets/**/*.md line of .gitattributes). The events both branches added are
kept in time order; keys and text changed on one side only take that side's
version. Anything else falls back to git's line merge with conflict markers,
and the exit status is 1 so that git reports the conflict.`,
		Example: `  git config merge.desk.driver "desk merge-file %O %A %B %P"`,
		Args:    cobra.ExactArgs(4),
		Hidden:  false,
		RunE: func(cmd *cobra.Command, args []string) error {
			var data [3][]byte
			for i := range 3 {
				b, err := os.ReadFile(args[i])
				if err != nil {
					return err
				}
				data[i] = b
			}
			merged, clean, err := repo.MergeTicket(data[0], data[1], data[2])
			if err != nil {
				return err
			}
			if err := os.WriteFile(args[1], merged, 0o644); err != nil {
				return err
			}
			if !clean {
				fmt.Fprintf(a.err, "desk: %s: both branches changed the same part; resolve the conflict markers\n", args[3])
				return &silentExit{code: exitRefused}
			}
			return nil
		},
	}
}
