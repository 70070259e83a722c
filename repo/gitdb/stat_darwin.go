package gitdb

import (
	"os"
	"syscall"
)

func statOf(fi os.FileInfo) statData {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return statFallback(fi)
	}
	return statData{
		ctimeSec: uint32(st.Ctimespec.Sec), ctimeNsec: uint32(st.Ctimespec.Nsec),
		mtimeSec: uint32(st.Mtimespec.Sec), mtimeNsec: uint32(st.Mtimespec.Nsec),
		dev: uint64(st.Dev), ino: st.Ino, uid: st.Uid, gid: st.Gid,
		size: uint32(st.Size),
	}
}
