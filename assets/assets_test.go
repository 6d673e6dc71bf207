package assets_test

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
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

// The earlier catalogs parse, each is the version its file names and not
// the one in effect, and 2026.11.0 is byte for byte the catalog the
// release at commit 1c4f9f7 recorded in its assessments (the hash in the
// store's release3 fixture): an assessment made with it finds it again.
func TestEarlierCatalogs(t *testing.T) {
	current, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	versions := assets.EarlierVersions()
	if !slices.Contains(versions, "2026.11.0") {
		t.Fatalf("earlier catalogs %v lack 2026.11.0", versions)
	}
	for _, v := range versions {
		src, _ := assets.Earlier(v)
		cat, err := model.ParseCatalog(src, assets.EarlierName(v))
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if cat.Version != v || cat.Version == current.Version {
			t.Errorf("catalogs/%s.json is version %s (in effect: %s)", v, cat.Version, current.Version)
		}
	}
	raw, err := os.ReadFile("../store/testdata/release3/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Assessment model.Assessment `json:"assessment"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	ref := b.Assessment.Catalog
	cat, ok := assets.EarlierFor(ref)
	if !ok || !cat.Is(ref) {
		t.Fatalf("the catalog of an assessment made by the release at 1c4f9f7 (%+v) is not found", ref)
	}
	if _, ok := assets.EarlierFor(model.CatalogRef{Version: ref.Version, Hash: "0123"}); ok {
		t.Error("a catalog of the same version with another hash is taken for the embedded one")
	}
	if _, ok := assets.Earlier("../catalog"); ok {
		t.Error("Earlier reads outside its folder")
	}
}
