package stacks

import (
	"fmt"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// synthetic is the fixture's twelve layers with n services of every model,
// one in five with a catalog override.
func synthetic(n int) (*model.Catalog, []model.SelectedService) {
	cat := fixture()
	cat.Services = nil
	sels := make([]model.SelectedService, n)
	for i := range n {
		svc := model.Service{
			ID:       fmt.Sprintf("svc%04d", i),
			Name:     fmt.Sprintf("Amazon Service %d", i),
			Category: "compute",
			Model:    model.ServiceModels[i%len(model.ServiceModels)],
		}
		if i%5 == 0 {
			svc.Overrides = []model.LayerOverride{{Layer: "os", Owner: model.OwnerCustomer, Reason: "Self-managed hosts."}}
		}
		cat.Services = append(cat.Services, svc)
		sels[i] = model.SelectedService{ID: svc.ID}
	}
	return cat, sels
}

// BenchmarkSolution resolves and draws the solution stack of n selected
// services at 200 columns; ns/service shows how the cost grows with n.
func BenchmarkSolution(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			cat, sels := synthetic(n)
			o := Options{Width: 200, Theme: Colour(true)}
			b.ReportAllocs()
			for b.Loop() {
				_ = Solution(cat, cat.SolutionStack(sels), o)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/service")
		})
	}
}

// BenchmarkSolutionDraw is the drawing alone, the engine's work done once.
func BenchmarkSolutionDraw(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			cat, sels := synthetic(n)
			sol := cat.SolutionStack(sels)
			o := Options{Width: 200, Theme: Colour(true)}
			b.ReportAllocs()
			for b.Loop() {
				_ = Solution(cat, sol, o)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/service")
		})
	}
}

// BenchmarkSideBySide draws one page of a hundred services, as a TUI
// redraw does.
func BenchmarkSideBySide(b *testing.B) {
	cat, sels := synthetic(100)
	sts := make([]model.ServiceStack, len(sels))
	for i, sel := range sels {
		sts[i], _ = cat.ServiceStack(sel)
	}
	o := Options{Width: 200, Theme: Colour(true), Notes: true}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = SideBySide(sts, o)
	}
}
