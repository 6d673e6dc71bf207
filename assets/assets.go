// Package assets holds what Onus embeds in its binary: the default GxP/AWS
// catalog, and the earlier versions of it that assessments may have been
// made with. It is written in catalog.yaml; the binary embeds catalog.json,
// generated from it by `go generate ./assets`, because JSON loads several
// times faster at start-up. A test fails when the two disagree.
package assets

import (
	"embed"
	"strings"

	"github.com/onus-gxp/onus/model"
)

//go:generate go run gen.go

// Embedded as a string, which the catalog's strings are cut from when it
// is parsed (model.ParseCatalogText), rather than copied.
//
//go:embed catalog.json
var catalog string

// CatalogName is how the embedded catalog is named in messages.
const CatalogName = "embedded catalog"

// Catalog returns (a copy of) the embedded default catalog's source.
func Catalog() []byte { return []byte(catalog) }

// CatalogText returns the embedded default catalog's source.
func CatalogText() string { return catalog }

// Earlier versions of the default catalog, as released, one file per
// version (catalogs/VERSION.json). They are read only to say what a move
// to the catalog in effect changes for an assessment made with one of
// them; nothing parses them at start-up. A version is added here when the
// catalog's version goes up: the file is catalog.json as it was at the
// last commit with that version.
//
//go:embed catalogs/*.json
var earlier embed.FS

// EarlierVersions lists the versions of the earlier catalogs.
func EarlierVersions() []string {
	entries, _ := earlier.ReadDir("catalogs")
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = strings.TrimSuffix(e.Name(), ".json")
	}
	return out
}

// Earlier returns the source of an earlier catalog by its version.
func Earlier(version string) ([]byte, bool) {
	if strings.ContainsAny(version, "/\\") {
		return nil, false
	}
	b, err := earlier.ReadFile("catalogs/" + version + ".json")
	return b, err == nil
}

// EarlierName is how an earlier catalog is named in messages.
func EarlierName(version string) string { return "embedded catalog " + version }

// EarlierFor parses the earlier catalog an assessment names, when this
// build embeds it: the version it recorded, and the same hash where it
// recorded one (an assessment made with a catalog file of the same version
// is not matched to the embedded one).
func EarlierFor(ref model.CatalogRef) (*model.Catalog, bool) {
	src, ok := Earlier(ref.Version)
	if !ok {
		return nil, false
	}
	cat, err := model.ParseCatalog(src, EarlierName(ref.Version))
	if err != nil || ref.Hash != "" && cat.Hash != ref.Hash {
		return nil, false
	}
	return cat, true
}
