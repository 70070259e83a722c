package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/deskhq/desk/cmd/internal/cli"
)

func TestMain(m *testing.M) {
	if os.Getenv("DESK_TEST_MAIN") == "1" {
		// Re-executed by a test as the desk binary.
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	testscript.Main(m, map[string]func(){
		"desk": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// update makes the scripts rewrite their golden files: `go test ./cmd/desk
// -update` replaces the file a failing cmp compares with what desk wrote.
var update = flag.Bool("update", false, "rewrite the golden output in testdata/script")

// example is the bundled example repository folder, which scripts copy.
var example, _ = filepath.Abs("../../examples/helpdesk")

// mailCorpus is the e-mail test corpus of desk intake (repo/intake/testdata).
var mailCorpus, _ = filepath.Abs("../../repo/intake/testdata/mail")

// TestScripts runs the end-to-end scenarios in testdata/script: the real desk
// binary on real temporary git repositories, judged by git itself.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			for k, v := range map[string]string{
				"GIT_AUTHOR_NAME":     "Li Si",
				"GIT_AUTHOR_EMAIL":    "li.si@example.com",
				"GIT_COMMITTER_NAME":  "Li Si",
				"GIT_COMMITTER_EMAIL": "li.si@example.com",
				"GIT_CONFIG_NOSYSTEM": "1",
				"HOME":                env.WorkDir + "/home",
				"TZ":                  "UTC",
				"NO_COLOR":            "1",
				"DESK_LOCK_TIMEOUT":   "200ms",
			} {
				env.Setenv(k, v)
			}
			env.Setenv("EXAMPLE", example)
			env.Setenv("MAIL", mailCorpus)
			return os.MkdirAll(env.WorkDir+"/home", 0o755)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"gitclean":    gitClean,
			"copyexample": copyExample,
			"webhook":     webhook,
			"smtpserver":  smtpServer,
			"imapserver":  imapServer,
			"imapappend":  imapAppend,
		},
		RequireExplicitExec: true,
		UpdateScripts:       *update,
	})
}

// gitClean asserts that git sees nothing desk left behind: an empty
// `git status --porcelain` and a clean `git fsck`.
func gitClean(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! gitclean")
	}
	dir := "."
	if len(args) > 0 {
		dir = args[0]
	}
	ts.Exec("git", "-C", dir, "status", "--porcelain")
	if out := ts.ReadFile("stdout"); out != "" {
		ts.Fatalf("git status not clean:\n%s", out)
	}
	ts.Exec("git", "-C", dir, "fsck", "--strict", "--no-progress")
}

// copyExample copies the bundled example into DIR and commits it in a new git
// repository, so scripts can change it.
func copyExample(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: copyexample DIR")
	}
	dst := ts.MkAbs(args[0])
	err := filepath.WalkDir(example, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(example, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if filepath.Ext(p) == ".go" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	ts.Check(err)
	ts.Exec("git", "init", "-q", "-b", "main", dst)
	ts.Exec("git", "-C", dst, "add", "-A")
	ts.Exec("git", "-C", dst, "commit", "-q", "-m", "example")
}

// webhook starts a local HTTP server for the rest of the script and sets
// $WEBHOOK to its URL: every request it gets is appended to FILE (the
// X-Desk-Signature header, then the body), and answered with STATUS (200
// unless given).
func webhook(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: webhook FILE [STATUS]")
	}
	status := http.StatusOK
	if len(args) == 2 {
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		status = n
	}
	file := ts.MkAbs(args[0])
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		mu.Lock()
		defer mu.Unlock()
		f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%s %s\nX-Desk-Signature: %s\n%s", req.Method, req.Header.Get("Content-Type"), req.Header.Get("X-Desk-Signature"), body)
			f.Close()
		}
		w.WriteHeader(status)
		if status != http.StatusOK {
			fmt.Fprintln(w, "hook says no")
		}
	}))
	ts.Defer(srv.Close)
	ts.Setenv("WEBHOOK", srv.URL+"/hook")
}

// smtpServer starts an SMTP server on 127.0.0.1 for the rest of the script
// and sets $SMTP to its smtp:// URL: every message it takes is appended to
// FILE ("MAIL FROM", "RCPT TO", then the message). With "refuse", it
// answers every message with 554 and takes nothing.
func smtpServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 || (len(args) == 2 && args[1] != "refuse") {
		ts.Fatalf("usage: smtpserver FILE [refuse]")
	}
	file := ts.MkAbs(args[0])
	refuse := len(args) == 2
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &recordingSession{file: file, refuse: refuse}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	go srv.Serve(l)
	ts.Defer(func() { srv.Close() })
	ts.Setenv("SMTP", "smtp://"+l.Addr().String())
}

type recordingSession struct {
	file     string
	refuse   bool
	from, to string
}

func (s *recordingSession) Reset()        {}
func (s *recordingSession) Logout() error { return nil }
func (s *recordingSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *recordingSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}
func (s *recordingSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.refuse {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "relay access denied"}
	}
	f, err := os.OpenFile(s.file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "MAIL FROM %s\nRCPT TO %s\n%s\n", s.from, s.to, data)
	return err
}

// imapServer starts an IMAP server on 127.0.0.1 for the rest of the script
// (go-imap's in-memory server) with one user, USER and PASSWORD, and an
// empty INBOX, and sets $IMAP to imap://127.0.0.1:PORT/INBOX.
func imapServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: imapserver USER PASSWORD")
	}
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(args[0], args[1])
	ts.Check(u.Create("INBOX", nil))
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	go srv.Serve(l)
	ts.Defer(func() { srv.Close() })
	ts.Setenv("IMAP", "imap://"+l.Addr().String()+"/INBOX")
	ts.Setenv("IMAP_ADDR", l.Addr().String())
}

// imapAppend appends FILE... to INBOX of $IMAP_ADDR as USER, as a mail
// server delivers them.
func imapAppend(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: imapappend USER PASSWORD FILE...")
	}
	c, err := imapclient.DialInsecure(ts.Getenv("IMAP_ADDR"), nil)
	ts.Check(err)
	defer c.Close()
	ts.Check(c.Login(args[0], args[1]).Wait())
	for _, f := range args[2:] {
		data, err := os.ReadFile(ts.MkAbs(f))
		ts.Check(err)
		cmd := c.Append("INBOX", int64(len(data)), nil)
		_, err = cmd.Write(data)
		ts.Check(err)
		ts.Check(cmd.Close())
		_, err = cmd.Wait()
		ts.Check(err)
	}
	ts.Check(c.Logout().Wait())
}
