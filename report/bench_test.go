package report

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

// BenchmarkExport renders an assessment whose every control applies and
// is answered, per format and catalog size, and reports the time per
// control so that growth beyond linear shows:
//
//	go test ./report/ -run '^$' -bench Export -benchmem
//
// Each render is written as onus export and the wizards write an export
// (RenderTo), to a writer that counts the bytes and keeps none: the disk
// is left out, and so is the render to memory only tests use.
func BenchmarkExport(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		in := benchInput(n)
		if got := len(gather(in).rows); got != n {
			b.Fatalf("%d applicable controls, want %d", got, n)
		}
		for _, f := range Formats {
			b.Run(fmt.Sprintf("format=%s/controls=%d", f.ID, n), func(b *testing.B) {
				b.ReportAllocs()
				var size int
				for b.Loop() {
					var out byteCount
					if err := RenderTo(&out, f.ID, in); err != nil {
						b.Fatal(err)
					}
					size = int(out)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/control")
				b.ReportMetric(float64(size), "bytes")
			})
		}
	}
}

// BenchmarkExportScaled renders, per format, a fully answered assessment
// of 8 services of the embedded catalog alternated with one of 80 services
// of a catalog ten times larger, where the services grow with the
// controls, and reports the cost per applicable control of each and their
// ratio (goal: 10x within 1.5x of 1x). Each size is rendered twice per
// round: first on fresh memory (freshMemory: as a new onus export process
// does; the goal's measure), then again at once, on the memory the round
// has already touched (warm-: reported beside it). Renders are written as
// BenchmarkExport's are.
func BenchmarkExportScaled(b *testing.B) {
	small, large := scaledInput(b, 1), scaledInput(b, 10)
	n1, n10 := len(gather(small).rows), len(gather(large).rows)
	if n10 < 5*n1 {
		b.Fatalf("%d and %d applicable controls: not ten times the services", n1, n10)
	}
	for _, f := range Formats {
		b.Run("format="+f.ID, func(b *testing.B) {
			var fresh, warm [2]time.Duration
			render := func(in Input) time.Duration {
				start := time.Now()
				var out byteCount
				if err := RenderTo(&out, f.ID, in); err != nil {
					b.Fatal(err)
				}
				return time.Since(start)
			}
			for b.Loop() {
				for i, in := range []Input{small, large} {
					freshMemory()
					fresh[i] += render(in)
				}
				for i, in := range []Input{small, large} {
					warm[i] += render(in)
				}
			}
			per := func(t time.Duration, n int) float64 { return float64(t.Nanoseconds()) / float64(b.N) / float64(n) }
			b.ReportMetric(per(fresh[0], n1), "1x-ns/control")
			b.ReportMetric(per(fresh[1], n10), "10x-ns/control")
			b.ReportMetric(per(fresh[1], n10)/per(fresh[0], n1), "10x/1x")
			b.ReportMetric(per(warm[0], n1), "warm-1x-ns/control")
			b.ReportMetric(per(warm[1], n10), "warm-10x-ns/control")
		})
	}
}

// byteCount counts what is written to it and keeps none of it.
type byteCount int64

func (c *byteCount) Write(p []byte) (int, error) {
	*c += byteCount(len(p))
	return len(p), nil
}

// freshMemory gives the heap back to the system, so that each render
// starts as an onus export process does, on memory it has not touched
// yet. Without it the small render ran in what the large one had just
// faulted in, and the large one paid for its memory alone: on the VMs
// these run on, a first touch of a page costs tens of µs, which made the
// comparison one of page faults more than of the work per control.
func freshMemory() {
	runtime.GC()
	debug.FreeOSMemory()
}

// scaledInput is the embedded catalog factor times larger, with an
// assessment of 8 services per factor whose every applicable control is
// answered, and its trail.
func scaledInput(b testing.TB, factor int) Input {
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		b.Fatal(err)
	}
	if factor > 1 {
		raw, err := json.Marshal(synth.Scale(cat, factor))
		if err != nil {
			b.Fatal(err)
		}
		if cat, err = model.ParseCatalog(raw, "synthetic"); err != nil {
			b.Fatal(err)
		}
	}
	a := fixtureAssessment(cat)
	a.Services = model.Select(synth.PickServices(cat, 8*factor)...)
	a.Answers = map[string]model.Answer{}
	statuses := []model.Status{model.StatusImplemented, model.StatusImplemented, model.StatusPartial, model.StatusPlanned, model.StatusNotImplemented}
	for i, c := range cat.Applicable(a.Scope, a.Services) {
		a.Answers[c.ID] = model.Answer{Control: c.ID, Status: statuses[i%len(statuses)], UpdatedAt: at(i%9, "10:30"), UpdatedBy: "anna.keller",
			Evidence: []model.EvidenceRef{{Title: "Test report " + c.ID, DocumentID: "VAL-" + c.ID, Version: "1", Date: "2025-02-01", Supplier: model.SupplierCustomer}}}
	}
	return Input{Catalog: cat, Assessment: a, Trail: trailFor(a)}
}
