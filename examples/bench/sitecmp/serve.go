package main

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// siteHandler serves the folder dir as a static host would, with
// Cache-Control: no-store so that every page is a first visit. With zip set,
// responses of text types go gzip-compressed to clients that accept it.
func siteHandler(dir string, zip bool) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if !zip || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || !compressible(r.URL.Path) {
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		gz := gzip.NewWriter(w)
		defer gz.Close()
		// Range requests would need the compressed length; a static host
		// compressing on the fly ignores them too.
		r.Header.Del("Range")
		files.ServeHTTP(&gzipWriter{ResponseWriter: w, w: gz}, r)
	})
}

// compressible reports whether a URL path names a text file: what a typical
// static host compresses (nginx's gzip_types with the usual additions).
func compressible(p string) bool {
	ext := path.Ext(p)
	if strings.HasSuffix(p, "/") || ext == "" {
		return true // a folder's index.html
	}
	switch ext {
	case ".html", ".htm", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt":
		return true
	}
	return false
}

// gzipWriter sends the body through gzip and drops the length the file
// server sets, which is the uncompressed one.
type gzipWriter struct {
	http.ResponseWriter
	w io.Writer
}

func (g *gzipWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	g.Header().Del("Content-Length")
	return g.w.Write(p)
}

// fileSize returns the size of the file that serves the URL path p from
// dir (a folder's index.html for a path ending in /), or 0.
func fileSize(dir, p string) int64 {
	p = path.Clean("/" + p)
	name := filepath.Join(dir, filepath.FromSlash(p))
	fi, err := os.Stat(name)
	if err == nil && fi.IsDir() {
		fi, err = os.Stat(filepath.Join(name, "index.html"))
	}
	if err != nil {
		return 0
	}
	return fi.Size()
}

func init() {
	// Pagefind's index files; the type does not change what is served, only
	// what a reader of the headers sees.
	mime.AddExtensionType(".pagefind", "application/octet-stream")
	mime.AddExtensionType(".pf_meta", "application/octet-stream")
	mime.AddExtensionType(".pf_index", "application/octet-stream")
	mime.AddExtensionType(".pf_fragment", "application/octet-stream")
	mime.AddExtensionType(".pf_filter", "application/octet-stream")
}

// A wire counts, on the server's side, the body bytes sent for each request
// URI (compressed when they were) once the response is complete. It backs
// the browser's account for a request whose end the browser does not
// report to the page: the script of a dedicated worker, whose response
// events go to the worker's own session.
type wire struct {
	mu   sync.Mutex
	sent map[string]int64
}

func newWire() *wire { return &wire{sent: map[string]int64{}} }

func (c *wire) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		c.mu.Lock()
		c.sent[r.RequestURI] += cw.n
		c.mu.Unlock()
	})
}

// reset forgets what was sent.
func (c *wire) reset() {
	c.mu.Lock()
	clear(c.sent)
	c.mu.Unlock()
}

// finished returns the body bytes sent for uri since the last reset, and
// whether a response to it is complete.
func (c *wire) finished(uri string) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.sent[uri]
	return n, ok
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}
