// Command onus walks a person through a shared-responsibility assessment of
// a GxP solution on AWS: in a terminal wizard, or headless for scripts.
//
// The command line is a cobra command tree run through fang (styled help
// and errors, completions). root.go builds the tree; each command, or group
// of commands, lives in a file of its own and only adds itself there.
package main

import (
	"errors"
	"fmt"
	"os"

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
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Environ: os.Environ}
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
		err = env.execute(root, longOptions(root, args))
	}
	if to, ok := relayTo(env.failed); ok {
		return env.relay(to, args)
	}
	if err == nil && env.failed != nil {
		err = env.failed
		fmt.Fprintln(env.Stderr, "onus:", safetext.Clean(err.Error()))
	}
	return exitCode(err)
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
