package store

import (
	"path/filepath"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Commits moves with every write transaction on the file, through any
// handle on it and whichever way the file was opened, and not with reads:
// the wizard uses it to tell whether a copy it read ahead is still what
// the file holds (tui/prefetch.go).
func TestCommitsCountEveryWriteAndNoRead(t *testing.T) {
	for _, opt := range []Options{{}, {CheckAsRead: true}, {BackgroundCheck: true, CheckAsRead: true}} {
		opt.Actor, opt.Now = "Ann", newClock().Now
		db, err := Open(filepath.Join(t.TempDir(), "onus.db"), opt)
		if err != nil {
			t.Fatal(err)
		}
		defer mustClose(t, db)
		moved := func(what string, do func() error) {
			t.Helper()
			before := db.Commits()
			if err := do(); err != nil {
				t.Fatalf("%+v: %s: %v", opt, what, err)
			}
			if db.Commits() == before {
				t.Errorf("%+v: %s did not move Commits", opt, what)
			}
		}
		var a model.Assessment
		moved("a creation", func() (err error) { a, err = db.Create(model.Assessment{Name: "LIMS"}); return err })
		moved("an answer", func() error {
			_, err := db.Answer(a.ID, model.Answer{Control: "GOV-01", Status: model.StatusPartial}, "")
			return err
		})
		moved("the wizard's state", func() error { return db.SetWizardState(a.ID, WizardState{Step: "Questions"}) })
		moved("another actor's change", func() error {
			_, err := db.As("Bob").Answer(a.ID, model.Answer{Control: "GOV-02", Status: model.StatusPlanned}, "")
			return err
		})
		moved("a lent handle's change", func() error {
			_, err := db.Lend("Carol", nil).UpdateInfo(a.ID, model.Info{Name: "LIMS 2"}, "")
			return err
		})
		before := db.Commits()
		if _, err := db.Get(a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WizardState(a.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Check(a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.List(false); err != nil {
			t.Fatal(err)
		}
		if db.Commits() != before {
			t.Errorf("%+v: reads moved Commits from %d to %d", opt, before, db.Commits())
		}
	}
}
