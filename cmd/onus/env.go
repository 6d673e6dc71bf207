package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// Env is what a command may touch: its streams, its environment and the
// global options. Tests build one to run commands in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	DBPath      string   // --db or ONUS_DB
	CatalogPath string   // --catalog or ONUS_CATALOG
	Extensions  []string // --extension, repeatable, or ONUS_EXTENSION (paths separated as in PATH)
	Actor       string   // --as or ONUS_USER
	Accessible  bool     // --accessible or ACCESSIBLE: the wizard as line prompts

	// ReadPassphrase asks for a key file's passphrase without echo (nil:
	// on the terminal, /dev/tty); tests answer it.
	ReadPassphrase func(prompt string) ([]byte, error)

	failed error // a command's error other than a usage error (see keepErrors)
}

// globalFlags registers --db, --catalog, --extension and --as,
// defaulting from the environment.
func (env *Env) globalFlags(fs *pflag.FlagSet) {
	if env.DBPath == "" {
		env.DBPath = env.Getenv("ONUS_DB")
	}
	if env.CatalogPath == "" {
		env.CatalogPath = env.Getenv("ONUS_CATALOG")
	}
	if env.Extensions == nil {
		env.Extensions = filepath.SplitList(env.Getenv("ONUS_EXTENSION"))
	}
	if env.Actor == "" {
		env.Actor = env.Getenv("ONUS_USER")
	}
	fs.StringVar(&env.DBPath, "db", env.DBPath, "database file (default $XDG_DATA_HOME/onus/onus.db; env ONUS_DB)")
	fs.StringVar(&env.CatalogPath, "catalog", env.CatalogPath, "catalog file instead of the embedded one (env ONUS_CATALOG)")
	fs.StringArrayVar(&env.Extensions, "extension", env.Extensions, "catalog extension to merge into the catalog, e.g. a lens from onus lens import; repeatable (env ONUS_EXTENSION)")
	fs.StringVar(&env.Actor, "as", env.Actor, "name recorded in the audit trail (env ONUS_USER; default the OS user)")
	env.Accessible = env.Accessible || accessibleEnv(env.Getenv)
	fs.BoolVar(&env.Accessible, "accessible", env.Accessible, "the wizard as numbered line prompts, for screen readers and pipes (env ACCESSIBLE)")
}

// accessibleEnv reads ACCESSIBLE as huh's examples do: set to anything
// but a false value (0, false) asks for accessible mode.
func accessibleEnv(getenv func(string) string) bool {
	v := getenv("ACCESSIBLE")
	on, err := strconv.ParseBool(v)
	return v != "" && (on || err != nil)
}

// colour reports whether output to w may be styled: a terminal, and
// neither NO_COLOR nor TERM=dumb.
func (env *Env) colour(w io.Writer) bool {
	return wantColour(env.Getenv, isTerminal(w))
}

// Catalog loads the catalog in effect: --catalog / ONUS_CATALOG, else the
// embedded one, with every --extension merged into it (extensions.go).
func (env *Env) Catalog() (*model.Catalog, error) {
	cat, err := env.baseCatalog()
	if err != nil || len(env.Extensions) == 0 {
		return cat, err
	}
	return env.extend(cat)
}

func (env *Env) baseCatalog() (*model.Catalog, error) {
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
