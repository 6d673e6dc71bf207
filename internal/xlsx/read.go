package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// File is a workbook as read: each sheet's name, whether it is hidden,
// and the text of its cells.
type File struct {
	Sheets []ReadSheet
}

// ReadSheet is one sheet as read. Rows[i][j] is the text of the cell in
// row i+1, column j (0 is A); missing cells are "".
type ReadSheet struct {
	Name   string
	Hidden bool
	Rows   [][]string
}

// Sheet finds a sheet by name (case-insensitive, as Excel compares them).
func (f *File) Sheet(name string) (*ReadSheet, bool) {
	for i := range f.Sheets {
		if strings.EqualFold(f.Sheets[i].Name, name) {
			return &f.Sheets[i], true
		}
	}
	return nil, false
}

// Cell is the text of one cell ("" beyond the sheet's cells).
func (s *ReadSheet) Cell(row, col int) string {
	if row < 0 || row >= len(s.Rows) || col < 0 || col >= len(s.Rows[row]) {
		return ""
	}
	return s.Rows[row][col]
}

// What Read accepts: a workbook beyond these is refused, not read in part.
const (
	MaxUnpacked = 64 << 20 // bytes of XML, all parts together
	MaxRows     = 100_000  // per sheet
	MaxCols     = 1_000    // columns a cell may lie in (A to ALL)
	MaxSheets   = 100
)

// Read reads every sheet of an .xlsx file.
func Read(data []byte) (*File, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not an .xlsx file (%v)", err)
	}
	r := &reader{files: map[string]*zip.File{}, budget: MaxUnpacked}
	for _, f := range z.File {
		r.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	book, err := r.officeDocument()
	if err != nil {
		return nil, err
	}
	var wb struct {
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			RID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			// Strict OOXML files name the relationship in another namespace.
			StrictRID string `xml:"http://purl.oclc.org/ooxml/officeDocument/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := r.decode(book, &wb); err != nil {
		return nil, err
	}
	if len(wb.Sheets) > MaxSheets {
		return nil, fmt.Errorf("the workbook has %d sheets; at most %d are read", len(wb.Sheets), MaxSheets)
	}
	rels, err := r.rels(book)
	if err != nil {
		return nil, err
	}
	var strs []string
	for _, target := range rels {
		if strings.HasSuffix(target.typ, "/sharedStrings") {
			if strs, err = r.sharedStrings(target.path); err != nil {
				return nil, err
			}
		}
	}
	out := &File{}
	for _, s := range wb.Sheets {
		rid := s.RID
		if rid == "" {
			rid = s.StrictRID
		}
		target, ok := rels[rid]
		if !ok {
			return nil, fmt.Errorf("sheet %s: the workbook names no part for it", s.Name)
		}
		rows, err := r.sheet(target.path, strs)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
		}
		out.Sheets = append(out.Sheets, ReadSheet{Name: s.Name, Hidden: s.State == "hidden" || s.State == "veryHidden", Rows: rows})
	}
	return out, nil
}

type reader struct {
	files  map[string]*zip.File
	budget int64 // bytes of XML still to be read
}

type rel struct{ typ, path string }

// open opens a part, counting what is read of it against the budget.
func (r *reader) open(name string) (io.ReadCloser, error) {
	f, ok := r.files[name]
	if !ok {
		return nil, fmt.Errorf("the file has no part %s: not an .xlsx workbook, or a damaged one", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return &budgeted{rc, r}, nil
}

type budgeted struct {
	io.ReadCloser
	r *reader
}

var errTooLarge = fmt.Errorf("the workbook unpacks to more than %d MiB of XML; it is not read", MaxUnpacked>>20)

func (b *budgeted) Read(p []byte) (int, error) {
	if b.r.budget <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.r.budget {
		p = p[:b.r.budget]
	}
	n, err := b.ReadCloser.Read(p)
	b.r.budget -= int64(n)
	return n, err
}

func (r *reader) decode(name string, v any) error {
	rc, err := r.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		if errors.Is(err, errTooLarge) {
			return err
		}
		return fmt.Errorf("%s is not well-formed: %v", name, err)
	}
	return nil
}

// rels reads the relationships of a part: id → type and part name.
func (r *reader) rels(part string) (map[string]rel, error) {
	dir, file := path.Split(part)
	var rs struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := r.decode(dir+"_rels/"+file+".rels", &rs); err != nil {
		return nil, err
	}
	out := map[string]rel{}
	for _, x := range rs.Rels {
		if x.Mode == "External" {
			continue
		}
		p := x.Target
		if strings.HasPrefix(p, "/") {
			p = strings.TrimPrefix(p, "/")
		} else {
			p = path.Join(dir, p)
		}
		out[x.ID] = rel{typ: x.Type, path: p}
	}
	return out, nil
}

func (r *reader) officeDocument() (string, error) {
	rels, err := r.rels("")
	if err != nil {
		return "", err
	}
	for _, x := range rels {
		if strings.HasSuffix(x.typ, "/officeDocument") {
			return x.path, nil
		}
	}
	return "", errors.New("the file names no workbook: not an .xlsx workbook")
}

// sharedStrings reads the shared string table: each item's text runs
// joined, phonetic guides left out.
func (r *reader) sharedStrings(name string) ([]string, error) {
	rc, err := r.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []string
	var cur strings.Builder
	inItem, inText, phonetic := false, false, 0
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, wellFormed(name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inItem = true
				cur.Reset()
			case "rPh":
				phonetic++
			case "t":
				inText = inItem && phonetic == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if len(out) >= MaxRows*10 {
					return nil, errors.New("too many shared strings")
				}
				out = append(out, cur.String())
				inItem = false
			case "rPh":
				phonetic--
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
			}
		}
	}
}

func wellFormed(name string, err error) error {
	if errors.Is(err, errTooLarge) {
		return err
	}
	return fmt.Errorf("%s is not well-formed: %v", name, err)
}

// sheet reads a worksheet's cells as text.
func (r *reader) sheet(name string, strs []string) ([][]string, error) {
	rc, err := r.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var rows [][]string
	row, col := 0, -1 // 1-based row; the column of the last cell
	var typ, ref string
	var val, inline strings.Builder
	inV, inInline, inCell, phonetic := false, false, false, 0
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, wellFormed(name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				n := row + 1
				if v := attrOf(t, "r"); v != "" {
					if n, err = strconv.Atoi(v); err != nil || n < 1 {
						return nil, fmt.Errorf("a row numbered %q", v)
					}
				}
				if n > MaxRows {
					return nil, fmt.Errorf("more than %d rows; it is not read", MaxRows)
				}
				row, col = n, -1
			case "c":
				inCell = true
				typ, ref = attrOf(t, "t"), attrOf(t, "r")
				val.Reset()
				inline.Reset()
			case "v":
				inV = inCell
			case "is":
				inInline = inCell
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "is":
				inInline = false
			case "rPh":
				phonetic--
			case "c":
				inCell = false
				c := col + 1
				if ref != "" {
					rr, cc, err := parseRef(ref)
					if err != nil {
						return nil, err
					}
					if rr != row && row != 0 {
						return nil, fmt.Errorf("cell %s lies outside its row %d", ref, row)
					}
					row, c = rr, cc
				}
				if c >= MaxCols {
					return nil, fmt.Errorf("a cell in column %s; at most %d columns are read", ColumnName(c), MaxCols)
				}
				if row == 0 {
					row = 1
				}
				col = c
				v, err := cellText(typ, val.String(), inline.String(), strs)
				if err != nil {
					return nil, fmt.Errorf("cell %s%d: %v", ColumnName(c), row, err)
				}
				if v == "" {
					continue
				}
				for len(rows) < row {
					rows = append(rows, nil)
				}
				for len(rows[row-1]) <= c {
					rows[row-1] = append(rows[row-1], "")
				}
				rows[row-1][c] = v
			}
		case xml.CharData:
			switch {
			case inV:
				val.Write(t)
			case inInline && phonetic == 0:
				inline.Write(t)
			}
		}
	}
}

func attrOf(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// cellText is a cell's value as text: a shared or inline string, a
// formula's string result, a boolean as TRUE or FALSE, anything else as
// written (numbers, errors, ISO dates).
func cellText(typ, v, inline string, strs []string) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(strs) {
			return "", fmt.Errorf("names shared string %q, which the workbook lacks", v)
		}
		return strs[i], nil
	case "inlineStr":
		return inline, nil
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	}
	return v, nil
}

// parseRef reads a cell reference such as B12 (1-based row, 0-based column).
func parseRef(ref string) (row, col int, err error) {
	i := 0
	col = 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		if col > MaxCols {
			return 0, 0, fmt.Errorf("cell %s: at most %d columns are read", ref, MaxCols)
		}
		i++
	}
	row, err = strconv.Atoi(ref[i:])
	if i == 0 || err != nil || row < 1 {
		return 0, 0, fmt.Errorf("%q is not a cell reference", ref)
	}
	if row > MaxRows {
		return 0, 0, fmt.Errorf("more than %d rows; it is not read", MaxRows)
	}
	return row, col - 1, nil
}
