package tui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/iac"
	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// Services from infrastructure as code, on the services screen: i asks
// for files or a folder, the scan runs in a command, a dialog shows each
// service found with its resources and why, and what was not used; only y
// selects them, in one change whose audit entry names every file read and
// its SHA-256 (as onus services ID --from does).

// iacPathDialog asks which files to read.
type iacPathDialog struct {
	paths lineField
}

func (m *Model) openIaCPaths() tea.Cmd {
	d := &iacPathDialog{paths: newLineField("Files", "", 4096)}
	m.openDialog(d)
	return d.paths.focus()
}

func (d *iacPathDialog) title() string { return "Services from infrastructure as code" }
func (d *iacPathDialog) typing() bool  { return true }

func (d *iacPathDialog) setSize(_ *Model, w, _ int) { d.paths.setWidth(w - 7) }

// list is the paths typed: separated by commas, ~ for the home folder; a
// relative one is read from Config.Dir and named as typed (scanIaC).
func (d *iacPathDialog) list() []string {
	var out []string
	for _, p := range strings.Split(d.paths.text(), ",") {
		if p = homePath(p); p != "" {
			out = append(out, filepath.Clean(p))
		}
	}
	return out
}

func (d *iacPathDialog) actions(m *Model) []action {
	k := m.keys
	return []action{
		actAs(k.Save, "read them", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			paths := d.list()
			if len(paths) == 0 {
				m.flashError("NOT READ: give a file or a folder")
				return nil
			}
			return m.scanIaC(paths)
		}),
		actAs(k.Cancel, "cancel", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.closeDialog(); return nil }),
	}
}

func (d *iacPathDialog) update(m *Model, msg tea.Msg) tea.Cmd { return d.paths.update(m, msg) }

func (d *iacPathDialog) view(m *Model, w, _ int) string {
	lines := []string{"Read: " + d.paths.view(w-7), ""}
	for _, l := range wrap("A CloudFormation or SAM template (YAML or JSON), a CDK cloud assembly (cdk.out), "+
		"a Terraform plan from terraform show -json, or .tf files or their folder; several separated by commas. "+
		"A relative path starts in the folder onus was started in.", w) {
		lines = append(lines, m.styles.Muted.Render(l))
	}
	for _, l := range wrap("enter reads them and shows what they use · nothing is selected until you say y", w) {
		lines = append(lines, m.styles.Muted.Render(l))
	}
	return strings.Join(lines, "\n")
}

// iacScannedMsg is the end of a scan.
type iacScannedMsg struct {
	res *iac.Result
	err error
}

func (iacScannedMsg) unblocks() bool { return true }

// scanIaC reads the files in a command; the keys pressed meanwhile wait
// for what it found.
func (m *Model) scanIaC(paths []string) tea.Cmd {
	cat, dir := m.catalog(), m.cfg.Dir
	m.waiting++
	return func() tea.Msg {
		res, err := iac.ScanIn(dir, cat, paths...)
		return iacScannedMsg{res: res, err: err}
	}
}

// iacScanned shows what a scan found; a file that could not be read is
// said on the status line, the paths kept to correct.
func (m *Model) iacScanned(msg iacScannedMsg) tea.Cmd {
	if msg.err != nil {
		m.flashError("NOT READ: " + msg.err.Error())
		return nil
	}
	if _, ok := m.dialog().(*iacPathDialog); ok {
		m.closeDialog()
	}
	if m.cur == nil {
		return nil
	}
	d := &iacFoundDialog{res: msg.res, text: strings.Split(strings.TrimSuffix(msg.res.Text(m.catalog()), "\n"), "\n")}
	for _, id := range msg.res.Services(m.catalog()) {
		if selected(m.cur, id) {
			d.had = append(d.had, id)
		} else {
			d.add = append(d.add, id)
		}
	}
	m.openDialog(d)
	return nil
}

// iacFoundDialog shows what the files use and why (iac.Result.Text, the
// same as the command line prints) and selects it on y.
type iacFoundDialog struct {
	plainDialog
	res      *iac.Result
	text     []string // the result's lines, sanitised
	add, had []string // services found: not selected yet, selected already
	head     []string // the heading, wrapped
	wrapped  []string // text wrapped to wrapW
	wrapW    int
	scroll   int
	rows     int
}

func (d *iacFoundDialog) title() string { return "Found in infrastructure as code" }

func (d *iacFoundDialog) setSize(m *Model, w, h int) {
	if w != d.wrapW { // wrapping every line is the costly part: once per width
		d.wrapW, d.wrapped = w, nil
		for _, l := range d.text {
			indent := len(l) - len(strings.TrimLeft(l, " "))
			for i, part := range wrap(strings.TrimLeft(l, " "), max(10, w-indent-2)) {
				pad := indent
				if i > 0 {
					pad += 2
				}
				d.wrapped = append(d.wrapped, strings.Repeat(" ", pad)+part)
			}
		}
	}
	d.head = wrap(d.heading(), w)
	d.rows = max(1, h-1-len(d.head))
	d.scroll = max(0, min(d.scroll, len(d.wrapped)-d.rows))
}

// heading says what y does.
func (d *iacFoundDialog) heading() string {
	switch {
	case len(d.add) > 0 && len(d.had) > 0:
		return fmt.Sprintf("y selects %s (%d selected already): %s", plural.Count(len(d.add), "service", "services"), len(d.had), strings.Join(d.add, ", "))
	case len(d.add) > 0:
		return fmt.Sprintf("y selects %s: %s", plural.Count(len(d.add), "service", "services"), strings.Join(d.add, ", "))
	case len(d.had) > 0:
		return iac.AllSelected(len(d.had))
	}
	return "No catalog service found in these files: nothing to select"
}

// theServices is "the service" or "the n services".
func theServices(n int) string {
	if n == 1 {
		return "the service"
	}
	return "the " + plural.Count(n, "service", "services")
}

func (d *iacFoundDialog) actions(m *Model) []action {
	k := m.keys
	var acts []action
	if len(d.add) > 0 {
		acts = append(acts, actAs(k.Yes, "select "+theServices(len(d.add)), func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			m.closeDialog()
			return m.selectFound(d.add, d.res)
		}))
		acts = append(acts, actAs(k.No, "select nothing", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.closeDialog(); return nil }))
	} else {
		closeIt := func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.closeDialog(); return nil }
		acts = append(acts, actAs(k.Save, "close", closeIt), actAs(k.Cancel, "close", closeIt))
	}
	return append(acts, listKeys(k, &d.scroll, max(1, len(d.wrapped)-d.rows+1), d.rows, nil)...)
}

func (d *iacFoundDialog) view(m *Model, w, h int) string {
	st := m.styles
	var lines []string
	for _, l := range d.head {
		lines = append(lines, st.Title.Render(l))
	}
	end := min(len(d.wrapped), d.scroll+d.rows)
	for _, l := range d.wrapped[d.scroll:end] {
		if !strings.HasPrefix(l, " ") && strings.HasSuffix(l, ":") {
			l = st.Title.Render(l)
		}
		lines = append(lines, l)
	}
	foot := "y selects · n/esc: nothing changes"
	if len(d.add) == 0 {
		foot = "enter or esc closes"
	}
	if len(d.wrapped) > d.rows {
		foot = fmt.Sprintf("lines %d–%d of %d · ↑↓ scroll · ", d.scroll+1, end, len(d.wrapped)) + foot
	}
	return strings.Join(append(lines, st.Muted.Render(cell(foot, w))), "\n")
}

// selectFound selects the services found in one change, recorded with
// the files read and their SHA-256; undo deselects them.
func (m *Model) selectFound(ids []string, res *iac.Result) tea.Cmd {
	reason := res.Reason()
	names := make([]string, len(res.Files))
	for i, f := range res.Files {
		names[i] = safetext.Line(filepath.Base(f.Path))
	}
	add := edit{
		apply: func(a *model.Assessment) {
			for _, id := range ids {
				if !selected(a, id) {
					a.Services = append(a.Services, model.SelectedService{ID: id})
				}
			}
		},
		save: func(st Store, aid, _ string) (model.Assessment, error) {
			return st.SelectServicesBecause(aid, ids, reason)
		},
	}
	remove := edit{
		apply: func(a *model.Assessment) {
			a.Services = slices.DeleteFunc(a.Services, func(s model.SelectedService) bool { return slices.Contains(ids, s.ID) })
		},
		save: func(st Store, aid, _ string) (model.Assessment, error) { return st.DeselectServices(aid, ids) },
	}
	return m.apply(change{key: fmt.Sprintf("services/iac-%d", m.saves.nextID+1), entry: "services",
		what: fmt.Sprintf("added %s found in %s", plural.Count(len(ids), "service", "services"), strings.Join(names, ", ")), do: add, undo: remove})
}
