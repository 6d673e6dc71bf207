//go:build linux

package bench

import (
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPages measures what the start-up rows are mostly made of on a
// given machine: the first touch of a page of new memory (a heap, a
// stack, a file read into memory), by one thread and by two at once, and
// the first read of a page of a file already in the page cache (the
// binary's code, a mapped database), each in a fresh mapping of 16 MiB.
// It reports microseconds per page; docs/PERFORMANCE.md quotes it.
func BenchmarkPages(b *testing.B) {
	const size = 16 << 20
	pages := size / os.Getpagesize()
	file := filepath.Join(b.TempDir(), "cached")
	if err := os.WriteFile(file, make([]byte, size), 0o600); err != nil {
		b.Fatal(err)
	}
	anon := func() []byte {
		m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			b.Fatal(err)
		}
		return m
	}
	write := func(m []byte) {
		for i := 0; i < len(m); i += os.Getpagesize() {
			m[i] = 1
		}
	}
	var fresh, twoThreads, cached []time.Duration
	sum := 0
	for b.Loop() {
		m := anon()
		start := time.Now()
		write(m)
		fresh = append(fresh, time.Since(start)/time.Duration(pages))
		syscall.Munmap(m)

		m1, m2 := anon(), anon()
		var wg sync.WaitGroup
		start = time.Now()
		for _, m := range [][]byte{m1, m2} {
			wg.Go(func() { write(m) })
		}
		wg.Wait()
		twoThreads = append(twoThreads, time.Since(start)/time.Duration(2*pages))
		syscall.Munmap(m1)
		syscall.Munmap(m2)

		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		m, err = syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		for i := 0; i < len(m); i += os.Getpagesize() {
			sum += int(m[i])
		}
		cached = append(cached, time.Since(start)/time.Duration(pages))
		syscall.Munmap(m)
	}
	if sum != 0 {
		b.Fatal("the cached file is not zeros")
	}
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	b.ReportMetric(us(median(fresh)), "new-page-µs")
	b.ReportMetric(us(median(twoThreads)), "new-page-2-threads-µs")
	b.ReportMetric(us(median(cached)), "cached-file-page-µs")
}
