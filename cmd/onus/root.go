package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/fang/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/tui"
)

// newRoot builds the command tree for one invocation. Flags write into env
// (the global options) or into variables of the command that owns them, so
// a tree serves one run.
func newRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "onus",
		Short: "shared-responsibility assessments of GxP solutions on AWS",
		Long: `Shared-responsibility assessments of GxP solutions on AWS: who owns each control,
who supplies the evidence, and why.

With no command, onus starts the wizard in the terminal; with a command, it runs
that command headless, for scripts. Run 'onus help COMMAND' for a command's options
and examples.

Exit codes: 0 ok, 1 error, 2 usage, 3 database in use, 4 database damaged,
130 interrupted.`,
		Example: `# the wizard, on the default database and the embedded catalog
onus
onus --db lims.db --as "Ana Ruiz"
# the wizard as numbered line prompts, for screen readers (also ACCESSIBLE=1)
onus --accessible
# headless
onus new --name "LIMS on AWS" --services ec2,rds,s3
onus list --json`,
		Args:              unknownCommand,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(*cobra.Command, []string) error { return runWizard(env) },
		Version:           versionLine(),
	}
	env.globalFlags(root.PersistentFlags())
	env.wizardFlags(root.Flags())
	completeFlag(root, "theme", fixed(tui.Themes...))
	root.Flags().Bool("version", false, "print the version, commit and build date")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.SetIn(env.Stdin)
	root.SetOut(env.plainUnlessColour(env.Stdout))
	root.SetErr(env.plainUnlessColour(env.Stderr))

	root.AddCommand(
		newNewCmd(env), newListCmd(env), newShowCmd(env), newHistoryCmd(env),
		newAnswerCmd(env), newEvidenceCmd(env), newActionCmd(env), newScopeCmd(env), newServicesCmd(env), newOverrideCmd(env), newRecordsCmd(env),
		newMatrixCmd(env),
		newExportCmd(env), newImportCmd(env), newVerifyCmd(env), newImportAnswersCmd(env),
		newDeleteCmd(env), newRestoreCmd(env), newPurgeCmd(env),
		newStackCmd(env), newCatalogCmd(env), newDoctorCmd(env),
		newVersionCmd(env), newManCmd(env), newLensCmd(env),
		newSignCmd(env), newSignaturesCmd(env), newMilestoneCmd(env), newReopenCmd(env), newDiffCmd(env), newSalvageCmd(env),
		newServeCmd(env),
		newCompactCmd(env),
	)
	// cobra adds these when it runs; added now, they get the same
	// treatment as every other command below.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Short = "print a shell's completion script" // cobra's is a column too wide
	}
	walk(root, func(c *cobra.Command) {
		if c.Args != nil {
			c.Args = argsAreUsage(c.Args)
		}
		if c.RunE != nil {
			c.RunE = env.keepErrors(env.settingsFirst(c, c.RunE))
		}
	})
	return root
}

// settingsFirst refuses to run a command on settings that cannot be used
// (a broken config file, say), except those that read none and doctor,
// which shows what is wrong.
func (env *Env) settingsFirst(c *cobra.Command, runE func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	top := c
	for top.HasParent() && top.Parent().HasParent() {
		top = top.Parent()
	}
	switch top.Name() {
	case "doctor", "version", "man", "completion", "help":
		return runE
	}
	return func(c *cobra.Command, args []string) error {
		if err := env.settingsError(); err != nil {
			return err
		}
		return runE(c, args)
	}
}

func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// argsAreUsage makes every complaint about the arguments, cobra's own
// (onus completion bash extra) as well as ours, a usage error: exit 2.
func argsAreUsage(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		err := check(c, args)
		if err != nil && !isUsage(err) {
			return usageError{err.Error()}
		}
		return err
	}
}

func isUsage(err error) bool { return errors.As(err, new(usageError)) }

// keepErrors hands fang only usage errors. Every other error stays in
// env.failed for run to print as "onus: ..." on any terminal: those
// messages carry paths and several lines a user copies, the wizard's exit
// reports among them, and fang would first query the terminal's
// background to style them.
func (env *Env) keepErrors(runE func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, args []string) error {
		err := runE(c, args)
		if err != nil && !isUsage(err) {
			env.failed = err
			return nil
		}
		return err
	}
}

// unknownCommand is the root's check of its arguments: the wizard takes
// none, so a word there is a mistyped command.
func unknownCommand(root *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	if near := model.Closest(args[0], names, 1); len(near) > 0 {
		return usagef("unknown command %q (did you mean %q?)", args[0], near[0])
	}
	return usagef("unknown command %q", args[0])
}

// plainUnlessColour is the stream fang and cobra write help and errors to:
// the terminal itself when it gets colour (fang styles for it), otherwise
// a writer that drops every escape sequence, so that NO_COLOR and
// TERM=dumb give plain text on a terminal too.
func (env *Env) plainUnlessColour(w io.Writer) io.Writer {
	if env.colour(w) {
		return w
	}
	return &colorprofile.Writer{Forward: w, Profile: colorprofile.NoTTY}
}

// longOptions rewrites the single-dash long options Go's flag package
// accepted (-db FILE, -json) to the double dash pflag reads, so scripts
// written for earlier versions keep working. It follows the words to the
// command they name, to know its options and which of them take a value:
// a value is never rewritten, nor is anything after "--". A "--" between
// the global options and a command, where Go's flag package stopped
// before the command, is dropped so that cobra finds the command.
func longOptions(root *cobra.Command, args []string) []string {
	out := make([]string, 0, len(args))
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		// A completion request: the last word is being typed, leave it be.
		rest := args[1:]
		if len(rest) == 0 {
			return args
		}
		out = append(out, args[0])
		out = append(out, longOptions(root, rest[:len(rest)-1])...)
		return append(out, rest[len(rest)-1])
	}
	cmd, positional := root, false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if cmd == root && !positional && i+1 < len(args) && subcommand(root, args[i+1]) != nil {
				continue // onus --db FILE -- list: "--" ended the global options, and a command follows
			}
			return append(out, args[i:]...)
		}
		if len(a) < 2 || a[0] != '-' {
			if sub := subcommand(cmd, a); sub != nil && !positional {
				cmd = sub
			} else {
				positional = true
			}
			out = append(out, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := longFlag(cmd, name)
		// An unknown -name that cannot be shorthands either is a mistyped
		// long option: pflag then says "unknown flag: --name".
		unknown := f == nil && len(name) > 1 && cmd.Flags().ShorthandLookup(name[:1]) == nil
		if !strings.HasPrefix(a, "--") && (f != nil || unknown) {
			a = "-" + a
		}
		out = append(out, a)
		if f != nil && !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
			i++ // the option's value, whatever it looks like
			out = append(out, args[i])
		}
	}
	return out
}

func subcommand(c *cobra.Command, name string) *cobra.Command {
	for _, sub := range c.Commands() {
		if sub.Name() == name || sub.HasAlias(name) {
			return sub
		}
	}
	return nil
}

// longFlag finds a long option of c, its own or inherited, by name.
func longFlag(c *cobra.Command, name string) *pflag.Flag {
	if name == "" {
		return nil
	}
	c.InitDefaultHelpFlag()
	c.InheritedFlags() // merges the parents' persistent flags into c.Flags()
	return c.Flags().Lookup(name)
}

// execute runs the tree through fang, except on a terminal that gets no
// colour (NO_COLOR, TERM=dumb): there fang would still ask the terminal
// for its background before help or an error, an escape sequence a dumb
// terminal prints and then waits 2 s for an answer to. cobra alone gives
// the same commands, with its plain help.
func (env *Env) execute(root *cobra.Command, args []string) error {
	root.SetArgs(args)
	fancy := !isTerminal(env.Stdout) || env.colour(env.Stdout)
	fitHelp(root, args, cmp.Or(env.helpColumns, helpWidth(env.Stdout)), fancy)
	if fancy {
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
