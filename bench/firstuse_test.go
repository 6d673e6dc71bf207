//go:build linux

package bench

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkStartupCatalog is BenchmarkStartup with a catalog file: onus
// --catalog (ONUS_CATALOG) of the synthetic catalog ten times the
// default, on 1,000 assessments of it, alternated with the floor program
// (issue 16, goal 1); with the work done by then, as BenchmarkStartup.
func BenchmarkStartupCatalog(b *testing.B) {
	onusBin, floorBin := binaries(b)
	f := database(b, 1000, 10)
	startups(b, onusBin, floorBin, childEnv(f.db, f.catalog))
}

// BenchmarkFirstEnter times the first use of the wizard on the 10x
// catalog file: enter pressed the moment the home list is on the screen,
// until the newest assessment's questions are drawn; then esc, a second's
// wait, and enter again, the warm case, pressed the same way: the moment
// the list is drawn again (issue 16, goal 1). Each start is a fresh
// process in a pseudo-terminal; the medians and their ratio are
// reported, at 1,000 and 10,000 assessments.
func BenchmarkFirstEnter(b *testing.B) {
	onusBin, _ := binaries(b)
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("assessments=%d", n), func(b *testing.B) {
			f := database(b, n, 10)
			var cold, warm, coldWork, warmWork []time.Duration
			for b.Loop() {
				c, w := firstEnter(b, onusBin, childEnv(f.db, f.catalog), n)
				cold, warm = append(cold, c.wall), append(warm, w.wall)
				coldWork, warmWork = append(coldWork, c.work), append(warmWork, w.work)
			}
			b.ReportMetric(ms(median(cold)), "first-ms")
			b.ReportMetric(ms(median(warm)), "warm-ms")
			b.ReportMetric(float64(median(cold))/float64(median(warm)), "first/warm")
			if cw, ww := median(coldWork), median(warmWork); cw > 0 && ww > 0 {
				b.ReportMetric(ms(cw), "first-cpu-ms")
				b.ReportMetric(ms(ww), "warm-cpu-ms")
				b.ReportMetric(float64(cw)/float64(ww), "cpu-first/warm")
			}
		})
	}
}

// entered is how long an enter took to show the questions, and the work
// the program did meanwhile (the processor time of its threads).
type entered struct{ wall, work time.Duration }

// firstEnter starts the wizard, presses enter as soon as the home list
// of n assessments is drawn, and returns how long the questions took to
// show then, and once more a second after going back.
func firstEnter(tb testing.TB, bin string, env []string, n int) (first, warm entered) {
	tb.Helper()
	r, err := startInPTY(bin, env)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.stop()
	if _, err := r.waitFor(20*time.Second, homeDrawn(n)...); err != nil {
		tb.Fatal(err)
	}
	enter := func() entered {
		before, sent := r.cpu(), time.Now()
		r.master.WriteString("\r")
		at, err := r.waitFor(20*time.Second, "evidencefrom:")
		if err != nil {
			tb.Fatal(err)
		}
		work := time.Duration(-1) // where /proc does not say
		if after := r.cpu(); after >= 0 && before >= 0 {
			work = after - before
		}
		return entered{at.Sub(sent), work}
	}
	first = enter()
	r.master.WriteString("\x1b")
	if _, err := r.waitFor(20*time.Second, "LASTCHANGE"); err != nil {
		tb.Fatal(err)
	}
	time.Sleep(time.Second)
	// Frames are drawn at 60 Hz from the program's start, so an enter
	// waits for the rest of the frame it comes in: the first, sent the
	// moment a frame shows the list, for nearly a whole one; an enter a
	// second later, at whatever point of a frame the second ends, for a
	// part that varied from run to run (warm medians 9.3 to 14.9 ms for
	// the same work). The warm enter is sent as the first is: the help,
	// opened and closed, draws the list again, and enter follows at once.
	for _, step := range []struct{ key, drawn string }{{"?", "Keyshere:Home"}, {"\x1b", "LASTCHANGE"}} {
		r.master.WriteString(step.key)
		if _, err := r.waitFor(20*time.Second, step.drawn); err != nil {
			tb.Fatal(err)
		}
	}
	return first, enter()
}
