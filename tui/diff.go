package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// diffScreen compares two points of the open assessment (now, a
// milestone, a time) or the assessment and the baseline it was duplicated
// from: scope, services and overrides, the ownership changes they cause,
// answers, supplier records and sign-offs. The store computes the diff in
// a command each time a side changes.
type diffScreen struct {
	plainScreen
	side    int       // the side ←/→ changes: 0 from, 1 to
	choice  [2]string // the spec of each side ("" until first shown)
	times   [2]string // a time typed for each side, kept among its choices
	diff    *model.Diff
	err     string
	scroll  int
	rows    int
	editing bool // a time is being typed for the side
	timeIn  lineField
}

// diffMsg is a diff computed, for the two specs it was asked for.
type diffMsg struct {
	specs [2]string
	d     model.Diff
	err   error
}

// pointChoice is one point a side can show.
type pointChoice struct {
	label, spec string
}

// points are the choices of a side: now, each milestone (newest first),
// a time typed for it, and the baseline this assessment was duplicated
// from.
func (d *diffScreen) points(m *Model, side int) []pointChoice {
	a := m.cur
	out := []pointChoice{{"now", a.ID}}
	for i := len(a.Milestones) - 1; i >= 0; i-- {
		ms := a.Milestones[i]
		out = append(out, pointChoice{fmt.Sprintf("milestone %s (%s)", safetext.Line(ms.Name), ms.At.UTC().Format("2006-01-02 15:04")), a.ID + "@" + ms.Name})
	}
	if t := d.times[side]; t != "" {
		out = append(out, pointChoice{"as at " + t, a.ID + "@" + t})
	}
	if a.BaselineOf != "" {
		out = append(out, pointChoice{"the baseline " + a.BaselineOf + " now", a.BaselineOf})
	}
	return out
}

// defaults: from the newest milestone, else the baseline, to now.
func (d *diffScreen) defaults(m *Model) {
	if d.choice[1] != "" {
		return
	}
	ps := d.points(m, 0)
	d.choice = [2]string{ps[min(1, len(ps)-1)].spec, m.cur.ID}
}

func (d *diffScreen) typing() bool { return d.editing }

func (d *diffScreen) setSize(_ *Model, w, h int) {
	d.rows = max(1, h-6)
	d.timeIn.setWidth(w - 30)
}

// compute asks the store for the diff of the two sides.
func (d *diffScreen) compute(m *Model) tea.Cmd {
	d.defaults(m)
	specs, st, cat := d.choice, m.cfg.Store, m.catalog()
	d.err = ""
	return func() tea.Msg {
		diff, err := st.Diff(cat, specs[0], specs[1])
		return diffMsg{specs, diff, err}
	}
}

func (d *diffScreen) loaded(m *Model, msg diffMsg) tea.Cmd {
	if msg.specs != d.choice {
		return nil // a side changed since: its own diff is on the way
	}
	d.diff, d.err, d.scroll = nil, "", 0
	if msg.err != nil {
		d.err = msg.err.Error()
		return nil
	}
	d.diff = &msg.d
	return nil
}

// move changes the side's point by delta among its choices.
func (d *diffScreen) move(m *Model, delta int) tea.Cmd {
	ps := d.points(m, d.side)
	i := 0
	for j, p := range ps {
		if p.spec == d.choice[d.side] {
			i = j
		}
	}
	d.choice[d.side] = ps[(i+delta+len(ps))%len(ps)].spec
	return d.compute(m)
}

func (d *diffScreen) actions(m *Model) []action {
	if m.cur == nil {
		return nil
	}
	k := m.keys
	if d.editing {
		return formFirst([]action{
			actAs(k.Save, "compare as at this time", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
				t, err := model.ParseAsOf(d.timeIn.value())
				if err != nil {
					m.flashError(err.Error())
					return nil
				}
				d.editing = false
				d.times[d.side] = t.Format(time.RFC3339)
				d.choice[d.side] = m.cur.ID + "@" + d.times[d.side]
				return d.compute(m)
			}),
			actAs(k.Cancel, "cancel", func(*Model, tea.KeyPressMsg) tea.Cmd { d.editing = false; return nil }),
		})
	}
	scroll := func(delta int) func(*Model, tea.KeyPressMsg) tea.Cmd {
		return func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			d.scroll = max(0, min(d.scroll+delta, len(d.body(m, 200))-d.rows))
			return nil
		}
	}
	return []action{
		actAs(k.Choose, "choose the point", func(m *Model, key tea.KeyPressMsg) tea.Cmd {
			if key.String() == "left" {
				return d.move(m, -1)
			}
			return d.move(m, +1)
		}),
		actAs(k.Toggle, "from ↔ to", func(*Model, tea.KeyPressMsg) tea.Cmd { d.side = 1 - d.side; return nil }),
		actAs(k.Open, "a time…", func(*Model, tea.KeyPressMsg) tea.Cmd {
			d.editing = true
			d.timeIn = newLineField("Time", "", 40)
			d.timeIn.set(d.times[d.side])
			return d.timeIn.focus()
		}),
		helpOnly(k.Move, "scroll"),
		hidden(act(k.Up, scroll(-1))), hidden(act(k.Down, scroll(+1))),
		hidden(act(k.PageUp, scroll(-d.rows))), hidden(act(k.PageDown, scroll(+d.rows))),
	}
}

func (d *diffScreen) update(m *Model, msg tea.Msg) tea.Cmd {
	if d.editing {
		return d.timeIn.update(m, msg)
	}
	return nil
}

func (d *diffScreen) view(m *Model, _ *hits, w, h int) string {
	if m.cur == nil {
		return ""
	}
	st := m.styles
	label := func(side int) string {
		for _, p := range d.points(m, side) {
			if p.spec == d.choice[side] {
				return p.label
			}
		}
		return d.choice[side]
	}
	sideText := func(side int, name string) string {
		t := name + " ‹ " + label(side) + " ›"
		if side == d.side {
			return st.Selected.Render(t)
		}
		return t
	}
	lines := []string{
		truncate(st.Title.Render("Compare")+"  "+sideText(0, "from")+"   "+sideText(1, "to"), w, "…"),
		st.Muted.Render(cell("←/→ chooses the point of the highlighted side · space switches side · enter types a time", w)),
	}
	if d.editing {
		lines = append(lines, fmt.Sprintf("%s%-6s %s", st.Cursor.Render("▸ "), "Time", d.timeIn.view(w-10)),
			st.Muted.Render(cell("a date (2026-11-20, its end) or an RFC 3339 time (2026-11-20T10:00:00Z)", w)))
	}
	switch {
	case d.err != "":
		lines = append(append(lines, ""), problemLines(st.Error, "✘ "+d.err, w)...)
		return strings.Join(lines, "\n")
	case d.diff == nil:
		return strings.Join(append(lines, "", "comparing…"), "\n")
	}
	for _, p := range []model.Point{d.diff.From, d.diff.To} {
		lines = append(lines, st.Muted.Render(cell(fmt.Sprintf("%s: %s to %s UTC, head %s", safetext.Line(p.Spec), plural.Count(int(p.Entries), "entry", "entries"), p.At.UTC().Format("2006-01-02 15:04"), short(p.Head)), w)))
	}
	body := d.body(m, w)
	rows := max(1, h-len(lines))
	if len(body) > rows {
		rows--
	}
	start := max(0, min(d.scroll, len(body)-rows))
	end := min(len(body), start+rows)
	lines = append(lines, body[start:end]...)
	if len(body) > rows {
		lines = append(lines, st.Muted.Render(fmt.Sprintf("lines %d–%d of %d · ↑↓ scroll", start+1, end, len(body))))
	}
	return strings.Join(lines, "\n")
}

// body is the diff, section by section, one change a line.
func (d *diffScreen) body(m *Model, w int) []string {
	if d.diff == nil {
		return nil
	}
	st, cat, df := m.styles, m.catalog(), d.diff
	var out []string
	section := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		out = append(out, "", st.Title.Render(title))
		for _, it := range items {
			out = append(out, cell("  "+safetext.Line(it), w))
		}
	}
	fields := func(cs []model.FieldChange) []string {
		var s []string
		for _, c := range cs {
			s = append(s, fmt.Sprintf("%s: %s → %s", c.Field, orDash(c.From), orDash(c.To)))
		}
		return s
	}
	if df.Empty() {
		if d.choice[0] == d.choice[1] && len(d.points(m, 0)) == 1 && len(d.points(m, 1)) == 1 {
			// Nothing but now to choose: say how to get a point to compare.
			return append([]string{"", "No differences: both sides are now."},
				wrap("There is no earlier point to choose yet. M on the review records a milestone of the assessment as it stands; enter here types a date or a time to compare with.", w)...)
		}
		return []string{"", "No differences."}
	}
	section("Assessment", fields(df.Info))
	section("Scope", fields(df.Scope))
	var items []string
	for _, s := range df.Services {
		name := s.Service
		if svc, ok := cat.Service(s.Service); ok {
			name = svc.Name
		}
		if len(s.Overrides) == 0 {
			items = append(items, name+" "+s.Change)
		}
		for _, o := range s.Overrides {
			items = append(items, fmt.Sprintf("%s %s · %s: %s → %s", name, s.Change, layerLabel(cat, o.Layer), overrideLabel(o.From), overrideLabel(o.To)))
		}
	}
	section("Services and overrides", items)
	items = nil
	for _, l := range df.Layers {
		items = append(items, fmt.Sprintf("%s: %s → %s (because of %s)", layerLabel(cat, l.Layer), l.From.Label(), l.To.Label(), strings.Join(l.CausedBy, ", ")))
	}
	for _, c := range df.Controls {
		items = append(items, fmt.Sprintf("%s: %s → %s", c.Control, responsibilityLabel(c.From), responsibilityLabel(c.To)))
	}
	section("Ownership", items)
	items = nil
	for _, a := range df.Answers {
		var parts []string
		for _, f := range a.Fields {
			from, to := f.From, f.To
			if f.Field == "status" {
				from, to = model.Status(from).Label(), model.Status(to).Label()
			}
			parts = append(parts, fmt.Sprintf("%s %s → %s", f.Field, orDash(from), orDash(to)))
		}
		for _, l := range a.LinksAdded {
			parts = append(parts, "+ evidence "+l.Entry+" "+l.Title)
		}
		for _, l := range a.LinksRemoved {
			parts = append(parts, "- evidence "+l.Entry+" "+l.Title)
		}
		items = append(items, fmt.Sprintf("%s %s: %s", a.Control, a.Change, strings.Join(parts, "; ")))
	}
	section("Answers", items)
	items = nil
	for _, s := range df.Supplier {
		items = append(items, fmt.Sprintf("%s %s: %s", s.Source, s.Change, strings.Join(fields(s.Fields), "; ")))
	}
	section("Supplier records", items)
	items = nil
	for _, e := range df.Register {
		items = append(items, fmt.Sprintf("%s %s: %s", e.Entry, e.Change, strings.Join(fields(e.Fields), "; ")))
	}
	for _, r := range df.Reports {
		items = append(items, fmt.Sprintf("report %s: %s → %s", r.Source, choiceLabel(r.From), choiceLabel(r.To)))
	}
	section("Evidence register", items)
	items = nil
	for _, s := range df.SignOffs {
		sig := "no electronic signature"
		if s.Signed {
			sig = fmt.Sprintf("%s, milestone %s, key %s", s.Step, s.Milestone, s.Key)
		}
		items = append(items, fmt.Sprintf("%s: %s, %s UTC: %s · %s", s.Change, s.By, s.At.UTC().Format("2006-01-02 15:04"), s.Meaning, sig))
	}
	section("Sign-offs", items)
	return out
}

func layerLabel(cat *model.Catalog, id string) string {
	if l, ok := cat.Layer(id); ok {
		return l.Name
	}
	return id
}

func overrideLabel(o *model.ServiceOverride) string {
	if o == nil {
		return "—"
	}
	return o.Owner.Label() + " (" + o.Justification + ")"
}

func responsibilityLabel(r model.Responsibility) string {
	if r == "" {
		return "does not apply"
	}
	return r.Label()
}

// choiceLabel is an AWS report's relevance as chosen; nil is the
// catalog's rule for the scope.
func choiceLabel(c *model.ReportChoice) string {
	switch {
	case c == nil:
		return "as the scope decides"
	case c.Relevant:
		return "added (" + c.Reason + ")"
	}
	return "dismissed (" + c.Reason + ")"
}
