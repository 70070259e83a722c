// Package cli is desk's command line: cobra commands that read flags into an
// options value and call one function of the domain packages.
package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/ticket"
)

// Exit statuses, as CLI.md documents them.
const (
	exitOK      = 0
	exitRefused = 1 // desk check findings; an operation the rules refuse
	exitUsage   = 2
	exitEnv     = 3
)

// app is what every command shares: streams, the -C folder, the clock.
type app struct {
	in       io.Reader
	out, err io.Writer
	dir      string
	now      func() time.Time
	ctx      context.Context
	// terminal reports whether a stream is a terminal (isTerminal; tests
	// replace it to see what a terminal gets).
	terminal func(v any) bool
}

// Main runs desk with args and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// A command lives for a second: collect garbage rarely, but keep
		// the heap well under the memory budget of a 100,000-ticket run.
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(384 << 20)
		repo.ScaleMemoryLimit = true
	}
	now, err := clockFromEnv()
	if err != nil {
		return reportError(stderr, nil, err)
	}
	a := &app{in: stdin, out: stdout, err: stderr, now: now, ctx: ctx, terminal: isTerminal}
	if p := os.Getenv("DESK_CPUPROFILE"); p != "" {
		// For measuring desk itself; see examples/bench.
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	if p := os.Getenv("DESK_MEMPROFILE"); p != "" {
		defer func() {
			if f, err := os.Create(p); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	return reportError(stderr, cmd, err)
}

// reportError writes err to stderr, with a pointer to cmd's help after a
// usage error, and returns the exit status err maps to.
func reportError(stderr io.Writer, cmd *cobra.Command, err error) int {
	code := exitCode(err)
	var quiet *silentExit
	if errors.As(err, &quiet) {
		return quiet.code
	}
	fmt.Fprintf(stderr, "desk: %v\n", err)
	if code == exitUsage && cmd != nil {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return code
}

// clockFromEnv is desk's one clock: the fixed time of DESK_NOW, for
// reproducible runs and tests, or else the time of day. Events, SLA clocks,
// reports and commit dates all read it. A DESK_NOW that is not a time is a
// usage error rather than a silent fallback to the real clock.
func clockFromEnv() (func() time.Time, error) {
	s := os.Getenv("DESK_NOW")
	if s == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, repo.Usagef("DESK_NOW=%q is not a time: use RFC 3339 with a zone, e.g. 2026-11-22T10:00:00+08:00 or 2026-11-22T02:00:00Z", s)
	}
	return func() time.Time { return t }, nil
}

// silentExit ends a command with a status and no further message.
type silentExit struct{ code int }

func (s *silentExit) Error() string { return fmt.Sprintf("exit %d", s.code) }

// exitCode maps an error to the documented exit status. It is the one place
// that knows the mapping.
func exitCode(err error) int {
	var (
		usage   *repo.UsageError
		refused *repo.RefusedError
		quiet   *silentExit
	)
	switch {
	case errors.As(err, &quiet):
		return quiet.code
	case errors.As(err, &usage):
		return exitUsage
	case errors.As(err, &refused):
		return exitRefused
	case errors.As(err, new(*cobraUsage)):
		return exitUsage
	}
	return exitEnv
}

// cobraUsage wraps the errors cobra itself reports: unknown commands and
// flags, wrong argument counts.
type cobraUsage struct{ err error }

func (e *cobraUsage) Error() string { return e.err.Error() }
func (e *cobraUsage) Unwrap() error { return e.err }

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "desk",
		Short: "A service desk that lives in a git repository",
		Long: `desk keeps support tickets and knowledge-base articles as TOML-fronted
Markdown files in a git repository. Every change is one commit, so the history
is the audit trail and a pull request is the review.`,
		Example: `  desk init helpdesk --language zh
  desk ticket new --title "Laptop does not power on" --requester "Zhang San" \
       --contact zhang.san@example.com --channel phone --description "LED stays off"
  desk ticket list --open
  desk ticket move TS-20261122-1 in_progress --note "on site at 10:00"
  desk -C examples/helpdesk sla`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		Version:           version(),
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
	}
	root.PersistentFlags().StringVarP(&a.dir, "dir", "C", ".", "run as if desk was started in `DIR`")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &cobraUsage{err} })
	root.AddCommand(a.initCmd(), a.ticketCmd(), a.slaCmd(), a.checkCmd(), a.searchCmd(), a.similarCmd(), a.indexCmd(), a.kbCmd(), a.siteCmd(), a.reportCmd(), a.escalateCmd(), a.intakeCmd(), a.hooksCmd(), a.mergeFileCmd(), a.versionCmd(), a.genCmd())
	// The completion commands write where they were made to: set the
	// streams first.
	root.SetOut(a.out)
	root.SetErr(a.err)
	root.InitDefaultCompletionCmd()
	markUsage(root)
	return root
}

// markUsage makes every command report argument errors as usage errors.
func markUsage(c *cobra.Command) {
	if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
		// A group of commands: an unknown word after it is a usage error,
		// not a reason to print help and succeed.
		c.Args = func(cmd *cobra.Command, a []string) error {
			if len(a) > 0 {
				return &cobraUsage{fmt.Errorf("unknown command %q for %q", a[0], cmd.CommandPath())}
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, a []string) error { return cmd.Help() }
	} else if c.Args != nil {
		args := c.Args
		c.Args = func(cmd *cobra.Command, a []string) error {
			if err := args(cmd, a); err != nil {
				return &cobraUsage{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markUsage(sub)
	}
}

// buildVersion is the version a release build sets with
// -ldflags "-X github.com/deskhq/desk/cmd/internal/cli.buildVersion=v1.2.3"
// (.goreleaser.yaml does). Empty, desk reports the version of the module it
// was built from, which `go install github.com/deskhq/desk/cmd/desk@v1.2.3`
// records, or "dev".
var buildVersion string

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print desk's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.out, "desk %s\n", version())
			return nil
		},
	}
}

// open opens the desk repository of -C.
func (a *app) open() (*repo.Repo, error) {
	r, err := repo.Open(a.dir)
	if err != nil {
		return nil, err
	}
	r.Now = a.now
	return r, nil
}

// actor returns who is making a change (git's user.email) and when (--at or now).
func (a *app) actor(r *repo.Repo, at string) (repo.Actor, error) {
	id, _, err := r.Git.Identity()
	if err != nil {
		return repo.Actor{}, err
	}
	by := id.Email
	if by == "" {
		by = id.Name
	}
	when := a.now()
	if at != "" {
		t, err := ticket.ParseTime(at, r.Config.Location)
		if err != nil {
			return repo.Actor{}, repo.Usagef("--at: %v", err)
		}
		when = t
	}
	return repo.Actor{By: by, At: when}, nil
}

// openNow opens the repository and returns who is changing it, now.
func (a *app) openNow() (*repo.Repo, repo.Actor, error) {
	r, err := a.open()
	if err != nil {
		return nil, repo.Actor{}, err
	}
	act, err := a.actor(r, "")
	return r, act, err
}

// openFor checks a ticket ID argument, opens the repository and returns who
// is changing the ticket, and when.
func (a *app) openFor(id, at string) (*repo.Repo, repo.Actor, error) {
	if err := checkID(id); err != nil {
		return nil, repo.Actor{}, err
	}
	r, err := a.open()
	if err != nil {
		return nil, repo.Actor{}, err
	}
	act, err := a.actor(r, at)
	return r, act, err
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// color reports whether to colour output written to w.
func (a *app) color(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && a.terminal(w)
}

// splitList splits a comma-separated flag value.
func splitList(s []string) []string {
	var out []string
	for _, v := range s {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// dashOnly refuses an argument other than "-" (standard input) with exit 2;
// hint says where what was meant goes.
func dashOnly(args []string, hint string) error {
	if len(args) == 1 && args[0] != "-" {
		return repo.Usagef("unexpected argument %q; %s", args[0], hint)
	}
	return nil
}

// checkID refuses an argument that is not a ticket ID with exit 2.
func checkID(id string) error {
	if _, err := ticket.ParseID(id); err != nil {
		return &repo.UsageError{Msg: err.Error()}
	}
	return nil
}

// path is a file argument as desk reads it: relative to -C, as if desk
// was started there.
func (a *app) path(p string) string {
	if p == "" || p == "-" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(a.dir, p)
}

// writeOutput runs write on standard output, or, when path is set, on a
// temporary file beside path that is renamed into place once write and the
// flush succeeded: a failure leaves no half-written file. A path that is
// not a regular file (/dev/null, /dev/stdout, a named pipe) is written in
// place: renaming over it would replace the device with a file. It reports
// whether a file was written.
func (a *app) writeOutput(path string, write func(w *bufio.Writer) error) (bool, error) {
	flushTo := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		err := write(bw)
		if err == nil {
			err = bw.Flush()
		}
		return err
	}
	if path == "" {
		return false, flushTo(a.out)
	}
	path = a.path(path)
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return false, repo.Usagef("--output %s is a folder; give a file name", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return false, err
		}
		err = flushTo(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return false, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return false, err
	}
	defer os.Remove(f.Name())
	bw := bufio.NewWriterSize(f, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	return err == nil, err
}
