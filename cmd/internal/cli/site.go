package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/site"
)

func (a *app) siteCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "site",
		Short: "Build and preview the static knowledge-base site",
		Long: `The site holds the published articles only, never a ticket. It needs no
server: every link is relative, and the search runs in the page from small
index files, so any static host (or a folder opened from disk) serves it.
Templates and CSS are built in; files in the repository's site/templates/
(layout.html, home.html, article.html, list.html, terms.html, search.html,
404.html) and site/assets/ replace them.`,
	}
	cmd.AddCommand(a.siteBuildCmd(), a.siteServeCmd())
	return cmd
}

type siteBuildOptions struct {
	out, baseURL string
	json         bool
}

func (a *app) siteBuildCmd() *cobra.Command {
	var o siteBuildOptions
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Write the site of the published articles into a folder",
		Long: `Renders every published article, the home, category, tag, search and 404
pages, sitemap.xml, atom.xml, robots.txt and the search index into --out.
The folder is replaced as a whole when the build succeeds; a folder desk did
not build is never overwritten. An article holding personal data (the
personal-data rule of desk check) stops the build with exit status 1 and
nothing is written. Links that point nowhere are reported and shown as text.`,
		Example: `  desk site build --out public
  desk site build --out public --base-url https://kb.example.com/
  desk -C examples/helpdesk site build --out /tmp/kb`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return a.siteBuildRun(o) },
	}
	cmd.Flags().StringVar(&o.out, "out", "public", "write the site into `DIR`")
	cmd.Flags().StringVar(&o.baseURL, "base-url", "", "the site's address for links, the sitemap and the feed: an absolute http(s) `URL` or a path starting with / (default: site.base_url of desk.toml)")
	cmd.Flags().BoolVar(&o.json, "json", false, "print what was written as JSON")
	cmd.MarkFlagDirname("out")
	return cmd
}

func (a *app) buildOptions(out, baseURL string) site.Options {
	o := site.Options{Out: out, BaseURL: baseURL, Warn: func(msg string) { fmt.Fprintln(a.err, "desk: warning:", msg) }}
	if a.terminal(a.err) {
		o.Progress = func(done, total int) {
			if done%200 == 0 || done == total {
				fmt.Fprintf(a.err, "\rrendering %d/%d", done, total)
			}
			if done == total {
				fmt.Fprint(a.err, "\r\x1b[K")
			}
		}
	}
	return o
}

func (a *app) siteBuildRun(o siteBuildOptions) error {
	r, err := a.open()
	if err != nil {
		return err
	}
	start := time.Now()
	st, err := site.Build(a.ctx, r, a.buildOptions(o.out, o.baseURL))
	if err != nil {
		var pd *site.PersonalDataError
		if errors.As(err, &pd) {
			return &repo.RefusedError{Msg: pd.Error()}
		}
		return err
	}
	if o.json {
		return a.printJSON(map[string]any{
			"out": o.out, "articles": st.Articles, "pages": st.Pages, "files": st.Files, "bytes": st.Bytes,
			"bad_links": st.BadLinks, "search": st.Search,
		})
	}
	fmt.Fprintf(a.out, "built %s: %d articles, %d pages, %d files, %s (search index %s) in %s\n",
		o.out, st.Articles, st.Pages, st.Files, humanBytes(st.Bytes), humanBytes(st.Search.Bytes), time.Since(start).Round(time.Millisecond))
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 10<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

type siteServeOptions struct {
	addr, out string
}

func (a *app) siteServeCmd() *cobra.Command {
	var o siteServeOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the site on this machine, rebuilt when a file changes",
		Long: `Builds the site into a temporary folder (or --out), serves it on a loopback
address, and rebuilds it when an article, desk.toml, site/ or the commit at
HEAD changes. A failed rebuild is reported and the last good site stays up.
Stop it with Ctrl-C.`,
		Example: `  desk site serve
  desk site serve --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return a.siteServeRun(o) },
	}
	cmd.Flags().StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (a loopback address; port 0 picks a free one)")
	cmd.Flags().StringVar(&o.out, "out", "", "build into `DIR` instead of a temporary folder")
	cmd.MarkFlagDirname("out")
	return cmd
}

func (a *app) siteServeRun(o siteServeOptions) error {
	r, err := a.open()
	if err != nil {
		return err
	}
	err = site.Serve(a.ctx, r, site.ServeOptions{
		Build: a.buildOptions(o.out, ""),
		Addr:  o.addr,
		Ready: func(url string) { fmt.Fprintf(a.out, "serving %s (Ctrl-C to stop)\n", url) },
		Log:   func(msg string) { fmt.Fprintln(a.err, "desk:", msg) },
	})
	var pd *site.PersonalDataError
	if errors.As(err, &pd) {
		return &repo.RefusedError{Msg: pd.Error()}
	}
	return err
}
