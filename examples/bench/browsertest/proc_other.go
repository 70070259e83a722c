//go:build !unix

package browsertest

import (
	"os"
	"os/exec"
	"time"
)

func setProcAttr(cmd *exec.Cmd) {}

// killTree kills the browser; its helpers exit when it does.
func killTree(p *os.Process, exited bool, mark string) []int {
	p.Kill()
	return nil
}

func awaitDeath(pids []int, timeout time.Duration) {}

func killGroup(pgid int) {}

func descendants(pid int) []int { return nil }

func stat(pid int) ([]string, bool) { return nil, false }

func marked(mark string) []int { return nil }
