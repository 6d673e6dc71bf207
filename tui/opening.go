package tui

import (
	"os"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// Opening the database beside the terminal's start (Config.Opening). The
// program starts, and its first frame is waited for, while the file is
// opened and checked; the keys wait for the open as for any command. What
// Bubble Tea writes is held until the first list is there (heldOutput), so
// a file that cannot be used is refused as it always was: the wizard
// stops, the terminal is left as it was found, and Run returns why.

// storeOpenedMsg is the end of Config.Opening.
type storeOpenedMsg struct {
	cfg Config
	err error
}

func (storeOpenedMsg) unblocks() bool { return true }

// awaitStore waits for the database being opened.
func (m *Model) awaitStore() tea.Cmd {
	open := m.cfg.Opening
	m.waiting++
	return func() tea.Msg {
		cfg, err := open()
		return storeOpenedMsg{cfg, err}
	}
}

// storeOpened takes what the open brought (Catalog, CatalogLoaded, Store,
// FirstList, WriteOut) and lists the assessments, or stops the wizard
// with why the file cannot be used.
func (m *Model) storeOpened(msg storeOpenedMsg) tea.Cmd {
	if msg.err != nil {
		m.openErr, m.pending = msg.err, nil
		return tea.Quit
	}
	m.cfg.Catalog, m.cfg.CatalogLoaded, m.cfg.CatalogChecked = msg.cfg.Catalog, msg.cfg.CatalogLoaded, msg.cfg.CatalogChecked
	m.cfg.Store = msg.cfg.Store
	m.cfg.FirstList, m.cfg.WriteOut = msg.cfg.FirstList, msg.cfg.WriteOut
	return tea.Batch(m.loadSummaries(), m.awaitCatalog())
}

// showFirstScreen lets Bubble Tea's output reach the terminal, from the
// frame that draws the first list (or why it could not be read) on, once
// a catalog still being read is in and valid: a catalog that is not
// stops the wizard with the terminal as it was, as a damaged file does.
// It has the whole screen drawn again: the renderer writes only what
// changed, and the screen may already show everything (a list that could
// not be read, then the catalog), which would leave the terminal blank.
func (m *Model) showFirstScreen() tea.Cmd {
	if m.showOutput == nil || !m.listIn || m.cfg.CatalogLoaded != nil && !m.catalogOK {
		return nil
	}
	m.showOutput()
	m.showOutput = nil
	return tea.ClearScreen
}

// heldOutput is the terminal as Bubble Tea sees it. Until show, what is
// written is kept; after it, the next write (the frame that shows what
// the model had when show was called) goes out with everything kept
// before it, in order, in one write, so the terminal never shows the
// frames before it; drop, before show, discards it all, so the terminal
// never saw the program. For everything but writing (its size, raw mode)
// it is the terminal itself. (Bubble Tea's Exec would hand a child this
// writer in place of the terminal; the wizard runs no child program.)
type heldOutput struct {
	*os.File
	mu      sync.Mutex
	held    []byte
	shown   bool
	dropped bool
	written func() // called, on its own goroutine, after the first write once shown, held bytes or none (Config.FirstFrame)
}

func holdOutput(f *os.File) *heldOutput { return &heldOutput{File: f} }

func (h *heldOutput) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.dropped:
		return len(p), nil
	case !h.shown:
		h.held = append(h.held, p...)
		return len(p), nil
	case h.held != nil || h.written != nil:
		h.held = append(h.held, p...)
		_, err := h.File.Write(h.held)
		if h.written != nil {
			go h.written()
		}
		h.held, h.written = nil, nil
		return len(p), err
	}
	return h.File.Write(p)
}

// show lets writes through from the next one on; after drop it does
// nothing.
func (h *heldOutput) show() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.shown = !h.dropped
}

// drop discards what is held, unless it was shown.
func (h *heldOutput) drop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.shown {
		h.dropped, h.held = true, nil
	}
}
