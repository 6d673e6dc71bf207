package tui

import (
	"io"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// workshopKeys is a consultant's session, typed as fast as a practised
// one does: create, select two services, answer, write a note of two
// lines, add evidence, justify a not applicable, move the workflow, go
// back, clear an answer and undo that, quit.
func workshopKeys() []tea.Msg {
	var out []tea.Msg
	keys := func(ks ...string) {
		for _, k := range ks {
			out = append(out, keyMsg(k))
		}
	}
	text := func(s string) {
		for _, r := range s {
			out = append(out, tea.KeyPressMsg(tea.Key{Code: r, Text: string(r)}))
		}
	}
	keys("n")
	text("LIMS on AWS")
	keys("enter", "tab", "tab", "tab", "/")
	text("s3")
	keys("enter", "space", "/", "ctrl+u")
	text("ec2")
	keys("enter", "space", "tab", "1", "j", "o")
	text("Reviewed with QA on 12 Nov.")
	keys("ctrl+j")
	text("The IQ protocol follows in January.")
	keys("enter", "j", "2", "e", "enter")
	text("IQ report")
	keys("down")
	text("IQ-007")
	keys("enter", "esc", "j", "5")
	text("Covered by the corporate QRM SOP")
	keys("enter", "j", "4", "u", "3", "tab", "w", "shift+tab", "k", "k", "0", "ctrl+z", "j", "q")
	return out
}

// outcome is what a session leaves: the stored assessment as the user
// sees it, and where the wizard stood.
type outcome struct {
	Name     string
	Services []string
	Workflow model.Workflow
	Answers  map[string]model.Answer
	Screen   screenID
	At       string
}

// runWorkshop drives a real Bubble Tea program (commands run concurrently,
// as in the wizard) on a store whose writes take delay, a key every 20 ms.
func runWorkshop(t *testing.T, delay time.Duration) outcome {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat := testCatalog(t)
	m := New(Config{Catalog: func() *model.Catalog { return cat }, Store: SlowWrites(db, delay), Now: func() time.Time { return testNow },
		Formats: []string{"json"}, ExportDir: t.TempDir()})
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30), tea.WithoutSignals())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	for _, k := range workshopKeys() {
		p.Send(k)
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Minute):
		p.Kill()
		t.Fatal("the wizard did not quit")
	}
	list, err := db.List(false)
	if err != nil || len(list) != 1 {
		t.Fatalf("assessments: %+v %v", list, err)
	}
	a, err := db.Get(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]model.Answer{}
	for id, ans := range a.Answers {
		if ans.Status == model.StatusUnanswered && ans.Notes == "" && len(ans.Links) == 0 {
			continue // answered, then cleared: as never answered
		}
		ans.UpdatedAt, ans.UpdatedBy = time.Time{}, ""
		answers[id] = ans
	}
	ids := a.ServiceIDs()
	slices.Sort(ids)
	return outcome{Name: a.Name, Services: ids, Workflow: a.Workflow, Answers: answers, Screen: m.screen, At: m.questions.current()}
}

// No key is lost or misrouted whatever the disk's speed: the session on a
// disk whose every write takes 300 ms ends exactly as on an instant one.
func TestWorkshopOnASlowDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("a real program at workshop speed")
	}
	instant := runWorkshop(t, 0)
	if len(instant.Answers) != 6 || instant.Workflow != model.WorkflowInReview || len(instant.Services) != 2 {
		t.Fatalf("the session did not do what it types (the test would prove nothing): %+v", instant)
	}
	slow := runWorkshop(t, 300*time.Millisecond)
	if !reflect.DeepEqual(instant, slow) {
		t.Fatalf("on a slow disk the session ends otherwise:\ninstant %+v\nslow    %+v", instant, slow)
	}
}
