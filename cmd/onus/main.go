// Command onus walks a person through a shared-responsibility assessment of
// a GxP solution on AWS: in a terminal wizard, or headless for scripts.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/onus-gxp/onus/model"
)

// Exit codes are part of the command line's contract.
const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 2
	exitInUse     = 3
	exitDamaged   = 4
	exitInterrupt = 130
)

// command is one subcommand. Each lives in its own file and registers
// itself, so main stays a dispatcher.
type command struct {
	name    string
	args    string // argument synopsis for help
	summary string
	example string
	run     func(env *Env, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// Env is what a command may touch: its streams, its environment and the
// global options. Tests build one to run commands in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	DBPath      string // --db or ONUS_DB
	CatalogPath string // --catalog or ONUS_CATALOG
	Actor       string // --as or ONUS_USER
}

// usageError is a mistake on the command line (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// exitCoder lets an error choose its exit code (file in use, damaged file).
type exitCoder interface{ ExitCode() int }

func main() {
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(run(env, os.Args[1:]))
}

// run executes one invocation and returns its exit code.
func run(env *Env, args []string) int {
	rest, err := env.parseGlobal(args)
	if err == nil {
		err = dispatch(env, rest)
	}
	return exitCodeFor(env, err)
}

func exitCodeFor(env *Env, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintln(env.Stderr, "onus:", err)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(env.Stderr, "Run 'onus help' for usage.")
		return exitUsage
	}
	var ec exitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return exitError
}

// parseGlobal takes the global options that come before the subcommand.
// Subcommands accept them too (see globalFlags).
func (env *Env) parseGlobal(args []string) ([]string, error) {
	fs := flag.NewFlagSet("onus", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env.globalFlags(fs)
	help := fs.Bool("help", false, "")
	fs.BoolVar(help, "h", false, "")
	if err := fs.Parse(args); err != nil {
		return nil, usagef("%v", err)
	}
	if *help {
		printUsage(env.Stdout)
		return nil, flag.ErrHelp
	}
	return fs.Args(), nil
}

// globalFlags registers --db, --catalog and --as on a flag set, defaulting
// from the environment.
func (env *Env) globalFlags(fs *flag.FlagSet) {
	if env.DBPath == "" {
		env.DBPath = env.Getenv("ONUS_DB")
	}
	if env.CatalogPath == "" {
		env.CatalogPath = env.Getenv("ONUS_CATALOG")
	}
	if env.Actor == "" {
		env.Actor = env.Getenv("ONUS_USER")
	}
	fs.StringVar(&env.DBPath, "db", env.DBPath, "database file (default $XDG_DATA_HOME/onus/onus.db; env ONUS_DB)")
	fs.StringVar(&env.CatalogPath, "catalog", env.CatalogPath, "catalog file instead of the embedded one (env ONUS_CATALOG)")
	fs.StringVar(&env.Actor, "as", env.Actor, "name recorded in the audit trail (env ONUS_USER; default the OS user)")
}

// newFlags gives a subcommand its flag set with the global options on it.
func (env *Env) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("onus "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	env.globalFlags(fs)
	c := commands[name]
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: onus %s %s\n\n%s\n\nOptions:\n", name, c.args, c.summary)
		fs.PrintDefaults()
		if c.example != "" {
			fmt.Fprintf(env.Stderr, "\nExample:\n  %s\n", c.example)
		}
	}
	return fs
}

// parseFlags parses a subcommand's flags, allowing them after positional
// arguments too ("onus answer ID AC-01 --status implemented").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func dispatch(env *Env, args []string) error {
	if len(args) == 0 {
		return runWizard(env)
	}
	name := args[0]
	if name == "help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				// The command's own --help, which knows its options, on stdout.
				helpEnv := *env
				helpEnv.Stderr = env.Stdout
				if err := c.run(&helpEnv, []string{"--help"}); !errors.Is(err, flag.ErrHelp) {
					return fmt.Errorf("onus %s --help did not print its help: %v", c.name, err)
				}
				return nil
			}
		}
		printUsage(env.Stdout)
		return nil
	}
	c, ok := commands[name]
	if !ok {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		if near := model.Closest(name, names, 1); len(near) > 0 {
			return usagef("unknown command %q (did you mean %q?)", name, near[0])
		}
		return usagef("unknown command %q", name)
	}
	return c.run(env, args[1:])
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `onus: shared-responsibility assessments of GxP solutions on AWS

Usage:
  onus [--db FILE] [--catalog FILE] [--as NAME]      start the wizard
  onus [global options] COMMAND [arguments]          run one command headless

Commands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-9s %s\n", n, c.summary)
	}
	fmt.Fprint(w, `
Global options:
  --db FILE        database file (default $XDG_DATA_HOME/onus/onus.db; env ONUS_DB)
  --catalog FILE   catalog to use instead of the embedded one (env ONUS_CATALOG)
  --as NAME        your name in the audit trail (env ONUS_USER; default the OS user)

Exit codes: 0 ok, 1 error, 2 usage, 3 database in use, 4 database damaged, 130 interrupted.
Run 'onus help COMMAND' for a command's options and an example.
`)
}
