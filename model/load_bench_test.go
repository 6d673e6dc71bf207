package model_test

import (
	"encoding/json"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

// BenchmarkParseCatalog loads the embedded catalog and the synthetic one
// ten times larger from their JSON text, as onus does at start-up
// (--catalog): decoded, validated, indexed and hashed.
func BenchmarkParseCatalog(b *testing.B) {
	tenfold, err := json.Marshal(synth.Scale(defaultCatalog(b), 10))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"x1", assets.Catalog()}, {"x10", tenfold}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			text := string(c.data) // as onus reads a catalog file (ParseCatalogText)
			for b.Loop() {
				if _, err := model.ParseCatalogText(text, c.name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
