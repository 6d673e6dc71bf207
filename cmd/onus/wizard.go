package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

// wizardOnly takes the global options when they are all there is, which
// starts the wizard, and spares it the command tree: building that and
// running it through cobra and fang cost a millisecond or more of the
// wizard's start-up. Anything else (a command, help, -db FILE, a mistake)
// is left to the tree.
func (env *Env) wizardOnly(args []string) bool {
	env.loadConfig() // once, for the wizard or the command tree
	try := *env
	fs := pflag.NewFlagSet("onus", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	try.globalFlags(fs)
	try.wizardFlags(fs)
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return false
	}
	*env = try
	return true
}

// interruptError is ctrl+c in the wizard: exit 130 by convention.
type interruptError struct{}

func (interruptError) Error() string { return "interrupted" }
func (interruptError) ExitCode() int { return exitInterrupt }

// noTTYError: the wizard needs a terminal; scripts use the headless commands.
type noTTYError struct{}

func (noTTYError) Error() string {
	return `the wizard needs a terminal (stdin and stdout must be a TTY).
Without one, use the headless commands, e.g.:
  onus new --name NAME --services ec2,rds,s3    onus list --json
  onus show ID --json    onus answer ID CONTROL --status implemented
  onus services ID --add lambda    onus export ID --format md -o report.md
Run 'onus help' for all of them. The wizard's accessible mode, numbered line
prompts for screen readers, works without a terminal: onus --accessible`
}
func (noTTYError) ExitCode() int { return exitUsage }

func isTTY(f any) bool {
	tf, ok := f.(term.File)
	return ok && term.IsTerminal(tf.Fd())
}

// wizardColour decides whether the wizard paints colour, and the profile
// Bubble Tea renders with. Any non-empty NO_COLOR and TERM=dumb mean no
// colour, whatever the library's boolean parsing makes of NO_COLOR.
func wizardColour(env *Env) (bool, colorprofile.Profile) {
	if !wantColour(env.Getenv, true) {
		return false, colorprofile.Ascii
	}
	return true, colorprofile.Detect(env.Stdout, colourEnviron(env.Getenv))
}

// runWizard starts the terminal wizard on the catalog and database in
// effect, or its accessible mode: when asked for, and on a dumb terminal,
// which has no cursor addressing to draw the wizard with.
func runWizard(env *Env) error {
	if err := env.settingsError(); err != nil {
		return err
	}
	terminal := isTTY(env.Stdin) && isTTY(env.Stdout)
	if env.Accessible || terminal && env.Getenv("TERM") == "dumb" {
		return runAccessible(env)
	}
	if !terminal {
		return noTTYError{}
	}
	// Caught from here, beside the rest of the start (tui.CatchSignals).
	sigs := tui.CatchSignals()
	defer sigs.Stop() // Run stops them too; this, when it never runs
	// A catalog file is read from now on, beside everything else; the
	// database opens once the wizard's program has started, while its
	// first frame waits for the next 60 Hz tick (tui.Config.Opening).
	// Nothing reaches the terminal before the first list is read, so a
	// damaged file is still refused with the terminal as it was.
	cat, err := env.wizardCatalog(true)
	if err != nil {
		return err
	}
	defer cat.settle() // when the wizard stopped before its first frame
	open := &wizardOpen{env: env, cat: cat, done: make(chan struct{})}
	colour, profile := wizardColour(env)
	m := tui.New(tui.Config{
		Colour:    colour,
		Earlier:   assets.EarlierFor,
		Formats:   report.FormatIDs(),
		Export:    renderExport,
		ExportDir: absolute(env.ExportDir), NoMouse: env.NoMouse, Theme: env.Theme,
		TestPanic:  testPanicForTests(env),
		Opening:    open.open,
		FirstFrame: func() { time.AfterFunc(settleAfterTheFirstFrame, cat.settle) },
	})
	err = tui.Run(m, profile, sigs)
	// Stopped by ctrl+c or a signal, it does not wait for an open still
	// running (another onus's lock is waited for up to a second): it ends
	// at once, as when the file opened before the wizard's start.
	var se *tui.SignalError
	o := open.result(!errors.Is(err, tui.ErrInterrupted) && !errors.As(err, &se))
	if o.db != nil {
		defer o.db.Close()
		env.printWarnings(o.db) // the terminal is back to normal: they read as they always did
	}
	return wizardEnded(env, m, err, o)
}

// settleAfterTheFirstFrame is how long after its first frame the wizard
// gives back what a catalog file's read was lent (lendToTheRead).
const settleAfterTheFirstFrame = 500 * time.Millisecond

// wizardEnded is what the wizard returns once its program has stopped
// with err, and the open brought o: empty when the program stopped (a
// signal during the terminal's start) before it asked for the open.
func wizardEnded(env *Env, m *tui.Model, err error, o wizardDB) error {
	var pe *tui.PanicError
	var se *tui.SignalError
	switch {
	case errors.As(err, &pe):
		return crashReport(env, o.db, pe) // a panic in the open too: Run returns the open's error
	case o.err != nil && errors.Is(err, o.err):
		return o.err // the wizard stopped for it, before drawing anything
	case errors.As(m.CatalogFailed(), &pe):
		return crashReport(env, o.db, pe) // a panic in the catalog file's read: a bug, reported as one
	case m.CatalogFailed() != nil:
		return m.CatalogFailed() // the catalog file's problems, printed as every command prints them
	case errors.As(err, &se):
		path, _ := env.dbPath() // the open's, if the signal came before it
		if o.db != nil {
			path = o.db.Path()
		}
		return stoppedError{se, path}
	case errors.Is(err, tui.ErrInterrupted):
		return interruptError{}
	case err != nil:
		return fmt.Errorf("wizard: %w", err)
	}
	return nil
}

// wizardOpen opens the database for the wizard once, when the wizard asks
// (tui.Config.Opening), in the wizard's command goroutine, unless the
// wizard has stopped by then.
type wizardOpen struct {
	env   *Env
	cat   wizardCat
	mu    sync.Mutex
	state openState
	done  chan struct{} // closed when the open has finished
	got   wizardDB
}

type openState int

const (
	openNotStarted openState = iota
	openStarted
	openRefused // the wizard stopped before asking: no open starts after it
)

// errWizardStopped answers an open asked for after the wizard stopped.
var errWizardStopped = errors.New("the wizard stopped before the database was opened")

// wizardDB is what opening the database brought: what Config.Opening
// returns to the wizard, and the file, or why it cannot be used.
type wizardDB struct {
	wizard tui.Config
	db     *store.DB
	err    error
}

func (w *wizardOpen) open() (tui.Config, error) {
	w.mu.Lock()
	if w.state != openNotStarted {
		w.mu.Unlock()
		return tui.Config{}, errWizardStopped
	}
	w.state = openStarted
	w.mu.Unlock()
	w.got = w.env.openWizardDB(w.cat)
	close(w.done)
	return w.got.wizard, w.got.err
}

// result is what the open brought, once the wizard has stopped, and
// keeps an open from starting after it: empty if none had started. With
// wait, it waits for an open still running; without, it is empty unless
// the open has finished (an open left running ends with the process, as
// a killed one does).
func (w *wizardOpen) result(wait bool) wizardDB {
	w.mu.Lock()
	if w.state == openNotStarted {
		w.state = openRefused
		w.mu.Unlock()
		return wizardDB{}
	}
	w.mu.Unlock()
	if wait {
		<-w.done
	}
	select {
	case <-w.done:
		return w.got
	default:
		return wizardDB{}
	}
}

// openWizardDB opens the database on the wizard's catalog and starts the
// first list. The wizard's program has the terminal by then: a panic is
// returned, as a *tui.PanicError, for the wizard to stop on and report.
func (env *Env) openWizardDB(c wizardCat) (o wizardDB) {
	defer func() {
		if r := recover(); r != nil {
			o.err = &tui.PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	if testPanicForTests(env) == "open" {
		panic("test panic in the database's open (ONUS_TEST_PANIC=open)")
	}
	db, firstList, err := env.openForWizard(c)
	if err != nil {
		return wizardDB{err: err}
	}
	o.db = db
	if o.wizard.Store, o.err = slowWritesForTests(env, db); o.err != nil {
		return o
	}
	o.wizard.Catalog, o.wizard.CatalogLoaded, o.wizard.CatalogChecked = c.catalog, c.loaded, c.checked
	o.wizard.FirstList = firstList
	// The wizard has asked before replacing a file.
	o.wizard.WriteOut = func(path string, write func(io.Writer) error) (int64, error) {
		return writeOutputWith(path, write, true, db.Path())
	}
	return o
}

// stoppedError: SIGTERM or SIGHUP stopped the wizard, which quit as q
// does; exit 128+signal, as a shell reports a process the signal killed.
type stoppedError struct {
	*tui.SignalError
	path string
}

// notWritten says how many changes the wizard marked NOT SAVED.
func notWritten(n int) string {
	if n == 1 {
		return "1 change marked NOT SAVED was not written"
	}
	return fmt.Sprintf("%d changes marked NOT SAVED were not written", n)
}

func (e stoppedError) Error() string {
	msg := fmt.Sprintf("%v; every change the wizard showed as saved is in %s", e.SignalError, e.path)
	if e.Unsaved > 0 {
		msg += "\n" + notWritten(e.Unsaved)
	}
	return msg
}
func (e stoppedError) ExitCode() int { return 128 + int(e.Signal) }

// crashError: the wizard stopped on a panic (exit 1).
type crashError struct{ msg string }

func (e crashError) Error() string { return e.msg }
func (e crashError) ExitCode() int { return exitError }

// crashReport says what happened when the wizard stopped on a panic, once
// the terminal is back to normal: the details for a bug report first, then
// that the saved answers are intact (checked, not assumed) and where.
func crashReport(env *Env, db *store.DB, pe *tui.PanicError) error {
	if pe.Stack != nil {
		fmt.Fprintf(env.Stderr, "panic: %v\n\n%s\n", pe.Value, pe.Stack)
	}
	var b strings.Builder
	b.WriteString("the wizard stopped on an internal error (a bug in onus)")
	if pe.Value != nil {
		fmt.Fprintf(&b, ": %v", pe.Value)
	}
	b.WriteString("\nThe details are above; please report them.\n")
	if db == nil {
		b.WriteString("It happened while the database was being opened; nothing was changed.\nStart onus again to carry on.")
		return crashError{b.String()}
	}
	results, failed, err := verifyAfterCrash(db)
	if err == nil && failed == 0 {
		fmt.Fprintf(&b, "Your saved answers are intact: every change the wizard showed as saved is in\n  %s\n", db.Path())
		fmt.Fprintf(&b, "and the file checks clean now (%s, every audit trail verified).", plural.Count(len(results), "assessment", "assessments"))
	} else {
		fmt.Fprintf(&b, "Every change the wizard showed as saved was committed to\n  %s\n", db.Path())
		fmt.Fprintf(&b, "but checking the file now found a problem: run onus --db %s verify", db.Path())
	}
	if pe.Unsaved > 0 {
		b.WriteString("\n" + notWritten(pe.Unsaved) + ".")
	}
	b.WriteString("\nStart onus again to carry on.")
	return crashError{b.String()}
}

// verifyAfterCrash checks every audit chain and bbolt's structure, read
// only; a panic here too is reported as a failed check.
func verifyAfterCrash(db *store.DB) (results []store.VerifyResult, failed int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("checking the file: %v", r)
		}
	}()
	results, err = db.VerifyAll()
	for _, r := range results {
		if r.Err != "" {
			failed++
		}
	}
	return results, failed, err
}

// absolute makes a folder given relative to the current one absolute, so
// that the wizard shows where it is; "" stays "" (the default).
func absolute(dir string) string {
	if dir == "" {
		return ""
	}
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
