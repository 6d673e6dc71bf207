package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"unsafe"

	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/config"
	"github.com/onus-gxp/onus/internal/filetext"
	"github.com/onus-gxp/onus/internal/prefault"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// Env is what a command may touch: its streams, its environment and the
// global options. Tests build one to run commands in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	// The settings (settings.go): an option, else an environment
	// variable, else the config file; "" or false for the default.
	DBPath         string   // --db, ONUS_DB
	CatalogPath    string   // --catalog, ONUS_CATALOG
	Extensions     []string // --extension, repeatable, or ONUS_EXTENSION (paths separated as in PATH)
	Actor          string   // --as, ONUS_USER
	AllowedSigners string   // --allowed-signers, ONUS_ALLOWED_SIGNERS
	ExportDir      string   // the wizard's --export-dir, ONUS_EXPORT_DIR
	Theme          string   // the wizard's --theme, ONUS_THEME
	NoMouse        bool     // the wizard's --no-mouse, ONUS_NO_MOUSE
	Accessible     bool     // --accessible or ACCESSIBLE: the wizard as line prompts

	config     *config.File           // the config file as read (nil: none)
	configRead bool                   // loadConfig has run
	configErr  error                  // the config file could not be used
	settingErr error                  // an environment variable's value that does not fit
	flags      map[string]*pflag.Flag // each setting's option, to tell whether it was given

	// ReadPassphrase asks for a key file's passphrase without echo (nil:
	// on the terminal, /dev/tty); tests answer it.
	ReadPassphrase func(prompt string) ([]byte, error)
	// scryptWorkFactor is a passphrase-encrypted bundle's (0: age's
	// default, about a second to derive the key); tests lower it.
	scryptWorkFactor int

	failed error // a command's error other than a usage error (see keepErrors)

	// Environ is the process's environment (os.Environ): set, a headless
	// command on a database onus serve holds runs through that server
	// with it (relayed.go). Nil (tests in-process): it never does.
	Environ func() []string
	// helpColumns is the width help is laid out in (0: the terminal's,
	// as fang reads it); tests set it.
	helpColumns int
	// lend, set in onus serve for a command relayed to it, is the handle
	// on the server's open file the command uses (relayed.go).
	lend func(store.Options) (*store.DB, error)
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
	c, err := env.checkedBaseCatalog()
	if err != nil {
		return nil, err
	}
	return c.Catalog(), nil
}

// checkedBaseCatalog is baseCatalog up to the catalog's hash.
func (env *Env) checkedBaseCatalog() (*model.CheckedCatalog, error) {
	if env.CatalogPath == "" {
		return model.CheckCatalogText(assets.CatalogText(), assets.CatalogName)
	}
	// A command relayed to onus serve (lend) runs in the server's process,
	// which lives on: a mapped text is never unmapped, so each such
	// command would leave the server one more copy of the catalog. Read,
	// its text is the collector's to free.
	text, err := readText(env.CatalogPath, model.MaxCatalogBytes, env.lend == nil)
	if err != nil {
		return nil, err
	}
	return model.CheckCatalogText(text, env.CatalogPath)
}

// readCapped reads a file but refuses one larger than limit bytes before
// reading it all.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, path, limit)
}

// readAll is readCapped of an open file. A regular file is read into a
// buffer made as large as the file at once (growing it as it was read
// copied a large catalog several times over), whose memory is mapped in
// before it is written: on a virtual machine where a page fault is dear,
// that takes about a third off reading a large catalog
// (docs/PERFORMANCE.md).
func readAll(f *os.File, path string, limit int64) ([]byte, error) {
	var b []byte
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		if info.Size() > limit {
			return nil, fmt.Errorf("%s: larger than the %d MiB limit", path, limit>>20)
		}
		b = make([]byte, 0, info.Size()+bytes.MinRead) // MinRead: room for the read that finds the end
		prefault.Write(b[:cap(b)])
	}
	buf := bytes.NewBuffer(b)
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("%s: larger than the %d MiB limit", path, limit>>20)
	}
	return buf.Bytes(), nil
}

// readText is readCapped as a string, whose bytes are not copied again:
// a catalog's strings are cut from it. A regular file on a local file
// system the program can hold a lease on is mapped rather than read
// (internal/filetext): its pages are in memory already, the page
// cache's, which saves about 6 ms of the 10x catalog's start-up. Any
// other file is read, and so is every file unless mapped is set: a
// mapping's memory is never given back.
func readText(path string, limit int64, mapped bool) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if mapped {
		if text, err := filetext.Map(f, limit); err == nil {
			return text, nil
		}
	}
	b, err := readAll(f, path, limit)
	if err != nil {
		return "", err
	}
	return unsafe.String(unsafe.SliceData(b), len(b)), nil // b is never written again, nor seen anywhere else
}
