package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// Admitting a refused key (onus serve): the server tells facilitators'
// wizards about each key it refused; a facilitator names the person and
// admits them, or dismisses the key.

// Knock is a key onus serve refused, waiting for a facilitator.
type Knock struct {
	Fingerprint string    // SHA256:…, as ssh-keygen -l prints it
	From        string    // the address it connected from
	User        string    // the user name the client gave (their say, not a name to trust)
	At          time.Time // the latest attempt
}

// Knocks are the refused keys waiting now, oldest first; the server sends
// them to facilitators whenever the list changes.
type Knocks []Knock

// admittedMsg is the server's answer to an admission (or a dismissal).
type admittedMsg struct {
	fingerprint string
	admission   *model.Admission // nil: dismissed
	err         error
}

// knocked takes the list of waiting keys; only a facilitator's wizard
// shows it.
func (m *Model) knocked(msg Knocks) {
	if m.cfg.Facilitate == nil {
		return
	}
	m.knocks = msg
}

// knockLine is the status line's notice of a key waiting for admission.
func (m *Model) knockLine() string {
	if len(m.knocks) == 0 {
		return ""
	}
	k, more := m.knocks[0], ""
	if n := len(m.knocks); n > 1 {
		more = fmt.Sprintf(" (%d waiting)", n)
	}
	return safetext.Line(fmt.Sprintf("KEY REFUSED%s: %s from %s (%q) at %s · ctrl+a admits or dismisses it", more, k.Fingerprint, k.From, k.User, k.At.Format("15:04:05")))
}

// admitDialog names the person a refused key belongs to, and admits them
// with a role, or dismisses the key.
type admitDialog struct {
	knock Knock
	field int // 0 the name, 1 the role
	name  lineField
	role  string
	busy  bool   // the server is admitting them
	err   string // why the last attempt failed
}

func (m *Model) openAdmit() tea.Cmd {
	if len(m.knocks) == 0 {
		m.flashError("no refused key is waiting to be admitted")
		return nil
	}
	d := &admitDialog{knock: m.knocks[0], role: model.AdmittedRoles[0], name: newLineField("Printed name", "", model.MaxNameBytes)}
	m.openDialog(d)
	return d.name.focus()
}

func (d *admitDialog) title() string              { return "Admit a refused key" }
func (d *admitDialog) typing() bool               { return d.field == 0 }
func (d *admitDialog) setSize(_ *Model, w, _ int) { d.name.setWidth(w - 16) }
func (d *admitDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	if d.field == 0 {
		return d.name.update(m, msg)
	}
	return nil
}

func (d *admitDialog) focus(i int) tea.Cmd {
	d.field = (i + 2) % 2
	if d.field == 0 {
		return d.name.focus()
	}
	d.name.blur()
	return nil
}

func (d *admitDialog) actions(m *Model) []action {
	k, f := m.keys, m.cfg.Facilitate
	acts := []action{
		act(k.NextField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
		act(k.PrevField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
	}
	if d.field == 1 {
		acts = append(acts, actAs(k.Choose, "role", func(*Model, tea.KeyPressMsg) tea.Cmd {
			roles := model.AdmittedRoles
			d.role = roles[(slices.Index(roles, d.role)+1)%len(roles)]
			return nil
		}))
	}
	fp := d.knock.Fingerprint
	return formFirst(append(acts,
		actAs(k.Save, "admit", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if d.busy {
				return nil
			}
			a := model.Admission{Name: d.name.value(), Role: d.role, Fingerprint: fp}
			if a.Name == "" {
				d.err = "type the person's printed name: the trail records their changes by it"
				return nil
			}
			d.busy, d.err = true, ""
			return func() tea.Msg { return admittedMsg{fingerprint: fp, admission: &a, err: f.Admit(a)} }
		}),
		act(k.Dismiss, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			m.closeDialog()
			return func() tea.Msg { f.Dismiss(fp); return admittedMsg{fingerprint: fp} }
		}),
		actAs(k.Cancel, "close (the key keeps waiting)", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.closeDialog(); return nil }),
	))
}

func (d *admitDialog) view(m *Model, w, _ int) string {
	st := m.styles
	k := d.knock
	lines := wrap(safetext.Line(fmt.Sprintf("%s tried to connect from %s (as %q) at %s.", k.Fingerprint, k.From, k.User, k.At.Format("15:04:05"))), w)
	lines = append(lines, st.Muted.Render(cell("Ask them for their key's fingerprint (ssh-keygen -lf ~/.ssh/id_ed25519.pub) and check it is this one.", w)), "")
	cur := func(i int) string {
		if i == d.field {
			return st.Cursor.Render("▸ ")
		}
		return "  "
	}
	lines = append(lines, cur(0)+fmt.Sprintf("%-13s ", "Printed name")+d.name.view(w-16))
	lines = append(lines, cur(1)+fmt.Sprintf("%-13s ", "Role")+choiceRow(model.AdmittedRoles, d.role, d.field == 1, w-16, st))
	switch {
	case d.busy:
		lines = append(lines, st.Muted.Render(cell("admitting…", w)))
	case d.err != "":
		lines = append(lines, problemLines(st.Error, "✘ NOT ADMITTED: "+d.err, w)...)
	default:
		lines = append(lines, st.Muted.Render(cell("Admitting adds their line to the participants file and records in the store's log that you admitted them.", w)))
	}
	lines = append(lines, st.Muted.Render(cell("enter admits · ctrl+x dismisses the key · esc closes, the key keeps waiting", w)))
	return strings.Join(lines, "\n")
}

// admitted takes the server's answer: the dialog says why not, or closes.
func (m *Model) admitted(msg admittedMsg) {
	for i, d := range m.dialogs {
		d, ok := d.(*admitDialog)
		if !ok || d.knock.Fingerprint != msg.fingerprint {
			continue
		}
		d.busy = false
		if msg.err != nil {
			d.err = msg.err.Error()
			return
		}
		m.dialogs = slices.Delete(m.dialogs, i, i+1)
		break
	}
	if msg.err == nil {
		m.knocks = slices.DeleteFunc(slices.Clone(m.knocks), func(k Knock) bool { return k.Fingerprint == msg.fingerprint })
	}
	switch {
	case msg.err != nil:
		m.flashError("NOT ADMITTED: " + safetext.Line(msg.err.Error()))
	case msg.admission == nil:
		m.setStatus("dismissed " + msg.fingerprint + ": it stays refused")
	default:
		a := msg.admission
		then := "and their changes are recorded as " + a.Name
		if a.Role == "observer" {
			then = "and follow, read-only"
		}
		m.setStatus(safetext.Line(fmt.Sprintf("admitted %s as %s: they connect again, %s", a.Name, a.Role, then)))
	}
}
