package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestSiteBuild builds the site of one published article, plain and on a
// terminal, and refuses a folder desk did not build.
func TestSiteBuild(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	dir := publishedDesk(t)
	out, _ := runDesk(t, plain, "-C", dir, "site", "build", "--out", pub)
	if !regexp.MustCompile(`^built .*public: 1 articles, [0-9]+ pages, [0-9]+ files, [0-9.]+ [KM]?B \(search index [0-9.]+ [KM]?B\) in [0-9.]+m?s\n$`).MatchString(out) {
		t.Errorf("desk site build says %q", out)
	}
	page, err := os.ReadFile(filepath.Join(pub, "index.html"))
	if err != nil || !strings.Contains(string(page), "Laptop does not power on") {
		t.Errorf("the home page: %v\n%.300s", err, page)
	}
	// On a terminal, with --json: the progress on standard error, the
	// figures on standard output.
	out, stderr := runDesk(t, onTerminal, "-C", dir, "site", "build", "--out", pub, "--base-url", "https://kb.example.com/", "--json")
	var js struct {
		Out      string
		Articles int
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil || js.Out != pub || js.Articles != 1 {
		t.Errorf("desk site build --json: %v\n%s", err, out)
	}
	if !strings.HasSuffix(stderr, "\r\x1b[K") || !strings.Contains(stderr, "\rrendering ") {
		t.Errorf("desk site build on a terminal shows no progress: %q", stderr)
	}
	// A folder desk did not build is not overwritten.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "mine.txt"), []byte("mine"), 0o644)
	if _, _, err := deskIn(t, "", plain, "-C", dir, "site", "build", "--out", other); err == nil {
		t.Error("desk site build overwrote a folder it did not build")
	}
	_, _, err = deskIn(t, "", plain, "-C", dir, "site", "build", "--base-url", "ftp://x")
	wantCode(t, err, exitUsage)
}

// readyWriter calls ready once, in a goroutine of its own, with what was
// written when it holds "serving".
type readyWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready func(said string)
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.ready != nil && strings.Contains(w.buf.String(), "serving") {
		go w.ready(w.buf.String())
		w.ready = nil
	}
	return len(p), nil
}

func TestSiteServe(t *testing.T) {
	dir := publishedDesk(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var said, page string
	out := &readyWriter{ready: func(s string) {
		defer cancel()
		said = s
		f := strings.Fields(s)
		if len(f) < 2 {
			return
		}
		resp, err := http.Get(f[1])
		if err != nil {
			page = err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		page = string(b)
	}}
	if err := deskTo(ctx, out, io.Discard, "", plain, "-C", dir, "site", "serve", "--addr", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^serving http://127\.0\.0\.1:[0-9]+/ \(Ctrl-C to stop\)\n$`).MatchString(said) {
		t.Errorf("desk site serve says %q", said)
	}
	if !strings.Contains(page, "Laptop does not power on") {
		t.Errorf("the served home page:\n%.300s", page)
	}
	_, _, err := deskIn(t, "", plain, "-C", dir, "site", "serve", "--addr", "192.0.2.1:80")
	if err == nil {
		t.Error("desk site serve on an address that is not a loopback one: no error")
	}
}

// publishedDesk is a desk with one published article.
func publishedDesk(t *testing.T) string {
	t.Helper()
	dir := newDesk(t)
	deskIn(t, "Hold the power button for 30 s.\n", plain, "-C", dir, "kb", "new", "--title", "Laptop does not power on", "--category", "hardware", "-")
	for _, to := range []string{"review", "published"} {
		deskOK(t, "-C", dir, "kb", "move", "laptop-does-not-power-on", to)
	}
	return dir
}
