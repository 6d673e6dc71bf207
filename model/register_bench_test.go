package model_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// BenchmarkReview is the review the wizard computes after each save, on
// every service of the default catalog with every applicable control
// answered and citing three of 40 documents: as free text from before the
// register (filed by WithRegister on each review) and as a register.
func BenchmarkReview(b *testing.B) {
	cat := defaultCatalog(b)
	var ids []string
	for _, s := range cat.Services {
		ids = append(ids, s.ID)
	}
	a := model.Assessment{Scope: model.Scope{Impact: model.ImpactDirect}, Services: model.Select(ids...), Answers: map[string]model.Answer{},
		Supplier: []model.SupplierRecord{{Source: "soc2", Obtained: "2026-01-10", PeriodEnd: "2025-09-30", Status: model.SupplierPending}}}
	for i, c := range cat.Applicable(a.Scope, a.Services) {
		ans := model.Answer{Control: c.ID, Status: model.StatusImplemented}
		for j := range 3 {
			ans.Evidence = append(ans.Evidence, model.EvidenceRef{Title: fmt.Sprintf("Document %d", (i+j*7)%40), Supplier: model.SupplierCustomer})
		}
		a.Answers[c.ID] = ans
	}
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	filed := model.WithRegister(a)
	for name, x := range map[string]model.Assessment{"free-text": a, "register": filed} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				cat.Review(&x, now)
			}
		})
	}
}
