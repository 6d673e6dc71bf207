// Package prefault maps a buffer's memory in before it is written.
package prefault

// Write asks the kernel to map in, writable, the memory of b that is not
// mapped yet, in one system call, before b is written: a page of new
// memory otherwise costs a page fault when it is first written, and on
// some virtual machines a fault costs more than the rest of what a page's
// first write does (docs/PERFORMANCE.md). It changes nothing b holds; where
// the kernel cannot do it (Linux before 5.14, other systems) it does
// nothing.
func Write(b []byte) { write(b) }
