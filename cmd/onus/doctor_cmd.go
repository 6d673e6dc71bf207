package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/store"
)

// doctorLockTimeout is how long doctor waits for another onus's lock
// before reporting the file as in use.
const doctorLockTimeout = 300 * time.Millisecond

// doctorFailed is doctor's error when any check failed (exit 1).
type doctorFailed struct{ n int }

func (e doctorFailed) Error() string {
	if e.n == 1 {
		return "doctor found 1 problem (FAIL above)"
	}
	return "doctor found " + plural.Count(e.n, "problem", "problems") + " (FAIL above)"
}

// doctorReport prints one line per check: ok, warn or FAIL, a topic and
// what was found. Every value from outside is sanitised.
type doctorReport struct {
	env   *Env
	fails int
}

func (r *doctorReport) line(level, topic, format string, a ...any) {
	if level == "FAIL" {
		r.fails++
	}
	msg := fmt.Sprintf(format, a...)
	lines := strings.Split(safetext.Clean(msg), "\n")
	fmt.Fprintf(r.env.Stdout, "%-4s  %-9s %s\n", level, topic, lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(r.env.Stdout, "%-4s  %-9s %s\n", "", "", l)
	}
}

func newDoctorCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "check the database, its chains, the catalog and terminal",
		Example: `onus doctor
onus --db lims.db --catalog my-catalog.yaml doctor`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) > 0 {
				return usagef("doctor takes no arguments (got %q)", pos[0])
			}
			r := &doctorReport{env: env}
			r.settings()
			r.database()
			r.catalog()
			r.terminal()
			if r.fails > 0 {
				return doctorFailed{r.fails}
			}
			return nil
		},
	}
}

func (r *doctorReport) database() {
	env := r.env
	path := env.DBPath
	if path == "" {
		p, err := store.DefaultPath(env.Getenv)
		if err != nil {
			r.line("FAIL", "database", "no database path: %v", err)
			return
		}
		path = p
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.line("ok", "database", "%s does not exist yet (onus new, or the wizard, creates it)", path)
		r.permissions("directory", filepath.Dir(path), 0o700)
		return
	case err != nil:
		r.line("FAIL", "database", "%s: %v", path, err)
		return
	case !info.Mode().IsRegular():
		r.line("FAIL", "database", "%s is not a regular file (%s)", path, info.Mode().Type())
		return
	}
	r.line("ok", "database", "%s exists (%d bytes)", path, info.Size())
	r.permissions("directory", filepath.Dir(path), 0o700)
	r.permissions("file", path, 0o600)
	if bak := path + ".backups"; exists(bak) {
		r.permissions("backups", bak, 0o700)
	}

	db, err := store.Open(path, store.Options{ReadOnly: true, Timeout: doctorLockTimeout, Actor: env.actor()})
	var damaged *store.DamagedError
	switch {
	case errors.Is(err, store.ErrInUse):
		r.line("warn", "lock", "in use by another onus (its changes are saved as they are made); integrity not checked")
		return
	case errors.As(err, &damaged):
		r.line("ok", "lock", "not held by another onus")
		r.line("FAIL", "integrity", "%v", err)
		return
	case err != nil:
		r.line("FAIL", "integrity", "cannot open: %v", err)
		return
	}
	defer db.Close()
	r.line("ok", "lock", "not held by another onus")
	for _, w := range db.Warnings() {
		if !strings.Contains(w, "readable by other users") { // reported above
			r.line("warn", "integrity", "%s", w)
		}
	}
	results, err := db.VerifyAll()
	var logBroken *store.IntegrityError
	if err != nil && !errors.As(err, &logBroken) {
		r.line("FAIL", "integrity", "%v", err)
		return
	}
	r.line("ok", "integrity", "file structure checks clean")
	if logBroken != nil {
		r.line("FAIL", "log", "%v", err) // the store's log of purges, imports, salvages and admissions
	} else {
		r.line("ok", "log", "the store's log of purges, imports, salvages and admissions verifies")
	}
	bad := 0
	for _, v := range results {
		if v.Err != "" {
			bad++
			r.line("FAIL", "chain", "%s %q: %s", v.ID, safetext.Truncate(v.Name, 60), v.Err)
		}
	}
	if bad == 0 {
		r.line("ok", "chains", "%s, every audit chain verifies and rebuilds its assessment", plural.Count(len(results), "assessment", "assessments"))
	}
}

// permissions warns when group or other users may read or enter path.
func (r *doctorReport) permissions(what, path string, want fs.FileMode) {
	info, err := os.Stat(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.line("warn", "perms", "%s %s: %v", what, path, err)
		}
		return
	}
	mode := info.Mode().Perm()
	if mode&0o077 != 0 {
		r.line("warn", "perms", "%s %s is open to other users (mode %04o); run: chmod %o %s", what, path, mode, want, path)
		return
	}
	r.line("ok", "perms", "%s %s mode %04o (owner only)", what, path, mode)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func (r *doctorReport) catalog() {
	src := "embedded"
	if r.env.CatalogPath != "" {
		src = r.env.CatalogPath
	}
	if len(r.env.Extensions) > 0 {
		src += " with " + strings.Join(r.env.Extensions, ", ")
	}
	cat, err := r.env.Catalog()
	if err != nil {
		r.line("FAIL", "catalog", "%s: %v", src, err)
		return
	}
	r.line("ok", "catalog", "%s: %q version %s, sha256 %s", src, safetext.Truncate(cat.Name, 80), safetext.Truncate(cat.Version, 40), cat.Hash)
	r.line("ok", "catalog", "%d layers, %d services, %d controls, %d evidence sources, %d frameworks",
		len(cat.Layers), len(cat.Services), len(cat.Controls), len(cat.Evidence), len(cat.Frameworks))
}

func (r *doctorReport) terminal() {
	env := r.env
	inTTY := false
	if f, ok := env.Stdin.(term.File); ok {
		inTTY = term.IsTerminal(f.Fd())
	}
	outTTY := isTerminal(env.Stdout)
	yes := map[bool]string{true: "yes", false: "no"}
	level := "ok"
	note := ""
	if !inTTY || !outTTY {
		level, note = "warn", " (the wizard needs a terminal on both; headless commands work anywhere)"
	}
	r.line(level, "terminal", "stdin is a terminal: %s, stdout is a terminal: %s%s", yes[inTTY], yes[outTTY], note)
	show := func(k string) string {
		if v := env.Getenv(k); v != "" {
			return fmt.Sprintf("%q", safetext.Truncate(v, 40))
		}
		return "unset"
	}
	level = "ok"
	if t := env.Getenv("TERM"); t == "" || t == "dumb" {
		level = "warn"
	}
	r.line(level, "terminal", "TERM=%s COLORTERM=%s NO_COLOR=%s", show("TERM"), show("COLORTERM"), show("NO_COLOR"))
	profile := colorprofile.Detect(env.Stdout, colourEnviron(env.Getenv))
	colour := "colour on"
	if !wantColour(env.Getenv, outTTY) {
		colour = "colour off (no terminal, NO_COLOR set, or TERM=dumb)"
	}
	r.line("ok", "colour", "detected profile %s; %s", profile, colour)
}
