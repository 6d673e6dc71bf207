//go:build unix

package store

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only, so checkPages reads
// page headers without a system call per page.
func mapFile(f *os.File, size int) (data []byte, unmap func(), err error) {
	if size == 0 {
		return nil, func() {}, nil
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { syscall.Munmap(data) }, nil
}

// nonBlock opens a FIFO without waiting for a writer, so that Onus can
// see what it is and refuse it.
const nonBlock = syscall.O_NONBLOCK

// noFollow creates a new file only where no symlink stands.
const noFollow = syscall.O_NOFOLLOW

// mapAhead is the size a bbolt file expected to grow to size is mapped
// at from its opening (bolt.Options.InitialMmapSize), so that it is not
// remapped as it grows. A map larger than the file only reserves address
// space here.
func mapAhead(size int64) int { return int(size) }
