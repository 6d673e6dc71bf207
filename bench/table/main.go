// Command table runs Onus's benchmarks and prints one table: each metric
// for Onus, its baseline, their ratio and the goal. `make bench` runs it;
// docs/PERFORMANCE.md records a run.
//
// Every benchmark runs -count times and the table shows medians. Ratios
// come from measurements made in the same run: the paired benchmarks
// (start-up, keystrokes, saving) alternate Onus and its baseline in one
// loop and report the ratio themselves; the growth rows divide the cost
// per item at the largest size by the cost at the smallest.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// group is one `go test -bench` run.
type group struct {
	pkg, pattern, benchtime string
	count                   int // 0: the -count flag
	// spread: run with -count 1 in each of its count's rounds, the spread
	// groups one after another in each round, where the first of them
	// stands in the list. go test runs a benchmark's counts back to back,
	// so a slow spell of the machine (tens of seconds on this one) took
	// all of one benchmark's samples and its median with them (the json
	// export with the services scaled missed at 1.55x so, by samples of
	// 1.02x, 1.69x and 1.55x); spread, a benchmark's samples are a round
	// (about a minute) apart.
	spread bool
}

var groups = []group{
	{"./bench/", "^Benchmark(Startup|StartupList|PeakMemory|BinarySize)$", "15x", 0, true},
	{"./bench/", "^BenchmarkStartupCatalog$", "15x", 0, true}, // as many starts as the start-up without a catalog file
	{"./bench/", "^BenchmarkFirstEnter$", "5x", 3, false},
	{"./bench/", "^Benchmark(AnswerFileSize|ListMemory)$", "5x", 0, false},
	{"./tui/", "^BenchmarkKeystroke$", "1s", 0, true}, // the slowest of 19 medians: one slow spell must not make it
	{"./store/", "^BenchmarkAnswerVsRaw$", "1s", 0, false},
	{"./store/", "^BenchmarkFileBytesPerAnswer$", "1x", 1, false},
	{"./store/", "^BenchmarkSaveBackupDue$", "5x", 0, false},
	{"./store/", "^BenchmarkDiff$", "1s", 0, false},
	{"./report/", "^BenchmarkExport$", "1s", 0, false}, // one run of 2 to 5 s per sample at 10,000 controls: 214 to 472 µs a control in one run
	{"./report/", "^BenchmarkExportScaled$", "5x", 3, true},
	{"./bench/", "^Benchmark(ExportPeak|ExportTrail)$", "1x", 1, false},
	{"./cmd/onus/", "^BenchmarkShowScaled$", "20x", 3, false},
	{"./stacks/", "^BenchmarkSolution$", "1s", 3, false},
	{"./serve/", "^BenchmarkBroadcast$", "20x", 3, false},
}

// row is one line of the table. onus and base name a benchmark and a
// unit; ratio, when set, is the unit of a ratio the benchmark reports,
// else the ratio is onus/base. goal is the largest acceptable ratio (0:
// none). scale converts the values for display.
type row struct {
	metric       string
	onus, base   ref
	ratio        string
	goal         float64
	unit         string
	scale        float64
	baseNote     string // shown instead of a base value when base is empty
	formatMetric func(results) string
}

type ref struct{ bench, unit string }

// keyScenarios are tui's BenchmarkKeystroke sub-benchmarks that compare
// the default catalog with the 10x one (home-list-10x compares list
// lengths and has a row of its own).
var keyScenarios = []string{"home", "home-page", "home-filter", "open", "palette", "services", "services-page", "services-filter",
	"questions", "questions-page", "questions-filter", "answer", "review-filter", "supplier-filter",
	"evidence-filter", "actions-filter", "trail-filter", "picker-filter"}

func rows() []row {
	out := []row{
		{metric: "Start-up to first full screen, 1,000 assessments (ms); baseline: minimal Bubble Tea program",
			onus: ref{"Startup", "onus-ms"}, base: ref{"Startup", "floor-ms"}, ratio: "onus/floor", goal: 1.5, unit: "ms", scale: 1},
		{metric: "onus list --json, 300 assessments, exec to exit (ms); baseline: onus --version",
			onus: ref{"StartupList", "list-ms"}, base: ref{"StartupList", "version-ms"}, ratio: "list/version", goal: 2, unit: "ms", scale: 1},
		{metric: "Start-up to first full screen, --catalog of the 10x catalog, 1,000 assessments (ms); baseline: minimal Bubble Tea program",
			onus: ref{"StartupCatalog", "onus-ms"}, base: ref{"StartupCatalog", "floor-ms"}, ratio: "onus/floor", goal: 1.5, unit: "ms", scale: 1},
		{metric: "Start-up, 1,000 assessments: work to the first full screen, processor time of every thread (ms); baseline: the minimal program's",
			onus: ref{"Startup", "onus-cpu-ms"}, base: ref{"Startup", "floor-cpu-ms"}, ratio: "cpu-onus/floor", unit: "ms", scale: 1},
		{metric: "Start-up, --catalog of the 10x catalog: work to the first full screen, processor time of every thread (ms); baseline: the minimal program's",
			onus: ref{"StartupCatalog", "onus-cpu-ms"}, base: ref{"StartupCatalog", "floor-cpu-ms"}, ratio: "cpu-onus/floor", unit: "ms", scale: 1},
		{metric: "Start-up, --catalog of the 10x catalog: work above the minimal program's (ms); baseline: one 60 Hz tick",
			onus: ref{"StartupCatalog", "above-floor-cpu-ms"}, base: ref{"", ""}, baseNote: "16.7", unit: "ms", scale: 1},
		{metric: "First enter as the list shows, --catalog of the 10x catalog, 1,000 assessments (ms); baseline: the same enter a second later, as the list is drawn again",
			onus: ref{"FirstEnter/assessments=1000", "first-ms"}, base: ref{"FirstEnter/assessments=1000", "warm-ms"}, ratio: "first/warm", goal: 1.5, unit: "ms", scale: 1},
		{metric: "First enter as the list shows, --catalog of the 10x catalog, 10,000 assessments (ms); baseline: the same enter a second later, as the list is drawn again",
			onus: ref{"FirstEnter/assessments=10000", "first-ms"}, base: ref{"FirstEnter/assessments=10000", "warm-ms"}, ratio: "first/warm", goal: 1.5, unit: "ms", scale: 1},
		{metric: "First enter, 1,000 assessments: its work, processor time of every thread from the key to the questions (ms); baseline: the warm enter's",
			onus: ref{"FirstEnter/assessments=1000", "first-cpu-ms"}, base: ref{"FirstEnter/assessments=1000", "warm-cpu-ms"}, ratio: "cpu-first/warm", unit: "ms", scale: 1},
		{metric: "First enter, 10,000 assessments: its work, the same (ms); baseline: the warm enter's",
			onus: ref{"FirstEnter/assessments=10000", "first-cpu-ms"}, base: ref{"FirstEnter/assessments=10000", "warm-cpu-ms"}, ratio: "cpu-first/warm", unit: "ms", scale: 1},
		{formatMetric: func(r results) string {
			return fmt.Sprintf("onus answer, exec to exit, on a %s MB file of 10,000 assessments (ms); baseline: on a %s MB one of 1,000",
				num(r.median("AnswerFileSize", "big-MB")), num(r.median("AnswerFileSize", "small-MB")))
		},
			onus: ref{"AnswerFileSize", "big-ms"}, base: ref{"AnswerFileSize", "small-ms"}, ratio: "big/small", goal: 1.5, unit: "ms", scale: 1},
		{metric: "Peak resident set of onus list --json, 10,000 assessments, the same file (MiB; counts its mapped pages); baseline: the goal, 100 MiB",
			onus: ref{"ListMemory", "list-peak-MiB"}, base: ref{"", ""}, baseNote: "100", goal: 1, unit: "MiB", scale: 1},
	}
	for _, s := range keyScenarios {
		out = append(out, row{metric: fmt.Sprintf("Keystroke (Update, View and frame), %s, 10x catalog (µs); baseline: default catalog", s),
			onus: ref{"Keystroke/" + s, "10x-µs/key"}, base: ref{"Keystroke/" + s, "1x-µs/key"}, ratio: "10x/1x", goal: 1.2, unit: "µs", scale: 1})
	}
	out = append(out,
		row{metric: "Keystroke (Update, View and frame), home filter, 10,000 assessments (µs); baseline: 1,000",
			onus: ref{"Keystroke/home-list-10x", "10x-µs/key"}, base: ref{"Keystroke/home-list-10x", "1x-µs/key"}, ratio: "10x/1x", goal: 1.5, unit: "µs", scale: 1},
		row{metric: "Slowest keystroke at 10x (µs); baseline: one 60 Hz frame",
			onus: ref{"Keystroke/*", "10x-µs/key"}, base: ref{"", ""}, baseNote: "16667", goal: 0.1, unit: "µs", scale: 1},
		row{metric: "Slowest Update at 10x, any message of any scenario, by its median (µs); baseline: 2 ms",
			onus: ref{"Keystroke/*", "10x-slowest-update-µs"}, base: ref{"", ""}, baseNote: "2000", goal: 1, unit: "µs", scale: 1})
	out = append(out,
		row{metric: "Saving an answer with its progress counts, 80 services on the 10x catalog, median single save (µs); baseline: write+fsync of as many bytes, same disk, median",
			onus: ref{"AnswerVsRaw", "answer-median-ns"}, base: ref{"AnswerVsRaw", "raw-median-ns"}, ratio: "answer/raw-median", goal: 3, unit: "µs", scale: 1e-3},
		row{metric: "Saving an answer, same saves, mean (µs); baseline: the same write+fsync's mean",
			onus: ref{"AnswerVsRaw", "answer-ns/op"}, base: ref{"AnswerVsRaw", "raw-ns/op"}, ratio: "answer/raw", unit: "µs", scale: 1e-3},
		row{metric: "Database file per answer over 10,000 answers, 80 services of the 10x catalog (bytes); baseline: the goal, 1.5 KB",
			onus: ref{"FileBytesPerAnswer", "bytes/answer"}, base: ref{"", ""}, baseNote: "1536", goal: 1, unit: "bytes", scale: 1},
		row{metric: "Saving an answer with a rolling backup due (written in the background), 1,000 assessments: mean of the save that starts it and the next (µs); baseline: two saves with none due",
			onus: ref{"SaveBackupDue", "due-ns/save"}, base: ref{"SaveBackupDue", "none-ns/save"}, ratio: "due/none", goal: 1.5, unit: "µs", scale: 1e-3})
	for _, f := range []string{"md", "html", "csv", "json", "oscal-ar", "oscal-cd"} {
		f := f
		out = append(out, row{
			formatMetric: func(r results) string {
				return fmt.Sprintf("Export %s, µs per control at 10,000 controls; baseline: at 100 (1,000 take %s ms)", f,
					num(r.median("Export/format="+f+"/controls=1000", "sec/op")*1e3))
			},
			onus: ref{"Export/format=" + f + "/controls=10000", "ns/control"}, base: ref{"Export/format=" + f + "/controls=100", "ns/control"},
			goal: 1.5, unit: "µs", scale: 1e-3})
	}
	for _, f := range []string{"md", "html", "csv", "json", "oscal-ar", "oscal-cd"} {
		out = append(out, row{metric: "Export " + f + ", services scaled too: µs per control, 80 services of the 10x catalog, each render on fresh memory as a new process; baseline: 8 of the default",
			onus: ref{"ExportScaled/format=" + f, "10x-ns/control"}, base: ref{"ExportScaled/format=" + f, "1x-ns/control"}, ratio: "10x/1x",
			goal: 1.5, unit: "µs", scale: 1e-3})
	}
	for _, f := range []string{"csv", "oscal-cd"} {
		out = append(out, row{metric: "Export " + f + ", services scaled too, rendered again on the memory just touched (µs per control at 10x); baseline: the same at 1x",
			onus: ref{"ExportScaled/format=" + f, "warm-10x-ns/control"}, base: ref{"ExportScaled/format=" + f, "warm-1x-ns/control"},
			unit: "µs", scale: 1e-3})
	}
	out = append(out,
		row{metric: "onus show, services scaled too: µs per control, 80 services of the 10x catalog; baseline: 8 of the default",
			onus: ref{"ShowScaled", "10x-ns/control"}, base: ref{"ShowScaled", "1x-ns/control"}, ratio: "10x/1x", goal: 1.5, unit: "µs", scale: 1e-3})
	out = append(out,
		row{metric: "onus export, 80 services of the 10x catalog, every control answered: peak resident set of the largest format (MiB; counts the mapped database); baseline: the goal, 100 MiB",
			onus: ref{"ExportPeak/*", "peak-MiB"}, base: ref{"", ""}, baseNote: "100", goal: 1, unit: "MiB", scale: 1},
		row{metric: "onus export --format json of a 100,000-entry trail: peak resident set (MiB; counts the mapped database); baseline: the goal, 150 MiB",
			onus: ref{"ExportTrail/entries=100000", "peak-MiB"}, base: ref{"", ""}, baseNote: "150", goal: 1, unit: "MiB", scale: 1},
		row{metric: "The same export, private memory's peak, sampled every 5 ms (MiB); baseline: at 10,000 entries",
			onus: ref{"ExportTrail/entries=100000", "private-MiB"}, base: ref{"ExportTrail/entries=10000", "private-MiB"}, unit: "MiB", scale: 1},
		row{metric: "The same export, exec to exit, µs per entry at 100,000 entries; baseline: at 10,000",
			onus: ref{"ExportTrail/entries=100000", "µs/entry"}, base: ref{"ExportTrail/entries=10000", "µs/entry"}, unit: "µs", scale: 1})
	out = append(out,
		row{metric: "Diff of two milestones of one 10,000-entry trail (ms); baseline: the goal, 200 ms",
			onus: ref{"Diff", "ms/diff"}, base: ref{"", ""}, baseNote: "200", goal: 1, unit: "ms", scale: 1},
		row{metric: "Solution stack, µs per service at 10,000 services; baseline: at 100",
			onus: ref{"Solution/services=10000", "ns/service"}, base: ref{"Solution/services=100", "ns/service"}, goal: 1.5, unit: "µs", scale: 1e-3},
		row{metric: "onus serve: a saved answer on every other screen, 20 SSH clients, p99 (ms); baseline: the goal, 500 ms",
			onus: ref{"Broadcast/clients=20", "p99-ms"}, base: ref{"", ""}, baseNote: "500", goal: 1, unit: "ms", scale: 1},
		row{metric: "onus serve: the same, p50 (ms); baseline: with one client",
			onus: ref{"Broadcast/clients=20", "p50-ms"}, base: ref{"Broadcast/clients=1", "p50-ms"}, unit: "ms", scale: 1},
		row{metric: "onus serve: saving an answer with 20 clients connected (µs); baseline: with one",
			onus: ref{"Broadcast/clients=20", "save-µs"}, base: ref{"Broadcast/clients=1", "save-µs"}, unit: "µs", scale: 1},
		row{metric: "Peak resident set, 10x catalog, 1,000 assessments, questions open (MiB; counts the mapped database); baseline: minimal program",
			onus: ref{"PeakMemory", "onus-peak-MiB"}, base: ref{"PeakMemory", "floor-peak-MiB"}, ratio: "peak-onus/floor", unit: "MiB", scale: 1},
		row{metric: "Private memory, same session (MiB); baseline: minimal program",
			onus: ref{"PeakMemory", "onus-private-MiB"}, base: ref{"PeakMemory", "floor-private-MiB"}, ratio: "private-onus/floor", unit: "MiB", scale: 1},
		row{metric: "Binary size (MiB, -trimpath -s -w); baseline: minimal program",
			onus: ref{"BinarySize", "onus-MiB"}, base: ref{"BinarySize", "floor-MiB"}, ratio: "onus/floor", unit: "MiB", scale: 1},
	)
	return out
}

// results holds every value a benchmark reported, by benchmark and unit.
type results map[string]map[string][]float64

func (r results) add(bench, unit string, v float64) {
	if r[bench] == nil {
		r[bench] = map[string][]float64{}
	}
	r[bench][unit] = append(r[bench][unit], v)
}

// median of bench's unit; a bench ending in /* takes the largest median
// among its sub-benchmarks. NaN when absent.
func (r results) median(bench, unit string) float64 {
	if prefix, ok := strings.CutSuffix(bench, "/*"); ok {
		best := math.NaN()
		for name := range r {
			if strings.HasPrefix(name, prefix+"/") {
				if v := r.median(name, unit); math.IsNaN(best) || v > best {
					best = v
				}
			}
		}
		return best
	}
	vs := slices.Clone(r[bench][unit])
	if len(vs) == 0 {
		return math.NaN()
	}
	slices.Sort(vs)
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2
	}
	return vs[len(vs)/2]
}

// parse reads `go test -bench` output: "BenchmarkName-2  N  v unit  v unit ...".
func parse(out []byte, into results) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			unit := f[i+1]
			if unit == "ns/op" {
				into.add(name, "sec/op", v/1e9)
			}
			into.add(name, unit, v)
		}
	}
}

func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func main() {
	count := flag.Int("count", 5, "runs of each benchmark; the table shows medians")
	logPath := flag.String("log", "", "also write the raw go test output here")
	flag.Parse()

	var log io.Writer = io.Discard
	if *logPath != "" {
		f, err := os.Create(*logPath)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		log = f
	}
	start := time.Now()
	res := results{}
	run := func(g group, count int) {
		args := []string{"test", "-run", "^$", "-bench", g.pattern, "-benchtime", g.benchtime, "-count", strconv.Itoa(count), g.pkg}
		fmt.Fprintf(os.Stderr, "go %s\n", strings.Join(args, " "))
		cmd := exec.Command("go", args...)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		log.Write(out)
		if err != nil {
			os.Stderr.Write(out)
			fail(fmt.Errorf("go test %s: %w", g.pkg, err))
		}
		parse(out, res)
	}
	spread := false // the spread groups have run, in rounds
	for _, g := range groups {
		switch {
		case !g.spread:
			run(g, cmp.Or(g.count, *count))
		case !spread:
			spread = true
			for round := range *count {
				for _, g := range groups {
					if g.spread && round < cmp.Or(g.count, *count) {
						run(g, 1)
					}
				}
			}
		}
	}

	missed := print(os.Stdout, res)
	fmt.Printf("\n%s; medians of %d runs (the scaled exports, show, stack growth, serve and the first enter: 3); %s in all.\n", machine(), *count, time.Since(start).Round(time.Second))
	if missed > 0 {
		fmt.Fprintf(os.Stderr, "table: %d goal(s) missed\n", missed)
		os.Exit(1)
	}
}

// print writes the table as Markdown and returns how many goals it missed.
func print(w io.Writer, res results) (missed int) {
	fmt.Fprintln(w, "| Metric | Onus | Baseline | Ratio | Goal |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|")
	for _, r := range rows() {
		metric := r.metric
		if r.formatMetric != nil {
			metric = r.formatMetric(res)
		}
		onus := res.median(r.onus.bench, r.onus.unit)
		base := math.NaN()
		if r.base.bench != "" {
			base = res.median(r.base.bench, r.base.unit)
		} else if v, err := strconv.ParseFloat(r.baseNote, 64); err == nil {
			base = v
		}
		ratio := onus / base
		if r.ratio != "" {
			ratio = res.median(r.onus.bench, r.ratio)
		}
		goal := "—"
		if r.goal > 0 {
			verdict := "met"
			if math.IsNaN(ratio) || ratio > r.goal {
				verdict, missed = "**missed**", missed+1
			}
			goal = fmt.Sprintf("≤ %sx %s", num(r.goal), verdict)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %sx | %s |\n", metric, num(onus*r.scale), num(base*r.scale), num(ratio), goal)
	}
	return missed
}

// machine describes where the run happened.
func machine() string {
	cpu := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(raw)) {
			if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
				cpu = strings.TrimSpace(value)
				break
			}
		}
	}
	load := ""
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load " + strings.Join(strings.Fields(string(raw))[:3], " ")
	}
	commit := "unknown commit"
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		commit = "commit " + strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s, %d CPUs (%s/%s)%s, %s, %s", cpu, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, load, runtime.Version(), commit)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "table:", err)
	os.Exit(2)
}
