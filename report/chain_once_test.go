package report

import (
	"errors"
	"strings"
	"testing"
)

// A caller that verified the chain already passes what it found
// (Input.Chain), and every format prints that rather than verifying the
// trail again: here a finding the trail itself would not give.
func TestReportsTakeTheChainAsVerified(t *testing.T) {
	in := fixtureInput(t)
	if out, err := Render("md", in); err != nil || strings.Contains(string(out), "BROKEN") {
		t.Fatalf("the fixture's chain verifies: %v", err)
	}
	in.Chain = &ChainCheck{Err: errors.New("audit trail broken at entry 2: found by the caller")}
	for format, want := range map[string]string{
		"md":       "Hash chain: **BROKEN** — audit trail broken at entry 2: found by the caller",
		"html":     "found by the caller",
		"oscal-ar": `"name": "audit-trail-verified",` + "\n          \"ns\": \"" + onusNS + "\",\n          \"value\": \"false\"",
	} {
		out, err := Render(format, in)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), want) {
			t.Errorf("%s: %q not printed", format, want)
		}
	}
}
