//go:build ignore

// gen writes catalog.json, the form of catalog.yaml the binary embeds.
package main

import (
	"fmt"
	"os"

	"github.com/onus-gxp/onus/model"
)

func main() {
	src, err := os.ReadFile("catalog.yaml")
	if err == nil {
		var cat *model.Catalog
		if cat, err = model.ParseCatalog(src, "catalog.yaml"); err == nil {
			var out []byte
			if out, err = cat.EncodeJSON(); err == nil {
				err = os.WriteFile("catalog.json", out, 0o644)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
