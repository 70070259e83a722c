package gitdb

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestSHA256Refused: a SHA-256 repository is refused at Open, naming the
// setting and the file.
func TestSHA256Refused(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	git(t, dir, "init", "-q", "--object-format=sha256", "-b", "main")
	writeFile(t, filepath.Join(dir, "a.txt"), "a\n")
	git(t, dir, "add", "a.txt")
	git(t, dir, "commit", "-q", "-m", "a")
	before := snapshot(t, dir)
	_, err = Open(dir)
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Open = %v, want ErrUnsupported", err)
	}
	for _, want := range []string{"extensions.objectFormat = sha256", filepath.Join(dir, ".git", "config"), "SHA-1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	if snapshot(t, dir) != before {
		t.Error("Open changed the repository")
	}
}

// TestUnknownExtensionRefused: in format version 1 git refuses an extension
// it does not know, and so does Open; in version 0 both ignore it.
func TestUnknownExtensionRefused(t *testing.T) {
	dir := newGitRepo(t)
	git(t, dir, "config", "extensions.somethingNew", "true")
	if _, err := Open(dir); err != nil {
		t.Errorf("format 0: Open = %v", err)
	}
	git(t, dir, "config", "core.repositoryFormatVersion", "1")
	if _, err := gitRun(dir, "status"); err == nil {
		t.Fatal("git accepts an unknown extension in format 1; the test assumes it does not")
	}
	if _, err := Open(dir); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "extensions.somethingnew") {
		t.Errorf("format 1: Open = %v", err)
	}
}
