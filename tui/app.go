// Package tui is Onus's terminal wizard: one root Bubble Tea model that
// routes keys to the dialog on top, else to the active screen, with one file
// per screen and per dialog. Every store call runs as a tea.Cmd, one at a
// time (save.go); View only draws.
//
// To add a screen: a file with a type implementing screen (embed
// plainScreen for the defaults), a screenID, its case in active, and, if it
// is a step, its entry in steps. To add a dialog: a type implementing
// dialog, opened with m.openDialog. To add a key: keys.go.
package tui

import (
	"io"
	"os"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/safetext"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/sign"
	"github.com/onus-gxp/onus/store"
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
	SelectServicesBecause(id string, ids []string, reason string) (model.Assessment, error)
	DeselectServices(id string, ids []string) (model.Assessment, error)
	SetOverride(id, service string, o model.ServiceOverride) (model.Assessment, error)
	ClearOverride(id, service, layer string) (model.Assessment, error)
	SetSupplierRecord(id string, r model.SupplierRecord) (model.Assessment, error)
	RemoveSupplierRecord(id, source string) (model.Assessment, error)
	AddEntry(id string, e model.EvidenceEntry) (model.Assessment, error)
	EditEntry(id string, e model.EvidenceEntry) (model.Assessment, error)
	RemoveEntry(id, entry string) (model.Assessment, error)
	SetLinks(id, control string, links []model.EvidenceLink) (model.Assessment, error)
	SetReportChoice(id, source string, choice *model.ReportChoice) (model.Assessment, error)
	SetRecord(id, was string, r model.RecordEntry) (model.Assessment, error)
	RemoveRecord(id, class string) (model.Assessment, error)
	SetGAMP(id, service string, g *model.GAMPOverride) (model.Assessment, error)
	MoveToCatalog(id string, to *model.Catalog, reason string) (model.Assessment, error)
	Answer(id string, ans model.Answer, reason string) (model.Assessment, error)
	// AnswersAs records a filled prep pack's answers by its respondent.
	AnswersAs(respondent, id string, answers []model.Answer, reason string) (model.Assessment, error)
	SetWorkflow(id string, w model.Workflow, reason string) (model.Assessment, error)
	PrepareSign(id string, req store.SignRequest, cat *model.Catalog, fingerprint string) (model.Manifest, error)
	Sign(id string, req store.SignRequest, cat *model.Catalog, key store.Signer) (model.Assessment, error)
	Reopen(id, reason string) (model.Assessment, error)
	Milestone(id, name string) (model.Assessment, error)
	Diff(cat *model.Catalog, from, to string) (model.Diff, error)
	// Check is the check every change makes; an assessment that fails it
	// opens read-only. Verify is the full check the trail screen shows.
	Check(id string) error
	Verify(id string) store.VerifyResult
	Duplicate(id, newName string) (model.Assessment, error)
	Delete(id, reason string) (model.Assessment, error)
	History(id string) ([]model.AuditEntry, error)
	RaiseAction(id string, it model.ActionItem, reason string) (model.Assessment, error)
	UpdateAction(id string, it model.ActionItem, reason string) (model.Assessment, error)
	Export(id string) (model.Bundle, error)
	// The wizard's own state (last place, unsaved draft), outside the
	// records: see store/drafts.go.
	WizardState(id string) (store.WizardState, error)
	SetWizardState(id string, s store.WizardState) error
	// Commits moves with every change to the file: a copy read while it
	// stood still is current (prefetch.go).
	Commits() uint64
}

// Exporter renders an assessment in a named format (md, html, json, ...),
// writing it to w as it is made.
type Exporter func(w io.Writer, format string, cat *model.Catalog, b model.Bundle) error

// Config is what the wizard is started with.
type Config struct {
	// Catalog returns the catalog. The wizard first asks for it when an
	// assessment is opened or created, so the caller may still be loading
	// it while the list is drawn; it must not fail.
	Catalog func() *model.Catalog
	// CatalogLoaded, when set, waits for a catalog still being read and
	// says why it is not valid (nil: it is); until it returns, keys wait,
	// and on an error the wizard stops (catalogload.go). Catalog returns
	// nil after such an error.
	CatalogLoaded func() error
	// CatalogChecked, when set with CatalogLoaded, returns once the catalog
	// being read is known to be valid or not, which may be before
	// CatalogLoaded returns (a large catalog's hash is computed after it):
	// the first screen waits for it rather than for CatalogLoaded, and keys
	// still wait for CatalogLoaded.
	CatalogChecked func() error
	// FirstFrame, when set, is called once, on its own goroutine, when
	// the first frame has reached the terminal (Run): the caller may then
	// give back what it lent the start (cmd/onus: a processor, the
	// collector's room).
	FirstFrame func()
	// Earlier finds the catalog an assessment was made with, when it is
	// not the one in effect (assets.EarlierFor): called in a command when
	// such an assessment opens, to say what a move would change. Nil: only
	// the answers a move drops are said.
	Earlier func(model.CatalogRef) (*model.Catalog, bool)
	Store   Store
	Now     func() time.Time // the clock; tests pass a fixed one
	Colour  bool
	Formats []string // export formats offered, first is the default
	Export  Exporter // nil: the JSON bundle only
	// WriteOut writes a file at path with what write writes as it makes
	// it, and returns its length; an error from write leaves no file.
	WriteOut func(path string, write func(io.Writer) error) (int64, error)
	// Dir is the folder a relative path typed in the wizard starts in (an
	// export's folder, infrastructure-as-code files, a filled prep pack);
	// "" is the working directory when New runs.
	Dir string
	// ExportDir is the folder exports are offered in; "" means
	// DefaultExportDir. The user can type another in the export dialog.
	ExportDir string
	// NoMouse starts with mouse capture off (m turns it on): the terminal
	// then selects text as usual, and clicks and the wheel do nothing.
	NoMouse bool
	// Theme is one of Themes; "" is "auto"; ThemeProjector starts in
	// projector mode (P toggles it).
	Theme string
	// Opening, when set, opens the database while Run starts: it returns
	// the Catalog, CatalogLoaded, Store, FirstList and WriteOut to use
	// (left unset here), or why the file cannot be used. Keys wait for it;
	// on an error the wizard stops without having drawn anything, and Run
	// returns that error (opening.go).
	Opening func() (Config, error)
	// FirstList is the first list of assessments, read by the caller while
	// the terminal is set up (cmd/onus starts it before the wizard); nil
	// means the wizard lists through the store.
	FirstList func() ([]model.Summary, error)
	// Facilitate, when set, gives this user the facilitator's keys of
	// onus serve (live.go).
	Facilitate *Facilitation
	// OnMove, when set, is told where the user is each time that changes
	// (onus serve shows it to the others); it is called from the event
	// loop and must not block.
	OnMove func(Place)
	// ReadPack reads a filled prep pack to import (nil: prep.ReadFile);
	// onus serve lets only the facilitator read files of their machine.
	ReadPack func(path string) ([]byte, error)
	// ReadOnly, when set, is why nothing can be changed in this session
	// (an observer of onus serve); the status line shows it.
	ReadOnly string
	// SigningKeys lists the keys a signer may choose (nil: the
	// ssh-agent's keys and the key files in ~/.ssh, sign.Candidates).
	SigningKeys func() ([]sign.Candidate, error)
	// AllowedSigners reads the organisation's allowed-signers file, nil
	// when there is none (nil: the default file, sign.DefaultAllowedSigners).
	AllowedSigners func() (*sign.AllowedSigners, error)
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
	screenRecords
	screenSupplier
	screenServices
	screenQuestions
	screenReview
	screenStacks
	screenTrail
	screenEvidence
	screenDiff
	screenActions
)

// step is one of the wizard's steps; name is also how a step is kept as
// the last place.
type step struct {
	id   screenID
	name string
}

// steps are the wizard's steps in order, for the breadcrumb and tab. The
// record inventory is a step only while Part 11 is in effect (or the
// assessment has one): see Model.steps.
var steps = []step{
	{screenHome, "Home"}, {screenScope, "Scope"}, {screenRecords, "Records"}, {screenSupplier, "Supplier"},
	{screenServices, "Services"}, {screenQuestions, "Questions"}, {screenReview, "Review"},
}

// views are the screens reached from any step, not steps themselves.
var views = []struct {
	id   screenID
	name string
}{{screenStacks, "Stacks"}, {screenTrail, "Trail"}, {screenEvidence, "Evidence"}, {screenDiff, "Diff"}, {screenActions, "Actions"}}

// Model is the root model.
type Model struct {
	cfg    Config
	keys   keyMap
	styles Styles
	isDark bool
	now    time.Time // the clock read at the last message, so View never reads it
	mouse  bool      // mouse capture on

	// projector is projector mode (projector.go): large-type layout, high contrast.
	projector bool

	width, height int
	screen        screenID
	stack         []place  // where esc goes back to, newest last
	dialogs       []dialog // on top of the screen, newest last

	summaries []model.Summary
	a         *model.Assessment // the open assessment, as last saved
	cur       *model.Assessment // the same as the user sees it: saved plus queued changes
	review    model.Review      // of cur
	// resolved is the review's resolution (the controls that apply and who
	// owns each): of cur's scope and services, or, while the user changes
	// them, the last one made until resolveLater brings the new one.
	resolved  *model.Resolved
	resolving bool // a resolveLater command is in flight
	saves     saveQueue
	undo      []undoStep // this session's changes, newest last
	state     stateWriter

	status      string // what happened last (saved, exported…)
	flash       string // an error about the last key; cleared by the next key
	damaged     string // the background check's verdict on a damaged file; stays on the status line
	catalogErr  error  // the catalog still being read was not valid: the wizard stops (catalogload.go)
	openErr     error  // Config.Opening could not open the file: the wizard stops (opening.go)
	showOutput  func() // lets Bubble Tea's output through once the first screen is ready (opening.go)
	listIn      bool   // the first list, or why it could not be read, is in
	catalogOK   bool   // the catalog being read is valid (Config.CatalogChecked or CatalogLoaded)
	catalogHeld bool   // keys wait for the catalog being read (awaitCatalog)
	broken      string // why the open assessment fails its integrity check: it is read-only
	listedOnce  bool

	waiting int       // commands the next keys depend on (open, create, export), in flight
	pending []tea.Msg // keys and pastes that came meanwhile, replayed in order after
	// quitting: quit once the queued saves are done; interrupted: by ctrl+c.
	quitting, interrupted bool
	// settled: the user has acted where they are, or gone there, so it is
	// the place to come back to; going back through places with esc, on
	// the way out, does not settle.
	settled bool

	home      homeScreen
	scope     scopeScreen
	records   recordsScreen
	supplier  supplierScreen
	services  servicesScreen
	questions questionsScreen
	reviewS   reviewScreen
	stacksV   stacksScreen
	trail     trailScreen
	evidence  evidenceScreen
	diff      diffScreen

	// reviewed is the review the command that opened the assessment made
	// of it, for the refresh that takes it (see refresh).
	reviewed *model.Review
	actionsV actionsScreen

	// Live sessions (live.go): where this user was last reported, and
	// where the others are.
	place    Place
	presence Presence
	// following and locking are the facilitator's switches; locked is
	// who locked answering, for everyone else.
	following, locking bool
	locked             string
	knocks             Knocks // refused keys waiting for a facilitator (admit.go)

	pre prefetch // the highlighted assessment's open, read ahead (prefetch.go)
}

// New builds the root model. It is used through a pointer: the screens'
// state is large, and a copy per message would cost more than the
// message.
func New(cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ExportDir == "" {
		cfg.ExportDir = DefaultExportDir(os.Getenv)
	}
	if cfg.Dir == "" {
		cfg.Dir, _ = os.Getwd() // on failure relative paths stay relative
	}
	if cfg.SigningKeys == nil {
		cfg.SigningKeys = func() ([]sign.Candidate, error) { return sign.Candidates(os.Getenv) }
	}
	if cfg.AllowedSigners == nil {
		cfg.AllowedSigners = func() (*sign.AllowedSigners, error) { return sign.ReadDefaultAllowedSigners(os.Getenv) }
	}
	m := &Model{cfg: cfg, keys: newKeyMap(), isDark: true, width: MinWidth, height: MinHeight, now: cfg.Now(), mouse: !cfg.NoMouse,
		projector: cfg.Theme == ThemeProjector}
	_, dark := fixedBackground(cfg.Theme)
	m.setBackground(dark)
	m.home = newHomeScreen()
	return m
}

// Interrupted reports whether the user quit with ctrl+c.
func (m *Model) Interrupted() bool { return m.interrupted }

// Init asks for the background colour, unless the theme fixes it, and
// loads the assessments, once the database is open.
func (m *Model) Init() tea.Cmd {
	var first tea.Cmd
	if m.cfg.Opening != nil {
		first = m.awaitStore()
	} else {
		first = tea.Batch(m.loadSummaries(), m.awaitCatalog())
	}
	if fixed, _ := fixedBackground(m.cfg.Theme); fixed {
		return first
	}
	return tea.Batch(tea.RequestBackgroundColor, first)
}

// Update handles one message, then replays the keys that waited for it.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.now = m.cfg.Now()
	cmd := m.handle(msg)
	cmds := []tea.Cmd{cmd}
	for m.waiting == 0 && len(m.pending) > 0 {
		next := m.pending[0]
		m.pending = m.pending[1:]
		cmds = append(cmds, m.handle(next))
	}
	m.layout()
	cmds = append(cmds, m.keepState(), m.resolveLater(), m.prefetchLater())
	return m, tea.Batch(cmds...)
}

// handle dispatches one message: replies of commands, then input. Keys,
// pastes and clicks that come while a command they depend on is in flight
// wait for it, so each acts on the screen the user saw when they pressed
// it (ctrl+c never waits).
func (m *Model) handle(msg tea.Msg) tea.Cmd {
	if r, ok := msg.(interface{ unblocks() bool }); ok && r.unblocks() {
		m.waiting = max(0, m.waiting-1)
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return nil
	case tea.BackgroundColorMsg:
		if fixed, _ := fixedBackground(m.cfg.Theme); !fixed {
			m.setBackground(msg.IsDark())
		}
		return nil
	case summariesMsg:
		return m.listed(msg)
	case checkedMsg:
		return m.checked(msg)
	case recountedMsg:
		return m.recounted(msg)
	case storeOpenedMsg:
		return m.storeOpened(msg)
	case catalogCheckedMsg:
		return m.catalogChecked(msg)
	case catalogLoadedMsg:
		return m.catalogLoaded(msg)
	case openedMsg:
		return m.opened(msg)
	case prefetchedMsg:
		return m.prefetched(msg)
	case resolvedMsg:
		return m.resolvedIn(msg)
	case savedMsg:
		return m.saved(msg)
	case Changed:
		return m.changed(msg)
	case Showing:
		m.showing(msg)
		return nil
	case Presence:
		m.presence = msg
		return nil
	case Follow:
		return m.follow(msg)
	case Knocks:
		m.knocked(msg)
		return nil
	case admittedMsg:
		m.admitted(msg)
		return nil
	case packReadMsg:
		m.packRead(msg)
		return nil
	case Locked:
		m.locked = msg.By
		if msg.By == "" {
			m.setStatus("answering unlocked")
		}
		return nil
	case stateMsg:
		return m.stateKept(msg)
	case homeStateMsg:
		return m.homeStateRead(msg)
	case trailMsg:
		return m.trailLoaded(msg)
	case signKeysMsg, signPreparedMsg:
		for _, d := range m.dialogs { // the help may be open over it
			if d, ok := d.(*signDialog); ok {
				return d.reply(m, msg)
			}
		}
		closeKey(msg)
		return nil
	case diffMsg:
		return m.diff.loaded(m, msg)
	case exportMsg:
		return m.exportDone(msg)
	case catalogChangesMsg:
		return m.catalogCompared(msg)
	case iacScannedMsg:
		return m.iacScanned(msg)
	case tea.PasteMsg:
		if m.waiting > 0 {
			m.pending = append(m.pending, msg)
			return nil
		}
		msg.Content = normalisePaste(msg.Content)
		return m.input(msg)
	case tea.KeyPressMsg:
		if m.waiting > 0 && !key.Matches(msg, m.keys.Interrupt) {
			m.pending = append(m.pending, msg)
			return nil
		}
		// Typed text is untrusted too (a terminal or an input method can
		// send any character): controls and bidirectional overrides become
		// visible placeholders before a text field holds them.
		msg.Text = safetext.Clean(msg.Text)
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		if m.waiting > 0 || !m.mouse {
			return nil // a click is aimed at what is on screen now
		}
		return m.pointer(msg.(tea.MouseMsg))
	}
	return nil
}

func (m *Model) catalog() *model.Catalog { return m.cfg.Catalog() }

func (m *Model) setBackground(isDark bool) {
	m.isDark = isDark
	if m.projector {
		m.styles.buildProjector(isDark, m.cfg.Colour)
		return
	}
	m.styles.build(isDark, m.cfg.Colour)
}

// key handles a key: the dialog on top has it, else the screen; keys no
// screen action takes are the global ones (help, quit, back, jump…).
func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, m.keys.Interrupt) {
		return m.interrupt()
	}
	m.flash = ""
	if d := m.dialog(); d != nil {
		m.settled = true
		if cmd, ok := run(m, m.withHelp(d.actions(m), d.typing()), k); ok {
			return cmd
		}
		return d.update(m, k)
	}
	s := m.active()
	if s.typing() {
		m.settled = true
		if cmd, ok := run(m, m.withHelp(s.actions(m), true), k); ok {
			return cmd
		}
		return s.update(m, k)
	}
	retry := m.resume() // the user acted: try kept saves again first
	if cmd, ok := run(m, s.actions(m), k); ok {
		m.settled = true
		return tea.Batch(retry, cmd)
	}
	if cmd, ok := run(m, m.globalActions(), k); ok {
		return tea.Batch(retry, cmd)
	}
	return tea.Batch(retry, s.update(m, k))
}

// input hands a paste (or any other input) to the text field that has focus.
func (m *Model) input(msg tea.Msg) tea.Cmd {
	if d := m.dialog(); d != nil {
		return d.update(m, msg)
	}
	return m.active().update(m, msg)
}

// withHelp adds the help key to a dialog's or a form's actions: f1 where
// letters are text, ? elsewhere.
func (m *Model) withHelp(actions []action, typing bool) []action {
	b := m.keys.Help
	if typing {
		b = m.keys.FormHelp
	}
	return append(actions, quiet(act(b, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.openHelp(); return nil })))
}

// globalActions are the keys every screen has, unless a screen action or
// a text field has taken them.
func (m *Model) globalActions() []action {
	k := m.keys
	acts := []action{
		act(k.Help, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.openHelp(); return nil }),
		act(k.Quit, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.quit() }),
		act(k.Jump, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openPalette() }),
		act(k.Mouse, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.toggleMouse(); return nil }),
		act(k.Projector, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.toggleProjector(); return nil }),
		act(k.Interrupt, nil),
	}
	acts = append(acts, m.facilitatorActions()...)
	if m.a == nil {
		return acts
	}
	acts = append(acts, act(k.Back, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.back() }))
	// By the steps' fixed order: the record inventory keeps its
	// neighbours while it is on screen, even if it stopped being a step.
	if i := slices.IndexFunc(steps, func(s step) bool { return s.id == m.screen }); i > 0 && i < len(steps)-1 {
		acts = append(acts, act(k.NextStep, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.goStep(+1) }))
	}
	if slices.IndexFunc(steps, func(s step) bool { return s.id == m.screen }) > 0 {
		acts = append(acts, act(k.PrevStep, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.goStep(-1) }))
	}
	return append(acts,
		act(k.Stacks, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.goTo(place{screen: screenStacks}) }),
		act(k.Trail, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.goTo(place{screen: screenTrail}) }),
		act(k.Register, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.goTo(place{screen: screenEvidence}) }),
		act(k.Compare, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.goTo(place{screen: screenDiff}) }),
		act(k.Actions, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.goTo(place{screen: screenActions}) }),
		act(k.Export, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openExport(m.a.ID, m.cur.Name) }),
		editing(act(k.ImportPack, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.openImport() })),
		editing(act(k.Undo, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return m.undoLast() })),
	)
}

// screen is what every screen offers the root model.
type screen interface {
	// actions are the keys of the screen as it stands (a filter open, a
	// field being edited…): they drive the dispatch, the footer and the
	// help.
	actions(m *Model) []action
	// update takes what no action did: typed text, pastes.
	update(m *Model, msg tea.Msg) tea.Cmd
	// view draws the screen in w×h cells and marks where clicks go in hs.
	view(m *Model, hs *hits, w, h int) string
	// typing reports that a text field has focus, so letters are text.
	typing() bool
	// back closes what the screen has open (a filter, a mode) and
	// reports whether there was anything; esc then goes no further.
	back(m *Model) bool
	// place is the position to come back to (a control id, a row), and
	// seek goes back to one.
	place(m *Model) string
	seek(m *Model, at string)
	// setSize gives the screen its size before a key reaches it, so text
	// fields scroll with their cursor.
	setSize(m *Model, w, h int)
}

// plainScreen gives a screen the defaults it does not need to write.
type plainScreen struct{}

func (plainScreen) update(*Model, tea.Msg) tea.Cmd { return nil }
func (plainScreen) typing() bool                   { return false }
func (plainScreen) back(*Model) bool               { return false }
func (plainScreen) place(*Model) string            { return "" }
func (plainScreen) seek(*Model, string)            {}

// active is the screen on show.
func (m *Model) active() screen { return m.screenOf(m.screen) }

func (m *Model) screenOf(id screenID) screen {
	switch id {
	case screenScope:
		return &m.scope
	case screenRecords:
		return &m.records
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
	case screenEvidence:
		return &m.evidence
	case screenDiff:
		return &m.diff
	case screenActions:
		return &m.actionsV
	}
	return &m.home
}

// typing reports whether a text field has focus, so letters are text.
func (m *Model) typing() bool {
	if d := m.dialog(); d != nil {
		return d.typing()
	}
	return m.active().typing()
}

// layout gives the screen and the dialog on top their sizes.
func (m *Model) layout() {
	w, h := m.bodySize()
	m.active().setSize(m, w, h)
	if d := m.dialog(); d != nil {
		dw, dh := dialogSize(w, h)
		d.setSize(m, dw, dh)
	}
}

// setAssessment takes the assessment as last saved and recomputes what
// the user sees from it and the queued changes.
func (m *Model) setAssessment(a model.Assessment) {
	a = model.WithRegister(a) // free text as the store files it at the next change
	m.a = &a
	m.refresh()
}

func (m *Model) setStatus(s string) { m.status = s }

// flashError shows an error about what the user just did until their next key.
func (m *Model) flashError(s string) { m.flash = s }
