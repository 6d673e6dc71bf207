// Package tui is Onus's terminal wizard: one root Bubble Tea model that
// routes keys to the active screen, with one file per screen. Every store
// call runs as a tea.Cmd; View only draws.
package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// Minimum terminal size; below it the wizard says so instead of drawing.
const (
	MinWidth  = 80
	MinHeight = 24
)

// ErrInterrupted is returned by Run when the user pressed ctrl+c; the
// command line maps it to exit code 130.
var ErrInterrupted = errors.New("interrupted")

// Store is what the wizard needs from the database.
type Store interface {
	List(includeDeleted bool) ([]model.Summary, error)
	Get(id string) (model.Assessment, error)
	Create(a model.Assessment) (model.Assessment, error)
	UpdateInfo(id string, in model.Info, reason string) (model.Assessment, error)
	UpdateScope(id string, s model.Scope, reason string) (model.Assessment, error)
	SelectServices(id string, ids []string) (model.Assessment, error)
	DeselectServices(id string, ids []string) (model.Assessment, error)
	SetSupplierRecord(id string, r model.SupplierRecord) (model.Assessment, error)
	Answer(id string, ans model.Answer, reason string) (model.Assessment, error)
	SetWorkflow(id string, w model.Workflow, reason string) (model.Assessment, error)
	SignOff(id string, s model.SignOff) (model.Assessment, error)
	Duplicate(id, newName string) (model.Assessment, error)
	Delete(id, reason string) (model.Assessment, error)
	History(id string) ([]model.AuditEntry, error)
	Export(id string) (model.Bundle, error)
}

// Exporter renders an assessment in a named format (md, html, json, ...).
type Exporter func(format string, cat *model.Catalog, b model.Bundle) ([]byte, error)

// Config is what the wizard is started with.
type Config struct {
	Catalog  *model.Catalog
	Store    Store
	Now      func() time.Time
	Colour   bool
	Formats  []string // export formats offered, first is the default
	Export   Exporter
	WriteOut func(path string, data []byte) error
}

type screenID int

const (
	screenHome screenID = iota
	screenScope
	screenSupplier
	screenServices
	screenQuestions
	screenReview
	screenStacks
	screenTrail
)

// steps are the wizard's steps in order, for the breadcrumb and tab.
var steps = []struct {
	id   screenID
	name string
}{
	{screenHome, "Home"}, {screenScope, "Scope"}, {screenSupplier, "Supplier"},
	{screenServices, "Services"}, {screenQuestions, "Questions"}, {screenReview, "Review"},
}

// Model is the root model.
type Model struct {
	cfg    Config
	keys   keyMap
	styles Styles
	help   help.Model
	isDark bool

	width, height int
	screen        screenID
	returnTo      screenID // where esc goes from the stacks and trail views
	showHelp      bool

	summaries []model.Summary
	a         *model.Assessment // the open assessment
	review    model.Review      // recomputed whenever a changes

	status    string
	statusBad bool

	home      homeScreen
	scope     scopeScreen
	supplier  supplierScreen
	services  servicesScreen
	questions questionsScreen
	reviewS   reviewScreen
	stacksV   stacksScreen
	trail     trailScreen

	interrupted bool
}

// New builds the root model.
func New(cfg Config) Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := Model{cfg: cfg, keys: newKeyMap(), help: help.New(), isDark: true, width: MinWidth, height: MinHeight}
	m.styles = newStyles(true, cfg.Colour)
	m.help.Styles = help.DefaultStyles(true)
	m.home = newHomeScreen()
	return m
}

// Interrupted reports whether the user quit with ctrl+c.
func (m Model) Interrupted() bool { return m.interrupted }

// Init asks for the background colour and loads the assessments.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.loadSummaries())
}

// Messages from commands.
type (
	summariesMsg struct {
		list []model.Summary
		err  error
	}
	openedMsg struct {
		a   model.Assessment
		to  screenID
		err error
	}
	savedMsg struct {
		a    model.Assessment
		what string
		err  error
		// onOK runs on the model after a successful save (clear a draft).
		onOK func(*Model)
	}
	trailMsg struct {
		entries []model.AuditEntry
		err     error
	}
	exportedMsg struct {
		path string
		err  error
	}
)

func (m Model) loadSummaries() tea.Cmd {
	st := m.cfg.Store
	return func() tea.Msg {
		l, err := st.List(false)
		return summariesMsg{l, err}
	}
}

func (m Model) open(id string, to screenID) tea.Cmd {
	st := m.cfg.Store
	return func() tea.Msg {
		a, err := st.Get(id)
		return openedMsg{a, to, err}
	}
}

// save runs one store change as a command and reports it as savedMsg.
func (m Model) save(what string, fn func(Store) (model.Assessment, error), onOK func(*Model)) tea.Cmd {
	st := m.cfg.Store
	return func() tea.Msg {
		a, err := fn(st)
		return savedMsg{a: a, what: what, err: err, onOK: onOK}
	}
}

// Update dispatches messages: global concerns first, then the active screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.styles = newStyles(m.isDark, m.cfg.Colour)
		m.help.Styles = help.DefaultStyles(m.isDark)
		return m, nil
	case summariesMsg:
		if msg.err != nil {
			m.setError("could not list assessments: " + msg.err.Error())
		}
		m.summaries = msg.list
		m.home.clamp(len(m.home.visible(&m)))
		return m, nil
	case openedMsg:
		return m.opened(msg)
	case savedMsg:
		return m.saved(msg)
	case trailMsg:
		if msg.err != nil {
			m.setError("could not read the audit trail: " + msg.err.Error())
		}
		m.trail.entries = msg.entries
		return m, nil
	case exportedMsg:
		if msg.err != nil {
			m.setError("NOT EXPORTED: " + msg.err.Error())
		} else {
			m.setStatus("exported to " + msg.path)
		}
		return m, nil
	case tea.PasteMsg:
		return m.routeToScreen(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Interrupt) {
		m.interrupted = true
		return m, tea.Quit
	}
	if m.showHelp {
		m.showHelp = false
		return m, nil
	}
	if !m.typing() {
		switch {
		case key.Matches(msg, m.keys.Help):
			m.showHelp = true
			return m, nil
		case key.Matches(msg, m.keys.Quit):
			return m, tea.Quit
		case key.Matches(msg, m.keys.Stacks) && m.a != nil && m.screen != screenStacks && m.screen != screenHome:
			m.returnTo, m.screen = m.screen, screenStacks
			m.stacksV = stacksScreen{}
			return m, nil
		case key.Matches(msg, m.keys.Trail) && m.a != nil && m.screen != screenTrail && m.screen != screenHome:
			m.returnTo, m.screen = m.screen, screenTrail
			m.trail = trailScreen{}
			return m, m.loadTrail()
		case key.Matches(msg, m.keys.Next) && m.a != nil && m.isStep():
			return m.goStep(+1)
		case key.Matches(msg, m.keys.Prev) && m.a != nil && m.isStep():
			return m.goStep(-1)
		}
	}
	return m.routeToScreen(msg)
}

func (m Model) routeToScreen(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.screen {
	case screenHome:
		cmd = m.home.update(&m, msg)
	case screenScope:
		cmd = m.scope.update(&m, msg)
	case screenSupplier:
		cmd = m.supplier.update(&m, msg)
	case screenServices:
		cmd = m.services.update(&m, msg)
	case screenQuestions:
		cmd = m.questions.update(&m, msg)
	case screenReview:
		cmd = m.reviewS.update(&m, msg)
	case screenStacks:
		cmd = m.stacksV.update(&m, msg)
	case screenTrail:
		cmd = m.trail.update(&m, msg)
	}
	return m, cmd
}

// typing reports whether a text field has focus, so letters are text.
func (m *Model) typing() bool {
	switch m.screen {
	case screenHome:
		return m.home.typing()
	case screenScope:
		return m.scope.typing()
	case screenSupplier:
		return m.supplier.typing()
	case screenServices:
		return m.services.typing()
	case screenQuestions:
		return m.questions.typing()
	case screenReview:
		return m.reviewS.typing()
	}
	return false
}

func (m *Model) isStep() bool {
	for _, s := range steps[1:] {
		if s.id == m.screen {
			return true
		}
	}
	return false
}

func (m Model) goStep(delta int) (tea.Model, tea.Cmd) {
	for i, s := range steps {
		if s.id == m.screen {
			j := i + delta
			if j < 1 || j >= len(steps) {
				return m, nil
			}
			m.enter(steps[j].id)
			return m, nil
		}
	}
	return m, nil
}

// enter switches to a screen, preparing it from the open assessment.
func (m *Model) enter(id screenID) {
	m.screen = id
	switch id {
	case screenHome:
		m.a = nil
	case screenScope:
		m.scope = newScopeScreen(m.a)
	case screenSupplier:
		m.supplier = newSupplierScreen()
	case screenServices:
		m.services = newServicesScreen(m.cfg.Catalog)
	case screenQuestions:
		m.questions.sync(m)
	case screenReview:
		m.reviewS = reviewScreen{}
	}
}

func (m Model) opened(msg openedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setError("could not open: " + msg.err.Error())
		return m, nil
	}
	m.setAssessment(msg.a)
	m.questions = questionsScreen{}
	m.enter(msg.to)
	return m, nil
}

func (m Model) saved(msg savedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setError("NOT SAVED: " + msg.err.Error())
		return m, nil
	}
	if m.a == nil || m.a.ID == msg.a.ID || msg.a.ID != "" {
		m.setAssessment(msg.a)
	}
	if msg.onOK != nil {
		msg.onOK(&m)
	}
	m.setStatus("saved " + m.cfg.Now().Format("15:04:05") + " · " + msg.what)
	return m, m.loadSummaries()
}

func (m *Model) setAssessment(a model.Assessment) {
	m.a = &a
	m.review = m.cfg.Catalog.Review(m.a, m.cfg.Now())
}

func (m *Model) setStatus(s string) { m.status, m.statusBad = s, false }
func (m *Model) setError(s string)  { m.status, m.statusBad = s, true }

func (m Model) loadTrail() tea.Cmd {
	st, id := m.cfg.Store, m.a.ID
	return func() tea.Msg {
		e, err := st.History(id)
		return trailMsg{e, err}
	}
}

// View draws the header, the active screen, the status line and the help
// line, never wider or taller than the terminal.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "onus"
	return v
}

func (m Model) render() string {
	w, h := m.width, m.height
	if w < MinWidth || h < MinHeight {
		msg := fmt.Sprintf("terminal too small (need %dx%d)", MinWidth, MinHeight)
		lines := []string{msg, fmt.Sprintf("now %dx%d: enlarge the window or reduce the font size", w, h)}
		return fit(lines, w, h)
	}
	header := m.header(w)
	footer := []string{m.statusLine(w), m.helpLine(w)}
	bodyH := h - 2 - len(footer)
	var body string
	if m.showHelp {
		body = m.fullHelp(w)
	} else {
		body = m.screenView(w, bodyH)
	}
	lines := append([]string{header, ""}, fitLines(strings.Split(body, "\n"), w, bodyH)...)
	lines = append(lines, footer...)
	return fit(lines, w, h)
}

func (m Model) screenView(w, h int) string {
	switch m.screen {
	case screenHome:
		return m.home.view(&m, w, h)
	case screenScope:
		return m.scope.view(&m, w, h)
	case screenSupplier:
		return m.supplier.view(&m, w, h)
	case screenServices:
		return m.services.view(&m, w, h)
	case screenQuestions:
		return m.questions.view(&m, w, h)
	case screenReview:
		return m.reviewS.view(&m, w, h)
	case screenStacks:
		return m.stacksV.view(&m, w, h)
	case screenTrail:
		return m.trail.view(&m, w, h)
	}
	return ""
}

func (m Model) header(w int) string {
	title := m.styles.Header.Render("ONUS")
	if m.a != nil {
		title += " " + m.styles.Title.Render(safetext.Line(m.a.Name))
	}
	var crumbs []string
	for _, s := range steps {
		name := s.name
		if s.id == m.screen || (s.id == m.returnTo && (m.screen == screenStacks || m.screen == screenTrail)) {
			crumbs = append(crumbs, m.styles.CrumbActive.Render(name))
		} else {
			crumbs = append(crumbs, m.styles.Crumb.Render(name))
		}
	}
	switch m.screen {
	case screenStacks:
		crumbs = append(crumbs, m.styles.CrumbActive.Render("Stacks"))
	case screenTrail:
		crumbs = append(crumbs, m.styles.CrumbActive.Render("Audit trail"))
	}
	right := strings.Join(crumbs, m.styles.Crumb.Render(" › "))
	gap := w - ansi.StringWidth(title) - ansi.StringWidth(right)
	if gap < 2 {
		return ansi.Truncate(title+"  "+right, w, "…")
	}
	return title + strings.Repeat(" ", gap) + right
}

func (m Model) statusLine(w int) string {
	if m.status == "" {
		if m.a != nil {
			return m.styles.Muted.Render(fmt.Sprintf("answered %d of %d · %d gaps · every answer is saved as you give it",
				m.review.Answered, len(m.review.Applicable), len(m.review.Gaps)))
		}
		return ""
	}
	s := safetext.Line(m.status)
	if m.statusBad {
		return m.styles.NotSaved.Render(ansi.Truncate(s, w, "…"))
	}
	return m.styles.Saved.Render("✔ " + ansi.Truncate(s, w-2, "…"))
}

// bindings lists the active screen's keys for the help line.
func (m Model) bindings() []key.Binding {
	var b []key.Binding
	switch m.screen {
	case screenHome:
		b = m.home.keys(&m)
	case screenScope:
		b = m.scope.keys(&m)
	case screenSupplier:
		b = m.supplier.keys(&m)
	case screenServices:
		b = m.services.keys(&m)
	case screenQuestions:
		b = m.questions.keys(&m)
	case screenReview:
		b = m.reviewS.keys(&m)
	case screenStacks:
		b = m.stacksV.keys(&m)
	case screenTrail:
		b = m.trail.keys(&m)
	}
	if !m.typing() {
		if m.a != nil && m.isStep() {
			b = append(b, m.keys.Next, m.keys.Stacks, m.keys.Trail)
		}
		b = append(b, m.keys.Help, m.keys.Quit)
	}
	return b
}

func (m Model) helpLine(w int) string {
	h := m.help
	h.SetWidth(w)
	return h.ShortHelpView(m.bindings())
}

func (m Model) fullHelp(w int) string {
	k := m.keys
	groups := [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown},
		{k.Enter, k.Back, k.Next, k.Prev, k.Filter, k.Toggle},
		{k.Status1, k.Status2, k.Status3, k.Status4, k.Status5, k.Clear},
		{k.NextUnanswered, k.Skip, k.Evidence, k.Note, k.Layers},
		{k.New, k.Duplicate, k.Delete, k.Export, k.Stacks, k.Trail, k.Sign, k.Workflow},
		{k.Help, k.Quit, k.Interrupt},
	}
	h := m.help
	h.SetWidth(w)
	return m.styles.Title.Render("Keys") + " (any key closes)\n\n" + h.FullHelpView(groups) +
		"\n\nQuestions: 1–5 set the status and save at once; 5 asks for the justification.\n" +
		"Every change is saved the moment you make it and recorded in the audit trail (t)."
}

// fitLines cuts or pads lines to exactly h lines of at most w cells.
func fitLines(lines []string, w, h int) []string {
	if h < 0 {
		h = 0
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = ansi.Truncate(lines[i], max(w, 0), "…")
		}
	}
	return out
}

func fit(lines []string, w, h int) string {
	if h < 1 {
		return ""
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], max(w, 0), "")
	}
	return strings.Join(lines, "\n")
}
