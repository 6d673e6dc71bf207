package prefault

import (
	"runtime"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

func minorFaults() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_THREAD, &ru)
	return ru.Minflt
}

// Written after Write, a buffer of new memory faults no page in.
func TestWriteMapsThePagesIn(t *testing.T) {
	if err := unix.Madvise(make([]byte, 1<<20)[:4096*16], unix.MADV_POPULATE_WRITE); err != nil {
		t.Skipf("the kernel cannot map pages in ahead (%v)", err)
	}
	runtime.LockOSThread() // the faults counted are this thread's
	defer runtime.UnlockOSThread()
	touch := func(b []byte) int64 {
		before := minorFaults()
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		return minorFaults() - before
	}
	const size = 8 << 20
	if n := touch(make([]byte, size)); n < size/4096/2 {
		t.Skipf("new memory was already mapped in (%d faults for %d pages)", n, size/4096)
	}
	b := make([]byte, size)
	Write(b)
	if n := touch(b); n > 8 {
		t.Fatalf("%d page faults writing %d pages after Write", n, size/4096)
	}
}
