package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// A Page is one browser tab. It records what the page logs and fetches from
// the moment it is opened; its methods may be called from several goroutines.
type Page struct {
	b       *Browser
	target  string
	session string
	gone    chan struct{} // closed when the page crashed or was closed

	mu       sync.Mutex
	err      error // why the page is gone
	console  []Message
	requests []record
	byID     map[string]int      // session + " " + requestId → index in requests
	byReq    map[string]int      // requestId alone → index, for events sent to another session
	loaded   map[string]bool     // loader ids whose load event fired
	loaders  map[string][]string // frame id → its documents' loader ids, in order
	changed  chan struct{}       // closed and replaced when loaded grows
}

// A Message is something the page logged: a console API call (Source
// "console"), an uncaught exception or unhandled rejection (Source
// "exception"), or a browser log entry (Source as Chromium names it:
// "network", "javascript", "security", "violation", "intervention", ...).
type Message struct {
	Source string
	Level  string // "debug", "info", "warning" or "error"
	Text   string
	URL    string // of the script or resource, when known
	Line   int    // 1-based line in URL, 0 when unknown
}

// String formats m as "error console: text (url:line)".
func (m Message) String() string {
	s := m.Level + " " + m.Source + ": " + m.Text
	if m.URL != "" {
		if m.Line > 0 {
			return fmt.Sprintf("%s (%s:%d)", s, m.URL, m.Line)
		}
		return s + " (" + m.URL + ")"
	}
	return s
}

// A Request is one network request made by the page or by its workers and
// frames. A redirect ends one Request and starts another. The browser's
// request for /favicon.ico, made for the page, is listed too.
type Request struct {
	URL    string
	Method string
	Type   string // as Chromium classifies it: "Document", "Script", "Fetch", "Stylesheet", ...
	Status int    // HTTP status, 0 when no response came
	MIME   string
	// EncodedBytes is what came over the network for this request, as
	// DevTools' "transferred" column shows it (Network.loadingFinished
	// encodedDataLength): the response headers plus the body as sent,
	// compressed if it was. BodyBytes is the body part alone (with chunked
	// framing, if any). Both are 0 when the memory cache served it.
	// For a dedicated worker's own script Chromium reports the whole size
	// with the response, so BodyBytes is 0 there and EncodedBytes right.
	EncodedBytes int64
	BodyBytes    int64
	FromCache    bool   // served from the memory or disk cache
	Failed       string // the network error, such as "net::ERR_NAME_NOT_RESOLVED"; "" when none
	Done         bool   // finished or failed; false while in flight
}

// record is a Request as the page keeps it while events come in.
type record struct {
	Request
	headerBytes int64 // encoded size of the response headers
}

// Open opens a new tab, starts recording its console and network, navigates
// to url and waits for the load event.
func (b *Browser) Open(ctx context.Context, url string) (*Page, error) {
	ctx, cancel := bounded(ctx)
	defer cancel()
	var t struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", nil, "Target.createTarget", map[string]any{"url": "about:blank"}, &t); err != nil {
		return nil, err
	}
	var a struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", nil, "Target.attachToTarget", map[string]any{"targetId": t.TargetID, "flatten": true}, &a); err != nil {
		b.call(ctx, "", nil, "Target.closeTarget", map[string]any{"targetId": t.TargetID}, nil)
		return nil, err
	}
	p := &Page{
		b:       b,
		target:  t.TargetID,
		session: a.SessionID,
		gone:    make(chan struct{}),
		byID:    map[string]int{},
		byReq:   map[string]int{},
		loaded:  map[string]bool{},
		loaders: map[string][]string{},
		changed: make(chan struct{}),
	}
	b.mu.Lock()
	b.sessions[p.session] = p
	b.mu.Unlock()

	steps := []struct {
		method string
		params any
	}{
		{"Page.enable", nil},
		{"Page.setLifecycleEventsEnabled", map[string]any{"enabled": true}},
		{"Runtime.enable", nil},
		{"Log.enable", nil},
		{"Network.enable", nil},
		// A page in the background does not get focus events; pretend each
		// page has focus, as a visitor's would.
		{"Emulation.setFocusEmulationEnabled", map[string]any{"enabled": true}},
		// Workers and out-of-process frames get sessions of their own;
		// attach them, paused, so their first requests are seen too.
		{"Target.setAutoAttach", map[string]any{"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true}},
	}
	for _, s := range steps {
		if err := p.call(ctx, s.method, s.params, nil); err != nil {
			p.Close()
			return nil, err
		}
	}
	if err := p.Navigate(ctx, url); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Close closes the tab. The Browser stays open.
func (p *Page) Close() error {
	ctx, cancel := bounded(context.Background())
	defer cancel()
	err := p.b.call(ctx, "", nil, "Target.closeTarget", map[string]any{"targetId": p.target}, nil)
	p.fail(errors.New("browsertest: page closed"))
	return err
}

// call sends a command on the page's session.
func (p *Page) call(ctx context.Context, method string, params, out any) error {
	err := p.b.call(ctx, p.session, p.gone, method, params, out)
	if err == errGone {
		err = p.goneErr()
	}
	return err
}

// goneErr says why the page is gone.
func (p *Page) goneErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// fail marks the page gone; its pending and later calls return err.
func (p *Page) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return
	}
	p.err = err
	close(p.gone)
	p.b.mu.Lock()
	for id, page := range p.b.sessions {
		if page == p {
			delete(p.b.sessions, id)
		}
	}
	p.b.mu.Unlock()
}

// Navigate loads url in the page and waits for its load event, or for that
// of the document a script in it replaced it with (location.replace). It
// returns an error when the navigation fails (net::ERR_CONNECTION_REFUSED,
// ...); an HTTP error status is not an error here, Requests has it. Console
// messages and requests keep accumulating across navigations.
func (p *Page) Navigate(ctx context.Context, url string) error {
	ctx, cancel := bounded(ctx)
	defer cancel()
	var r struct {
		FrameID   string `json:"frameId"`
		LoaderID  string `json:"loaderId"`
		ErrorText string `json:"errorText"`
	}
	if err := p.call(ctx, "Page.navigate", map[string]any{"url": url}, &r); err != nil {
		return err
	}
	if r.ErrorText != "" {
		return fmt.Errorf("browsertest: navigate to %s: %s", url, r.ErrorText)
	}
	if r.LoaderID == "" {
		return nil // same-document navigation: no load event
	}
	for {
		p.mu.Lock()
		loaded, changed := p.loadedSince(r.FrameID, r.LoaderID), p.changed
		p.mu.Unlock()
		if loaded {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("browsertest: waiting for %s to load: %w", url, ctx.Err())
		case <-p.gone:
			return p.goneErr()
		case <-p.b.done:
			return p.b.err
		}
	}
}

// loadedSince tells whether the load event fired for the document of
// loader, or for a later one in the same frame. p.mu must be held.
func (p *Page) loadedSince(frame, loader string) bool {
	if p.loaded[loader] {
		return true
	}
	list := p.loaders[frame]
	i := slices.Index(list, loader)
	if i < 0 {
		return false
	}
	for _, l := range list[i+1:] {
		if p.loaded[l] {
			return true
		}
	}
	return false
}

// Console returns the messages logged so far: console API calls, uncaught
// exceptions and browser log entries, in order.
func (p *Page) Console() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.console...)
}

// Errors returns the messages of level "error", which include every uncaught
// exception and every failed resource load.
func (p *Page) Errors() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Message
	for _, m := range p.console {
		if m.Level == "error" {
			out = append(out, m)
		}
	}
	return out
}

// ResetConsole forgets the messages logged so far.
func (p *Page) ResetConsole() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.console = nil
}

// Requests returns the requests made so far, in the order they started.
func (p *Page) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Request, len(p.requests))
	for i, r := range p.requests {
		out[i] = r.Request
	}
	return out
}

// ResetRequests forgets the requests made so far; one still in flight is
// not recorded when it ends.
func (p *Page) ResetRequests() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = nil
	clear(p.byID)
	clear(p.byReq)
}

// handle records one event from the page's sessions. It runs on the reader
// goroutine and must not block.
func (p *Page) handle(m *message) {
	switch m.Method {
	case "Runtime.consoleAPICalled":
		var e struct {
			Type       string         `json:"type"`
			Args       []remoteObject `json:"args"`
			StackTrace *struct {
				CallFrames []struct {
					URL        string `json:"url"`
					LineNumber int    `json:"lineNumber"`
				} `json:"callFrames"`
			} `json:"stackTrace"`
		}
		if json.Unmarshal(m.Params, &e) != nil {
			return
		}
		parts := make([]string, len(e.Args))
		for i, a := range e.Args {
			parts[i] = a.text()
		}
		msg := Message{Source: "console", Level: consoleLevel(e.Type), Text: strings.Join(parts, " ")}
		if e.StackTrace != nil && len(e.StackTrace.CallFrames) > 0 {
			msg.URL = e.StackTrace.CallFrames[0].URL
			msg.Line = e.StackTrace.CallFrames[0].LineNumber + 1
		}
		p.log(msg)
	case "Runtime.exceptionThrown":
		var e struct {
			Details exceptionDetails `json:"exceptionDetails"`
		}
		if json.Unmarshal(m.Params, &e) != nil {
			return
		}
		p.log(Message{Source: "exception", Level: "error", Text: e.Details.text(), URL: e.Details.URL, Line: e.Details.LineNumber + 1})
	case "Log.entryAdded":
		var e struct {
			Entry struct {
				Source     string `json:"source"`
				Level      string `json:"level"`
				Text       string `json:"text"`
				URL        string `json:"url"`
				LineNumber *int   `json:"lineNumber"`
			} `json:"entry"`
		}
		if json.Unmarshal(m.Params, &e) != nil {
			return
		}
		level := e.Entry.Level
		if level == "verbose" {
			level = "debug"
		}
		msg := Message{Source: e.Entry.Source, Level: level, Text: e.Entry.Text, URL: e.Entry.URL}
		if e.Entry.LineNumber != nil {
			msg.Line = *e.Entry.LineNumber + 1
		}
		p.log(msg)
	case "Network.requestWillBeSent":
		var e struct {
			RequestID string `json:"requestId"`
			Request   struct {
				URL         string `json:"url"`
				URLFragment string `json:"urlFragment"`
				Method      string `json:"method"`
			} `json:"request"`
			Type             string           `json:"type"`
			RedirectResponse *networkResponse `json:"redirectResponse"`
		}
		if json.Unmarshal(m.Params, &e) != nil {
			return
		}
		key := m.SessionID + " " + e.RequestID
		p.mu.Lock()
		if i, ok := p.byID[key]; ok && e.RedirectResponse != nil {
			r := &p.requests[i]
			e.RedirectResponse.fill(r)
			r.EncodedBytes = int64(e.RedirectResponse.EncodedDataLength)
			r.headerBytes = r.EncodedBytes
			r.Done = true
		}
		p.byID[key] = len(p.requests)
		p.byReq[e.RequestID] = len(p.requests)
		p.requests = append(p.requests, record{Request: Request{URL: e.Request.URL + e.Request.URLFragment, Method: e.Request.Method, Type: e.Type}})
		p.mu.Unlock()
	case "Network.requestServedFromCache":
		p.request(m, func(r *record, _ json.RawMessage) { r.FromCache = true })
	case "Network.responseReceived":
		p.request(m, func(r *record, params json.RawMessage) {
			var e struct {
				Response networkResponse `json:"response"`
			}
			if json.Unmarshal(params, &e) == nil {
				e.Response.fill(r)
			}
		})
	case "Network.loadingFinished":
		p.request(m, func(r *record, params json.RawMessage) {
			var e struct {
				EncodedDataLength float64 `json:"encodedDataLength"`
			}
			json.Unmarshal(params, &e)
			r.EncodedBytes = int64(e.EncodedDataLength)
			r.BodyBytes = max(r.EncodedBytes-r.headerBytes, 0)
			r.Done = true
		})
	case "Network.loadingFailed":
		p.request(m, func(r *record, params json.RawMessage) {
			var e struct {
				ErrorText string `json:"errorText"`
				Canceled  bool   `json:"canceled"`
			}
			json.Unmarshal(params, &e)
			r.Failed = e.ErrorText
			if r.Failed == "" {
				r.Failed = "failed"
				if e.Canceled {
					r.Failed = "canceled"
				}
			}
			r.Done = true
		})
	case "Page.lifecycleEvent":
		var e struct {
			FrameID  string `json:"frameId"`
			LoaderID string `json:"loaderId"`
			Name     string `json:"name"`
		}
		if json.Unmarshal(m.Params, &e) != nil {
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		switch e.Name {
		case "init": // a new document
			if list := p.loaders[e.FrameID]; !slices.Contains(list, e.LoaderID) {
				p.loaders[e.FrameID] = append(list, e.LoaderID)
			}
		case "load":
			p.loaded[e.LoaderID] = true
			close(p.changed)
			p.changed = make(chan struct{})
		}
	case "Inspector.targetCrashed":
		if m.SessionID == p.session {
			p.fail(errors.New("browsertest: page crashed"))
		}
	case "Target.attachedToTarget":
		var e struct {
			SessionID string `json:"sessionId"`
		}
		if json.Unmarshal(m.Params, &e) != nil {
			return
		}
		p.b.mu.Lock()
		p.b.sessions[e.SessionID] = p
		p.b.mu.Unlock()
		go p.attach(e.SessionID)
	case "Target.detachedFromTarget":
		var e struct {
			SessionID string `json:"sessionId"`
		}
		if json.Unmarshal(m.Params, &e) != nil {
			return
		}
		p.b.mu.Lock()
		delete(p.b.sessions, e.SessionID)
		p.b.mu.Unlock()
	}
}

// attach starts recording a worker's or frame's session, then lets it run.
// A domain the target lacks (a worker has no Page) is skipped.
func (p *Page) attach(session string) {
	ctx, cancel := bounded(context.Background())
	defer cancel()
	for _, method := range []string{"Runtime.enable", "Log.enable", "Network.enable"} {
		p.b.call(ctx, session, p.gone, method, nil, nil)
	}
	p.b.call(ctx, session, p.gone, "Target.setAutoAttach",
		map[string]any{"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true}, nil)
	p.b.call(ctx, session, p.gone, "Runtime.runIfWaitingForDebugger", nil, nil)
}

func (p *Page) log(m Message) {
	p.mu.Lock()
	p.console = append(p.console, m)
	p.mu.Unlock()
}

// request applies an event to the request it names, if recorded.
func (p *Page) request(m *message, f func(*record, json.RawMessage)) {
	var e struct {
		RequestID string `json:"requestId"`
	}
	if json.Unmarshal(m.Params, &e) != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.byID[m.SessionID+" "+e.RequestID]
	if !ok {
		// A dedicated worker's script is requested by the page's session,
		// but Chromium sends its response events to the worker's own.
		i, ok = p.byReq[e.RequestID]
	}
	if ok {
		f(&p.requests[i], m.Params)
	}
}

// networkResponse is the part of a CDP Network.Response we keep.
type networkResponse struct {
	Status            int     `json:"status"`
	MIMEType          string  `json:"mimeType"`
	FromDiskCache     bool    `json:"fromDiskCache"`
	FromPrefetchCache bool    `json:"fromPrefetchCache"`
	EncodedDataLength float64 `json:"encodedDataLength"`
}

func (n *networkResponse) fill(r *record) {
	r.Status = n.Status
	r.MIME = n.MIMEType
	r.headerBytes = max(int64(n.EncodedDataLength), 0) // -1 for a file: URL
	if n.FromDiskCache || n.FromPrefetchCache {
		r.FromCache = true
	}
}

// consoleLevel maps a console API call type to a level.
func consoleLevel(typ string) string {
	switch typ {
	case "error", "assert":
		return "error"
	case "warning":
		return "warning"
	case "debug":
		return "debug"
	}
	return "info"
}

// remoteObject is a CDP Runtime.RemoteObject.
type remoteObject struct {
	Type                string          `json:"type"`
	Subtype             string          `json:"subtype"`
	ClassName           string          `json:"className"`
	Value               json.RawMessage `json:"value"`
	UnserializableValue string          `json:"unserializableValue"`
	Description         string          `json:"description"`
}

// text is how the console would print o.
func (o remoteObject) text() string {
	switch {
	case o.Type == "string":
		var s string
		json.Unmarshal(o.Value, &s)
		return s
	case o.Type == "undefined":
		return "undefined"
	case o.UnserializableValue != "":
		return o.UnserializableValue
	case o.Description != "":
		return o.Description
	case len(o.Value) > 0:
		return string(o.Value)
	}
	return o.Type
}

// exceptionDetails is a CDP Runtime.ExceptionDetails.
type exceptionDetails struct {
	Text       string        `json:"text"`
	LineNumber int           `json:"lineNumber"`
	URL        string        `json:"url"`
	Exception  *remoteObject `json:"exception"`
}

// text is "Uncaught Error: boom" followed by the stack, as the console shows it.
func (d exceptionDetails) text() string {
	if d.Exception == nil {
		return d.Text
	}
	what := d.Exception.text()
	if d.Text == "" {
		return what
	}
	return d.Text + " " + what
}
