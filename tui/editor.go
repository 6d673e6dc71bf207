package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/onus-gxp/onus/internal/safetext"
)

// Text fields. Both kinds keep the stored value they were opened with and
// hand it back untouched unless the user changed the text, so opening a
// field and saving never alters what is stored (a stored tab, a control
// character or a line break in a one-line field stays as it is). Their
// limits are the store's, in bytes, checked before a key or a paste goes
// in: what does not fit is refused with a message naming the field and the
// limit, never cut.

// lineField is one line of text that scrolls with its cursor.
type lineField struct {
	label string
	limit int    // bytes
	orig  string // the stored value
	shown string // what the field showed when opened
	in    textinput.Model
}

func newLineField(label, value string, limit int) lineField {
	in := textinput.New()
	in.Prompt = ""
	st := in.Styles()
	st.Cursor.Blink = false // steady: no timer to redraw for, calmer on a projector
	in.SetStyles(st)
	in.SetValue(safetext.Line(value)) // stored text may hold anything: shown safe, kept as it is unless edited
	f := lineField{label: label, limit: limit, orig: value, in: in}
	f.shown = f.in.Value()
	return f
}

func (f *lineField) focus() tea.Cmd { return f.in.Focus() }
func (f *lineField) blur()          { f.in.Blur() }
func (f *lineField) text() string   { return f.in.Value() }
func (f *lineField) changed() bool  { return f.in.Value() != f.shown }

// value is the stored value when unchanged, else the text trimmed.
func (f *lineField) value() string {
	if !f.changed() {
		return f.orig
	}
	return strings.TrimSpace(f.in.Value())
}

// set replaces the text (a restored draft).
func (f *lineField) set(s string) {
	f.in.SetValue(s)
	f.in.CursorEnd()
}

// setWidth gives the field w cells (the cursor at the end takes one).
func (f *lineField) setWidth(w int) { f.in.SetWidth(max(1, w-1)) }

func (f *lineField) update(m *Model, msg tea.Msg) tea.Cmd {
	if refused := checkInsert(m, f.label, len(f.in.Value()), f.limit, msg); refused {
		return nil
	}
	var cmd tea.Cmd
	f.in, cmd = f.in.Update(msg)
	return cmd
}

// view is the field: the input when focused, else its text in one line.
func (f *lineField) view(w int) string {
	if f.in.Focused() {
		return f.in.View()
	}
	return cell(f.in.Value(), w)
}

// textField is several lines of text (notes, justifications), sized to
// the screen; enter saves the form, ctrl+j (or alt+enter, or shift+enter
// where the terminal tells it apart) starts a new line.
type textField struct {
	label string
	limit int
	orig  string
	shown string
	ta    textarea.Model
	// cut is set when the editor could not hold the stored text as it is
	// (more lines than it takes): the form refuses to open.
	cut bool
	// altered is set when it holds it with changes (a tab shown as
	// spaces, a control character dropped), which saving an edit keeps.
	altered bool
}

func newTextField(label, value string, limit int, st Styles) textField {
	ta := textarea.New()
	ta.Prompt = "│ "
	ta.ShowLineNumbers = false
	ta.CharLimit = 0 // the byte limit is checked here, not cut there
	ta.MaxHeight = 0
	ta.MaxWidth = 0
	ta.EndOfBufferCharacter = ' '
	ts := textarea.DefaultStyles(st.dark)
	if !st.colour {
		plain := lipgloss.NewStyle()
		ts.Focused = textarea.StyleState{Base: plain, Text: plain, Prompt: plain, CursorLine: plain, Placeholder: plain, EndOfBuffer: plain}
		ts.Blurred = ts.Focused
	}
	ts.Cursor.Blink = false
	ta.SetStyles(ts)
	ta.KeyMap.InsertNewline.SetKeys("ctrl+j", "alt+enter", "shift+enter")
	ta.SetValue(safetext.Clean(value)) // stored text may hold anything: shown safe, kept as it is unless edited
	f := textField{label: label, limit: limit, orig: value, ta: ta}
	f.shown = ta.Value()
	if f.shown != value {
		f.cut = strings.Count(value, "\n") != strings.Count(f.shown, "\n")
		f.altered = !f.cut
	}
	// The cursor at the end: a note grows by what the workshop adds.
	ta.MoveToEnd()
	f.ta = ta
	return f
}

func (f *textField) focus() tea.Cmd { return f.ta.Focus() }
func (f *textField) text() string   { return f.ta.Value() }
func (f *textField) changed() bool  { return f.ta.Value() != f.shown }

func (f *textField) value() string {
	if !f.changed() {
		return f.orig
	}
	return strings.TrimSpace(f.ta.Value())
}

func (f *textField) set(s string) {
	f.ta.SetValue(s)
}

func (f *textField) setSize(w, h int) {
	f.ta.SetWidth(max(4, w))
	f.ta.SetHeight(max(1, h))
}

func (f *textField) update(m *Model, msg tea.Msg) tea.Cmd {
	if refused := checkInsert(m, f.label, len(f.ta.Value()), f.limit, msg); refused {
		return nil
	}
	var cmd tea.Cmd
	f.ta, cmd = f.ta.Update(msg)
	return cmd
}

// position says where the cursor is in a text longer than the editor.
func (f *textField) position() string {
	n := f.ta.LineCount()
	if n <= f.ta.Height() {
		return fmt.Sprintf("%d bytes of %s", len(f.ta.Value()), size(f.limit))
	}
	return fmt.Sprintf("line %d of %d · %d bytes of %s", f.ta.Line()+1, n, len(f.ta.Value()), size(f.limit))
}

func (f *textField) view() string { return f.ta.View() }

// checkInsert refuses a key or a paste that would take a field of used
// bytes past its limit, and says so; it reports whether it refused.
func checkInsert(m *Model, label string, used, limit int, msg tea.Msg) bool {
	var add, what string
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		add, what = msg.Text, "typed"
	case tea.PasteMsg:
		add, what = msg.Content, "pasted"
	default:
		return false
	}
	// A tab becomes spaces in the editor: count what will be stored.
	n := len(add) + 3*strings.Count(add, "\t")
	if n == 0 || used+n <= limit {
		return false
	}
	if what == "typed" {
		m.flashError(fmt.Sprintf("%s is full: %s is the limit (%d bytes)", label, size(limit), limit))
	} else {
		m.flashError(fmt.Sprintf("NOT PASTED: %d bytes would make %s %d bytes; the limit is %s (%d bytes). Nothing was inserted.",
			n, label, used+n, size(limit), limit))
	}
	return true
}

// size is a byte count for people: 200 bytes, 64 KiB.
func size(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d bytes", n)
}

// normalisePaste turns a paste's line endings into newlines (a terminal
// sends the clipboard's CRLF as CR) and its controls into visible
// placeholders.
func normalisePaste(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return safetext.Clean(s)
}
