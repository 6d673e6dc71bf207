package report

import (
	"fmt"

	"github.com/onus-gxp/onus/model"
)

// identity names the one revision of one assessment a report was made
// from, so that a printed page, a spreadsheet row or a file can be traced
// back to it: on every page of the HTML report, on every row of the CSV,
// at the head of the Markdown report and in the OSCAL metadata. Strings
// are raw; each format escapes them.
type identity struct {
	Assessment string // the assessment's id
	Name       string // its name, or its id when it has none
	Revision   string // the sequence number of the trail's last entry; "" without a trail
	Head       string // the audit trail's head hash; "" without a trail
	AsOf       string // the report's date (Input.Now, else the data's last change)
	Catalog    string // the version of the catalog the report uses
	Onus       string // the version of Onus that made the report
	SignOff    string // the sign-offs and the latest one's signature, in words
}

func (f *facts) identity() identity {
	id := identity{
		Assessment: f.a.ID, Name: f.a.Name, AsOf: dateTime(f.asOf), Catalog: f.cat.Version,
		Onus: f.in.Version, Head: model.Head(f.in.Trail), SignOff: f.signOffSummary(),
	}
	if id.Name == "" {
		id.Name = id.Assessment
	}
	if n := len(f.in.Trail); n > 0 {
		id.Revision = fmt.Sprint(f.in.Trail[n-1].Seq)
	}
	if id.Onus == "" {
		id.Onus = "version unknown"
	}
	return id
}

// headText is the head hash, or why there is none.
func (id identity) headText() string {
	if id.Head == "" {
		return "none (no audit trail in this export)"
	}
	return id.Head
}

func (id identity) revisionText() string {
	if id.Revision == "" {
		return "unknown (no audit trail in this export)"
	}
	return id.Revision
}

// signatureState is what can be said of a sign-off's electronic
// signature. Every format prints a sign-off's state from signatureOf, and
// the summary from signOffSummary, so that signatures are added here
// alone.
type signatureState string

// sigUnsigned is a sign-off recorded by name, role, meaning and time, with
// no electronic signature over it: all model.SignOff can hold today.
// Signed sign-offs will add "verified" (the signature checks against the
// chain head it names and an allowed signer) and "superseded" (it did,
// and the assessment was reopened since); signatureOf then decides.
const sigUnsigned signatureState = "unsigned"

func signatureOf(model.SignOff) signatureState { return sigUnsigned }

// signatureWords says what a state means, for readers of the reports.
func signatureWords(s signatureState) string {
	switch s {
	case sigUnsigned:
		return "unsigned (no electronic signature)"
	}
	return string(s)
}

// signOffSummary sums up the sign-offs in one line: how many, the latest
// and its signature's state ("none" when there is none).
func (f *facts) signOffSummary() string {
	so := f.a.SignOffs
	if len(so) == 0 {
		return "none"
	}
	last := so[len(so)-1]
	who := last.By
	if last.Role != "" {
		who += " (" + last.Role + ")"
	}
	lead := ""
	if len(so) > 1 {
		lead = fmt.Sprintf("%d, latest ", len(so))
	}
	return lead + who + ", " + dateTime(last.At) + "; signature: " + string(signatureOf(last))
}
