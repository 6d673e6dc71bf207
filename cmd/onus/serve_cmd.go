package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/relay"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/serve"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

func newServeCmd(env *Env) *cobra.Command {
	var listen, participants string
	cmd := &cobra.Command{
		Use:   "serve --participants FILE",
		Short: "run a workshop: the wizard over SSH for each participant",
		Long: `serve runs an SSH server that gives everyone in the participants file the
wizard on this database; each change is recorded as theirs and shown on every
other screen as it is saved. It listens on ` + serve.DefaultListen + ` unless --listen names
another address. Its host key is kept beside the database and its fingerprint
printed for participants to check. SIGTERM or ctrl+c ends every session and stops.
While it runs, headless commands of the same user on this database (list,
show, export, answer, ...) run through it, on a socket beside the file.

The participants file has one line per person, # comments and blank lines:
  ROLE KEYTYPE BASE64KEY PRINTED NAME
ROLE is facilitator, participant or observer (read-only); the rest is the
person's OpenSSH public key (~/.ssh/id_ed25519.pub) with their printed name.`,
		Example: `onus serve --participants workshop.txt
# the room's network: participants run ssh -p 2222 ADDRESS
onus serve --participants workshop.txt --listen 192.168.1.20:2222`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if participants == "" {
				return usagef("serve needs --participants FILE (ROLE KEYTYPE BASE64KEY PRINTED NAME, one a line)")
			}
			people, err := serve.ReadParticipants(participants)
			if err != nil {
				return err
			}
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			// The server's own paths do not depend on its working
			// directory: a relayed command runs in its caller's.
			if err := env.absolutePaths(&participants); err != nil {
				return err
			}
			home, err := os.Getwd() // where the wizards' relative paths start
			if err != nil {
				return err
			}
			db, err := env.openStore(store.Options{Catalog: func() *model.Catalog { return cat }})
			if err != nil {
				return err
			}
			defer db.Close()
			keyPath := serve.HostKeyPath(db.Path())
			hostKey, created, err := serve.LoadHostKey(keyPath)
			if err != nil {
				return err
			}
			var rl *relay.Listener // headless commands through the server
			srv, err := serve.New(serve.Options{DB: db, People: people, ParticipantsFile: participants, HostKey: hostKey, Log: env.Stderr,
				Wizard: tui.Config{Catalog: func() *model.Catalog { return cat }, Colour: true, Dir: home,
					Formats: report.FormatIDs(), Export: renderExport,
					WriteOut: func(path string, write func(io.Writer) error) (int64, error) {
						var n int64
						err := rl.Hold(func() (err error) {
							n, err = writeOutputWith(path, write, true, db.Path())
							return err
						})
						return n, err
					}}})
			if err != nil {
				return err
			}
			ln, err := serve.Listen(listen)
			if err != nil {
				return err
			}
			state := "host key"
			if created {
				state = "new host key"
			}
			who := fmt.Sprintf("%d people", len(people))
			if len(people) == 1 {
				who = "1 person"
			}
			fmt.Fprintf(env.Stdout, "onus serve: %s on %s for %s (%s)\n%s %s (%s)\nparticipants connect with: %s\n",
				db.Path(), ln.Addr(), who, participants, state, serve.Fingerprint(hostKey), keyPath, serve.SSHCommand(ln.Addr().String()))
			marker := serve.MarkerPath(db.Path())
			note := fmt.Sprintf("onus serve (pid %d) on %s since %s", os.Getpid(), ln.Addr(), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
			if err := os.WriteFile(marker, []byte(note+"\n"), 0o600); err != nil {
				fmt.Fprintln(env.Stderr, "onus: warning:", err)
			}
			defer os.Remove(marker)
			if rl, err = relay.Listen(db.Path(), srv.Logf); err != nil {
				fmt.Fprintf(env.Stderr, "onus: warning: %v\nheadless commands on %s are refused while the server runs\n", err, db.Path())
			} else {
				fmt.Fprintf(env.Stdout, "headless commands on this database run through it (%s)\n", rl.Path())
				go rl.Serve(relayRunner(db, cat, srv.Publish))
				defer rl.Close() // before the file closes: the commands running finish first
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			err = srv.Serve(ctx, ln)
			fmt.Fprintln(env.Stdout, "onus serve: stopped; every change shown as saved is in", db.Path())
			return err
		},
	}
	cmd.Flags().StringVar(&listen, "listen", serve.DefaultListen, "address and port to listen on (default this machine only)")
	cmd.Flags().StringVar(&participants, "participants", "", "participants file: ROLE KEYTYPE BASE64KEY PRINTED NAME, one a line")
	return cmd
}

// servedError: the file is in use by onus serve (exit 3, as any file in
// use), for what is not relayed to it (relayed.go): the wizard, onus
// serve itself, doctor.
type servedError struct {
	err error
	by  string
}

func (e servedError) Error() string {
	return fmt.Sprintf("%v\nit is served by %s: join the workshop over SSH, or run this once its server stops (ctrl+c); headless commands such as list, show, export and answer run through the server", e.err, e.by)
}
func (e servedError) Unwrap() error { return e.err }
func (e servedError) ExitCode() int { return exitInUse }

// servedBy says so when the file is in use by onus serve.
func servedBy(path string, err error) error {
	if errors.Is(err, store.ErrInUse) {
		if by := serve.Serving(path); by != "" {
			return servedError{err, by}
		}
	}
	return err
}
