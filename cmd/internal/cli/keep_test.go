package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskhq/desk/repo"
)

func TestKeepSaves(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	refused := &repo.RefusedError{ID: "TS-20261122-1", Msg: "the ticket changed while you edited it"}
	err := (&app{}).keep([]byte("my edit\n"), refused)
	if !errors.Is(err, refused) {
		t.Fatalf("keep lost the refusal: %v", err)
	}
	_, name, ok := strings.Cut(err.Error(), "(your version is saved in ")
	if !ok {
		t.Fatalf("keep does not say where the edit is: %v", err)
	}
	data, rerr := os.ReadFile(strings.TrimSuffix(name, ")"))
	if rerr != nil || string(data) != "my edit\n" {
		t.Fatalf("the saved edit is %q, %v", data, rerr)
	}
}

// TestKeepCannotSave: when the edit cannot be saved, the error says so
// rather than pointing at a file that does not hold it.
func TestKeepCannotSave(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	refused := &repo.RefusedError{ID: "TS-20261122-1", Msg: "the ticket changed while you edited it"}
	err := (&app{}).keep([]byte("my edit\n"), refused)
	if !errors.Is(err, refused) {
		t.Fatalf("keep lost the refusal: %v", err)
	}
	if msg := err.Error(); strings.Contains(msg, "saved in") || !strings.Contains(msg, "your version could not be saved: ") {
		t.Fatalf("keep's message: %s", msg)
	}
}
