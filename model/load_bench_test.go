package model_test

import (
	"encoding/json"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

// BenchmarkParseCatalog loads the embedded catalog and the synthetic one
// ten times larger from their JSON, as onus does at start-up (--catalog).
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
			for b.Loop() {
				if _, err := model.ParseCatalog(c.data, c.name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
