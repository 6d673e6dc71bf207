//go:build linux

package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The big files (issue 16, goal 6): 1,000 and 10,000 synthetic assessments
// of 20 answers on the default catalog, about 50 MB and 450 MB. They are
// written by bench/fixture in a process of its own, so that this one's
// peak memory stays small: a child's peak resident set, as the kernel
// reports it, is at least its parent's (see childPeak). The 10,000 take
// about two and a half minutes to write on a loaded 2-core machine, once
// per `go test` process.
var (
	bigMu    sync.Mutex
	bigFiles = map[int]string{}
)

func bigFile(tb testing.TB, n int) string {
	tb.Helper()
	bigMu.Lock()
	defer bigMu.Unlock()
	if path, ok := bigFiles[n]; ok {
		return path
	}
	fixture := filepath.Join(tempDir(tb), "fixture")
	if _, err := os.Stat(fixture); err != nil {
		cmd := exec.Command("go", "build", "-o", fixture, "github.com/onus-gxp/onus/bench/fixture")
		if msg, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("go build bench/fixture: %v\n%s", err, msg)
		}
	}
	path := filepath.Join(tempDir(tb), fmt.Sprintf("big-n%d.db", n))
	if msg, err := exec.Command(fixture, "-db", path, "-n", fmt.Sprint(n), "-answers", "20").CombinedOutput(); err != nil {
		tb.Fatalf("bench/fixture -n %d: %v\n%s", n, err, msg)
	}
	bigFiles[n] = path
	return path
}

// childPeak runs bin with args on db and returns how long it took and its
// peak resident set in bytes. Linux reports a child's peak as at least its
// parent's (Go starts it sharing the parent's memory until exec), so the
// value is an upper bound; it is the child's own when above selfPeak.
func childPeak(tb testing.TB, bin, db string, args ...string) (time.Duration, int64) {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv(db, "")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		tb.Fatalf("onus %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return took, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
}

// selfPeak is this process's peak resident set in bytes (VmHWM).
func selfPeak(tb testing.TB) int64 {
	return readMemory(os.Getpid()).peak << 10
}

// keepBackupFresh makes db's newest backup look just written, so that no
// rolling backup is due when a command closes the file: its cost is goal
// 5's (a save with a backup due), not this one's.
func keepBackupFresh(tb testing.TB, db string) {
	tb.Helper()
	backups, _ := filepath.Glob(db + ".backups/onus-*.db")
	if len(backups) == 0 {
		tb.Fatalf("no backup beside %s", db)
	}
	now := time.Now()
	for _, b := range backups {
		if err := os.Chtimes(b, now, now); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkAnswerFileSize alternates `onus answer` on one assessment of
// the 50 MB file and of the 450 MB one, exec to exit: the command checks
// the pages it reads, not the whole file, so its cost should not grow with
// the file (goal: 1.5x).
func BenchmarkAnswerFileSize(b *testing.B) {
	onusBin, _ := binaries(b)
	small, big := bigFile(b, 1000), bigFile(b, 10000)
	sizes := map[string]int64{small: fileSize(b, small), big: fileSize(b, big)}
	times := map[string][]time.Duration{}
	statuses := []string{"planned", "implemented"}
	i := 0
	for b.Loop() {
		for _, db := range []string{small, big} {
			keepBackupFresh(b, db)
			took, _ := childPeak(b, onusBin, db, "answer", "synth00000000500", "GOV-01", "--status", statuses[i%2])
			times[db] = append(times[db], took)
		}
		i++
	}
	b.ReportMetric(ms(median(times[small])), "small-ms")
	b.ReportMetric(ms(median(times[big])), "big-ms")
	b.ReportMetric(float64(median(times[big]))/float64(median(times[small])), "big/small")
	b.ReportMetric(float64(sizes[small])/1e6, "small-MB")
	b.ReportMetric(float64(sizes[big])/1e6, "big-MB")
}

// BenchmarkListMemory runs `onus list --json` on the 10,000 assessments of
// the 450 MB file and reports its peak resident set (goal: under 100 MiB),
// with this process's own peak, below which the value would say nothing.
func BenchmarkListMemory(b *testing.B) {
	onusBin, _ := binaries(b)
	big := bigFile(b, 10000)
	var peaks []int64
	for b.Loop() {
		_, peak := childPeak(b, onusBin, big, "list", "--json")
		peaks = append(peaks, peak)
	}
	self := selfPeak(b)
	if median(peaks) <= self {
		b.Fatalf("onus list's peak (%d bytes) is not above this process's own (%d): it cannot be told apart", median(peaks), self)
	}
	b.ReportMetric(float64(median(peaks))/(1<<20), "list-peak-MiB")
	b.ReportMetric(float64(self)/(1<<20), "bench-peak-MiB")
}
