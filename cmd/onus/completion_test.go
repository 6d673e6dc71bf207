package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/store"
)

// complete asks for completions as a shell script does, through cobra's
// hidden __complete command, in-process. It returns the candidates (with
// their descriptions after a tab) and the directive line.
func complete(t *testing.T, env map[string]string, words ...string) (candidates []string, directive string) {
	t.Helper()
	code, out, errs := runOnus(t, env, append([]string{"__complete"}, words...)...)
	if code != 0 {
		t.Fatalf("onus __complete %q: exit %d\n%s", words, code, errs)
	}
	// cobra's one note for a debugging user; the scripts discard stderr.
	if errs != "" && !strings.HasPrefix(errs, "Completion ended with directive:") || strings.Count(errs, "\n") > 1 {
		t.Errorf("onus __complete %q wrote to stderr: %q", words, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

func ids(candidates []string) []string {
	out := make([]string, len(candidates))
	for i, c := range candidates {
		out[i], _, _ = strings.Cut(c, "\t")
	}
	return out
}

func TestCompleteFromDatabaseAndCatalog(t *testing.T) {
	env, _ := storeEnv(t)
	lims := newAssessment(t, env, "--name", "LIMS on AWS", "--services", "ec2")
	mes := newAssessment(t, env, "--name", "MES")
	gone := newAssessment(t, env, "--name", "Old QMS")
	mustOnus(t, env, "delete", gone.ID)

	got, dir := complete(t, env, "show", "")
	if want := []string{mes.ID + "\tMES", lims.ID + "\tLIMS on AWS"}; !slices.Equal(got, want) || dir != ":4" {
		t.Errorf("show: %q %s, want %q :4 (ids with their names, no files)", got, dir, want)
	}
	if got, _ := complete(t, env, "restore", ""); !slices.Equal(ids(got), []string{gone.ID}) {
		t.Errorf("restore offers %q, want only the deleted %s", got, gone.ID)
	}
	if got, _ := complete(t, env, "history", ""); len(got) != 3 {
		t.Errorf("history offers %q, want all three", got)
	}
	// The options on the line count: another database, given the old way.
	other := filepath.Join(t.TempDir(), "other.db")
	if got, _ := complete(t, env, "-db", other, "show", ""); len(got) != 0 {
		t.Errorf("show on an empty --db: %q", got)
	}

	for _, tc := range []struct {
		words []string
		want  []string // every candidate, in order, or
		has   string   // one candidate among others
		dir   string
	}{
		{words: []string{"answer", lims.ID, ""}, want: []string{"REC-01\tAudit trail", "REC-02\tPhysical security", "ACC-01\tAccess control"}, dir: ":4"},
		{words: []string{"answer", lims.ID, "REC-01", ""}, want: nil, dir: ":4"},
		{words: []string{"answer", lims.ID, "REC-01", "--status", ""}, has: "not-applicable", dir: ":4"},
		{words: []string{"override", lims.ID, ""}, has: "ec2\tAmazon EC2", dir: ":4"},
		{words: []string{"override", lims.ID, "ec2", ""}, want: []string{"data\tCustomer data", "os\tOperating system", "global\tGlobal infrastructure"}, dir: ":4"},
		{words: []string{"override", lims.ID, "ec2", "os", "--owner", ""}, want: []string{"aws", "customer", "shared"}, dir: ":4"},
		{words: []string{"stack", "ec2", "s3", ""}, want: []string{"rds\tAmazon RDS", "lambda\tAWS Lambda"}, dir: ":4"},
		{words: []string{"new", "--services", "ec2,r"}, want: []string{"ec2,s3\tAmazon S3", "ec2,rds\tAmazon RDS", "ec2,lambda\tAWS Lambda"}, dir: ":6"},
		{words: []string{"services", lims.ID, "--add", ""}, has: "lambda\tAWS Lambda", dir: ":6"},
		{words: []string{"new", "--framework", ""}, want: []string{"21cfr11\t21 CFR Part 11", "annex11\tEU GMP Annex 11"}, dir: ":6"},
		{words: []string{"new", "--impact", ""}, want: []string{"direct", "indirect", "none"}, dir: ":4"},
		{words: []string{"export", lims.ID, "--format", ""}, has: "oscal-ar\tOSCAL assessment results", dir: ":4"},
		{words: []string{"catalog", ""}, has: "validate\tcheck a catalog file", dir: ":4"},
		{words: []string{"catalog", "validate", ""}, want: nil, dir: ":0"}, // a file name
		{words: []string{"import", ""}, want: nil, dir: ":0"},
		{words: []string{"completion", ""}, has: "zsh\tGenerate the autocompletion script for zsh", dir: ":4"},
		{words: []string{"expo"}, has: "export\texport a report, the evidence matrix, the bundle or OSCAL", dir: ":4"},
	} {
		got, dir := complete(t, env, tc.words...)
		if tc.has != "" && !slices.Contains(got, tc.has) || tc.has == "" && !slices.Equal(got, tc.want) || dir != tc.dir {
			t.Errorf("onus %q<TAB>: %q %s, want %q%q %s", tc.words, got, dir, tc.want, tc.has, tc.dir)
		}
	}
}

// A shell waits for completion at every tab: a database another onus
// holds, a damaged one, a missing one or a broken catalog give nothing,
// at once and silently.
func TestCompleteNeverHangsOrTalks(t *testing.T) {
	env, _ := storeEnv(t)
	a := newAssessment(t, env, "--name", "LIMS")
	held, err := store.Open(env["ONUS_DB"], store.Options{Actor: "wizard"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	got, _ := complete(t, env, "show", "")
	held.Close()
	if took := time.Since(start); len(got) != 0 || took > 2*time.Second {
		t.Errorf("a held database: %q after %v", got, took)
	}
	if got, _ := complete(t, env, "show", ""); !slices.Equal(ids(got), []string{a.ID}) {
		t.Fatalf("released: %q", got)
	}

	damaged := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(damaged, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(broken, []byte("schema: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, words := range [][]string{
		{"--db", damaged, "show", ""},
		{"--db", filepath.Join(t.TempDir(), "none", "onus.db"), "show", ""},
		{"--catalog", broken, "stack", ""},
		{"--catalog", broken, "answer", a.ID, ""},
	} {
		if got, dir := complete(t, env, words...); len(got) != 0 || dir != ":4" {
			t.Errorf("onus %q<TAB>: %q %s", words, got, dir)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(damaged), "none")); err == nil {
		t.Error("completion made a directory for a database that does not exist")
	}
}

// Names from a hostile catalog or bundle reach the terminal through the
// shell's list of candidates: they are sanitised like every other output.
func TestCompleteHostileNames(t *testing.T) {
	env := map[string]string{"ONUS_DB": filepath.Join(t.TempDir(), "onus.db"), "ONUS_CATALOG": hostileCatalog, "ONUS_USER": "x"}
	newAssessment(t, env, "--name", "LIMS "+hostile, "--services", "ec2")
	for _, words := range [][]string{{"show", ""}, {"stack", ""}, {"new", "--framework", ""}} {
		got, _ := complete(t, env, words...)
		if len(got) == 0 {
			t.Errorf("onus %q<TAB>: no candidates", words)
		}
		checkInert(t, strings.Join(words, " "), strings.Join(got, "\n"))
	}
}

// TestBashCompletion sources the script onus completion bash prints, with
// the bash-completion package it needs (as a user's shell has it), and
// runs the completion function as bash does at a tab: COMP_WORDS and
// COMP_CWORD set, candidates read back from COMPREPLY.
func TestBashCompletion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	if _, err := os.Stat(bashCompletion); err != nil {
		t.Skip("the bash-completion package is not installed (.ci/run installs it)")
	}
	env, _ := storeEnv(t)
	a := newAssessment(t, env, "--name", "LIMS on AWS")
	b := newAssessment(t, env, "--name", "MES")
	script, _ := mustOnus(t, nil, "completion", "bash")
	path := filepath.Join(t.TempDir(), "onus.bash")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := onusBinary(t)
	tab := func(line string) []string {
		t.Helper()
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		words[0] = bin
		line = strings.Join(words, " ") // as typed, with the program where bash would find it
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		cmd := exec.Command("bash", "-c", `source "$1"; source "$2"
COMP_WORDS=(`+strings.Join(quoted, " ")+`); COMP_CWORD=$((${#COMP_WORDS[@]}-1))
COMP_LINE="$3"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9; COLUMNS=120
__start_onus onus "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"`, "bash", bashCompletion, path, line)
		cmd.Env = append(os.Environ(), "ONUS_DB="+env["ONUS_DB"], "ONUS_CATALOG="+env["ONUS_CATALOG"])
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.Split(strings.TrimSpace(string(out)), "\n")
	}
	// Two candidates: bash lists them with their names.
	got := tab("onus show ")
	if len(got) != 2 || !strings.Contains(strings.Join(got, "\n"), b.ID+"  (MES)") || !strings.Contains(strings.Join(got, "\n"), a.ID+"  (LIMS on AWS)") {
		t.Errorf("onus show <TAB>: %q", got)
	}
	// One: bash inserts it, bare.
	if got := tab("onus show " + a.ID[:len(a.ID)-1]); !slices.Equal(got, []string{a.ID}) {
		t.Errorf("onus show %s<TAB>: %q", a.ID[:len(a.ID)-1], got)
	}
	if got := tab("onus export " + a.ID + " --format oscal-"); !slices.Equal(got, []string{"oscal-ar   (OSCAL assessment results)", "oscal-cd   (OSCAL component definition)",
		"oscal-ssp  (OSCAL system security plan)", "oscal-ap   (OSCAL assessment plan)"}) {
		t.Errorf("onus export ID --format oscal-<TAB>: %q", got)
	}
	if got := tab("onus ans"); !slices.Equal(got, []string{"answer"}) {
		t.Errorf("onus ans<TAB>: %q", got)
	}
	if got := tab("onus answer " + a.ID + " REC-0"); !slices.Equal(got, []string{"REC-01  (Audit trail)", "REC-02  (Physical security)"}) {
		t.Errorf("onus answer ID REC-0<TAB>: %q", got)
	}
}

// onus completion SHELL prints cobra's script for that shell unchanged
// (the stream help goes through must not touch it), with descriptions.
func TestCompletionScripts(t *testing.T) {
	root := newRoot(&Env{Getenv: func(string) string { return "" }})
	for shell, gen := range map[string]func(io.Writer) error{
		"bash":       func(w io.Writer) error { return root.GenBashCompletionV2(w, true) },
		"zsh":        root.GenZshCompletion,
		"fish":       func(w io.Writer) error { return root.GenFishCompletion(w, true) },
		"powershell": root.GenPowerShellCompletionWithDesc,
	} {
		var want bytes.Buffer
		if err := gen(&want); err != nil {
			t.Fatal(err)
		}
		got, errs := mustOnus(t, nil, "completion", shell)
		if got != want.String() || errs != "" || !strings.Contains(got, "__complete") {
			t.Errorf("onus completion %s: %d bytes, cobra's script %d; stderr %q", shell, len(got), want.Len(), errs)
		}
	}
}
