package browsertest

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// setProcAttr puts the browser in a process group of its own, so that Close
// can kill its helpers too, and has the kernel kill it if the test binary dies
// first (a timed-out go test must not leave a browser running).
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killTree kills the browser, its process group, every descendant found in
// /proc, and every process whose environment holds mark (a helper may leave
// the group and be adopted by init), and returns the ids it killed. exited
// tells whether the browser has been reaped, when its pid may be another
// process's: its descendants are then not looked for.
func killTree(p *os.Process, exited bool, mark string) []int {
	var pids []int
	if !exited {
		pids = descendants(p.Pid)
	}
	pids = append(pids, members(p.Pid)...)
	pids = append(pids, marked(mark)...)
	killGroup(p.Pid)
	p.Kill()
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	return pids
}

// killGroup kills the process group the browser leads.
func killGroup(pgid int) {
	syscall.Kill(-pgid, syscall.SIGKILL)
}

// awaitDeath waits until none of pids is running (a zombie is dead; its
// parent, or init, reaps it), for at most timeout.
func awaitDeath(pids []int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for _, pid := range pids {
		for time.Now().Before(deadline) {
			f, ok := stat(pid)
			if !ok || f[0] == "Z" || f[0] == "X" {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// members lists the processes in a process group, read from /proc. While
// the group has a member its id cannot be reused, so these are ours.
func members(pgid int) []int {
	var out []int
	for _, pid := range pids() {
		if f, ok := stat(pid); ok && f[2] == strconv.Itoa(pgid) {
			out = append(out, pid)
		}
	}
	return out
}

// marked lists the processes whose environment holds mark, a NAME=value
// line. Those of other users cannot be read, and are not ours.
func marked(mark string) []int {
	var out []int
	for _, pid := range pids() {
		env, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
		if err != nil {
			continue
		}
		for v := range bytes.SplitSeq(env, []byte{0}) {
			if string(v) == mark {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// descendants lists the processes below pid, read from /proc.
func descendants(pid int) []int {
	children := map[int][]int{}
	for _, id := range pids() {
		if f, ok := stat(id); ok {
			if ppid, err := strconv.Atoi(f[1]); err == nil {
				children[ppid] = append(children[ppid], id)
			}
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, c := range children[next] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// pids lists the processes in /proc.
func pids() []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		if id, err := strconv.Atoi(e.Name()); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// stat returns the fields of /proc/pid/stat after the command name: state,
// ppid, pgrp, ...
func stat(pid int) ([]string, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, false
	}
	// The command name, in parentheses, may hold spaces and parentheses.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, false
	}
	f := strings.Fields(s[i+1:])
	return f, len(f) >= 3
}
