package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/deskhq/desk/examples/bench/browsertest"
	"github.com/deskhq/desk/examples/bench/knownitem"
)

// A site is one built folder served on 127.0.0.1.
type site struct {
	Engine string // "desk" or "pagefind"
	Dir    string
	URL    string // the server's root, with a trailing /
	wire   *wire  // what the server sent; nil: the browser's account only
}

// A record is one query run.
type record struct {
	Engine string `json:"engine"`
	item
	Results     []string `json:"results"`     // slugs of the first results, at most 10
	Rank        int      `json:"rank"`        // of the wanted article, 1-based; 0 when not in Results
	Requests    int      `json:"requests"`    // made by the first query
	Transferred int64    `json:"transferred"` // bytes over the wire: headers and body as sent
	Body        int64    `json:"body"`        // bytes of the bodies as sent (compressed when they were)
	Files       int64    `json:"files"`       // bytes of the files served
	// The same, once the data of the first 5 results is loaded too (what a
	// list of 5 results needs); for desk, whose query loads the data of the
	// results it shows, the same as above.
	ListTransferred int64    `json:"list_transferred"`
	ListFiles       int64    `json:"list_files"`
	Errors          []string `json:"errors,omitempty"`
}

// A load is what opening the home page downloads, before any query.
type load struct {
	Requests           int
	Transferred, Files int64
}

// driver runs queries on one site in a shared browser.
type driver struct {
	b      *browsertest.Browser
	site   site
	settle time.Duration // desk's search box: how long the results must stay unchanged
	box    bool          // desk: drive the search box even when window.deskSearch.query is there
}

// open opens the home page in a new tab and waits until no request is in
// flight, then forgets what it downloaded (returned as a load).
func (d *driver) open(ctx context.Context) (*browsertest.Page, load, error) {
	p, err := d.b.Open(ctx, d.site.URL)
	if err != nil {
		return nil, load{}, err
	}
	if err := d.quiet(ctx, p, 150*time.Millisecond); err != nil {
		p.Close()
		return nil, load{}, err
	}
	var l load
	for _, r := range p.Requests() {
		l.Requests++
		l.Transferred += d.transferred(r)
		l.Files += d.fileBytes(r.URL)
	}
	p.ResetRequests()
	if d.site.wire != nil {
		d.site.wire.reset()
	}
	return p, l, nil
}

// inFlight reports whether a request has not ended: the browser has not
// said so, nor has the server sent the whole response.
func (d *driver) inFlight(r browsertest.Request) bool {
	if r.Done {
		return false
	}
	_, ok := d.sentFor(r.URL)
	return !ok
}

// sentFor returns the body bytes the server sent for a URL of the site.
func (d *driver) sentFor(raw string) (int64, bool) {
	u, err := url.Parse(raw)
	if d.site.wire == nil || err != nil || u.Scheme+"://"+u.Host+"/" != d.site.URL {
		return 0, false
	}
	return d.site.wire.finished(u.RequestURI())
}

// quiet waits until the page has had no request in flight for wait.
func (d *driver) quiet(ctx context.Context, p *browsertest.Page, wait time.Duration) error {
	since := time.Now()
	for {
		busy := false
		for _, r := range p.Requests() {
			if d.inFlight(r) {
				busy = true
			}
		}
		if busy {
			since = time.Now()
		} else if time.Since(since) >= wait {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the page's requests: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// fileBytes is the size of the file behind a URL of the site, 0 for others.
func (d *driver) fileBytes(raw string) int64 {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme+"://"+u.Host+"/" != d.site.URL {
		return 0
	}
	return fileSize(d.site.Dir, u.Path)
}

// transferred returns the bytes a request took on the wire: the browser's
// account, or, for a request whose end the browser did not report, the body
// bytes the server sent.
func (d *driver) transferred(r browsertest.Request) int64 {
	if !r.Done {
		n, _ := d.sentFor(r.URL)
		return n
	}
	return r.EncodedBytes
}

// count fills the byte counts of rec from the page's requests.
func (d *driver) count(p *browsertest.Page, rec *record) {
	for _, r := range p.Requests() {
		rec.Requests++
		rec.Transferred += d.transferred(r)
		if r.Done {
			rec.Body += r.BodyBytes
		} else {
			n, _ := d.sentFor(r.URL)
			rec.Body += n
		}
		rec.Files += d.fileBytes(r.URL)
		switch {
		case r.Failed != "":
			rec.Errors = append(rec.Errors, r.URL+": "+r.Failed)
		case r.Status >= 400:
			rec.Errors = append(rec.Errors, fmt.Sprintf("%s: status %d", r.URL, r.Status))
		}
	}
}

// run runs one query on a fresh page.
func (d *driver) run(ctx context.Context, it item) (record, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	rec := record{Engine: d.site.Engine, item: it}
	p, _, err := d.open(ctx)
	if err != nil {
		return rec, err
	}
	defer p.Close()
	var urls []string
	switch d.site.Engine {
	case "desk":
		var api bool
		if err = p.Eval(ctx, `!!(window.deskSearch && window.deskSearch.query)`, &api); err == nil {
			if api && !d.box {
				urls, err = d.deskAPI(ctx, p, it.Query, &rec)
			} else {
				urls, err = d.desk(ctx, p, it.Query, &rec)
			}
		}
		rec.ListTransferred, rec.ListFiles = rec.Transferred, rec.Files
	case "pagefind":
		urls, err = d.pagefind(ctx, p, it.Query, &rec)
	default:
		err = fmt.Errorf("unknown engine %q", d.site.Engine)
	}
	if err != nil {
		return rec, err
	}
	for _, u := range urls {
		if s := slugOf(u); s != "" && !contains(rec.Results, s) {
			rec.Results = append(rec.Results, s)
		}
	}
	rec.Results = rec.Results[:min(knownitem.Cutoff, len(rec.Results))]
	rec.Rank = knownitem.Rank(rec.Results, it.Slug)
	for _, m := range p.Errors() {
		// Chromium asks for /favicon.ico by itself; neither site has one.
		if !strings.Contains(m.String(), "/favicon.ico") {
			rec.Errors = append(rec.Errors, m.String())
		}
	}
	return rec, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

var slugRE = regexp.MustCompile(`(?:^|/)kb/([^/?#]+)/?(?:index\.html)?(?:[?#].*)?$`)

// slugOf returns the article slug of a result URL (…/kb/<slug>/), or "".
func slugOf(u string) string {
	if m := slugRE.FindStringSubmatch(u); m != nil {
		return m[1]
	}
	return ""
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// deskAPI runs the query with desk's search script (window.deskSearch.query,
// what the search box calls), which loads the data of the results it shows.
func (d *driver) deskAPI(ctx context.Context, p *browsertest.Page, q string, rec *record) ([]string, error) {
	var out struct {
		URLs []string `json:"urls"`
	}
	const js = `(async () => {
  const out = await window.deskSearch.query(%s);
  return {urls: out.results.map(r => r.url)};
})()`
	if err := p.Eval(ctx, fmt.Sprintf(js, jsString(q)), &out); err != nil {
		return nil, err
	}
	if err := d.quiet(ctx, p, 50*time.Millisecond); err != nil {
		return nil, err
	}
	d.count(p, rec)
	return out.URLs, nil
}

// desk puts the query into the search box at once and reads the result
// links once #search-results has stopped changing and no request is in
// flight. The first query is everything the page downloads meanwhile.
func (d *driver) desk(ctx context.Context, p *browsertest.Page, q string, rec *record) ([]string, error) {
	const typeIn = `(() => {
  const el = document.querySelector('#search-input');
  if (!el) throw new Error('no #search-input');
  el.focus();
  el.value = %s;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  return true;
})()`
	if err := p.Eval(ctx, fmt.Sprintf(typeIn, jsString(q)), nil); err != nil {
		return nil, err
	}
	const read = `(() => {
  const box = document.querySelector('#search-results');
  if (!box) return {html: '', hrefs: []};
  return {html: box.innerHTML, hrefs: Array.from(box.querySelectorAll('a[href]'), a => a.href)};
})()`
	var last struct {
		HTML  string   `json:"html"`
		Hrefs []string `json:"hrefs"`
	}
	changed := time.Now()
	for first := true; ; first = false {
		var cur struct {
			HTML  string   `json:"html"`
			Hrefs []string `json:"hrefs"`
		}
		if err := p.Eval(ctx, read, &cur); err != nil {
			return nil, err
		}
		busy := false
		for _, r := range p.Requests() {
			busy = busy || d.inFlight(r)
		}
		if first || cur.HTML != last.HTML || busy {
			changed = time.Now()
		}
		last = cur
		if time.Since(changed) >= d.settle {
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for desk's results: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	d.count(p, rec)
	return last.Hrefs, nil
}

// pagefind imports pagefind.js, searches and loads the first result's data:
// the first query. The data of results 2 to 5 is loaded after counting (the
// list of 5 results), that of results 6 to 10 after counting that.
func (d *driver) pagefind(ctx context.Context, p *browsertest.Page, q string, rec *record) ([]string, error) {
	const search = `(async () => {
  const pf = await import(%s);
  const r = await pf.search(%s);
  window.__sitecmp = r;
  const first = r.results.length ? (await r.results[0].data()).url : null;
  return {n: r.results.length, first};
})()`
	var r struct {
		N     int     `json:"n"`
		First *string `json:"first"`
	}
	if err := p.Eval(ctx, fmt.Sprintf(search, jsString(d.site.URL+"pagefind/pagefind.js"), jsString(q)), &r); err != nil {
		return nil, err
	}
	if err := d.quiet(ctx, p, 50*time.Millisecond); err != nil {
		return nil, err
	}
	d.count(p, rec)
	var urls []string
	if r.N > 0 {
		// The first result's data is loaded already.
		err := p.Eval(ctx, `Promise.all(window.__sitecmp.results.slice(1, 5).map(x => x.data().then(d => d.url)))`, &urls)
		if err != nil {
			return nil, err
		}
		first := ""
		if r.First != nil {
			first = *r.First
		}
		urls = append([]string{first}, urls...)
		if err := d.quiet(ctx, p, 50*time.Millisecond); err != nil {
			return nil, err
		}
	}
	var list record
	d.count(p, &list)
	rec.ListTransferred, rec.ListFiles = list.Transferred, list.Files
	// Results 6 to 10, for MRR@10: loaded after the counts.
	if r.N > 5 {
		var more []string
		if err := p.Eval(ctx, `Promise.all(window.__sitecmp.results.slice(5, 10).map(x => x.data().then(d => d.url)))`, &more); err != nil {
			return nil, err
		}
		urls = append(urls, more...)
	}
	return urls, nil
}

// segmenter returns a function that splits Chinese text into words with
// Chromium's Intl.Segmenter, for the texts given (others: nil).
func segmenter(ctx context.Context, b *browsertest.Browser, texts []string) (func(string) []string, error) {
	p, err := b.Open(ctx, "about:blank")
	if err != nil {
		return nil, err
	}
	defer p.Close()
	data, _ := json.Marshal(texts)
	var words [][]string
	const js = `(() => {
  const seg = new Intl.Segmenter('zh', {granularity: 'word'});
  return %s.map(t => Array.from(seg.segment(t)).filter(s => s.isWordLike).map(s => s.segment));
})()`
	if err := p.Eval(ctx, fmt.Sprintf(js, data), &words); err != nil {
		return nil, err
	}
	m := make(map[string][]string, len(texts))
	for i, t := range texts {
		m[t] = words[i]
	}
	return func(s string) []string { return m[s] }, nil
}
