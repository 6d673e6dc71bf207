package tui

import (
	"errors"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/store"
)

// damagedLater is a store whose background check finds damage after the
// list was shown.
type damagedLater struct{ *store.DB }

func (damagedLater) Checked() error { return errors.New("page 42 is referenced twice") }

func TestBackgroundCheckVerdictStaysOnScreen(t *testing.T) {
	h := newHarnessWith(t, 100, 30, func(db *store.DB) Store { return damagedLater{db} }, nil)
	want := "database damaged, nothing more can be saved: page 42 is referenced twice"
	if !strings.Contains(h.view(), want) {
		t.Fatalf("no damage message on the home screen:\n%s", h.view())
	}
	h.press("n")
	h.typeText("LIMS")
	h.press("enter")
	if !strings.Contains(h.view(), want) {
		t.Fatalf("the damage message went away:\n%s", h.view())
	}
}

func TestSoundFileShowsNoVerdict(t *testing.T) {
	h := newHarness(t, 100, 30)
	if strings.Contains(h.view(), "damaged") {
		t.Fatalf("a sound file is reported damaged:\n%s", h.view())
	}
}
