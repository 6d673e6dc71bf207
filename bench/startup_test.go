//go:build linux

package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// The fixtures are built once per process: both binaries the way
// `make build` builds onus, a database of 1,000 assessments on the default
// catalog, and one on a catalog ten times larger.
var (
	fixOnce sync.Once
	fix     struct {
		dir, onus, floor string
		db1, db10, cat10 string
	}
	fixErr error
)

func fixtures(tb testing.TB) {
	tb.Helper()
	fixOnce.Do(func() { fixErr = buildFixtures() })
	if fixErr != nil {
		tb.Fatal(fixErr)
	}
}

func buildFixtures() error {
	dir, err := os.MkdirTemp("", "onus-bench-")
	if err != nil {
		return err
	}
	fix.dir = dir
	fix.onus, fix.floor = filepath.Join(dir, "onus"), filepath.Join(dir, "minimal")
	for pkg, out := range map[string]string{"github.com/onus-gxp/onus/cmd/onus": fix.onus, "github.com/onus-gxp/onus/bench/minimal": fix.floor} {
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
		}
	}
	_, cat1, err := Catalog(1)
	if err != nil {
		return err
	}
	fix.db1 = filepath.Join(dir, "x1.db")
	if err := WriteDatabase(fix.db1, cat1, 1000, 20); err != nil {
		return err
	}
	raw10, cat10, err := Catalog(10)
	if err != nil {
		return err
	}
	fix.cat10, fix.db10 = filepath.Join(dir, "x10.json"), filepath.Join(dir, "x10.db")
	if err := os.WriteFile(fix.cat10, raw10, 0o600); err != nil {
		return err
	}
	return WriteDatabase(fix.db10, cat10, 1000, 20)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fix.dir != "" {
		os.RemoveAll(fix.dir)
	}
	os.Exit(code)
}

// childEnv is a clean environment: a colour terminal, the database and
// catalog under test, and nothing from the caller that could change what
// is drawn.
func childEnv(db, catalog string) []string {
	env := []string{"TERM=xterm-256color", "HOME=" + fix.dir, "ONUS_USER=bench", "PATH=" + os.Getenv("PATH")}
	if db != "" {
		env = append(env, "ONUS_DB="+db)
	}
	if catalog != "" {
		env = append(env, "ONUS_CATALOG="+catalog)
	}
	return env
}

// The first full screen of each program: onus's home list with its last
// visible row and footer; the floor program's one line.
var (
	homeDrawn  = []string{"LASTCHANGE", "Assessment0984", "qquit"}
	floorDrawn = []string{"minimalprogramready"}
)

// firstFrame starts a program in a fresh 80x24 pseudo-terminal and returns
// the time from exec until every marker was on the screen.
func firstFrame(tb testing.TB, path string, env []string, markers []string) time.Duration {
	r, err := startInPTY(path, env)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.stop()
	at, err := r.waitFor(10*time.Second, markers...)
	if err != nil {
		tb.Fatal(err)
	}
	return at.Sub(r.started)
}

// BenchmarkStartup alternates onus on a database of 1,000 assessments with
// the floor program, so both meet the same machine, and reports the median
// of each and the ratio of the medians.
func BenchmarkStartup(b *testing.B) {
	fixtures(b)
	var onus, floor []time.Duration
	for b.Loop() {
		floor = append(floor, firstFrame(b, fix.floor, childEnv("", ""), floorDrawn))
		onus = append(onus, firstFrame(b, fix.onus, childEnv(fix.db1, ""), homeDrawn))
	}
	mo, mf := median(onus), median(floor)
	b.ReportMetric(ms(mo), "onus-ms")
	b.ReportMetric(ms(mf), "floor-ms")
	b.ReportMetric(float64(mo)/float64(mf), "onus/floor")
}

// BenchmarkPeakMemory runs the wizard with the catalog ten times the
// default and 1,000 assessments, opens one assessment's questions, and
// reports its peak resident set (which counts the database's mapped
// pages, all read by the integrity check) and its private memory, against
// the floor program's.
func BenchmarkPeakMemory(b *testing.B) {
	fixtures(b)
	var onus, floor []memory
	for b.Loop() {
		r, err := startInPTY(fix.floor, childEnv("", ""))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.waitFor(10*time.Second, floorDrawn...); err != nil {
			b.Fatal(err)
		}
		floor = append(floor, r.stop())

		if r, err = startInPTY(fix.onus, childEnv(fix.db10, fix.cat10)); err != nil {
			b.Fatal(err)
		}
		if _, err := r.waitFor(10*time.Second, homeDrawn...); err != nil {
			b.Fatal(err)
		}
		r.master.WriteString("\r")
		if _, err := r.waitFor(10*time.Second, "evidencefrom:"); err != nil {
			b.Fatal(err)
		}
		onus = append(onus, r.stop())
	}
	peak := func(ms []memory) int64 { return median(collect(ms, func(m memory) int64 { return m.peak })) }
	private := func(ms []memory) int64 { return median(collect(ms, func(m memory) int64 { return m.private })) }
	if peak(onus) < 0 || private(onus) < 0 {
		b.Skip("/proc/PID/status has no VmHWM or RssAnon here")
	}
	b.ReportMetric(float64(peak(onus))/1024, "onus-peak-MiB")
	b.ReportMetric(float64(peak(floor))/1024, "floor-peak-MiB")
	b.ReportMetric(float64(peak(onus))/float64(peak(floor)), "peak-onus/floor")
	b.ReportMetric(float64(private(onus))/1024, "onus-private-MiB")
	b.ReportMetric(float64(private(floor))/1024, "floor-private-MiB")
	b.ReportMetric(float64(private(onus))/float64(private(floor)), "private-onus/floor")
}

func collect[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// BenchmarkBinarySize reports the size of both binaries as built above.
func BenchmarkBinarySize(b *testing.B) {
	fixtures(b)
	var onus, floor int64
	for b.Loop() {
		onus, floor = fileSize(b, fix.onus), fileSize(b, fix.floor)
	}
	b.ReportMetric(float64(onus)/(1<<20), "onus-MiB")
	b.ReportMetric(float64(floor)/(1<<20), "floor-MiB")
	b.ReportMetric(float64(onus)/float64(floor), "onus/floor")
}

func fileSize(tb testing.TB, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Size()
}

func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
