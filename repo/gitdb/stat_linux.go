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
		ctimeSec: uint32(st.Ctim.Sec), ctimeNsec: uint32(st.Ctim.Nsec),
		mtimeSec: uint32(st.Mtim.Sec), mtimeNsec: uint32(st.Mtim.Nsec),
		dev: uint64(st.Dev), ino: st.Ino, uid: st.Uid, gid: st.Gid,
		size: uint32(st.Size),
	}
}
