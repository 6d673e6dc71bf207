package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/onus-gxp/onus/accessible"
	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/tui"
)

// runAccessible runs the wizard's accessible mode on the standard
// streams: line prompts a screen reader reads in order, on a terminal or
// a pipe. Every change is saved before the next prompt, so a signal ends
// it at once: SIGINT with 130, SIGTERM and SIGHUP as they end the wizard.
func runAccessible(env *Env) error {
	cat, err := env.wizardCatalog(false)
	if err != nil {
		return err
	}
	db, _, err := env.openForWizard(cat)
	if err != nil {
		return err
	}
	defer db.Close()
	env.printWarnings(db)
	path, err := filepath.Abs(db.Path())
	if err != nil {
		path = db.Path()
	}
	ctx, stop := signalContext()
	defer stop()
	err = accessible.Run(ctx, accessible.Config{
		Catalog: cat.catalog, Earlier: assets.EarlierFor, Store: db, DBPath: path,
		In: env.Stdin, Out: env.Stdout,
		Echo:      !isTTY(env.Stdin), // a terminal echoes what is typed; a pipe does not
		ExportDir: tui.DefaultExportDir(env.Getenv),
		WriteOut: func(path string, write func(io.Writer) error) (int64, error) { // replaces only after a yes
			return writeOutputWith(path, write, true, db.Path())
		},
		Render:      renderExport, // as the wizard's and onus export's: signatures verified
		SigningKeys: func() ([]sign.Candidate, error) { return sign.Candidates(env.Getenv) },
		HideInput:   hideStdin(env.Stdin),
	})
	var sig caughtSignal
	switch {
	case !errors.As(err, &sig):
		return err
	case sig.Signal == syscall.SIGINT:
		return interruptError{}
	}
	return stoppedError{&tui.SignalError{Signal: sig.Signal}, db.Path()}
}

// caughtSignal is the cause of a context a signal cancelled.
type caughtSignal struct{ syscall.Signal }

func (c caughtSignal) Error() string { return "stopped by " + c.Signal.String() }

// signalContext is cancelled, with the signal as its cause, by the first
// SIGINT, SIGTERM or SIGHUP. A second one is left to its default action,
// which ends the process, should the first not end it.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			signal.Stop(sigs)
			cancel(caughtSignal{s.(syscall.Signal)})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// hideStdin turns off the echo of stdin while a passphrase is typed, when
// it is a terminal; nil on a pipe, which echoes nothing.
func hideStdin(in any) func() (restore func()) {
	f, ok := in.(*os.File)
	if !ok || !isTTY(in) {
		return nil
	}
	return func() func() { return hideInput(int(f.Fd())) }
}
