package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/serve"
	"github.com/onus-gxp/onus/store"
	"github.com/onus-gxp/onus/tui"
)

func newServeCmd(env *Env) *cobra.Command {
	var listen, participants string
	cmd := &cobra.Command{
		Use:   "serve --participants FILE [--listen ADDR:PORT]",
		Short: "run a workshop: the wizard over SSH for everyone in the participants file",
		Long: `serve runs an SSH server that gives everyone in the participants file the
wizard on this database; each change is recorded as theirs and shown on every
other screen as it is saved. It listens on ` + serve.DefaultListen + ` unless --listen names
another address. Its host key is kept beside the database and its fingerprint
printed for participants to check. SIGTERM or ctrl+c ends every session and stops.

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
			srv, err := serve.New(serve.Options{DB: db, People: people, ParticipantsFile: participants, HostKey: hostKey, Log: env.Stderr,
				Wizard: tui.Config{Catalog: func() *model.Catalog { return cat }, Colour: true,
					Formats: report.FormatIDs(), Export: renderExport, WriteOut: writeFileAtomic}})
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
			fmt.Fprintf(env.Stdout, "onus serve: %s on %s for %d people (%s)\n%s %s (%s)\nparticipants connect with: %s\n",
				db.Path(), ln.Addr(), len(people), participants, state, serve.Fingerprint(hostKey), keyPath, serve.SSHCommand(ln.Addr().String()))
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
