package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/search"
)

type similarOptions struct {
	args  []string // [ID]: the ticket, or
	text  string
	typ   string
	limit int
	json  bool
}

func (a *app) similarCmd() *cobra.Command {
	var o similarOptions
	cmd := &cobra.Command{
		Use:   "similar ID | --text TEXT",
		Short: "Articles and earlier tickets most like a ticket: has this been solved before?",
		Long: `Finds the knowledge-base articles and other tickets whose text is most like a
ticket's title and description (or the given text), best first. Only what is
close enough is shown: a document must hold at least a quarter of the weight
of the text's terms (each weighs how rare it is, twice in the title), where a
document with all of them would hold it all. When nothing does, similar says
so and prints nothing.`,
		Example: `  desk similar TS-20261121-1
  desk similar --text "VPN 连接失败 错误 809" --type kb`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: a.completeIDs,
		RunE:              func(_ *cobra.Command, args []string) error { o.args = args; return a.similarRun(o) },
	}
	cmd.Flags().StringVar(&o.text, "text", "", "find what is like this text instead of a ticket")
	cmd.Flags().StringVar(&o.typ, "type", "", "only tickets or only articles: ticket or kb")
	cmd.Flags().IntVar(&o.limit, "limit", 5, "show at most `N` results")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func (a *app) similarRun(o similarOptions) error {
	if (len(o.args) == 1) == (o.text != "") {
		return repo.Usagef("give a ticket ID or --text TEXT, not both and not neither")
	}
	if err := checkTypeLimit(o.typ, o.limit); err != nil {
		return err
	}
	r, err := a.open()
	if err != nil {
		return err
	}
	title, text, self := "", o.text, ""
	if len(o.args) == 1 {
		if err := checkID(o.args[0]); err != nil {
			return err
		}
		if self, title, text, err = search.TicketText(r, o.args[0]); err != nil {
			return err
		}
	}
	ix, err := a.openIndex(r)
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := ix.Similar(a.ctx, title, text, search.SimilarOptions{Type: o.typ, Limit: o.limit, Exclude: self})
	if err != nil {
		return err
	}
	if err := a.printHits(res, o.json); err != nil {
		return err
	}
	if res.Total == 0 && res.Below > 0 {
		fmt.Fprintf(a.err, "nothing similar enough: %d documents share words with it, the closest holds %.0f%% of its weight, under the %.0f%% floor\n",
			res.Below, 100*res.BestBelow, 100*search.SimilarFloor)
		return nil
	}
	a.printTotal(res)
	return nil
}
