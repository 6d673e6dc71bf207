package tui

import (
	"fmt"
	"testing"

	"charm.land/bubbles/v2/key"
)

// The footer's items are rendered once per pair and styles: what the
// memo gives back is the render itself, and a rebuild for the other
// background, or for the projector, renders them anew in its colours.
func TestHelpItemsFollowTheStyles(t *testing.T) {
	h := key.Help{Key: "enter", Desc: "open"}
	direct := func(st *Styles) string { return st.Help.Key.Render(h.Key) + " " + st.Help.Desc.Render(h.Desc) }
	var st Styles
	st.build(true, true)
	dark := st.helpItem(h)
	if dark != direct(&st) || st.helpItem(h) != dark {
		t.Fatalf("dark: %q, want %q", dark, direct(&st))
	}
	for _, rebuild := range []struct {
		name  string
		build func()
	}{
		{"light", func() { st.build(false, true) }},
		{"projector", func() { st.buildProjector(true, true) }},
	} {
		rebuild.build()
		if got := st.helpItem(h); got != direct(&st) || got == dark {
			t.Errorf("after the %s rebuild: %q, want %q (the dark one was %q)", rebuild.name, got, direct(&st), dark)
		}
	}
}

// A screen that made up a new description on every frame would not grow
// the memo without end.
func TestHelpItemsAreBounded(t *testing.T) {
	var st Styles
	st.build(true, true)
	for i := range 3 * maxHelpItems {
		h := key.Help{Key: "x", Desc: fmt.Sprintf("item %d", i)}
		if got, want := st.helpItem(h), st.Help.Key.Render(h.Key)+" "+st.Help.Desc.Render(h.Desc); got != want {
			t.Fatalf("item %d: %q, want %q", i, got, want)
		}
		if len(st.helpItems) > maxHelpItems {
			t.Fatalf("%d items kept after %d asked for, bound %d", len(st.helpItems), i+1, maxHelpItems)
		}
	}
}
