package tui

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// reopen starts a new wizard on the same file, as the next session does.
func (h *harness) reopen(w, ht int) *harness {
	h.t.Helper()
	cat := testCatalog(h.t)
	next := &harness{t: h.t, db: h.db, dir: h.dir, writes: map[string][]byte{}}
	next.m = New(Config{Catalog: func() *model.Catalog { return cat }, Store: h.db, Now: func() time.Time { return testNow },
		Formats: []string{"json"}, ExportDir: h.dir, SigningKeys: testKeys, AllowedSigners: testAllowedSigners})
	next.send(resize(w, ht))
	next.run(next.m.Init())
	return next
}

// With half-typed text, ctrl+c asks; y quits and keeps the text as a
// draft, which the next session offers in the same form, marked unsaved;
// enter then saves it. Each form that takes text does so.
func TestDraftKeptOnQuitAndRestored(t *testing.T) {
	forms := []struct {
		name  string
		open  func(h *harness)
		typed string
		is    func(d dialog) bool
		saved func(a model.Assessment, ctrl string) bool
	}{
		{"notes", func(h *harness) { h.press("o") }, "half a thought",
			func(d dialog) bool { _, ok := d.(*textDialog); return ok },
			func(a model.Assessment, c string) bool { return a.Answer(c).Notes == "half a thought" }},
		{"justification", func(h *harness) { h.press("5") }, "no GxP data here",
			func(d dialog) bool { _, ok := d.(*textDialog); return ok },
			func(a model.Assessment, c string) bool { return a.Answer(c).Justification == "no GxP data here" }},
		{"evidence entry", func(h *harness) { h.press("e", "enter") }, "IQ protocol",
			func(d dialog) bool { _, ok := d.(*entryDialog); return ok },
			func(a model.Assessment, c string) bool {
				l := a.Answer(c).Links
				e, _ := a.Entry("E1")
				return len(l) == 1 && l[0].Entry == "E1" && e.Title == "IQ protocol"
			}},
		{"link note", func(h *harness) { h.press("e", "enter"); h.typeText("IQ protocol"); h.press("enter", "enter") }, "§4.2",
			func(d dialog) bool { _, ok := d.(*lineDialog); return ok },
			func(a model.Assessment, c string) bool {
				l := a.Answer(c).Links
				return len(l) == 1 && l[0].Note == "§4.2"
			}},
		{"sign-off", func(h *harness) { h.press("tab", "S") }, "reviewed",
			func(d dialog) bool { _, ok := d.(*signDialog); return ok },
			func(a model.Assessment, _ string) bool {
				return len(a.SignOffs) == 1 && a.SignOffs[0].Meaning == "reviewed" && a.SignOffs[0].Signed()
			}},
		{"override", func(h *harness) {
			h.press("shift+tab", "/")
			h.typeText("ec2")
			h.press("enter", "O", "down", "right", "down")
		}, "managed service contract",
			func(d dialog) bool { _, ok := d.(*overrideDialog); return ok },
			func(a model.Assessment, _ string) bool {
				s, _ := selection(&a, "ec2")
				return len(s.Overrides) == 1 && s.Overrides[0].Justification == "managed service contract"
			}},
		{"record", func(h *harness) {
			h.tabTo("Records")
			h.press("n", "tab", "tab", "tab")
			h.typeText("10 years")
			h.press("tab")
			h.typeText("LIMS")
			h.press("shift+tab", "shift+tab", "shift+tab", "shift+tab") // back to the data class
		}, "Lab results",
			func(d dialog) bool { _, ok := d.(*recordDialog); return ok },
			func(a model.Assessment, _ string) bool {
				return len(a.Records) == 1 && a.Records[0].DataClass == "Lab results" && a.Records[0].Retention == "10 years"
			}},
		{"gamp", func(h *harness) {
			h.press("shift+tab", "/")
			h.typeText("ec2")
			h.press("enter", "C", "right", "right", "tab")
		}, "the image is configured to our process",
			func(d dialog) bool { _, ok := d.(*gampDialog); return ok },
			func(a model.Assessment, _ string) bool {
				s, _ := selection(&a, "ec2")
				return s.GAMP != nil && s.GAMP.Category == model.GAMPNonConfigured && s.GAMP.Justification == "the image is configured to our process"
			}},
		{"supplier", func(h *harness) { h.press("shift+tab", "shift+tab", "enter", "down", "down", "down", "down") }, "v2025",
			func(d dialog) bool { _, ok := d.(*supplierDialog); return ok },
			func(a model.Assessment, _ string) bool {
				return len(a.Supplier) == 1 && a.Supplier[0].Version == "v2025"
			}},
	}
	// finishes complete a restored form where enter alone does not.
	finishes := map[string]func(h *harness){
		"sign-off": func(h *harness) { // the open gaps' acknowledgement, the agent's key, the manifest
			for range sAck {
				h.press("down")
			}
			h.typeText("CAPA-7")
			h.press("enter", "enter", "enter")
		},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			h := newHarness(t, 100, 30)
			h.workshop()
			ctrl := h.m.questions.current()
			f.open(h)
			h.typeText(f.typed)
			h.press("ctrl+c")
			if h.quit {
				t.Fatal("ctrl+c with typed text quit without asking")
			}
			if _, ok := h.m.dialog().(*confirmDialog); !ok {
				t.Fatalf("no question:\n%s", h.view())
			}
			h.press("y")
			if !h.quit || !h.m.Interrupted() {
				t.Fatal("y did not quit as ctrl+c does")
			}
			next := h.reopen(100, 30)
			next.press("enter") // open the assessment
			if d := next.m.dialog(); d == nil || !f.is(d) {
				t.Fatalf("the form is not back: %T\n%s", d, next.view())
			}
			if v := next.view(); !strings.Contains(v, "UNSAVED DRAFT") || !strings.Contains(v, f.typed) {
				t.Fatalf("the draft is not shown as unsaved:\n%s", v)
			}
			if finish := finishes[f.name]; finish != nil {
				finish(next)
			} else {
				next.press("enter")
			}
			a, _ := next.db.Get(next.m.a.ID)
			if !f.saved(a, ctrl) {
				t.Fatalf("enter did not save the draft: %+v", a)
			}
			if s, _ := next.db.WizardState(a.ID); s.Draft != nil {
				t.Fatalf("the draft stays after it was saved: %+v", s.Draft)
			}
		})
	}
}

// A new assessment's name typed when the window closed is offered on the
// next start.
func TestNewNameDraftRestored(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.press("n")
	h.typeText("Data lake on A")
	next := h.reopen(100, 30)
	d, ok := next.m.dialog().(*newAssessmentDialog)
	if !ok || d.name.text() != "Data lake on A" || !strings.Contains(next.view(), "UNSAVED DRAFT") {
		t.Fatalf("no draft of the name:\n%s", next.view())
	}
}

// A closed window: the terminal's SIGHUP makes the program quit without
// the wizard seeing it (tui/run.go). What was typed is kept anyway,
// because drafts are kept as they are typed; Flush, called once the
// program has returned, keeps the very last keys too.
func TestDraftKeptWhenTheWindowCloses(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SelectServices(a.ID, []string{"s3"}); err != nil {
		t.Fatal(err)
	}
	cat := testCatalog(t)
	m := New(Config{Catalog: func() *model.Catalog { return cat }, Store: db, Now: func() time.Time { return testNow }, ExportDir: t.TempDir()})
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30), tea.WithoutSignals())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	send := func(keys ...string) {
		for _, k := range keys {
			p.Send(keyMsg(k))
			time.Sleep(20 * time.Millisecond)
		}
	}
	time.Sleep(300 * time.Millisecond) // the list on screen
	send("enter", "o")
	for _, r := range "typed before the window closed" {
		p.Send(tea.KeyPressMsg(tea.Key{Code: r, Text: string(r)}))
	}
	time.Sleep(500 * time.Millisecond) // a pause, as anyone's before closing a window
	p.Quit()                           // what run.go does on SIGHUP
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s, err := db.WizardState(a.ID)
	if err != nil || s.Draft == nil || s.Draft.Fields[0] != "typed before the window closed" || s.Draft.Form != formNotes {
		t.Fatalf("draft after the window closed: %+v %v", s.Draft, err)
	}
	// The last keys, with no pause: Flush keeps them.
	m.dialogs[0].(*textDialog).text.set("and the last word")
	m.Flush()
	if s, _ := db.WizardState(a.ID); s.Draft == nil || s.Draft.Fields[0] != "and the last word" {
		t.Fatalf("Flush did not keep the draft: %+v", s.Draft)
	}
}

// esc on a form with typed text asks before dropping it; n goes back to it.
func TestCancelAsksBeforeDroppingText(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	h.press("o")
	h.typeText("do not lose me")
	h.press("esc")
	if _, ok := h.m.dialog().(*confirmDialog); !ok {
		t.Fatalf("esc dropped the text:\n%s", h.view())
	}
	h.press("n")
	if d, ok := h.m.dialog().(*textDialog); !ok || d.text.text() != "do not lose me" {
		t.Fatal("n did not go back to the text")
	}
	h.press("esc", "y")
	if h.m.dialog() != nil {
		t.Fatal("y did not drop it")
	}
	h.press("o", "esc") // nothing typed: closes at once
	if h.m.dialog() != nil {
		t.Fatal("esc on an untouched form asked")
	}
}

// Changes still queued when the program stops without the wizard
// quitting (a signal) are saved by Flush, in order, the one in flight
// waited for and not repeated.
func TestFlushSavesWhatIsQueued(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SelectServices(a.ID, []string{"s3"}); err != nil {
		t.Fatal(err)
	}
	cat := testCatalog(t)
	m := New(Config{Catalog: func() *model.Catalog { return cat }, Store: SlowWrites(db, 200*time.Millisecond), Now: func() time.Time { return testNow }, ExportDir: t.TempDir()})
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30), tea.WithoutSignals())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	time.Sleep(300 * time.Millisecond)
	for _, k := range []string{"enter", "1", "j", "2", "j", "4"} {
		p.Send(keyMsg(k))
		time.Sleep(20 * time.Millisecond)
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Get(a.ID); len(got.Answers) == 3 {
		t.Fatal("every save was done before the program stopped: the test proves nothing")
	}
	if failed := m.Flush(); failed != 0 {
		t.Fatalf("%d saves failed", failed)
	}
	got, _ := db.Get(a.ID)
	trail, _ := db.History(a.ID)
	if len(got.Answers) != 3 || len(trail) != 2+3 {
		t.Fatalf("after Flush: %d answers, %d entries", len(got.Answers), len(trail))
	}
}
