package model_test

import (
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

func sampleManifest() model.Manifest {
	return model.Manifest{Assessment: "06h28s4m70841h55", Name: "LIMS 2026", CatalogVersion: "2026.11", CatalogHash: "c0ffee",
		Head: strings.Repeat("ab", 32), Entries: 42, Milestone: "v1.0", Step: model.WorkflowFinal, Meaning: "approved",
		Signer: "Jane Smith", Role: "QA", Key: "SHA256:j2lSh+5+ctQ8NRx2ut5UK+1qON4Kbi5x+HHWktuMqpk",
		Time: time.Date(2026, 11, 12, 10, 0, 0, 0, time.UTC)}
}

// The manifest's bytes are the signed message: this text is the format
// docs and inspectors rely on, so it must not drift.
func TestManifestText(t *testing.T) {
	m := sampleManifest()
	got, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := `onus-signature-manifest v1
assessment: 06h28s4m70841h55
name: LIMS 2026
catalog-version: 2026.11
catalog-hash: c0ffee
chain-head: abababababababababababababababababababababababababababababababab
chain-entries: 42
milestone: v1.0
step: final
meaning: approved
signer: Jane Smith
role: QA
key: SHA256:j2lSh+5+ctQ8NRx2ut5UK+1qON4Kbi5x+HHWktuMqpk
time: 2026-11-12T10:00:00Z
open-high-gaps: 0
acknowledgement:
`
	if string(got) != want {
		t.Errorf("manifest text:\n%s\nwant:\n%s", got, want)
	}
	back, err := model.ParseManifest(got)
	if err != nil || back != m {
		t.Errorf("parse back: %v\n%+v\n%+v", err, back, m)
	}
}

// Text a person typed can hold line breaks, backslashes and controls; each
// value still takes one line, and parses back to itself.
func TestManifestEscapes(t *testing.T) {
	m := sampleManifest()
	m.Name = "LIMS\nrelease \\ 2\r\x1b[2J\x7f"
	m.Acknowledgement = "two gaps: see CAPA-12\nand CAPA-13 ü"
	m.OpenHighGaps = 2
	text, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), `name: LIMS\nrelease \\ 2\r\x1b[2J\x7f`+"\n") ||
		!strings.Contains(string(text), `acknowledgement: two gaps: see CAPA-12\nand CAPA-13 ü`+"\n") {
		t.Errorf("escaped text:\n%s", text)
	}
	if n := strings.Count(string(text), "\n"); n != 16 {
		t.Errorf("%d lines, want 16", n)
	}
	back, err := model.ParseManifest(text)
	if err != nil || back != m {
		t.Errorf("parse back: %v\n%+v", err, back)
	}
	m.Name = "bad \xff"
	if _, err := m.Encode(); err == nil {
		t.Error("invalid UTF-8 encoded")
	}
}

// Only the one canonical text parses, so a parsed manifest is always the
// exact message that was signed.
func TestManifestRefusesOtherForms(t *testing.T) {
	good, err := sampleManifest().Encode()
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	for name, text := range map[string]string{
		"CRLF":               strings.ReplaceAll(s, "\n", "\r\n"),
		"no final newline":   strings.TrimSuffix(s, "\n"),
		"trailing line":      s + "extra: 1\n",
		"other header":       strings.Replace(s, "v1", "v2", 1),
		"fields reordered":   strings.Replace(s, "meaning: approved\nsigner: Jane Smith", "signer: Jane Smith\nmeaning: approved", 1),
		"time with offset":   strings.Replace(s, "2026-11-12T10:00:00Z", "2026-11-12T12:00:00+02:00", 1),
		"fractional seconds": strings.Replace(s, "10:00:00Z", "10:00:00.5Z", 1),
		"leading zero":       strings.Replace(s, "chain-entries: 42", "chain-entries: 042", 1),
		"space after empty":  strings.Replace(s, "acknowledgement:\n", "acknowledgement: \n", 1),
		"bad escape":         strings.Replace(s, "meaning: approved", `meaning: appro\qved`, 1),
		"not a number":       strings.Replace(s, "open-high-gaps: 0", "open-high-gaps: none", 1),
		"invalid UTF-8":      strings.Replace(s, "Jane", "J\xffne", 1),
	} {
		if _, err := model.ParseManifest([]byte(text)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// A signed sign-off shows its fields in reports; each must be what was
// signed.
func TestSignOffMatchesItsManifest(t *testing.T) {
	m := sampleManifest()
	text, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	so := m.SignOff(string(text), "-----BEGIN SSH SIGNATURE-----")
	if _, err := so.ParseManifest(); err != nil {
		t.Fatalf("own manifest: %v", err)
	}
	for field, edit := range map[string]func(*model.SignOff){
		"signer":          func(s *model.SignOff) { s.By = "Mallory" },
		"meaning":         func(s *model.SignOff) { s.Meaning = "reviewed" },
		"time":            func(s *model.SignOff) { s.At = s.At.Add(time.Hour) },
		"step":            func(s *model.SignOff) { s.Step = model.WorkflowInReview },
		"acknowledgement": func(s *model.SignOff) { s.Acknowledgement = "none needed" },
	} {
		forged := so
		edit(&forged)
		if _, err := forged.ParseManifest(); err == nil || !strings.Contains(err.Error(), "differs") {
			t.Errorf("%s changed after signing: %v", field, err)
		}
	}
}
