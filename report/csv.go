package report

import (
	"bytes"
	"fmt"
	"strings"
)

// csvHeader names the evidence matrix's columns. The last four identify
// the assessment's revision the row comes from (the same on every row), so
// that a row copied or filtered elsewhere still says where it is from: a
// spreadsheet shows them as ordinary text, and a tool that picks columns
// by name passes them by.
var csvHeader = []string{
	"Control", "Title", "References", "Domain", "Criticality", "Owner", "Status",
	"Evidence supplier", "Evidence references", "Expected evidence", "Justification", "Notes", "Gap", "Risk",
	"ALCOA+", "Automated evidence",
	"Assessment", "Revision", "Audit trail head", "Sign-off",
}

// csvRecordsTitle heads the record inventory's part of the CSV: its first
// cell, in place of the column "Control".
const csvRecordsTitle = "Record inventory: data class"

// CSV renders the evidence matrix: one row per applicable control, in
// catalog order; then, when the assessment has one, the record
// inventory: a heading row whose first
// cell is csvRecordsTitle and one row per entry, in the same columns
// (data class, predicate rule, Part 11 record, retention, system of
// record, inspection, hybrid, notes) and with the same identity at the
// end. It opens cleanly in a spreadsheet: a UTF-8 byte-order mark, CRLF
// line ends, RFC 4180 quoting (cells with a semicolon quoted too), every
// row as wide as the header, and no cell that a spreadsheet would run as
// a formula.
func CSV(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in)
	var buf bytes.Buffer
	buf.Grow(256 + 768*len(f.rows)) // about 680 bytes a row, with 8 or 80 services
	buf.WriteString("\uFEFF")
	csvRecord(&buf, csvHeader)
	rec := make([]string, len(csvHeader))
	for _, r := range f.rows {
		domain := r.Ctrl.Domain
		if d, ok := f.cat.Domain(r.Ctrl.Domain); ok {
			domain = d.Name
		}
		for i, cell := range []string{
			r.Ctrl.ID, r.Ctrl.Title, refsText(r.Ctrl.Refs), domain, string(r.Ctrl.Criticality),
			ownerWord(r.Res.Responsibility), r.Ans.Status.Label(), suppliersLabel(r.Res.Suppliers),
			strings.Join(f.chainLines(r), "\n"), strings.Join(f.expectedEvidence(r.Res), "; "),
			r.Ans.Justification, r.Ans.Notes, gapText(r.Gaps), string(r.Risk),
			alcoaText(r.Ctrl.Alcoa), checksText(r.Ctrl),
			f.id.Assessment, f.id.Revision, f.id.Head, f.id.SignOff,
		} {
			rec[i] = csvCell(cell)
		}
		csvRecord(&buf, rec)
	}
	if len(f.a.Records) > 0 {
		identity := []string{f.id.Assessment, f.id.Revision, f.id.Head, f.id.SignOff}
		row := func(cells []string, id []string) {
			clear(rec)
			for i, c := range cells {
				rec[i] = csvCell(c)
			}
			for i, c := range id {
				rec[len(rec)-len(id)+i] = csvCell(c)
			}
			csvRecord(&buf, rec)
		}
		head := append([]string{csvRecordsTitle}, recordHeader[1:]...)
		row(head, csvHeader[len(csvHeader)-4:])
		for _, r := range f.a.Records {
			row(recordCells(r), identity)
		}
	}
	return buf.Bytes(), nil
}
