package tui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// goldenSizes are the terminal sizes every screen is pinned at: the
// minimum, a laptop, a projector at a comfortable font, a large monitor.
var goldenSizes = [][2]int{{80, 24}, {100, 30}, {140, 45}, {200, 50}}

// workshop builds the assessment most goldens start from: three services
// selected, on the questions step.
func (h *harness) workshop() {
	h.newAssessment("LIMS on AWS")
	h.tabTo("Services")
	h.selectServices("ec2", "rds", "s3")
	h.press("tab")
}

// Goldens: every screen, dialog and form at the four sizes, colour
// stripped. Each state is reached once and drawn at each size, as a
// resized window shows it.
func TestGoldenScreens(t *testing.T) {
	states := []struct {
		name string
		do   func(h *harness)
	}{
		{"home-empty", func(h *harness) {}},
		{"home-list", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.press("esc")
			h.newAssessment("Data lake")
			h.press("esc")
		}},
		{"home-new", func(h *harness) { h.press("n") }},
		{"home-confirm-delete", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.press("esc", "d")
		}},
		{"help-home", func(h *harness) { h.press("?") }},
		{"scope", func(h *harness) { h.newAssessment("LIMS on AWS") }},
		{"scope-editing", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.press("down", "enter")
			h.typeText("Acme Pharma")
		}},
		{"scope-frameworks", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.press("j", "j", "j", "j", "right", "space", "space") // the 2025 draft of Annex 11
		}},
		{"scope-open-system", func(h *harness) { h.newAssessment("LIMS on AWS"); h.press("j", "j", "j", "j", "j", "j") }},
		{"records", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.tabTo("Records")
			h.press("n")
			h.typeText("Batch production record")
			h.press("tab")
			h.typeText("21 CFR 211.188")
			h.press("tab", "left", "tab")
			h.typeText("1 year after batch expiry")
			h.press("tab")
			h.typeText("MES database on Amazon RDS")
			h.press("tab")
			h.typeText("read-only inspector role; PDF export on request")
			h.press("enter", "n")
			h.typeText("Training records")
			h.press("tab", "tab", "tab")
			h.typeText("10 years")
			h.press("tab")
			h.typeText("Site LMS")
			h.press("enter", "k")
		}},
		{"records-form", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.tabTo("Records")
			h.press("n")
			h.typeText("Batch production record")
			h.press("tab", "tab", "left")
		}},
		{"supplier", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.tabTo("Supplier")
			h.press("enter", "down", "down")
			h.typeText("2025-03-31") // a period that ended long ago: stale
			h.press("enter")
			for range 5 {
				h.press("down")
			}
		}},
		{"supplier-form", func(h *harness) { h.newAssessment("LIMS on AWS"); h.tabTo("Supplier"); h.press("enter") }},
		{"services", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.tabTo("Services")
			h.selectServices("ec2", "rds", "s3")
		}},
		{"services-override", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.tabTo("Services")
			h.selectServices("ec2")
			h.press("O")
		}},
		{"services-gamp", func(h *harness) {
			h.newAssessment("LIMS on AWS")
			h.tabTo("Services")
			h.selectServices("quicksight")
			h.press("/")
			h.typeText("quicksight")
			h.press("enter", "C", "right", "right", "right", "right", "tab")
			h.typeText("Dashboards configured to the batch release process.")
		}},
		{"catalog-move", func(h *harness) {
			src, _ := assets.Earlier("2026.11.0")
			old, err := model.ParseCatalog(src, "2026.11.0")
			if err != nil {
				h.t.Fatal(err)
			}
			a, err := h.db.Create(model.Assessment{Name: "LIMS (2026.11.0)", Catalog: old.Ref(), Services: model.Select("ec2", "rds", "s3"),
				Scope: model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}}})
			if err != nil {
				h.t.Fatal(err)
			}
			if _, err := h.db.Answer(a.ID, model.Answer{Control: "AT-01", Status: model.StatusImplemented}, ""); err != nil {
				h.t.Fatal(err)
			}
			h.run(h.m.loadSummaries())
			h.press("enter")
		}},
		{"questions", func(h *harness) { h.workshop(); h.press("1", "j", "4") }},
		{"questions-filter", func(h *harness) {
			h.workshop()
			h.press("/")
			h.typeText("encrypt")
			h.press("enter")
		}},
		{"questions-notes", func(h *harness) {
			h.workshop()
			h.press("o")
			h.typeText("Reviewed with QA on 12 Nov.")
			h.press("ctrl+j")
			h.typeText("Follow-up: the IQ protocol is due in January.")
		}},
		{"questions-justification", func(h *harness) { h.workshop(); h.press("5") }},
		{"evidence-form", func(h *harness) {
			h.workshop()
			h.press("1", "e", "enter")
			h.typeText("OQ report")
			h.press("down")
		}},
		{"evidence-picker", func(h *harness) {
			h.evidenceWorkshop()
			h.press("j", "j", "j", "e") // a control with nothing linked: the register's list
			h.typeText("spec")
		}},
		{"questions-evidence", func(h *harness) { h.evidenceWorkshop(); h.press("e") }},
		{"evidence-register", func(h *harness) { h.evidenceWorkshop(); h.press("r", "j") }},
		{"evidence-register-filter", func(h *harness) {
			h.evidenceWorkshop()
			h.press("r", "/")
			h.typeText("stale")
			h.press("enter")
		}},
		{"evidence-remove", func(h *harness) { h.evidenceWorkshop(); h.press("r", "d") }},
		{"review-stale", func(h *harness) { h.evidenceWorkshop(); h.press("tab", "/"); h.typeText("stale"); h.press("enter") }},
		{"supplier-needs", func(h *harness) {
			h.evidenceWorkshop()
			h.press("shift+tab", "shift+tab", "/")
			h.typeText("pci")
			h.press("enter", "space")
		}},
		{"layers", func(h *harness) { h.workshop(); h.press("j", "j", "L") }},
		{"help-questions", func(h *harness) { h.workshop(); h.press("?") }},
		{"palette", func(h *harness) {
			h.workshop()
			h.press(":")
			h.typeText("encr")
		}},
		{"review", func(h *harness) { h.workshop(); h.press("1", "tab") }},
		{"review-sign", func(h *harness) { h.workshop(); h.press("tab", "S") }},
		{"sign-keys", func(h *harness) {
			h.reviewed()
			h.press("S")
			h.typeText("approved")
			for range sAck {
				h.press("down")
			}
			h.typeText("CAPA-7 closes them by March")
			h.press("enter")
		}},
		{"sign-passphrase", func(h *harness) {
			h.reviewed()
			h.press("S")
			h.typeText("approved")
			for range sAck {
				h.press("down")
			}
			h.typeText("CAPA-7")
			h.press("enter", "down", "enter")
			h.typeText("wrong")
			h.press("enter")
			h.typeText("secret")
		}},
		{"sign-manifest", func(h *harness) {
			h.reviewed()
			h.press("S")
			h.typeText("approved")
			for range sAck {
				h.press("down")
			}
			h.typeText("CAPA-7")
			h.press("enter", "enter")
		}},
		{"review-final", func(h *harness) { h.reviewed(); h.signWith("approved", "CAPA-7", 0) }},
		{"review-reopen", func(h *harness) { h.reviewed(); h.signWith("approved", "CAPA-7", 0); h.press("R") }},
		{"review-milestone", func(h *harness) { h.reviewed(); h.press("M") }},
		{"diff", func(h *harness) {
			h.reviewed()
			h.press("M")
			h.typeText("workshop-1")
			h.press("enter", "shift+tab", "j", "4", "j", "2", "tab", "c")
		}},
		{"trail-signed", func(h *harness) { h.reviewed(); h.signWith("approved", "CAPA-7", 0); h.press("t") }},
		{"export", func(h *harness) {
			h.m.cfg.ExportDir = "/home/user/Documents/Onus" // as DefaultExportDir makes it
			h.workshop()
			h.press("tab", "x")
		}},
		{"stacks", func(h *harness) { h.workshop(); h.press("v") }},
		{"stacks-scrolled", func(h *harness) { h.send(resize(80, 24)); h.workshop(); h.press("v", "G") }},
		{"trail", func(h *harness) { h.workshop(); h.press("1", "t") }},
	}
	for _, s := range states {
		h := newHarness(t, 100, 30)
		s.do(h)
		h.m.status = "" // the status line carries no clock-free content worth pinning
		for _, size := range goldenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", s.name, size[0], size[1]), func(t *testing.T) {
				h.send(resize(size[0], size[1]))
				checkFits(t, h.m.View().Content, size[0], size[1])
				golden.RequireEqual(t, []byte(h.masked()))
			})
		}
	}
	t.Run("too-small", func(t *testing.T) {
		h := newHarness(t, 79, 23)
		golden.RequireEqual(t, []byte(h.view()))
	})
}
