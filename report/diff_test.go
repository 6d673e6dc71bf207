package report

import (
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

func TestDiffMarkdown(t *testing.T) {
	cat := fixtureInput(t).Catalog
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	from := model.Assessment{ID: "A1", Name: "LIMS", Workflow: model.WorkflowFinal, Services: model.Select("ec2"),
		Answers:  map[string]model.Answer{cat.Controls[0].ID: {Control: cat.Controls[0].ID, Status: model.StatusPartial}},
		SignOffs: []model.SignOff{{By: "Jane Smith", Meaning: "approved", At: at, Step: model.WorkflowFinal, Milestone: "v1", Key: "SHA256:k", Signature: "sig"}}}
	to := from
	to.Workflow = model.WorkflowDraft
	to.Services = []model.SelectedService{{ID: "ec2", Overrides: []model.ServiceOverride{{Layer: "os", Owner: model.OwnerAWS, Justification: "patched by SSM"}}}, {ID: "rds"}}
	to.Answers = map[string]model.Answer{cat.Controls[0].ID: {Control: cat.Controls[0].ID, Status: model.StatusImplemented, Notes: "\x1b[2Jdone | <b>ok</b>",
		Links: []model.EvidenceLink{{Entry: "E1", Note: "§4"}, {Entry: "aws:soc2"}}}}
	to.Register = []model.EvidenceEntry{{ID: "E1", Title: "OQ report", DocumentID: "OQ-042", Owner: model.SupplierCustomer}}
	to.RegisterIssued = 1
	to.Reports = []model.ReportChoice{{Source: "pci-dss", Reason: "no cardholder data"}}
	to.Supplier = []model.SupplierRecord{{Source: "soc2", Obtained: "2026-10-01", Status: model.SupplierReviewed, Reviewer: "QA"}}
	superseded := from.SignOffs[0]
	superseded.Superseded = true
	to.SignOffs = []model.SignOff{superseded}
	d := model.Compare(cat, from, to,
		model.Point{Spec: "A1@v1", Assessment: "A1", Name: "LIMS", Milestone: "v1", Head: "aaaa", Entries: 40, At: at},
		model.Point{Spec: "A1", Assessment: "A1", Name: "LIMS", Head: "bbbb", Entries: 45, At: at.Add(time.Hour)})
	md := string(DiffMarkdown(cat, d))
	for _, want := range []string{
		"## Changes from A1@v1 to A1",
		"| Point | From | To |",
		"| Trail head (SHA-256) | aaaa | bbbb |",
		"| Trail entries | 40 | 45 |",
		"### Assessment", "| workflow | final | draft |",
		"### Services and overrides", "| added |",
		"### Ownership of the solution's layers",
		"### Ownership of controls",
		"### Answers", "| status | partial | implemented |", "| evidence | — | E1 OQ report, §4 |", "| evidence | — | aws:soc2 SOC 2",
		"### Evidence register", "| E1 | added | title | — | OQ report |", "| E1 | added | document\\_id | — | OQ-042 |",
		"### AWS reports' relevance", "| as the scope decides | dismissed: no cardholder data |",
		"### Supplier assessment", "| reviewer | — | QA |",
		"### Sign-offs", "| superseded | Jane Smith |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("annex lacks %q:\n%s", want, md)
		}
	}
	// Typed text cannot act on a terminal or break the table or the page.
	for _, bad := range []string{"\x1b", "done | <b>", "<b>"} {
		if strings.Contains(md, bad) {
			t.Errorf("annex holds %q unescaped", bad)
		}
	}

	same := string(DiffMarkdown(cat, model.Compare(cat, from, from, d.From, d.From)))
	if !strings.Contains(same, "No differences.") || strings.Contains(same, "###") {
		t.Errorf("annex of no change:\n%s", same)
	}
}
