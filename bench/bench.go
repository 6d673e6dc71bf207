// Package bench holds what the performance benchmarks need beyond the
// packages they measure: the large fixtures, the floor program they are
// compared with (minimal/), and the driver that prints one table (table/).
// `make bench` runs it all; docs/PERFORMANCE.md records a run.
package bench

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// Catalog returns the embedded catalog scaled factor times, as JSON (what
// `onus --catalog` reads back) and parsed from that JSON, so its hash is
// the one the wizard computes when it loads the file.
func Catalog(factor int) ([]byte, *model.Catalog, error) {
	base, err := model.ParseCatalog(assets.Catalog(), "embedded")
	if err != nil {
		return nil, nil, err
	}
	if factor <= 1 {
		return assets.Catalog(), base, nil
	}
	raw, err := json.Marshal(synth.Scale(base, factor))
	if err != nil {
		return nil, nil, err
	}
	cat, err := model.ParseCatalog(raw, "synthetic")
	return raw, cat, err
}

// WriteDatabase creates a database at path holding n synthetic
// assessments of cat, each with answers answered controls.
func WriteDatabase(path string, cat *model.Catalog, n, answers int) error {
	bundles, err := synth.Assessments(cat, n, answers, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	// The catalog, not only its Progress: each summary then names the
	// catalog that counted it, as the wizard's and the commands' do, and
	// the wizard run on the file has nothing to count again.
	db, err := store.Open(path, store.Options{Actor: "bench", Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		return err
	}
	for _, b := range bundles {
		if _, err := db.Import(b); err != nil {
			db.Close()
			return fmt.Errorf("import %s: %w", b.Assessment.ID, err)
		}
	}
	return db.Close()
}
