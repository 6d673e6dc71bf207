package main

import (
	"errors"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/tui"
)

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
Run 'onus help' for all of them.`
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
	return true, colorprofile.Detect(os.Stdout, colourEnviron(env.Getenv))
}

// runWizard starts the terminal wizard on the catalog and database in effect.
func runWizard(env *Env) error {
	if !isTTY(env.Stdin) || !isTTY(env.Stdout) {
		return noTTYError{}
	}
	cat, err := env.Catalog()
	if err != nil {
		return err
	}
	db, err := env.OpenStore(false, cat)
	if err != nil {
		return err
	}
	defer db.Close()

	colour, profile := wizardColour(env)
	m := tui.New(tui.Config{
		Catalog: cat, Store: db, Colour: colour,
		Formats:  report.FormatIDs(),
		Export:   renderExport,
		WriteOut: writeFileAtomic,
	})
	err = tui.Run(m, tea.WithColorProfile(profile))
	if errors.Is(err, tui.ErrInterrupted) {
		return interruptError{}
	}
	if err != nil {
		return fmt.Errorf("wizard: %w", err)
	}
	return nil
}
