package cli

import (
	"bufio"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/report"
	"github.com/deskhq/desk/ticket"
)

type reportOptions struct {
	period, since, until, now, format, output string
}

func (a *app) reportCmd() *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report",
		Short: "The weekly or monthly review: volumes, SLA attainment, satisfaction, engineers",
		Long: `Counts a period from the tickets: opened, resolved, closed and reopened tickets
and the backlog at the end; shares by category, channel and priority, the most
frequent tags and problems; SLA attainment and times per priority; satisfaction;
each engineer's figures; major incidents; spare parts; the change from the
previous period and a trend over the last six.

The period is a month (--period 2026-11), an ISO week (--period 2026-W47) or
--since and --until (dates, both days included, or times), in the time zone of
desk.toml. Without one it is the last complete month. A period that is not over
yet is counted up to now; every figure is the same whenever the report of a
past period is made, and --now (or DESK_NOW) fixes "now" for a repeatable run.

Formats: md for a pull-request comment or a wiki, json with every figure, html
as one self-contained page with charts.`,
		Example: `  desk report                                   # last month, Markdown
  desk report --period 2026-W47                 # an ISO week
  desk report --since 2026-11-01 --until 2026-11-15 --format json
  desk report --period 2026-11 --format html --output report.html`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return a.reportRun(o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.period, "period", "", "a month (2026-11) or an ISO week (2026-W47); default: the last complete month")
	fl.StringVar(&o.since, "since", "", "the first day (or time) of the period")
	fl.StringVar(&o.until, "until", "", "the last day of the period, included (or a time, excluded); default: now")
	fl.StringVar(&o.now, "now", "", "take `TIME` as now, for repeatable reports")
	fl.StringVar(&o.format, "format", "md", "output format: "+strings.Join(report.Formats, ", "))
	fl.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(report.Formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) reportRun(o reportOptions) error {
	if !slices.Contains(report.Formats, o.format) {
		return repo.Usagef("--format %q is not allowed; use one of: %s", o.format, strings.Join(report.Formats, ", "))
	}
	// Refused before the repository is opened, and by ChoosePeriod too.
	if o.period != "" && (o.since != "" || o.until != "") {
		return repo.Usagef("--period cannot be combined with --since or --until")
	}
	r, err := a.open()
	if err != nil {
		return err
	}
	loc := r.Config.Location
	now := a.now()
	if o.now != "" {
		if now, err = ticket.ParseTime(o.now, loc); err != nil {
			return repo.Usagef("--now: %v", err)
		}
	}
	p, err := report.ChoosePeriod(o.period, o.since, o.until, loc, now)
	if err != nil {
		return &repo.UsageError{Msg: err.Error()}
	}
	rep, err := report.Build(a.ctx, r.Config, r, report.Options{Period: p, Now: now})
	if err != nil {
		return err
	}
	for _, path := range rep.Skipped {
		fmt.Fprintf(a.err, "desk: skipped %s: it does not parse (desk check %s)\n", path, path)
	}
	wrote, err := a.writeOutput(o.output, func(bw *bufio.Writer) error { return report.Write(bw, o.format, rep) })
	if wrote {
		fmt.Fprintf(a.err, "report of %s written to %s\n", rep.Period.Name, o.output)
	}
	return err
}
