// Package filetext gives a file's text as a string made of the file's own
// pages in the page cache, mapped into the program, instead of a copy of
// them in new memory.
//
// On the virtual machines Onus is measured on, a page of new memory costs
// about 15 µs the first time it is written, a page already in the page
// cache about 2: reading the 10x catalog file (1.7 MB) into new memory
// took 4.6 to 5.8 ms of a start-up that had about 16 (docs/PERFORMANCE.md).
//
// A string must never change, and a mapped file changes when someone
// writes it in place (an editor may) or is cut short (reading the lost
// part stops the program). So a file is mapped only under a read lease:
// while the program holds it, no one can open the file for writing. When
// someone tries, the kernel holds their open back and tells the program,
// which first copies the text into memory of its own, at the same
// address, so that every string cut from it stays as it was, and then
// lets the lease go. It does the same a second after mapping the file,
// past the start-up the mapping is for, so that a program running for
// long no longer depends on the file. Where a lease cannot be had (not
// the file's owner, a file open for writing already, a file system
// without leases or one whose files may change other than through this
// kernel, a program in the background of its terminal, which stops it,
// a system other than Linux), Map says so and the caller reads the file
// as before.
package filetext

import (
	"errors"
	"os"
)

// ErrNotMapped is Map's answer for a file it leaves to be read: not a
// regular file, empty or larger than the limit, no lease to be had, or
// no mapping on this system.
var ErrNotMapped = errors.New("file not mapped")

// Map returns the text of f, an open regular file no larger than limit,
// mapped from the page cache and held unchanged as described above; f
// may be closed afterwards. Any failure is ErrNotMapped (wrapping the
// cause, if any): the file is then to be read.
func Map(f *os.File, limit int64) (string, error) { return mapFile(f, limit) }
