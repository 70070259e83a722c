package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/check"
	"github.com/deskhq/desk/repo/escalate"
	"github.com/deskhq/desk/ticket"
)

type escalateOptions struct {
	now, format string
	dryRun      bool
}

func (a *app) escalateCmd() *cobra.Command {
	var o escalateOptions
	cmd := &cobra.Command{
		Use:   "escalate",
		Short: "Apply the [[escalation]] rules to tickets at risk or past a target",
		Long: `Applies the [[escalation]] rules of desk.toml to the open tickets whose
clocks are at risk or breached: each ticket takes the first rule that matches
it and has not escalated it before (raise the priority, hand it over, tag it),
with one escalate event naming the rule and the clock. All of it is one commit;
a run with nothing to do makes none. Run it from a scheduled job and push the
commit (examples/ci/escalate.yml).

With [webhook] url set, the JSON of what was done is posted there after the
commit, signed with the secret that webhook.secret_env names
(X-Desk-Signature: sha256=HMAC-SHA256 of the body). A webhook that fails is
reported (exit 3); the commit stays.`,
		Example: `  desk escalate --dry-run
  desk escalate --format github        # annotations in a GitHub Actions log
  desk escalate --now "2026-11-23 09:00" --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return a.escalateRun(o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.now, "now", "", "judge the clocks at this time instead of now")
	fl.BoolVar(&o.dryRun, "dry-run", false, "print what would be done; write nothing")
	fl.StringVar(&o.format, "format", "text", "output format: text, json, github")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "github"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// EscalatedJSON is one ticket in desk escalate's JSON and webhook body.
type EscalatedJSON struct {
	ID      string   `json:"id"`
	Path    string   `json:"path"`
	Rule    string   `json:"rule"`
	Clock   string   `json:"clock"`
	State   string   `json:"state"`
	Due     string   `json:"due"`
	Changes []string `json:"changes"`
}

// EscalateJSON is desk escalate's JSON output and webhook body.
type EscalateJSON struct {
	Escalated []EscalatedJSON `json:"escalated"`
	Commit    string          `json:"commit,omitempty"`
	DryRun    bool            `json:"dry_run"`
}

func (a *app) escalateRun(o escalateOptions) error {
	if o.format != "text" && o.format != "json" && o.format != "github" {
		return repo.Usagef("--format %q is not allowed; use one of: text, json, github", o.format)
	}
	r, act, err := a.openNow()
	if err != nil {
		return err
	}
	now := act.At
	if o.now != "" {
		if now, err = ticket.ParseTime(o.now, r.Config.Location); err != nil {
			return repo.Usagef("--now: %v", err)
		}
	}
	if len(r.Config.Escalation) == 0 {
		fmt.Fprintln(a.err, "desk: desk.toml has no [[escalation]] rules; nothing to do")
	}
	res, err := escalate.Run(a.ctx, r, now, act, o.dryRun)
	if err != nil {
		return err
	}
	a.skipped(res.Skipped)
	js := EscalateJSON{Escalated: make([]EscalatedJSON, len(res.Done)), Commit: res.Commit, DryRun: o.dryRun}
	for i, e := range res.Done {
		js.Escalated[i] = EscalatedJSON{ID: e.ID, Path: r.GitPath(e.Path), Rule: e.Rule, Clock: e.Clock, State: string(e.State),
			Due: e.Due.In(r.Config.Location).Format(time.RFC3339), Changes: append([]string{}, e.Changes...)}
	}
	switch o.format {
	case "json":
		err = a.printJSON(js)
	case "github":
		for i, e := range res.Done {
			fmt.Fprint(a.out, check.Annotation("warning", js.Escalated[i].Path, 0, 0, "escalated: "+e.Rule, escalatedLine(e, r.Config.Location)))
		}
	default:
		for _, e := range res.Done {
			fmt.Fprintln(a.out, escalatedLine(e, r.Config.Location))
		}
	}
	if err != nil {
		return err
	}
	if !o.dryRun && len(res.Done) > 0 {
		fmt.Fprintf(a.err, "desk: escalated %d %s in commit %s\n", len(res.Done), plural(len(res.Done), "ticket", "tickets"), res.Commit[:min(10, len(res.Commit))])
		if w := r.Config.Webhook; w.URL != "" {
			var body bytes.Buffer
			enc := json.NewEncoder(&body)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(js); err != nil {
				return err
			}
			if err := escalate.PostWebhook(a.ctx, w, body.Bytes()); err != nil {
				return fmt.Errorf("%w; the escalation is committed (%s)", err, res.Commit[:10])
			}
		}
	} else if o.dryRun {
		fmt.Fprintf(a.err, "desk: dry run: %d %s would be escalated; nothing written\n", len(res.Done), plural(len(res.Done), "ticket", "tickets"))
	}
	return nil
}

// escalatedLine is one escalated ticket as text: "TS-…: rule — resolve
// clock at risk, due 2026-11-23 14:20; priority medium → high".
func escalatedLine(e escalate.Escalated, loc *time.Location) string {
	line := fmt.Sprintf("%s: %s — %s clock %s, due %s", e.ID, e.Rule, e.Clock, strings.ReplaceAll(string(e.State), "_", " "), e.Due.In(loc).Format("2006-01-02 15:04"))
	if len(e.Changes) > 0 {
		line += "; " + strings.Join(e.Changes, "; ")
	}
	return line
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
