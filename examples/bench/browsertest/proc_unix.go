//go:build unix && !linux

package browsertest

import (
	"os"
	"os/exec"
	"syscall"
	"time"
)

// setProcAttr puts the browser in a process group of its own, so that Close
// can kill its helpers too.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killTree kills the browser and its process group.
func killTree(p *os.Process, exited bool, mark string) []int {
	killGroup(p.Pid)
	p.Kill()
	return nil
}

func awaitDeath(pids []int, timeout time.Duration) {}

// killGroup kills the process group the browser leads.
func killGroup(pgid int) {
	syscall.Kill(-pgid, syscall.SIGKILL)
}

// descendants is not known without /proc.
func descendants(pid int) []int { return nil }

func stat(pid int) ([]string, bool) { return nil, false }

func marked(mark string) []int { return nil }
