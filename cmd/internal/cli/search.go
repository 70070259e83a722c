package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/search"
)

type searchOptions struct {
	typ   string
	limit int
	json  bool
	query []string // the words after the flags
}

func (a *app) searchCmd() *cobra.Command {
	var o searchOptions
	cmd := &cobra.Command{
		Use:   "search [flags] [--] QUERY...",
		Short: "Search tickets and knowledge-base articles, in Chinese and English",
		Long: `Searches titles and text of tickets and articles. Words rank (more of them
matching ranks higher, a title match counts double); "quoted phrases" keep
their order; status:, priority:, category:, assignee:, tag:, type: and id:
filter, with the value right after the colon (status:closed); created:>2026-11-01
(and >=, <, <=) compares dates; -field:value and -"a phrase" exclude.

A query is text first, so a pasted error message or command line finds its
page: any other word: (zone:, Error:) is a word, and so is a field followed
by a space. -word excludes only after what you look for, with no word or
phrase after it (vpn -mobile, 打印机 -惠普 status:closed); one character
after a dash (-R, -f), a number (-9), any --option, and a -word that more
words follow (find . -name x) are words. To search for a last -word, quote
it: "ls -la".

Flags go before the query: everything from the first word that is not a
flag of desk search, or after --, is the query (desk search --type kb -R tidb,
desk search -- --delay).

The index lives under .git/desk and catches up with every commit and
uncommitted edit before each search.`,
		Example: `  desk search 打印机 卡纸
  desk search --type kb ERR_1045
  desk search '"error 809"' type:kb
  desk search ERR_1045 status:closed created:>=2026-10-01
  desk search --json vpn -tag:mobile
  desk search --type kb tiup cluster stop -R tidb`,
		Args: cobra.ArbitraryArgs,
		// Flags end where the query starts (as in git grep or ssh), and
		// pflag cannot stop at the first unknown flag: -R in the query is
		// not an error. The flags are parsed in RunE.
		DisableFlagParsing: true,
		ValidArgsFunction:  completeSearch,
		RunE: func(cmd *cobra.Command, args []string) error {
			query, help, err := parseLeadingFlags(cmd, args)
			if err != nil || help {
				return err
			}
			o.query = query
			return a.searchRun(o)
		},
	}
	cmd.Flags().StringVar(&o.typ, "type", "", "only tickets or only articles: ticket or kb")
	cmd.Flags().IntVar(&o.limit, "limit", 10, "show at most `N` results")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

// completeSearch completes the value of --type, which cobra leaves to a
// command that parses its own flags; the query is no file name.
func completeSearch(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if n := len(args); n > 0 && args[n-1] == "--type" {
		return []cobra.Completion{"ticket", "kb"}, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// parseLeadingFlags parses the flags of cmd (its own and those it inherits)
// at the start of args and returns the rest: the query starts at the first
// argument that is not one of them, or after "--". help is true when --help
// was given, and the help is printed.
func parseLeadingFlags(cmd *cobra.Command, args []string) (rest []string, help bool, err error) {
	cmd.InheritedFlags() // merges the inherited flags into cmd.Flags()
	fs := cmd.Flags()
	n := 0
	for n < len(args) {
		arg := args[n]
		if arg == "--" {
			rest = args[n+1:]
			break
		}
		var f *pflag.Flag
		inline := false
		if name, ok := strings.CutPrefix(arg, "--"); ok {
			name, _, inline = strings.Cut(name, "=")
			f = fs.Lookup(name)
		} else if len(arg) >= 2 && arg[0] == '-' {
			f = fs.ShorthandLookup(arg[1:2])
			inline = len(arg) > 2
			if f != nil && inline && f.NoOptDefVal != "" {
				f = nil // -hx is no flag of ours
			}
		}
		if f == nil {
			rest = args[n:]
			break
		}
		n++
		if !inline && f.NoOptDefVal == "" && n < len(args) {
			n++ // the flag's value
		}
	}
	if err := fs.Parse(args[:n]); err != nil {
		return nil, false, &cobraUsage{err}
	}
	if help, _ := fs.GetBool("help"); help {
		return nil, true, cmd.Help()
	}
	return rest, false, nil
}

// searchHit is one result as search --json prints it.
type searchHit struct {
	Type    string  `json:"type"`
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Path    string  `json:"path"`
	Score   float64 `json:"score"`
	Snippet string  `json:"snippet"`
}

func (a *app) searchRun(o searchOptions) error {
	words := o.query
	if len(words) == 0 {
		return &cobraUsage{fmt.Errorf("desk search needs a QUERY after its flags")}
	}
	if err := checkTypeLimit(o.typ, o.limit); err != nil {
		return err
	}
	r, err := a.open()
	if err != nil {
		return err
	}
	q, err := search.ParseQuery(strings.Join(words, " "), r.Config.Location)
	if err != nil {
		var qe *search.QueryError
		if errors.As(err, &qe) {
			return &repo.UsageError{Msg: qe.Error()}
		}
		return err
	}
	for _, w := range words {
		// Flags after the query are words of it; say so, once.
		name, _, _ := strings.Cut(w, "=")
		if name == "--json" || name == "--type" || name == "--limit" {
			fmt.Fprintf(a.err, "desk: %s after the query is searched as a word; flags go before the query\n", name)
			break
		}
	}
	ix, err := a.openIndex(r)
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := ix.Search(a.ctx, q, search.SearchOptions{Type: o.typ, Limit: o.limit})
	if err != nil {
		return err
	}
	if err := a.printHits(res, o.json); err != nil {
		return err
	}
	a.printTotal(res)
	return nil
}

// printTotal tells how many matched, on standard error.
func (a *app) printTotal(res *search.Results) {
	switch {
	case res.Total == 0:
		fmt.Fprintln(a.err, "no matches")
	case res.Total > len(res.Hits):
		fmt.Fprintf(a.err, "%d matches, the first %d shown (--limit)\n", res.Total, len(res.Hits))
	default:
		fmt.Fprintf(a.err, "%d matches\n", res.Total)
	}
}

// printHits prints hits: a table with snippets, or JSON.
func (a *app) printHits(res *search.Results, asJSON bool) error {
	if asJSON {
		hits := make([]searchHit, 0, len(res.Hits))
		for _, h := range res.Hits {
			hits = append(hits, searchHit{h.Type, h.ID, h.Title, h.Path, h.Score, h.Snippet})
		}
		return a.printJSON(struct {
			Total int         `json:"total"`
			Hits  []searchHit `json:"hits"`
		}{res.Total, hits})
	}
	on, off := "", ""
	if a.color(a.out) {
		on, off = "\x1b[1;33m", "\x1b[0m"
	}
	tw := a.table()
	for _, h := range res.Hits {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", h.Type, h.ID, repo.OneLine(escapeControl(h.Title), 70))
		if s := marked(h.Snippet, h.Marks, on, off); s != "" {
			fmt.Fprintf(tw, "\t\t  %s\n", repo.OneLine(s, 140))
		}
	}
	return tw.Flush()
}

// checkTypeLimit checks the --type and --limit of search and similar.
func checkTypeLimit(typ string, limit int) error {
	if typ != "" && typ != "ticket" && typ != "kb" {
		return repo.Usagef("--type %q is not allowed; use ticket or kb", typ)
	}
	if limit < 1 {
		return repo.Usagef("--limit %d: want 1 or more", limit)
	}
	return nil
}

// marked returns s with each of its byte ranges marks between on and off,
// its control characters escaped (escapeControl): text from a file cannot
// drive the terminal.
func marked(s string, marks [][2]int, on, off string) string {
	if on == "" && off == "" {
		return escapeControl(s)
	}
	var b strings.Builder
	last := 0
	for _, m := range marks {
		b.WriteString(escapeControl(s[last:m[0]]))
		b.WriteString(on + escapeControl(s[m[0]:m[1]]) + off)
		last = m[1]
	}
	b.WriteString(escapeControl(s[last:]))
	return b.String()
}

// escapeControl writes the control characters of s that are not white space
// as Go escapes them ("\x1b", "\a"), as desk check's text format does; white
// space is left for repo.OneLine to fold.
func escapeControl(s string) string {
	if !strings.ContainsFunc(s, isEscaped) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isEscaped(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isEscaped(r rune) bool { return unicode.IsControl(r) && !unicode.IsSpace(r) }

// openIndex opens the search index, catching it up, with progress on a
// terminal and one line when it had to be rebuilt.
func (a *app) openIndex(r *repo.Repo) (*search.Index, error) {
	return a.indexWith(r, search.Open)
}

// indexWith is openIndex with another way to open (search.Create).
func (a *app) indexWith(r *repo.Repo, open func(context.Context, *repo.Repo, func(int, int)) (*search.Index, search.Status, error)) (*search.Index, error) {
	var progress func(done, total int)
	if a.terminal(a.err) {
		progress = func(done, total int) {
			fmt.Fprintf(a.err, "\rindexing %d/%d", done, total)
			if done == total {
				fmt.Fprint(a.err, "\r\x1b[K")
			}
		}
	}
	ix, st, err := open(a.ctx, r, progress)
	if err != nil {
		return nil, err
	}
	if st.Rebuilt {
		fmt.Fprintf(a.err, "desk: search index rebuilt: %s\n", st.Reason)
	}
	return ix, nil
}

type indexOptions struct {
	rebuild bool
}

func (a *app) indexCmd() *cobra.Command {
	var o indexOptions
	cmd := &cobra.Command{
		Use:   "index",
		Short: "Bring the search index up to date, or rebuild it",
		Long: `Every search catches the index up by itself, with what was committed and with
the folders whose files were created, deleted or renamed (as git, desk and
most editors save); desk index also looks at every file, so that a ticket
or article rewritten in place and not committed is found too. --rebuild
builds the index again from the files.`,
		Example: "  desk index\n  desk index --rebuild",
		Args:    cobra.NoArgs,
		RunE:    func(*cobra.Command, []string) error { return a.indexRun(o) },
	}
	cmd.Flags().BoolVar(&o.rebuild, "rebuild", false, "build the index again from the files")
	return cmd
}

func (a *app) indexRun(o indexOptions) error {
	r, err := a.open()
	if err != nil {
		return err
	}
	if o.rebuild {
		ix, err := a.indexWith(r, search.Create)
		if err != nil {
			return err
		}
		return ix.Close()
	}
	ix, err := a.openIndex(r)
	if err != nil {
		return err
	}
	defer ix.Close()
	st, err := ix.Scan(a.ctx, nil)
	if err != nil {
		return err
	}
	if st.Rebuilt {
		fmt.Fprintf(a.err, "desk: search index rebuilt: %s\n", st.Reason)
	}
	if st.Updated+st.Deleted > 0 {
		fmt.Fprintf(a.err, "search index up to date (%d indexed again, %d removed)\n", st.Updated, st.Deleted)
		return nil
	}
	fmt.Fprintln(a.err, "search index up to date")
	return nil
}
