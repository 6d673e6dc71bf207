package tui

import (
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/sign/signtest"
	"github.com/onus-gxp/onus/store"
)

// The fixed test keys (sign/signtest): the goldens show their
// fingerprints.
const testPassphrase = signtest.Passphrase

var testSigners, testKeys = signtest.Signers, signtest.Keys

// testAllowedSigners lists both keys for "tester".
func testAllowedSigners() (*sign.AllowedSigners, error) {
	var b strings.Builder
	for _, s := range testSigners {
		b.WriteString(`tester namespaces="onus" ` + string(ssh.MarshalAuthorizedKey(s.PublicKey())))
	}
	return sign.ParseAllowedSigners([]byte(b.String()))
}

// signWith goes through the whole signing dialog from the review: the
// meaning, the acknowledgement of open gaps when asked, the key (0: the
// agent's, 1: the file's, with its passphrase), then the manifest.
func (h *harness) signWith(meaning, ack string, key int) {
	h.t.Helper()
	h.press("S")
	h.typeText(meaning)
	if ack != "" {
		for range sAck {
			h.press("down")
		}
		h.typeText(ack)
	}
	h.press("enter")
	d, ok := h.m.dialog().(*signDialog)
	if !ok || d.stage != stageKey {
		h.t.Fatalf("no key to choose:\n%s", h.view())
	}
	for range key {
		h.press("down")
	}
	h.press("enter")
	if key == 1 {
		h.typeText(testPassphrase)
		h.press("enter")
	}
	if d.stage != stageManifest {
		h.t.Fatalf("no manifest shown:\n%s", h.view())
	}
	h.press("enter")
}

// reviewed is the workshop answered once, on the review.
func (h *harness) reviewed() {
	h.workshop()
	h.press("1", "tab")
}

// Signing from the review: the form asks why when high-risk gaps are
// open; the key is chosen and unlocked (a wrong passphrase is refused and
// asked again, masked); the manifest is shown, and what is recorded is
// that manifest, signed by that key, verifying against the allowed
// signers. The assessment is then final and read-only, with a message
// saying how to reopen; R reopens with a reason, and the signature is
// superseded.
func TestSignFromTheWizard(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.reviewed()
	id := h.m.a.ID
	h.press("S")
	h.typeText("reviewed and approved")
	h.press("enter")
	if _, ok := h.m.dialog().(*signDialog); !ok || !strings.Contains(h.view(), "high-risk gaps are open") || !strings.Contains(h.m.flash, "say why you sign anyway") {
		t.Fatalf("signed with open gaps unacknowledged:\n%s", h.view())
	}
	h.typeText("CAPA-7 closes the backup gaps by March")
	h.press("enter", "down", "enter") // the passphrase-protected key
	h.typeText("wrong")
	if v := h.view(); strings.Contains(v, "wrong") || !strings.Contains(v, "•••••") {
		t.Fatalf("the passphrase is not masked:\n%s", v)
	}
	h.press("enter")
	if v := h.view(); !strings.Contains(v, "wrong passphrase") {
		t.Fatalf("a wrong passphrase:\n%s", v)
	}
	h.typeText(testPassphrase)
	h.press("enter")
	v := h.view()
	for _, want := range []string{"onus-signature-manifest v1", "assessment: " + id, "meaning: reviewed and approved", "step: final",
		"signer: tester", "acknowledgement: CAPA-7 closes", ssh.FingerprintSHA256(testSigners[1].PublicKey())} {
		if !strings.Contains(v, want) {
			t.Fatalf("the manifest shown lacks %q:\n%s", want, v)
		}
	}
	shown := h.m.dialog().(*signDialog).text
	h.press("enter")
	a, _ := h.db.Get(id)
	if a.Workflow != model.WorkflowFinal || len(a.SignOffs) != 1 || a.SignOffs[0].Manifest != shown || a.SignOffs[0].OpenHighGaps == 0 ||
		a.SignOffs[0].Acknowledgement != "CAPA-7 closes the backup gaps by March" {
		t.Fatalf("recorded: %s %+v", a.Workflow, a.SignOffs)
	}
	trail, _ := h.db.History(id)
	allowed, _ := testAllowedSigners()
	if rs, err := sign.Verify(trail, allowed); err != nil || len(rs) != 1 || rs[0].State() != model.SigVerified {
		t.Fatalf("the signature does not verify: %v %+v", err, rs)
	}

	// Final is read-only: edits say how to reopen; the footer drops them.
	h.press("w")
	if !strings.Contains(h.m.flash, "FINAL, read-only: R on the review reopens it") {
		t.Fatalf("w on a final assessment: %q", h.m.flash)
	}
	h.press("shift+tab", "2")
	if got, _ := h.db.Get(id); got.Answer(h.m.questions.current()).Status == model.StatusPartial || !strings.Contains(h.m.flash, "FINAL") {
		t.Fatalf("an answer changed on a final assessment:\n%s", h.view())
	}
	if v := h.view(); strings.Contains(v, "1-4 status") || !strings.Contains(v, "FINAL, read-only") {
		t.Fatalf("the footer offers edits on a final assessment:\n%s", v)
	}
	h.press("tab", "R", "enter")
	if !strings.Contains(h.m.flash, "needs a reason") {
		t.Fatalf("reopened without a reason: %q", h.m.flash)
	}
	h.typeText("CAPA-9: the backup answer changes")
	h.press("enter")
	a, _ = h.db.Get(id)
	if a.Workflow != model.WorkflowDraft || !a.SignOffs[0].Superseded {
		t.Fatalf("after reopening: %s %+v", a.Workflow, a.SignOffs)
	}
	if !strings.Contains(h.view(), "SUPERSEDED") {
		t.Fatalf("the superseded signature is not shown:\n%s", h.view())
	}
	h.press("shift+tab", "2")
	if got, _ := h.db.Get(id); got.Answer(h.m.questions.current()).Status != model.StatusPartial {
		t.Fatal("no change after reopening")
	}
}

// w moves between draft and in review only: never to final.
func TestWorkflowKeyNeverFinal(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.reviewed()
	for _, want := range []model.Workflow{model.WorkflowInReview, model.WorkflowDraft, model.WorkflowInReview} {
		h.press("w")
		if a, _ := h.db.Get(h.m.a.ID); a.Workflow != want {
			t.Fatalf("w: %s, want %s", a.Workflow, want)
		}
	}
}

// M records a milestone; the diff screen (c) compares it with now.
func TestMilestoneAndDiff(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.reviewed()
	h.press("M")
	h.typeText("2026-11-01")
	h.press("enter")
	if !strings.Contains(h.m.flash, "reads as a time") {
		t.Fatalf("a milestone named like a date: %q", h.m.flash)
	}
	h.press("ctrl+u")
	h.typeText("workshop-1")
	h.press("enter")
	if a, _ := h.db.Get(h.m.a.ID); len(a.Milestones) != 1 || a.Milestones[0].Name != "workshop-1" {
		t.Fatalf("milestones %+v", a.Milestones)
	}
	h.press("shift+tab", "j", "4", "o")
	h.typeText("backups untested")
	h.press("enter", "c")
	v := h.view()
	if h.m.screen != screenDiff || !strings.Contains(v, "from ‹ milestone workshop-1") || !strings.Contains(v, "to ‹ now ›") ||
		!strings.Contains(v, "Answers") || !strings.Contains(v, "not-implemented") || !strings.Contains(v, "backups untested") {
		t.Fatalf("diff:\n%s", v)
	}
	// From now to now: nothing differs.
	h.press("left")
	if v := h.view(); !strings.Contains(v, "from ‹ now ›") || !strings.Contains(v, "No differences.") {
		t.Fatalf("now against now:\n%s", v)
	}
	// A time typed for a side: before the assessment existed.
	h.press("enter")
	h.typeText("2020-01-01")
	h.press("enter")
	if v := h.view(); !strings.Contains(v, "did not exist yet") {
		t.Fatalf("a time before the assessment:\n%s", v)
	}
}

// A duplicate is compared with the baseline it came from.
func TestDiffWithBaseline(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.reviewed()
	src := h.m.a.ID
	dup, err := h.db.Duplicate(src, "LIMS 2027")
	if err != nil {
		t.Fatal(err)
	}
	h.press("esc", "esc", "esc", "esc", "esc", "esc")
	h.m.home.cursor = slicesIndex(h.m.home.visible(h.m), dup.ID)
	h.press("enter", "c")
	if v := h.view(); !strings.Contains(v, "from ‹ the baseline "+src+" now ›") || !strings.Contains(v, "name: LIMS on AWS → LIMS 2027") {
		t.Fatalf("duplicate against its baseline:\n%s", v)
	}
}

func slicesIndex(list shown, id string) int {
	for i := range list.len() {
		if list.at(i).ID == id {
			return i
		}
	}
	return -1
}

// The trail screen tells the truth: the store's full check (not the
// chain alone) and each signature's state.
func TestTrailShowsVerifyAndSignatures(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.reviewed()
	h.signWith("approved", "CAPA-7", 0)
	h.press("t")
	if v := h.view(); !strings.Contains(v, "✔ verified") || !strings.Contains(v, "signatures: 1 verified") {
		t.Fatalf("trail:\n%s", v)
	}
	if v := h.view(); !strings.Contains(v, "signature #1 VERIFIED: tester, key "+ssh.FingerprintSHA256(testSigners[0].PublicKey())) {
		t.Fatalf("the signature's entry:\n%s", v)
	}
	// A key the allowed-signers file does not list fails.
	h.m.cfg.AllowedSigners = func() (*sign.AllowedSigners, error) { return sign.ParseAllowedSigners(nil) }
	h.press("esc", "t")
	if v := h.view(); !strings.Contains(v, "#1 FAILED") {
		t.Fatalf("a signer the file does not list:\n%s", v)
	}
}

// Reported with store errors as they come: a signature the store refuses
// (the record changed under the dialog) is not recorded, and says so.
func TestSignRefusedWhenChangedMeanwhile(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.reviewed()
	h.press("S")
	h.typeText("approved")
	for range sAck {
		h.press("down")
	}
	h.typeText("CAPA-7")
	h.press("enter", "enter")
	if _, err := h.db.Answer(h.m.a.ID, model.Answer{Control: "GOV-02", Status: model.StatusPlanned}, ""); err != nil {
		t.Fatal(err)
	}
	h.press("enter")
	a, _ := h.db.Get(h.m.a.ID)
	if len(a.SignOffs) != 0 || !strings.Contains(h.m.flash, "NOT SAVED") {
		t.Fatalf("signed a record that changed after its manifest was shown: %+v %q", a.SignOffs, h.m.flash)
	}
}

var _ store.Signer = (*sign.Key)(nil)

// Compare on an assessment with no milestone: both sides can only be
// now, and the screen says how to get an earlier point.
func TestDiffWithNothingToCompareSaysHow(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	h.press("1", "c")
	v := h.view()
	if h.m.screen != screenDiff || !strings.Contains(v, "No differences: both sides are now.") || !strings.Contains(v, "records a milestone") {
		t.Fatalf("compare with nothing to compare:\n%s", v)
	}
}
