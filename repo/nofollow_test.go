package repo

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// outside makes a folder outside the repository holding secret.md, whose
// text must never come out of desk.
func outside(t *testing.T) (dir, secret string) {
	t.Helper()
	dir = t.TempDir()
	secret = "+++\ntitle = \"OUTSIDE SECRET\"\nstatus = \"published\"\n+++\nOUTSIDE SECRET\n"
	if err := os.WriteFile(filepath.Join(dir, "secret.md"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, secret
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func TestReadFileFollowsNoSymlink(t *testing.T) { testReadFileFollowsNoSymlink(t) }

// TestReadFileFollowsNoSymlinkWithoutOpenat2 runs the cases again the way
// kernels before 5.6, seccomp filters and other systems take: a folder at a
// time.
func TestReadFileFollowsNoSymlinkWithoutOpenat2(t *testing.T) {
	noOpenat2.Store(true)
	defer noOpenat2.Store(false)
	testReadFileFollowsNoSymlink(t)
}

func testReadFileFollowsNoSymlink(t *testing.T) {
	r := newTestRepo(t)
	out, _ := outside(t)
	writeTicket(t, r, "TS-20261122-1", "inside")
	os.WriteFile(r.Abs("kb/inside.md"), []byte("inside"), 0o644)
	symlink(t, filepath.Join(out, "secret.md"), r.Abs("kb/file-link.md"))
	symlink(t, "inside.md", r.Abs("kb/inner-link.md")) // inside the repository: refused all the same
	symlink(t, filepath.Join(out, "gone.md"), r.Abs("kb/dangling.md"))
	symlink(t, out, r.Abs("tickets/2025"))
	symlink(t, out, r.Abs("kb/sub"))
	symlink(t, r.Abs("tickets/2026"), r.Abs("tickets/2027"))
	if err := syscall.Mkfifo(r.Abs("kb/fifo.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, link string // link: the symlink the error names
		errText          string // otherwise: the error, "" for none
	}{
		{"a file", "tickets/2026/11/TS-20261122-1.md", "", ""},
		{"a symlinked file", "kb/file-link.md", "kb/file-link.md", ""},
		{"a symlink to a file inside", "kb/inner-link.md", "kb/inner-link.md", ""},
		{"a dangling symlink", "kb/dangling.md", "kb/dangling.md", ""},
		{"a file in a symlinked folder", "tickets/2025/secret.md", "tickets/2025", ""},
		{"a file in a symlinked subfolder", "kb/sub/secret.md", "kb/sub", ""},
		{"a symlinked folder inside", "tickets/2027/11/TS-20261122-1.md", "tickets/2027", ""},
		{"a missing file", "kb/missing.md", "", "no such file"},
		{"a folder", "kb", "", "is a directory, not a ticket file"},
		{"a FIFO, without waiting for a writer", "kb/fifo.md", "", "not a regular file"},
		{"a path out of the root", "../x.md", "", "not a path inside the desk root"},
		{"an absolute path", "/etc/passwd", "", "not a path inside the desk root"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := r.ReadFile(tc.path, MaxTicketSize, "a ticket file")
			_, serr := r.Stat(tc.path)
			if strings.Contains(string(data), "OUTSIDE") {
				t.Fatalf("read the file outside: %q", data)
			}
			var link *SymlinkError
			switch {
			case tc.link != "":
				for _, err := range []error{err, serr} {
					if !errors.As(err, &link) || link.Link != tc.link || link.Path != tc.path {
						t.Fatalf("err = %v, want a SymlinkError naming %s", err, tc.link)
					}
				}
				if msg := err.Error(); tc.link != tc.path && !strings.HasPrefix(msg, tc.link+" is a symbolic link") ||
					tc.link == tc.path && !strings.HasPrefix(msg, "is a symbolic link") {
					t.Errorf("message %q", msg)
				}
			case tc.errText == "":
				if err != nil || serr != nil || len(data) == 0 {
					t.Fatalf("ReadFile: %v; Stat: %v", err, serr)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("err = %v, want %q", err, tc.errText)
				}
				if tc.errText == "no such file" && (!errors.Is(err, fs.ErrNotExist) || !errors.Is(serr, fs.ErrNotExist)) {
					t.Errorf("a missing file is not fs.ErrNotExist: %v, %v", err, serr)
				}
			}
		})
	}
	big := make([]byte, 2<<20)
	os.WriteFile(r.Abs("kb/big.md"), big, 0o644)
	if _, err := r.ReadFile("kb/big.md", 1<<20, "an article"); err == nil || err.Error() != "file is 2 MB; an article may be at most 1 MB" {
		t.Errorf("too large: %v", err)
	}
}

// TestRecordsReportSymlinks: the record walk lists a symlink in place of a
// ticket file, a month or a year folder as a broken record naming it, and
// nothing below it; TicketFiles marks them.
func TestRecordsReportSymlinks(t *testing.T) {
	r := newTestRepo(t)
	out, _ := outside(t)
	writeTicket(t, r, "TS-20261122-1", "inside")
	symlink(t, filepath.Join(out, "secret.md"), r.Abs("tickets/2026/11/TS-20261122-2.md"))
	symlink(t, out, r.Abs("tickets/2026/12"))
	symlink(t, out, r.Abs("tickets/2025"))
	os.WriteFile(filepath.Join(out, "TS-20251101-1.md"), []byte("+++\nid = \"TS-20251101-1\"\ntitle = \"OUTSIDE\"\n+++\n"), 0o644)
	for round := range 2 { // parsed, then from the cache
		recs, err := r.Records(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, rec := range recs {
			if strings.Contains(rec.Ticket.Title, "OUTSIDE") {
				t.Fatalf("round %d: read the outside: %+v", round, rec)
			}
			s := rec.Path
			if rec.Err != nil {
				s += ": " + rec.Err.Msg
			}
			got = append(got, s)
		}
		want := []string{
			"tickets/2025: is a symbolic link; desk reads nothing through a symlink, which could lead outside the repository: replace the link with what it points to",
			"tickets/2026/11/TS-20261122-1.md",
			"tickets/2026/11/TS-20261122-2.md: is a symbolic link; desk reads nothing through a symlink, which could lead outside the repository: replace the link with what it points to",
			"tickets/2026/12: is a symbolic link; desk reads nothing through a symlink, which could lead outside the repository: replace the link with what it points to",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("round %d: records\n%s\nwant\n%s", round, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	files, err := r.TicketFiles()
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, f := range files {
		if f.Link {
			links = append(links, f.Path)
		}
	}
	if strings.Join(links, " ") != "tickets/2025 tickets/2026/11/TS-20261122-2.md tickets/2026/12" {
		t.Errorf("links = %v", links)
	}

	// tickets itself a symlink: one record, for it.
	os.RemoveAll(r.Abs("tickets"))
	symlink(t, out, r.Abs("tickets"))
	recs, err := r.Records(context.Background())
	if err != nil || len(recs) != 1 || recs[0].Path != "tickets" || recs[0].Err == nil {
		t.Fatalf("symlinked tickets: %v %+v", err, recs)
	}
	if _, err := r.ReadTicket("tickets/2025/11/TS-20251101-1.md"); err == nil || !strings.Contains(err.Error(), "tickets is a symbolic link") {
		t.Errorf("ReadTicket through a symlinked tickets folder: %v", err)
	}
}

// BenchmarkReadTicketFile: the cost of refusing symlinks per file read, the
// record cache's cold path, against reads that follow them.
func BenchmarkReadTicketFile(b *testing.B) {
	dir := b.TempDir()
	r := &Repo{Root: dir}
	p := "tickets/2026/11/TS-20261122-1.md"
	os.MkdirAll(filepath.Dir(r.Abs(p)), 0o777)
	os.WriteFile(r.Abs(p), make([]byte, 2048), 0o644)
	b.Run("ReadFile", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.ReadFile(p, MaxTicketSize, "a ticket file"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReadFile-folder-at-a-time", func(b *testing.B) {
		noOpenat2.Store(true)
		defer noOpenat2.Store(false)
		for b.Loop() {
			if _, err := r.ReadFile(p, MaxTicketSize, "a ticket file"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("os.ReadFile-follows", func(b *testing.B) {
		for b.Loop() {
			if _, err := os.ReadFile(r.Abs(p)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("os.Root-follows-inside", func(b *testing.B) {
		root, err := os.OpenRoot(dir)
		if err != nil {
			b.Fatal(err)
		}
		defer root.Close()
		for b.Loop() {
			if _, err := root.ReadFile(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
