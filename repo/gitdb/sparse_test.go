package gitdb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sparseRepo is a monorepo with a desk root at support/, checked out
// sparsely with only support/kb in the cone: support/desk.toml is there (a
// cone keeps the files of its parent folders), support/tickets and src are
// not.
func sparseRepo(t *testing.T, sparseIndex bool) string {
	dir := newGitRepo(t)
	for p, d := range map[string]string{
		"src/app/main.go":             "package main\n",
		"src/lib/lib.go":              "package lib\n",
		"support/desk.toml":           "[desk]\n",
		"support/kb/a.md":             "a\n",
		"support/tickets/2026/T-1.md": "one\n",
		"support/tickets/2025/T-0.md": "zero\n",
	} {
		writeFile(t, filepath.Join(dir, p), d)
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "monorepo")
	args := []string{"sparse-checkout", "set"}
	if sparseIndex {
		args = append(args, "--sparse-index")
	}
	git(t, dir, append(args, "support/kb")...)
	if exists(filepath.Join(dir, "support/tickets/2026/T-1.md")) || !exists(filepath.Join(dir, "support/desk.toml")) {
		t.Fatal("sparse checkout not as the test expects")
	}
	return dir
}

// configValue is key's value in the config desk reads for r.
func configValue(t *testing.T, r *Repo, key string) string {
	t.Helper()
	cfg, err := r.config()
	if err != nil {
		t.Fatal(err)
	}
	v, _ := cfg.get(key)
	return v
}

// lsFilesV maps each path to git's one-letter tag: H tracked, S skip-worktree.
func lsFilesV(t *testing.T, dir string, args ...string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(git(t, dir, append([]string{"ls-files", "-v"}, args...)...), "\n") {
		if tag, p, ok := strings.Cut(l, " "); ok {
			m[p] = tag
		}
	}
	return m
}

// TestSparseCheckout: `git sparse-checkout set` turns on
// extensions.worktreeConfig; desk opens the repository, reads
// config.worktree, and writes a path outside the cone as `git add --sparse`
// and `git commit` do: the file is in the work tree, its index entry is an
// ordinary one, git status is clean, and `git sparse-checkout reapply` then
// prunes it like any other file outside the cone.
func TestSparseCheckout(t *testing.T) {
	for _, sparseIndex := range []bool{false, true} {
		name := "cone"
		if sparseIndex {
			name = "sparse index"
		}
		t.Run(name, func(t *testing.T) {
			dir := sparseRepo(t, sparseIndex)
			r := open(t, dir)
			if v := configValue(t, r, "core.sparsecheckout"); v != "true" {
				t.Errorf("core.sparseCheckout from config.worktree = %q", v)
			}
			put(t, r, "in and out of the cone", map[string]string{
				"support/kb/b.md":             "b\n",          // inside the cone
				"support/tickets/2026/T-2.md": "two\n",        // new, outside
				"support/tickets/2026/T-1.md": "one, again\n", // skip-worktree, outside
			})
			checkConsistent(t, dir)
			for _, p := range []string{"support/kb/b.md", "support/tickets/2026/T-2.md", "support/tickets/2026/T-1.md"} {
				if !exists(filepath.Join(dir, p)) {
					t.Errorf("%s not written to the work tree", p)
				}
			}
			tags := lsFilesV(t, dir)
			for p, want := range map[string]string{
				"support/tickets/2026/T-2.md": "H", "support/tickets/2026/T-1.md": "H",
				"support/tickets/2025/T-0.md": "S", "src/app/main.go": "S", "support/kb/b.md": "H",
			} {
				if tags[p] != want {
					t.Errorf("git ls-files -v: %s is %q, want %q", p, tags[p], want)
				}
			}
			if sparseIndex {
				// Only the folders on the way were expanded.
				sparse := lsFilesV(t, dir, "--sparse")
				if sparse["src/"] != "S" || sparse["support/tickets/2025/"] != "S" {
					t.Errorf("sparse index expanded more than needed: %v", sparse)
				}
				data, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
				if !slices.Contains(indexExtensions(data), "sdir") {
					t.Error("the index is no longer a sparse index")
				}
			}

			// git sparse-checkout keeps working: reapply prunes what desk
			// wrote outside the cone, add brings it back.
			git(t, dir, "sparse-checkout", "reapply")
			if exists(filepath.Join(dir, "support/tickets/2026/T-2.md")) {
				t.Error("reapply left the file outside the cone")
			}
			if tag := lsFilesV(t, dir)["support/tickets/2026/T-2.md"]; tag != "S" {
				t.Errorf("after reapply T-2.md is %q, want S", tag)
			}
			checkConsistent(t, dir)
			put(t, r, "after reapply", map[string]string{"support/tickets/2026/T-3.md": "three\n"})
			checkConsistent(t, dir)
			git(t, dir, "sparse-checkout", "add", "support/tickets")
			if data, _ := os.ReadFile(filepath.Join(dir, "support/tickets/2026/T-1.md")); string(data) != "one, again\n" {
				t.Errorf("after sparse-checkout add: T-1.md = %q", data)
			}
			checkConsistent(t, dir)
		})
	}
}

// TestWorktreeConfigOrder: config.worktree comes after the repository's
// config, and only the repository's own config turns the extension on.
func TestWorktreeConfigOrder(t *testing.T) {
	dir := newGitRepo(t)
	git(t, dir, "config", "extensions.worktreeConfig", "true")
	git(t, dir, "config", "user.signingkey", "common")
	git(t, dir, "config", "--worktree", "user.signingkey", "worktree")
	r := open(t, dir)
	if v := configValue(t, r, "user.signingkey"); v != "worktree" {
		t.Errorf("user.signingkey = %q, want the config.worktree value", v)
	}
	if got := git(t, dir, "config", "user.signingkey"); got != "worktree" {
		t.Errorf("git itself says %q", got)
	}

	// Turned on in the global config instead: git ignores it there.
	git(t, dir, "config", "--unset", "extensions.worktreeConfig")
	git(t, dir, "config", "--global", "extensions.worktreeConfig", "true")
	defer git(t, dir, "config", "--global", "--unset", "extensions.worktreeConfig")
	if v := configValue(t, r, "user.signingkey"); v != git(t, dir, "config", "user.signingkey") {
		t.Errorf("user.signingkey = %q, git says %q", v, git(t, dir, "config", "user.signingkey"))
	}
}
