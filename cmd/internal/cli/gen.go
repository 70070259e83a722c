package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/deskhq/desk/repo"
)

// genCmd is `desk gen`: the files a package carries beside the binary, made
// from the commands themselves. It is listed in the help, as `hugo gen` is:
// a packager runs it from the released binary, which is all they have.
func (a *app) genCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate man pages and shell completion files",
		Long: `Writes the files a package installs beside the binary, made from desk's own
commands and flags: a man page for each command, and a completion script for
each shell. The release archives carry both.`,
		Example: `  desk gen man --out man
  desk gen completions --out completions`,
	}
	cmd.AddCommand(a.genManCmd(), a.genCompletionsCmd())
	return cmd
}

func (a *app) genManCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "man --out DIR",
		Short: "Write a man page for every command",
		Long: `Writes one roff page (section 1) for every command that desk --help lists:
desk.1, desk-ticket.1, desk-ticket-new.1 and so on. DIR is made if it is
missing; pages already there are replaced.

A page carries desk's version and a date that does not depend on when the
page was made, so two runs write the same bytes: the month of
SOURCE_DATE_EPOCH (seconds since 1970, as reproducible builds set it), else
of the commit desk was built from (go build in a git checkout records it),
else January 1970.`,
		Example: `  desk gen man --out man
  man -l man/desk-ticket-new.1
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) desk gen man --out /usr/local/share/man/man1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := a.genDir(out)
			if err != nil {
				return err
			}
			date, err := pageDate()
			if err != nil {
				return err
			}
			n := 0
			err = walkCommands(cmd.Root(), func(c *cobra.Command) error {
				c.DisableAutoGenTag = true // no "Auto generated" history section
				var buf bytes.Buffer
				header := &doc.GenManHeader{Section: "1", Date: &date, Source: "desk " + version(), Manual: "desk manual"}
				if err := doc.GenMan(c, header, &buf); err != nil {
					return err
				}
				n++
				return genWrite(dir, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1", asciiRoff(buf.Bytes()))
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "wrote %d man pages into %s\n", n, dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the pages into `DIR` (required)")
	cmd.MarkFlagDirname("out")
	return cmd
}

func (a *app) genCompletionsCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "completions --out DIR",
		Short: "Write the completion scripts of bash, zsh, fish and PowerShell",
		Long: `Writes the scripts that desk completion prints, one file a shell, under the
names packages install them by: desk.bash (bash-completion), _desk (zsh),
desk.fish (fish) and desk.ps1 (PowerShell). DIR is made if it is missing.`,
		Example: `  desk gen completions --out completions
  cp completions/desk.bash /usr/share/bash-completion/completions/desk
  cp completions/_desk /usr/local/share/zsh/site-functions/_desk
  cp completions/desk.fish ~/.config/fish/completions/desk.fish`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := a.genDir(out)
			if err != nil {
				return err
			}
			root := cmd.Root()
			for _, f := range []struct {
				name string
				gen  func(io.Writer) error
			}{
				{"desk.bash", func(w io.Writer) error { return root.GenBashCompletionV2(w, true) }},
				{"_desk", root.GenZshCompletion},
				{"desk.fish", func(w io.Writer) error { return root.GenFishCompletion(w, true) }},
				{"desk.ps1", root.GenPowerShellCompletionWithDesc},
			} {
				var buf bytes.Buffer
				if err := f.gen(&buf); err != nil {
					return err
				}
				if err := genWrite(dir, f.name, buf.Bytes()); err != nil {
					return err
				}
			}
			fmt.Fprintf(a.out, "wrote 4 completion scripts into %s\n", dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the scripts into `DIR` (required)")
	cmd.MarkFlagDirname("out")
	return cmd
}

// asciiRoff writes each character outside ASCII as roff's \[uXXXX]
// (→, 打印机 in the examples): groff reads plain input as Latin-1, and so
// warns about UTF-8 unless it was run with preconv; the escapes render the
// same everywhere.
func asciiRoff(page []byte) []byte {
	var b bytes.Buffer
	for _, r := range string(page) {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\[u%04X]", r)
		}
	}
	return b.Bytes()
}

// genDir makes the folder of --out (relative to -C, as every path desk takes)
// and returns it. A missing --out, or one that names a file, is a usage
// error; a folder that cannot be made is the environment's.
func (a *app) genDir(out string) (string, error) {
	if out == "" {
		return "", repo.Usagef("--out is required: the folder to write into")
	}
	dir := a.path(out)
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return "", repo.Usagef("--out %s is a file; give a folder", out)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("--out %s: cannot make the folder: %w", out, err)
	}
	return dir, nil
}

// genWrite writes one generated file, whole or not at all.
func genWrite(dir, name string, data []byte) error {
	if err := repo.WriteFileAtomic(filepath.Join(dir, name), data, 0o644); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("cannot write %s into %s: %v", name, dir, pe.Err)
		}
		return err
	}
	return nil
}

// walkCommands calls f on c and on every command below it that --help lists
// (not hidden, deprecated or help), parents first.
func walkCommands(c *cobra.Command, f func(*cobra.Command) error) error {
	if err := f(c); err != nil {
		return err
	}
	for _, sub := range c.Commands() {
		if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
			continue
		}
		if err := walkCommands(sub, f); err != nil {
			return err
		}
	}
	return nil
}

// pageDate is the date the man pages carry: SOURCE_DATE_EPOCH, else the
// time of the commit desk was built from, else the Unix epoch. Never the
// time of day: the same desk writes the same pages.
func pageDate() (time.Time, error) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, repo.Usagef("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970", s)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.time" {
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
					return t.UTC(), nil
				}
			}
		}
	}
	return time.Unix(0, 0).UTC(), nil
}
