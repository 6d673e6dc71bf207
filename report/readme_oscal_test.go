package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestREADMEOSCALExamples: every OSCAL example in the README is an excerpt
// of what Onus writes. An example follows a comment naming the golden file
// it comes from (<!-- oscal example: TestGolden/report.oscal-ar.json -->),
// and must be found in it: each key it shows with the value it shows, each
// list's items in the document's list, in order.
func TestREADMEOSCALExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	examples := regexp.MustCompile("(?s)<!-- oscal example: (\\S+) -->\n```json\n(.*?)\n```").FindAllSubmatch(readme, -1)
	kinds := map[string]bool{}
	for _, m := range examples {
		file, block := string(m[1]), m[2]
		var ex, doc any
		if err := json.Unmarshal(block, &ex); err != nil {
			t.Errorf("README example from %s is not JSON: %v", file, err)
			continue
		}
		data, err := os.ReadFile(filepath.Join("testdata", file+".golden"))
		if err != nil {
			t.Errorf("README example from %s: %v", file, err)
			continue
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for k := range mapOf(doc) {
			kinds[k] = true
		}
		if !foundIn(doc, ex) {
			t.Errorf("README example is not in %s:\n%s", file, block)
		}
	}
	for _, root := range oscalRoots {
		if !kinds[root] {
			t.Errorf("the README has no example of an OSCAL %s", root)
		}
	}
}

// foundIn reports whether ex is an excerpt of doc or of any value in it.
func foundIn(doc, ex any) bool {
	if excerptOf(doc, ex) {
		return true
	}
	switch d := doc.(type) {
	case map[string]any:
		for _, v := range d {
			if foundIn(v, ex) {
				return true
			}
		}
	case []any:
		for _, v := range d {
			if foundIn(v, ex) {
				return true
			}
		}
	}
	return false
}

// excerptOf reports whether ex is doc with keys and list items left out.
func excerptOf(doc, ex any) bool {
	switch e := ex.(type) {
	case map[string]any:
		d, ok := doc.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range e {
			if dv, ok := d[k]; !ok || !excerptOf(dv, v) {
				return false
			}
		}
		return true
	case []any:
		d, ok := doc.([]any)
		if !ok {
			return false
		}
		i := 0
		for _, v := range e {
			for i < len(d) && !excerptOf(d[i], v) {
				i++
			}
			if i == len(d) {
				return false
			}
			i++
		}
		return true
	}
	return doc == ex
}
