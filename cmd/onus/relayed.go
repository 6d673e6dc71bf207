package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/relay"
	"github.com/onus-gxp/onus/store"
)

// A headless command on a database onus serve holds runs through that
// server (package relay): the command finds the server's socket where it
// would open the file (OpenStore), and the whole invocation is handed to
// the server, which runs it as this program would, on the file it has
// open and on this process's own streams, and gives back the exit code.
// The wizard, onus serve itself and what opens the file by other means
// (doctor, completions) are not relayed: they are refused as for any
// file in use (exit 3), naming the server.

// relaying is the error OpenStore stops a command with when its database
// is served: run then relays the invocation. It is never printed.
type relaying struct{ client *relay.Client }

func (relaying) Error() string { return "relayed to onus serve" }

func relayTo(err error) (*relay.Client, bool) {
	var r relaying
	if errors.As(err, &r) {
		return r.client, true
	}
	return nil, false
}

// relayIfServed stops the command for run to relay it when a server
// listens for its database. Tests in-process (no Environ) never relay.
func (env *Env) relayIfServed() error {
	if env.Environ == nil {
		return nil
	}
	path, err := env.dbPath()
	if err != nil {
		return nil // openStore says why
	}
	c, err := relay.Dial(path)
	if err != nil {
		return nil // none serves it (or one was killed): open it here
	}
	return relaying{c}
}

// relay runs the invocation through the server and returns its exit code.
// The terminal's ctrl+c (or SIGTERM, SIGHUP) reaches this process, not
// the server: the first is passed on, so that the command stops and
// nothing more of it appears once this process has exited (exit 130); a
// second has its usual effect.
func (env *Env) relay(c *relay.Client, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	context.AfterFunc(ctx, stop)
	code, err := c.Run(ctx, args, env.Environ(), env.Stdin, env.Stdout, env.Stderr)
	if err != nil {
		fmt.Fprintln(env.Stderr, "onus:", safetext.Clean(err.Error()))
	}
	return code
}

// relayRunner is how onus serve runs a relayed command: as run would,
// with the caller's streams, environment and working directory, on a
// handle lent from the server's open file (its Close leaves it open). A
// change is attributed as it would be without the server (--as,
// ONUS_USER, the config file, the OS user) and handed to changed, for
// every wizard connected. The catalog must be the server's: the file
// counts progress with it.
func relayRunner(db *store.DB, cat *model.Catalog, changed func(a model.Assessment, by string)) relay.Runner {
	return func(req relay.Request) int {
		env := &Env{Stdin: req.Stdin, Stdout: slowOutputForTests(req.Getenv, req.Stdout), Stderr: req.Stderr, Getenv: req.Getenv,
			ReadPassphrase: func(string) ([]byte, error) { return nil, errRelayedPrompt }}
		env.lend = func(opt store.Options) (*store.DB, error) {
			if opt.Catalog != nil && opt.Catalog().Hash != cat.Hash {
				return nil, relayRefused{fmt.Sprintf("the workshop's server (onus serve) uses catalog %s and this command another (%s): run it with the server's --catalog and --extension, or once the server stops",
					cat.Version, opt.Catalog().Version)}
			}
			by := opt.Actor
			return db.Lend(by, func(a model.Assessment) { changed(a, by) }), nil
		}
		return run(env, req.Args)
	}
}

// errRelayedPrompt: the server does not ask for passphrases on the
// caller's behalf.
var errRelayedPrompt = errors.New("a passphrase is not asked for through the workshop's server (onus serve): use --identity, or --agent to sign, or run it once the server stops")

// relayRefused is a command the server will not run (exit 3, as for a
// file in use).
type relayRefused struct{ msg string }

func (e relayRefused) Error() string { return e.msg }
func (relayRefused) ExitCode() int   { return exitInUse }

// absolutePaths makes the database path and the paths given absolute,
// for onus serve, whose relayed commands change its working directory
// while they run.
func (env *Env) absolutePaths(paths ...*string) error {
	db, err := env.dbPath()
	if err != nil {
		return err
	}
	paths = append(paths, &db)
	for _, p := range paths {
		if *p == "" {
			continue
		}
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	env.DBPath = db
	return nil
}
