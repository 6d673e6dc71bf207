package assets_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// The embedded JSON must be exactly what `go generate ./assets` makes of
// catalog.yaml today; editing the YAML without regenerating fails here.
func TestEmbeddedCatalogIsGeneratedFromYAML(t *testing.T) {
	src, err := os.ReadFile("catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := model.ParseCatalog(src, "catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := fromYAML.EncodeJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(assets.Catalog(), want) {
		t.Fatal("assets/catalog.json is stale: run go generate ./assets")
	}
	embedded, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	if embedded.Hash != fromYAML.Hash {
		t.Fatalf("hash %s embedded, %s from the YAML", embedded.Hash, fromYAML.Hash)
	}
}
