package tui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/prep"
)

// Importing a filled prep pack (what onus import-answers does, with the
// same code, package prep): the file's path and the respondent, then the
// preview — what would change, the conflicts with answers given since the
// pack was made, each taken or left, and every error by sheet, row and
// column (a file with any imports nothing) — then, confirmed, the answers
// recorded by the respondent in one transaction, each with the file's
// name and SHA-256.

// packReadMsg is a pack read and compared with the assessment.
type packReadMsg struct {
	data []byte
	plan *prep.Plan
	err  error
}

type importDialog struct {
	path, respondent lineField
	field            int // 0 the path, 1 the respondent
	busy             bool
	err              string

	// The preview, once the file is read.
	data   []byte
	plan   *prep.Plan
	take   map[string]bool // conflicts whose file answer is taken
	cursor int             // among the conflicts
}

func (m *Model) openImport() tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	d := &importDialog{
		path:       newLineField("File", filepath.Join(m.cfg.ExportDir, "")+string(filepath.Separator), 4096),
		respondent: newLineField("Respondent", m.cfg.Store.Actor(), model.MaxNameBytes),
	}
	m.openDialog(d)
	return d.focus(0)
}

func (d *importDialog) title() string {
	if d.plan != nil {
		return "Import " + safetext.Line(d.plan.File) + "?"
	}
	return "Import a filled prep pack"
}

func (d *importDialog) typing() bool { return d.plan == nil }

func (d *importDialog) setSize(_ *Model, w, _ int) {
	d.path.setWidth(w - 16)
	d.respondent.setWidth(w - 16)
}

func (d *importDialog) focus(i int) tea.Cmd {
	d.field = (i + 2) % 2
	d.path.blur()
	d.respondent.blur()
	if d.field == 0 {
		return d.path.focus()
	}
	return d.respondent.focus()
}

func (d *importDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	switch {
	case d.plan != nil:
		return nil
	case d.field == 0:
		return d.path.update(m, msg)
	}
	return d.respondent.update(m, msg)
}

// conflicts are the plan's conflicts, in row order.
func (d *importDialog) conflicts() []prep.Change { return d.plan.Conflicts() }

func (d *importDialog) taken() []string {
	var out []string
	for _, c := range d.conflicts() {
		if d.take[c.New.Control] {
			out = append(out, c.New.Control)
		}
	}
	return out
}

func (d *importDialog) actions(m *Model) []action {
	k := m.keys
	if d.plan == nil {
		return formFirst([]action{
			act(k.NextField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
			act(k.PrevField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
			actAs(k.Save, "read and preview", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.read(m) }),
			m.cancelAction(false),
		})
	}
	n := len(d.conflicts())
	acts := listKeys(k, &d.cursor, n, 1, nil)
	if n > 0 {
		acts = append(acts, actAs(k.Toggle, "take / leave the file's answer", func(*Model, tea.KeyPressMsg) tea.Cmd {
			c := d.conflicts()[d.cursor].New.Control
			d.take[c] = !d.take[c]
			return nil
		}))
	}
	return formFirst(append(acts,
		actAs(k.Save, "import", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.confirm(m) }),
		actAs(k.Cancel, "back to the file", func(*Model, tea.KeyPressMsg) tea.Cmd {
			d.plan, d.data = nil, nil
			return d.focus(0)
		}),
	))
}

// read reads the file and compares it with the assessment, in a command.
func (d *importDialog) read(m *Model) tea.Cmd {
	path := strings.TrimSpace(d.path.value())
	if d.busy {
		return nil
	}
	if path == "" || strings.HasSuffix(path, string(filepath.Separator)) {
		d.err = "type the path of the filled pack (.xlsx)"
		return nil
	}
	if err := model.ValidateActor(d.respondent.value()); err != nil {
		d.err = "respondent: " + err.Error()
		return nil
	}
	path = typedPath(m.cfg.Dir, path)
	d.busy, d.err = true, ""
	st, cat, id, readPack := m.cfg.Store, m.catalog(), m.a.ID, m.cfg.ReadPack
	if readPack == nil {
		readPack = prep.ReadFile
	}
	return func() tea.Msg {
		data, err := readPack(path)
		if err != nil {
			return packReadMsg{err: err}
		}
		b, err := st.Export(id)
		if err != nil {
			return packReadMsg{err: err}
		}
		return packReadMsg{data: data, plan: prep.Read(data, filepath.Base(path), cat, b)}
	}
}

// packRead takes the file read: the dialog shows the preview, or why not.
func (m *Model) packRead(msg packReadMsg) {
	i := slices.IndexFunc(m.dialogs, func(d dialog) bool { _, ok := d.(*importDialog); return ok })
	if i < 0 {
		return
	}
	d := m.dialogs[i].(*importDialog)
	d.busy = false
	if msg.err != nil {
		d.err = msg.err.Error()
		return
	}
	d.data, d.plan, d.take, d.cursor = msg.data, msg.plan, map[string]bool{}, 0
	d.path.blur()
	d.respondent.blur()
}

// confirm records the accepted rows, through the save queue: the file is
// compared with the assessment again as it is saved, and nothing is
// written if an answer it changes was changed since the preview.
func (d *importDialog) confirm(m *Model) tea.Cmd {
	p := d.plan
	if len(p.Problems) > 0 {
		m.flashError(fmt.Sprintf("NOT IMPORTED: %s has %s; correct them and read it again", safetext.Line(p.File), errorCount(len(p.Problems))))
		return nil
	}
	take := d.taken()
	answers := p.Accepted(take)
	if len(answers) == 0 {
		m.closeDialog()
		m.setStatus("nothing to import from " + safetext.Line(p.File))
		return nil
	}
	m.closeDialog()
	data, cat, respondent := d.data, m.catalog(), d.respondent.value()
	what := fmt.Sprintf("imported %s from %s by %s (sha256 %.12s…)", plural.Count(len(answers), "answer", "answers"), safetext.Line(p.File), safetext.Line(respondent), p.SHA256)
	return m.submit(saveJob{aid: p.Assessment, what: what,
		apply: func(a *model.Assessment) {
			for _, ans := range answers {
				setAnswer(a, ans)
			}
		},
		run: func(st Store) (model.Assessment, error) {
			b, err := st.Export(p.Assessment)
			if err != nil {
				return model.Assessment{}, err
			}
			if prep.Read(data, p.File, cat, b).Differs(p) {
				return model.Assessment{}, fmt.Errorf("answers in %s were changed since the preview; nothing was imported: import it again to see them", p.File)
			}
			a, _, err := prep.Apply(st, p, respondent, take)
			return a, err
		},
		onOK: func(m *Model, _ model.Assessment) { m.setStatus(what) },
	})
}

func (d *importDialog) view(m *Model, w, h int) string {
	if d.plan == nil {
		return d.fileView(m, w)
	}
	return d.previewView(m, w, h)
}

func (d *importDialog) fileView(m *Model, w int) string {
	st := m.styles
	lines := wrap("Read a filled prep pack (onus export --format prep-xlsx) back into this assessment. You see what would change before anything is written.", w)
	lines = append(lines, "")
	for i, f := range []*lineField{&d.path, &d.respondent} {
		cur := "  "
		if i == d.field {
			cur = st.Cursor.Render("▸ ")
		}
		lines = append(lines, cur+fmt.Sprintf("%-12s ", f.label)+f.view(w-16))
	}
	lines = append(lines, st.Muted.Render(cell("Respondent: who filled it in; each answer is recorded as theirs, marked as imported from the file.", w)))
	switch {
	case d.busy:
		lines = append(lines, st.Muted.Render(cell("reading…", w)))
	case d.err != "":
		lines = append(lines, problemLines(st.Error, "✘ "+d.err, w)...)
	}
	lines = append(lines, st.Muted.Render(cell("enter reads the file and shows the preview · esc cancels", w)))
	return strings.Join(lines, "\n")
}

func (d *importDialog) previewView(m *Model, w, h int) string {
	st, p := m.styles, d.plan
	line := func(s string) string { return cell(safetext.Line(s), w) }
	lines := []string{st.Muted.Render(line(fmt.Sprintf("sha256 %s · a prep pack of %s made at trail entry %d", p.SHA256, p.Assessment, p.PackSeq)))}
	for _, s := range p.Warnings {
		lines = append(lines, st.Warn.Render(line("warning: "+s)))
	}
	var body []string
	if len(p.Problems) > 0 {
		lines = append(lines, st.Error.Render(line(errorCount(len(p.Problems))+": nothing will be imported until they are corrected")))
		for _, pr := range p.Problems {
			body = append(body, st.Error.Render(line("✘ "+pr.String())))
		}
	} else {
		lines = append(lines, st.Title.Render(line(p.Summary(d.taken())+" · by "+d.respondent.value())))
		for i, c := range d.conflicts() {
			mark, verdict := "[ ]", "left as it is"
			if d.take[c.New.Control] {
				mark, verdict = "[x]", "the file's taken"
			}
			cur := "  "
			if i == d.cursor {
				cur = st.Cursor.Render("▸ ")
			}
			body = append(body, cur+st.Warn.Render(line(fmt.Sprintf("%s conflict row %d %s, %s: changed by %s at %s since the pack was made",
				mark, c.Row, c.New.Control, verdict, c.ChangedBy, c.ChangedAt.UTC().Format("2006-01-02 15:04")))),
				line("      now:  "+prep.AnswerText(c.Old)), line("      file: "+prep.AnswerText(c.New)))
		}
		for _, c := range p.Changes {
			if !c.Conflict {
				body = append(body, line(fmt.Sprintf("  row %d %s: %s → %s", c.Row, c.New.Control, prep.AnswerText(c.Old), prep.AnswerText(c.New))))
			}
		}
	}
	keys := "enter imports · esc goes back to the file"
	if len(p.Problems) > 0 {
		keys = "esc goes back to the file"
	} else if len(d.conflicts()) > 0 {
		keys = "space takes or leaves the file's answer · " + keys
	}
	// The conflict under the cursor stays in sight.
	room := max(1, h-len(lines)-1)
	start := 0
	if len(p.Problems) == 0 {
		start = max(0, min(d.cursor*3, len(body)-room))
	}
	if len(body) > start+room {
		body = append(body[start:start+room-1], st.Muted.Render(cell(fmt.Sprintf("… and %d more lines", len(body)-start-room+1), w)))
	} else {
		body = body[start:]
	}
	lines = append(lines, body...)
	return strings.Join(append(lines, st.Muted.Render(cell(keys, w))), "\n")
}

func errorCount(n int) string {
	if n == 1 {
		return "1 error"
	}
	return fmt.Sprintf("%d errors", n)
}

// The wizard's store records a pack's answers as the CLI's does.
var _ prep.Recorder = Store(nil)
