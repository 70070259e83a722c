package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/deskhq/desk/cmd/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"desk": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

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
			return os.MkdirAll(env.WorkDir+"/home", 0o755)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"gitclean": gitClean,
		},
		RequireExplicitExec: true,
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
