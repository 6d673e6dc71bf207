package tui

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// exportForm picks a format and a file path, then exports in a command.
type exportForm struct {
	id, name string
	format   int
	input    textinput.Model
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func defaultExportPath(name, id, format string) string {
	base := strings.Trim(unsafeFileChars.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if base == "" {
		base = "assessment"
	}
	ext := format
	if strings.HasPrefix(format, "oscal") {
		ext = format + ".json"
	}
	return fmt.Sprintf("%s-%s.%s", base, id, ext)
}

func newExportForm(m *Model, id, name string) exportForm {
	// The JSON bundle first: it is the one format that round-trips.
	f := exportForm{id: id, name: name, input: newInput(""), format: max(0, slices.Index(m.cfg.Formats, "json"))}
	f.input.CharLimit = 4096
	f.input.SetValue(defaultExportPath(name, id, m.format(f.format)))
	return f
}

func (m *Model) format(i int) string {
	if len(m.cfg.Formats) == 0 {
		return "json"
	}
	return m.cfg.Formats[i%len(m.cfg.Formats)]
}

// update returns done when the form closes.
func (f *exportForm) update(m *Model, msg tea.Msg) (bool, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	n := max(1, len(m.cfg.Formats))
	if isKey {
		switch k.String() {
		case "esc":
			return true, nil
		case "left", "right":
			old := defaultExportPath(f.name, f.id, m.format(f.format))
			if k.String() == "left" {
				f.format = (f.format + n - 1) % n
			} else {
				f.format = (f.format + 1) % n
			}
			if f.input.Value() == old {
				f.input.SetValue(defaultExportPath(f.name, f.id, m.format(f.format)))
				f.input.CursorEnd()
			}
			return false, nil
		case "enter":
			path := strings.TrimSpace(f.input.Value())
			if path == "" {
				m.setError("NOT EXPORTED: give a file name")
				return false, nil
			}
			return true, m.exportCmd(f.id, m.format(f.format), path)
		}
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return false, cmd
}

func (f *exportForm) view(m *Model, w int) string {
	var formats []string
	for i := range max(1, len(m.cfg.Formats)) {
		name := m.format(i)
		if i == f.format {
			name = m.styles.Selected.Render(" " + name + " ")
		} else {
			name = " " + name + " "
		}
		formats = append(formats, name)
	}
	return m.styles.Title.Render("Export") + "  format (←/→): " + strings.Join(formats, "") +
		"\nfile: " + f.input.View() + "\n" + m.styles.Muted.Render("enter writes the file; esc cancels")
}

func (m *Model) exportCmd(id, format, path string) tea.Cmd {
	st, cat, exp, write := m.cfg.Store, m.catalog(), m.cfg.Export, m.cfg.WriteOut
	return func() tea.Msg {
		b, err := st.Export(id)
		if err != nil {
			return exportedMsg{err: err}
		}
		var data []byte
		if exp != nil {
			data, err = exp(format, cat, b)
		} else {
			data, err = b.Encode()
		}
		if err != nil {
			return exportedMsg{err: err}
		}
		if write == nil {
			return exportedMsg{err: fmt.Errorf("no file writer configured")}
		}
		if err := write(path, data); err != nil {
			return exportedMsg{err: err}
		}
		abs, _ := filepath.Abs(path)
		return exportedMsg{path: abs + fmt.Sprintf(" (%d bytes, trail head %.12s)", len(data), model.Head(b.Trail))}
	}
}
