//go:build !linux && !darwin

package gitdb

import "os"

func statOf(fi os.FileInfo) statData { return statFallback(fi) }
