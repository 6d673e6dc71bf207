package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The indenter writes what json.Indent writes, byte for byte, and puts a
// carried document only where its own placeholder stands: strings that
// begin like one, run longer, or name another document stay as they are.
func TestIndenterIsJSONIndentWithCarriedDocuments(t *testing.T) {
	_, inner, err := carry("u1", "inner.json", "application/json", true, map[string]any{"inner": "<&> \u2028 \"q\""}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ph := strings.Trim(string(inner.placeholder), `"`)
	doc := map[string]any{
		"carried":  ph,
		"longer":   ph + "0",
		"shorter":  ph[:len(ph)-1],
		"other":    "onus-placeholder:" + strings.Repeat("0", 64),
		"escaped":  `onus-placeholder:\"` + ph,
		"empty":    []any{map[string]any{}, []any{}, ""},
		"nested":   map[string]any{"a": []any{1, 2.5, true, nil, "x,y:{z}[w]"}, "b": hostile},
		"prefixed": "onus-placeholder",
	}
	var got bytes.Buffer
	if err := writeOSCAL(&got, doc, splices{inner}); err != nil {
		t.Fatal(err)
	}
	compact, _ := encodeCompact(doc)
	var want bytes.Buffer
	if err := json.Indent(&want, compact, "", "  "); err != nil {
		t.Fatal(err)
	}
	want.WriteByte('\n')
	var value bytes.Buffer
	if err := inner.writeTo(&value); err != nil {
		t.Fatal(err)
	}
	wantBytes := bytes.Replace(want.Bytes(), inner.placeholder, value.Bytes(), 1)
	if !bytes.Equal(got.Bytes(), wantBytes) {
		t.Fatalf("indenter:\n%s\nwant:\n%s", got.Bytes(), wantBytes)
	}
	if bytes.Contains(got.Bytes(), []byte(`"carried": `+string(inner.placeholder))) || bytes.Count(got.Bytes(), value.Bytes()) != 1 {
		t.Fatal("the placeholder is left, or the document not carried once")
	}
	if n := indentedLen(compact, splices{inner}); n != got.Len() {
		t.Errorf("indentedLen counts %d bytes, the indenter wrote %d", n, got.Len())
	}
}

// A document rendered to memory is given its exact room, not doubled
// into place: the slice's capacity is its length, up to the allocator's
// rounding, and it is what RenderTo writes.
func TestOSCALWrittenToMemoryOnce(t *testing.T) {
	for _, in := range []Input{fixtureInput(t), scaledInput(t, 1)} {
		for _, format := range []string{"oscal-ar", "oscal-ap", "oscal-ssp", "oscal-cd"} {
			out, err := Render(format, in)
			if err != nil {
				t.Fatal(err)
			}
			if cap(out)-len(out) > 16<<10 {
				t.Errorf("%s: %d bytes in a slice of %d", format, len(out), cap(out))
			}
			var streamed bytes.Buffer
			if err := RenderTo(&streamed, format, in); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, streamed.Bytes()) {
				t.Errorf("%s: Render and RenderTo differ", format)
			}
		}
	}
}
