package report

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// TestEmbeddedCatalog renders an assessment on the real, embedded catalog
// in every format: no golden (the catalog's wording moves), but the OSCAL
// documents must validate and the text formats must stay well formed.
func TestEmbeddedCatalog(t *testing.T) {
	data := assets.Catalog()
	if len(strings.TrimSpace(string(data))) == 0 {
		t.Skip("the embedded catalog is empty")
	}
	cat, err := model.ParseCatalog(data, assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	a := model.Assessment{
		ID: "embedded", Name: "LIMS on AWS", Organisation: "Example Pharma", CreatedBy: "qa", CreatedAt: t0, UpdatedAt: t0,
		Scope:    model.Scope{Impact: model.ImpactDirect, ESignatures: true, OpenSystem: true},
		Services: model.Select("ec2", "rds", "s3", "lambda"),
		Catalog:  model.CatalogRef{Version: cat.Version, Hash: cat.Hash},
		Answers:  map[string]model.Answer{},
	}
	for i, c := range cat.Applicable(a.Scope, a.Services) {
		st := model.Statuses[i%len(model.Statuses)]
		ans := model.Answer{Control: c.ID, Status: st, UpdatedAt: at(i%9, "10:30"), UpdatedBy: "qa"}
		if st == model.StatusNotApplicable {
			ans.Justification = "Not used by this system."
		}
		if st == model.StatusImplemented {
			ans.Evidence = []model.EvidenceRef{{Title: "OQ report", DocumentID: "OQ-" + c.ID, Supplier: model.SupplierCustomer}}
		}
		a.Answers[c.ID] = ans
	}
	in := Input{Catalog: cat, Assessment: a, Trail: trailFor(a)}
	if len(gather(in).rows) == 0 {
		t.Fatal("no control of the embedded catalog applies")
	}
	for _, f := range Formats {
		out, err := Render(f.ID, in)
		if err != nil {
			t.Fatalf("%s: %v", f.ID, err)
		}
		switch f.ID {
		case "md":
			checkMarkdownStructure(t, "embedded", string(out))
			checkTerminalSafe(t, "md", "embedded", string(out))
		case "html":
			checkTerminalSafe(t, "html", "embedded", string(out))
		}
	}
	// Every OSCAL document, and each one it carries, validates and resolves.
	docs := oscalDocuments(t, in)
	for _, format := range sortedKeys(docs) {
		for _, w := range walkOSCAL(t, format, docs[format]).all() {
			for _, sv := range oscalSchemaVersions {
				if err := validateOSCAL(t, w.raw, sv.file, sv.version); err != nil {
					t.Errorf("%s on the embedded catalog is not valid OSCAL %s: %v", w.name, sv.version, err)
				}
			}
		}
	}
}
