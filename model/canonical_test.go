package model_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/onus-gxp/onus/model"
)

// An entry's hash covers its data, not one way of writing it: the same
// entry read from JSON written with other escapes, another key order or
// other white space has the same hash, in the current format and in the
// one before it.
func TestHashCoversTheDataNotTheBytes(t *testing.T) {
	ans := model.Answer{Control: "AT-01", Status: model.StatusPartial, Notes: "<gap> & more\u2028é 🙂", UpdatedBy: "ana",
		UpdatedAt: time.Date(2026, 11, 2, 9, 0, 0, 123_000_000, time.UTC)}
	raw, err := json.Marshal(ans) // Go's escapes: \u003c, \u0026, \u2028
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(`\u003cgap\u003e`)) {
		t.Fatalf("not written with Go's escapes: %s", raw)
	}
	// The same value as another tool writes it: keys in another order,
	// characters as themselves, white space.
	other := []byte("{ \"updated_by\" : \"ana\", \"notes\": \"<gap> & more\u2028\\u00e9 \\ud83d\\ude42\",\n \"updated_at\": \"2026-11-02T09:00:00.123Z\", \"status\": \"partial\", \"control\": \"AT-01\" }")
	for _, format := range []int{0, model.EntryFormat} {
		e := model.AuditEntry{Assessment: "a1", Seq: 3, Time: ans.UpdatedAt, Actor: "ana <QA>", Action: model.ActAnswer, Target: "answer/AT-01",
			New: raw, Old: raw, Reason: "a > b", Format: format, PrevHash: strings.Repeat("ab", 32)}
		e.Hash = e.ComputeHash()
		again := e
		again.New, again.Old = other, other
		if !again.HashMatches() {
			t.Errorf("format %d: the entry rewritten by another tool does not match its hash", format)
		}
		again.New = bytes.Replace(other, []byte("partial"), []byte("planned"), 1)
		if again.HashMatches() {
			t.Errorf("format %d: an edited value matches the hash", format)
		}
	}
}

// The current format's hash is the SHA-256 of the entry's RFC 8785
// canonical JSON, so anyone can compute it without onus; this pins it.
func TestEntryHashIsCanonicalJSON(t *testing.T) {
	e := model.AuditEntry{Assessment: "a1", Seq: 2, Time: time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("CET", 3600)),
		Actor: "ana", Action: model.ActWorkflow, Target: "workflow", Old: json.RawMessage(`"draft"`), New: json.RawMessage(` "in-review" `),
		Format: model.EntryFormat, PrevHash: "00"}
	want := `{"action":"workflow","actor":"ana","assessment":"a1","domain":"onus-audit","format":3,"new":"in-review","old":"draft","prev_hash":"00","reason":"","seq":2,"target":"workflow","time":"2026-11-02T08:00:00Z"}`
	h, err := model.CanonicalHash(json.RawMessage(want))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.ComputeHash(); got != h {
		t.Errorf("hash %s, want the SHA-256 of %s (%s)", got, want, h)
	}
}

// A bundle's bytes must be UTF-8 wherever a read ends, and a byte that is
// not is refused with its offset.
func TestReadBundleChecksUTF8AcrossReads(t *testing.T) {
	a, trail := chain(t)
	a.Name = "LIMS é 漢字 🙂"
	b := model.NewBundle(a, trail)
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.ReadBundle(iotest.OneByteReader(bytes.NewReader(data))); err != nil {
		t.Fatalf("UTF-8 read one byte at a time: %v", err)
	}
	bad := bytes.Replace(data, []byte("漢"), []byte("\xe6\xbc"), 1)
	at := bytes.Index(bad, []byte("\xe6\xbc"))
	_, err = model.ReadBundle(iotest.OneByteReader(bytes.NewReader(bad)))
	if want := fmt.Sprintf("not UTF-8 at byte %d", at); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a cut character: %v, want %q", err, want)
	}
}

// Text checks name the field and the offset of the first bad byte,
// anywhere inside a value.
func TestTextChecks(t *testing.T) {
	err := model.CheckValueText("the new value", model.Answer{Control: "AT-01",
		Evidence: []model.EvidenceRef{{Title: "ok"}, {Title: "OQ", Location: "DMS/\xff"}}})
	if err == nil || !strings.Contains(err.Error(), "the new value.evidence[1].location is not valid UTF-8 (byte 0xff at offset 4)") {
		t.Errorf("CheckValueText: %v", err)
	}
	if err := model.CheckValueText("v", map[string]model.Answer{"A": {Notes: "é"}}); err != nil {
		t.Errorf("valid text: %v", err)
	}
	if err := model.ValidateActor(strings.Repeat("x", model.MaxNameBytes+1)); err == nil || !strings.Contains(err.Error(), "actor name too long") {
		t.Errorf("a long actor name: %v", err)
	}
	if err := model.ValidateActor(" "); err == nil {
		t.Error("an empty actor name passes")
	}
}
