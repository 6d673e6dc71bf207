// Package xlsx writes and reads the little of Office Open XML
// spreadsheets (.xlsx, ECMA-376) that the workshop prep pack needs: sheets
// of text cells, a bold frozen header, column widths, an autofilter, list
// validations and hidden sheets; and, reading, the text of every cell of
// every sheet as Excel, LibreOffice or any other program saved it (shared
// or inline strings, numbers, booleans, formula results).
//
// Onus does not link a general spreadsheet library: the one that does all
// this (excelize) imports net/http, which the binary must not link
// (TestNoNetworkPackages in cmd/onus). The tests check this package's files
// with excelize, in both directions.
package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Workbook is what Write writes.
type Workbook struct {
	Sheets []Sheet
	// Modified is the time recorded in the zip entries: the same workbook
	// and time give the same bytes.
	Modified time.Time
}

// Sheet is one worksheet of text cells.
type Sheet struct {
	Name   string
	Hidden bool
	Rows   [][]string
	// Header makes the first row bold; FreezeRows and FreezeCols keep
	// that many rows and columns in view when scrolling.
	Header                 bool
	FreezeRows, FreezeCols int
	// Widths are the column widths, in characters, from column A.
	Widths []float64
	// AutoFilter puts filter buttons on the first row over every row.
	AutoFilter bool
	// Lists restrict columns to a list of values (a drop-down).
	Lists []ListValidation
	// Wrap wraps the text of every cell but the header's.
	Wrap bool
}

// ListValidation offers Values in a drop-down in column Col (0 for A),
// from row FromRow to ToRow (1-based, inclusive), and refuses anything
// else (blanks allowed).
type ListValidation struct {
	Col, FromRow, ToRow int
	Values              []string
	Prompt              string
}

// Limits of the format that Write checks.
const (
	MaxSheetName = 31
	MaxCellText  = 32767
	maxListText  = 255
)

// Write encodes the workbook as an .xlsx file.
func Write(wb Workbook) ([]byte, error) {
	if len(wb.Sheets) == 0 {
		return nil, fmt.Errorf("xlsx: a workbook needs a sheet")
	}
	visible := false
	for _, s := range wb.Sheets {
		if s.Name == "" || len([]rune(s.Name)) > MaxSheetName || strings.ContainsAny(s.Name, `[]:*?/\`) {
			return nil, fmt.Errorf("xlsx: %q is not a sheet name", s.Name)
		}
		visible = visible || !s.Hidden
	}
	if !visible {
		return nil, fmt.Errorf("xlsx: a workbook needs a visible sheet")
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	mod := wb.Modified
	if mod.IsZero() {
		mod = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	put := func(name, content string) error {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod.UTC()})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, xml.Header+content)
		return err
	}
	var types, sheets, rels strings.Builder
	for i, s := range wb.Sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		state := ""
		if s.Hidden {
			state = ` state="hidden"`
		}
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, attr(s.Name), n, state, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		body, err := sheetXML(s, i == firstVisible(wb.Sheets))
		if err != nil {
			return nil, fmt.Errorf("xlsx: sheet %s: %w", s.Name, err)
		}
		if err := put(fmt.Sprintf("xl/worksheets/sheet%d.xml", n), body); err != nil {
			return nil, err
		}
	}
	n := len(wb.Sheets)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, n+1)
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			types.String() + `</Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			fmt.Sprintf(`<bookViews><workbookView activeTab="%d"/></bookViews>`, firstVisible(wb.Sheets)) +
			`<sheets>` + sheets.String() + `</sheets>` + autoFilterNames(wb.Sheets) + `</workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`},
		{"xl/styles.xml", stylesXML},
	}
	for _, p := range parts {
		if err := put(p.name, p.content); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func firstVisible(sheets []Sheet) int {
	for i, s := range sheets {
		if !s.Hidden {
			return i
		}
	}
	return 0
}

// autoFilterNames defines the hidden names Excel keeps for autofilters.
func autoFilterNames(sheets []Sheet) string {
	var b strings.Builder
	for i, s := range sheets {
		if s.AutoFilter && len(s.Rows) > 0 {
			fmt.Fprintf(&b, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">%s!%s</definedName>`,
				i, attr(quoteSheet(s.Name)), attr(absRange(s)))
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "<definedNames>" + b.String() + "</definedNames>"
}

func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

func width(s Sheet) int {
	w := 0
	for _, r := range s.Rows {
		w = max(w, len(r))
	}
	return max(w, 1)
}

func absRange(s Sheet) string {
	return fmt.Sprintf("$A$1:$%s$%d", ColumnName(width(s)-1), max(len(s.Rows), 1))
}

// Styles: 0 normal, 1 bold header with a fill, 2 wrapped text aligned to
// the top.
const stylesXML = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFD9E2F3"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

func sheetXML(s Sheet, selected bool) (string, error) {
	var b strings.Builder
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	fmt.Fprintf(&b, `<dimension ref="A1:%s%d"/>`, ColumnName(width(s)-1), max(len(s.Rows), 1))
	sel := ""
	if selected {
		sel = ` tabSelected="1"`
	}
	if s.FreezeRows > 0 || s.FreezeCols > 0 {
		pane := "bottomRight"
		switch {
		case s.FreezeCols == 0:
			pane = "bottomLeft"
		case s.FreezeRows == 0:
			pane = "topRight"
		}
		split := ""
		if s.FreezeCols > 0 {
			split += fmt.Sprintf(` xSplit="%d"`, s.FreezeCols)
		}
		if s.FreezeRows > 0 {
			split += fmt.Sprintf(` ySplit="%d"`, s.FreezeRows)
		}
		topLeft := ColumnName(s.FreezeCols) + fmt.Sprint(s.FreezeRows+1)
		fmt.Fprintf(&b, `<sheetViews><sheetView workbookViewId="0"%s><pane%s topLeftCell="%s" activePane="%s" state="frozen"/><selection pane="%s" activeCell="%s" sqref="%s"/></sheetView></sheetViews>`,
			sel, split, topLeft, pane, pane, topLeft, topLeft)
	} else {
		fmt.Fprintf(&b, `<sheetViews><sheetView workbookViewId="0"%s/></sheetViews>`, sel)
	}
	if len(s.Widths) > 0 {
		b.WriteString("<cols>")
		for i, w := range s.Widths {
			fmt.Fprintf(&b, `<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, w)
		}
		b.WriteString("</cols>")
	}
	b.WriteString("<sheetData>")
	for i, row := range s.Rows {
		fmt.Fprintf(&b, `<row r="%d">`, i+1)
		for j, v := range row {
			if v == "" {
				continue
			}
			if len(v) > MaxCellText { // characters, in Excel's count; bytes is stricter
				return "", fmt.Errorf("cell %s%d holds %d bytes; a cell holds at most %d characters", ColumnName(j), i+1, len(v), MaxCellText)
			}
			style := ""
			switch {
			case i == 0 && s.Header:
				style = ` s="1"`
			case s.Wrap:
				style = ` s="2"`
			}
			fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"%s><is><t xml:space="preserve">%s</t></is></c>`, ColumnName(j), i+1, style, text(v))
		}
		b.WriteString("</row>")
	}
	b.WriteString("</sheetData>")
	if s.AutoFilter && len(s.Rows) > 0 {
		fmt.Fprintf(&b, `<autoFilter ref="A1:%s%d"/>`, ColumnName(width(s)-1), len(s.Rows))
	}
	if len(s.Lists) > 0 {
		fmt.Fprintf(&b, `<dataValidations count="%d">`, len(s.Lists))
		for _, l := range s.Lists {
			list := `"` + strings.Join(l.Values, ",") + `"`
			if len(list) > maxListText || strings.ContainsAny(strings.Join(l.Values, ""), `,"`) {
				return "", fmt.Errorf("the list %q does not fit a validation", l.Values)
			}
			col := ColumnName(l.Col)
			prompt := ""
			if l.Prompt != "" {
				prompt = fmt.Sprintf(` showInputMessage="1" prompt="%s"`, attr(l.Prompt))
			}
			fmt.Fprintf(&b, `<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorStyle="stop" error="%s"%s sqref="%s%d:%s%d"><formula1>%s</formula1></dataValidation>`,
				attr("Choose one of: "+strings.Join(l.Values, ", ")), prompt, col, l.FromRow, col, l.ToRow, formula(list))
		}
		b.WriteString("</dataValidations>")
	}
	b.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`)
	b.WriteString("</worksheet>")
	return b.String(), nil
}

// ColumnName is the letters of column i (0 is A, 26 is AA).
func ColumnName(i int) string {
	var out []byte
	for i++; i > 0; i = (i - 1) / 26 {
		out = append([]byte{byte('A' + (i-1)%26)}, out...)
	}
	return string(out)
}

// text escapes cell text for XML: characters XML 1.0 cannot hold (most C0
// controls) become U+FFFD, as encoding/xml does.
func text(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// formula escapes a formula's text with as little as XML needs: Excel
// and excelize read a formula's quotes as written, not as entities.
func formula(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func attr(s string) string {
	return strings.NewReplacer("\n", "&#10;", "\r", "&#13;", "\t", "&#9;").Replace(text(s))
}
