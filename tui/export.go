package tui

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// Exports go to a folder the user can find again: DefaultExportDir unless
// Config.ExportDir says otherwise, shown in full and editable in the
// dialog. A folder that does not exist is offered (created on a y, the
// typed path kept on an n), a file that exists is replaced only on a y,
// and the dialog ends by showing the full path of what it wrote.

// DefaultExportDir is the folder exports are offered in: "Onus" in the
// user's documents folder ($XDG_DOCUMENTS_DIR, else ~/Documents).
func DefaultExportDir(getenv func(string) string) string {
	if d := getenv("XDG_DOCUMENTS_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "Onus")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	if home == "" {
		return "." // no home at all: the current folder, shown in full in the dialog
	}
	return filepath.Join(home, "Documents", "Onus")
}

var unsafeFileChars = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9._-]+`) })

// exportFileName is the file an export is offered as: the assessment's
// name, its id and the format's extension.
func exportFileName(name, id, format string) string {
	base := strings.Trim(unsafeFileChars().ReplaceAllString(strings.ToLower(name), "-"), "-")
	if base == "" {
		base = "assessment"
	}
	ext := format
	if strings.HasPrefix(format, "oscal") {
		ext = format + ".json"
	}
	if kind, ok := strings.CutPrefix(format, "prep-"); ok {
		ext = "prep." + kind // the workshop prep pack: name.prep.xlsx opens in a spreadsheet
	}
	return fmt.Sprintf("%s-%s.%s", base, id, ext)
}

// exportDialog picks a format, a folder and a file name, then writes.
type exportDialog struct {
	id, name string
	format   int
	field    int // 0 format, 1 folder, 2 file name
	folder   lineField
	file     lineField
	written  string // the full path once written
	detail   string
}

const (
	exFormat = iota
	exFolder
	exFile
	exFields
)

func (m *Model) openExport(id, name string) tea.Cmd {
	// The JSON bundle first: it is the one format that round-trips.
	d := &exportDialog{id: id, name: name, format: max(0, slices.Index(m.cfg.Formats, "json"))}
	d.folder = newLineField("Folder", m.cfg.ExportDir, 4096)
	d.file = newLineField("File", exportFileName(name, id, m.format(d.format)), 1024)
	m.openDialog(d)
	return nil
}

func (m *Model) format(i int) string {
	if len(m.cfg.Formats) == 0 {
		return "json"
	}
	return m.cfg.Formats[i%len(m.cfg.Formats)]
}

func (d *exportDialog) title() string { return "Export" }
func (d *exportDialog) typing() bool  { return d.written == "" && d.field != exFormat }

func (d *exportDialog) setSize(_ *Model, w, _ int) {
	d.folder.setWidth(w - 10)
	d.file.setWidth(w - 10)
}

// path is the full path the export will be written to; a relative folder
// starts in dir (Config.Dir).
func (d *exportDialog) path(dir string) string {
	return typedPath(dir, filepath.Join(strings.TrimSpace(d.folder.text()), strings.TrimSpace(d.file.text())))
}

func (d *exportDialog) focus(m *Model, i int) tea.Cmd {
	d.folder.blur()
	d.file.blur()
	d.field = (i + exFields) % exFields
	switch d.field {
	case exFolder:
		return d.folder.focus()
	case exFile:
		return d.file.focus()
	}
	return nil
}

func (d *exportDialog) actions(m *Model) []action {
	k := m.keys
	closeIt := func(m *Model, _ tea.KeyPressMsg) tea.Cmd { m.closeDialog(); return nil }
	if d.written != "" {
		return []action{actAs(k.Save, "close", closeIt), actAs(k.Cancel, "close", closeIt), quiet(act(k.Mouse, func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			m.toggleMouse()
			return nil
		}))}
	}
	acts := []action{
		act(k.NextField, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.focus(m, d.field+1) }),
		act(k.PrevField, func(m *Model, _ tea.KeyPressMsg) tea.Cmd { return d.focus(m, d.field-1) }),
	}
	if d.field == exFormat {
		acts = append(acts, actAs(k.Choose, "format", func(m *Model, key tea.KeyPressMsg) tea.Cmd {
			n := max(1, len(m.cfg.Formats))
			old := exportFileName(d.name, d.id, m.format(d.format))
			if key.String() == "left" {
				d.format = (d.format + n - 1) % n
			} else {
				d.format = (d.format + 1) % n
			}
			if d.file.text() == old {
				d.file.set(exportFileName(d.name, d.id, m.format(d.format)))
			}
			return nil
		}))
	}
	return formFirst(append(acts,
		actAs(k.Save, "write the file", func(m *Model, _ tea.KeyPressMsg) tea.Cmd {
			if strings.TrimSpace(d.file.text()) == "" {
				m.flashError("NOT EXPORTED: give a file name")
				return d.focus(m, exFile)
			}
			return m.exportCmd(d, false, false)
		}),
		actAs(k.Cancel, "cancel", closeIt),
	))
}

func (d *exportDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	switch d.field {
	case exFolder:
		return d.folder.update(m, msg)
	case exFile:
		return d.file.update(m, msg)
	}
	return nil
}

func (d *exportDialog) view(m *Model, w, _ int) string {
	st := m.styles
	if d.written != "" {
		lines := []string{st.Saved.Render("✔ Written to:")}
		lines = append(lines, wrap(d.written, w)...)
		lines = append(lines, st.Muted.Render(d.detail))
		for _, l := range wrap("enter or esc closes · m turns the mouse off (or on) so the terminal can select the path", w) {
			lines = append(lines, st.Muted.Render(l))
		}
		return strings.Join(lines, "\n")
	}
	var formats []string
	for i := range max(1, len(m.cfg.Formats)) {
		formats = append(formats, m.format(i))
	}
	mark := func(i int) string {
		if i == d.field {
			return st.Cursor.Render("▸ ")
		}
		return "  "
	}
	lines := []string{
		mark(exFormat) + "Format  " + choiceRow(formats, m.format(d.format), d.field == exFormat, w-10, st),
		mark(exFolder) + "Folder  " + d.folder.view(w-10),
		mark(exFile) + "File    " + d.file.view(w-10),
		"",
	}
	lines = append(lines, wrap("Writes: "+d.path(m.cfg.Dir), w)...)
	for _, l := range wrap("←/→ changes the format · tab moves · enter writes · a missing folder is offered, an existing file asks first", w) {
		lines = append(lines, st.Muted.Render(l))
	}
	return strings.Join(lines, "\n")
}

// exportMsg is the end of an export: written, or waiting for a yes
// (create the folder, replace the file), or failed.
type exportMsg struct {
	d         *exportDialog
	path      string
	needDir   bool
	exists    bool
	detail    string
	err       error
	mkdir     bool
	overwrite bool
}

func (exportMsg) unblocks() bool { return true }

// exportCmd writes the export, unless the folder is missing (and mkdir
// is not set) or the file exists (and overwrite is not set): then it
// reports that, for the user to say yes.
func (m *Model) exportCmd(d *exportDialog, mkdir, overwrite bool) tea.Cmd {
	st, cat, exp, write := m.cfg.Store, m.catalog(), m.cfg.Export, m.cfg.WriteOut
	id, format, path := d.id, m.format(d.format), d.path(m.cfg.Dir)
	m.waiting++
	return func() tea.Msg {
		msg := exportMsg{d: d, path: path, mkdir: mkdir, overwrite: overwrite}
		dir := filepath.Dir(path)
		if info, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			if !mkdir {
				msg.needDir = true
				return msg
			}
			if err := os.MkdirAll(dir, 0o700); err != nil {
				msg.err = err
				return msg
			}
		} else if err != nil {
			msg.err = err
			return msg
		} else if !info.IsDir() {
			msg.err = fmt.Errorf("%s is a file, not a folder", dir)
			return msg
		}
		if _, err := os.Stat(path); err == nil && !overwrite {
			msg.exists = true
			return msg
		}
		b, err := st.Export(id)
		if err != nil {
			msg.err = err
			return msg
		}
		if write == nil {
			msg.err = errors.New("no file writer configured")
			return msg
		}
		n, err := write(path, func(w io.Writer) error {
			if exp != nil {
				return exp(w, format, cat, b)
			}
			data, err := b.Encode()
			if err == nil {
				_, err = w.Write(data)
			}
			return err
		})
		msg.err = err
		msg.detail = fmt.Sprintf("%d bytes, %s, trail head %.12s", n, format, model.Head(b.Trail))
		return msg
	}
}

func (m *Model) exportDone(msg exportMsg) tea.Cmd {
	d := msg.d
	switch {
	case msg.needDir:
		m.confirm("Create the folder?", fmt.Sprintf("%s does not exist. y creates it and writes the file; n or esc goes back to the form.", filepath.Dir(msg.path)),
			func(m *Model) tea.Cmd { return m.exportCmd(d, true, msg.overwrite) })
	case msg.exists:
		m.confirm("Replace the file?", fmt.Sprintf("%s exists. y replaces it; n or esc goes back to the form to change the name.", msg.path),
			func(m *Model) tea.Cmd { return m.exportCmd(d, msg.mkdir, true) })
	case msg.err != nil:
		m.flashError("NOT EXPORTED: " + msg.err.Error())
	default:
		d.written, d.detail = msg.path, msg.detail
		m.setStatus("exported to " + msg.path)
	}
	return nil
}
