package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// The responsibility matrix of a selection (model.Matrix) as `onus matrix`
// prints it: plain text for people, JSON and CSV for tools. The text is
// also what the matrix goldens hold (testdata/matrix), so a reviewer diffs
// exactly what a user prints.

// MatrixText writes a matrix as plain text, one block per control, in a
// form that diffs line by line. Catalog text is sanitised for a terminal.
func MatrixText(cat *model.Catalog, m model.Matrix) []byte {
	var b strings.Builder
	b.WriteString(matrixHead(cat, m))
	fmt.Fprintf(&b, "\n%d controls apply\n", len(m.Rows))
	for _, r := range m.Rows {
		b.WriteString("\n" + matrixRowText(r))
	}
	return []byte(b.String())
}

// matrixScopeLine says what the scope is: impact, the framework editions
// in effect, the conditions that hold and the data categories.
func matrixScopeLine(cat *model.Catalog, s model.Scope) string {
	var eds []string
	for _, f := range cat.EditionsInEffect(s) {
		eds = append(eds, f.Title())
	}
	fw := strings.Join(eds, "; ")
	if len(s.Frameworks) == 0 {
		fw += " (none chosen: each one's edition in force)"
	}
	var conds []string
	for _, c := range []struct {
		on   bool
		name string
	}{{s.MultiTenant, "multi-tenant"}, {s.OpenSystem, "open system"}, {s.InternetFacing, "internet-facing"}, {s.ESignatures, "e-signatures"}} {
		if c.on {
			conds = append(conds, c.name)
		}
	}
	var data []string
	for _, d := range s.DataCategories {
		data = append(data, string(d))
	}
	return fmt.Sprintf("Scope: GxP impact %s; frameworks: %s; conditions: %s; data: %s", orNone(string(s.Impact)), fw,
		orNone(strings.Join(conds, ", ")), orNone(strings.Join(data, ", ")))
}

func matrixHead(cat *model.Catalog, m model.Matrix) string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	l := safetext.Line
	line("Responsibility matrix · catalog %s", l(cat.Version))
	line("%s", l(matrixScopeLine(cat, m.Scope)))
	line("")
	line("Services")
	if len(m.Services) == 0 {
		line("  none: each control as the most any kind of service could leave to you")
	}
	for _, s := range m.Services {
		line("  %s · %s · %s", l(s.Service.ID), l(s.Service.Name), s.Service.Model)
		line("    GAMP category %d (%s): %s", s.GAMPCategory, whose(s.GAMPByAssessment), l(s.GAMPReason))
		for _, o := range s.Overrides {
			line("    %s → %s (%s): %s", l(o.Layer.Name), o.Owner.Label(), whose(o.ByAssessment), l(o.Reason))
		}
	}
	return b.String()
}

func whose(byAssessment bool) string {
	if byAssessment {
		return "assessment"
	}
	return "catalog"
}

func matrixRowText(r model.MatrixRow) string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	l := safetext.Line
	res := r.Resolution
	line("%s %s", l(r.Control.ID), l(r.Control.Title))
	line("  owner: %s", res.Responsibility.Label())
	if len(r.PerService) > 1 {
		line("  per service: %s", l(perServiceText(r.PerService)))
	}
	line("  customer's part: %s", l(orNone(res.CustomerPart)))
	line("  AWS's part: %s", l(orNone(res.AWSPart)))
	line("  customer evidence: %s", l(orNone(strings.Join(res.CustEvidence, ", "))))
	line("  AWS evidence: %s", l(orNone(strings.Join(res.AWSEvidence, ", "))))
	line("  why: %s", l(res.Reason()))
	return b.String()
}

func perServiceText(ps []model.ServiceResolution) string {
	per := make([]string, len(ps))
	for i, sr := range ps {
		per[i] = sr.Service + " " + sr.Responsibility.Label()
	}
	return strings.Join(per, " · ")
}

// The JSON form of a matrix. Its keys are a contract: tools read them.
type matrixJSON struct {
	Catalog  catalogJSON         `json:"catalog"`
	Scope    model.Scope         `json:"scope"`
	Editions []string            `json:"editions"` // framework ids in effect
	Services []matrixServiceJSON `json:"services"`
	Controls []matrixRowJSON     `json:"controls"`
}

type catalogJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Hash    string `json:"sha256"`
}

type matrixServiceJSON struct {
	ID               string               `json:"id"`
	Name             string               `json:"name"`
	Model            model.ServiceModel   `json:"model"`
	GAMPCategory     int                  `json:"gamp_category"`
	GAMPReason       string               `json:"gamp_reason"`
	GAMPByAssessment bool                 `json:"gamp_by_assessment,omitempty"`
	Overrides        []matrixOverrideJSON `json:"overrides,omitempty"`
}

type matrixOverrideJSON struct {
	Layer        string      `json:"layer"`
	Owner        model.Owner `json:"owner"`
	ByAssessment bool        `json:"by_assessment,omitempty"`
	Reason       string      `json:"reason"`
}

type matrixRowJSON struct {
	ID               string                 `json:"id"`
	Title            string                 `json:"title"`
	Domain           string                 `json:"domain"`
	Criticality      model.Criticality      `json:"criticality"`
	References       []string               `json:"references"`
	Owner            model.Responsibility   `json:"owner"`
	PerService       []matrixPerServiceJSON `json:"per_service,omitempty"`
	CustomerPart     string                 `json:"customer_part,omitempty"`
	AWSPart          string                 `json:"aws_part,omitempty"`
	Suppliers        []model.Supplier       `json:"evidence_from"`
	CustomerEvidence []string               `json:"customer_evidence,omitempty"`
	AWSEvidence      []string               `json:"aws_evidence,omitempty"`
	Reason           string                 `json:"reason"`
	Alcoa            []model.Alcoa          `json:"alcoa,omitempty"`
	Checks           model.AutomatedChecks  `json:"automated_checks,omitzero"`
	Procedural       bool                   `json:"procedural,omitempty"`
}

type matrixPerServiceJSON struct {
	Service string               `json:"service"`
	Owner   model.Responsibility `json:"owner"`
}

// MatrixJSON writes a matrix as JSON, text exactly as the catalog has it.
func MatrixJSON(cat *model.Catalog, m model.Matrix) ([]byte, error) {
	doc := matrixJSON{Catalog: catalogJSON{Name: cat.Name, Version: cat.Version, Hash: cat.Hash}, Scope: m.Scope,
		Editions: []string{}, Services: []matrixServiceJSON{}, Controls: []matrixRowJSON{}}
	for _, f := range cat.EditionsInEffect(m.Scope) {
		doc.Editions = append(doc.Editions, f.ID)
	}
	for _, s := range m.Services {
		sj := matrixServiceJSON{ID: s.Service.ID, Name: s.Service.Name, Model: s.Service.Model,
			GAMPCategory: s.GAMPCategory, GAMPReason: s.GAMPReason, GAMPByAssessment: s.GAMPByAssessment}
		for _, o := range s.Overrides {
			sj.Overrides = append(sj.Overrides, matrixOverrideJSON{Layer: o.Layer.ID, Owner: o.Owner, ByAssessment: o.ByAssessment, Reason: o.Reason})
		}
		doc.Services = append(doc.Services, sj)
	}
	for _, r := range m.Rows {
		c, res := r.Control, r.Resolution
		rj := matrixRowJSON{ID: c.ID, Title: c.Title, Domain: c.Domain, Criticality: c.Criticality, References: refStrings(c.Refs),
			Owner: res.Responsibility, CustomerPart: res.CustomerPart, AWSPart: res.AWSPart, Suppliers: res.Suppliers,
			CustomerEvidence: res.CustEvidence, AWSEvidence: res.AWSEvidence, Reason: res.Reason(),
			Alcoa: c.Alcoa, Checks: c.Checks, Procedural: c.Procedural}
		if rj.Suppliers == nil {
			rj.Suppliers = []model.Supplier{}
		}
		if len(r.PerService) > 1 {
			for _, sr := range r.PerService {
				rj.PerService = append(rj.PerService, matrixPerServiceJSON{Service: sr.Service, Owner: sr.Responsibility})
			}
		}
		doc.Controls = append(doc.Controls, rj)
	}
	return model.EncodeJSON(doc)
}

func refStrings(refs []model.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.String()
	}
	return out
}

// matrixCSVHeader names the matrix's CSV columns.
var matrixCSVHeader = []string{"Control", "Title", "References", "Owner", "Per service", "Customer's part", "AWS's part",
	"Evidence from", "Customer evidence", "AWS evidence", "Why"}

// MatrixCSV writes a matrix as CSV, one row per control, safe to open in a
// spreadsheet as the evidence matrix is (see CSV).
func MatrixCSV(cat *model.Catalog, m model.Matrix) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	csvRecord(&buf, matrixCSVHeader)
	rec := make([]string, len(matrixCSVHeader))
	for _, r := range m.Rows {
		res := r.Resolution
		per := ""
		if len(r.PerService) > 1 {
			per = perServiceText(r.PerService)
		}
		for i, cell := range []string{r.Control.ID, r.Control.Title, refsText(r.Control.Refs), ownerWord(res.Responsibility), per,
			res.CustomerPart, res.AWSPart, suppliersLabel(res.Suppliers), strings.Join(res.CustEvidence, "; "),
			strings.Join(res.AWSEvidence, "; "), res.Reason()} {
			rec[i] = csvCell(cell)
		}
		csvRecord(&buf, rec)
	}
	return buf.Bytes()
}
