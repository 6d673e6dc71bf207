package main

import (
	"fmt"
	"io"
	"os"
	"os/user"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

// What the commands share to reach the database: who is acting, which
// file, opening it (for the wizard, without waiting for what its first
// screen does not need), and small helpers for their output.

// actor is who changes are attributed to: --as, ONUS_USER, else the OS user.
func (env *Env) actor() string {
	if env.Actor != "" {
		return env.Actor
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if n := env.Getenv("USER"); n != "" {
		return n
	}
	return "unknown"
}

// dbPath is the database file in effect: --db / ONUS_DB, else the default.
func (env *Env) dbPath() (string, error) {
	if env.DBPath != "" {
		return env.DBPath, nil
	}
	return store.DefaultPath(env.Getenv)
}

// OpenStore opens the database in effect and prints its warnings. A
// command checks what it reads (store.Options.CheckAsRead): one
// assessment, or the list's summaries, and the whole file only for what
// reads the whole file (verify, import, purge, a backup).
func (env *Env) OpenStore(readOnly bool, cat *model.Catalog) (*store.DB, error) {
	opt := store.Options{ReadOnly: readOnly, CheckAsRead: true}
	if cat != nil {
		// The catalog in effect: an import refuses ids it does not know,
		// and verify counts progress again with it.
		opt.Progress, opt.Catalog = cat.Progress, func() *model.Catalog { return cat }
	}
	return env.openHeadless(opt)
}

// openHeadless opens the database for a headless command: on onus serve's
// open file when the command was relayed to it, through the server when
// one serves the file, else here.
func (env *Env) openHeadless(opt store.Options) (*store.DB, error) {
	if env.lend != nil { // in onus serve, for a relayed command
		opt.Actor = env.actor()
		return env.lend(opt)
	}
	if err := env.relayIfServed(); err != nil {
		return nil, err
	}
	return env.openStore(opt)
}

// wizardCat is the wizard's catalog. catalog returns it. With a file
// read beside the wizard's start, loaded waits for it to be ready and
// says whether it is valid, and checked returns as soon as that is known
// (before the catalog's hash is computed); otherwise both are nil.
// settle gives back what the read was lent; it may be called more than
// once.
type wizardCat struct {
	catalog func() *model.Catalog
	loaded  func() error
	checked func() error
	settle  func()
}

// wizardCatalog is the catalog for the wizard and its accessible mode.
// The embedded one is parsed when first asked for, after the first
// screen. A catalog from a file, or one with extensions, is read at once
// in a goroutine when beside is set (the wizard), beside the terminal's
// start and the database's open: the wizard shows its first screen once
// the catalog is checked, holds every key until it is loaded, and stops
// with its problems, printed as every other command prints them, when it
// is not valid. Otherwise (beside unset) it is read here.
func (env *Env) wizardCatalog(beside bool) (c wizardCat, err error) {
	c.settle = func() {}
	switch {
	case (env.CatalogPath != "" || len(env.Extensions) > 0) && beside:
		c.settle = lendToTheRead()
		var check struct {
			once sync.Once
			done chan struct{}
			err  error
		}
		check.done = make(chan struct{})
		checked := func(err error) {
			check.once.Do(func() { check.err = err; close(check.done) })
		}
		load := sync.OnceValues(func() (cat *model.Catalog, err error) {
			defer func() { // a goroutine of Onus's own, as the first list's
				if r := recover(); r != nil {
					err = &tui.PanicError{Value: r, Stack: debug.Stack()}
				}
				checked(err)
			}()
			if testPanicForTests(env) == "catalog" {
				panic("test panic in the catalog file's read (ONUS_TEST_PANIC=catalog)")
			}
			if len(env.Extensions) > 0 {
				return env.Catalog()
			}
			base, err := env.checkedBaseCatalog()
			if err != nil {
				return nil, err
			}
			checked(nil)
			// The wizard's command waiting for the check was made ready on
			// this processor; left there, it waited for the hash (about
			// 1 ms more before the first screen, 41 starts).
			runtime.Gosched()
			return base.Catalog(), nil // its hash, after the first screen
		})
		go load()
		c.catalog = func() *model.Catalog { cat, _ := load(); return cat } // nil only once the wizard is stopping
		c.loaded = func() error { _, err := load(); return err }
		c.checked = func() error { <-check.done; return check.err }
	case env.CatalogPath != "" || len(env.Extensions) > 0:
		cat, err := env.Catalog()
		if err != nil {
			return wizardCat{}, err
		}
		c.catalog = func() *model.Catalog { return cat }
	default:
		load := sync.OnceValues(env.Catalog) // first called by the wizard, after its first screen
		c.catalog = func() *model.Catalog {
			cat, err := load()
			if err != nil { // TestEmbeddedCatalogIsGeneratedFromYAML keeps this from happening
				panic(fmt.Sprintf("the embedded catalog does not load: %v", err))
			}
			return cat
		}
	}
	return c, nil
}

// lendToTheRead gives the program one more processor and the collector
// more room while a catalog file is read beside the wizard's start, and
// returns what gives them back (once, however often it is called). The
// wizard gives them back half a second after its first frame, so that
// the keys pressed as soon as the list shows are answered before the
// collector catches up (restored with the frame, the first enter took two
// frames instead of one: docs/PERFORMANCE.md).
//
// The processor: Bubble Tea's terminal reader waits in epoll_wait without
// handing its processor on, and with the other one busy reading the
// catalog, the goroutines made ready there (the renderer's, the wizard's
// first command, which opens the database) waited until the runtime took
// the processor back: the database's open started 12 to 20 ms after the
// program, against 2 with one more processor.
//
// The room: the read allocated about 3 MiB (the file's text and the
// catalog made from it; 1.4 MiB, the catalog alone, now that the text is
// mapped where it can be) on top of the start's own, past the collector's
// first target (4 MiB): at the default pacing a collection ran beside the
// read, on the cores the open and the terminal share, and one started
// just before the first frame when the target was set back at the end of
// the read. A collector given more room already (GOGC above 400, or off)
// keeps it.
func lendToTheRead() (settle func()) {
	// A GOMAXPROCS the user set is theirs: the read is lent no processor.
	lent := os.Getenv("GOMAXPROCS") == ""
	if lent {
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 1)
	}
	gc := debug.SetGCPercent(400)
	if gc < 0 || gc > 400 {
		debug.SetGCPercent(gc)
	}
	return sync.OnceFunc(func() {
		if lent {
			// The runtime's default again, which the runtime then keeps
			// up to date (setting it by hand stops that).
			runtime.SetDefaultGOMAXPROCS()
		}
		debug.SetGCPercent(gc)
	})
}

// openForWizard opens the database on the wizard's catalog and starts
// reading the first list at once, and leaves what the first screen does
// not need for later: the rest of the file's check
// (store.Options.BackgroundCheck). With a catalog still being read
// (checked set), the first list waits for it to be checked too, so that
// no key on the list waits for more than the catalog's hash. The caller prints the file's
// warnings (printWarnings).
func (env *Env) openForWizard(c wizardCat) (db *store.DB, firstList func() ([]model.Summary, error), err error) {
	catalog := c.catalog
	// CheckAsRead beside it: opening an assessment checks its own pages
	// rather than waiting for the whole file's check.
	db, err = env.openUnwarned(store.Options{BackgroundCheck: true, CheckAsRead: true, Catalog: catalog,
		Progress: func(a *model.Assessment) (int, int) { return catalog().Progress(a) }})
	if err != nil {
		if c.checked != nil && c.checked() != nil {
			return nil, nil, c.checked() // the catalog's problems first, as before
		}
		return nil, nil, err
	}
	// The list's goroutine is Onus's own, outside Bubble Tea: a panic in it
	// is carried to the wizard, which stops the way it stops on any other.
	firstList = sync.OnceValues(func() (list []model.Summary, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = &tui.PanicError{Value: r, Stack: debug.Stack()}
			}
		}()
		if testPanicForTests(env) == "list" {
			panic("test panic in the first list (ONUS_TEST_PANIC=list)")
		}
		return db.List(false)
	})
	go firstList()
	if c.checked != nil {
		list := firstList
		firstList = func() ([]model.Summary, error) { c.checked(); return list() }
	}
	return db, firstList, nil
}

func (env *Env) openStore(opt store.Options) (*store.DB, error) {
	db, err := env.openUnwarned(opt)
	if err != nil {
		return nil, err
	}
	env.printWarnings(db)
	return db, nil
}

// openUnwarned is openStore for a caller that prints the file's warnings
// itself, when the terminal can take them (printWarnings): the wizard
// opens the file with the terminal in raw mode.
func (env *Env) openUnwarned(opt store.Options) (*store.DB, error) {
	path, err := env.dbPath()
	if err != nil {
		return nil, err
	}
	opt.Actor = env.actor()
	db, err := store.Open(path, opt)
	if err != nil {
		return nil, servedBy(path, err)
	}
	return db, nil
}

// printWarnings prints what the file's open found worth telling.
func (env *Env) printWarnings(db *store.DB) {
	for _, w := range db.Warnings() {
		fmt.Fprintln(env.Stderr, "onus: warning:", w)
	}
}

// withStore loads the catalog, opens the store, runs fn and closes.
func (env *Env) withStore(readOnly bool, fn func(cat *model.Catalog, db *store.DB) error) error {
	cat, err := env.Catalog()
	if err != nil {
		return err
	}
	return env.withCatalogStore(readOnly, cat, fn)
}

// withReader opens the store read-only without the catalog, for commands
// that only read what is stored (list, history, verify): they work even
// with a broken --catalog, and start faster.
func (env *Env) withReader(fn func(db *store.DB) error) error {
	return env.withCatalogStore(true, nil, func(_ *model.Catalog, db *store.DB) error { return fn(db) })
}

func (env *Env) withCatalogStore(readOnly bool, cat *model.Catalog, fn func(cat *model.Catalog, db *store.DB) error) error {
	db, err := env.OpenStore(readOnly, cat)
	if err != nil {
		return err
	}
	err = fn(cat, db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func printJSON(w io.Writer, v any) error {
	out, err := model.EncodeJSON(v)
	if err == nil {
		_, err = w.Write(out)
	}
	return err
}

func oneID(pos []string, usage string) (string, error) {
	if len(pos) != 1 {
		return "", usagef("usage: onus %s", usage)
	}
	return pos[0], nil
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
