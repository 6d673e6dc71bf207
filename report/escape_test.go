package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// hostile is text that tries to act on a terminal, a browser, a Markdown
// renderer or a spreadsheet.
var hostile = []string{
	"\x1b[31mred\x1b[0m",             // CSI colour
	"\x1b]52;c;ZXZpbA==\x07",         // OSC 52: write the clipboard
	"\x1b[2J\x1b[H",                  // CSI 2J: clear the screen
	"\u009b2J",                       // the same with the C1 introducer
	"\x1bP1$qm\x1b\\",                // DCS
	"over\rwrite",                    // carriage return
	"\u202egnp.exe",                  // right-to-left override
	"<script>alert(1)</script>",      // markup
	`<img src=x onerror="alert(1)">`, // markup with an event handler
	"a|b|c",                          // table breakage
	"# heading",                      // heading breakage
	"=cmd|' /C calc'!A0",             // DDE formula
	"@SUM(1+1)*cmd|' /C calc'!A0",    // formula
	"+1+1",                           // formula
	"-1-1",                           // formula
	"\t=tab",                         // leading tab
	"\r=cr",                          // leading carriage return
	" =3+3",                          // formula after a blank
	"\u00a0\t@SUM(1)",                // after a no-break space and a tab
	"\uff1d1+1",                      // full-width equals sign
	"a;=1+1",                         // a formula after the list separator of ;-locales
	"`code` ```fence",                // backticks
	"line one\nline two",             // newline in a cell
	"[x](javascript:alert(1))",       // link
	"- item\n1. item",                // list markers
}

// prefixStrings puts p in front of every plain string in v: every name,
// title, question, note, reason, id and reference, so that references
// still match. Typed strings (owners, statuses, kinds) are left alone, as
// are the trail's hashes, which chain recomputes.
func prefixStrings(v reflect.Value, p string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			prefixStrings(v.Elem(), p)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Name == "Hash" && v.Type() == reflect.TypeFor[model.AuditEntry]() || f.Name == "PrevHash" {
				continue
			}
			prefixStrings(v.Field(i), p)
		}
	case reflect.Slice:
		for i := range v.Len() {
			prefixStrings(v.Index(i), p)
		}
	case reflect.Map:
		if v.Type().Key() != reflect.TypeFor[string]() {
			return
		}
		out := reflect.MakeMap(v.Type())
		iter := v.MapRange()
		for iter.Next() {
			val := reflect.New(v.Type().Elem()).Elem()
			val.Set(iter.Value())
			prefixStrings(val, p)
			out.SetMapIndex(reflect.ValueOf(p+iter.Key().String()), val)
		}
		v.Set(out)
	case reflect.String:
		if v.Type() == reflect.TypeFor[string]() && v.CanSet() {
			v.SetString(p + v.String())
		}
	}
}

// hostileWith is the fixture with h in front of every string.
func hostileWith(h string) Input {
	cat := fixtureCatalog()
	a := fixtureAssessment(cat)
	prefixStrings(reflect.ValueOf(cat), h)
	prefixStrings(reflect.ValueOf(&a), h)
	a.Services = append(a.Services, model.SelectedService{ID: h + "not-in-catalog"})
	trail := trailFor(a) // carries the hostile values in Old and New
	for i := range trail {
		trail[i].Reason = h + trail[i].Reason
		trail[i].Target = h + trail[i].Target
	}
	return Input{Catalog: cat, Assessment: a, Trail: chain(trail)}
}

func hostileInput(t testing.TB) Input {
	return hostileWith(strings.Join(hostile, " "))
}

// emptyInput has nothing: no services, answers, trail or times.
func emptyInput(t testing.TB) Input {
	return Input{Catalog: fixtureCatalog(), Assessment: model.Assessment{ID: "empty"}}
}

// dangerous are the raw forms that must not reach a Markdown, HTML or CSV
// reader: whatever shows the file in a terminal would act on them.
var dangerous = []string{"\x1b", "\x07", "\u009b", "\u202e"}

func TestHostileMarkdown(t *testing.T) {
	for _, h := range hostile {
		out, err := Render("md", hostileWith(h))
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		checkTerminalSafe(t, "md", h, s)
		checkMarkdownStructure(t, h, s)
		if strings.ContainsRune(s, '\r') {
			t.Errorf("md %q: a carriage return survived", h)
		}
	}
}

var (
	mdRawTag  = regexp.MustCompile(`<[^b]|<b[^r]|<br[^>]`)
	mdRawLink = regexp.MustCompile(`(^|[^\\])\]\(`)
	mdMarker  = regexp.MustCompile(`^([-+*] |[0-9]+[.)] |[#>]|` + "```" + `|=+$|-+$)`)
)

func checkTerminalSafe(t *testing.T, format, h, s string) {
	t.Helper()
	for _, d := range dangerous {
		if strings.Contains(s, d) {
			t.Errorf("%s %q: %q survived", format, h, d)
		}
	}
	if c := safetext.Clean(s); c != s {
		t.Errorf("%s %q: text that safetext would change survived", format, h)
	}
}

// ourHeadings are the only headings a Markdown report has.
var ourHeadings = regexp.MustCompile(`^(# Shared-responsibility assessment: .*|## (Summary|Scope|Record inventory \(21 CFR Part 11\)|Supplier assessment of AWS|Responsibility stacks|Responsibility matrix|Data integrity \(ALCOA\+\)|Automated evidence|Gaps and risks|Sign-offs|Audit trail|Catalog|Annex: evidence index)|### (By status|By responsibility|By criticality|Services|The assessment's own overrides|Notes|Overrides|Solution stack|Latest \d+ entries))$`)

// checkMarkdownStructure: outside the code block, headings are ours and
// every table row has as many cells as its table; inside, nothing closes
// the fence early.
func checkMarkdownStructure(t *testing.T, h, s string) {
	t.Helper()
	lines := strings.Split(s, "\n")
	fence := ""
	pipes := -1
	for i, l := range lines {
		if fence != "" {
			if l == fence {
				fence = ""
			} else if strings.HasPrefix(l, "```") && strings.Trim(l, "`") == "" {
				t.Errorf("md %q line %d: a fence inside the code block", h, i+1)
			}
			continue
		}
		if m := mdRawTag.FindString(l); m != "" {
			t.Errorf("md %q line %d: raw HTML %q outside the code block: %q", h, i+1, m, l)
		}
		if mdRawLink.MatchString(l) {
			t.Errorf("md %q line %d: a link outside the code block: %q", h, i+1, l)
		}
		switch {
		case strings.HasPrefix(l, "```"):
			fence = strings.TrimRight(l, "text")
		case strings.HasPrefix(l, "#"):
			if !ourHeadings.MatchString(l) {
				t.Errorf("md %q line %d: a heading not of the report's: %q", h, i+1, l)
			}
		case strings.HasPrefix(l, "|"):
			n := unescapedPipes(l)
			if strings.HasPrefix(l, "| --- |") {
				pipes = n
			} else if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "| --- |") {
				pipes = unescapedPipes(lines[i+1])
			}
			if n != pipes {
				t.Errorf("md %q line %d: %d cell borders, the table has %d: %q", h, i+1, n, pipes, l)
			}
		case strings.HasPrefix(l, "- "):
			if mdMarker.MatchString(l[2:]) {
				t.Errorf("md %q line %d: a list item opens with block syntax: %q", h, i+1, l)
			}
		}
	}
	if fence != "" {
		t.Errorf("md %q: the code block is not closed", h)
	}
}

func unescapedPipes(l string) int {
	n := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

var (
	htmlTag     = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>`)
	htmlBadAttr = regexp.MustCompile(`(?i)\s(on[a-z]+|src|href|srcset|action|formaction)\s*=`)
)

var allowedTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields("html head meta title style body header main section footer h1 h2 h3 p em strong span div ul li br table caption colgroup col thead tbody tr th td") {
		allowedTags[t] = true
	}
}

func TestHostileHTML(t *testing.T) {
	for _, h := range hostile {
		out, err := Render("html", hostileWith(h))
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		checkTerminalSafe(t, "html", h, s)
		if strings.ContainsRune(s, '\r') {
			t.Errorf("html %q: a carriage return survived", h)
		}
		for _, m := range htmlTag.FindAllStringSubmatch(s, -1) {
			if !allowedTags[strings.ToLower(m[2])] {
				t.Errorf("html %q: a <%s> element", h, m[2])
			}
			if a := htmlBadAttr.FindString(m[0]); a != "" {
				t.Errorf("html %q: %q in %s", h, a, m[0])
			}
		}
		// Every < in the page opens one of the report's own tags.
		if n, tags := strings.Count(s, "<"), len(htmlTag.FindAllString(s, -1))+1; n != tags { // +1: <!DOCTYPE
			t.Errorf("html %q: %d '<' but %d tags", h, n, tags)
		}
	}
}

func TestHTMLSelfContained(t *testing.T) {
	out, err := Render("html", fixtureInput(t))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "src=", "http://", "https://", "url(", "@import", "@font-face"} {
		if strings.Contains(s, bad) {
			t.Errorf("the HTML report contains %q: it must load nothing", bad)
		}
	}
	if regexp.MustCompile(`(^|[^-])size:`).MatchString(s) {
		t.Error("the HTML report sets a paper size: it must print on the printer's paper (A4, US Letter)")
	}
	for _, want := range []string{"@page {", `content: "Page " counter(page) " of " counter(pages)`, "break-inside: avoid", "<th scope=\"col\">", "in the cloud", "of the cloud",
		`class="o-customer line-under"`, ">Customer<", ">Shared<", ">AWS<"} {
		if !strings.Contains(s, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
}

// TestCSSString: text for the printed pages' margins cannot end its CSS
// string or the style element, whatever it holds.
func TestCSSString(t *testing.T) {
	for _, h := range append(hostile, `"; } body { display: none } "`, "</style><script>alert(1)</script>", `\"`, "a\u2028b") {
		got := string(cssString(h))
		inner := got[1 : len(got)-1]
		if got[0] != '"' || got[len(got)-1] != '"' || strings.ContainsAny(inner, "\"'<>&\n\r\u2028") {
			t.Errorf("cssString(%q) = %s", h, got)
		}
		// Every backslash starts a hexadecimal escape ended by a blank.
		if m := regexp.MustCompile(`\\[0-9a-f]{1,6} `).ReplaceAllString(inner, ""); strings.Contains(m, `\`) {
			t.Errorf("cssString(%q) = %s: a backslash that is no escape", h, got)
		}
	}
	if got := string(cssString("Revision 20 · as of 2025-03-12 16:00 UTC")); got != `"Revision 20 · as of 2025-03-12 16:00 UTC"` {
		t.Errorf("plain text is changed: %s", got)
	}
}

func TestHostileCSV(t *testing.T) {
	for _, h := range hostile {
		out, err := Render("csv", hostileWith(h))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(out, []byte("\uFEFF")) {
			t.Fatalf("csv %q: no byte-order mark", h)
		}
		s := string(out[3:])
		if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") {
			t.Errorf("csv %q: a carriage return outside a line end", h)
		}
		checkTerminalSafe(t, "csv", h, strings.ReplaceAll(s, "\r\n", "\n"))
		r := csv.NewReader(strings.NewReader(s))
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("csv %q does not parse: %v", h, err)
		}
		if len(recs) < 2 {
			t.Fatalf("csv %q: %d records", h, len(recs))
		}
		for i, rec := range recs {
			if len(rec) != len(csvHeader) {
				t.Errorf("csv %q record %d: %d cells, want %d", h, i, len(rec), len(csvHeader))
			}
			for j, cell := range rec {
				if startsFormula(cell) {
					t.Errorf("csv %q record %d cell %d starts a formula: %q", h, i, j, cell)
				}
			}
		}
		checkSemicolonsQuoted(t, h, s)
	}
}

// startsFormula reports whether a spreadsheet could read a cell as a
// formula: it starts with a tab or carriage return, or its first character
// after any blanks is one of OWASP's triggers = + - @ (or their full-width
// forms).
func startsFormula(cell string) bool {
	if strings.HasPrefix(cell, "\t") || strings.HasPrefix(cell, "\r") {
		return true
	}
	rest := strings.TrimLeftFunc(cell, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
	return rest != "" && strings.ContainsRune("=+-@\uff1d\uff0b\uff0d\uff20", []rune(rest)[0])
}

// checkSemicolonsQuoted: every semicolon is inside double quotes, so a
// spreadsheet that splits cells at semicolons (as in locales with a
// decimal comma) cannot start a new cell, and a formula, inside one.
func checkSemicolonsQuoted(t *testing.T, h, s string) {
	t.Helper()
	in := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			in = !in
		case !in && c == ';':
			t.Errorf("csv %q: a semicolon outside quotes at byte %d: %q", h, i, s[max(0, i-20):min(len(s), i+20)])
			return
		}
	}
}

func TestCSVShape(t *testing.T) {
	in := fixtureInput(t)
	out, err := Render("csv", in)
	if err != nil {
		t.Fatal(err)
	}
	body := out[3:]
	if bytes.Count(body, []byte("\n")) != bytes.Count(body, []byte("\r\n")) {
		t.Error("csv: a line ends without CR")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := gather(in)
	records := slices.IndexFunc(recs, func(r []string) bool { return r[0] == csvRecordsTitle })
	if got, want := records-1, len(f.rows); got != want {
		t.Errorf("csv: %d rows before the record inventory, want one per applicable control (%d)", got, want)
	}
	// The record inventory: its heading row, then one row per entry, as
	// wide as every other row, with the identity at the end.
	if got, want := recs[records:], len(f.a.Records)+1; len(got) != want {
		t.Fatalf("csv: %d rows of record inventory, want %d", len(got), want)
	}
	for i, r := range f.a.Records {
		row := recs[records+1+i]
		if !slices.Equal(row[:len(recordHeader)], recordCells(r)) || row[len(row)-4] != f.id.Assessment {
			t.Errorf("csv: record row %q", row)
		}
	}
	// Without an inventory there is none.
	in.Assessment.Records = nil
	out, _ = Render("csv", in)
	if bytes.Contains(out, []byte(csvRecordsTitle)) {
		t.Error("csv: a record inventory for an assessment without Part 11")
	}
}

// TestExactTextKept: the JSON bundle keeps every hostile string exactly,
// as JSON strings; the OSCAL documents keep it exactly in plain-string
// fields and, escaped, in markup fields, which render as the exact text.
func TestExactTextKept(t *testing.T) {
	for _, h := range hostile {
		in := hostileWith(h)
		for _, format := range []string{"json", "oscal-ar", "oscal-cd", "oscal-ssp"} {
			out, err := Render(format, in)
			if err != nil {
				t.Fatal(err)
			}
			strs := map[string]bool{}
			if format == "json" {
				var doc any
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatalf("%s %q: not JSON: %v", format, h, err)
				}
				collectStrings(doc, strs)
			} else {
				for _, w := range walkOSCAL(t, format, out).all() {
					collectText(t, w.raw, strs)
				}
			}
			// The assessment's own text is in every format; the catalog's
			// in the OSCAL documents.
			want := []string{in.Assessment.Name, h + "Automated IQ runs from the CloudFormation templates; PQ still open."}
			switch format {
			case "json":
				want = append(want, h+"IQ executed; PQ open", h+"Customer-managed KMS keys are mandated by the site's data-integrity policy.")
			case "oscal-ar":
				want = append(want, h+"Amazon RDS", h+"Secure, time-stamped audit trail", h+"IQ executed; PQ open",
					h+"Training is covered by the site-wide training SOP, assessed separately.")
			case "oscal-cd", "oscal-ssp":
				want = []string{in.Assessment.Name, h + "Amazon RDS", h + "Customer-managed KMS keys are mandated by the site's data-integrity policy."}
			}
			for _, w := range want {
				if !containsIn(strs, w) {
					t.Errorf("%s %q: the exact text %q is not kept", format, h, w)
				}
			}
		}
	}
}

// collectText collects the text of an OSCAL document: plain strings as
// they are, markup as it renders.
func collectText(t *testing.T, doc []byte, out map[string]bool) {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	walkJSON(v, func(key string, v any, _ map[string]any) {
		if s, ok := v.(string); ok {
			if markupKeys[key] {
				s = markdownText(t, s)
			}
			out[s] = true
		}
	})
}

func collectStrings(v any, out map[string]bool) {
	switch x := v.(type) {
	case string:
		out[x] = true
	case []any:
		for _, e := range x {
			collectStrings(e, out)
		}
	case map[string]any:
		for _, e := range x {
			collectStrings(e, out)
		}
	}
}

func containsIn(strs map[string]bool, w string) bool {
	if strs[w] {
		return true
	}
	for s := range strs {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func TestMarkdownEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":          "plain text",
		"a|b":                 `a\|b`,
		"# title":             `\# title`,
		"<b>x</b>":            "&lt;b&gt;x&lt;/b&gt;",
		"x\ny":                "x<br>y",
		"- item":              `\- item`,
		"-5 degrees":          "-5 degrees",
		"1. first":            `1\. first`,
		"2025.03":             "2025.03",
		"`code`":              "\\`code\\`",
		"*bold* _it_":         `\*bold\* \_it\_`,
		"\x1b[2J":             "␛\\[2J",
		"[a](b)":              `\[a\](b)`,
		"R&D":                 "R&amp;D",
		"--- rule":            `\--- rule`,
		"a\u202eb":            "a⟨U+202E⟩b",
		"tab\there":           "tab here",
		"ends with newline\n": "ends with newline<br>",
	} {
		if got := mdInline(in); got != want {
			t.Errorf("mdInline(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdLine("a\nb"); got != "a b" {
		t.Errorf("mdLine = %q", got)
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              "plain",
		"=1+1":               "'=1+1",
		"+1":                 "'+1",
		"-1":                 "'-1",
		"@SUM(A1)":           "'@SUM(A1)",
		"\t=1":               "'\t=1",
		"\r=1":               "'␍=1",
		"a=1":                "a=1",
		"\x1b[2J":            "␛[2J",
		"=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
		" =3+3":              "' =3+3",
		"   -1":              "'   -1",
		"\u00a0+1":           "'\u00a0+1",
		"\n=1":               "'\n=1",
		" \t@x":              "' \t@x",
		"\t":                 "'\t",
		"\ufeff=1":           "'⟨U+FEFF⟩=1", // the sanitiser shows every format character (issue 15)
		"\uff1d1+1":          "'\uff1d1+1",
		"a =1":               "a =1",
		"3+3":                "3+3",
		" plain":             " plain",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownFence(t *testing.T) {
	if got := mdFence("no ticks"); got != "```" {
		t.Errorf("fence = %q", got)
	}
	if got := mdFence("a ```` b"); got != "`````" {
		t.Errorf("fence = %q", got)
	}
}

func TestToken(t *testing.T) {
	for in, want := range map[string]string{
		"AC-01": "AC-01", "11.10(e)": "_11.10_e_", "": "_", "a b": "a_b", "-x": "_-x", "Ä1": "Ä1", "\x1b": "_",
	} {
		if got := token(in); got != want {
			t.Errorf("token(%q) = %q, want %q", in, got, want)
		}
	}
}
