package main

import (
	"io"
	"testing"
	"time"

	"github.com/onus-gxp/onus/bench"
	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

// BenchmarkShowScaled prints `onus show` of an assessment of 8 services of
// the embedded catalog, every applicable control answered, alternated with
// one of 80 services of a catalog ten times larger, and reports the cost
// per applicable control of each and their ratio (goal: 10x within 1.5x of
// 1x), as report's BenchmarkExportScaled does for the exports.
func BenchmarkShowScaled(b *testing.B) {
	type input struct {
		cat *model.Catalog
		a   model.Assessment
		n   int
	}
	scaled := func(factor int) input {
		_, cat, err := bench.Catalog(factor)
		if err != nil {
			b.Fatal(err)
		}
		bundle, err := synth.Answered(cat, "showscaled00001", 8*factor, 0, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
		if err != nil {
			b.Fatal(err)
		}
		return input{cat, bundle.Assessment, len(cat.Applicable(bundle.Assessment.Scope, bundle.Assessment.Services))}
	}
	small, large := scaled(1), scaled(10)
	var t1, t10 time.Duration
	for b.Loop() {
		start := time.Now()
		if err := printAssessment(io.Discard, small.cat, &small.a); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if err := printAssessment(io.Discard, large.cat, &large.a); err != nil {
			b.Fatal(err)
		}
		t1, t10 = t1+mid.Sub(start), t10+time.Since(mid)
	}
	per1 := float64(t1.Nanoseconds()) / float64(b.N) / float64(small.n)
	per10 := float64(t10.Nanoseconds()) / float64(b.N) / float64(large.n)
	b.ReportMetric(per1, "1x-ns/control")
	b.ReportMetric(per10, "10x-ns/control")
	b.ReportMetric(per10/per1, "10x/1x")
}
