package main

import (
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/report"
	"github.com/onus-gxp/onus/store"
)

// Dynamic completion. `onus completion bash|zsh|fish|powershell` prints
// cobra's script; the script runs `onus __complete WORDS...`, which calls
// the functions below with the options typed so far already parsed, so
// they read the catalog and the database the line names. A shell waits
// for them at every tab: the database opens read-only and waits at most
// completionLockTimeout for an onus that holds it, and any error or panic
// gives no completions, never a message.

const completionLockTimeout = 200 * time.Millisecond

// candidates lists what may be typed, each with an optional description
// after a tab (cobra.CompletionWithDesc).
type candidates func() []cobra.Completion

// completeFlag registers a flag's completion; it fails only on a flag name
// the command does not have, a mistake in onus itself.
func completeFlag(cmd *cobra.Command, flag string, fn cobra.CompletionFunc) {
	if err := cmd.RegisterFlagCompletionFunc(flag, fn); err != nil {
		panic(err)
	}
}

// fixed completes one of a few known values.
func fixed(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

// completeArgs completes the first positional argument from the first
// list, the second from the second, and nothing after those.
func (env *Env) completeArgs(lists ...candidates) cobra.CompletionFunc {
	return func(_ *cobra.Command, pos []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(pos) < len(lists) {
			return safely(lists[len(pos)]), cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeEach completes every positional argument from one list, less
// those already given.
func (env *Env) completeEach(list candidates) cobra.CompletionFunc {
	return func(_ *cobra.Command, pos []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, c := range safely(list) {
			if !slices.Contains(pos, completionID(c)) {
				out = append(out, c)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeList completes a comma-separated option value (--services
// ec2,rds): the item after the last comma, keeping those before it, less
// those already in the list. No space follows, so the list can go on.
func (env *Env) completeList(list candidates) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		done := toComplete[:strings.LastIndex(toComplete, ",")+1]
		given := splitList(done)
		var out []cobra.Completion
		for _, c := range safely(list) {
			if !slices.Contains(given, completionID(c)) {
				out = append(out, done+c)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// safely runs list, turning a panic into no completions.
func safely(list candidates) (out []cobra.Completion) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	return list()
}

func completionID(c cobra.Completion) string {
	id, _, _ := strings.Cut(c, "\t")
	return id
}

// completion is one candidate: an id a shell can insert as it is, and a
// description safe to show. An id that is not (it would break the
// completion protocol or act on the terminal) is left out.
func completion(id, desc string) (cobra.Completion, bool) {
	if id == "" || strings.ContainsAny(id, " \t\n") || safetext.Line(id) != id {
		return "", false
	}
	return cobra.CompletionWithDesc(id, safetext.Line(safetext.Truncate(desc, 60))), true
}

// fromCatalog lists some of the catalog's entries as candidates.
func (env *Env) fromCatalog(entries func(cat *model.Catalog, add func(id, desc string))) candidates {
	return func() []cobra.Completion {
		cat, err := env.Catalog()
		if err != nil {
			return nil
		}
		var out []cobra.Completion
		entries(cat, func(id, desc string) {
			if c, ok := completion(id, desc); ok {
				out = append(out, c)
			}
		})
		return out
	}
}

func (env *Env) serviceIDs() []cobra.Completion {
	return env.fromCatalog(func(cat *model.Catalog, add func(id, desc string)) {
		for _, s := range cat.Services {
			add(s.ID, s.Name)
		}
	})()
}

func (env *Env) controlIDs() []cobra.Completion {
	return env.fromCatalog(func(cat *model.Catalog, add func(id, desc string)) {
		for _, c := range cat.Controls {
			add(c.ID, c.Title)
		}
	})()
}

func (env *Env) layerIDs() []cobra.Completion {
	return env.fromCatalog(func(cat *model.Catalog, add func(id, desc string)) {
		for _, l := range cat.Layers {
			add(l.ID, l.Name)
		}
	})()
}

func (env *Env) frameworkIDs() []cobra.Completion {
	return env.fromCatalog(func(cat *model.Catalog, add func(id, desc string)) {
		for _, f := range cat.Frameworks {
			add(f.ID, f.Name)
		}
	})()
}

// formatIDs completes --format with the report package's formats.
func formatIDs(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, f := range report.Formats {
		out = append(out, cobra.CompletionWithDesc(f.ID, f.Name))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// Which assessments an argument takes.
type idFilter int

const (
	liveIDs    idFilter = iota // not deleted
	allIDs                     // deleted ones too
	deletedIDs                 // only deleted ones
)

// assessmentIDs lists the assessments in the database in effect, with
// their names.
func (env *Env) assessmentIDs(which idFilter) candidates {
	return func() []cobra.Completion {
		path, err := env.dbPath()
		if err != nil {
			return nil
		}
		db, err := store.Open(path, store.Options{ReadOnly: true, CheckAsRead: true, Timeout: completionLockTimeout})
		if err != nil {
			return nil
		}
		defer db.Close()
		sums, err := db.List(which != liveIDs)
		if err != nil {
			return nil
		}
		var out []cobra.Completion
		for _, s := range sums {
			if which == deletedIDs && !s.Deleted {
				continue
			}
			if c, ok := completion(s.ID, s.Name); ok {
				out = append(out, c)
			}
		}
		return out
	}
}
