package report

import (
	"fmt"
	"testing"
)

// BenchmarkExport renders an assessment whose every control applies and
// is answered, per format and catalog size, and reports the time per
// control so that growth beyond linear shows:
//
//	go test ./report/ -run '^$' -bench Export -benchmem
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
					out, err := Render(f.ID, in)
					if err != nil {
						b.Fatal(err)
					}
					size = len(out)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/control")
				b.ReportMetric(float64(size), "bytes")
			})
		}
	}
}
