// Package assets holds what Onus embeds in its binary: the default GxP/AWS
// catalog. It is written in catalog.yaml; the binary embeds catalog.json,
// generated from it by `go generate ./assets`, because JSON loads several
// times faster at start-up. A test fails when the two disagree.
package assets

import _ "embed"

//go:generate go run gen.go

//go:embed catalog.json
var catalog []byte

// CatalogName is how the embedded catalog is named in messages.
const CatalogName = "embedded catalog"

// Catalog returns the embedded default catalog's source.
func Catalog() []byte { return catalog }
