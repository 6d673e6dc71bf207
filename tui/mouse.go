package tui

import (
	tea "charm.land/bubbletea/v2"
)

// The mouse: a click selects the row or the step under it, the wheel
// scrolls the pane under it (or moves the list's cursor). Capture is on
// unless Config.NoMouse; m turns it off, so that the terminal selects text
// (a path, a hash) as it does without the wizard, and on again.
//
// Views mark where clicks go while they draw (hits); a click draws the
// frame again to find what is under it, so the answer is always about
// the screen as the user saw it, and View keeps no state.

type zone struct {
	y0, y1, x0, x1 int // [y0,y1) × [x0,x1) in screen cells
	click          func(m *Model) tea.Cmd
	wheel          func(m *Model, delta int) tea.Cmd
	opaque         bool // hides the zones under it (a dialog's box)
}

// hits records zones while a view draws; a nil *hits records nothing,
// which is what View passes.
type hits struct {
	zones  *[]zone
	dx, dy int
}

func newHits() *hits { return &hits{zones: new([]zone)} }

// at is a recorder for an area drawn at (dx, dy) inside this one.
func (h *hits) at(dx, dy int) *hits {
	if h == nil {
		return nil
	}
	return &hits{zones: h.zones, dx: h.dx + dx, dy: h.dy + dy}
}

// row makes line y, cells [x0, x1), act on a click.
func (h *hits) row(y, x0, x1 int, click func(m *Model) tea.Cmd) {
	if h != nil {
		*h.zones = append(*h.zones, zone{y0: h.dy + y, y1: h.dy + y + 1, x0: h.dx + x0, x1: h.dx + x1, click: click})
	}
}

// pane makes lines [y0, y1), cells [x0, x1), scroll with the wheel.
func (h *hits) pane(y0, y1, x0, x1 int, wheel func(m *Model, delta int) tea.Cmd) {
	if h != nil {
		*h.zones = append(*h.zones, zone{y0: h.dy + y0, y1: h.dy + y1, x0: h.dx + x0, x1: h.dx + x1, wheel: wheel})
	}
}

func (h *hits) cover(y0, y1, x0, x1 int) {
	if h != nil {
		*h.zones = append(*h.zones, zone{y0: h.dy + y0, y1: h.dy + y1, x0: h.dx + x0, x1: h.dx + x1, opaque: true})
	}
}

// wheelStep is how many rows one notch of the wheel moves.
const wheelStep = 3

// pointer handles a click or a turn of the wheel.
func (m *Model) pointer(msg tea.MouseMsg) tea.Cmd {
	mo := msg.Mouse()
	_, zones := m.frame(true)
	var z *zone
	for i := len(zones) - 1; i >= 0; i-- {
		c := &zones[i]
		if mo.Y >= c.y0 && mo.Y < c.y1 && mo.X >= c.x0 && mo.X < c.x1 {
			if _, isWheel := msg.(tea.MouseWheelMsg); c.opaque || c.click != nil && !isWheel || c.wheel != nil && isWheel {
				z = c
				break
			}
		}
	}
	switch msg.(type) {
	case tea.MouseClickMsg:
		if mo.Button != tea.MouseLeft || z == nil || z.click == nil {
			return nil
		}
		m.flash, m.settled = "", true
		return z.click(m)
	case tea.MouseWheelMsg:
		delta := wheelStep
		switch mo.Button {
		case tea.MouseWheelUp:
			delta = -wheelStep
		case tea.MouseWheelDown:
		default:
			return nil
		}
		if z != nil && z.wheel != nil {
			return z.wheel(m, delta)
		}
		if z != nil || m.typing() {
			return nil
		}
		// Elsewhere the wheel moves the list's cursor, as ↑ and ↓ do.
		k := tea.KeyPressMsg{Code: tea.KeyDown}
		if delta < 0 {
			k = tea.KeyPressMsg{Code: tea.KeyUp}
		}
		var cmds []tea.Cmd
		for range wheelStep {
			cmds = append(cmds, m.key(k))
		}
		return tea.Batch(cmds...)
	}
	return nil
}

func (m *Model) toggleMouse() {
	m.mouse = !m.mouse
	if m.mouse {
		m.setStatus("mouse on: click a row or a step, the wheel scrolls (m turns it off to select text)")
	} else {
		m.setStatus("mouse off: the terminal selects text again (m turns clicks and the wheel back on)")
	}
}
