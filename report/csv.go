package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// csvHeader names the evidence matrix's columns.
var csvHeader = []string{
	"Control", "Title", "References", "Domain", "Criticality", "Owner", "Status",
	"Evidence supplier", "Evidence references", "Expected evidence", "Justification", "Gap", "Risk",
}

// CSV renders the evidence matrix: one row per applicable control, in
// catalog order. It opens cleanly in a spreadsheet: a UTF-8 byte-order
// mark, CRLF line ends, RFC 4180 quoting of every cell, and no cell that a
// spreadsheet would run as a formula.
func CSV(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in)
	var buf bytes.Buffer
	buf.Grow(256 + 200*len(f.rows))
	buf.WriteString("\uFEFF")
	csvRecord(&buf, csvHeader)
	rec := make([]string, len(csvHeader))
	for _, r := range f.rows {
		domain := r.Ctrl.Domain
		if d, ok := f.cat.Domain(r.Ctrl.Domain); ok {
			domain = d.Name
		}
		just := ""
		if r.Ans.Status == model.StatusNotApplicable {
			just = r.Ans.Justification
		}
		rec[0] = csvCell(r.Ctrl.ID)
		rec[1] = csvCell(r.Ctrl.Title)
		rec[2] = csvCell(refsText(r.Ctrl.Refs))
		rec[3] = csvCell(domain)
		rec[4] = csvCell(string(r.Ctrl.Criticality))
		rec[5] = csvCell(ownerWord(r.Res.Responsibility))
		rec[6] = csvCell(r.Ans.Status.Label())
		rec[7] = csvCell(suppliersLabel(r.Res.Suppliers))
		rec[8] = csvCell(strings.Join(evidenceList(r.Ans.Evidence), "\n"))
		rec[9] = csvCell(strings.Join(f.expectedEvidence(r.Res), "; "))
		rec[10] = csvCell(just)
		rec[11] = csvCell(gapText(r.Gaps))
		rec[12] = csvCell(string(r.Risk))
		csvRecord(&buf, rec)
	}
	return buf.Bytes(), nil
}
