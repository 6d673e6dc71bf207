package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Keys are data. Every binding below has one meaning wherever it works;
// a screen, a dialog or a form offers the ones that act there as a list of
// actions (key + what it does), and that one list drives the dispatch, the
// footer and the help overlay, so they cannot disagree.
//
// To add a key: add its binding here (check that no other binding uses the
// key in the same context: TestKeysHaveOneMeaning does), then list an
// action with it in the screen's or dialog's actions.
type keyMap struct {
	// Moving in a list or a pane.
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Move                                    key.Binding // help only: ↑↓ and j/k
	ScrollUp, ScrollDown                    key.Binding // a second pane (the question's detail)

	// Everywhere outside a text field.
	Help, Quit, Back, NextStep, PrevStep, Jump, Filter    key.Binding
	Undo, Mouse, Stacks, Trail, Register, Export, Compare key.Binding
	ImportPack                                            key.Binding // a filled prep pack back
	Interrupt                                             key.Binding // also inside text fields
	// The facilitator of onus serve: follow me / release, lock answering,
	// admit a refused key (and, in its dialog, dismiss it).
	FollowMe, Lock, Admit, Dismiss key.Binding

	// On the highlighted row.
	Open, Toggle, New, Delete, Duplicate key.Binding

	// Questions.
	Status, NotApplicable, Clear, NextUnanswered, Skip, Evidence, Notes, Layers key.Binding
	// Review and services.
	Sign, Workflow, Reopen, Milestone, Override, GAMP, FromIaC key.Binding
	// Action items: raise one (on a question, about its control), the
	// list of them, and its order.
	RaiseAction, Actions, SortBy key.Binding
	// Projector mode on and off.
	Projector key.Binding

	// Dialogs and forms. Inside a text field letters are text: only these
	// act, and f1 is help.
	Yes, No, Save, Cancel, NextField, PrevField, Choose, Newline, FormHelp key.Binding
	// TakeTheirs puts another person's saved values into a form edited
	// while they saved (onus serve).
	TakeTheirs key.Binding
}

// pages and ends stand for pgup/pgdn and g/G together in the help.
var (
	pages = key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", ""))
	ends  = key.NewBinding(key.WithKeys("g", "G", "home", "end"), key.WithHelp("g/G", ""))
)

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Up:         b([]string{"up", "k"}, "↑/k", "up"),
		Down:       b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:     b([]string{"pgup"}, "pgup", "page up"),
		PageDown:   b([]string{"pgdown"}, "pgdn", "page down"),
		Top:        b([]string{"g", "home"}, "g/home", "first"),
		Bottom:     b([]string{"G", "end"}, "G/end", "last"),
		Move:       b([]string{"up", "down", "k", "j"}, "↑↓/jk", "move"),
		ScrollUp:   b([]string{"K", "shift+up"}, "K", "scroll up"),
		ScrollDown: b([]string{"J", "shift+down"}, "J", "scroll down"),

		Help:       b([]string{"?", "f1"}, "?", "help"),
		Quit:       b([]string{"q"}, "q", "quit"),
		Back:       b([]string{"esc"}, "esc", "back"),
		NextStep:   b([]string{"tab"}, "tab", "next step"),
		PrevStep:   b([]string{"shift+tab"}, "shift+tab", "previous step"),
		Jump:       b([]string{":", "ctrl+k"}, ":", "jump to…"),
		Filter:     b([]string{"/"}, "/", "filter"),
		Undo:       b([]string{"ctrl+z"}, "ctrl+z", "undo my last change"),
		Mouse:      b([]string{"m"}, "m", "mouse on/off"),
		Stacks:     b([]string{"v"}, "v", "stacks"),
		Trail:      b([]string{"t"}, "t", "audit trail"),
		Register:   b([]string{"r"}, "r", "evidence register"),
		Export:     b([]string{"x"}, "x", "export"),
		ImportPack: b([]string{"I"}, "I", "import a filled prep pack…"),
		Compare:    b([]string{"c"}, "c", "compare two points"),
		FollowMe:   b([]string{"ctrl+f"}, "ctrl+f", "follow me / release"),
		Lock:       b([]string{"ctrl+l"}, "ctrl+l", "lock / unlock answering"),
		Admit:      b([]string{"ctrl+a"}, "ctrl+a", "admit a refused key…"),
		Dismiss:    b([]string{"ctrl+x"}, "ctrl+x", "dismiss the key"),
		Interrupt:  b([]string{"ctrl+c"}, "ctrl+c", "quit now"),

		Open:      b([]string{"enter"}, "enter", "open"),
		Toggle:    b([]string{"space"}, "space", "toggle"),
		New:       b([]string{"n"}, "n", "new"),
		Delete:    b([]string{"d", "delete"}, "d", "delete"),
		Duplicate: b([]string{"D"}, "D", "duplicate"),

		Status:         b([]string{"1", "2", "3", "4"}, "1-4", "status"),
		NotApplicable:  b([]string{"5"}, "5", "n/a…"),
		Clear:          b([]string{"0"}, "0", "clear the answer"),
		NextUnanswered: b([]string{"u"}, "u", "next unanswered"),
		Skip:           b([]string{"s"}, "s", "skip"),
		Evidence:       b([]string{"e"}, "e", "evidence"),
		Notes:          b([]string{"o"}, "o", "notes"),
		Layers:         b([]string{"L"}, "L", "layers"),

		Sign:      b([]string{"S"}, "S", "sign…"),
		Workflow:  b([]string{"w"}, "w", "draft ↔ in review"),
		Reopen:    b([]string{"R"}, "R", "reopen…"),
		Milestone: b([]string{"M"}, "M", "milestone…"),
		Override:  b([]string{"O"}, "O", "override a layer"),
		GAMP:      b([]string{"C"}, "C", "GAMP category"),
		FromIaC:   b([]string{"i"}, "i", "from IaC files…"),

		RaiseAction: b([]string{"a"}, "a", "raise an action item"),
		Actions:     b([]string{"A"}, "A", "action items"),
		SortBy:      b([]string{"b"}, "b", "sort"),
		Projector:   b([]string{"P"}, "P", "projector mode"),

		Yes:       b([]string{"y"}, "y", "yes"),
		No:        b([]string{"n", "esc"}, "n/esc", "no"),
		Save:      b([]string{"enter"}, "enter", "save"),
		Cancel:    b([]string{"esc"}, "esc", "cancel"),
		NextField: b([]string{"tab", "down"}, "tab/↓", "next field"),
		PrevField: b([]string{"shift+tab", "up"}, "shift+tab/↑", "previous field"),
		Choose:    b([]string{"left", "right"}, "←/→", "choose"),
		Newline:   b([]string{"ctrl+j", "alt+enter", "shift+enter"}, "ctrl+j", "new line"),
		FormHelp:  b([]string{"f1"}, "f1", "help"),

		TakeTheirs: b([]string{"ctrl+o"}, "ctrl+o", "take theirs"),
	}
}

// An action is what one binding does in one place. A nil do lists the
// binding in the help without acting on it (keys another binding
// handles, as ↑↓ next to the separate up and down actions). brief keeps it
// off the footer, which has room for the main ones only.
type action struct {
	key   key.Binding
	do    func(m *Model, k tea.KeyPressMsg) tea.Cmd
	brief bool
	// hide keeps it out of the help too: another entry there covers it
	// (↑↓/jk for up and down).
	hide bool
	// edits: it changes the open assessment, so it is refused, with the
	// reason, while the assessment is read-only (final, or failing its
	// integrity check), and the footer leaves it out.
	edits bool
}

// act is an action with the binding's own help.
func act(b key.Binding, do func(m *Model, k tea.KeyPressMsg) tea.Cmd) action {
	return action{key: b, do: do}
}

// actAs is an action whose help says what the key does here ("enter"
// opens a gap on the review, edits a record on the supplier step).
func actAs(b key.Binding, desc string, do func(m *Model, k tea.KeyPressMsg) tea.Cmd) action {
	b.SetHelp(b.Help().Key, desc)
	return action{key: b, do: do}
}

// helpOnly lists a binding in the help and the footer without acting.
func helpOnly(b key.Binding, desc string) action {
	b.SetHelp(b.Help().Key, desc)
	return action{key: b}
}

// quiet keeps an action off the footer; the help still lists it.
func quiet(a action) action {
	a.brief = true
	return a
}

// editing marks an action that changes the open assessment.
func editing(a action) action {
	a.edits = true
	return a
}

// hidden keeps an action off the footer and the help.
func hidden(a action) action {
	a.brief, a.hide = true, true
	return a
}

// formFirst orders a form's actions for the footer: enter (save) and esc
// (cancel) first, what moves between fields after.
func formFirst(acts []action) []action {
	first := func(a action) bool {
		for _, k := range a.key.Keys() {
			if k == "enter" || k == "esc" {
				return true
			}
		}
		return false
	}
	out := make([]action, 0, len(acts))
	for _, a := range acts {
		if first(a) {
			out = append(out, a)
		}
	}
	for _, a := range acts {
		if !first(a) {
			out = append(out, a)
		}
	}
	return out
}

// run does the first action whose binding matches the key; one that
// edits a read-only assessment says why it cannot instead.
func run(m *Model, actions []action, k tea.KeyPressMsg) (tea.Cmd, bool) {
	for _, a := range actions {
		if a.do != nil && key.Matches(k, a.key) {
			if why := m.readOnly(); a.edits && why != "" {
				m.flashError(why)
				return nil, true
			}
			return a.do(m, k), true
		}
	}
	return nil, false
}

// listKeys are the moves of a list of n rows whose cursor is *cur; page
// rows make a page. Every list offers them, so ↑↓, j/k, pgup/pgdn, g/G
// and home/end work alike everywhere.
func listKeys[T ~int](km keyMap, cur *T, n, page int, moved func(m *Model)) []action {
	step := func(d int) func(*Model, tea.KeyPressMsg) tea.Cmd {
		return func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			*cur = T(max(0, min(n-1, int(*cur)+d)))
			if moved != nil {
				moved(m)
			}
			return nil
		}
	}
	page = max(1, page)
	return []action{
		helpOnly(km.Move, "move"),
		hidden(act(km.Up, step(-1))), hidden(act(km.Down, step(+1))),
		quiet(helpOnly(pages, "a page up or down")),
		hidden(act(km.PageUp, step(-page))), hidden(act(km.PageDown, step(+page))),
		quiet(helpOnly(ends, "the first or the last")),
		hidden(act(km.Top, step(-n))), hidden(act(km.Bottom, step(+n))),
	}
}

// fieldKeys are the keys that move between a form's fields: tab and ↓ /
// shift+tab and ↑, or only tab and shift+tab in a multi-line text, where
// ↑↓ move in the text.
func (k keyMap) fieldKeys(inText bool) (next, prev key.Binding) {
	next, prev = k.NextField, k.PrevField
	if inText {
		next.SetKeys("tab")
		next.SetHelp("tab", "next field")
		prev.SetKeys("shift+tab")
		prev.SetHelp("shift+tab", "previous field")
	}
	return next, prev
}
