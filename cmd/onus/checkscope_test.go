package main

import (
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
	"path/filepath"
)

// A command checks the pages it reads, not the whole file: with one
// assessment's audit trail damaged, the list, and every command on another
// assessment, work; every command that reads the damaged assessment
// refuses the file with exit 4 and writes nothing; verify and doctor,
// which check the whole file, find the damage. Damage in the list's
// summaries stops onus list.
func TestCommandsCheckWhatTheyRead(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "onus.db")
	onus := func(args ...string) binResult {
		t.Helper()
		return runBinary(t, dir, append([]string{"--db", db}, args...)...)
	}
	newAssessment := func(name string) string {
		t.Helper()
		r := onus("new", "--name", name, "--services", "ec2,s3")
		if r.code != 0 {
			t.Fatalf("new: %d %s", r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	kept, damaged := newAssessment("Kept"), newAssessment("Damaged")
	for i, c := range []string{"GOV-01", "GOV-02", "GOV-03", "GOV-04", "GOV-05", "GOV-06", "SUP-01", "SUP-02"} {
		if r := onus("answer", damaged, c, "--status", "planned", "--note", strings.Repeat(fmt.Sprint(i), 900)); r.code != 0 {
			t.Fatalf("answer %s: %d %s", c, r.code, r.stderr)
		}
	}
	damageTrailPage(t, db, damaged)

	if r := onus("list", "--json"); r.code != 0 || !strings.Contains(r.stdout, kept) || !strings.Contains(r.stdout, damaged) {
		t.Errorf("onus list reads only the summaries: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"show", kept}, {"history", kept}, {"answer", kept, "GOV-01", "--status", "planned"}} {
		if r := onus(args...); r.code != 0 {
			t.Errorf("onus %s, on the assessment that is not damaged: exit %d, %s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	before := fileSHA256(t, db)
	for _, args := range [][]string{{"show", damaged}, {"history", damaged}, {"export", damaged, "--format", "json"},
		{"answer", damaged, "GOV-01", "--status", "planned"}, {"verify"}, {"verify", kept}} {
		r := onus(args...)
		if r.code != exitDamaged || !strings.Contains(r.stderr, "is damaged") || !strings.Contains(r.stderr, "will not") {
			t.Errorf("onus %s: exit %d, want %d; %s", strings.Join(args, " "), r.code, exitDamaged, r.stderr)
		}
		checkNoCrash(t, "onus "+strings.Join(args, " "), r)
	}
	if r := onus("doctor"); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "FAIL  integrity") {
		t.Errorf("onus doctor: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
	if after := fileSHA256(t, db); after != before {
		t.Error("a command wrote to the file after it found the damage")
	}

	// Damage in what list reads.
	for i := range 6 {
		newAssessment(fmt.Sprintf("Padding %d, so that the summaries have a page of their own", i))
	}
	damageRootPage(t, db, func(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket([]byte("summaries")) })
	for _, args := range [][]string{{"list"}, {"list", "--json"}} {
		if r := onus(args...); r.code != exitDamaged || !strings.Contains(r.stderr, "damaged") {
			t.Errorf("onus %s with its summaries damaged: exit %d, %s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}
