package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/onus-gxp/onus/internal/safetext"
)

// Help is laid out to the terminal's width. Neither fang nor cobra's plain
// help wraps the descriptions beside commands and options, so a long one
// broke mid-word at the terminal's edge, and every option of onus names
// its environment variable and default. Only a run that prints help is
// touched: completions and the manual read the same texts whole.

// fitHelp wraps the descriptions of the help args ask for, if they ask
// for help, to width columns: for fang's layout (fancy) or for cobra's.
func fitHelp(root *cobra.Command, args []string, width int, fancy bool) {
	c := helpTarget(root, args)
	if c == nil {
		return
	}
	if !fancy {
		// cobra's template, with pflag's wrapping option lists.
		wrapped := fmt.Sprintf(".FlagUsagesWrapped %d", width)
		root.SetUsageTemplate(strings.ReplaceAll(root.UsageTemplate(), ".FlagUsages", wrapped))
		return
	}
	c.InitDefaultHelpFlag()
	c.InheritedFlags() // the global options, merged into c.Flags() as fang lists them
	var subs []*cobra.Command
	key := 0
	for _, sc := range c.Commands() {
		if !sc.Hidden {
			subs = append(subs, sc)
			key = max(key, fangCommandWidth(sc))
		}
	}
	var flags []*pflag.Flag
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			flags = append(flags, f)
			key = max(key, fangFlagWidth(f))
		}
	})
	// fang: each line indented 4, the key column at least 10 wide and 2
	// wider than the widest key.
	room := width - 4 - max(10, key+2)
	if room < 20 {
		return // too narrow to help: left to the terminal
	}
	for _, sc := range subs {
		sc.Short = strings.Join(safetext.Wrap(sc.Short, room), "\n")
	}
	for _, f := range flags {
		f.Usage = wrapBeside(f.Usage, fangDefault(f), room)
	}
}

// helpTarget is the command whose help args print, nil when they print
// none: -h or --help before any "--", onus help COMMAND, or a command that
// only groups others.
func helpTarget(root *cobra.Command, args []string) *cobra.Command {
	if end := slices.Index(args, "--"); end >= 0 {
		args = args[:end]
	}
	asked := slices.Contains(args, "-h") || slices.Contains(args, "--help")
	if len(args) > 0 && args[0] == "help" {
		args, asked = args[1:], true
	}
	c, _, err := root.Find(args)
	if err != nil || c == nil || !asked && c.Runnable() {
		return nil
	}
	return c
}

// helpWidth is the width fang lays help out in: the terminal's, at most
// 120 columns; 120 when w is not a terminal.
func helpWidth(w io.Writer) int {
	if f, ok := w.(term.File); ok && term.IsTerminal(f.Fd()) {
		if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
			return min(cols, 120)
		}
	}
	return 120
}

// wrapBeside wraps s to room columns, keeping room on its last line for
// the suffix fang appends to it, or giving the suffix a line of its own.
func wrapBeside(s, suffix string, room int) string {
	lines := safetext.Wrap(s, room)
	if len(lines) > 0 && suffix != "" && ansi.StringWidth(lines[len(lines)-1]+suffix) > room {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// fangDefault is what fang appends to an option's description: its
// default, when it has one worth showing.
func fangDefault(f *pflag.Flag) string {
	switch f.DefValue {
	case "", "false", "0", "[]":
		return ""
	}
	return " (" + f.DefValue + ")"
}

// fangFlagWidth is the width of fang's key for an option.
func fangFlagWidth(f *pflag.Flag) int {
	if f.Shorthand == "" {
		return len("--" + f.Name)
	}
	return len("-" + f.Shorthand + " --" + f.Name)
}

// fangCommandWidth is the width of fang's key for a command: its
// synopsis, with fang's markers of subcommands, arguments and options.
func fangCommandWidth(c *cobra.Command) int {
	u := c.Use
	args := strings.Contains(u, "[args]")
	flags := strings.Contains(u, "[flags]") || strings.Contains(u, "[--flags]") || c.HasFlags() || c.HasPersistentFlags() || c.HasAvailableFlags()
	cmds := strings.Contains(u, "[command]") || c.HasAvailableSubCommands()
	for _, k := range []string{"[args]", "[flags]", "[--flags]", "[command]"} {
		u = strings.ReplaceAll(u, k, "")
	}
	w := 0
	// fang moves the bracketed words to the end: `(\[.*\])`, from the
	// first "[" to the last "]".
	if i, j := strings.Index(u, "["), strings.LastIndex(u, "]"); i >= 0 && j > i {
		b := u[i : j+1]
		u = strings.ReplaceAll(u, b, "")
		w += 1 + ansi.StringWidth(b)
	}
	w += ansi.StringWidth(strings.TrimSpace(u))
	for _, m := range []struct {
		on   bool
		text string
	}{{cmds, " [command]"}, {args, " [args]"}, {flags, " [--flags]"}} {
		if m.on {
			w += len(m.text)
		}
	}
	return w
}
