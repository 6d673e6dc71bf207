// Package preptest builds filled prep packs for tests, as a respondent's
// spreadsheet program would save them (excelize, not Onus's writer).
// Only tests import it.
package preptest

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/onus-gxp/onus/report"
)

// Meta is a pack's hidden sheet as excelize reads it.
func Meta(t testing.TB, pack []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(pack))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(report.PrepMetaSheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// Filled builds a filled pack cell by cell with excelize, as a
// respondent's spreadsheet program would save it: the hidden sheet kept,
// the Questions sheet's columns as given.
func Filled(t testing.TB, metaRows [][]string, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", report.PrepSheet); err != nil {
		t.Fatal(err)
	}
	put := func(sheet string, rows [][]string) {
		for i, r := range rows {
			for j, v := range r {
				if v == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if err := f.SetCellStr(sheet, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	put(report.PrepSheet, rows)
	if _, err := f.NewSheet(report.PrepMetaSheet); err != nil {
		t.Fatal(err)
	}
	put(report.PrepMetaSheet, metaRows)
	if err := f.SetSheetVisible(report.PrepMetaSheet, false); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
