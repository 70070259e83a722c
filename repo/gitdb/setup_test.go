package gitdb

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Repository setups that git handles, each on a repository made with the
// git CLI and judged by git afterwards.

// snapshot is what a refused Update must leave as it was: HEAD, the refs and
// their logs, the index bytes, the work tree and .git/desk. (Objects are
// counted apart: unreachable ones are harmless, and only some refusals
// promise none.)
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	gitDir := filepath.Join(dir, ".git")
	var b strings.Builder
	// -c safe.directory: a snapshot of a repository owned by another user too.
	b.WriteString("HEAD " + git(t, dir, "-c", "safe.directory=*", "rev-parse", "HEAD") + "\n")
	idx, _ := os.ReadFile(filepath.Join(gitDir, "index"))
	b.WriteString("index " + string(idx) + "\n")
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		inGit := rel == ".git" || strings.HasPrefix(rel, ".git/")
		if inGit && rel != ".git" && !strings.HasPrefix(rel, ".git/desk") && !strings.HasPrefix(rel, ".git/refs") && !strings.HasPrefix(rel, ".git/logs") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			data, _ := os.ReadFile(p)
			files = append(files, rel+" "+string(data))
		} else {
			files = append(files, rel+"/")
		}
		return nil
	})
	sort.Strings(files)
	b.WriteString(strings.Join(files, "\n"))
	return b.String()
}

func countObjects(t *testing.T, dir string) string {
	return git(t, dir, "count-objects", "-v")
}
