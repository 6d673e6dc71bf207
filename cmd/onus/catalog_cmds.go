package main

import (
	"fmt"
	"io"
	"os"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

func init() {
	register(command{
		name:    "catalog",
		args:    "validate FILE | dump --json [--scale N]",
		summary: "check a catalog file, or print the effective catalog as JSON",
		example: "onus catalog validate my-catalog.yaml\n  onus catalog dump --json > catalog.json\n  onus catalog dump --json --scale 10 > big.json && onus --catalog big.json",
		run:     runCatalog,
	})
}

// Catalog loads the catalog in effect: --catalog / ONUS_CATALOG, else the
// embedded one.
func (env *Env) Catalog() (*model.Catalog, error) {
	if env.CatalogPath == "" {
		return model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	}
	data, err := readCapped(env.CatalogPath, model.MaxCatalogBytes)
	if err != nil {
		return nil, err
	}
	return model.ParseCatalog(data, env.CatalogPath)
}

// readCapped reads a file but refuses one larger than limit bytes before
// reading it all.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > limit {
		return nil, fmt.Errorf("%s: larger than the %d MiB limit", path, limit>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than the %d MiB limit", path, limit>>20)
	}
	return data, nil
}

func runCatalog(env *Env, args []string) error {
	fs := env.newFlags("catalog")
	asJSON := fs.Bool("json", false, "print JSON (dump only; JSON is the only dump format)")
	scale := fs.Int("scale", 1, "dump a synthetic catalog N times the size, for load tests (dump only)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("catalog needs a subcommand: validate FILE or dump --json")
	}
	switch pos[0] {
	case "validate":
		if len(pos) != 2 {
			return usagef("usage: onus catalog validate FILE")
		}
		env.CatalogPath = pos[1]
		cat, err := env.Catalog()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: valid catalog %q version %s: %d layers, %d services, %d controls, %d evidence sources\nsha256 %s\n",
			safetext.Line(pos[1]), safetext.Line(cat.Name), safetext.Line(cat.Version), len(cat.Layers), len(cat.Services), len(cat.Controls), len(cat.Evidence), cat.Hash)
		return nil
	case "dump":
		_ = asJSON // JSON is the only format; the flag keeps scripts explicit
		cat, err := env.Catalog()
		if err != nil {
			return err
		}
		if *scale < 1 || *scale > 1000 {
			return usagef("--scale must be between 1 and 1000")
		}
		if *scale > 1 {
			cat = synth.Scale(cat, *scale)
		}
		out, err := cat.EncodeJSON()
		if err != nil {
			return err
		}
		_, err = env.Stdout.Write(out)
		return err
	}
	return usagef("unknown catalog subcommand %q (use validate or dump)", pos[0])
}
