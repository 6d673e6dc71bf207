//go:build linux

package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/store"
)

// The exports' hard cases, run as a user runs them: the real binary,
// `onus export ID --format F -o FILE`, from exec to exit.
//
// Peak memory is the child's peak resident set (ru_maxrss), which counts
// the pages of the database it maps. A child inherits, in ru_maxrss, the
// peak of the process it was started from (Go starts it with vfork), so
// each export is started by a small helper process (this test binary
// again, TestExportHelper) rather than by the benchmark, whose fixtures
// run to hundreds of MiB. The helper also samples the child's private
// (anonymous) memory every 5 ms: the memory onus itself holds, which the
// resident set's mapped file pages hide.

// exportFixture is a database holding one assessment, and the catalog.
type exportFixture struct{ db, catalog, id string }

var (
	exportMu       sync.Mutex
	exportFixtures = map[string]exportFixture{}
)

// answeredDatabase writes, once per process, a database holding one
// assessment of services services on a catalog factor times the default,
// every applicable control answered, its trail entries long.
func answeredDatabase(tb testing.TB, factor, services, entries int) exportFixture {
	tb.Helper()
	exportMu.Lock()
	defer exportMu.Unlock()
	key := fmt.Sprintf("x%d-s%d-e%d", factor, services, entries)
	if f, ok := exportFixtures[key]; ok {
		return f
	}
	raw, cat, err := Catalog(factor)
	if err != nil {
		tb.Fatal(err)
	}
	f := exportFixture{db: filepath.Join(tempDir(tb), key+".db"), catalog: filepath.Join(tempDir(tb), key+".json"), id: fmt.Sprintf("answered%07d", len(exportFixtures)+1)}
	if err := os.WriteFile(f.catalog, raw, 0o600); err != nil {
		tb.Fatal(err)
	}
	b, err := synth.Answered(cat, f.id, services, entries, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(f.db, store.Options{Actor: "bench", Progress: cat.Progress})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Import(b); err != nil {
		db.Close()
		tb.Fatal(err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	exportFixtures[key] = f
	return f
}

// exportRun is what the helper measured of one export.
type exportRun struct {
	Elapsed    time.Duration
	PeakKiB    int64 // ru_maxrss
	PrivateKiB int64 // the largest RssAnon sampled
	Bytes      int64 // the file written
	Output     string
}

// measureExport runs onus export through the helper.
func measureExport(tb testing.TB, bin string, f exportFixture, format string) exportRun {
	tb.Helper()
	out := filepath.Join(tempDir(tb), "export-"+format)
	os.Remove(out)
	args, _ := json.Marshal([]string{bin, "export", f.id, "--format", format, "-o", out})
	cmd := exec.Command(os.Args[0], "-test.run=^TestExportHelper$")
	cmd.Env = append(childEnv(f.db, f.catalog), "ONUS_BENCH_EXPORT="+string(args))
	raw, err := cmd.Output()
	if err != nil {
		tb.Fatalf("export --format %s: %v\n%s", format, err, raw)
	}
	var r exportRun
	line := raw[:0]
	for l := range strings.Lines(string(raw)) {
		if s, ok := strings.CutPrefix(l, "export-run "); ok {
			line = []byte(s)
		}
	}
	if err := json.Unmarshal(line, &r); err != nil {
		tb.Fatalf("export --format %s: the helper said %q", format, raw)
	}
	if info, err := os.Stat(out); err != nil {
		tb.Fatalf("export --format %s wrote no file: %s", format, r.Output)
	} else {
		r.Bytes = info.Size()
	}
	os.Remove(out)
	return r
}

// TestExportHelper is the helper process of measureExport: it runs the
// command ONUS_BENCH_EXPORT names and prints what it measured. Without
// that variable it does nothing.
func TestExportHelper(t *testing.T) {
	spec := os.Getenv("ONUS_BENCH_EXPORT")
	if spec == "" {
		t.Skip("the helper of the export benchmarks")
	}
	var args []string
	if err := json.Unmarshal([]byte(spec), &args); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(args[0], args[1:]...)
	var msg strings.Builder
	cmd.Stdout, cmd.Stderr = &msg, &msg
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var private int64
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if m := readMemory(cmd.Process.Pid); m.private > private {
				private = m.private
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	elapsed := time.Since(start)
	close(done)
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, msg.String())
	}
	r := exportRun{Elapsed: elapsed, PrivateKiB: private, Output: msg.String()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakKiB = ru.Maxrss
	}
	line, _ := json.Marshal(r)
	fmt.Printf("export-run %s\n", line)
}

// BenchmarkExportPeak exports the assessment of 80 services of the 10x
// catalog, every applicable control answered, in each format, and
// reports the peak resident set of each (goal: 100 MiB) and the largest.
func BenchmarkExportPeak(b *testing.B) {
	bin, _ := binaries(b)
	f := answeredDatabase(b, 10, 80, 0)
	for _, format := range report.Formats {
		b.Run("format="+format.ID, func(b *testing.B) {
			var r exportRun
			for b.Loop() {
				r = measureExport(b, bin, f, format.ID)
			}
			b.ReportMetric(float64(r.PeakKiB)/1024, "peak-MiB")
			b.ReportMetric(float64(r.PrivateKiB)/1024, "private-MiB")
			b.ReportMetric(float64(r.Elapsed.Microseconds())/1e3, "ms")
			b.ReportMetric(float64(r.Bytes)/(1<<20), "file-MiB")
		})
	}
}

// BenchmarkExportTrail exports, as the json bundle, an assessment whose
// trail holds 10,000 and then 100,000 entries (each database is built
// once per run: the larger takes about 15 s on 2 cores), and reports the
// time from exec to exit per entry, the peak resident set (goal at
// 100,000: 150 MiB) and the private memory.
func BenchmarkExportTrail(b *testing.B) {
	bin, _ := binaries(b)
	for _, n := range []int{10_000, 100_000} {
		f := answeredDatabase(b, 1, 8, n)
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			var runs []exportRun
			for b.Loop() {
				runs = append(runs, measureExport(b, bin, f, "json"))
			}
			if info, err := os.Stat(f.db); err == nil {
				b.ReportMetric(float64(info.Size())/(1<<20), "db-MiB")
			}
			elapsed := median(collect(runs, func(r exportRun) time.Duration { return r.Elapsed }))
			b.ReportMetric(float64(elapsed.Microseconds())/1e3, "ms")
			b.ReportMetric(float64(elapsed.Nanoseconds())/1e3/float64(n), "µs/entry")
			b.ReportMetric(float64(median(collect(runs, func(r exportRun) int64 { return r.PeakKiB })))/1024, "peak-MiB")
			b.ReportMetric(float64(median(collect(runs, func(r exportRun) int64 { return r.PrivateKiB })))/1024, "private-MiB")
			b.ReportMetric(float64(runs[0].Bytes)/(1<<20), "file-MiB")
		})
	}
}
