package model

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestPlainTextIsClassOfZero holds the eight-bytes-at-a-time check to the
// byte table: every byte value, at every place of strings either side of
// a word's length, is seen as the table sees it.
func TestPlainTextIsClassOfZero(t *testing.T) {
	for n := 1; n <= 17; n++ {
		for at := range n {
			for c := range 256 {
				b := []byte(strings.Repeat("a", n))
				b[at] = byte(c)
				s := string(b)
				if got, want := plainText(s), byteClass[c] == 0; got != want {
					t.Fatalf("plainText(%q) = %v, want %v", s, got, want)
				}
			}
		}
	}
}

// TestCountSkipsStrings: the room made for a list counts its elements
// whatever their strings hold (brackets, commas, escaped quotes and
// backslashes), and an array that does not end counts none.
func TestCountSkipsStrings(t *testing.T) {
	for _, c := range []struct {
		json string
		n    int
	}{
		{`[]`, 0},
		{`["a"]`, 1},
		{`["a]","b,c",",{["]`, 3},
		{`["a\"]",  "b"]`, 2},
		{`["a\\", "b\\\"]"]`, 2},
		{`[{"x":["a","b"]},{"y":"]"}]`, 2},
		{`["a", "b`, 0},
		{`["a\"]`, 0},
		{`{"a":1}`, 0},
	} {
		r := jsonReader{s: c.json}
		if got := r.count(); got != c.n {
			t.Errorf("count(%s) = %d, want %d", c.json, got, c.n)
		}
	}
}

// TestLoadedIndexIsBuildIndex: the index a loaded catalog takes from its
// validation is the one buildIndex makes, for JSON and for YAML.
func TestLoadedIndexIsBuildIndex(t *testing.T) {
	json, err := os.ReadFile("../assets/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := ParseCatalogText(string(json), "catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	yamlCat, err := ParseCatalog(append([]byte("# YAML\n"), json...), "catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Catalog{cat, yamlCat} {
		got := c.index
		c.buildIndex()
		if !reflect.DeepEqual(got, c.index) || len(got.control) != len(c.Controls) || len(got.layer) != len(c.Layers) {
			t.Fatalf("the loaded index differs from buildIndex's:\n%v\n%v", got, c.index)
		}
	}
}
