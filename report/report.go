// Package report turns an assessment, its catalog and its audit trail into
// files people and tools read: a Markdown or HTML report, a CSV evidence
// matrix, the canonical JSON bundle, and OSCAL documents (assessment
// results, assessment plan, system security plan, component definition),
// and the catalog itself into an OSCAL catalog and profiles.
//
// Every renderer is a pure function of its Input: no clock, no files, no
// network. The same input gives byte-identical output; every time printed
// comes from the data (see Input.Now).
//
// Text from users and catalogs is untrusted. Each format escapes it for its
// own syntax: Markdown and HTML also pass it through safetext.Clean, CSV
// defuses spreadsheet formulas, JSON keeps it exactly, and OSCAL keeps it
// exactly or, in its Markdown fields, escaped to render exactly.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/onus-gxp/onus/model"
)

// Format is one export format.
type Format struct {
	ID   string // what --format takes: md, html, csv, json, oscal-ar, oscal-cd, oscal-ssp, oscal-ap
	Name string // for people: "Markdown report"
	Ext  string // file name ending, with the dot: ".md", ".oscal-ar.json"
	Desc string // one line on what the file holds
}

// Formats lists the export formats in the order they are offered.
var Formats = []Format{
	{ID: "md", Name: "Markdown report", Ext: ".md",
		Desc: "summary, scope, record inventory, supplier assessment, stacks with GAMP categories, responsibility matrix with notes, ALCOA+ coverage, automated evidence, gaps, sign-offs, audit trail, evidence index"},
	{ID: "html", Name: "HTML report", Ext: ".html",
		Desc: "the same report as one self-contained page, stacks drawn in colour; prints on A4 or US Letter with its identity on every page"},
	{ID: "csv", Name: "Evidence matrix (CSV)", Ext: ".csv",
		Desc: "one row per applicable control: owner, status, evidence by register id, justification, notes, gap, ALCOA+, automated checks; then the record inventory; each row names the assessment, revision, trail head and sign-off"},
	{ID: "json", Name: "Onus bundle (JSON)", Ext: ".json",
		Desc: "the assessment and its audit trail, canonical JSON for exchange and import"},
	{ID: "oscal-ar", Name: "OSCAL assessment results", Ext: ".oscal-ar.json",
		Desc: "NIST OSCAL 1.1.3: findings, observations with evidence (each piece a back-matter resource), risks, assessment log"},
	{ID: "oscal-cd", Name: "OSCAL component definition", Ext: ".oscal-cd.json",
		Desc: "NIST OSCAL 1.1.3: the customer responsibility matrix: the solution's split of each control once, each service's share"},
	{ID: "oscal-ssp", Name: "OSCAL system security plan", Ext: ".oscal-ssp.json",
		Desc: "NIST OSCAL 1.1.3: AWS as a leveraged authorization; per control what AWS provides and leaves to the customer (export), each service's inherited and satisfied, the customer's answer"},
	{ID: "oscal-ap", Name: "OSCAL assessment plan", Ext: ".oscal-ap.json",
		Desc: "NIST OSCAL 1.1.3: the plan the assessment implies (the applicable controls), importing the system security plan"},
	{ID: "prep-md", Name: "Workshop prep pack (Markdown)", Ext: ".prep.md",
		Desc: "the questions that apply, by who answers them (owner, role, domain), why, and the evidence expected"},
	{ID: "prep-html", Name: "Workshop prep pack (HTML)", Ext: ".prep.html",
		Desc: "the same prep pack as one page to send or print"},
	{ID: "prep-xlsx", Name: "Workshop prep pack (spreadsheet)", Ext: ".prep.xlsx",
		Desc: "the questions with columns to answer in (a status list), read back by onus import-answers"},
}

// LookupFormat finds a format by id.
func LookupFormat(id string) (Format, bool) {
	for _, f := range Formats {
		if f.ID == id {
			return f, true
		}
	}
	return Format{}, false
}

// FormatIDs lists the format ids, for usage messages.
func FormatIDs() []string {
	ids := make([]string, len(Formats))
	for i, f := range Formats {
		ids[i] = f.ID
	}
	return ids
}

// FileName suggests a file name for an assessment exported in a format:
// "onus-<id><ext>", the id reduced to letters, digits, dot, dash and
// underscore so it is safe on every file system.
func FileName(assessmentID, format string) string {
	f, ok := LookupFormat(format)
	if !ok {
		f.Ext = "." + safeFileChars(format)
	}
	id := safeFileChars(assessmentID)
	if id == "" {
		id = "assessment"
	}
	return "onus-" + id + f.Ext
}

func safeFileChars(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return strings.Trim(b.String(), ".")
}

// Input is everything a report is made from.
type Input struct {
	Catalog    *model.Catalog
	Assessment model.Assessment
	// Trail is the assessment's audit trail in sequence order; it may be
	// empty (the report then says so).
	Trail []model.AuditEntry
	// Now is the time the report is "as of": it decides which supplier
	// evidence has gone stale and is printed as the report's date. Zero
	// means the latest time found in the data (the last change to the
	// assessment, an answer, a sign-off or the trail), so that exporting
	// the same assessment twice gives byte-identical files. Never pass the
	// wall clock unless the user asked for a date.
	Now time.Time
	// Signatures is what checking each electronic signature in Trail
	// found (sign.Verify, against the organisation's allowed signers):
	// every format prints each sign-off's state from it. Nil means not
	// checked, and the reports say so.
	Signatures []model.SignatureCheck
	// Chain, when not nil, is what verifying Trail's chain found
	// (model.VerifyChain), by a caller that verified it already: the
	// report prints it rather than verifying the chain again. Nil: the
	// report verifies the chain itself, once however many documents it
	// writes.
	Chain *ChainCheck
	// Version is the version of Onus making the report, printed with the
	// document's identity (on every page of the HTML report); empty
	// prints "version unknown".
	Version string
}

// ChainCheck is what verifying a trail's chain found: nil Err when it is
// unbroken.
type ChainCheck struct{ Err error }

// UnknownFormatError is returned for a format id Onus does not know.
type UnknownFormatError struct{ Format string }

func (e *UnknownFormatError) Error() string {
	return fmt.Sprintf("unknown format %q (use %s)", e.Format, strings.Join(FormatIDs(), ", "))
}

// RenderTo renders the input in a format as Render does, writing it to w
// as it is made: the OSCAL documents, whose carried documents run to tens
// of megabytes at the largest, are never held whole in memory. On an
// error part of the document may have been written.
func RenderTo(w io.Writer, format string, in Input) error {
	var write func(io.Writer, Input) error
	switch format {
	case "oscal-ar":
		write = writeAssessmentResults
	case "oscal-cd":
		write = writeComponentDefinition
	case "oscal-ssp":
		write = writeSystemSecurityPlan
	case "oscal-ap":
		write = writeAssessmentPlan
	default:
		out, err := Render(format, in)
		if err == nil {
			_, err = w.Write(out)
		}
		return err
	}
	if in.Catalog == nil {
		return fmt.Errorf("report: no catalog given")
	}
	return write(w, in)
}

// Render renders the input in a format (an ID of Formats) to memory.
// Every format but json needs the catalog. The exports (onus export, the
// wizards) write with RenderTo instead, which never holds an OSCAL
// document whole.
func Render(format string, in Input) ([]byte, error) {
	if _, ok := LookupFormat(format); !ok {
		return nil, &UnknownFormatError{Format: format}
	}
	if in.Catalog == nil && format != "json" {
		return nil, fmt.Errorf("report: no catalog given")
	}
	switch format {
	case "json":
		return JSON(in)
	case "md":
		return Markdown(in)
	case "html":
		return HTML(in)
	case "csv":
		return CSV(in)
	case "oscal-ar":
		return OSCALAssessmentResults(in)
	case "oscal-cd":
		return OSCALComponentDefinition(in)
	case "oscal-ssp":
		return OSCALSystemSecurityPlan(in)
	case "oscal-ap":
		return OSCALAssessmentPlan(in)
	case "prep-md":
		return PrepMarkdown(in)
	case "prep-html":
		return PrepHTML(in)
	case "prep-xlsx":
		return PrepXLSX(in)
	}
	return nil, &UnknownFormatError{Format: format}
}
