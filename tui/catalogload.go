package tui

import tea "charm.land/bubbletea/v2"

// A catalog still being read when the wizard starts (a --catalog file,
// read beside the store's open and the terminal's start:
// Config.CatalogLoaded). The home list does not need it; every key waits
// for it, as keys wait for any command they depend on. If it is not valid
// the wizard stops with its problems before acting on any key, so nothing
// is saved with it and nothing of it is shown.

// catalogLoadedMsg says the catalog being read is ready, or why not.
type catalogLoadedMsg struct{ err error }

func (catalogLoadedMsg) unblocks() bool { return true }

// catalogCheckedMsg says the catalog being read is valid, before it is
// ready (Config.CatalogChecked): the first screen may be shown; keys
// still wait for catalogLoadedMsg.
type catalogCheckedMsg struct{ err error }

// awaitCatalog holds the keys until the catalog being read is ready, and
// lets the first screen be shown as soon as it is known to be valid.
func (m *Model) awaitCatalog() tea.Cmd {
	loaded, checked := m.cfg.CatalogLoaded, m.cfg.CatalogChecked
	if loaded == nil {
		return nil
	}
	m.waiting++
	m.catalogHeld = true
	cmd := func() tea.Msg { return catalogLoadedMsg{loaded()} }
	if checked == nil {
		return cmd
	}
	return tea.Batch(cmd, func() tea.Msg { return catalogCheckedMsg{checked()} })
}

// catalogChecked shows the first screen once the catalog is valid; a
// catalog that is not stops the wizard when catalogLoadedMsg says so.
func (m *Model) catalogChecked(msg catalogCheckedMsg) tea.Cmd {
	if msg.err != nil {
		return nil
	}
	m.catalogOK = true
	return m.showFirstScreen()
}

// catalogLoaded lets the keys through, or drops them and stops.
func (m *Model) catalogLoaded(msg catalogLoadedMsg) tea.Cmd {
	m.catalogHeld = false
	if msg.err == nil {
		m.catalogOK = true
		return m.showFirstScreen()
	}
	m.catalogErr, m.pending = msg.err, nil
	return tea.Quit
}

// CatalogFailed is why the catalog being read was refused, when the
// wizard stopped for it (nil otherwise).
func (m *Model) CatalogFailed() error { return m.catalogErr }
