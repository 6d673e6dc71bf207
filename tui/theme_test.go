package tui

import (
	"image/color"
	"path/filepath"
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// A fixed theme keeps its colours whatever the terminal says its
// background is, and does not ask; auto follows the answer.
func TestThemeFixesBackground(t *testing.T) {
	cat := testCatalog(t)
	db, err := store.Open(filepath.Join(t.TempDir(), "onus.db"), store.Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	asks := reflect.TypeOf(tea.RequestBackgroundColor())
	for _, c := range []struct {
		theme     string
		dark, ask bool
	}{{"light", false, false}, {"dark", true, false}, {"auto", true, true}, {"", true, true}} {
		m := New(Config{Catalog: func() *model.Catalog { return cat }, Store: db, Colour: true, Theme: c.theme, ExportDir: t.TempDir()})
		if m.isDark != c.dark {
			t.Errorf("theme %q starts dark=%v", c.theme, m.isDark)
		}
		asked := false
		if batch, ok := m.Init()().(tea.BatchMsg); ok {
			for _, cmd := range batch {
				if cmd != nil && reflect.TypeOf(cmd()) == asks {
					asked = true
				}
			}
		}
		if asked != c.ask {
			t.Errorf("theme %q asks the terminal's background: %v", c.theme, asked)
		}
		for _, bg := range []color.Color{color.White, color.Black} {
			m.Update(tea.BackgroundColorMsg{Color: bg})
			want := c.dark
			if c.ask {
				want = bg == color.Black
			}
			if m.isDark != want || m.styles.dark != want {
				t.Errorf("theme %q on a %v background: dark=%v", c.theme, bg, m.isDark)
			}
		}
	}
}
