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

// sigNotChecked is the state of an electronic signature the caller did
// not check (Input.Signatures nil): the report says so rather than guess.
const sigNotChecked model.SignatureState = "not checked"

// signature is what a report says of one sign-off's signature: its state
// (model.SignatureState: verified, superseded, unsigned, failed), who
// signed with which key, and the chain head signed.
type signature struct {
	State             model.SignatureState
	Signer, Key, Head string
	Entries           uint64
	Problem           string
	SignerChecked     bool
}

// signatureOf is the signature of the assessment's i-th sign-off: unsigned
// when it is a name without a signature; else what Input.Signatures found
// for it (the k-th signed sign-off is the k-th signature of the trail).
// Every format prints sign-offs from here, so that they agree.
func (f *facts) signatureOf(i int) signature {
	so := f.a.SignOffs[i]
	if !so.Signed() {
		return signature{State: model.SigUnsigned}
	}
	n := 0
	for _, s := range f.a.SignOffs[:i+1] {
		if s.Signed() {
			n++
		}
	}
	out := signature{State: sigNotChecked, Signer: so.By, Key: so.Key}
	for _, c := range f.in.Signatures {
		if c.N == n {
			return signature{State: c.State(), Signer: c.Signer, Key: c.Key, Head: c.Head, Entries: c.Entries, Problem: c.Problem,
				SignerChecked: c.SignerChecked}
		}
	}
	return out
}

// signatureWords says what a signature is, for readers of the reports:
// its state, then who signed with which key over which head.
func signatureWords(s signature) string {
	if s.State == model.SigUnsigned {
		return "unsigned (no electronic signature)"
	}
	by := fmt.Sprintf("signed by %s with key %s", s.Signer, orNone(s.Key))
	if s.Head != "" {
		by += fmt.Sprintf(" over trail head %s (entry %d)", s.Head, s.Entries)
	}
	switch s.State {
	case model.SigVerified:
		if !s.SignerChecked {
			return "verified (signer not checked: no allowed-signers file): " + by
		}
		return "verified: " + by
	case model.SigSuperseded:
		return "superseded by a reopening (still verifies against the head it signed): " + by
	case model.SigFailed:
		return "FAILED (" + s.Problem + "): " + by
	}
	return "not checked (this report was made without checking signatures): " + by
}

// signOffSummary sums up the sign-offs in one line: how many, the latest
// and its signature's state, key and head ("none" when there is none).
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
	sig := f.signatureOf(len(so) - 1)
	out := lead + who + ", " + dateTime(last.At) + "; signature: " + string(sig.State)
	if sig.State != model.SigUnsigned {
		out += ", key " + orNone(sig.Key)
		if sig.Head != "" {
			out += ", head " + sig.Head
		}
	}
	return out
}
