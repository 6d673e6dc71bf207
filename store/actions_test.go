package store

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// Action items are raised and closed through the trail, attributed to the
// handle's actor (As), and survive an export and an import, which replays
// them through model.Step; a bundle whose action entries onus would not
// have written is refused.
func TestActionItems(t *testing.T) {
	cat := embedded(t)
	db, _ := openTest(t, "Fran Facilitator")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: []model.SelectedService{{ID: "ec2"}}})
	if err != nil {
		t.Fatal(err)
	}
	a, err = db.RaiseAction(a.ID, model.ActionItem{Control: "GOV-01", Text: "Send the QMS manual", Owner: "Quinn QA", Due: "2026-12-01"}, "")
	if err != nil {
		t.Fatal(err)
	}
	ana := db.As("Ana Ruiz")
	if ana.Actor() != "Ana Ruiz" || db.Actor() != "Fran Facilitator" {
		t.Fatalf("actors: %q, %q", ana.Actor(), db.Actor())
	}
	a, err = ana.RaiseAction(a.ID, model.ActionItem{Text: "Book the follow-up session", Owner: "Fran", Due: "2026-11-30"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{a.Actions[0].ID, a.Actions[1].ID}; got[0] != "A1" || got[1] != "A2" {
		t.Fatalf("ids %v", got)
	}
	done := a.Actions[0]
	done.Status = model.ActionDone
	if a, err = ana.UpdateAction(a.ID, done, "received"); err != nil {
		t.Fatal(err)
	}
	it := a.Actions[0]
	if it.Status != model.ActionDone || it.RaisedBy != "Fran Facilitator" || it.UpdatedBy != "Ana Ruiz" || it.Control != "GOV-01" {
		t.Fatalf("after done: %+v", it)
	}
	if _, err := db.UpdateAction(a.ID, model.ActionItem{ID: "A9", Text: "x", Owner: "y", Due: "2026-01-01", Status: model.ActionOpen}, ""); err == nil || !strings.Contains(err.Error(), "no action A9") {
		t.Errorf("an unknown action: %v", err)
	}
	for name, bad := range map[string]model.ActionItem{
		"no text":  {Owner: "x", Due: "2026-01-01"},
		"no owner": {Text: "x", Due: "2026-01-01"},
		"bad due":  {Text: "x", Owner: "y", Due: "1 Dec"},
	} {
		if _, err := db.RaiseAction(a.ID, bad, ""); err == nil {
			t.Errorf("%s: raised", name)
		}
	}
	h, _ := db.History(a.ID)
	var actors []string
	for _, e := range h {
		if e.Action == model.ActAction {
			actors = append(actors, e.Target+" "+e.Actor)
		}
	}
	if strings.Join(actors, "; ") != "action/A1 Fran Facilitator; action/A2 Ana Ruiz; action/A1 Ana Ruiz" {
		t.Errorf("trail: %v", actors)
	}
	if r := db.Verify(a.ID); r.Err != "" {
		t.Fatalf("verify: %+v", r)
	}

	b, err := db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	later := &clock{now: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)}
	other, err := Open(filepath.Join(t.TempDir(), "other.db"), Options{Actor: "importer", Now: later.Now, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, other)
	in, err := other.Import(b)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if len(in.Actions) != 2 || in.Actions[0].Status != model.ActionDone {
		t.Errorf("imported actions: %+v", in.Actions)
	}

	// Entries onus would not write, each re-hashed (and the bundle's
	// assessment rebuilt from them) so that only Step's rule can tell.
	forged := []struct {
		name  string
		nth   int // which action entry: 0 raises A1, 2 closes it
		edit  func(*model.ActionItem)
		finds string
	}{
		{"raised done", 0, func(it *model.ActionItem) { it.Status = model.ActionDone }, "entry 2: action action/A1: an action is raised open"},
		{"raised by another", 0, func(it *model.ActionItem) { it.RaisedBy = "Mallory" }, "entry 2: action action/A1: an action is raised by the entry's actor"},
		{"skips an id", 0, func(it *model.ActionItem) { it.ID = "A3" }, "raises A3 where the next action is A1"},
		{"an unknown control", 0, func(it *model.ActionItem) { it.Control = "NOPE-99" }, `unknown control "NOPE-99"`},
		{"a changed raiser", 2, func(it *model.ActionItem) { it.RaisedBy = "Ana Ruiz" }, "changes who raised A1"},
		{"a control moved", 2, func(it *model.ActionItem) { it.Control = "GOV-02" }, `moves A1 from control "GOV-01" to "GOV-02"`},
		{"changed by another", 2, func(it *model.ActionItem) { it.UpdatedBy = "Fran Facilitator" }, `changed by "Fran Facilitator" in an entry by "Ana Ruiz"`},
	}
	for _, f := range forged {
		bb := cloneBundle(t, b)
		i := indexOfAction(bb.Trail, f.nth)
		var it model.ActionItem
		if err := json.Unmarshal(bb.Trail[i].New, &it); err != nil {
			t.Fatal(err)
		}
		f.edit(&it)
		bb.Trail[i].New, _ = json.Marshal(it)
		bb.Trail[i].Target = "action/" + it.ID
		rehash(bb.Trail, i)
		if bb.Assessment, err = model.Replay(bb.Trail); err != nil {
			t.Fatal(err)
		}
		third, err := Open(filepath.Join(t.TempDir(), "third.db"), Options{Actor: "importer", Now: later.Now, Catalog: func() *model.Catalog { return cat }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := third.Import(bb); err == nil || !strings.Contains(err.Error(), f.finds) {
			t.Errorf("%s: %v, want the import refused: %s", f.name, err, f.finds)
		}
		mustClose(t, third)
	}
}

func indexOfAction(trail []model.AuditEntry, n int) int {
	for i, e := range trail {
		if e.Action == model.ActAction {
			if n == 0 {
				return i
			}
			n--
		}
	}
	panic("no such action entry")
}

func cloneBundle(t *testing.T, b model.Bundle) model.Bundle {
	t.Helper()
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var out model.Bundle
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// rehash recomputes the hashes from entry i on, as a forger would.
func rehash(trail []model.AuditEntry, i int) {
	for ; i < len(trail); i++ {
		if i > 0 {
			trail[i].PrevHash = trail[i-1].Hash
		}
		trail[i].Hash = trail[i].ComputeHash()
	}
}
