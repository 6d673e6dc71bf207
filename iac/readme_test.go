package iac

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// README's example is this package's output for the SAM fixture, and its
// limits are this package's: both are checked, not copied by hand.
func TestREADMEExample(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	cat := catalog(t)
	r := mustScan(t, "testdata/sam/template.yaml")
	text := strings.ReplaceAll(r.Text(cat), "testdata/sam/", "")
	lines := strings.Split(text, "\n")
	for _, l := range lines {
		if strings.Contains(l, "sha256 ") || strings.Contains(l, "services found:") || strings.Contains(l, "IngestFunction AWS::") ||
			strings.Contains(l, "PackageType") || strings.Contains(l, "×1: ") || strings.Contains(l, "ReportingApp →") ||
			strings.Contains(l, "SAM creates it for the Api event") {
			if !strings.Contains(readme, l+"\n") {
				t.Errorf("README's example lacks the line\n%s", l)
			}
		}
	}
	flat := strings.ReplaceAll(strings.Join(strings.Fields(readme), " "), "1,000", "1000")
	limits := fmt.Sprintf("A file is refused above %d MiB, a scan above %d MiB or %d files, a YAML template whose aliases expand past a million values", MaxFileBytes>>20, MaxTotalBytes>>20, MaxFiles)
	if !strings.Contains(flat, limits) {
		t.Errorf("README does not say %q", limits)
	}
	if maxNodes != 1_000_000 {
		t.Error("README says aliases may expand to a million values")
	}
}
