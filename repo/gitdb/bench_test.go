package gitdb

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// BenchmarkUpdate100k times one Update (one new file) in a repository of
// 100,000 tracked files, and the same with `git add f && git commit`.
// Enable with DESK_BENCH_LARGE=1 (the setup takes a while).
func BenchmarkUpdate100k(b *testing.B) {
	if os.Getenv("DESK_BENCH_LARGE") != "1" {
		b.Skip("set DESK_BENCH_LARGE=1")
	}
	// The benchmark function runs more than once (b.N = 1, then more): build
	// the repository only once per test binary.
	if benchDir == "" {
		const files = 100_000
		d, err := os.MkdirTemp("", "gitdb-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
		start := time.Now()
		git(b, d, "init", "-q", "-b", "main")
		fastImport(b, d, files)
		git(b, d, "reset", "-q", "--hard")
		git(b, d, "status", "--porcelain") // refresh stat data like a user's repo
		fi, _ := os.Stat(d + "/.git/index")
		fmt.Printf("setup: %d files in %v, index %d bytes", files, time.Since(start).Round(time.Millisecond), fi.Size())
		fmt.Println()
	}
	dir := benchDir

	// Cold: a fresh process's first Update (pack index loading included).
	r := open(b, dir)
	t0 := time.Now()
	put(b, r, "cold", map[string]string{fmt.Sprintf("tickets/new/cold-%d.md", b.N): "cold\n"})
	cold := time.Since(t0)

	steps := map[string]time.Duration{}
	traceStep = func(s string, d time.Duration) { steps[s] += d }
	defer func() { traceStep = nil }()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
			tx.Put(fmt.Sprintf("tickets/%03d/new-%d-%d.md", i%1000, b.N, i), []byte("new\n"))
			return "bench", nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu := (cpuTime() - cpu0) / time.Duration(b.N)
	for _, s := range []string{"objects", "worktree", "index build", "index write+fsync", "ref+install"} {
		fmt.Printf("  N=%d step %-18s %v/op\n", b.N, s, (steps[s] / time.Duration(b.N)).Round(10*time.Microsecond))
	}

	var gitTotal, gitCPU time.Duration
	const gitRuns = 5
	for i := range gitRuns {
		writeFile(b, fmt.Sprintf("%s/tickets/%03d/git-%d-%d.md", dir, i, b.N, i), "git\n")
		t := time.Now()
		cmd := exec.Command("sh", "-c", fmt.Sprintf("git add tickets/%03d/git-%d-%d.md && git commit -q -m x", i, b.N, i))
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		gitTotal += time.Since(t)
		gitCPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	checkConsistent(b, dir)
	fmt.Printf("N=%d desk Update: cold (first in process) %v; warm %v/op (CPU %v/op) | git add && git commit: %v/op (CPU of the shell's children %v/op)",
		b.N, cold.Round(10*time.Microsecond), (b.Elapsed() / time.Duration(b.N)).Round(10*time.Microsecond),
		cpu.Round(10*time.Microsecond),
		(gitTotal / gitRuns).Round(10*time.Microsecond), (gitCPU / gitRuns).Round(10*time.Microsecond))
	fmt.Println()
}

// cpuTime is this process's CPU time so far: on a loaded machine it says
// more about the cost of an Update than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchDir is the 100k-file repository, removed by TestMain.
var benchDir string

// fastImport commits n small files in 1000 folders with git fast-import.
func fastImport(b *testing.B, dir string, n int) {
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(in, 1<<20)
	for i := range n {
		data := fmt.Sprintf("+++\nid = \"T-%06d\"\ntitle = \"ticket %d\"\n+++\nbody\n", i, i)
		fmt.Fprintf(w, "blob\nmark :%d\ndata %d\n%s\n", i+1, len(data), data)
	}
	msg := "100k tickets"
	fmt.Fprintf(w, "commit refs/heads/main\ncommitter %s <%s> 1700000000 +0000\ndata %d\n%s\n", testName, testEmail, len(msg), msg)
	for i := range n {
		fmt.Fprintf(w, "M 100644 :%d tickets/%03d/T-%06d.md\n", i+1, i%1000, i)
	}
	w.WriteString("\n")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatal(err)
	}
}
