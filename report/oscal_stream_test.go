package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// A streamed array is written as json.Indent writes the array in its
// place, carried documents inside it included, and an empty one is left
// out as an empty slice is under omitempty.
func TestStreamedArrayIsTheArrayIndented(t *testing.T) {
	_, inner, err := carry("u1", "inner.json", "application/json", true, map[string]any{"inner": "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ph := strings.Trim(string(inner.placeholder), `"`)
	items := []map[string]any{{"a": 1, "carried": ph}, {"b": []any{}, "c": hostile}, {}}
	type plain struct {
		Head  string           `json:"head"`
		Items []map[string]any `json:"items,omitempty"`
		None  []int            `json:"none,omitempty"`
		Tail  []int            `json:"tail"`
	}
	type withStreams struct {
		Head  string    `json:"head"`
		Items *streamed `json:"items,omitempty"`
		None  *streamed `json:"none,omitempty"`
		Tail  []int     `json:"tail"`
	}
	var long []*streamed
	doc := withStreams{Head: "h", Items: streamOf(&long, items), None: streamOf(&long, []int(nil)), Tail: []int{1, 2}}
	var got bytes.Buffer
	if err := writeOSCAL(&got, doc, splices{inner}, long...); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := writeOSCAL(&want, plain{Head: "h", Items: items, Tail: []int{1, 2}}, splices{inner}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("streamed:\n%s\nwant:\n%s", got.Bytes(), want.Bytes())
	}
	if bytes.Contains(got.Bytes(), []byte(placeholderStart[1:])) {
		t.Fatal("a placeholder is left in the document")
	}
}

// countedElem counts its encodings.
type countedElem struct{ n *int }

func (c countedElem) MarshalJSON() ([]byte, error) {
	*c.n++
	return []byte(`{"text":"` + strings.Repeat("x", 200) + `"}`), nil
}

// The elements of a streamed array are encoded as the document is
// written, not before: a writer that fails at its first write stops the
// encoding after a few, where encoding the whole document first would
// have encoded every element.
func TestStreamedArrayIsEncodedAsWritten(t *testing.T) {
	var encoded int
	items := make([]countedElem, 10000)
	for i := range items {
		items[i] = countedElem{&encoded}
	}
	var long []*streamed
	doc := struct {
		Items *streamed `json:"items"`
	}{streamOf(&long, items)}
	full := errors.New("disk full")
	err := writeOSCAL(failingWriter{full}, doc, nil, long...)
	if !errors.Is(err, full) {
		t.Fatalf("error %v, want the writer's", err)
	}
	if encoded == 0 || encoded > 1000 {
		t.Errorf("%d of %d elements encoded before the first write failed", encoded, len(items))
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }
