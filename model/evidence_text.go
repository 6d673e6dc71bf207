package model

import (
	"fmt"
	"strings"
)

// ParseEvidenceRef reads an evidence reference written on one line, as
// `onus answer --evidence` and the prep pack take it: "title" or
// "title|doc-id|version|date|location|supplier", each field trimmed, the
// supplier customer when left out. ValidateAnswer checks the result.
func ParseEvidenceRef(s string) (EvidenceRef, error) {
	f := strings.Split(s, "|")
	if len(f) > 6 {
		return EvidenceRef{}, fmt.Errorf("evidence %q: at most 6 fields: title|doc-id|version|date|location|supplier", s)
	}
	for len(f) < 6 {
		f = append(f, "")
	}
	ref := EvidenceRef{Title: strings.TrimSpace(f[0]), DocumentID: strings.TrimSpace(f[1]), Version: strings.TrimSpace(f[2]),
		Date: strings.TrimSpace(f[3]), Location: strings.TrimSpace(f[4]), Supplier: Supplier(strings.ToLower(strings.TrimSpace(f[5])))}
	if ref.Supplier == "" {
		ref.Supplier = SupplierCustomer
	}
	return ref, nil
}

// EvidenceRefText writes a reference as ParseEvidenceRef reads it, empty
// trailing fields left out.
func EvidenceRefText(r EvidenceRef) string {
	f := []string{r.Title, r.DocumentID, r.Version, r.Date, r.Location, string(r.Supplier)}
	if r.Supplier == SupplierCustomer {
		f[5] = ""
	}
	for len(f) > 1 && f[len(f)-1] == "" {
		f = f[:len(f)-1]
	}
	return strings.Join(f, "|")
}

// EvidenceRefs is the evidence an answer rests on, as references: its
// free-text ones, then the register entries it links to.
func (a *Assessment) EvidenceRefs(control string) []EvidenceRef {
	ans := a.Answer(control)
	out := append([]EvidenceRef(nil), ans.Evidence...)
	for _, l := range ans.Links {
		if e, ok := a.Entry(l.Entry); ok {
			out = append(out, EvidenceRef{Title: e.Title, DocumentID: e.DocumentID, Version: e.Version, Date: e.Date, Location: e.Location, Supplier: e.Owner})
		}
	}
	return out
}
