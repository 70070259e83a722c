package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestVersion: desk version and desk --version print the version of the
// module desk was built from, "dev" for a test binary.
func TestVersion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"version"}, "desk dev\n"},
		{[]string{"--version"}, "desk version dev\n"},
	} {
		out, stderr := runDesk(t, plain, tc.args...)
		if out != tc.want || stderr != "" {
			t.Errorf("desk %s: %q, %q; want %q", tc.args, out, stderr, tc.want)
		}
	}
	wantExit(t, exitUsage, "version", "extra")
}

// TestOutputToPipe: --output naming a named pipe (as /dev/null or
// /dev/stdout are devices) writes into it and leaves it a pipe; renaming a
// file over it, as a regular output is replaced, would put a file in the
// device's place. A folder is a usage error.
func TestOutputToPipe(t *testing.T) {
	dir := exampleDesk(t)
	fifo := filepath.Join(t.TempDir(), "out.pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	got := make(chan []byte)
	go func() {
		data, _ := os.ReadFile(fifo)
		got <- data
	}()
	_, _, err := deskIn(t, "", plain, "-C", dir, "check", "--format", "json", "--fail-on", "never", "--output", fifo)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("%s is no longer a named pipe: %v %v", fifo, fi.Mode(), err)
	}
	if data := <-got; !strings.Contains(string(data), `"findings"`) {
		t.Errorf("the pipe got %q", data)
	}
	wantExit(t, exitUsage, "-C", dir, "check", "--output", t.TempDir())
}

// TestCompletion: desk completion writes each shell's script, which
// completes desk's commands (cobra's __complete answers them).
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		out, _ := runDesk(t, plain, "completion", sh)
		if !strings.Contains(out, "desk") || len(out) < 500 {
			t.Errorf("completion %s: %d bytes", sh, len(out))
		}
	}
	out, _ := runDesk(t, plain, "__complete", "ticket", "")
	for _, cmd := range []string{"new", "list", "reply", "link", "part"} {
		if !strings.Contains(out, cmd+"\t") {
			t.Errorf("ticket completes without %q:\n%s", cmd, out)
		}
	}
	wantExit(t, exitUsage, "completion", "tcsh")
}
