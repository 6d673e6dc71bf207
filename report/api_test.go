package report

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

func TestFormats(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Formats {
		if f.ID == "" || f.Name == "" || !strings.HasPrefix(f.Ext, ".") || seen[f.Ext] {
			t.Errorf("format %+v: needs an id, a name and a distinct extension", f)
		}
		seen[f.Ext] = true
		if g, ok := LookupFormat(f.ID); !ok || g != f {
			t.Errorf("LookupFormat(%q) = %+v, %v", f.ID, g, ok)
		}
	}
	if got := strings.Join(FormatIDs(), " "); got != "md html csv json oscal-ar oscal-cd oscal-ssp oscal-ap" {
		t.Errorf("FormatIDs() = %q", got)
	}
}

func TestRenderErrors(t *testing.T) {
	_, err := Render("pdf", fixtureInput(t))
	var ufe *UnknownFormatError
	if !errors.As(err, &ufe) || !strings.Contains(err.Error(), "md, html, csv, json, oscal-ar, oscal-cd, oscal-ssp, oscal-ap") {
		t.Errorf("Render(pdf) = %v, want an UnknownFormatError listing the formats", err)
	}
	for _, f := range Formats {
		_, err := Render(f.ID, Input{})
		if f.ID != "json" && err == nil {
			t.Errorf("Render(%s) without a catalog: no error", f.ID)
		}
		if f.ID == "json" && err != nil {
			t.Errorf("Render(json) needs no catalog: %v", err)
		}
	}
}

func TestFileName(t *testing.T) {
	for _, c := range []struct{ id, format, want string }{
		{"dms-prod", "html", "onus-dms-prod.html"},
		{"dms-prod", "oscal-ar", "onus-dms-prod.oscal-ar.json"},
		{"../../etc/passwd", "md", "onus-_.._etc_passwd.md"},
		{"", "csv", "onus-assessment.csv"},
	} {
		if got := FileName(c.id, c.format); got != c.want {
			t.Errorf("FileName(%q, %q) = %q, want %q", c.id, c.format, got, c.want)
		}
	}
}

// TestAsOf: the report's date is the latest time in the data unless the
// caller gives one, and it decides which supplier evidence is stale.
func TestAsOf(t *testing.T) {
	in := fixtureInput(t)
	if got, want := gather(in).asOf, at(9, "16:00"); !got.Equal(want) {
		t.Errorf("as of %v, want the last change %v", got, want)
	}
	in.Now = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	f := gather(in)
	for _, g := range f.review.Gaps {
		if g.Kind == "stale-supplier-evidence" {
			t.Errorf("as of 2024-06-01 the ISO 9001 report is not stale yet: %+v", g)
		}
	}
	out, err := Render("md", in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "as of 2024-06-01 00:00 UTC") {
		t.Error("the Markdown report does not print the given date")
	}
}

// TestEmpty renders an assessment with nothing in it in every format.
func TestEmpty(t *testing.T) {
	for _, f := range Formats {
		out, err := Render(f.ID, emptyInput(t))
		if err != nil || len(out) == 0 {
			t.Errorf("%s: %d bytes, %v", f.ID, len(out), err)
		}
	}
}

// TestJSONBundle: the JSON export is the store's canonical bundle, and
// the fixture's bundle verifies (its trail rebuilds its assessment).
func TestJSONBundle(t *testing.T) {
	in := fixtureInput(t)
	out, err := Render("json", in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.DecodeBundle(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Verify(); err != nil {
		t.Fatalf("the fixture's bundle does not verify: %v", err)
	}
	want, _ := model.NewBundle(in.Assessment, in.Trail).Encode()
	if string(out) != string(want) {
		t.Error("the JSON export is not model.Bundle's canonical encoding")
	}
}

// TestBrokenTrail: a trail whose chain does not verify is reported as
// broken, with the entry where it breaks.
func TestBrokenTrail(t *testing.T) {
	in := fixtureInput(t)
	in.Trail[3].Reason = "edited afterwards"
	for _, format := range []string{"md", "html"} {
		out, err := Render(format, in)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "BROKEN") || !strings.Contains(string(out), "audit trail broken at entry 4") {
			t.Errorf("%s: a broken chain is not reported", format)
		}
	}
}
