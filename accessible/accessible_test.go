package accessible

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/onus-gxp/onus/internal/hostile"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// A whole assessment through the prompts: created, scoped, one supplier
// record, services by id, by name and by a search, answers (one not
// applicable with its justification), an evidence reference and notes, a
// gap opened from the review and answered, a milestone, a workflow step, an electronic
// signature for final with the open high-risk gaps acknowledged (the
// manifest read out before it is signed), an export, the scope refused
// now the assessment is final, and a second export. The transcript is the
// golden; the file holds what the transcript says was saved.
func TestWholeAssessment(t *testing.T) {
	h := newHarness(t)
	out := h.run(
		"", "LIMS on AWS", // enter creates the first; its name
		"2", "Acme Pharma", "3", "LIMS", "5", "1 2 5", "9", "y", "", // scope, then done
		"", "2", "", "2026-04-01", "2026-09-30", "2026 H1", "Ana Ruiz", "3", "", "", // supplier: SOC 2 accepted
		"", "ec2, rds", "Amazon S3", "lamb", "1", "", // services
		"", "1", // questions: GOV-01 implemented
		"6", "new", "Risk assessment", "RA-007", "2.0", "2026-10-01", "DMS/QA/RA-007", "", "1", "2027-10-01", "2", // GOV-02: a new register entry, partial
		"5", "", "Training is covered by the site-wide programme, assessed separately.", // GOV-03: not applicable, why
		"6", "risk RA-007", "1", "section 3", "8", "Discussed in workshop 1", "4", // GOV-04: E1 found by words, with a note; notes, not implemented
		"12",                    // back
		"", "1", "1", "1", "12", // review: high-risk gaps, the first, implemented, back
		"5", "", "workshop 1", "workshop-1", // a milestone: the name required and checked
		"6",                                                                                                   // workflow: draft to in review
		"4", "reviewed and approved", "", "QA reviewer", "", "", "Open gaps are tracked in CAPA-7.", "1", "y", // sign for final with the first key
		"6", "", "", "y", // export the bundle, creating the folder
		"7", "1", "6", "1", "", // back; scope is read-only; export Markdown
		"9", "q")
	golden.RequireEqual(t, out)

	a := h.only()
	if a.Organisation != "Acme Pharma" || a.System != "LIMS" || !slices.Equal(a.Scope.Frameworks, []string{"21cfr11", "annex11", "gamp5"}) || !a.Scope.ESignatures {
		t.Errorf("scope: %q %q %+v", a.Organisation, a.System, a.Scope)
	}
	if !slices.Equal(a.ServiceIDs(), []string{"ec2", "rds", "s3", "lambda"}) {
		t.Errorf("services %v", a.ServiceIDs())
	}
	if r, ok := record(&a, "soc2"); !ok || r.Status != model.SupplierAccepted || r.Reviewer != "Ana Ruiz" || r.ReviewedOn != "2026-11-20" || r.PeriodEnd != "2026-09-30" {
		t.Errorf("supplier record %+v", r)
	}
	want := map[string]model.Status{"GOV-01": model.StatusImplemented, "GOV-02": model.StatusPartial, "GOV-03": model.StatusNotApplicable,
		"GOV-04": model.StatusNotImplemented, "SUP-01": model.StatusImplemented}
	for id, st := range want {
		if got := a.Answer(id); got.Status != st || got.UpdatedBy != "Ana Ruiz" {
			t.Errorf("%s: %+v, want %s", id, got, st)
		}
	}
	if len(a.Answers) != len(want) {
		t.Errorf("%d answers, want %d", len(a.Answers), len(want))
	}
	if len(a.Register) != 1 || a.Register[0] != (model.EvidenceEntry{ID: "E1", Title: "Risk assessment", DocumentID: "RA-007", Version: "2.0",
		Date: "2026-10-01", Location: "DMS/QA/RA-007", Owner: model.SupplierCustomer, Kind: model.DocProcedure, ValidUntil: "2027-10-01"}) {
		t.Errorf("register %+v", a.Register)
	}
	if l := a.Answer("GOV-02").Links; !slices.Equal(l, []model.EvidenceLink{{Entry: "E1"}}) {
		t.Errorf("GOV-02 links %+v", l)
	}
	if l := a.Answer("GOV-04").Links; !slices.Equal(l, []model.EvidenceLink{{Entry: "E1", Note: "section 3"}}) {
		t.Errorf("GOV-04 links %+v", l)
	}
	if j := a.Answer("GOV-03").Justification; !strings.HasPrefix(j, "Training is covered") {
		t.Errorf("justification %q", j)
	}
	if a.Answer("GOV-04").Notes != "Discussed in workshop 1" || a.Workflow != model.WorkflowFinal ||
		len(a.SignOffs) != 1 || !a.SignOffs[0].Signed() || a.SignOffs[0].Meaning != "reviewed and approved" || a.SignOffs[0].Role != "QA reviewer" {
		t.Errorf("notes, workflow, sign-off: %q %s %+v", a.Answer("GOV-04").Notes, a.Workflow, a.SignOffs)
	}
	b, err := h.db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(h.dir, "exports", "onus-"+a.ID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	// One store call per change, each the wizard's for that change: the
	// trail holds the same kinds of entry, in the order they were given.
	var kinds []string
	for _, e := range b.Trail {
		if e.Actor != "Ana Ruiz" || e.Reason != "" {
			t.Errorf("entry %d: actor %q, reason %q", e.Seq, e.Actor, e.Reason)
		}
		kinds = append(kinds, e.Action+" "+e.Target)
	}
	wantKinds := []string{"create assessment", "update-info info", "update-info info", "update-scope scope", "update-scope scope",
		"supplier supplier/soc2", "services services", "services services", "services services", "services services",
		"answer answer/GOV-01", "evidence-entry evidence/E1", "evidence-links links/GOV-02", "answer answer/GOV-02", "answer answer/GOV-03",
		"evidence-links links/GOV-04", "answer answer/GOV-04", "answer answer/GOV-04", "answer answer/SUP-01", "milestone milestones/workshop-1", "workflow workflow", "sign signoffs"}
	if !slices.Equal(kinds, wantKinds) {
		t.Errorf("trail:\n%s\nwant:\n%s", strings.Join(kinds, "\n"), strings.Join(wantKinds, "\n"))
	}
	// Nothing changed after the export: the file holds the trail as it is.
	if got, err := model.DecodeBundle(data); err != nil || model.Head(got.Trail) != model.Head(b.Trail) {
		t.Errorf("the bundle written: %v, head %s, want %s", err, model.Head(got.Trail), model.Head(b.Trail))
	}
	if md, err := os.ReadFile(filepath.Join(h.dir, "exports", "onus-"+a.ID+".md")); err != nil || !strings.Contains(string(md), "LIMS on AWS") {
		t.Errorf("the Markdown export: %v", err)
	}
}

// Every kind of prompt refuses what it cannot take, says why where it
// happened, and asks again: a choice, a name, a too long line, a list of
// numbers, frameworks that conflict, yes or no, a date, a period that ends
// before it starts, a record the store refuses, a service that is not in
// the catalog, a search for a service, a question number, a control id,
// a search for a question, not applicable without a justification,
// evidence to remove where there is none, and the first question's
// previous one.
func TestInvalidInput(t *testing.T) {
	h := newHarness(t)
	out := h.run(
		"x", "0", "9", "1", // choices; then create
		"", strings.Repeat("n", 250), strings.Repeat("x", 70<<10), "Test", // name: required, too long, too long a line
		"14", "5", "2 3", "1 x", "9", "1", // scope: no field 14; frameworks conflict, a word, out of range, then one
		"6", "maybe", "y", "", // multi-tenant: neither y nor n, then y; done
		"2", "2", "2026-13-01", "", "2026-09-30", "2026-04-01", "", "", "", "2", "", "n", "", // supplier: a date, a period, a review without a reviewer
		"3", "ec3", "storage gateway", "x", "", "", // services: a typo, a search, a wrong number, none; done
		"4", "13", "11", "999", "11", "AT-99", "11", "SEC-08", "11", "no such words", // questions: a wrong choice, go to nothing four times
		"11", "audit trail", "", // a search with matches, none chosen
		"7", "6", "iq report", "5", "", "Not used here.", // unlink evidence where none is linked; search an empty register; not applicable without, then with why
		"9", "10", "9", "10", "help", "12", // clear the unanswered, back to the first, clear it, before it; help; back
		"9", "q")
	golden.RequireEqual(t, out)
	a := h.only()
	if a.Name != "Test" || !slices.Equal(a.Scope.Frameworks, []string{"21cfr11"}) || !a.Scope.MultiTenant || len(a.Supplier) != 0 {
		t.Errorf("saved: %q %v %v %+v", a.Name, a.Scope.Frameworks, a.Scope.MultiTenant, a.Supplier)
	}
	trail, err := h.db.History(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	answered := 0
	for _, e := range trail {
		if e.Target == "answer/GOV-01" {
			answered++
		}
	}
	if answered != 2 || a.Answer("GOV-01").Status != model.StatusUnanswered { // not applicable, then cleared
		t.Errorf("answers %+v; %d entries for GOV-01", a.Answers, answered)
	}
}

// The input ends in the middle of a form: what was answered before is in
// the file, the evidence entry being typed is not (it was never
// confirmed), and the session says so and ends with an error, so that a
// script that ends too soon does not pass for a complete one. The last
// line counts without its newline. At a prompt between steps, the end of
// the input is no error.
func TestEndOfInputMidway(t *testing.T) {
	h := newHarness(t)
	var out strings.Builder
	input := strings.Join([]string{"", "EOF test", "", "", "", "", "ec2", "", "", "1", "6", "new", "Half typed"}, "\n")
	if err := Run(context.Background(), h.config(input, &out)); err == nil || err.Error() != "the input ended in the middle of the new evidence entry for GOV-02, which was not saved" {
		t.Errorf("Run: %v", err)
	}
	if want := "Title (required): Half typed\nDocument id (empty now; enter leaves it so): \nEnd of input in the middle of the new evidence entry for GOV-02, which is not saved. Everything given before it is saved in /data/onus.db.\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("the end of the transcript:\n%s\nwant it to end with:\n%s", tail(out.String(), 400), want)
	}
	a := h.only()
	if a.Name != "EOF test" || !slices.Equal(a.ServiceIDs(), []string{"ec2"}) || a.Answer("GOV-01").Status != model.StatusImplemented {
		t.Errorf("lost: %q %v %+v", a.Name, a.ServiceIDs(), a.Answers)
	}
	if len(a.Answers) != 1 || len(a.Register) != 0 {
		t.Errorf("saved what was not confirmed: %+v", a.Answers)
	}
}

func TestEndOfInputBetweenSteps(t *testing.T) {
	h := newHarness(t)
	var out strings.Builder
	if err := Run(context.Background(), h.config("\nEOF test\n", &out)); err != nil {
		t.Errorf("Run: %v", err)
	}
	if want := "Choose 1 to 13, or enter for 13: \nEnd of input. Everything is saved in /data/onus.db.\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("the end of the transcript:\n%s\nwant it to end with:\n%s", tail(out.String(), 400), want)
	}
	if a := h.only(); a.Name != "EOF test" {
		t.Errorf("lost: %q", a.Name)
	}
}

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

// A signal (the context cancelled) ends a session waiting for a line at
// once, with the cause, and everything given before it is in the file.
func TestInterruptEndsAtOnce(t *testing.T) {
	h := newHarness(t)
	in, typing := io.Pipe()
	defer typing.Close()
	var out lockedBuilder
	cfg := h.config("", nil)
	cfg.In, cfg.Out = in, &out
	ctx, cancel := context.WithCancelCause(context.Background())
	ended := make(chan error, 1)
	go func() { ended <- Run(ctx, cfg) }()
	if _, err := io.WriteString(typing, "\nStopped\n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Choose 1 to 13, or enter for 13: ") {
		if time.Now().After(deadline) {
			t.Fatalf("no scope prompt:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	sig := errors.New("SIGINT")
	cancel(sig)
	select {
	case err := <-ended:
		if !errors.Is(err, sig) {
			t.Errorf("Run: %v, want the cause", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled session did not end")
	}
	if !strings.HasSuffix(out.String(), "\nInterrupted. Everything is saved in /data/onus.db.\n") {
		t.Errorf("the end of the transcript:\n%s", tail(out.String(), 300))
	}
	if a := h.only(); a.Name != "Stopped" {
		t.Errorf("saved %q", a.Name)
	}
}

// lockedBuilder is a strings.Builder a test reads while Run writes it.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Hostile text, from the catalog, from another tool's stored assessment
// or typed in, never reaches the output but as visible placeholders; a
// newline in a stored name cannot forge a line of its own; and what was
// typed is stored exactly.
func TestHostileText(t *testing.T) {
	raw, err := os.ReadFile("../testdata/hostile/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := model.ParseCatalog(raw, "hostile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessWith(t, cat)
	if _, err := h.db.Create(model.Assessment{Name: "Stored\nChoose 1 to 3: " + hostile.Text, Organisation: hostile.Text,
		Scope: model.Scope{DataClassification: hostile.Text}, Services: model.Select("ec2"),
		Catalog: model.CatalogRef{Version: cat.Version, Hash: cat.Hash}}); err != nil {
		t.Fatal(err)
	}
	typed := strings.ReplaceAll(hostile.Text, "\r", "") // a line of input ends at a carriage return's newline
	out := h.run(
		"1", "1", "2", typed, "10", "", "", // the stored one: its scope, its organisation typed over, classification kept
		"2", "1", "", "", "2026-06-30", "", typed, "3", "", "", // supplier: soc2 reviewed by a hostile name
		"3", "amazon", "2", "", // services: a search among hostile names
		"4", "8", typed, "6", "new", typed, "", "", "", "", "", "", "", "1", "12", // notes and a register entry typed hostile
		"5", "2", "", "4", typed, "", "", "", "", "1", "y", // review, gaps, a signature with a hostile meaning
		"6", "", filepath.Join(h.dir, typed, "a.json"), "y", "7", // export to a hostile folder
		"9", "q")
	if r, bad := hostile.Unsafe(out); bad {
		i := strings.IndexRune(out, r)
		t.Fatalf("%U reached the output: %q", r, out[max(0, i-80):min(len(out), i+80)])
	}
	for _, want := range []string{"pwned", "Stored⏎ Choose 1 to 3: name␛]0;pwned␇", "Saved: signed: name␛]0;pwned␇", "  meaning: name"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q: the test would prove nothing", want)
		}
	}
	a := h.only()
	if a.Organisation != typed || a.Scope.DataClassification != hostile.Text || a.Answer("REC-01").Notes != typed ||
		len(a.Register) != 1 || a.Register[0].Title != typed || !slices.Equal(a.Answer("REC-01").Links, []model.EvidenceLink{{Entry: "E1"}}) || len(a.SignOffs) != 1 || a.SignOffs[0].Meaning != typed || a.Supplier[0].Reviewer != typed {
		t.Errorf("not stored exactly: %q %q %+v %+v %+v %+v", a.Organisation, a.Scope.DataClassification, a.Answers, a.Register, a.SignOffs, a.Supplier)
	}
}

// failingAnswers is the store with answers that cannot be written.
type failingAnswers struct{ Store }

func (failingAnswers) Answer(string, model.Answer, string) (model.Assessment, error) {
	return model.Assessment{}, errors.New("write onus.db: no space left on device")
}

// A change the store cannot write is read out where it was made, and the
// session stays on the question, which keeps its answer as it was.
func TestStoreFailureReadOutWhereItHappens(t *testing.T) {
	h := newHarness(t)
	var out strings.Builder
	cfg := h.config(strings.Join([]string{"", "Full disk", "", "", "", "", "", "", "", "1", "12", "9", "q"}, "\n")+"\n", &out)
	cfg.Store = failingAnswers{h.db}
	if err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	want := "Choose 1 to 12, or enter for the next question: 1\nNot saved: write onus.db: no space left on device.\nAnswer: unanswered. Evidence: none linked.\nChoose 1 to 12, or enter for the next question: 12\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("the failure is not read out where it happened:\n%s", tail(out.String(), 1500))
	}
	if a := h.only(); len(a.Answers) != 0 {
		t.Errorf("answers %+v", a.Answers)
	}
}

// Each party's part is read out once: not again when the engine's reason
// says it (as the engine's reasons do), and on its own when it does not.
func TestPartsReadOnce(t *testing.T) {
	res := model.Resolution{CustomerPart: "keeping a trail", AWSPart: "provides CloudTrail"}
	if got := partsUnsaid(res, "Whatever the service, your part is keeping a trail; AWS provides CloudTrail."); len(got) != 0 {
		t.Errorf("read twice: %q", got)
	}
	want := []string{"Your part: keeping a trail.", "AWS's part: AWS provides CloudTrail."}
	if got := partsUnsaid(res, "Shared."); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// The workflow's rules, as the wizard keeps them: a signature for in
// review with a passphrase-protected key (a wrong passphrase refused,
// neither written to the transcript; every other prompt of the signing
// refusing what it cannot take, with the reason); a second one for final, which
// alone makes the assessment final; a final assessment read-only (its
// questions offer only the moves, its services say why not); a reopening
// with a reason, which supersedes both signatures and makes it editable.
func TestSignFinalReadOnlyReopen(t *testing.T) {
	h := newHarness(t)
	if _, err := h.db.Create(model.Assessment{Name: "Signed LIMS", Services: model.Select("ec2"),
		Catalog: model.CatalogRef{Version: h.cat.Version, Hash: h.cat.Hash}}); err != nil {
		t.Fatal(err)
	}
	out := h.run(
		"1", "5", // open it; the review
		"4", "", "reviewed", "", "QA reviewer", "3", "2", "2026-01-01", "r 1", "r1", "", "Tracked in CAPA-7.", "9", "2", "hunter2", testPassphrase, "maybe", "y", // in review, the key file; refusals on the way
		"4", "approved for release", "", "", "", "", "Tracked in CAPA-7.", "1", "y", // final, the agent's key
		"7", "4", "", "1", "3", "3", // back; questions, read-only; services refused
		"5", "5", "", "CAPA-12 changes the backup answer", "8", // review: reopen, the reason required
		"4", "1", "12", // a question answered again
		"9", "q")
	golden.RequireEqual(t, out)
	for _, secret := range []string{"hunter2", testPassphrase} {
		if strings.Contains(out, secret) {
			t.Errorf("the transcript shows the passphrase %q", secret)
		}
	}
	a := h.only()
	if a.Workflow != model.WorkflowDraft || len(a.SignOffs) != 2 || !a.SignOffs[0].Superseded || !a.SignOffs[1].Superseded ||
		a.SignOffs[0].Step != model.WorkflowInReview || a.SignOffs[1].Step != model.WorkflowFinal {
		t.Errorf("workflow %s, signatures %+v", a.Workflow, a.SignOffs)
	}
	b, err := h.db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range b.Trail[1:] {
		kinds = append(kinds, e.Action+" "+e.Target)
	}
	var answered string
	for id := range a.Answers {
		answered = id
	}
	// The second signature signs the same milestone: nothing changed since.
	want := []string{"milestone milestones/r1", "sign signoffs", "sign signoffs", "reopen workflow", "answer answer/" + answered}
	if !slices.Equal(kinds, want) || len(a.Answers) != 1 {
		t.Errorf("trail %q, want %q; answers %+v", kinds, want, a.Answers)
	}
}

// brokenCheck is a store in which the assessments fail the check every
// change makes.
type brokenCheck struct{ Store }

func (brokenCheck) Check(id string) error {
	return &store.IntegrityError{ID: id, Seq: 2, Finding: "entry 2 does not follow entry 1", Refused: "written to"}
}

// An assessment that fails its check opens read-only, as in the wizard,
// saying where it breaks and how to go on; nothing is offered that would
// write to it.
func TestBrokenAssessmentReadOnly(t *testing.T) {
	h := newHarness(t)
	if _, err := h.db.Create(model.Assessment{Name: "Broken", Services: model.Select("ec2"),
		Catalog: model.CatalogRef{Version: h.cat.Version, Hash: h.cat.Hash}}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	cfg := h.config(strings.Join([]string{"1", "1", "4", "", "3", "5", "5", "9", "q"}, "\n")+"\n", &out)
	cfg.Store = brokenCheck{h.db}
	if err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"Read-only. It fails its integrity check at entry 2 (entry 2 does not follow entry 1): onus salvage ",
		"Choose 1 to 9, or enter for 1: 1\nRead-only. It fails", "Choices: 1 previous question, 2 go to a question, 3 back to the assessment."} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, tail(got, 3000))
		}
	}
	if strings.Contains(got, "Sign with an SSH key") || strings.Contains(got, "Reopen") || strings.Contains(got, "Move the workflow") {
		t.Errorf("the review offers a change:\n%s", tail(got, 3000))
	}
	if a := h.only(); len(a.Answers) != 0 || a.Workflow != model.WorkflowDraft {
		t.Errorf("changed: %+v", a)
	}
}

// damagedFile is a store whose file the background check found damaged
// after the list: every other operation fails with the DamagedError.
type damagedFile struct {
	Store
	atStart bool
}

var errDamagedFile = &store.DamagedError{Path: "/data/onus.db", Cause: errors.New("page 7: unreachable"), Late: true}

func (d damagedFile) Checked() error {
	if d.atStart {
		return errDamagedFile
	}
	return nil
}

func (damagedFile) Answer(string, model.Answer, string) (model.Assessment, error) {
	return model.Assessment{}, errDamagedFile
}

// A damaged file ends the session with its DamagedError (exit 4), read
// out: found before the first prompt, or by a change the store refused,
// where it happened, writing nothing.
func TestDamagedFileEndsTheSession(t *testing.T) {
	for _, atStart := range []bool{true, false} {
		h := newHarness(t)
		if _, err := h.db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2"),
			Catalog: model.CatalogRef{Version: h.cat.Version, Hash: h.cat.Hash}}); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		cfg := h.config(strings.Join([]string{"1", "4", "1", "1", "12", "q"}, "\n")+"\n", &out)
		cfg.Store = damagedFile{h.db, atStart}
		err := Run(context.Background(), cfg)
		if err != errDamagedFile {
			t.Errorf("at start %v: Run returned %v, want the DamagedError", atStart, err)
		}
		got := out.String()
		want := "Choose 1 to 12, or enter for the next question: 1\nNot saved: /data/onus.db is damaged (page 7: unreachable); onus has not written to it and will not⏎ no backup was found next to it.\nAnswer: unanswered. Evidence: none linked.\nThe session ends here: onus writes nothing to a damaged file.\n"
		if atStart {
			want = "Type the number of a choice and press enter. At any prompt: help explains it, q quits.\nThe database is damaged: /data/onus.db is damaged (page 7: unreachable); onus has not written to it and will not⏎ no backup was found next to it.\nThe session ends here: onus writes nothing to a damaged file.\n"
		}
		if !strings.HasSuffix(got, want) {
			t.Errorf("at start %v: the transcript ends\n%s\nwant\n%s", atStart, tail(got, 800), want)
		}
	}
}

// A single choice that enter can leave still says what enter does, as
// the key list with one key does.
func TestOneChoiceSaysWhatEnterDoes(t *testing.T) {
	var buf strings.Builder
	lines := make(chan input, 1)
	lines <- input{text: ""}
	s := &session{ctx: context.Background(), out: safetext.NewWriter(&buf), lines: lines}
	n, err := s.pick(1, 0, "", func() {}, "to go back without signing")
	s.out.Flush()
	if n != 0 || err != nil || buf.String() != "Choose 1, or enter to go back without signing: " {
		t.Errorf("%d %v %q", n, err, buf.String())
	}
}

// brokenOnWrite is a store that finds the assessment broken when a change
// is written, as the store's check before every change does.
type brokenOnWrite struct{ Store }

func (brokenOnWrite) Answer(id string, _ model.Answer, _ string) (model.Assessment, error) {
	return model.Assessment{}, &store.IntegrityError{ID: id, Seq: 3, Finding: "entry 3 was altered", Refused: "written to"}
}

// A failed check found by a change makes the assessment read-only from
// then on, as in the wizard: the question offers only the moves.
func TestBrokenFoundOnWriteReadOnly(t *testing.T) {
	h := newHarness(t)
	if _, err := h.db.Create(model.Assessment{Name: "Breaks", Services: model.Select("ec2"),
		Catalog: model.CatalogRef{Version: h.cat.Version, Hash: h.cat.Hash}}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	cfg := h.config(strings.Join([]string{"1", "4", "1", "3", "9", "q"}, "\n")+"\n", &out)
	cfg.Store = brokenOnWrite{h.db}
	if err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	want := "Choose 1 to 12, or enter for the next question: 1\nNot saved: assessment IDA fails its integrity check"
	got := h.stable(out.String())
	if !strings.Contains(got, want) || !strings.Contains(got, "Choose 1 to 3, or enter for the next question: 3\n") ||
		!strings.Contains(got, "Read-only. It fails its integrity check at entry 3 (entry 3 was altered)") {
		t.Errorf("not read-only after the failed check:\n%s", tail(got, 2500))
	}
}

// The register and the scope's options as the wizard has them: payment
// card data and a programme named make AWS's PCI DSS and C5 reports gaps
// on a control that rests on them (optional before); an AWS report on
// file is linked by its id with a note and read out stale, then unlinked;
// "all" reads the register; and free text an earlier onus stored reads
// as the register entry the store will file it as.
func TestRegisterAndProgrammes(t *testing.T) {
	h := newHarness(t)
	created, err := h.db.Create(model.Assessment{Name: "Cards", Services: model.Select("ec2")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.SetSupplierRecord(created.ID, model.SupplierRecord{Source: "soc2", Obtained: "2025-02-01", PeriodStart: "2024-01-01",
		PeriodEnd: "2024-12-31", Status: model.SupplierAccepted, Reviewer: "Ana Ruiz", ReviewedOn: "2025-02-02"}); err != nil {
		t.Fatal(err)
	}
	importWithFreeText(t, h, created.ID, model.Answer{Control: "GOV-01", Status: model.StatusImplemented,
		Evidence: []model.EvidenceRef{{Title: "Old SOP", DocumentID: "SOP-1", Supplier: model.SupplierCustomer}}})
	out := h.run(
		"1", "4", "11", "GOV-01", "7", "", // the questions before any change: GOV-01's free text offered to unlink as E1
		"11", "SUP-02", "12", // SUP-02's optional reports; back
		"1", "11", "3", "12", "2", "", // scope: payment card data, BSI C5 expected; done
		"4", "11", "SUP-02", // SUP-02 again
		"6", "aws:soc2", "CC6.1", // link AWS's SOC 2 by its id, with a note
		"7", "1", // unlink it
		"6", "all", "", // the register read out, none chosen
		"11", "GOV-01", "12", // GOV-01's free text, filed, as its register entry; back
		"9", "q")
	before, after, ok := strings.Cut(out, "Saved: programmes: BSI C5 expected.")
	if !ok {
		t.Fatalf("the programme was not saved:\n%s", tail(out, 3000))
	}
	for _, want := range []string{"  12. Programmes: none", "Evidence linked to GOV-01:\n  1. E1 Old SOP, SOP-1; current\n", "Optional for this scope, not on file: ", "AWS PCI DSS attestation of compliance"} {
		if !strings.Contains(before, want) {
			t.Errorf("before the scope changed, the transcript lacks %q", want)
		}
	}
	for _, want := range []string{
		"  12. Programmes: BSI C5 expected",
		"  aws:pci-dss AWS PCI DSS attestation of compliance; not on file, a gap: record it on the supplier step",
		"  aws:c5 AWS C5 attestation; not on file, a gap: record it on the supplier step",
		"Saved: SUP-02 linked to aws:soc2 AWS SOC 2 Type 2 report.",
		"Evidence: 1 linked: aws:soc2 AWS SOC 2 Type 2 report, 2025-02-01, AWS Artifact; accepted, stale: superseded",
		"; note: CC6.1.",
		"Saved: SUP-02 unlinked aws:soc2.",
		"The register:\n  1. E1 Old SOP, SOP-1; current\n  2. aws:soc2 AWS SOC 2 Type 2 report",
		"Evidence: 1 linked: E1 Old SOP, SOP-1; current.",
	} {
		if !strings.Contains(after, want) {
			t.Errorf("after the scope changed, the transcript lacks %q:\n%s", want, tail(after, 4000))
		}
	}
	a := h.only()
	if !slices.Equal(a.Scope.DataCategories, []model.DataCategory{model.DataPaymentCard}) || !slices.Equal(a.Scope.Programmes, []string{"bsi-c5"}) {
		t.Errorf("scope %+v", a.Scope)
	}
	if l := a.Answer("SUP-02").Links; len(l) != 0 {
		t.Errorf("SUP-02 links %+v after the unlinking", l)
	}
	b, err := h.db.Export(created.ID)
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, e := range b.Trail {
		if e.Action == model.ActLinks || e.Action == model.ActFile {
			links = append(links, e.Action+" "+e.Target)
		}
	}
	if want := []string{"evidence-register evidence", "evidence-links links/SUP-02", "evidence-links links/SUP-02"}; !slices.Equal(links, want) {
		t.Errorf("register entries in the trail %v, want %v", links, want)
	}
}

// importWithFreeText replaces an assessment with its import, an answer
// with free-text evidence appended to its trail as an onus from before
// the register wrote it (the store files free text it is given).
func importWithFreeText(t *testing.T, h *harness, id string, ans model.Answer) {
	t.Helper()
	b, err := h.db.Export(id)
	if err != nil {
		t.Fatal(err)
	}
	last := b.Trail[len(b.Trail)-1]
	ans.UpdatedAt, ans.UpdatedBy = last.Time.Add(time.Second), "old"
	e := model.AuditEntry{Assessment: id, Seq: last.Seq + 1, Time: ans.UpdatedAt, Actor: "old", Action: model.ActAnswer,
		Target: "answer/" + ans.Control, Format: model.EntryFormat, PrevHash: last.Hash}
	if e.New, err = json.Marshal(ans); err != nil {
		t.Fatal(err)
	}
	e.Hash = e.ComputeHash()
	b.Trail = append(b.Trail, e)
	if b.Assessment, err = model.Replay(b.Trail); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Purge(id); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.Import(b); err != nil {
		t.Fatal(err)
	}
}

// The Part 11 record inventory: an entry added (a Part 11 record needs
// its predicate rule), renamed by an edit, and removed, each one store
// call, as the wizard's step makes them.
func TestRecordInventory(t *testing.T) {
	h := newHarness(t)
	created, err := h.db.Create(model.Assessment{Name: "Records", Services: model.Select("ec2")})
	if err != nil {
		t.Fatal(err)
	}
	out := h.run(
		"1", "7", "1", // the record inventory; add a data class
		"Batch record", "y", "", "21 CFR 211.188", "1 year after batch expiry", "LIMS", "Read-only export for the inspector", "", "",
		"1", "1", "Batch production record", "", "", "", "", "", "", "", // edit it: renamed, the rest kept
		"1", "2", // remove it
		"2", "9", "q")
	for _, want := range []string{
		"Record inventory of Records: 0 data classes, 0 Part 11 records.",
		"Predicate rule (required): \nPredicate rule is required.",
		"Saved: record entry Batch record.",
		"  1. Batch record: Part 11 record under 21 CFR 211.188; kept 1 year after batch expiry in LIMS; inspection: Read-only export for the inspector",
		"Saved: record entry Batch production record.",
		"Saved: removed Batch production record from the record inventory.",
		"  7. Record inventory (21 CFR Part 11): 0 data classes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, tail(out, 3000))
		}
	}
	b, err := h.db.Export(created.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range b.Trail {
		if e.Action == model.ActRecord {
			got = append(got, e.Target)
		}
	}
	want := []string{"records/Batch record", "records/Batch record", "records/Batch production record", "records/Batch production record"}
	if !slices.Equal(got, want) || len(b.Assessment.Records) != 0 {
		t.Errorf("trail %v, want %v; records %+v", got, want, b.Assessment.Records)
	}
}

// The evidence register as a step: an entry added without a control, one
// edited field by field (enter keeps what a field holds), and one removed
// with the links that cite it, after a yes.
func TestEvidenceRegisterStep(t *testing.T) {
	h := newHarness(t)
	created, err := h.db.Create(model.Assessment{Name: "Register", Services: model.Select("ec2")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.AddEntry(created.ID, model.EvidenceEntry{Title: "Access SOP", Owner: model.SupplierCustomer, Kind: model.DocProcedure}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.Link(created.ID, "E1", []string{"GOV-01"}, ""); err != nil {
		t.Fatal(err)
	}
	out := h.run(
		"1", "8", // the register
		"2", "OQ report", "OQ-1", "1", "", "", "", "4", "2026-01-01", "2026-06-30", "", // add E2, a report with its period
		"1", "1", "Access management SOP", "", "3", "", "", "", "", "", // edit E1: a new title and version, the rest kept
		"1", "2", "y", // remove E1, linked from GOV-01
		"3", "9", "q")
	for _, want := range []string{
		"Evidence register of Register: 1 entry.",
		"  1. E1 Access SOP; current; supports GOV-01",
		"Saved: evidence E2 OQ report added to the register.",
		"Title (now: Access SOP; enter keeps it):",
		"Saved: evidence E1 Access management SOP edited.",
		"E1 is linked from GOV-01. Remove it and those links?",
		"Saved: removed E1 Access management SOP from the register.",
		"  8. Evidence register: 1 entry",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, tail(out, 3000))
		}
	}
	a := h.only()
	if len(a.Register) != 1 || a.Register[0].ID != "E2" || a.Register[0].Kind != model.DocReport || a.Register[0].PeriodEnd != "2026-06-30" ||
		len(a.Answer("GOV-01").Links) != 0 {
		t.Errorf("register %+v, GOV-01's links %+v", a.Register, a.Answer("GOV-01").Links)
	}
}
