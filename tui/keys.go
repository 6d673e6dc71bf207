package tui

import "charm.land/bubbles/v2/key"

// keyMap holds every binding; screens list the ones they honour for help.
type keyMap struct {
	Up, Down, Left, Right, PageUp, PageDown     key.Binding
	Enter, Back, Next, Prev, Filter, Help, Quit key.Binding
	Interrupt                                   key.Binding
	New, Duplicate, Delete, Export, Stacks      key.Binding
	Trail, Toggle, Yes, No                      key.Binding
	Status1, Status2, Status3, Status4, Status5 key.Binding
	Clear, NextUnanswered, Skip, Evidence, Note key.Binding
	Layers, Add, Remove, Edit, Sign, Workflow   key.Binding
	Override                                    key.Binding
	// In forms letters are text: fields move with the arrows and tab only.
	FieldUp, FieldDown, Choose key.Binding
	// Move is for help lines only: up and down in one entry.
	Move key.Binding
}

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Up:             b([]string{"up", "k"}, "↑/k", "up"),
		Down:           b([]string{"down", "j"}, "↓/j", "down"),
		Left:           b([]string{"left", "h"}, "←/h", "left"),
		Right:          b([]string{"right", "l"}, "→/l", "right"),
		PageUp:         b([]string{"pgup"}, "pgup", "page up"),
		PageDown:       b([]string{"pgdown"}, "pgdn", "page down"),
		Enter:          b([]string{"enter"}, "enter", "open/confirm"),
		Back:           b([]string{"esc"}, "esc", "back"),
		Next:           b([]string{"tab"}, "tab", "next step"),
		Prev:           b([]string{"shift+tab"}, "shift+tab", "previous step"),
		Filter:         b([]string{"/"}, "/", "filter"),
		Help:           b([]string{"?"}, "?", "help"),
		Quit:           b([]string{"q"}, "q", "quit"),
		Interrupt:      b([]string{"ctrl+c"}, "ctrl+c", "quit now"),
		New:            b([]string{"n"}, "n", "new"),
		Duplicate:      b([]string{"D"}, "D", "duplicate"),
		Delete:         b([]string{"d", "delete"}, "d", "delete"),
		Export:         b([]string{"x"}, "x", "export"),
		Stacks:         b([]string{"v"}, "v", "view stacks"),
		Trail:          b([]string{"t"}, "t", "audit trail"),
		Toggle:         b([]string{"space"}, "space", "toggle"),
		Yes:            b([]string{"y"}, "y", "yes"),
		No:             b([]string{"n", "esc"}, "n", "no"),
		Status1:        b([]string{"1"}, "1", "implemented"),
		Status2:        b([]string{"2"}, "2", "partial"),
		Status3:        b([]string{"3"}, "3", "planned"),
		Status4:        b([]string{"4"}, "4", "not implemented"),
		Status5:        b([]string{"5"}, "5", "not applicable"),
		Clear:          b([]string{"0"}, "0", "clear answer"),
		NextUnanswered: b([]string{"u"}, "u", "next unanswered"),
		Skip:           b([]string{"s"}, "s", "skip"),
		Evidence:       b([]string{"e"}, "e", "evidence"),
		Note:           b([]string{"o"}, "o", "notes"),
		Layers:         b([]string{"L"}, "L", "layers"),
		Add:            b([]string{"a"}, "a", "add"),
		Remove:         b([]string{"x", "delete"}, "x", "remove"),
		Edit:           b([]string{"enter"}, "enter", "edit"),
		Sign:           b([]string{"S"}, "S", "sign off"),
		Workflow:       b([]string{"w"}, "w", "workflow"),
		Override:       b([]string{"O"}, "O", "override a layer"),
		FieldUp:        b([]string{"up"}, "↑", "previous field"),
		FieldDown:      b([]string{"down"}, "↓", "next field"),
		Choose:         b([]string{"left", "right"}, "←/→", "choose"),
		Move:           b([]string{"up", "down", "k", "j"}, "↑↓/jk", "move"),
	}
}
