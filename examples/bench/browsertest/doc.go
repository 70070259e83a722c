// Package browsertest runs a headless Chromium for tests, as net/http/httptest
// runs an HTTP server: a test starts a Browser, opens a Page on a URL (an
// httptest server, a file:// URL) and checks what a visitor would get.
//
// It lives with the benchmarks because only tests (site, site/sitesearch,
// repo/report) and benchmarks (examples/bench/sitecmp) use it: no command
// of desk does. It does not import testing (Skip takes a TB).
//
// The package speaks the Chrome DevTools Protocol (CDP) itself, over
// --remote-debugging-pipe: Chromium reads NUL-terminated JSON messages from its
// file descriptor 3 and writes them to its descriptor 4. No WebSocket, no port,
// no dependency.
//
// Terms:
//
//   - A Browser is one Chromium process (and its helpers) with a throw-away
//     profile directory. Close kills them all and removes the profile.
//   - A Page is one tab, attached with a flat CDP session. Everything it
//     records comes from that session and from the sessions of the workers and
//     frames it starts, never from Chromium's own traffic.
//   - A Message is what a page said: console API calls, uncaught exceptions
//     (and unhandled rejections), and browser log entries such as "Failed to
//     load resource: the server responded with a status of 404".
//   - A Request is one network request the page made: URL, method, status,
//     MIME type, bytes on the wire, or the network error that ended it.
//
// Chromium resolves only localhost and 127.0.0.1 (--host-resolver-rules), so
// a request to any other host fails at once as net::ERR_NAME_NOT_RESOLVED yet
// is still listed by Page.Requests; background networking, component updates,
// sync, safe browsing, translation and the rest of Chromium's own calls home
// are switched off by flags.
//
// A page opened from a file: URL works, but Chromium refuses its fetch() of
// other file: URLs (CORS); that shows as a failed Request and an error
// Message, as it would for a visitor.
//
// Every operation takes a context; when it has no deadline the operation is
// bounded by 30 seconds, so a test never hangs. When Chromium dies, pending
// and later calls fail with an error that says so.
//
// When no browser is installed Start returns ErrNoBrowser; Skip turns that
// into t.Skip, or into t.Fatal when DESK_REQUIRE_BROWSER=1 (CI sets it so a
// missing browser is not silently a pass). $DESK_CHROMIUM names the
// executable to use; otherwise chromium, chromium-browser, google-chrome and
// google-chrome-stable are looked up in $PATH.
//
// One browser per test binary is enough, and fast:
//
//	var browser *browsertest.Browser
//	var browserErr error
//
//	func TestMain(m *testing.M) {
//		browser, browserErr = browsertest.Start(context.Background())
//		code := m.Run()
//		if browser != nil {
//			browser.Close()
//		}
//		os.Exit(code)
//	}
//
//	func TestSearch(t *testing.T) {
//		browsertest.Skip(t, browserErr)
//		p, err := browser.Open(t.Context(), srv.URL+"/kb/vpn/")
//		...
//		defer p.Close()
//		p.Focus(ctx, "#search-input")
//		p.Type(ctx, "vpn")
//		p.WaitFor(ctx, `document.querySelectorAll("#search-results a").length > 0`)
//		if errs := p.Errors(); len(errs) > 0 { t.Errorf("console errors: %v", errs) }
//	}
package browsertest
