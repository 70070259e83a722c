package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/deskhq/desk/repo"
)

// ServeOptions are the choices of a preview server.
type ServeOptions struct {
	Build Options
	Addr  string        // host:port; the host must be a loopback address
	Poll  time.Duration // how often to look for changes; 0: every 500 ms
	// Ready, when set, is told the address the server listens on.
	Ready func(url string)
	// Log receives one line per rebuild and per failed build.
	Log func(msg string)
}

// Serve builds the site, serves it over HTTP on a loopback address, and
// rebuilds it whenever an article, desk.toml, the site's own templates and
// assets, or the commit at HEAD changes, until ctx ends. A build that fails
// is logged and the last good site stays up.
func Serve(ctx context.Context, r *repo.Repo, opts ServeOptions) error {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:8080"
	}
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return repo.Usagef("--addr %q: want host:port, e.g. 127.0.0.1:8080", opts.Addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return repo.Usagef("--addr %q: the preview serves only this machine; use 127.0.0.1 or localhost", opts.Addr)
	}
	if opts.Poll <= 0 {
		opts.Poll = 500 * time.Millisecond
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			opts.Log(fmt.Sprintf(format, args...))
		}
	}
	if opts.Build.Out == "" {
		tmp, err := os.MkdirTemp("", "desk-site-preview-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		opts.Build.Out = filepath.Join(tmp, "site")
	}
	build := func() error {
		start := time.Now()
		st, err := Build(ctx, r, opts.Build)
		if err != nil {
			return err
		}
		logf("built %d articles, %d pages in %s", st.Articles, st.Pages, time.Since(start).Round(time.Millisecond))
		return nil
	}
	stamp := fingerprint(r)
	if err := build(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", opts.Addr, err)
	}
	srv := &http.Server{Handler: &siteHandler{dir: opts.Build.Out}, ReadHeaderTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		srv.Serve(ln)
	}()
	if opts.Ready != nil {
		opts.Ready("http://" + ln.Addr().String() + "/")
	}
	tick := time.NewTicker(opts.Poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			srv.Shutdown(shut)
			cancel()
			wg.Wait()
			return nil
		case <-tick.C:
			now := fingerprint(r)
			if now == stamp {
				continue
			}
			stamp = now
			if err := build(); err != nil && ctx.Err() == nil {
				logf("build failed, still serving the last good site: %v", err)
			}
		}
	}
}

// fingerprint sums the names, sizes and times of the files a build reads,
// and the commit at HEAD (for the last-updated lines).
func fingerprint(r *repo.Repo) [32]byte {
	h := sha256.New()
	add := func(p string) {
		if fi, err := os.Stat(p); err == nil {
			fmt.Fprintf(h, "%s %d %d\n", p, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	add(r.Abs("desk.toml"))
	for _, dir := range []string{"kb", "site"} {
		filepath.WalkDir(r.Abs(dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				add(p)
			}
			return nil
		})
	}
	if _, head, err := r.Git.Head(); err == nil {
		fmt.Fprintf(h, "HEAD %s\n", head)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// siteHandler serves the built folder, with the site's 404 page for paths
// that do not exist. It reads the folder at each request, so a rebuild
// (which swaps the folder) is seen at once.
type siteHandler struct{ dir string }

func (s *siteHandler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := filepath.Join(s.dir, filepath.FromSlash(strings.TrimPrefix(filepath.ToSlash(filepath.Clean("/"+req.URL.Path)), "/")))
	fi, err := os.Stat(p)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(req.URL.Path, "/") {
			http.Redirect(w, req, req.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		p = filepath.Join(p, "index.html")
		_, err = os.Stat(p)
	}
	if errors.Is(err, fs.ErrNotExist) || filepath.Base(p) == marker {
		data, rerr := os.ReadFile(filepath.Join(s.dir, "404.html"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		if rerr == nil {
			w.Write(data)
		}
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeFile(w, req, p)
}
