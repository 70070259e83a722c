package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/check"
	"github.com/deskhq/desk/ticket"
)

type checkOptions struct {
	base, now, format, output, failOn string
	staged                            bool
}

func (a *app) checkCmd() *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check tickets and articles: SLA, completeness, history",
		Long: `Reads the repository as a linter reads code and reports every problem with its
rule, file, line and column. The rules are those of CHECK.md; [check.rules] in
desk.toml changes their severity or turns them off, and a file can ignore a
rule with check_ignore and check_ignore_reason.

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 for bad usage, 3 when the repository cannot be read.`,
		Example: `  desk check                                  # the whole repository
  desk check tickets/2026/11                  # some files or folders
  desk check --staged                         # what is about to be committed (the pre-commit hook)
  desk check --base origin/main --format sarif --output desk.sarif   # a pull request, for code scanning
  desk check --base origin/main --format github                      # annotations in GitHub Actions
  desk check --format junit --output report.xml --fail-on error      # a GitLab CI test report`,
		RunE: func(cmd *cobra.Command, args []string) error { return a.check(o, args) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.base, "base", "", "check the files changed since the merge base with `REV`, with the git rules")
	fl.BoolVar(&o.staged, "staged", false, "check what is staged in the index")
	fl.StringVar(&o.now, "now", "", "judge the clocks at `TIME` instead of now, for repeatable runs")
	fl.StringVar(&o.format, "format", "text", "output format: "+strings.Join(check.Formats, ", "))
	fl.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	fl.StringVar(&o.failOn, "fail-on", "error", "exit 1 when a finding is at or above: error, warning or never")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(check.Formats, cobra.ShellCompDirectiveNoFileComp))
	cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"error", "warning", "never"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) check(o checkOptions, args []string) error {
	if !slices.Contains(check.Formats, o.format) {
		return repo.Usagef("--format %q is not allowed; use one of: %s", o.format, strings.Join(check.Formats, ", "))
	}
	if !slices.Contains([]string{"error", "warning", "never"}, o.failOn) {
		return repo.Usagef("--fail-on %q is not allowed; use one of: error, warning, never", o.failOn)
	}
	if o.staged && o.base != "" {
		return repo.Usagef("--staged and --base cannot be used together")
	}
	if len(args) > 0 && (o.staged || o.base != "") {
		return repo.Usagef("paths cannot be combined with --staged or --base")
	}
	if os.Getenv("GOGC") == "" {
		// A full check at 100,000 tickets keeps the cache's new entries for
		// the rewrite: less headroom keeps its peak memory under 500 MB.
		debug.SetGCPercent(200)
	}
	started := time.Now()
	r, err := a.open()
	if err != nil {
		return err
	}
	opts := check.Options{Now: a.now(), Staged: o.staged, Base: o.base}
	if o.now != "" {
		t, err := ticket.ParseTime(o.now, r.Config.Location)
		if err != nil {
			return repo.Usagef("--now: %v", err)
		}
		opts.Now = t
	}
	for _, p := range args {
		rel, err := a.deskPath(r, p)
		if err != nil {
			return err
		}
		opts.Paths = append(opts.Paths, rel)
	}
	res, err := check.Run(a.ctx, r, opts)
	if err != nil {
		return err
	}
	res.Started, res.Elapsed = started, time.Since(started)
	wrote, err := a.writeOutput(o.output, func(bw *bufio.Writer) error {
		if o.format == "text" && o.output == "" && a.color(a.out) {
			return writeColourText(bw, res)
		}
		return check.Write(bw, o.format, res, version())
	})
	if err != nil {
		return err
	}
	if wrote {
		fmt.Fprintf(a.err, "%s\n", summaryLine(res))
	}
	failed := (o.failOn == "error" && res.Summary.Errors > 0) ||
		(o.failOn == "warning" && res.Summary.Errors+res.Summary.Warnings > 0)
	if failed {
		return &silentExit{code: exitRefused}
	}
	return nil
}

// deskPath turns a command-line path (relative to -C or the current folder)
// into a path relative to the desk root.
func (a *app) deskPath(r *repo.Repo, p string) (string, error) {
	abs := p
	if !filepath.IsAbs(p) {
		abs = filepath.Join(a.dir, p)
	}
	abs, err := filepath.Abs(abs)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(r.Root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", repo.Usagef("%s is outside the desk repository %s", p, r.Root)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", repo.Usagef("%s: no such file or folder", p)
	}
	return filepath.ToSlash(rel), nil
}

func summaryLine(res check.Result) string {
	plural := func(n int, s string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, s)
		}
		return fmt.Sprintf("%d %ss", n, s)
	}
	if res.Summary.Errors+res.Summary.Warnings == 0 {
		return fmt.Sprintf("%s checked: no problems", plural(res.Summary.Files, "file"))
	}
	return fmt.Sprintf("%s checked: %s, %s", plural(res.Summary.Files, "file"), plural(res.Summary.Errors, "error"), plural(res.Summary.Warnings, "warning"))
}

// writeColourText is the text format with colours, for a terminal. Paths,
// messages and rules are written exactly as the plain text format writes
// them (plainText), control characters escaped: a file name cannot drive the
// terminal any more than it can in plain text.
func writeColourText(w io.Writer, res check.Result) error {
	for _, f := range res.Findings {
		sev := "\x1b[33mwarning\x1b[0m"
		if f.Severity == check.Error {
			sev = "\x1b[31merror\x1b[0m"
		}
		pos := plainText(check.Finding{Path: f.Path, Line: f.Line, Column: f.Column})
		fmt.Fprintf(w, "\x1b[1m%s\x1b[0m: %s: %s \x1b[2m(%s)\x1b[0m\n", pos, sev,
			plainText(check.Finding{Path: f.Message}), plainText(check.Finding{Path: f.Rule}))
	}
	_, err := fmt.Fprintln(w, summaryLine(res))
	return err
}

// plainText is how check's text format writes the path and position of f:
// its line, less what the line of a finding with no path adds after the
// path. It is also how that format writes any text put in Path.
func plainText(f check.Finding) string {
	line := func(f check.Finding) string {
		var b strings.Builder
		check.Write(&b, "text", check.Result{Findings: []check.Finding{f}}, "")
		l, _, _ := strings.Cut(b.String(), "\n")
		return l
	}
	return strings.TrimSuffix(line(f), line(check.Finding{}))
}
