package model

// Test hooks for the catalog's JSON reader and writer (catalog_json.go).
var (
	DecodeCatalogJSON = decodeCatalogJSON
	CatalogJSON       = catalogJSON
)
