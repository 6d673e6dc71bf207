//go:build ignore

// gen.go writes a database with free-text evidence references, as onus
// releases before the evidence register wrote them, through that
// release's own store: make.sh builds it in the release's source tree
// (it does not build in this module). The same references back several
// controls (filed as one entry), one differs only in its version (filed
// as another), one answer's references were replaced (only the last ones
// count), and the references sit in a final, signed assessment and in a
// deleted one as well, which an upgrade must not write to. How an
// assessment becomes final differs by release: finalise is in
// final_signoff.go (a sign-off, then a workflow entry) or final_sign.go
// (an electronic signature, since the signing work).
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(path string) error {
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		return err
	}
	now := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { now = now.Add(1500 * time.Millisecond); return now }
	db, err := store.Open(path, store.Options{Actor: "vera.keller", Now: clock, Progress: cat.Progress})
	if err != nil {
		return err
	}
	ref := func(title, doc, version string, s model.Supplier) model.EvidenceRef {
		return model.EvidenceRef{Title: title, DocumentID: doc, Version: version, Date: "2026-09-01", Location: "DMS/QA/" + doc, Supplier: s}
	}
	spec := ref("Configuration specification <LIMS>", "CS-12", "2.1", model.SupplierCustomer)
	oldSpec := ref("Configuration specification <LIMS>", "CS-12", "2.0", model.SupplierCustomer)
	oq := ref("OQ report", "OQ-042", "1.0", model.SupplierCustomer)
	sop := ref("Access management SOP", "SOP-7", "3", model.SupplierCustomer)
	pentest := ref("Penetration test report", "PT-2026-1", "", model.SupplierThirdParty)
	soc2 := model.EvidenceRef{Title: "AWS SOC 2 Type 2", Location: "AWS Artifact", Supplier: model.SupplierAWS}
	newA := func(name string) (model.Assessment, error) {
		return db.Create(model.Assessment{Name: name, Organisation: "Grüne Pharma AG",
			Scope:    model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11", "annex11"}},
			Services: model.Select("ec2", "rds", "s3"), Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}})
	}
	answer := func(id, control string, st model.Status, refs ...model.EvidenceRef) error {
		_, err := db.Answer(id, model.Answer{Control: control, Status: st, Notes: "workshop 2", Evidence: refs}, "")
		return err
	}
	lims, err := newA("LIMS")
	if err != nil {
		return err
	}
	for _, a := range []struct {
		control string
		st      model.Status
		refs    []model.EvidenceRef
	}{
		{"SEC-01", model.StatusImplemented, []model.EvidenceRef{spec}},
		{"ENC-01", model.StatusImplemented, []model.EvidenceRef{spec, oq}},
		{"ENC-02", model.StatusPartial, []model.EvidenceRef{spec}},
		{"AC-01", model.StatusImplemented, []model.EvidenceRef{sop, pentest}},
		{"AC-02", model.StatusImplemented, []model.EvidenceRef{oldSpec}},
		{"AT-01", model.StatusImplemented, []model.EvidenceRef{soc2, spec}},
		{"AT-02", model.StatusPlanned, []model.EvidenceRef{ref("Draft logging design", "D-1", "0.1", model.SupplierCustomer)}},
		{"AT-02", model.StatusImplemented, []model.EvidenceRef{oq}},
		{"GOV-01", model.StatusImplemented, nil},
	} {
		if err := answer(lims.ID, a.control, a.st, a.refs...); err != nil {
			return err
		}
	}
	if _, err := db.SetSupplierRecord(lims.ID, model.SupplierRecord{Source: "soc2", Obtained: "2026-10-05", PeriodStart: "2025-10-01",
		PeriodEnd: "2026-03-31", Version: "2026 H1", Status: model.SupplierPending}); err != nil {
		return err
	}
	final, err := newA("QMS (final)")
	if err != nil {
		return err
	}
	if err := answer(final.ID, "REC-01", model.StatusImplemented, spec, oq); err != nil {
		return err
	}
	if err := finalise(db, cat, final.ID); err != nil {
		return err
	}
	gone, err := newA("Old pilot")
	if err != nil {
		return err
	}
	if err := answer(gone.ID, "SEC-01", model.StatusImplemented, spec); err != nil {
		return err
	}
	if _, err := db.Delete(gone.ID, "superseded"); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Println(lims.ID, final.ID, gone.ID)
	return nil
}
