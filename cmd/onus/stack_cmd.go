package main

import (
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// minStackWidth is the narrowest --width accepted.
const minStackWidth = 20

// The JSON form of `onus stack`. The keys id, model, layers, name and owner
// are the contract; the others appear only when set.
type stackJSON struct {
	Services []stackServiceJSON `json:"services,omitempty"` // omitted with --solution-only
	Solution stackSolutionJSON  `json:"solution"`
}

type stackServiceJSON struct {
	ID     string           `json:"id"`
	Name   string           `json:"name"`
	Model  string           `json:"model"`
	Line   int              `json:"line"` // layers above the of/in-the-cloud line
	Layers []stackLayerJSON `json:"layers"`
}

type stackLayerJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Owner        string `json:"owner"`
	Overridden   bool   `json:"overridden,omitempty"`
	ByAssessment bool   `json:"by_assessment,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

type stackSolutionJSON struct {
	Line   int                    `json:"line"`
	Layers []stackSolutionLayerJS `json:"layers"`
}

type stackSolutionLayerJS struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Owner    string   `json:"owner"`
	CausedBy []string `json:"caused_by,omitempty"`
}

func newStackCmd(env *Env) *cobra.Command {
	var asJSON, solOnly bool
	var width int
	cmd := &cobra.Command{
		Use:   "stack SERVICE_ID...",
		Short: "draw who owns each layer of services and their solution",
		Example: `onus stack ec2 rds s3
onus stack lambda dynamodb s3 --solution-only
onus stack ec2 eks --json`,
		ValidArgsFunction: env.completeEach(env.serviceIDs),
		RunE: func(_ *cobra.Command, pos []string) error {
			if len(pos) == 0 {
				return usagef("stack needs at least one SERVICE_ID, e.g. onus stack ec2 rds s3")
			}
			if width != 0 && width < minStackWidth {
				return usagef("--width must be at least %d", minStackWidth)
			}
			cat, err := env.Catalog()
			if err != nil {
				return err
			}
			ids := dedupe(pos)
			if err := cat.CheckServices(ids); err != nil {
				return usagef("%v", err)
			}
			return drawStacks(env, cat, model.Select(ids...), width, solOnly, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the stacks as JSON")
	cmd.Flags().IntVar(&width, "width", 0, "columns to draw in (default: the terminal's width, else 80)")
	cmd.Flags().BoolVar(&solOnly, "solution-only", false, "draw only the solution stack")
	completeFlag(cmd, "width", cobra.NoFileCompletions)
	return cmd
}

// drawStacks prints the stacks of the selected services (with any
// overrides the selection carries) and of the solution they make.
func drawStacks(env *Env, cat *model.Catalog, sels []model.SelectedService, width int, solOnly, asJSON bool) error {
	sts := make([]model.ServiceStack, len(sels))
	for i, sel := range sels {
		var err error
		if sts[i], err = cat.ServiceStack(sel); err != nil {
			return err
		}
	}
	sol := cat.SolutionStack(sels)

	if asJSON {
		return writeStackJSON(env.Stdout, sts, sol, solOnly)
	}

	tty := isTerminal(env.Stdout)
	o := stacks.Options{Width: width, Theme: stacks.Plain()}
	if o.Width == 0 {
		o.Width = terminalWidth(env.Stdout, tty)
	}
	out := env.Stdout
	if wantColour(env.Getenv, tty) {
		o.Theme = stacks.Colour(hasDarkBackground(env))
		out = &colorprofile.Writer{Forward: env.Stdout, Profile: colorprofile.Detect(env.Stdout, colourEnviron(env.Getenv))}
	}

	var parts []string
	if !solOnly {
		if len(sts) == 1 {
			parts = append(parts, stacks.Service(sts[0], o))
		} else {
			for off := 0; off < len(sts); {
				o.Offset = off
				page, shown := stacks.SideBySide(sts, o)
				parts = append(parts, page)
				off += max(shown, 1)
			}
			o.Offset = 0
		}
	}
	// One service's solution is that service's stack: drawn once is enough.
	if solOnly || len(sts) > 1 {
		parts = append(parts, stacks.Solution(cat, sol, o))
	}
	parts = append(parts, stacks.Legend(o))
	if !solOnly {
		if notes := stacks.Notes(sts, o); notes != "" {
			parts = append(parts, notes)
		}
	}
	_, err := io.WriteString(out, strings.Join(parts, "\n\n")+"\n")
	return err
}

func writeStackJSON(w io.Writer, sts []model.ServiceStack, sol model.SolutionStack, solOnly bool) error {
	var doc stackJSON
	if !solOnly {
		for _, st := range sts {
			sj := stackServiceJSON{ID: st.Service.ID, Name: st.Service.Name, Model: string(st.Service.Model), Line: st.Line,
				Layers: make([]stackLayerJSON, len(st.Layers))}
			for i, l := range st.Layers {
				sj.Layers[i] = stackLayerJSON{ID: l.Layer.ID, Name: l.Layer.Name, Owner: string(l.Owner),
					Overridden: l.Overridden, ByAssessment: l.ByAssessment, Reason: l.Reason}
			}
			doc.Services = append(doc.Services, sj)
		}
	}
	doc.Solution = stackSolutionJSON{Line: sol.Line, Layers: make([]stackSolutionLayerJS, len(sol.Layers))}
	for i, l := range sol.Layers {
		doc.Solution.Layers[i] = stackSolutionLayerJS{ID: l.Layer.ID, Name: l.Layer.Name, Owner: string(l.Owner), CausedBy: l.CausedBy}
	}
	return printJSON(w, doc)
}

// dedupe drops repeated ids, keeping the first of each.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(term.File)
	return ok && term.IsTerminal(f.Fd())
}

// terminalWidth is the width of the terminal on w, or 80 when w is not a
// terminal or does not say.
func terminalWidth(w io.Writer, tty bool) int {
	if tty {
		if f, ok := w.(term.File); ok {
			if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
				return max(cols, minStackWidth)
			}
		}
	}
	return 80
}

// wantColour decides whether to colour the drawing: only on a terminal,
// never with any NO_COLOR set (https://no-color.org), never on TERM=dumb.
func wantColour(getenv func(string) string, tty bool) bool {
	return tty && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// hasDarkBackground asks the terminal for its background when both ends are
// terminals; otherwise, or when it does not answer, it assumes dark.
func hasDarkBackground(env *Env) bool {
	in, ok := env.Stdin.(term.File)
	out, ok2 := env.Stdout.(term.File)
	if !ok || !ok2 || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		return true
	}
	return lipgloss.HasDarkBackground(in, out)
}

// colourEnviron gives colour-profile detection the variables it reads,
// taken from the command's environment. Not TMUX: with it, detection on
// a terminal runs "tmux info" found through PATH (a program planted there
// would run, and the wizard's start waited about 10 ms for it); without
// it, TERM and terminfo decide.
func colourEnviron(getenv func(string) string) []string {
	var env []string
	for _, k := range []string{"TERM", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM_PROGRAM", "WT_SESSION", "ConEmuANSI", "ANSICON"} {
		if v := getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}
