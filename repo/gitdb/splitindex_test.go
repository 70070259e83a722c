package gitdb

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSplitIndexRefused: with core.splitIndex, an Update is refused before
// anything is written, and the advice it gives, followed, lasts.
func TestSplitIndexRefused(t *testing.T) {
	for _, viaConfig := range []bool{true, false} {
		name := "core.splitIndex"
		if !viaConfig {
			name = "update-index --split-index"
		}
		t.Run(name, func(t *testing.T) {
			dir := newGitRepo(t)
			r := open(t, dir)
			put(t, r, "a", map[string]string{"a.txt": "a\n"}) // .git/desk exists from now on
			if viaConfig {
				git(t, dir, "config", "core.splitIndex", "true")
				// git splits the index the next time it writes it.
				writeFile(t, filepath.Join(dir, "x.txt"), "x\n")
				git(t, dir, "add", "x.txt")
				git(t, dir, "commit", "-q", "-m", "x")
			} else {
				git(t, dir, "update-index", "--split-index")
			}
			data, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
			if !slices.Contains(indexExtensions(data), "link") {
				t.Fatalf("the index is not split: %v", indexExtensions(data))
			}
			before, objects := snapshot(t, dir), countObjects(t, dir)
			_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
				tx.Put("b.txt", []byte("b\n"))
				return "b", nil
			})
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Update = %v, want ErrUnsupported", err)
			}
			msg := err.Error()
			for _, want := range []string{"git config core.splitIndex false", "git update-index --no-split-index"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q: %s", want, msg)
				}
			}
			where := filepath.Join(dir, ".git", "index")
			if viaConfig {
				where = filepath.Join(dir, ".git", "config")
			}
			if !strings.Contains(msg, where) {
				t.Errorf("message does not name %s: %s", where, msg)
			}
			if after := snapshot(t, dir); after != before {
				t.Error("the refused Update changed the repository")
			}
			if got := countObjects(t, dir); got != objects {
				t.Errorf("objects written before the refusal:\n%s\n---\n%s", objects, got)
			}

			// Follow the advice exactly as printed.
			advice := msg[strings.Index(msg, "`")+1:]
			advice = advice[:strings.Index(advice, "`")]
			sh := exec.Command("sh", "-c", advice)
			sh.Dir = dir
			if out, err := sh.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", advice, err, out)
			}
			put(t, r, "b", map[string]string{"b.txt": "b\n"})
			checkConsistent(t, dir)
			// git's own commands keep the index whole, so desk keeps working.
			writeFile(t, filepath.Join(dir, "c.txt"), "c\n")
			git(t, dir, "add", "c.txt")
			git(t, dir, "commit", "-q", "-m", "c")
			data, _ = os.ReadFile(filepath.Join(dir, ".git", "index"))
			if slices.Contains(indexExtensions(data), "link") {
				t.Fatal("git split the index again after the advice was followed")
			}
			put(t, r, "d", map[string]string{"d.txt": "d\n"})
			checkConsistent(t, dir)
		})
	}
}
