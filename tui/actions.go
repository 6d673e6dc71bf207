package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// actionsScreen is the parking lot: every action item of the assessment,
// open ones first, by due date or grouped by owner (b switches), filtered
// with /. a raises one about the assessment (on a question, about its
// control), enter edits the highlighted one, space closes or reopens it.
type actionsScreen struct {
	cursor  int
	byOwner bool
	filter  listFilter
	rows    int
	// sorted is the items in the order shown, for these items and order;
	// shown is what list last returned for them and the query: every key
	// asks for it several times, and typing narrows what the query before
	// kept.
	sorted struct {
		of      []model.ActionItem
		byOwner bool
		list    []model.ActionItem
	}
	shown struct {
		query string
		list  []model.ActionItem
	}
	narrow narrowing
}

// list is the items as shown: sorted, then filtered.
func (s *actionsScreen) list(m *Model) []model.ActionItem {
	sorted := s.inOrder(m.cur.Actions)
	query := strings.ToLower(s.filter.text())
	if !s.filter.active() || query == "" || len(sorted) == 0 {
		return sorted
	}
	if s.shown.list != nil && s.shown.query == query {
		return s.shown.list
	}
	terms := strings.Fields(query)
	rows := narrowRows(&s.narrow, sorted, func(it model.ActionItem) string {
		return strings.Join([]string{it.ID, it.Control, it.Owner, it.Due, string(it.Status), it.Text}, " ")
	}, query, func(text string) bool { return containsAll(text, terms) }, nil)
	items := make([]model.ActionItem, len(rows))
	for k, i := range rows {
		items[k] = sorted[i]
	}
	s.shown.query, s.shown.list = query, items
	return items
}

// inOrder is all by due date or by owner, sorted once per list of items.
func (s *actionsScreen) inOrder(all []model.ActionItem) []model.ActionItem {
	c := &s.sorted
	if len(c.of) == len(all) && len(all) > 0 && &c.of[0] == &all[0] && c.byOwner == s.byOwner {
		return c.list
	}
	sorted := model.ActionsByDue(all)
	if s.byOwner {
		sorted = model.ActionsByOwner(all)
	}
	c.of, c.byOwner, c.list = all, s.byOwner, sorted
	s.shown.list = nil // filtered from the list before
	return sorted
}

func (s *actionsScreen) current(m *Model) (model.ActionItem, bool) {
	list := s.list(m)
	if s.cursor < 0 || s.cursor >= len(list) {
		return model.ActionItem{}, false
	}
	return list[s.cursor], true
}

func (s *actionsScreen) typing() bool { return s.filter.on }

func (s *actionsScreen) place(m *Model) string {
	if it, ok := s.current(m); ok {
		return it.ID
	}
	return ""
}

func (s *actionsScreen) seek(m *Model, at string) {
	if i := slices.IndexFunc(s.list(m), func(it model.ActionItem) bool { return it.ID == at }); i >= 0 {
		s.cursor = i
	}
}

func (s *actionsScreen) setSize(_ *Model, w, h int) {
	s.filter.setWidth(w - 30)
	s.rows = max(1, h-9)
}

func (s *actionsScreen) back(*Model) bool { return false }

func (s *actionsScreen) actions(m *Model) []action {
	if m.cur == nil {
		return nil
	}
	k := m.keys
	keep := func(m *Model) { s.cursor = 0 }
	if s.filter.on {
		return s.filter.actions(m, keep)
	}
	acts := listKeys(k, &s.cursor, len(s.list(m)), s.rows, nil)
	acts = append(acts, editing(actAs(k.RaiseAction, "raise an action on the assessment", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
		return m.openActionForm("", "", nil, restored{})
	})))
	if it, ok := s.current(m); ok {
		next := "done"
		if it.Status == model.ActionDone {
			next = "open again"
		}
		acts = append(acts,
			editing(actAs(k.Open, "edit", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openActionForm(it.Control, it.ID, nil, restored{}) })),
			editing(actAs(k.Toggle, next, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
				changed := it
				changed.Status = model.ActionDone
				if it.Status == model.ActionDone {
					changed.Status = model.ActionOpen
				}
				return m.updateAction(it, changed, it.ID+" "+string(changed.Status))
			})),
		)
	}
	acts = append(acts,
		actAs(k.SortBy, map[bool]string{false: "by owner", true: "by due date"}[s.byOwner], func(*Model, tea.KeyPressMsg) tea.Cmd {
			s.byOwner, s.cursor = !s.byOwner, 0
			return nil
		}),
		s.filter.openAction(m),
	)
	if s.filter.active() {
		acts = append(acts, s.filter.clearAction(m, keep))
	}
	return acts
}

func (s *actionsScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	return s.filter.updateList(m, msg, &s.cursor)
}

func (s *actionsScreen) view(m *Model, hs *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	list := s.list(m)
	open := 0
	for _, it := range m.cur.Actions {
		if it.Status == model.ActionOpen {
			open++
		}
	}
	order := "by due date"
	if s.byOwner {
		order = "by owner"
	}
	head := st.Title.Render(fmt.Sprintf("Action items  %d open of %d", open, len(m.cur.Actions))) + st.Muted.Render("  "+order)
	if s.filter.active() {
		head += "  " + s.filter.view(m, w-40)
	}
	lines := []string{truncate(head, w, "…"), ""}
	if len(m.cur.Actions) == 0 {
		return strings.Join(append(lines, wrap("No action items yet. Raise one with a: here about the assessment as a whole, on a question about its control.", w)...), "\n")
	}
	const idW, stW, dueW, ownerW, aboutW = 5, 6, 10, 18, 10
	textW := max(0, w-2-idW-stW-dueW-ownerW-aboutW-5)
	row := func(id, status, due, owner, about, text string) string {
		return fmt.Sprintf("%-*s %-*s %-*s %-*s %-*s %s", idW, id, stW, status, dueW, due, ownerW, cell(owner, ownerW),
			aboutW, cell(about, aboutW), cell(text, textW))
	}
	lines = append(lines, st.Muted.Render("  "+row("ID", "STATUS", "DUE", "OWNER", "ABOUT", "WHAT")))
	const detailH = 5
	rows := max(1, h-len(lines)-detailH)
	today := m.now.Format(time.DateOnly)
	off := scrollOffset(s.cursor, 0, rows, len(list))
	for i := off; i < len(list) && i < off+rows; i++ {
		it := list[i]
		status := "open"
		switch {
		case it.Status == model.ActionDone:
			status = "✔ done"
		case it.Overdue(today):
			status = "LATE"
		}
		about := it.Control
		if about == "" {
			about = "assessment"
		}
		line := row(it.ID, status, it.Due, it.Owner, about, it.Text)
		if m.isDraft("action/" + it.ID) {
			line = "!" + line[1:]
		}
		i := i
		hs.row(len(lines), 0, w, func(m *Model) tea.Cmd { m.actionsV.cursor = i; return nil })
		switch {
		case i == s.cursor:
			lines = append(lines, st.Selected.Render(cell("▸ "+line, w)))
		case status == "LATE":
			lines = append(lines, st.Warn.Render(cell("  "+line, w)))
		default:
			lines = append(lines, cell("  "+line, w))
		}
	}
	if len(list) == 0 {
		lines = append(lines, st.Muted.Render("  nothing matches (esc clears the filter)"))
	}
	if len(list) > rows {
		lines = append(lines, st.Muted.Render(fmt.Sprintf("  items %d–%d of %d", off+1, min(len(list), off+rows), len(list))))
	}
	if it, ok := s.current(m); ok {
		lines = append(lines, "")
		about := "the assessment as a whole"
		if c, ok := m.catalog().Control(it.Control); ok {
			about = c.ID + " · " + c.Title
		}
		lines = append(lines, st.Title.Render(cell(it.ID+" · "+about, w)))
		lines = append(lines, wrap(it.Text, w)...)
		lines = append(lines, st.Muted.Render(cell(fmt.Sprintf("raised by %s %s · last changed by %s %s", it.RaisedBy,
			it.RaisedAt.Local().Format("2006-01-02 15:04"), it.UpdatedBy, it.UpdatedAt.Local().Format("2006-01-02 15:04")), w)))
	}
	return strings.Join(lines, "\n")
}

// controlActions are the lines the question's detail shows for the action
// items about its control.
func controlActions(m *Model, control string, w int) []string {
	var out []string
	for _, it := range model.ActionsByDue(m.cur.Actions) {
		if it.Control != control {
			continue
		}
		mark := "☐"
		if it.Status == model.ActionDone {
			mark = "✔"
		}
		out = append(out, cell(fmt.Sprintf("  %s %s %s · %s, due %s", mark, it.ID, it.Text, it.Owner, it.Due), w))
	}
	if len(out) > 0 {
		out = append([]string{fmt.Sprintf("Actions (%d):", len(out))}, out...)
	}
	return out
}

// raiseAction queues a new action item; the store gives it its id, the
// next one, as the screens already show it.
func (m *Model) raiseAction(it model.ActionItem) tea.Cmd {
	id := m.a.ID
	key := "action/" + m.cur.NextActionID()
	return m.apply(change{key: key, entry: key, what: "raised " + m.cur.NextActionID() + " " + it.Text, do: edit{
		apply: func(a *model.Assessment) {
			x := it
			x.ID, x.Status = a.NextActionID(), model.ActionOpen
			x.RaisedBy, x.UpdatedBy = m.cfg.Store.Actor(), m.cfg.Store.Actor()
			a.Actions = append(slices.Clone(a.Actions), x)
		},
		save: func(st Store, _, reason string) (model.Assessment, error) { return st.RaiseAction(id, it, reason) },
	}})
}

// updateAction queues a change of an action item's text, owner, due date
// or status; undo puts the old values back.
func (m *Model) updateAction(was, next model.ActionItem, what string) tea.Cmd {
	set := func(it model.ActionItem) edit {
		return edit{
			apply: func(a *model.Assessment) {
				a.Actions = slices.Clone(a.Actions)
				if i := slices.IndexFunc(a.Actions, func(x model.ActionItem) bool { return x.ID == it.ID }); i >= 0 {
					a.Actions[i] = it
				}
			},
			save: func(st Store, id, reason string) (model.Assessment, error) { return st.UpdateAction(id, it, reason) },
		}
	}
	key := "action/" + was.ID
	return m.apply(change{key: key, entry: key, what: what, do: set(next), undo: set(was)})
}

// actionForm raises an action item, or edits one: what, who, by when.
type actionForm struct {
	control string // "" for the assessment as a whole
	id      string // "" for a new item
	field   int
	inputs  [3]lineField // text, owner, due
	from    restored
}

const formAction = "action"

var actionLabels = [...]string{"What", "Owner", "Due (YYYY-MM-DD)"}

// openActionForm opens the form on a new item about control ("" for the
// assessment), or on item id; fields, when given, are a draft's.
func (m *Model) openActionForm(control, id string, fields []string, from restored) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	it := model.ActionItem{Control: control, Due: m.now.AddDate(0, 0, 7).Format(time.DateOnly)}
	if id != "" {
		held, ok := m.cur.Action(id)
		if !ok {
			return nil
		}
		it = held
	}
	d := &actionForm{control: it.Control, id: it.ID, from: from}
	for i, v := range []string{it.Text, it.Owner, it.Due} {
		limit := store.MaxTextBytes
		switch i {
		case 1:
			limit = store.MaxNameBytes
		case 2:
			limit = len("YYYY-MM-DD")
		}
		d.inputs[i] = newLineField(strings.Fields(actionLabels[i])[0], v, limit)
		if i < len(fields) {
			d.inputs[i].set(fields[i])
		}
	}
	m.openDialog(d)
	return d.inputs[0].focus()
}

func (d *actionForm) title() string {
	if d.id == "" {
		return "Raise an action item"
	}
	return "Action item " + d.id
}

func (d *actionForm) typing() bool { return true }

func (d *actionForm) setSize(_ *Model, w, _ int) {
	for i := range d.inputs {
		d.inputs[i].setWidth(w - 22)
	}
}

func (d *actionForm) changed() bool {
	return slices.ContainsFunc(d.inputs[:], func(f lineField) bool { return f.changed() })
}

func (d *actionForm) draft() *store.Draft {
	if !d.changed() {
		return nil
	}
	return &store.Draft{Form: formAction, Target: d.control + "#" + d.id, Fields: []string{d.inputs[0].text(), d.inputs[1].text(), d.inputs[2].text()}}
}

func (d *actionForm) focus(i int) tea.Cmd {
	for j := range d.inputs {
		d.inputs[j].blur()
	}
	d.field = (i + len(d.inputs)) % len(d.inputs)
	return d.inputs[d.field].focus()
}

func (d *actionForm) actions(m *Model) []action {
	k := m.keys
	return formFirst([]action{
		act(k.NextField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
		act(k.PrevField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
		act(k.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			it := model.ActionItem{ID: d.id, Control: d.control, Text: d.inputs[0].value(), Owner: d.inputs[1].value(),
				Due: d.inputs[2].value(), Status: model.ActionOpen}
			was, editing := m.cur.Action(d.id)
			if editing {
				it.Status = was.Status
			} else {
				it.ID = m.cur.NextActionID()
			}
			if err := model.ValidateAction(it); err != nil {
				m.flashError("NOT SAVED: " + err.Error())
				return nil
			}
			m.closeDialog()
			if !editing {
				return m.raiseAction(it)
			}
			if !d.changed() {
				return nil
			}
			next := was
			next.Text, next.Owner, next.Due = it.Text, it.Owner, it.Due
			return m.updateAction(was, next, d.id+" changed")
		}),
		m.cancelAction(d.changed()),
	})
}

func (d *actionForm) update(m *Model, msg tea.Msg) tea.Cmd { return d.inputs[d.field].update(m, msg) }

func (d *actionForm) view(m *Model, w, _ int) string {
	st := m.styles
	about := "About the assessment as a whole"
	if c, ok := m.catalog().Control(d.control); ok {
		about = "About " + c.ID + " · " + c.Title
	}
	lines := []string{st.Title.Render(cell(about, w))}
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	const labelW = 18
	for i, l := range actionLabels {
		cur := "  "
		if i == d.field {
			cur = st.Cursor.Render("▸ ")
		}
		lines = append(lines, fmt.Sprintf("%s%-*s %s", cur, labelW, l, d.inputs[i].view(w-labelW-3)))
	}
	return strings.Join(append(lines, st.Muted.Render("enter saves · tab next field · esc cancels")), "\n")
}
