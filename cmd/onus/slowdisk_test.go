package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// TestWorkshopSessionOnASlowDisk is issue 14's acceptance test of the
// real binary: a consultant's session typed at workshop speed, a key every
// 20 ms and never waiting for the screen, on a disk where every write
// takes 300 ms (ONUS_TEST_SLOW_WRITES, a hook for tests). It ends with the
// report a consultant hands over, `onus export --format md`, which must
// hold every note typed, each answer where it was given.
func TestWorkshopSessionOnASlowDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	w := startWizardPaneOf(t, onusTestHooksBinary(t), "", "ONUS_TEST_SLOW_WRITES=300ms")
	w.waitFor("No assessments yet")

	// Each key, and each character of text, 20 ms after the one before,
	// or as soon after as tmux takes it on a loaded machine.
	next, sent := time.Now(), 0
	pace := func(send func()) {
		time.Sleep(time.Until(next))
		send()
		sent++
		if next = next.Add(20 * time.Millisecond); next.Before(time.Now()) {
			next = time.Now()
		}
	}
	key := func(keys ...string) {
		for _, k := range keys {
			pace(func() { w.keys(k) })
		}
	}
	typ := func(s string) {
		for _, r := range s {
			c := string(r)
			if c == ";" {
				c = `\;` // tmux would take a lone ; for its command separator
			}
			pace(func() { w.text(c) })
		}
	}
	notes := map[string]string{
		"GOV-01": "Reviewed with QA on 12 Nov.\nThe IQ protocol follows in January.",
		"GOV-02": "Risk assessment RA-114, approved by the QA head",
		"GOV-04": "Inventory entry INV-2207\nowner: lab systems\nRegions: eu-central-1",
		"GOV-05": "Process owner M. Weber; system owner J. Park",
	}
	note := func(control string) {
		key("o")
		for i, line := range strings.Split(notes[control], "\n") {
			if i > 0 {
				key("C-j")
			}
			typ(line)
		}
		key("Enter")
	}

	start := time.Now()
	key("n")
	typ("Workshop LIMS")
	key("Enter", "Tab", "Tab", "Tab", "/") // scope, records, supplier, services
	typ("s3")
	key("Enter", "Space", "/", "C-u")
	typ("ec2")
	key("Enter", "Space", "Tab")
	key("1") // GOV-01 implemented
	note("GOV-01")
	key("j", "2") // GOV-02 partial
	note("GOV-02")
	key("j", "j", "3") // GOV-04 planned
	note("GOV-04")
	key("j") // GOV-05 a note only
	note("GOV-05")
	key("j", "4") // GOV-06 not implemented
	key("q")
	typed := time.Since(start)

	deadline := time.Now().Add(90 * time.Second)
	for !fileHasText(w.exitFile) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if code := w.exitCode(); code != 0 {
		t.Fatalf("onus exited %d\n%s", code, w.joined())
	}
	t.Logf("%d keys in %v (one every %v), quit %v after the last", sent, typed, typed/time.Duration(sent), time.Since(start)-typed)

	out, err := exec.Command(w.bin, "--db", w.db, "list", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var list []model.Summary
	if err := json.Unmarshal(out, &list); err != nil || len(list) != 1 || list[0].Name != "Workshop LIMS" {
		t.Fatalf("assessments: %v %s", err, out)
	}
	id := list[0].ID
	out, err = exec.Command(w.bin, "--db", w.db, "show", id, "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var a model.Assessment
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.ServiceIDs(), ","); got != "ec2,s3" && got != "s3,ec2" {
		t.Errorf("services %s, want s3 and ec2", got)
	}
	want := map[string]model.Status{"GOV-01": model.StatusImplemented, "GOV-02": model.StatusPartial,
		"GOV-04": model.StatusPlanned, "GOV-05": model.StatusUnanswered, "GOV-06": model.StatusNotImplemented}
	for control, status := range want {
		ans := a.Answers[control]
		if ans.Status != status || ans.Notes != notes[control] {
			t.Errorf("%s: %s with notes %q, want %s with %q", control, ans.Status, ans.Notes, status, notes[control])
		}
	}
	if len(a.Answers) != len(want) {
		t.Errorf("%d answers, want %d: a key acted on another control", len(a.Answers), len(want))
	}

	// The disk was slow indeed: the wizard saves one change after another,
	// and each waited 300 ms before its write.
	out, err = exec.Command(w.bin, "--db", w.db, "history", id, "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var trail []model.AuditEntry
	if err := json.Unmarshal(out, &trail); err != nil || len(trail) < 2 {
		t.Fatalf("history: %v %s", err, out)
	}
	for i := 1; i < len(trail); i++ {
		if gap := trail[i].Time.Sub(trail[i-1].Time); gap < 300*time.Millisecond {
			t.Errorf("entries %d and %d of the trail %v apart: the writes were not slowed", trail[i-1].Seq, trail[i].Seq, gap)
		}
	}

	report, err := exec.Command(w.bin, "--db", w.db, "export", id, "--format", "md").Output()
	if err != nil {
		t.Fatal(err)
	}
	for control, text := range notes {
		for _, line := range strings.Split(text, "\n") {
			if !strings.Contains(string(report), line) {
				t.Errorf("the report lacks %s's note line %q", control, line)
			}
		}
	}
	if out, err := exec.Command(w.bin, "--db", w.db, "verify").CombinedOutput(); err != nil {
		t.Fatalf("verify: %v\n%s", err, out)
	}
}

func fileHasText(path string) bool {
	b, err := os.ReadFile(path)
	return err == nil && len(b) > 0
}

// The hook refuses what is not a duration, so that a test cannot run on
// a fast disk believing it slow; unset, it changes nothing.
func TestSlowWritesHookRefusesNonsense(t *testing.T) {
	if _, err := slowWrites("slow", nil); err == nil || exitCode(err) != exitUsage {
		t.Fatalf("ONUS_TEST_SLOW_WRITES=slow: %v", err)
	}
	if st, err := slowWrites("", nil); err != nil || st != nil {
		t.Fatalf("unset: %v %v", st, err)
	}
}

// A binary built as released has no hook: the variable does nothing, and
// its name is not even in the file.
func TestReleasedBinaryHasNoTestHooks(t *testing.T) {
	if testHooksBuilt {
		t.Skip("these tests were built with the " + testHooksTag + " tag")
	}
	env := &Env{Getenv: func(string) string { return "300ms" }}
	if st, err := slowWritesForTests(env, nil); err != nil || st != nil {
		t.Fatalf("ONUS_TEST_SLOW_WRITES=300ms in a released build: %v %v", st, err)
	}
	if got := testPanicForTests(&Env{Getenv: func(string) string { return "update" }}); got != "" {
		t.Fatalf("ONUS_TEST_PANIC=update in a released build: the wizard is told to panic on %q", got)
	}
	if testing.Short() {
		return
	}
	for bin, want := range map[string]bool{onusBinary(t): false, onusTestHooksBinary(t): true} {
		b, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(b, []byte("ONUS_TEST_SLOW_WRITES")); got != want {
			t.Errorf("%s holds the hook's name: %v, want %v", filepath.Base(bin), got, want)
		}
	}
}
