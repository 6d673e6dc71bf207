//go:build linux

package bench

import (
	"bytes"
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
// `make build` builds onus, and databases of synthetic assessments.
var (
	dir      string
	binOnce  sync.Once
	bins     struct{ onus, floor string }
	binErr   error
	dbMu     sync.Mutex
	dbs      = map[[2]int]fixture{}
	tempOnce sync.Once
)

type fixture struct{ db, catalog string }

func tempDir(tb testing.TB) string {
	tempOnce.Do(func() {
		var err error
		if dir, err = os.MkdirTemp("", "onus-bench-"); err != nil {
			panic(err)
		}
	})
	return dir
}

// binaries builds onus and the floor program once.
func binaries(tb testing.TB) (onus, floor string) {
	tb.Helper()
	binOnce.Do(func() {
		bins.onus, bins.floor = filepath.Join(tempDir(tb), "onus"), filepath.Join(tempDir(tb), "minimal")
		for pkg, out := range map[string]string{"github.com/onus-gxp/onus/cmd/onus": bins.onus, "github.com/onus-gxp/onus/bench/minimal": bins.floor} {
			cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg)
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if msg, err := cmd.CombinedOutput(); err != nil {
				binErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
				return
			}
		}
	})
	if binErr != nil {
		tb.Fatal(binErr)
	}
	return bins.onus, bins.floor
}

// database returns a database of n assessments, each with 20 answers, on
// a catalog factor times the default (written out when factor > 1, for
// --catalog), built once per process.
func database(tb testing.TB, n, factor int) fixture {
	tb.Helper()
	dbMu.Lock()
	defer dbMu.Unlock()
	if f, ok := dbs[[2]int{n, factor}]; ok {
		return f
	}
	raw, cat, err := Catalog(factor)
	if err != nil {
		tb.Fatal(err)
	}
	f := fixture{db: filepath.Join(tempDir(tb), fmt.Sprintf("n%d-x%d.db", n, factor))}
	if factor > 1 {
		f.catalog = filepath.Join(tempDir(tb), fmt.Sprintf("x%d.json", factor))
		if err := os.WriteFile(f.catalog, raw, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	if err := WriteDatabase(f.db, cat, n, 20); err != nil {
		tb.Fatal(err)
	}
	dbs[[2]int{n, factor}] = f
	return f
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// childEnv is a clean environment: a colour terminal, the database and
// catalog under test, and nothing from the caller that could change what
// is drawn.
func childEnv(db, catalog string) []string {
	env := []string{"TERM=xterm-256color", "HOME=" + dir, "ONUS_USER=bench", "PATH=" + os.Getenv("PATH")}
	if db != "" {
		env = append(env, "ONUS_DB="+db)
	}
	if catalog != "" {
		env = append(env, "ONUS_CATALOG="+catalog)
	}
	return env
}

// The first full screen of each program: onus's home list of n
// assessments at 80x24, with its last visible row (the list is newest
// first) and its footer; the floor program's one line.
func homeDrawn(n int) []string {
	return []string{"LASTCHANGE", fmt.Sprintf("Assessment%04d", n-16), "qquit"}
}

var floorDrawn = []string{"minimalprogramready"}

// firstFrame starts a program in a fresh 80x24 pseudo-terminal and returns
// the time from exec until every marker was on the screen.
func firstFrame(tb testing.TB, path string, env []string, markers []string) time.Duration {
	wall, _ := firstFrameWork(tb, path, env, markers)
	return wall
}

// firstFrameWork is firstFrame with the work done by then: the
// processor time of the program's threads, read as the screen is found
// complete.
func firstFrameWork(tb testing.TB, path string, env []string, markers []string) (wall, work time.Duration) {
	r, err := startInPTY(path, env)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.stop()
	at, err := r.waitFor(10*time.Second, markers...)
	if err != nil {
		tb.Fatal(err)
	}
	return at.Sub(r.started), r.cpu()
}

// BenchmarkStartup alternates onus on a database of 1,000 assessments with
// the floor program, so both meet the same machine, and reports the median
// of each and the ratio of the medians.
// TestHarness runs both programs once, as the benchmarks do, on a small
// database: it fails when a change to the home screen or to the harness
// would make the start-up and memory benchmarks wait for a screen that
// never comes.
func TestHarness(t *testing.T) {
	if testing.Short() {
		t.Skip("builds both binaries")
	}
	onusBin, floorBin := binaries(t)
	f := database(t, 30, 1)
	for _, c := range []struct {
		bin     string
		env     []string
		markers []string
	}{{floorBin, childEnv("", ""), floorDrawn}, {onusBin, childEnv(f.db, ""), homeDrawn(30)}} {
		if d := firstFrame(t, c.bin, c.env, c.markers); d <= 0 {
			t.Fatalf("%s: first frame after %v", c.bin, d)
		}
	}
	if mem := questionsMemory(t, onusBin, childEnv(f.db, ""), 30); mem.peak <= 0 || mem.private <= 0 {
		t.Fatalf("memory from /proc: %+v", mem)
	}
}

// questionsMemory starts the wizard on a database of n assessments, opens
// the newest one's questions, and returns the memory it took.
func questionsMemory(tb testing.TB, bin string, env []string, n int) memory {
	tb.Helper()
	r, err := startInPTY(bin, env)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := r.waitFor(10*time.Second, homeDrawn(n)...); err != nil {
		r.stop()
		tb.Fatal(err)
	}
	r.master.WriteString("\r")
	if _, err := r.waitFor(10*time.Second, "evidencefrom:"); err != nil {
		r.stop()
		tb.Fatal(err)
	}
	return r.stop()
}

func BenchmarkStartup(b *testing.B) {
	onusBin, floorBin := binaries(b)
	f := database(b, 1000, 1)
	startups(b, onusBin, floorBin, childEnv(f.db, ""))
}

// startups alternates onus (on 1,000 assessments, env) with the floor
// program and reports the medians of the wall time to the first full
// screen and their ratio. Besides it, the work done by the time the
// screen is complete: the processor time of every thread, which the wall
// time hides where a frame waits for Bubble Tea's 60 Hz ticker or the
// threads run side by side, and the work above the floor program's (the
// difference of the medians), to set against one tick.
func startups(b *testing.B, onusBin, floorBin string, env []string) {
	var onus, floor, onusWork, floorWork []time.Duration
	for b.Loop() {
		wall, work := firstFrameWork(b, floorBin, childEnv("", ""), floorDrawn)
		floor, floorWork = append(floor, wall), append(floorWork, work)
		wall, work = firstFrameWork(b, onusBin, env, homeDrawn(1000))
		onus, onusWork = append(onus, wall), append(onusWork, work)
	}
	mo, mf := median(onus), median(floor)
	b.ReportMetric(ms(mo), "onus-ms")
	b.ReportMetric(ms(mf), "floor-ms")
	b.ReportMetric(float64(mo)/float64(mf), "onus/floor")
	if wo, wf := median(onusWork), median(floorWork); wo > 0 && wf > 0 {
		b.ReportMetric(ms(wo), "onus-cpu-ms")
		b.ReportMetric(ms(wf), "floor-cpu-ms")
		b.ReportMetric(float64(wo)/float64(wf), "cpu-onus/floor")
		b.ReportMetric(ms(wo-wf), "above-floor-cpu-ms")
	}
}

// BenchmarkStartupList times a headless command from exec to exit:
// `onus list --json` on a database of 300 assessments, the command
// scripts run most, alternated with `onus --version`, the floor of any
// onus command (the same binary's start-up and exit, no database).
func BenchmarkStartupList(b *testing.B) {
	onusBin, _ := binaries(b)
	f := database(b, 300, 1)
	var lists, versions []time.Duration
	for b.Loop() {
		cmd := exec.Command(onusBin, "--version")
		cmd.Env = childEnv(f.db, "")
		start := time.Now()
		out, err := cmd.Output()
		versions = append(versions, time.Since(start))
		if err != nil || !bytes.Contains(out, []byte("onus version")) {
			b.Fatalf("onus --version: %v\n%.200s", err, out)
		}
		cmd = exec.Command(onusBin, "list", "--json")
		cmd.Env = childEnv(f.db, "")
		start = time.Now()
		out, err = cmd.Output()
		lists = append(lists, time.Since(start))
		if err != nil || !bytes.Contains(out, []byte(`"Assessment 0299"`)) {
			b.Fatalf("onus list --json: %v\n%.200s", err, out)
		}
	}
	b.ReportMetric(ms(median(lists)), "list-ms")
	b.ReportMetric(ms(median(versions)), "version-ms")
	b.ReportMetric(float64(median(lists))/float64(median(versions)), "list/version")
}

// BenchmarkPeakMemory runs the wizard with the catalog ten times the
// default and 1,000 assessments, opens one assessment's questions, and
// reports its peak resident set (which counts the database's mapped
// pages, all read by the integrity check) and its private memory, against
// the floor program's.
func BenchmarkPeakMemory(b *testing.B) {
	onusBin, floorBin := binaries(b)
	f := database(b, 1000, 10)
	var onus, floor []memory
	for b.Loop() {
		r, err := startInPTY(floorBin, childEnv("", ""))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.waitFor(10*time.Second, floorDrawn...); err != nil {
			b.Fatal(err)
		}
		floor = append(floor, r.stop())

		onus = append(onus, questionsMemory(b, onusBin, childEnv(f.db, f.catalog), 1000))
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
	onusBin, floorBin := binaries(b)
	var onus, floor int64
	for b.Loop() {
		onus, floor = fileSize(b, onusBin), fileSize(b, floorBin)
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
