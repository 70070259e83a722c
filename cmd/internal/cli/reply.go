package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/ticket"
)

type replyOptions struct {
	id, text string // text "-": from standard input
	at       string
}

func (a *app) ticketReplyCmd() *cobra.Command {
	var o replyOptions
	cmd := &cobra.Command{
		Use:   "reply ID TEXT",
		Short: "Record a reply the requester sees",
		Long: `Records a reply event with public = true: a message to the requester, as
opposed to a comment, which stays internal. Each reply restarts the update
(keep-in-touch) clock of [[sla.priority]] update targets. kb from-ticket
never copies comments.`,
		Example: `  desk ticket reply TS-20261122-1 "We are replacing the battery; you will have the laptop back by 15:00."
  desk ticket reply TS-20261122-1 - < reply.txt`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: a.completeIDs,
		RunE: func(_ *cobra.Command, args []string) error {
			o.id, o.text = args[0], args[1]
			return a.ticketReplyRun(o)
		},
	}
	cmd.Flags().StringVar(&o.at, "at", "", "when it was sent, if not now")
	return cmd
}

func (a *app) ticketReplyRun(o replyOptions) error {
	text, err := a.argText(o.text)
	if err != nil {
		return err
	}
	return a.change(o.id, o.at, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		if err := r.Reply(f, text, act); err != nil {
			return "", "", err
		}
		return "reply: " + repo.OneLine(text, 50), "reply", nil
	})
}

// argText is a text argument, or standard input (at most 1 MB) for "-".
func (a *app) argText(arg string) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	b, err := io.ReadAll(io.LimitReader(a.in, 1<<20))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
