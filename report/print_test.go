package report

import (
	"cmp"
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The printed HTML report is checked the way a reader sees it: headless
// Chromium prints it to PDF (scripts/html-screenshot.sh, offline), and
// pdftotext (poppler-utils) gives back the text of each page, as laid out
// (-layout) and word by word with its box (-bbox). The tests run in every
// `make test` where both are installed and skip, saying so, where not;
// .ci/run installs them and sets ONUS_REQUIRE_CHROMIUM=1, so that on CI
// their absence fails instead. ONUS_PDF_OUT=DIR keeps the PDFs there.

// papers are the paper sizes the report must print on, in points.
var papers = []struct {
	name          string // as PAPER takes it
	width, height float64
}{
	{"a4", 595.92, 842.88},
	{"letter", 612, 792},
}

// needBrowser skips the test, loudly, when Chromium (and, with
// pdftotext, poppler-utils) is missing, unless ONUS_REQUIRE_CHROMIUM=1
// makes that a failure.
func needBrowser(t *testing.T, pdftotext bool) {
	t.Helper()
	var missing []string
	if chromiumPath() == "" {
		missing = append(missing, "chromium")
	}
	if _, err := exec.LookPath("pdftotext"); pdftotext && err != nil {
		missing = append(missing, "poppler-utils (pdftotext)")
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("NOT RUN: the HTML report is not checked in a browser: %s missing. "+
		"Install with: apt-get install -y chromium poppler-utils (or set CHROMIUM to a Chromium or Chrome binary)",
		strings.Join(missing, " and "))
	if os.Getenv("ONUS_REQUIRE_CHROMIUM") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// chromiumPath finds the browser as scripts/html-screenshot.sh does.
func chromiumPath() string {
	if c := os.Getenv("CHROMIUM"); c != "" {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
		return ""
	}
	for _, b := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(b); err == nil {
			return p
		}
	}
	return ""
}

// printPDF prints an HTML report to PDF on a paper (a4 or letter) through
// scripts/html-screenshot.sh, and returns the PDF's path.
func printPDF(t *testing.T, page []byte, paper string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "report.html")
	if err := os.WriteFile(in, page, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report-"+paper+".pdf")
	cmd := exec.Command("sh", filepath.Join("..", "scripts", "html-screenshot.sh"), in, out)
	cmd.Env = append(os.Environ(), "PAPER="+paper)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("html-screenshot.sh (%s): %v\n%s", paper, err, msg)
	}
	if keep := os.Getenv("ONUS_PDF_OUT"); keep != "" {
		data, _ := os.ReadFile(out)
		_ = os.WriteFile(filepath.Join(keep, strings.ReplaceAll(t.Name(), "/", "_")+".pdf"), data, 0o644)
	}
	return out
}

// pdfWord is one word of a printed page and its box, in points from the
// page's top left corner.
type pdfWord struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

type pdfPage struct {
	Width, Height float64
	Words         []pdfWord
	Layout        string // the page as pdftotext -layout lays it out
}

var (
	bboxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// readPDF reads the pages of a PDF with pdftotext: the words with their
// boxes (-bbox) and the text as laid out (-layout).
func readPDF(t *testing.T, pdf string) []pdfPage {
	t.Helper()
	bbox, err := exec.Command("pdftotext", "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var pages []pdfPage
	for _, chunk := range strings.Split(string(bbox), "</page>") {
		m := bboxPage.FindStringSubmatch(chunk)
		if m == nil {
			continue
		}
		p := pdfPage{Width: num(m[1]), Height: num(m[2])}
		for _, w := range bboxWord.FindAllStringSubmatch(chunk, -1) {
			p.Words = append(p.Words, pdfWord{Text: html.UnescapeString(w[5]),
				XMin: num(w[1]), YMin: num(w[2]), XMax: num(w[3]), YMax: num(w[4])})
		}
		pages = append(pages, p)
	}
	layout, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -layout: %v", err)
	}
	texts := strings.Split(string(layout), "\f")
	if len(texts) < len(pages) {
		t.Fatalf("pdftotext: %d pages laid out, %d with boxes", len(texts), len(pages))
	}
	for i := range pages {
		pages[i].Layout = texts[i]
	}
	if len(pages) == 0 {
		t.Fatal("pdftotext found no page")
	}
	return pages
}

func num(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return f
}

// printedInputs are the reports printed: the fixture of the goldens, and
// a workshop-sized assessment on the embedded catalog (11 services, notes
// of one and several lines, evidence, every status), the kind that broke
// words and stranded headings.
func printedInputs(t *testing.T) map[string]Input {
	return map[string]Input{"fixture": fixtureInput(t), "workshop": workshopInput(t)}
}

// TestHTMLPrint prints the HTML report on A4 and US Letter and reads the
// pages back: every page carries its number and the document's identity,
// no word is broken in the middle, nothing overlaps or runs off the page,
// and no heading is left alone at the foot of a page.
func TestHTMLPrint(t *testing.T) {
	needBrowser(t, true)
	for name, in := range printedInputs(t) {
		page, err := Render("html", in)
		if err != nil {
			t.Fatal(err)
		}
		vocab := htmlVocabulary(string(page))
		for n := range 1000 { // the page numbers
			vocab[strconv.Itoa(n)] = true
		}
		headings, theads := htmlHeadings(string(page)), htmlTableHeads(string(page))
		id := gather(in).id
		for _, paper := range papers {
			t.Run(name+"/"+paper.name, func(t *testing.T) {
				pages := readPDF(t, printPDF(t, page, paper.name))
				checkNothingLost(t, pages, string(page))
				for i, p := range pages {
					n := i + 1
					if math.Abs(p.Width-paper.width) > 2 || math.Abs(p.Height-paper.height) > 2 {
						t.Errorf("page %d is %.0f×%.0f pt, want %s (%.0f×%.0f)", n, p.Width, p.Height, paper.name, paper.width, paper.height)
					}
					checkPageIdentity(t, n, len(pages), p, id)
					checkWholeWords(t, n, p, vocab)
					checkNoOverlap(t, n, p)
					if n < len(pages) {
						checkNoStrandedHeading(t, n, p, headings, theads)
					}
				}
			})
		}
	}
}

// checkPageIdentity: the page says which page it is of how many, and
// which document it belongs to.
func checkPageIdentity(t *testing.T, n, total int, p pdfPage, id identity) {
	t.Helper()
	text := strings.Join(strings.Fields(p.Layout), " ")
	want := []string{fmt.Sprintf("Page %d of %d", n, total), id.Assessment, id.Head, "as of " + id.AsOf, "catalog " + id.Catalog,
		"Onus " + id.Onus, "Sign-off: " + id.SignOff}
	for _, w := range want {
		if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("page %d does not show %q", n, w)
		}
	}
}

// wordRun splits text into the runs of letters and digits a reader takes
// for words; a break at a hyphen, slash or blank splits no run.
func wordRun(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

var (
	htmlTagRE  = regexp.MustCompile(`<[^>]*>`)
	theadRE    = regexp.MustCompile(`(?s)<thead>(.*?)</thead>`)
	headingsRE = regexp.MustCompile(`(?s)<(h[1-3]|caption)[^>]*>(.*?)</(h[1-3]|caption)>\s*((?:(?:<p[^>]*>.*?</p>|<ul class="legend">.*?</ul>)\s*)*)`)
)

// htmlVocabulary is every word the report contains, its running header
// and footer (in its style sheet) included.
func htmlVocabulary(page string) map[string]bool {
	text := html.UnescapeString(htmlTagRE.ReplaceAllString(page, " "))
	// The running header and footer are CSS strings: \2d is a hyphen.
	text = regexp.MustCompile(`\\([0-9a-fA-F]{1,6}) ?`).ReplaceAllStringFunc(text, func(esc string) string {
		r, err := strconv.ParseInt(strings.TrimSpace(esc[1:]), 16, 32)
		if err != nil {
			return esc
		}
		return string(rune(r))
	})
	vocab := map[string]bool{}
	for _, w := range wordRun(text) {
		vocab[w] = true
	}
	return vocab
}

// heading is a heading or a table's caption of the report, and the text
// of the paragraphs (and legend) that introduce what follows it.
type heading struct{ Text, LeadIn string }

// htmlHeadings lists the report's headings and captions.
func htmlHeadings(page string) []heading {
	text := func(h string) string {
		return strings.Join(strings.Fields(html.UnescapeString(htmlTagRE.ReplaceAllString(h, " "))), " ")
	}
	var out []heading
	for _, m := range headingsRE.FindAllStringSubmatch(page, -1) {
		if h := text(m[2]); h != "" {
			out = append(out, heading{Text: h, LeadIn: text(m[4])})
		}
	}
	return out
}

// checkWholeWords: every word on the page is a word of the report. A word
// broken at the end of a line ("Custome" / "r") or two run into each other
// by an overlap ("not-implementednone") is not.
func checkWholeWords(t *testing.T, n int, p pdfPage, vocab map[string]bool) {
	t.Helper()
	for _, line := range strings.Split(p.Layout, "\n") {
		for _, w := range wordRun(line) {
			if !vocab[w] {
				t.Errorf("page %d: %q is not a word of the report (broken or run together) in %q", n, w, strings.TrimSpace(line))
			}
		}
	}
}

// checkNothingLost: every word of the report's body is printed.
func checkNothingLost(t *testing.T, pages []pdfPage, page string) {
	t.Helper()
	printed := map[string]bool{}
	for _, p := range pages {
		for _, w := range wordRun(p.Layout) {
			printed[w] = true
		}
	}
	body := page[strings.Index(page, "<body>"):]
	for w := range htmlVocabulary(body) {
		if !printed[w] {
			t.Errorf("%q is in the report but on no printed page", w)
		}
	}
}

// checkNoOverlap: no two words are drawn over each other, and every word
// is on the paper.
func checkNoOverlap(t *testing.T, n int, p pdfPage) {
	t.Helper()
	const slack = 0.5 // points: boxes of adjacent lines may touch
	for i, a := range p.Words {
		if a.XMin < 0 || a.YMin < 0 || a.XMax > p.Width || a.YMax > p.Height {
			t.Errorf("page %d: %q is drawn off the paper at (%.0f, %.0f)-(%.0f, %.0f)", n, a.Text, a.XMin, a.YMin, a.XMax, a.YMax)
		}
		for _, b := range p.Words[i+1:] {
			w := math.Min(a.XMax, b.XMax) - math.Max(a.XMin, b.XMin)
			h := math.Min(a.YMax, b.YMax) - math.Max(a.YMin, b.YMin)
			if w > slack && h > slack {
				t.Errorf("page %d: %q and %q overlap (%.1f × %.1f pt)", n, a.Text, b.Text, w, h)
			}
		}
	}
}

// checkNoStrandedHeading: a page's body does not end with a heading, a
// table's caption or a table's header row, alone or with only the
// paragraphs that introduce what follows: those belong on the next page
// with what they head.
func checkNoStrandedHeading(t *testing.T, n int, p pdfPage, heads []heading, theads []map[string]bool) {
	t.Helper()
	lines := bodyLines(p)
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		for _, h := range heads {
			if line == h.Text || strings.HasPrefix(h.Text, line+" ") {
				t.Errorf("page %d ends with the heading %q; it belongs on the next page with what it heads", n, h.Text)
				return
			}
		}
		if isHeaderRow(line, theads) {
			t.Errorf("page %d ends with a table's header row %q and none of its rows", n, line)
			return
		}
		if !slices.ContainsFunc(heads, func(h heading) bool { return strings.Contains(h.LeadIn, line) }) {
			return // content: the heading above it is not alone
		}
	}
}

// isHeaderRow reports whether a line of two words or more is made of the
// words of one table's header row.
func isHeaderRow(line string, theads []map[string]bool) bool {
	words := wordRun(line)
	if len(words) < 2 {
		return false
	}
	return slices.ContainsFunc(theads, func(head map[string]bool) bool {
		return !slices.ContainsFunc(words, func(w string) bool { return !head[w] })
	})
}

// htmlTableHeads gives the words of each table's header row.
func htmlTableHeads(page string) []map[string]bool {
	var out []map[string]bool
	for _, m := range theadRE.FindAllStringSubmatch(page, -1) {
		words := map[string]bool{}
		for _, w := range wordRun(html.UnescapeString(htmlTagRE.ReplaceAllString(m[1], " "))) {
			words[w] = true
		}
		out = append(out, words)
	}
	return out
}

// bodyLines lays out the words of a page's body, without the running
// header and footer, as lines from the top.
func bodyLines(p pdfPage) []string {
	top, bottom := pageMargins()
	var words []pdfWord
	for _, w := range p.Words {
		if w.YMin >= top && w.YMax <= p.Height-bottom {
			words = append(words, w)
		}
	}
	slices.SortStableFunc(words, func(a, b pdfWord) int {
		if math.Abs(a.YMin-b.YMin) > 2 {
			return cmp.Compare(a.YMin, b.YMin)
		}
		return cmp.Compare(a.XMin, b.XMin)
	})
	var lines []string
	lastY := math.Inf(-1)
	for _, w := range words {
		if w.YMin-lastY > 2 {
			lines = append(lines, w.Text)
			lastY = w.YMin
			continue
		}
		lines[len(lines)-1] += " " + w.Text
	}
	return lines
}

// pageMargins reads the printed page's top and bottom margins from the
// report's style sheet, in points.
func pageMargins() (top, bottom float64) {
	m := regexp.MustCompile(`@page\s*{[^}]*?margin:\s*([0-9.]+)mm\s+[0-9.]+mm\s+([0-9.]+)mm`).FindStringSubmatch(htmlCSS)
	if m == nil {
		panic("report.css: no @page margin: TOP SIDES BOTTOM in mm")
	}
	const pt = 72 / 25.4
	return num(m[1]) * pt, num(m[2]) * pt
}
