//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package gitdb

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// pidAlive reports whether a process with this pid exists. EPERM means it
// exists but belongs to someone else; only ESRCH proves it is gone.
func pidAlive(pid int) bool {
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// tryFlock takes an exclusive flock without blocking; false if another
// process (or another open file in this one) holds it.
func tryFlock(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		}
		return false, fmt.Errorf("gitdb: flock %s: %w", f.Name(), err)
	}
}

// raise sends sig to this process again after our handler is gone, so the
// process ends (or the program's own handler runs) as if we had never
// caught it.
func raise(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		syscall.Kill(os.Getpid(), s)
	}
}
