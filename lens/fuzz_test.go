package lens

import (
	"testing"
)

// FuzzImport feeds arbitrary bytes to the lens importer: it must never
// panic, and an extension it makes must merge with the catalog it was
// made for. Seeds: testdata/fuzz/FuzzImport, a published lens and one
// Onus exported.
func FuzzImport(f *testing.F) {
	cat := catalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := Import(data, "fuzz.json", cat, ImportOptions{})
		if err != nil {
			return
		}
		if _, err := Merge(cat, imp.Extension); err != nil {
			t.Fatalf("an imported lens does not merge: %v", err)
		}
	})
}
