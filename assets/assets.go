// Package assets holds what Onus embeds in its binary: the default GxP/AWS
// catalog.
package assets

import _ "embed"

//go:embed catalog.yaml
var catalog []byte

// CatalogName is how the embedded catalog is named in messages.
const CatalogName = "embedded catalog"

// Catalog returns the embedded default catalog's source.
func Catalog() []byte { return catalog }
