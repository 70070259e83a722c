package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
)

type initOptions struct {
	dir  string // DIR, if given: under -C
	opts repo.InitOptions
}

func (a *app) initCmd() *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Make a folder a desk repository",
		Long: `Writes desk.toml with the documented defaults, .gitattributes and the tickets/
and kb/ folders, and commits them. The folder may be a subfolder of an existing
git repository; when it is in none, a new one is created.`,
		Example: `  desk init
  desk init support --language zh --prefix IT --timezone Europe/Berlin`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { o.dir = first(args); return a.initRun(o) },
	}
	cmd.Flags().StringVar(&o.opts.Language, "language", "en", "headings and wording of new files: en or zh")
	cmd.Flags().StringVar(&o.opts.Prefix, "prefix", "TS", "ticket ID prefix")
	cmd.Flags().StringVar(&o.opts.Timezone, "timezone", "Asia/Shanghai", "IANA time zone of IDs, calendars and reports")
	cmd.RegisterFlagCompletionFunc("language", cobra.FixedCompletions([]string{"en", "zh"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) initRun(o initOptions) error {
	dir := a.dir
	if o.dir != "" {
		dir = o.dir
		if a.dir != "." {
			dir = a.dir + "/" + o.dir
		}
	}
	if o.opts.Language != "en" && o.opts.Language != "zh" {
		return repo.Usagef("--language %q is not allowed; use en or zh", o.opts.Language)
	}
	o.opts.Now = a.now
	r, err := repo.Init(dir, o.opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.err, "Initialised desk repository in %s\n", r.Root)
	return nil
}

// first returns the first of args, or "" when there is none.
func first(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}
