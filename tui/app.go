// Package tui is Onus's terminal wizard: one root Bubble Tea model that
// routes keys to the active screen, with one file per screen. Every store
// call runs as a tea.Cmd, one at a time (save.go); View only draws.
package tui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
)

// Minimum terminal size; below it the wizard says so instead of drawing.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Store is what the wizard needs from the database (*store.DB).
type Store interface {
	Actor() string
	List(includeDeleted bool) ([]model.Summary, error)
	Get(id string) (model.Assessment, error)
	Create(a model.Assessment) (model.Assessment, error)
	UpdateInfo(id string, in model.Info, reason string) (model.Assessment, error)
	UpdateScope(id string, s model.Scope, reason string) (model.Assessment, error)
	SelectServices(id string, ids []string) (model.Assessment, error)
	DeselectServices(id string, ids []string) (model.Assessment, error)
	SetOverride(id, service string, o model.ServiceOverride) (model.Assessment, error)
	ClearOverride(id, service, layer string) (model.Assessment, error)
	SetSupplierRecord(id string, r model.SupplierRecord) (model.Assessment, error)
	RemoveSupplierRecord(id, source string) (model.Assessment, error)
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
	// Catalog returns the catalog. The wizard first asks for it when an
	// assessment is opened or created, so the caller may still be loading
	// it while the list is drawn; it must not fail.
	Catalog  func() *model.Catalog
	Store    Store
	Now      func() time.Time // the clock; tests pass a fixed one
	Colour   bool
	Formats  []string // export formats offered, first is the default
	Export   Exporter // nil: the JSON bundle only
	WriteOut func(path string, data []byte) error
	// FirstList is the first list of assessments, read by the caller while
	// the terminal is set up (cmd/onus starts it before the wizard); nil
	// means the wizard lists through the store.
	FirstList func() ([]model.Summary, error)
	// TestPanic is for tests only (ONUS_TEST_PANIC, see
	// cmd/onus/panic_test.go): the key "!" then panics in Update
	// ("update"), in View ("view"), in a command ("cmd") or in a command
	// of a batch ("batch"), to show that the wizard contains it.
	TestPanic string
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
	now    time.Time // the clock read at the last message, so View never reads it

	width, height int
	screen        screenID
	returnTo      screenID // where esc goes from the stacks and trail views
	showHelp      bool
	quitArmed     bool // q pressed with unsaved changes: a second q quits

	summaries []model.Summary
	a         *model.Assessment // the open assessment, as last saved
	review    model.Review      // recomputed whenever a changes
	saves     saveQueue

	status     string
	statusBad  bool
	damaged    string // the background check's verdict on a damaged file; stays on the status line
	listedOnce bool

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

// New builds the root model. It is used through a pointer: the screens'
// state is large, and a copy per message would cost more than the
// message.
func New(cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Model{cfg: cfg, keys: newKeyMap(), help: help.New(), isDark: true, width: MinWidth, height: MinHeight, now: cfg.Now()}
	m.setBackground(true)
	m.home = newHomeScreen()
	return m
}

// Interrupted reports whether the user quit with ctrl+c.
func (m *Model) Interrupted() bool { return m.interrupted }

// Init asks for the background colour and loads the assessments.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.loadSummaries())
}

// Update dispatches messages: global concerns first, then the active screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.now = m.cfg.Now()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tea.BackgroundColorMsg:
		m.setBackground(msg.IsDark())
		return m, nil
	case summariesMsg:
		return m.listed(msg)
	case checkedMsg:
		return m.checked(msg)
	case openedMsg:
		return m.opened(msg)
	case savedMsg:
		return m.saved(msg)
	case trailMsg:
		return m.trailLoaded(msg)
	case exportedMsg:
		return m.exported(msg)
	case tea.PasteMsg:
		msg.Content = safetext.Clean(msg.Content) // the text input turns newlines into spaces
		return m.routeToScreen(msg)
	case tea.KeyPressMsg:
		// Typed text is untrusted too (a terminal or an input method can
		// send any character): controls and bidirectional overrides become
		// visible placeholders before a text input holds them.
		msg.Text = safetext.Clean(msg.Text)
		return m.key(msg)
	}
	return m, nil
}

func (m *Model) catalog() *model.Catalog { return m.cfg.Catalog() }

func (m *Model) setBackground(isDark bool) {
	m.isDark = isDark
	m.styles = newStyles(isDark, m.cfg.Colour)
	m.help.Styles = m.styles.Help
}

// key handles the global keys, then hands the key to the active screen.
func (m *Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Interrupt) {
		m.interrupted = true
		return m, tea.Quit
	}
	if m.showHelp {
		m.showHelp = false
		return m, nil
	}
	armed := m.quitArmed
	m.quitArmed = false
	if m.typing() {
		return m.routeToScreen(msg)
	}
	retry := m.resume() // the user acted: try kept saves again first
	switch {
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
		return m, retry
	case key.Matches(msg, m.keys.Quit):
		if n := m.unsaved(); n > 0 && !armed {
			m.quitArmed = true
			m.setError(fmt.Sprintf("Quit? %d change(s) are NOT SAVED (%s): q again quits and loses them; any other key tries to save them", n, m.saves.err))
			return m, retry
		}
		return m, tea.Quit
	case key.Matches(msg, m.keys.Stacks) && m.a != nil && m.screen != screenStacks && m.screen != screenHome:
		m.returnTo, m.screen = m.screen, screenStacks
		m.stacksV = stacksScreen{}
		return m, retry
	case key.Matches(msg, m.keys.Trail) && m.a != nil && m.screen != screenTrail && m.screen != screenHome:
		m.returnTo, m.screen = m.screen, screenTrail
		m.trail = trailScreen{}
		return m, tea.Batch(retry, m.loadTrail())
	case key.Matches(msg, m.keys.Next) && m.a != nil && m.isStep():
		m.goStep(+1)
		return m, retry
	case key.Matches(msg, m.keys.Prev) && m.a != nil && m.isStep():
		m.goStep(-1)
		return m, retry
	}
	next, cmd := m.routeToScreen(msg)
	return next, tea.Batch(retry, cmd)
}

func (m *Model) routeToScreen(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.active().update(m, msg)
	return m, cmd
}

// screen is what every screen offers the root model.
type screen interface {
	update(m *Model, msg tea.Msg) tea.Cmd
	view(m *Model, w, h int) string
	keys(m *Model) []key.Binding
	typing() bool // a text field has focus, so letters are text
}

// active is the screen on show.
func (m *Model) active() screen {
	switch m.screen {
	case screenScope:
		return &m.scope
	case screenSupplier:
		return &m.supplier
	case screenServices:
		return &m.services
	case screenQuestions:
		return &m.questions
	case screenReview:
		return &m.reviewS
	case screenStacks:
		return &m.stacksV
	case screenTrail:
		return &m.trail
	}
	return &m.home
}

// typing reports whether a text field has focus, so letters are text.
func (m *Model) typing() bool { return m.active().typing() }

func (m *Model) isStep() bool {
	for _, s := range steps[1:] {
		if s.id == m.screen {
			return true
		}
	}
	return false
}

func (m *Model) goStep(delta int) {
	for i, s := range steps {
		if s.id == m.screen {
			if j := i + delta; j >= 1 && j < len(steps) {
				m.enter(steps[j].id)
			}
			return
		}
	}
}

// enter switches to a screen, preparing it from the open assessment.
func (m *Model) enter(id screenID) {
	m.screen = id
	switch id {
	case screenHome:
		m.a = nil
	case screenScope:
		m.scope = newScopeScreen(m)
	case screenSupplier:
		m.supplier = supplierScreen{}
	case screenServices:
		m.services = newServicesScreen(m.catalog())
	case screenReview:
		m.reviewS = reviewScreen{}
	}
}

// setAssessment takes the assessment as last saved and recomputes what
// depends on it.
func (m *Model) setAssessment(a model.Assessment) {
	m.a = &a
	m.review = m.catalog().Review(m.a, m.now)
	m.questions.sync(m)
}

func (m *Model) setStatus(s string) { m.status, m.statusBad = s, false }
func (m *Model) setError(s string)  { m.status, m.statusBad = s, true }
