package tui

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // list times render the same on every machine
	firstScreenGrace = 0  // the harness runs commands in line
	os.Exit(m.Run())
}

var testNow = time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC)

// harness drives the root model with real store commands, synchronously.
type harness struct {
	t      testing.TB
	m      *Model
	db     *store.DB
	dir    string
	quit   bool
	writes map[string][]byte
}

func testCatalog(t testing.TB) *model.Catalog {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), "embedded")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func newHarness(t testing.TB, w, h int) *harness {
	t.Helper()
	return newHarnessWith(t, w, h, nil, nil)
}

// newHarnessWith runs the wizard on a wrapped store (to make saves fail)
// or another catalog; nil means the real store and the embedded catalog.
func newHarnessWith(t testing.TB, w, h int, wrap func(*store.DB) Store, cat *model.Catalog) *harness {
	t.Helper()
	dir := t.TempDir()
	if cat == nil {
		cat = testCatalog(t)
	}
	if wrap == nil {
		wrap = func(db *store.DB) Store { return db }
	}
	// A clock that moves one second per reading: deterministic, and
	// changes made one after another sort in the order they were made.
	tick := 0
	clock := func() time.Time { tick++; return testNow.Add(time.Duration(tick) * time.Second) }
	db, err := store.Open(filepath.Join(dir, "onus.db"), store.Options{Actor: "tester", Now: clock, Progress: cat.Progress})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hs := &harness{t: t, db: db, dir: dir, writes: map[string][]byte{}}
	hs.m = New(Config{
		Catalog: func() *model.Catalog { return cat }, Earlier: assets.EarlierFor, Store: wrap(db), Now: func() time.Time { return testNow },
		Formats: []string{"json", "md"}, ExportDir: dir, SigningKeys: testKeys, AllowedSigners: testAllowedSigners,
		WriteOut: func(path string, write func(io.Writer) error) (int64, error) {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				return 0, err
			}
			hs.writes[path] = buf.Bytes()
			return int64(buf.Len()), nil
		},
	})
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(hs.m.Init())
	return hs
}

// send delivers a message and runs the commands it returns.
func (h *harness) send(msg tea.Msg) {
	next, cmd := h.m.Update(msg)
	h.m = next.(*Model)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		if isOurs(msg) {
			h.send(msg)
		}
	}
}

// isOurs keeps the harness to the wizard's own messages; terminal queries
// such as the background colour request have no terminal to answer them.
func isOurs(msg tea.Msg) bool {
	switch msg.(type) {
	case summariesMsg, checkedMsg, recountedMsg, openedMsg, prefetchedMsg, resolvedMsg, savedMsg, trailMsg, exportMsg, stateMsg, homeStateMsg, catalogChangesMsg, diffMsg, signKeysMsg,
		signPreparedMsg, iacScannedMsg, admittedMsg, packReadMsg, storeOpenedMsg, catalogLoadedMsg, catalogCheckedMsg,
		tea.KeyPressMsg, tea.WindowSizeMsg, tea.PasteMsg:
		return true
	}
	return false
}

// press sends keys by name: "enter", "esc", "tab", "shift+tab", "up",
// "down", "left", "right", "space", "ctrl+c", or a single character.
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	special := map[string]tea.Key{
		"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
		"left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight}, "space": {Code: tea.KeySpace, Text: " "},
		"ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "pgdown": {Code: tea.KeyPgDown}, "pgup": {Code: tea.KeyPgUp},
		"backspace": {Code: tea.KeyBackspace}, "ctrl+u": {Code: 'u', Mod: tea.ModCtrl},
		"ctrl+z": {Code: 'z', Mod: tea.ModCtrl}, "ctrl+j": {Code: 'j', Mod: tea.ModCtrl}, "ctrl+k": {Code: 'k', Mod: tea.ModCtrl},
		"f1": {Code: tea.KeyF1}, "home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd}, "delete": {Code: tea.KeyDelete},
		"shift+down": {Code: tea.KeyDown, Mod: tea.ModShift}, "shift+up": {Code: tea.KeyUp, Mod: tea.ModShift},
	}
	if s, ok := special[k]; ok {
		return tea.KeyPressMsg(s)
	}
	if c, ok := strings.CutPrefix(k, "ctrl+"); ok && len(c) == 1 {
		return tea.KeyPressMsg(tea.Key{Code: rune(c[0]), Mod: tea.ModCtrl})
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg(tea.Key{Code: r, Text: string(r)})
}

// typeText types every rune of s.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg(tea.Key{Code: r, Text: string(r)}))
	}
}

// view is the screen without escape codes.
func (h *harness) view() string { return ansi.Strip(h.m.View().Content) }

// checkFits fails when any line is wider, or the view taller, than the terminal.
func checkFits(t testing.TB, content string, w, hgt int) {
	t.Helper()
	lines := strings.Split(content, "\n")
	if len(lines) > max(hgt, 1) {
		t.Fatalf("view has %d lines for a %dx%d terminal", len(lines), w, hgt)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Fatalf("line %d is %d cells wide for a %dx%d terminal: %q", i, got, w, hgt, ansi.Strip(l))
		}
	}
}

// newAssessment creates one through the wizard and lands on the scope.
func (h *harness) newAssessment(name string) {
	h.press("n")
	h.typeText(name)
	h.press("enter")
	if h.m.screen != screenScope || h.m.a == nil {
		h.t.Fatalf("after creating %q: screen %d, assessment %v", name, h.m.screen, h.m.a)
	}
}

// tabTo presses tab (shift+tab for a step before this one) until the
// named step is on screen.
func (h *harness) tabTo(name string) {
	h.t.Helper()
	key := "tab"
	if slices.IndexFunc(steps, func(s step) bool { return s.name == name }) < slices.IndexFunc(steps, func(s step) bool { return s.id == h.m.screen }) {
		key = "shift+tab"
	}
	for range steps {
		if screenName(h.m.screen) == name {
			return
		}
		h.press(key)
	}
	h.t.Fatalf("tab never reached %s: on %s", name, screenName(h.m.screen))
}

// goHome presses esc until the list of assessments is on screen, back
// through every place the user came from.
func (h *harness) goHome() {
	h.t.Helper()
	for range maxBack + 1 {
		if h.m.screen == screenHome && h.m.dialog() == nil {
			return
		}
		h.press("esc")
	}
	h.t.Fatalf("esc never reached home:\n%s", h.view())
}

// selectServices picks services through the filter on the services screen.
func (h *harness) selectServices(ids ...string) {
	for _, id := range ids {
		h.press("/")
		h.press("ctrl+u")
		h.typeText(id)
		h.press("enter", "space")
	}
	h.press("/", "esc")
}
