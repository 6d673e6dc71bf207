// Command onus walks a person through a shared-responsibility assessment of
// a GxP solution on AWS: in a terminal wizard, or headless for scripts.
//
// The command line is a cobra command tree run through fang (styled help
// and errors, completions). root.go builds the tree; each command, or group
// of commands, lives in a file of its own and only adds itself there.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/internal/safetext"
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

// run executes one invocation and returns its exit code. Usage errors go
// to fang, which styles them on a colour terminal; every other error a
// command returns is kept from fang (see keepErrors) and printed here as
// it always was.
func run(env *Env, args []string) int {
	var err error
	if env.wizardOnly(args) {
		env.failed = runWizard(env)
	} else {
		root := newRoot(env)
		root.SetArgs(longOptions(root, args))
		err = env.execute(root)
	}
	if err == nil && env.failed != nil {
		err = env.failed
		fmt.Fprintln(env.Stderr, "onus:", safetext.Clean(err.Error()))
	}
	return exitCode(err)
}

// wizardOnly takes the global options when they are all there is, which
// starts the wizard, and spares it the command tree: building that and
// running it through cobra and fang cost a millisecond or more of the
// wizard's start-up. Anything else (a command, help, -db FILE, a mistake)
// is left to the tree.
func (env *Env) wizardOnly(args []string) bool {
	try := *env
	fs := pflag.NewFlagSet("onus", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	try.globalFlags(fs)
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return false
	}
	*env = try
	return true
}

// execute runs the tree through fang, except on a terminal that gets no
// colour (NO_COLOR, TERM=dumb): there fang would still ask the terminal
// for its background before help or an error, an escape sequence a dumb
// terminal prints and then waits 2 s for an answer to. cobra alone gives
// the same commands, with its plain help.
func (env *Env) execute(root *cobra.Command) error {
	if !isTerminal(env.Stdout) || env.colour(env.Stdout) {
		return fang.Execute(context.Background(), root,
			fang.WithoutVersion(), fang.WithoutManpage(), // root.go and man_cmd.go have their own
			fang.WithErrorHandler(env.printUsageError))
	}
	root.SilenceErrors, root.SilenceUsage = true, true
	err := root.Execute()
	if err != nil {
		env.printUsageError(env.Stderr, fang.Styles{}, err)
	}
	return err
}

func exitCode(err error) int {
	var ec exitCoder
	switch {
	case err == nil:
		return exitOK
	case isUsage(err):
		return exitUsage
	case errors.As(err, &ec):
		return ec.ExitCode()
	}
	return exitError
}

// printUsageError is fang's error handler: on a colour terminal fang's
// styled block, otherwise the plain lines scripts have always read.
// Either way the text is sanitised: it can echo hostile ids and values.
func (env *Env) printUsageError(w io.Writer, styles fang.Styles, err error) {
	msg := safetext.Clean(err.Error())
	usage := isUsage(err)
	if !env.colour(env.Stderr) {
		fmt.Fprintln(env.Stderr, "onus:", msg)
		if usage {
			fmt.Fprintln(env.Stderr, "Run 'onus help' for usage.")
		}
		return
	}
	fmt.Fprintln(w, styles.ErrorHeader.String())
	fmt.Fprintln(w, styles.ErrorText.Render(msg))
	fmt.Fprintln(w)
	if usage {
		fmt.Fprintln(w, styles.ErrorText.UnsetWidth().Render("Run"), styles.Program.Flag.Render("onus help"),
			styles.ErrorText.UnsetWidth().UnsetMargins().UnsetTransform().Render("for usage."))
		fmt.Fprintln(w)
	}
}
