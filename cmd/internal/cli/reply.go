package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/intake"
	"github.com/deskhq/desk/ticket"
)

type replyOptions struct {
	id, text string // text "-": from standard input
	at       string
	dryRun   bool
	noMail   bool
}

func (a *app) ticketReplyCmd() *cobra.Command {
	var o replyOptions
	cmd := &cobra.Command{
		Use:   "reply ID TEXT",
		Short: "Reply to the requester",
		Long: `Records a reply event with public = true: a message to the requester, as
opposed to a comment, which stays internal. Each reply restarts the update
(keep-in-touch) clock of [[sla.priority]] update targets. kb from-ticket
never copies comments.

With [mail] in desk.toml, the reply is also sent to the requester's e-mail
address: threaded under the ticket's mail ([TS-…] in the subject,
In-Reply-To and References), in the repository's language, asking whether
the problem is solved once the ticket is resolved. The event is committed
with the message's Message-ID once the server took it; when the server
refuses it or cannot be reached, the reply is committed marked unsent
(field = "unsent", the server's words as value) and desk exits 3.
--dry-run prints the message and writes nothing; --no-mail records a reply
given another way (by phone, in person).`,
		Example: `  desk ticket reply TS-20261122-1 "We are replacing the battery; you will have the laptop back by 15:00."
  desk ticket reply TS-20261122-1 - < reply.txt
  desk ticket reply TS-20261122-1 --dry-run "Fixed: please try again."`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: a.completeIDs,
		RunE: func(_ *cobra.Command, args []string) error {
			o.id, o.text = args[0], args[1]
			return a.ticketReplyRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.at, "at", "", "when it was sent, if not now")
	fl.BoolVar(&o.dryRun, "dry-run", false, "print the e-mail that would be sent; write nothing")
	fl.BoolVar(&o.noMail, "no-mail", false, "record the reply without sending it by mail")
	return cmd
}

func (a *app) ticketReplyRun(o replyOptions) error {
	text, err := a.argText(o.text)
	if err != nil {
		return err
	}
	if o.dryRun {
		return a.replyDryRun(o, text)
	}
	var mailErr error
	err = a.change(o.id, o.at, func(r *repo.Repo, f *ticket.File, act repo.Actor) (string, string, error) {
		var sent repo.ReplySent
		summary := "reply: " + repo.OneLine(text, 50)
		if r.Config.Mail.Enabled() && !o.noMail {
			m, err := intake.NewReply(r.Config, f, text, act.At, len(f.Ticket.Events))
			if err != nil {
				return "", "", err
			}
			if mailErr = intake.Send(a.ctx, r.Config.Mail, m); mailErr != nil {
				sent.Unsent = mailErr.Error()
				summary = "reply (unsent): " + repo.OneLine(text, 40)
			} else {
				sent.MessageID = m.ID
				fmt.Fprintf(a.err, "desk: sent to the requester, Message-ID <%s>\n", m.ID)
			}
		}
		if err := r.Reply(f, text, act, sent); err != nil {
			return "", "", err
		}
		return summary, "reply", nil
	})
	if err != nil {
		return err
	}
	if mailErr != nil {
		return fmt.Errorf("%w; the reply is recorded as unsent", mailErr)
	}
	return nil
}

// replyDryRun prints the mail a reply would send, or says that none would
// be sent.
func (a *app) replyDryRun(o replyOptions, text string) error {
	r, act, err := a.openFor(o.id, o.at)
	if err != nil {
		return err
	}
	p, err := r.TicketPath(o.id)
	if err != nil {
		return err
	}
	f, err := r.ReadTicket(p)
	if err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return repo.Usagef("the reply is empty")
	}
	if !r.Config.Mail.Enabled() || o.noMail {
		fmt.Fprintln(a.err, "desk: dry run: the reply would be recorded; desk.toml has no [mail], so nothing would be sent")
		return nil
	}
	m, err := intake.NewReply(r.Config, f, text, act.At, len(f.Ticket.Events))
	if err != nil {
		return err
	}
	a.out.Write(m.Data)
	fmt.Fprintf(a.err, "desk: dry run: this message would go to %s; nothing written\n", m.To)
	return nil
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
