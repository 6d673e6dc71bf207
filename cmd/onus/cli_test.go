package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// Scripts written for the command line Go's flag package parsed keep
// working: single-dash long options (-db FILE, -json, -name=X) anywhere,
// -o and --o; a value that looks like an option stays a value; "--" ends
// the options.
func TestOptionsAsGoFlagReadThem(t *testing.T) {
	env, _ := storeEnv(t)
	db := env["ONUS_DB"]
	delete(env, "ONUS_DB")
	out, _ := mustOnus(t, env, "-db", db, "new", "-name=LIMS", "-services", "ec2", "-json")
	a := decodeJSON[model.Assessment](t, out)
	if a.Name != "LIMS" || len(a.Services) != 1 {
		t.Fatalf("new with single-dash options: %+v", a)
	}
	mustOnus(t, env, "answer", a.ID, "REC-01", "-db", db, "-status", "planned", "-note", "-json", "--reason", "-db")
	got := decodeJSON[model.Assessment](t, must1(mustOnus(t, env, "show", a.ID, "--db="+db, "-json")))
	if ans := got.Answer("REC-01"); ans.Status != model.StatusPlanned || ans.Notes != "-json" {
		t.Errorf("an option's value that looks like an option: %+v", ans)
	}
	if trail := historyOf(t, map[string]string{"ONUS_DB": db}, a.ID); trail[len(trail)-1].Reason != "-db" {
		t.Errorf("--reason -db recorded %q", trail[len(trail)-1].Reason)
	}
	dir := t.TempDir()
	for i, o := range []string{"-o", "--o", "--output", "-o=", "--output="} {
		file := filepath.Join(dir, strings.Repeat("x", i+1)+".md")
		args := []string{"--db", db, "export", a.ID, "--format", "md", o + file}
		if !strings.HasSuffix(o, "=") {
			args = []string{"--db", db, "export", a.ID, "--format", "md", o, file}
		}
		if _, errs := mustOnus(t, env, args...); !strings.Contains(errs, "wrote "+file) {
			t.Errorf("export %s FILE: %s", o, errs)
		}
	}
	failsOnus(t, env, exitError, []string{`no assessment "-json"`}, "--db", db, "show", "--", "-json")
	if out, _ := mustOnus(t, env, "--db", db, "--", "list", "--json"); !strings.Contains(out, a.ID) {
		t.Errorf("onus --db FILE -- list --json: %s", out)
	}
	failsOnus(t, env, exitUsage, []string{"unknown flag: --bogus", "Run 'onus help' for usage."}, "list", "-bogus=1")
}

// A mistake on the command line prints as it always has when stderr is
// not a terminal: two plain lines, nothing styled.
func TestUsageErrorIsPlainOffTerminal(t *testing.T) {
	for _, args := range [][]string{{"frob"}, {"list", "--bogus"}, {"stack", "ec2", "--width", "x\x1b[2J"}, {"version", "extra"}, {"completion", "bash", "extra"}} {
		code, out, errs := runOnus(t, nil, args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errs, "onus: ") || !strings.HasSuffix(errs, "\nRun 'onus help' for usage.\n") || strings.Count(errs, "\n") != 2 {
			t.Errorf("onus %q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
		checkInert(t, strings.Join(args, " "), errs)
	}
	if _, out, _ := runOnus(t, nil, "help", "export"); strings.Contains(out, "\x1b") {
		t.Errorf("help into a pipe has escape sequences: %q", out)
	}
}

// On a colour terminal fang styles a usage error; with NO_COLOR, or on
// TERM=dumb, the same terminal gets the plain lines and no escape
// sequence, in errors and in help. An error that is not a usage error
// prints plainly everywhere.
func TestStyledOnlyOnColourTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := onusBinary(t)
	dir := t.TempDir()
	screen := func(env, args string) string {
		t.Helper()
		done := filepath.Join(dir, "done")
		os.Remove(done)
		s := newTmux(t, 100, 40, "env -i HOME="+dir+" "+env+" "+bin+" "+args+"; echo $? > "+done+"; sleep 60")
		waitFile(t, done)
		out, _ := exec.Command("tmux", "capture-pane", "-p", "-e", "-t", s.name).Output()
		exec.Command("tmux", "kill-session", "-t", s.name).Run()
		return string(out)
	}
	if got := screen("TERM=xterm-256color", "frob"); !strings.Contains(got, "ERROR") || !strings.Contains(got, "\x1b[") || !strings.Contains(got, `Unknown command "frob"`) {
		t.Errorf("a usage error on a colour terminal is not fang's:\n%q", got)
	}
	for _, env := range []string{"TERM=xterm-256color NO_COLOR=1", "TERM=dumb"} {
		got := screen(env, "frob")
		if !strings.Contains(got, "onus: unknown command \"frob\"\nRun 'onus help' for usage.") || strings.Contains(got, "\x1b") {
			t.Errorf("%s: a usage error is not plain:\n%q", env, got)
		}
		if got := screen(env, "help export"); !strings.Contains(got, "--as-of") || strings.Contains(got, "\x1b") {
			t.Errorf("%s: help is not plain:\n%q", env, got)
		}
	}
	if got := screen("TERM=xterm-256color", "show nope"); !strings.Contains(got, "onus: ") || strings.Contains(got, "ERROR") {
		t.Errorf("an error that is not a usage error is styled:\n%q", got)
	}

	// A terminal that answers no query, as a dumb one: nothing is asked of
	// it (fang's question for the background colour would show, and wait).
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("no script(1) for a terminal that does not answer")
	}
	for _, args := range []string{"help export", "frob"} {
		for _, env := range []string{"TERM=dumb", "TERM=xterm-256color NO_COLOR=1"} {
			cmd := exec.Command("script", "-q", "-e", "-c", "env -i HOME="+dir+" "+env+" "+bin+" "+args, "/dev/null")
			start := time.Now()
			out, _ := cmd.Output()
			if took := time.Since(start); strings.Contains(string(out), "\x1b") || took > 1500*time.Millisecond {
				t.Errorf("%s onus %s on a terminal that does not answer: %v\n%q", env, args, took, out)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	flag, _ := mustOnus(t, nil, "--version")
	cmd, _ := mustOnus(t, nil, "version")
	if flag != cmd || !strings.HasPrefix(flag, "onus version ") || !strings.Contains(flag, "(commit ") || !strings.Contains(flag, ", built ") {
		t.Errorf("--version %q, version %q", flag, cmd)
	}
	info := &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261104120000-1c4f9f7e0abc+dirty"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "1c4f9f7e0abc"}, {Key: "vcs.time", Value: "2026-11-04T12:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	for _, tc := range []struct {
		stamp   [3]string
		info    *debug.BuildInfo
		v, c, d string
	}{
		{[3]string{"v1.2.0-3-g1c4f9f7", "1c4f9f7e0abc", "2026-11-04T12:00:00Z"}, info, "v1.2.0-3-g1c4f9f7", "1c4f9f7e0abc", "2026-11-04T12:00:00Z"},
		{[3]string{}, info, "v0.0.0-20261104120000-1c4f9f7e0abc+dirty", "1c4f9f7e0abc-dirty", "2026-11-04T12:00:00Z"},
		{[3]string{}, &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)", "", ""},
		{[3]string{}, nil, "", "", ""},
	} {
		v, c, d := describeBuild(tc.stamp[0], tc.stamp[1], tc.stamp[2], tc.info)
		if v != tc.v || c != tc.c || d != tc.d {
			t.Errorf("describeBuild(%q): %q %q %q, want %q %q %q", tc.stamp, v, c, d, tc.v, tc.c, tc.d)
		}
	}
}

// make build stamps git describe, the commit and the commit's date (not
// the time of the build), so that one commit builds to the same bytes.
func TestMakeBuildStampsVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-C", "../.."}, args...)...)
		cmd.Env = append(os.Environ(), "TZ=UTC")
		out, err := cmd.Output()
		if err != nil {
			t.Skipf("not a git checkout: git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	describe, rev := git("describe", "--tags", "--always", "--dirty"), git("rev-parse", "HEAD")
	date := git("-c", "log.showSignature=false", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%dT%H:%M:%SZ")
	bin := filepath.Join(t.TempDir(), "onus")
	cmd := exec.Command("make", "-C", "../..", "build", "BIN="+bin)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "onus version " + describe + " (commit " + rev + ", built " + date + ")\n"; string(out) != want {
		t.Errorf("make build's onus --version:\n%s\nwant\n%s", out, want)
	}
}

// onus man is the manual page make man writes: every command and option
// help shows, none of the hidden ones, the examples, the environment and
// the exit codes, dated for reproducible builds.
func TestManPage(t *testing.T) {
	env := map[string]string{"SOURCE_DATE_EPOCH": "1767225600"}
	page, _ := mustOnus(t, env, "man")
	if again, _ := mustOnus(t, env, "man"); again != page {
		t.Error("two runs give two pages")
	}
	if !strings.HasPrefix(page, `.TH ONUS 1 "2026-01-01" "onus"`) {
		t.Errorf("heading: %.80q", page)
	}
	root := newRoot(&Env{Getenv: func(string) string { return "" }})
	for _, c := range root.Commands() {
		if c.Hidden {
			if strings.Contains(page, `\fB`+c.Name()+`\fP`) {
				t.Errorf("the hidden %s is in the page", c.Name())
			}
			continue
		}
		if c.IsAvailableCommand() && !strings.Contains(page, `\fB`+c.Name()+`\fP`) {
			t.Errorf("%s is not in the page", c.Name())
		}
		for _, name := range []string{"json", "format", "as-of", "services", "evidence", "db", "catalog", "as", "version"} {
			if c.Flags().Lookup(name) != nil && !strings.Contains(page, `\fB--`+name+`\fP`) {
				t.Errorf("--%s of %s is not in the page", name, c.Name())
			}
		}
	}
	for _, want := range []string{`\fB-o --output\fP`, ".SH EXAMPLES", `onus export 01jd3k5x7m2q8r4t \-\-format html \-o lims.html`,
		".SH ENVIRONMENT", "ONUS_CATALOG", "NO_COLOR", ".SH EXIT STATUS", "4 database damaged", ".SH FILES"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// Global options alone start the wizard without building the command
// tree (wizardOnly); anything else goes through the tree, which starts the
// wizard the same way when that is what the line asks.
func TestWizardWithAndWithoutTheTree(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	for _, args := range [][]string{{}, {"--db", db}, {"--as=Ana", "--db", db, "--catalog", "c.yaml"}, {"--db", db, "--"}} {
		env := &Env{Getenv: func(string) string { return "" }}
		if !env.wizardOnly(args) || len(args) > 1 && env.DBPath != db || len(args) > 3 && (env.Actor != "Ana" || env.CatalogPath != "c.yaml") {
			t.Errorf("%q: not taken for the wizard (%+v)", args, env)
		}
	}
	for _, args := range [][]string{{"-db", db}, {"list"}, {"--db", db, "show"}, {"--help"}, {"-h"}, {"--version"}, {"--bogus"}, {"--db"}} {
		env := &Env{Getenv: func(string) string { return "" }}
		if env.wizardOnly(args) || env.DBPath != "" {
			t.Errorf("%q: taken for the wizard (%+v)", args, env)
		}
	}
	code, out, errs := runOnus(t, nil, "--db", db)
	code2, out2, errs2 := runOnus(t, nil, "-db", db)
	if code != exitUsage || code2 != code || out2 != out || errs2 != errs || !strings.Contains(errs, "the wizard needs a terminal") {
		t.Errorf("the wizard without a terminal: exit %d %q / through the tree: exit %d %q", code, errs, code2, errs2)
	}
}
