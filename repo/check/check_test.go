package check

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
)

// TestRules runs every case in testdata/rules. A case is a txtar archive:
//
//	-- args --      optional: now=TIME, base=true (check --base main from a branch),
//	                staged=true, paths=a,b
//	-- want --      the findings: path:line:col severity rule, one per line, sorted
//	-- desk.toml -- optional configuration (default: desk init's)
//	-- PATH --      files of the repository
//
// With base=true, files named base/PATH are committed on main first, then a
// branch "topic" commits head/PATH (content DELETE removes the file), and
// main/PATH files are committed on main after the branch point. Commits take
// the time commit_time=TIME when given.
func TestRules(t *testing.T) {
	files, _ := filepath.Glob("testdata/rules/*.txtar")
	if len(files) == 0 {
		t.Fatal("no cases in testdata/rules")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := runCase(t, ar)
			want := ""
			for i, f := range ar.Files {
				if f.Name == "want" {
					want = string(f.Data)
					if *update {
						ar.Files[i].Data = []byte(got)
						os.WriteFile(file, txtar.Format(ar), 0o644)
					}
				}
			}
			if got != want {
				t.Errorf("findings differ\n--- got\n%s--- want\n%s", got, want)
			}
		})
	}
}

func runGit(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func runCase(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	for k, v := range map[string]string{
		"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
		"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1",
	} {
		t.Setenv(k, v)
	}
	t.Setenv("HOME", t.TempDir())
	dir := t.TempDir()
	args := map[string]string{"now": "2026-11-22T10:00:00+08:00"}
	config := config.DefaultText("TS", "Asia/Shanghai", "en")
	for _, f := range ar.Files {
		switch f.Name {
		case "args":
			for _, field := range strings.Fields(string(f.Data)) {
				k, v, _ := strings.Cut(field, "=")
				args[k] = v
			}
		case "desk.toml":
			config = string(f.Data)
		}
	}
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if string(data) == "DELETE\n" {
			os.Remove(p)
			return
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	if ct := args["commit_time"]; ct != "" {
		env = []string{"GIT_COMMITTER_DATE=" + ct, "GIT_AUTHOR_DATE=" + ct}
	}
	runGit(t, dir, nil, "init", "-q", "-b", "main")
	write("desk.toml", []byte(config))
	phase := func(prefix string) {
		for _, f := range ar.Files {
			if name, ok := strings.CutPrefix(f.Name, prefix); ok {
				write(name, f.Data)
			}
		}
	}
	if args["base"] == "true" {
		phase("base/")
		runGit(t, dir, env, "add", "-A")
		runGit(t, dir, env, "commit", "-q", "-m", "base")
		runGit(t, dir, env, "checkout", "-q", "-b", "topic")
		phase("head/")
		runGit(t, dir, env, "add", "-A")
		runGit(t, dir, env, "commit", "-q", "-m", "head", "--allow-empty")
		runGit(t, dir, env, "checkout", "-q", "main")
		phase("main/")
		runGit(t, dir, env, "add", "-A")
		runGit(t, dir, env, "commit", "-q", "-m", "main", "--allow-empty")
		runGit(t, dir, env, "checkout", "-q", "topic")
	} else {
		for _, f := range ar.Files {
			if f.Name != "args" && f.Name != "want" && f.Name != "desk.toml" {
				write(f.Name, f.Data)
			}
		}
		if args["staged"] == "true" {
			runGit(t, dir, nil, "add", "-A")
		}
	}
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.RFC3339, args["now"])
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Now: now, Staged: args["staged"] == "true"}
	if args["base"] == "true" {
		opts.Base = "main"
	}
	if p := args["paths"]; p != "" {
		opts.Paths = strings.Split(p, ",")
	}
	res, err := Run(context.Background(), r, opts)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	checkRegistered(t, res.Findings)
	var lines []string
	for _, f := range res.Findings {
		lines = append(lines, fmt.Sprintf("%s:%d:%d %s %s", f.Path, f.Line, f.Column, f.Severity, f.Rule))
		if strings.TrimSpace(f.Message) == "" {
			t.Errorf("finding without a message: %+v", f)
		}
	}
	slices.Sort(lines)
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
