package tui

import (
	"image/color"
	"math"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/onus-gxp/onus/model"
)

// luminance is WCAG 2.x relative luminance.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Every colour pair the projector theme uses reads at 7:1 or better
// (WCAG AAA), on the light background and on the dark one.
func TestProjectorContrast(t *testing.T) {
	if c := contrast(lipgloss.Color("#777777"), lipgloss.Color("#FFFFFF")); c > 4.5 || c < 4.4 {
		t.Fatalf("the contrast of #777 on white is %.2f, WCAG says 4.48", c)
	}
	for _, dark := range []bool{false, true} {
		p := projectorColours(dark)
		for name, i := range p.pairs() {
			if c := contrast(lipgloss.Color(i.fg), lipgloss.Color(i.bg)); c < 7 {
				t.Errorf("dark=%v %s: %s on %s is %.2f:1, below 7:1", dark, name, i.fg, i.bg, c)
			}
		}
		// The styles use the palette's colours and nothing else, and the
		// wizard sets the background they were measured on.
		var st Styles
		st.buildProjector(dark, true)
		bg, fg := st.screenColours()
		if bg != lipgloss.Color(p.Text.bg) || fg != lipgloss.Color(p.Text.fg) {
			t.Errorf("dark=%v: screen colours %v %v", dark, bg, fg)
		}
		used := map[[3]uint32]bool{}
		for _, i := range p.pairs() {
			used[rgb(lipgloss.Color(i.fg))], used[rgb(lipgloss.Color(i.bg))] = true, true
		}
		for _, s := range append([]lipgloss.Style{st.Header, st.Crumb, st.CrumbActive, st.Title, st.Muted, st.Selected, st.Cursor,
			st.Saved, st.NotSaved, st.Error, st.Warn, st.Help.Key, st.Help.Desc,
			st.Stacks.Customer, st.Stacks.Shared, st.Stacks.AWS, st.Stacks.Line, st.Stacks.Muted, st.Stacks.Title},
			st.Owner[model.Customer], st.Owner[model.Shared], st.Owner[model.Inherited]) {
			for _, c := range []color.Color{s.GetForeground(), s.GetBackground()} {
				if _, none := c.(lipgloss.NoColor); none || c == nil {
					continue
				}
				if !used[rgb(c)] {
					t.Errorf("dark=%v: a style uses %v, which is not in the palette", dark, c)
				}
			}
		}
	}
}

// P toggles projector mode: the list narrows, the question comes first in
// bold, and the terminal's colours are set; --theme projector starts in it.
func TestProjectorToggle(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.workshop()
	if h.m.screen != screenQuestions {
		t.Fatalf("screen %d", h.m.screen)
	}
	normal := h.view()
	h.press("P")
	if !h.m.projector || !h.m.styles.projector {
		t.Fatal("P did not turn projector mode on")
	}
	proj := h.view()
	if normal == proj {
		t.Error("the layout did not change")
	}
	// The question comes before the clauses, in projector mode only.
	q := h.m.catalog()
	c, _ := q.Control(h.m.questions.current())
	first := strings.Fields(c.Question)[0]
	ref := c.Refs[0].String()
	if strings.Index(proj, first) > strings.Index(proj, ref) || strings.Index(normal, first) < strings.Index(normal, ref) {
		t.Errorf("question and clauses in the wrong order:\n%s\n%s", normal, proj)
	}
	if w := h.m.questions.listWidth(h.m, 100); w != 25 {
		t.Errorf("list width %d in projector mode", w)
	}
	h.press("P")
	if h.m.projector || h.view() != normal {
		t.Error("P did not turn projector mode off")
	}
	m := New(Config{Theme: ThemeProjector, Store: h.m.cfg.Store, Catalog: h.m.cfg.Catalog, Now: h.m.cfg.Now})
	if !m.projector {
		t.Error("Theme projector does not start in projector mode")
	}
	var _ tea.Model = m
}

func rgb(c color.Color) [3]uint32 {
	r, g, b, _ := c.RGBA()
	return [3]uint32{r, g, b}
}
