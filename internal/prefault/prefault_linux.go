package prefault

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

func write(b []byte) {
	page := uintptr(os.Getpagesize())
	if uintptr(len(b)) < 2*page {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	skip := (page - start%page) % page // madvise takes whole pages
	n := (uintptr(len(b)) - skip) / page * page
	_ = unix.Madvise(b[skip:skip+n], unix.MADV_POPULATE_WRITE) // an older kernel says EINVAL: the pages fault in as they are written
}
