package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Stamped by `make build` with -ldflags -X (see the Makefile): git
// describe, the commit and the commit's date, so that builds of one commit
// are the same bytes. A plain `go build` leaves them empty and versionLine
// falls back to what the Go toolchain recorded.
var (
	version string
	commit  string
	date    string
)

func newVersionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:               "version",
		Short:             "print the version, commit and build date",
		Example:           "onus version",
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(env.Stdout, "onus version %s\n", c.Root().Version)
			return err
		},
	}
}

// versionLine is what follows "onus version ": the version, the commit
// and the build date, each "unknown" when neither the stamp nor the build
// info has it.
func versionLine() string {
	orUnknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	v, c, d := build()
	return fmt.Sprintf("%s (commit %s, built %s)", orUnknown(v), orUnknown(c), orUnknown(d))
}

// reportVersion is this binary as a report names what made it: the
// version and the commit it was built from, cut to 12 hex digits.
func reportVersion() string {
	v, c, _ := build()
	if v == "" {
		v = "(devel)"
	}
	if c == "" {
		return v
	}
	short, dirty := strings.CutSuffix(c, "-dirty")
	short = short[:min(12, len(short))]
	if dirty {
		short += "-dirty"
	}
	return v + " (commit " + short + ")"
}

// build is the version, commit and date of this binary.
func build() (v, c, d string) {
	info, _ := debug.ReadBuildInfo()
	return describeBuild(version, commit, date, info)
}

// describeBuild prefers the stamp; the build info gives the main module's
// version and, when the Go toolchain recorded them (go build in a git
// checkout, without -buildvcs=false), the revision and its commit time.
func describeBuild(version, commit, date string, info *debug.BuildInfo) (string, string, string) {
	if info == nil {
		return version, commit, date
	}
	setting := func(key string) string {
		for _, s := range info.Settings {
			if s.Key == key {
				return s.Value
			}
		}
		return ""
	}
	if version == "" {
		version = info.Main.Version
	}
	if commit == "" {
		if commit = setting("vcs.revision"); commit != "" && setting("vcs.modified") == "true" {
			commit += "-dirty"
		}
	}
	if date == "" {
		date = setting("vcs.time")
	}
	return version, commit, date
}
