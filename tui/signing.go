package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
)

// Signing, in four stages of one dialog: what the signature means (with
// the signer's printed name, role, the step it moves the assessment to, the
// milestone, and why, when high-risk gaps are open); which key signs
// (ssh-agent's keys, key files in ~/.ssh); the key file's passphrase,
// masked; and the manifest the key will sign, read before enter signs it.
// The key is unlocked and the manifest prepared in commands; the
// passphrase is not kept once tried.

type signStage int

const (
	stageForm signStage = iota
	stageKey
	stagePassphrase
	stageManifest
)

// The form's fields, in order; sStep is a choice, the others text.
const (
	sMeaning = iota
	sName
	sRole
	sStep
	sMilestone
	sAck
	sFields
)

var signLabels = [sFields]string{"Meaning", "Printed name", "Role", "Step", "Milestone", "Acknowledgement"}

var signSteps = []string{string(model.WorkflowFinal), string(model.WorkflowInReview)}

const formSignOff = "sign"

type (
	// signKeysMsg lists the keys the signer may choose.
	signKeysMsg struct {
		keys []sign.Candidate
		err  error
	}
	// signPreparedMsg is the chosen key, unlocked, and the manifest it
	// would sign; or why not.
	signPreparedMsg struct {
		key      *sign.Key
		manifest model.Manifest
		text     string
		err      error
	}
)

type signDialog struct {
	stage  signStage
	field  int
	inputs [sFields]lineField // sStep unused
	step   model.Workflow
	gaps   int // high-risk gaps open when the dialog opened
	from   restored

	keys    []sign.Candidate
	keysErr string
	keyCur  int
	pass    textinput.Model
	problem string // what went wrong at this stage

	key      *sign.Key
	manifest model.Manifest
	text     string
}

// openSign opens the signing form; fields, when given, are a draft's.
func (m *Model) openSign(fields []string, from restored) tea.Cmd {
	if m.broken != "" {
		m.flashError(m.broken)
		return nil
	}
	if m.screen != screenReview {
		m.show(place{screen: screenReview})
	}
	d := &signDialog{step: model.WorkflowFinal, from: from, gaps: len(model.HighGaps(m.review))}
	limits := [sFields]int{store.MaxTextBytes, store.MaxNameBytes, store.MaxNameBytes, 0, model.MaxMilestoneName, store.MaxTextBytes}
	for i := range d.inputs {
		value := ""
		if i == sName {
			value = m.cfg.Store.Actor()
		}
		d.inputs[i] = newLineField(signLabels[i], value, limits[i])
	}
	for i, f := range fields {
		switch {
		case i == sStep && slices.Contains(signSteps, f):
			d.step = model.Workflow(f)
		case i < sFields && i != sStep:
			d.inputs[i].set(f)
		}
	}
	d.pass = textinput.New()
	d.pass.Prompt = ""
	d.pass.EchoMode = textinput.EchoPassword
	d.pass.EchoCharacter = '•'
	m.openDialog(d)
	return d.inputs[sMeaning].focus()
}

func (d *signDialog) title() string { return "Sign" }

func (d *signDialog) typing() bool {
	switch d.stage {
	case stageForm:
		return d.field != sStep
	case stagePassphrase:
		return true
	}
	return false
}

func (d *signDialog) setSize(_ *Model, w, _ int) {
	for i := range d.inputs {
		d.inputs[i].setWidth(w - 20)
	}
	d.pass.SetWidth(max(1, w-24))
}

func (d *signDialog) changed() bool {
	for i := range d.inputs {
		if i != sName && d.inputs[i].changed() {
			return true
		}
	}
	return false
}

func (d *signDialog) draft() *store.Draft {
	if !d.changed() {
		return nil
	}
	fields := make([]string, sFields)
	for i := range d.inputs {
		fields[i] = d.inputs[i].text()
	}
	fields[sStep] = string(d.step)
	return &store.Draft{Form: formSignOff, Fields: fields}
}

// fieldsShown are the form's fields: the acknowledgement only when
// high-risk gaps are open.
func (d *signDialog) fieldsShown() int {
	if d.gaps > 0 {
		return sFields
	}
	return sAck
}

func (d *signDialog) focus(i int) tea.Cmd {
	for j := range d.inputs {
		d.inputs[j].blur()
	}
	n := d.fieldsShown()
	d.field = (i + n) % n
	if d.field == sStep {
		return nil
	}
	return d.inputs[d.field].focus()
}

// request is what the signer states, as the store takes it.
func (d *signDialog) request() store.SignRequest {
	return store.SignRequest{Name: d.inputs[sName].value(), Role: d.inputs[sRole].value(), Meaning: d.inputs[sMeaning].value(),
		Step: d.step, Milestone: d.inputs[sMilestone].value(), Acknowledgement: d.inputs[sAck].value(), Time: d.manifest.Time, Head: d.manifest.Head}
}

// dropKey closes the unlocked key, if any, and forgets the manifest.
func (d *signDialog) dropKey() {
	d.key.Close()
	d.key, d.manifest, d.text = nil, model.Manifest{}, ""
}

func (d *signDialog) actions(m *Model) []action {
	k := m.keys
	cancel := actAs(k.Cancel, "cancel", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
		d.dropKey()
		if d.stage == stageForm {
			return m.cancelAction(d.changed()).do(m, tea.KeyPressMsg{})
		}
		d.stage, d.problem = stageForm, ""
		return d.focus(d.field)
	})
	switch d.stage {
	case stageKey:
		acts := listKeys(k, &d.keyCur, len(d.keys), 8, nil)
		return formFirst(append(acts, actAs(k.Save, "use this key", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.chooseKey(m) }), cancel))
	case stagePassphrase:
		return formFirst([]action{actAs(k.Save, "unlock", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			pass := []byte(d.pass.Value())
			d.pass.SetValue("")
			return d.prepare(m, pass)
		}), cancel})
	case stageManifest:
		return formFirst([]action{actAs(k.Save, "sign this manifest", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.sign(m) }), cancel})
	}
	acts := []action{
		act(k.NextField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field + 1) }),
		act(k.PrevField, func(*Model, tea.KeyPressMsg) tea.Cmd { return d.focus(d.field - 1) }),
	}
	if d.field == sStep {
		acts = append(acts, actAs(k.Choose, "step", func(*Model, tea.KeyPressMsg) tea.Cmd {
			if d.step == model.WorkflowFinal {
				d.step = model.WorkflowInReview
			} else {
				d.step = model.WorkflowFinal
			}
			return nil
		}))
	}
	return formFirst(append(acts, actAs(k.Save, "choose the key", func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.toKeys(m) }), cancel))
}

// toKeys checks the form and asks for the keys.
func (d *signDialog) toKeys(m *Model) tea.Cmd {
	r := d.request()
	switch {
	case strings.TrimSpace(r.Meaning) == "":
		m.flashError("NOT SIGNED: say what the signature means, e.g. reviewed and approved")
		return d.focus(sMeaning)
	case strings.TrimSpace(r.Name) == "":
		m.flashError("NOT SIGNED: your printed name, as the allowed-signers file writes it")
		return d.focus(sName)
	case d.gaps > 0 && strings.TrimSpace(r.Acknowledgement) == "":
		m.flashError(fmt.Sprintf("NOT SIGNED: %d high-risk gaps are open: say why you sign anyway (it is signed and recorded)", d.gaps))
		return d.focus(sAck)
	}
	if r.Milestone != "" {
		if err := model.CheckMilestoneName(r.Milestone); err != nil {
			m.flashError("NOT SIGNED: " + err.Error())
			return d.focus(sMilestone)
		}
	}
	d.inputs[d.field].blur()
	d.stage, d.keys, d.keysErr, d.keyCur, d.problem = stageKey, nil, "", 0, ""
	list := m.cfg.SigningKeys
	return func() tea.Msg {
		keys, err := list()
		return signKeysMsg{keys, err}
	}
}

// chooseKey unlocks the highlighted key, first asking for its passphrase.
func (d *signDialog) chooseKey(m *Model) tea.Cmd {
	if d.keyCur >= len(d.keys) {
		return nil
	}
	if d.keys[d.keyCur].Passphrase {
		d.stage, d.problem = stagePassphrase, ""
		return d.pass.Focus()
	}
	return d.prepare(m, nil)
}

// prepare unlocks the key and has the store prepare the manifest it would
// sign, both in a command.
func (d *signDialog) prepare(m *Model, passphrase []byte) tea.Cmd {
	c := d.keys[d.keyCur]
	st, id, cat := m.cfg.Store, m.a.ID, m.catalog()
	req := d.request()
	req.Time, req.Head = time.Time{}, ""
	d.problem = "unlocking the key…"
	return func() tea.Msg {
		key, err := c.Unlock(passphrase)
		clear(passphrase)
		if err != nil {
			return signPreparedMsg{err: err}
		}
		man, err := st.PrepareSign(id, req, cat, key.Fingerprint())
		if err != nil {
			key.Close()
			return signPreparedMsg{err: err}
		}
		text, err := man.Encode()
		if err != nil {
			key.Close()
			return signPreparedMsg{err: err}
		}
		return signPreparedMsg{key: key, manifest: man, text: string(text)}
	}
}

// reply takes the keys listed or the manifest prepared.
func (d *signDialog) reply(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case signKeysMsg:
		if d.stage != stageKey {
			return nil
		}
		d.keys = msg.keys
		if msg.err != nil {
			d.keysErr = msg.err.Error()
		}
	case signPreparedMsg:
		if d.stage != stageKey && d.stage != stagePassphrase {
			msg.key.Close()
			return nil
		}
		d.problem = ""
		switch {
		case errors.Is(msg.err, sign.ErrWrongPassphrase):
			d.stage, d.problem = stagePassphrase, "wrong passphrase: try again"
			return d.pass.Focus()
		case msg.err != nil:
			// The form has to change (open gaps, a milestone the record
			// moved past) or another key be chosen: back to the form.
			d.stage = stageForm
			m.flashError("NOT SIGNED: " + msg.err.Error())
			return d.focus(d.field)
		}
		d.stage, d.key, d.manifest, d.text = stageManifest, msg.key, msg.manifest, msg.text
	}
	return nil
}

// sign records the signature over the manifest shown: the store signs the
// same manifest (its time included) if nothing changed meanwhile.
func (d *signDialog) sign(m *Model) tea.Cmd {
	m.closeDialog()
	req, key, cat, id := d.request(), d.key, m.catalog(), m.a.ID
	d.key = nil
	what := fmt.Sprintf("signed: %s (%s, milestone %s)", req.Meaning, req.Step, d.manifest.Milestone)
	// A signature is an act: on failure it is not retried behind the
	// signer's back; the status line says so and they sign again. It is
	// not undone either.
	m.undo = append(m.undo, undoStep{aid: id, what: "the signature " + req.Meaning})
	return m.action(what, nil, func(st Store) (model.Assessment, error) {
		defer key.Close()
		return st.Sign(id, req, cat, key)
	}, nil)
}

func (d *signDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	switch d.stage {
	case stageForm:
		if d.field != sStep {
			return d.inputs[d.field].update(m, msg)
		}
	case stagePassphrase:
		var cmd tea.Cmd
		d.pass, cmd = d.pass.Update(msg)
		return cmd
	}
	return nil
}

func (d *signDialog) view(m *Model, w, h int) string {
	st := m.styles
	var lines []string
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	switch d.stage {
	case stageKey:
		lines = append(lines, "Choose the key to sign with (enter):")
		if d.keysErr != "" {
			lines = append(lines, st.Warn.Render(cell(safetext.Line(d.keysErr), w)))
		}
		switch {
		case d.keys == nil && d.keysErr == "":
			lines = append(lines, st.Muted.Render("looking for keys in ssh-agent and ~/.ssh…"))
		case len(d.keys) == 0:
			lines = append(lines, wrap("No key found: add one to ssh-agent (ssh-add) or make one in ~/.ssh (ssh-keygen -t ed25519), and the organisation must list it in its allowed-signers file.", w)...)
		}
		for i, c := range d.keys {
			line := safetext.Line(c.Label)
			if i == d.keyCur {
				lines = append(lines, st.Selected.Render(cell("▸ "+line, w)))
			} else {
				lines = append(lines, cell("  "+line, w))
			}
		}
		if d.problem != "" {
			lines = append(lines, problemLines(st.Muted, d.problem, w)...)
		}
	case stagePassphrase:
		lines = append(lines, cell("Passphrase of "+safetext.Line(d.keys[d.keyCur].Label), w))
		lines = append(lines, "▸ Passphrase  "+d.pass.View())
		if d.problem != "" {
			lines = append(lines, problemLines(st.Error, "✘ "+d.problem, w)...)
		}
		lines = append(lines, st.Muted.Render("shown as dots; not kept once tried"))
	case stageManifest:
		lines = append(lines, st.Title.Render("You are about to sign this manifest with "+d.key.Fingerprint()+":"))
		text := strings.Split(strings.TrimSuffix(safetext.Clean(d.text), "\n"), "\n")
		room := max(1, h-len(lines)-1)
		if len(text) > room {
			text = append(text[:room-1], fmt.Sprintf("… %d more lines", len(text)-room+1))
		}
		for _, l := range text {
			lines = append(lines, cell("  "+l, w))
		}
		lines = append(lines, st.Muted.Render(cell("enter signs it (recorded in the audit trail; 21 CFR 11.50, 11.70) · esc goes back", w)))
	default:
		if d.gaps > 0 {
			lines = append(lines, st.Warn.Render(cell(fmt.Sprintf("%d high-risk gaps are open: signing anyway needs an acknowledgement, signed with the rest.", d.gaps), w)))
		}
		for i := 0; i < d.fieldsShown(); i++ {
			cur := "  "
			if i == d.field {
				cur = st.Cursor.Render("▸ ")
			}
			val := ""
			if i == sStep {
				val = choiceRow(signSteps, string(d.step), i == d.field, w-18, st)
			} else {
				val = d.inputs[i].view(w - 20)
			}
			lines = append(lines, fmt.Sprintf("%s%-16s%s", cur, signLabels[i], val))
		}
		lines = append(lines, st.Muted.Render(cell("milestone: empty signs the newest unchanged one, else records a new one · enter chooses the key", w)))
	}
	return strings.Join(lines, "\n")
}

// closeKey closes the key of a signature prepared for a dialog that is
// gone.
func closeKey(msg tea.Msg) {
	if p, ok := msg.(signPreparedMsg); ok {
		p.key.Close()
	}
}

// canReopen reports whether R may reopen the assessment: it is final, or
// a signature still vouches for it.
func (m *Model) canReopen() bool {
	if m.cur == nil || m.broken != "" {
		return false
	}
	return m.cur.Workflow == model.WorkflowFinal || slices.ContainsFunc(m.cur.SignOffs, func(s model.SignOff) bool { return s.Signed() && !s.Superseded })
}

// signOffLine is a sign-off in one line: who, when, what it means, and its
// signature.
func signOffLine(s model.SignOff) string {
	by := s.By
	if s.Role != "" {
		by += " (" + s.Role + ")"
	}
	line := fmt.Sprintf("%s, %s UTC: %s", safetext.Line(by), s.At.UTC().Format("2006-01-02 15:04"), safetext.Line(s.Meaning))
	switch {
	case !s.Signed():
		return line + " · no electronic signature"
	case s.Superseded:
		line = "SUPERSEDED by a reopening · " + line
	}
	return line + fmt.Sprintf(" · %s, milestone %s, key %s", s.Step, safetext.Line(s.Milestone), s.Key)
}

// promptDialog asks for one line (a reopening's reason, a milestone's
// name) and hands it to save, which says what is wrong with it or acts.
type promptDialog struct {
	heading, form, intro, hint string
	in                         lineField
	from                       restored
	save                       func(m *Model, value string) (tea.Cmd, string)
}

const (
	formReopen    = "reopen"
	formMilestone = "milestone"
)

func (m *Model) openPrompt(d *promptDialog, fields []string) tea.Cmd {
	if m.screen != screenReview {
		m.show(place{screen: screenReview})
	}
	if len(fields) > 0 {
		d.in.set(fields[0])
	}
	m.openDialog(d)
	return d.in.focus()
}

// openReopen asks for the reason to reopen a final or signed assessment.
func (m *Model) openReopen(fields []string, from restored) tea.Cmd {
	if !m.canReopen() {
		return nil
	}
	return m.openPrompt(&promptDialog{heading: "Reopen", form: formReopen, from: from,
		intro: "Reopening moves the assessment back to draft so it can change again. Every signature so far is marked superseded: it stays on record, and still verifies against the point it signed.",
		hint:  "the reason is recorded in the audit trail, e.g. CAPA-12 changes the backup answer",
		in:    newLineField("Reason", "", store.MaxTextBytes),
		save: func(m *Model, reason string) (tea.Cmd, string) {
			if reason == "" {
				return nil, "reopening needs a reason, recorded in the audit trail"
			}
			id := m.a.ID
			m.undo = append(m.undo, undoStep{aid: id, what: "the reopening"})
			return m.action("reopened: "+reason, nil, func(st Store) (model.Assessment, error) { return st.Reopen(id, reason) }, nil), ""
		}}, fields)
}

// openMilestone asks for the name of a milestone to record now.
func (m *Model) openMilestone(fields []string, from restored) tea.Cmd {
	if m.refuseEdit() {
		return nil
	}
	return m.openPrompt(&promptDialog{heading: "Milestone", form: formMilestone, from: from,
		intro: "A milestone names this point of the audit trail (its head hash and time): signatures are made on milestones, and c compares them.",
		hint:  "letters, digits, '.', '_' and '-', e.g. workshop-2 or v1.0",
		in:    newLineField("Name", "", model.MaxMilestoneName),
		save: func(m *Model, name string) (tea.Cmd, string) {
			if err := model.CheckMilestoneName(name); err != nil {
				return nil, err.Error()
			}
			if _, ok := m.cur.Milestone(name); ok {
				return nil, "there is a milestone " + name + " already"
			}
			id := m.a.ID
			m.undo = append(m.undo, undoStep{aid: id, what: "the milestone " + name})
			return m.action("milestone "+name, nil, func(st Store) (model.Assessment, error) { return st.Milestone(id, name) }, nil), ""
		}}, fields)
}

func (d *promptDialog) title() string { return d.heading }
func (d *promptDialog) typing() bool  { return true }

func (d *promptDialog) setSize(_ *Model, w, _ int) { d.in.setWidth(w - 12) }

func (d *promptDialog) draft() *store.Draft {
	if !d.in.changed() {
		return nil
	}
	return &store.Draft{Form: d.form, Fields: []string{d.in.text()}}
}

func (d *promptDialog) actions(m *Model) []action {
	return formFirst([]action{
		act(m.keys.Save, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			cmd, problem := d.save(m, d.in.value())
			if problem != "" {
				m.flashError("NOT SAVED: " + problem)
				return nil
			}
			m.closeDialog()
			return cmd
		}),
		m.cancelAction(d.in.changed()),
	})
}

func (d *promptDialog) update(m *Model, msg tea.Msg) tea.Cmd { return d.in.update(m, msg) }

func (d *promptDialog) view(m *Model, w, _ int) string {
	st := m.styles
	var lines []string
	if b := d.from.banner(m); b != "" {
		lines = append(lines, b)
	}
	lines = append(lines, wrap(d.intro, w)...)
	lines = append(lines, fmt.Sprintf("%s%-9s %s", st.Cursor.Render("▸ "), d.in.label, d.in.view(w-12)))
	return strings.Join(append(lines, st.Muted.Render(cell(d.hint, w))), "\n")
}
