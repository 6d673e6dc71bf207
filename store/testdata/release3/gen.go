//go:build ignore

// gen.go writes onus.db as the onus release at commit 1c4f9f7 (schema 3,
// entries without a format) wrote files, through that release's own store.
// make.sh copies it into that release's source tree and runs it there;
// it does not build in this module.
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
	open := func(actor string) (*store.DB, error) {
		return store.Open(path, store.Options{Actor: actor, Now: clock, Progress: cat.Progress})
	}
	db, err := open("vera.keller")
	if err != nil {
		return err
	}
	// Text that JSON tools write in more than one way: <, > and & (Go
	// escapes them as \u003c...), non-ASCII, U+2028, an emoji, quotes.
	lims, err := db.Create(model.Assessment{Name: "LIMS <prod> & \"QC\"", Organisation: "Grüne Pharma AG", System: "LabWare 8 — 实验室",
		Scope:    model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11", "annex11"}, ESignatures: true, DataClassification: "GxP <confidential>"},
		Services: model.Select("ec2", "rds", "s3"), Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}})
	if err != nil {
		return err
	}
	id := lims.ID
	steps := []func() (model.Assessment, error){
		func() (model.Assessment, error) {
			return db.Answer(id, model.Answer{Control: "AT-01", Status: model.StatusImplemented, Notes: "audit trail <on> & reviewed\u2028line two 🙂",
				Evidence: []model.EvidenceRef{{Title: "OQ report <AT>", DocumentID: "OQ-042", Version: "2.0", Date: "2026-10-01", Location: "DMS/val/OQ-042", Supplier: model.SupplierCustomer}}}, "")
		},
		func() (model.Assessment, error) {
			return db.Answer(id, model.Answer{Control: "REC-04", Status: model.StatusNotApplicable, Justification: "no records < 2 years & none printed"}, "scoping")
		},
		func() (model.Assessment, error) {
			return db.SetOverride(id, "ec2", model.ServiceOverride{Layer: "os", Owner: model.OwnerShared, Justification: "patched under contract MS-12 (\"managed\")"})
		},
		func() (model.Assessment, error) {
			return db.SetSupplierRecord(id, model.SupplierRecord{Source: "soc2", Obtained: "2026-10-05", PeriodStart: "2025-10-01", PeriodEnd: "2026-09-30",
				Version: "2026 Type 2", Reviewer: "QA <Bob>", Status: model.SupplierAccepted, Notes: "no exceptions"})
		},
		func() (model.Assessment, error) { return db.SelectServices(id, []string{"lambda"}) },
		func() (model.Assessment, error) { return db.DeselectServices(id, []string{"s3"}) },
		func() (model.Assessment, error) {
			return db.Answer(id, model.Answer{Control: "AT-01", Status: model.StatusPartial, Notes: "review found one gap"}, "after QA review")
		},
		func() (model.Assessment, error) {
			return db.UpdateInfo(id, model.Info{Name: "LIMS <prod> & \"QC\"", Organisation: "Grüne Pharma AG", System: "LabWare 8.1"}, "upgrade")
		},
		func() (model.Assessment, error) {
			return db.UpdateScope(id, model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}, OpenSystem: true, DataClassification: "GxP"}, "Annex 11 out of scope")
		},
		func() (model.Assessment, error) { return db.SetWorkflow(id, model.WorkflowInReview, "ready for QA") },
		func() (model.Assessment, error) {
			return db.SignOff(id, model.SignOff{Role: "QA", Meaning: "reviewed the responsibility split"})
		},
		func() (model.Assessment, error) { return db.SetWorkflow(id, model.WorkflowFinal, "approved") },
	}
	for _, s := range steps {
		if _, err := s(); err != nil {
			return err
		}
	}
	base, err := db.Duplicate(id, "LIMS next round")
	if err != nil {
		return err
	}
	if _, err := db.RemoveSupplierRecord(base.ID, "soc2"); err != nil {
		return err
	}
	if _, err := db.Delete(base.ID, "superseded"); err != nil {
		return err
	}
	if _, err := db.Restore(base.ID, "still needed"); err != nil {
		return err
	}
	gone, err := db.Create(model.Assessment{Name: "Scratch", Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}})
	if err != nil {
		return err
	}
	if err := db.Purge(gone.ID); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Println(id)
	return nil
}
