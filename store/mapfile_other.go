//go:build !unix

package store

import (
	"io"
	"os"
)

// mapFile reads the first size bytes of f into memory where there is no
// syscall.Mmap.
func mapFile(f *os.File, size int) (data []byte, unmap func(), err error) {
	data = make([]byte, size)
	if _, err := f.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, nil, err
	}
	return data, func() {}, nil
}

const nonBlock = 0

const noFollow = 0

// mapAhead is 0 (bbolt's own sizing) where bbolt makes the file as large
// as its map (Windows): a map sized ahead would leave the file that large.
func mapAhead(size int64) int { return 0 }
