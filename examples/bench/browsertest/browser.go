package browsertest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// markVar names the environment variable that marks the browser's processes.
const markVar = "BROWSERTEST_PROFILE"

// ErrNoBrowser is returned by Start when no Chromium or Chrome executable is
// installed. Tests pass it to Skip.
var ErrNoBrowser = errors.New("browsertest: no Chromium or Chrome found (install chromium, or set DESK_CHROMIUM)")

// gracePeriod is how long Close waits for the browser to quit before it
// kills it.
const gracePeriod = 3 * time.Second

// defaultTimeout bounds an operation whose context has no deadline.
const defaultTimeout = 30 * time.Second

// candidates are the executables looked up in $PATH, in order.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// flags are passed to every browser besides --user-data-dir and, as root,
// --no-sandbox. Most keep Chromium from calling home, so the only network
// traffic is what the page asks for.
var flags = []string{
	"--headless=new",
	"--remote-debugging-pipe",
	"--disable-gpu",
	"--no-first-run",
	"--no-default-browser-check",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--metrics-recording-only",
	"--mute-audio",
	"--disable-extensions",
	"--disable-default-apps",
	"--disable-domain-reliability",
	"--disable-client-side-phishing-detection",
	"--disable-breakpad",
	"--disable-crash-reporter",
	"--no-pings",
	"--no-proxy-server",
	"--safebrowsing-disable-auto-update",
	"--password-store=basic",
	"--use-mock-keychain",
	"--disable-dev-shm-usage",
	"--disable-hang-monitor",
	"--disable-prompt-on-repost",
	"--disable-background-timer-throttling",
	"--disable-backgrounding-occluded-windows",
	"--disable-renderer-backgrounding",
	"--disable-ipc-flooding-protection",
	"--disable-features=Translate,OptimizationHints,OptimizationGuideModelDownloading," +
		"MediaRouter,DialMediaRouteProvider,AutofillServerCommunication," +
		"CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions," +
		"PrivacySandboxSettings4,NetworkTimeServiceQuerying,SafeBrowsingEnhancedProtection," +
		// AimEnabled: the omnibox's AI-mode check, www.google.com/async/folae.
		"AimEnabled,PreconnectToSearch",
	// Chromium asks accounts.google.com for the profile's accounts and
	// android.clients.google.com for a GCM check-in whatever the flags
	// above say; point both at names that cannot exist.
	"--gaia-url=http://gaia.invalid",
	"--gcm-checkin-url=http://gcm.invalid/checkin",
	// Since 156 the component updater asks update.googleapis.com despite
	// --disable-component-update; send it to a name that cannot exist too.
	"--component-updater=url-source=http://update.invalid/service/update2/json",
	// Every name but localhost fails at once; the request is still made, so
	// the page's Requests show it.
	"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
	"--window-size=1280,800",
	"--hide-scrollbars",
}

// A Browser is a running headless Chromium. Its methods may be called from
// several goroutines.
type Browser struct {
	cmd     *exec.Cmd
	dir     string // the profile, removed by Close
	stderr  *tail
	version string

	in  *os.File // we write, the browser reads it as fd 3
	out *os.File // the browser writes fd 4, we read

	wmu sync.Mutex // serialises writes to in

	mu       sync.Mutex
	nextID   int64
	pending  map[int64]chan *message
	sessions map[string]*Page // every attached session, pages' and their workers'
	err      error            // why the connection ended; set before done is closed

	done   chan struct{} // closed when the connection ends
	exited chan struct{} // closed when the process has been waited for

	stderrDone chan struct{} // closed when stderr is read to its end
	closeOnce  sync.Once
	closeErr   error
}

// Start launches a headless browser with an empty temporary profile and waits
// until it answers. ctx bounds the start only: the browser runs until Close.
// It returns ErrNoBrowser when no browser is installed.
func Start(ctx context.Context) (*Browser, error) {
	return start(ctx, nil)
}

// start is Start with extra flags, which tests use to ask for a NetLog.
func start(ctx context.Context, extra []string) (*Browser, error) {
	exe, err := findBrowser()
	if err != nil {
		return nil, err
	}
	b, err := launch(ctx, exe, extra)
	if errors.Is(err, errExited) && ctx.Err() == nil {
		// Chromium now and then crashes while starting on a loaded machine
		// (a segfault, once in some fifty starts here); a second try tells
		// that from a browser that cannot start.
		b, err = launch(ctx, exe, extra)
	}
	return b, err
}

// errExited is the error of calls made after the browser exited.
var errExited = errors.New("browsertest: browser exited")

// launch starts exe and waits until it answers.
func launch(ctx context.Context, exe string, extra []string) (*Browser, error) {
	dir, err := os.MkdirTemp("", "browsertest-")
	if err != nil {
		return nil, fmt.Errorf("browsertest: profile directory: %w", err)
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("browsertest: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("browsertest: %w", err)
	}
	// Our own pipe for stderr, not exec's: Wait then returns as soon as the
	// browser exits, though its helpers may hold stderr open a while longer.
	errR, errW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		outR.Close()
		outW.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("browsertest: %w", err)
	}

	args := append([]string{}, flags...)
	args = append(args, "--user-data-dir="+dir)
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	args = append(args, extra...)
	args = append(args, "about:blank")
	b := &Browser{
		cmd:      exec.Command(exe, args...),
		dir:      dir,
		stderr:   &tail{max: 4 << 10},
		in:       inW,
		out:      outR,
		pending:  map[int64]chan *message{},
		sessions: map[string]*Page{},
		done:     make(chan struct{}),
		exited:   make(chan struct{}),

		stderrDone: make(chan struct{}),
	}
	b.cmd.ExtraFiles = []*os.File{inR, outW} // fd 3, fd 4
	// Every process the browser starts inherits this mark, even one that
	// leaves the process group; Close kills what bears it.
	b.cmd.Env = append(os.Environ(), markVar+"="+dir)
	b.cmd.Stderr = errW
	setProcAttr(b.cmd)
	err = b.cmd.Start()
	inR.Close()
	outW.Close()
	errW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		errR.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("browsertest: starting %s: %w", exe, err)
	}
	go func() {
		io.Copy(b.stderr, errR)
		errR.Close()
		close(b.stderrDone)
	}()
	go b.wait()
	go b.read()

	var v struct {
		Product string `json:"product"`
	}
	if err := b.call(ctx, "", nil, "Browser.getVersion", nil, &v); err != nil {
		b.Close()
		return nil, fmt.Errorf("browsertest: starting %s: %w", exe, err)
	}
	b.version = v.Product
	return b, nil
}

// findBrowser returns $DESK_CHROMIUM, which must then exist, or the first
// candidate found in $PATH.
func findBrowser() (string, error) {
	if exe := os.Getenv("DESK_CHROMIUM"); exe != "" {
		path, err := exec.LookPath(exe)
		if err != nil {
			// A browser was asked for by name: its absence is a mistake to
			// report, not a reason to skip.
			return "", fmt.Errorf("browsertest: DESK_CHROMIUM=%s: %w", exe, err)
		}
		return path, nil
	}
	for _, name := range candidates {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", ErrNoBrowser
}

// Version is the browser's product name and version, as "Chrome/148.0.7778.167".
func (b *Browser) Version() string { return b.version }

// Close kills the browser and every process it started, waits for them and
// removes the profile directory. It may be called more than once.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		// Asked to quit, the browser reaps its own helpers; killed, it
		// leaves them as zombies for init to reap. So ask first.
		ctx, cancel := context.WithTimeout(context.Background(), gracePeriod)
		go b.call(ctx, "", nil, "Browser.close", nil, nil)
		select {
		case <-b.exited:
		case <-ctx.Done():
		}
		cancel()
		b.shutdown(errors.New("browsertest: browser closed"))
		exited := false
		select {
		case <-b.exited:
			exited = true
		default:
		}
		killed := killTree(b.cmd.Process, exited, markVar+"="+b.dir)
		select {
		case <-b.exited:
		case <-time.After(5 * time.Second):
			// SIGKILL cannot be ignored; only an unkillable process (in
			// uninterruptible sleep) gets here.
			b.closeErr = fmt.Errorf("browsertest: browser process %d did not exit", b.cmd.Process.Pid)
			return
		}
		// SIGKILL takes effect when the process is next scheduled.
		awaitDeath(killed, 2*time.Second)
		b.in.Close()
		b.out.Close()
		if err := os.RemoveAll(b.dir); err != nil {
			b.closeErr = fmt.Errorf("browsertest: removing profile: %w", err)
		}
	})
	return b.closeErr
}

// wait reaps the browser process, kills any helper it left behind, and ends
// the connection.
func (b *Browser) wait() {
	b.cmd.Wait() // its error is in ProcessState, which exitError reads
	killGroup(b.cmd.Process.Pid)
	close(b.exited)
	b.in.Close()
	b.shutdown(b.exitError())
}

// exitError describes how the browser ended, with the end of its stderr.
func (b *Browser) exitError() error {
	state := "it closed the connection"
	select {
	case <-b.exited:
		if ps := b.cmd.ProcessState; ps != nil {
			state = ps.String()
		}
		// Its last words may still be in the pipe.
		select {
		case <-b.stderrDone:
		case <-time.After(500 * time.Millisecond):
		}
	case <-time.After(time.Second):
	}
	t := b.stderr.String()
	if t != "" {
		t = "; stderr ends with:\n" + t
	}
	return fmt.Errorf("%w (%s)%s", errExited, state, t)
}

// shutdown ends the connection once: pending and later calls fail with err.
func (b *Browser) shutdown(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return
	}
	b.err = err
	close(b.done)
}

// message is one CDP message: a command, its response, or an event.
type message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    string `json:"data"`
	} `json:"error,omitempty"`
}

// read receives messages until the pipe closes, answering calls and handing
// events to their page. It must never block on a call of its own.
func (b *Browser) read() {
	r := bufio.NewReaderSize(b.out, 64<<10)
	for {
		data, err := r.ReadBytes(0)
		if err != nil {
			select {
			case <-b.done: // closed on purpose
			default:
				b.shutdown(b.exitError())
			}
			return
		}
		var m message
		if json.Unmarshal(data[:len(data)-1], &m) != nil {
			continue
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.pending[m.ID]
			delete(b.pending, m.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- &m
			}
			continue
		}
		b.dispatch(&m)
	}
}

// dispatch hands an event to the page whose session sent it.
func (b *Browser) dispatch(m *message) {
	if m.Method == "Target.detachedFromTarget" && m.SessionID == "" {
		var p struct {
			SessionID string `json:"sessionId"`
		}
		json.Unmarshal(m.Params, &p)
		b.mu.Lock()
		page := b.sessions[p.SessionID]
		delete(b.sessions, p.SessionID)
		b.mu.Unlock()
		if page != nil && p.SessionID == page.session {
			page.fail(errors.New("browsertest: page closed"))
		}
		return
	}
	b.mu.Lock()
	page := b.sessions[m.SessionID]
	b.mu.Unlock()
	if page != nil {
		page.handle(m)
	}
}

// call sends a command on a session ("" for the browser) and decodes its
// result into out. It fails when ctx ends (or after defaultTimeout when ctx
// has no deadline), when gone is closed, or when the browser goes away.
func (b *Browser) call(ctx context.Context, session string, gone <-chan struct{}, method string, params, out any) error {
	ctx, cancel := bounded(ctx)
	defer cancel()
	m := message{SessionID: session, Method: method}
	if params != nil {
		raw, err := json.Marshal(params)
		if err != nil {
			return fmt.Errorf("browsertest: %s: %w", method, err)
		}
		m.Params = raw
	}
	ch := make(chan *message, 1)
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return b.err
	}
	b.nextID++
	m.ID = b.nextID
	b.pending[m.ID] = ch
	b.mu.Unlock()
	forget := func() {
		b.mu.Lock()
		delete(b.pending, m.ID)
		b.mu.Unlock()
	}

	data, err := json.Marshal(m)
	if err != nil {
		forget()
		return fmt.Errorf("browsertest: %s: %w", method, err)
	}
	b.wmu.Lock()
	_, err = b.in.Write(append(data, 0))
	b.wmu.Unlock()
	if err != nil {
		forget()
		// A broken pipe means the browser is gone; the reader is about to
		// say why.
		select {
		case <-b.done:
			return b.err
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
		return fmt.Errorf("browsertest: %s: %w", method, err)
	}

	select {
	case r := <-ch:
		if r.Error != nil {
			msg := r.Error.Message
			if r.Error.Data != "" {
				msg += ": " + r.Error.Data
			}
			return fmt.Errorf("browsertest: %s: %s", method, msg)
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				return fmt.Errorf("browsertest: %s: %w", method, err)
			}
		}
		return nil
	case <-ctx.Done():
		forget()
		return fmt.Errorf("browsertest: %s: %w", method, ctx.Err())
	case <-gone:
		forget()
		return errGone
	case <-b.done:
		forget()
		return b.err
	}
}

// errGone is returned by call when its page went away; Page methods replace
// it with the reason.
var errGone = errors.New("browsertest: page gone")

// bounded gives ctx a deadline when it has none.
func bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, defaultTimeout)
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}
