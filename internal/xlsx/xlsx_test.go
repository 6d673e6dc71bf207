package xlsx

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func sample() Workbook {
	return Workbook{Modified: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Sheets: []Sheet{
		{Name: "Questions", Header: true, FreezeRows: 1, FreezeCols: 1, AutoFilter: true, Wrap: true,
			Widths: []float64{10, 40, 14},
			Rows: [][]string{
				{"Control", "Question", "Status"},
				{"GOV-01", "Is there a <quality> system & \"manual\"?\nSecond line", "implemented"},
				{"GOV-02", "=1+1 stays text", ""},
				{"", "", ""},
				{"ACC-01", "Tab\there, a bell \a here", "partial"},
			},
			Lists: []ListValidation{{Col: 2, FromRow: 2, ToRow: 5, Values: []string{"implemented", "partial", "planned"}, Prompt: "Pick one"}}},
		{Name: "onus", Hidden: true, Rows: [][]string{{"format", "onus-prep-pack"}, {"head", "abc"}}},
	}}
}

// What Write writes, excelize reads as written: the text of every cell,
// the hidden sheet, the frozen header and first column, the list
// validation, the column widths.
func TestWriteReadsInExcelize(t *testing.T) {
	data, err := Write(sample())
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize cannot open it: %v", err)
	}
	if got := strings.Join(f.GetSheetList(), ","); got != "Questions,onus" {
		t.Errorf("sheets %s", got)
	}
	rows, err := f.GetRows("Questions")
	if err != nil {
		t.Fatal(err)
	}
	if rows[1][1] != "Is there a <quality> system & \"manual\"?\nSecond line" || rows[2][1] != "=1+1 stays text" || rows[4][2] != "partial" {
		t.Errorf("rows %q", rows)
	}
	if got, _ := f.GetCellValue("Questions", "B5"); got != "Tab\there, a bell \uFFFD here" {
		t.Errorf("B5 %q: a character XML cannot hold becomes U+FFFD", got)
	}
	if v, _ := f.GetSheetVisible("onus"); v {
		t.Error("the onus sheet is visible")
	}
	if v, _ := f.GetSheetVisible("Questions"); !v {
		t.Error("the questions sheet is hidden")
	}
	p, err := f.GetPanes("Questions")
	if err != nil || !p.Freeze || p.YSplit != 1 || p.XSplit != 1 || p.TopLeftCell != "B2" {
		t.Errorf("panes %+v %v", p, err)
	}
	dv, err := f.GetDataValidations("Questions")
	if err != nil || len(dv) != 1 || dv[0].Type != "list" || dv[0].Sqref != "C2:C5" || dv[0].Formula1 != `"implemented,partial,planned"` || !dv[0].ShowErrorMessage {
		t.Errorf("validations %+v %v", *dv[0], err)
	}
	if w, _ := f.GetColWidth("Questions", "B"); w != 40 {
		t.Errorf("column B width %g", w)
	}
	// The same workbook gives the same bytes.
	again, _ := Write(sample())
	if !bytes.Equal(data, again) {
		t.Error("two writes differ")
	}
	// And Read reads it back.
	back, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := back.Sheet("questions")
	if q.Cell(1, 1) != rows[1][1] || q.Cell(4, 2) != "partial" || q.Cell(3, 0) != "" || q.Cell(99, 99) != "" {
		t.Errorf("read back %q", q.Rows)
	}
	if o, ok := back.Sheet("onus"); !ok || !o.Hidden || o.Cell(1, 1) != "abc" {
		t.Errorf("onus sheet %+v", o)
	}
}

// Read reads what another program wrote: shared strings, rich text, numbers,
// booleans, formula results, rows and cells Excel skips.
func TestReadExcelizeFile(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Answers")
	f.SetCellStr("Answers", "A1", "Control")
	f.SetCellStr("Answers", "C3", "  padded  ")
	f.SetCellRichText("Answers", "B2", []excelize.RichTextRun{{Text: "rich "}, {Text: "text", Font: &excelize.Font{Bold: true}}})
	f.SetCellInt("Answers", "A4", 42)
	f.SetCellFloat("Answers", "B4", 1.5, -1, 64)
	f.SetCellBool("Answers", "C4", true)
	f.SetCellFormula("Answers", "D4", `"a"&"b"`)
	f.SetCellStr("Answers", "AB10", "far")
	f.NewSheet("Hidden")
	f.SetSheetVisible("Hidden", false)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	s, ok := got.Sheet("Answers")
	if !ok {
		t.Fatalf("sheets %+v", got.Sheets)
	}
	for _, c := range []struct {
		row, col int
		want     string
	}{{0, 0, "Control"}, {1, 1, "rich text"}, {2, 2, "  padded  "}, {3, 0, "42"}, {3, 1, "1.5"}, {3, 2, "TRUE"}, {9, 27, "far"}, {5, 0, ""}} {
		if v := s.Cell(c.row, c.col); v != c.want {
			t.Errorf("%s%d = %q, want %q", ColumnName(c.col), c.row+1, v, c.want)
		}
	}
	if h, ok := got.Sheet("Hidden"); !ok || !h.Hidden {
		t.Errorf("hidden sheet %+v", h)
	}
}

// A file that is not a workbook, or one that unpacks to far more than it
// holds, is refused with a reason.
func TestReadRefuses(t *testing.T) {
	if _, err := Read([]byte("PK not really")); err == nil || !strings.Contains(err.Error(), "not an .xlsx") {
		t.Errorf("garbage: %v", err)
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("hello.txt")
	w.Write([]byte("hi"))
	z.Close()
	if _, err := Read(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "no part _rels/.rels") {
		t.Errorf("a zip of something else: %v", err)
	}
	// A sheet of 70 MiB of blanks compresses to little.
	wb := sample()
	data, _ := Write(wb)
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	buf.Reset()
	z = zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := z.Create(f.Name)
		rc, _ := f.Open()
		var part bytes.Buffer
		part.ReadFrom(rc)
		if f.Name == "xl/worksheets/sheet1.xml" {
			body := part.String()
			i := strings.Index(body, "<sheetData>")
			body = body[:i] + strings.Repeat(" ", 70<<20) + body[i:]
			part.Reset()
			part.WriteString(body)
		}
		w.Write(part.Bytes())
	}
	z.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes", buf.Len())
	}
	if _, err := Read(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "more than 64 MiB") {
		t.Errorf("a zip bomb: %v", err)
	}
	big := Workbook{Sheets: []Sheet{{Name: "S", Rows: make([][]string, MaxRows+1)}}}
	big.Sheets[0].Rows[MaxRows] = []string{"x"}
	data, err := Write(big)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read(data); err == nil || !strings.Contains(err.Error(), "more than 100000 rows") {
		t.Errorf("too many rows: %v", err)
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %s, want %s", i, got, want)
		}
		if _, c, err := parseRef(want + "1"); err == nil && c != i {
			t.Errorf("parseRef(%s1) column %d", want, c)
		}
	}
}
