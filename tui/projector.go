package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// Projector mode, for a workshop's shared screen: high contrast (every
// colour pair at least 7:1, WCAG AAA, on the light and on the dark
// background, which the wizard then sets itself so that the pair is the
// one measured), and a layout for large type: the question list narrow,
// the question, its owner and the reason first and in bold. P toggles it;
// onus --theme projector starts in it.

// ink is one colour pair the projector theme draws: text on a background.
type ink struct{ fg, bg string }

// projectorPalette is every colour of the projector theme, on a light or a
// dark background.
type projectorPalette struct {
	Text, Accent, Muted, Good, Bad, Warn ink // on the screen's background
	Customer, Shared, AWS                ink // the owners' words
	Selected, NotSaved                   ink // filled bars
	StackCustomer, StackShared, StackAWS ink // the stack diagram's fills
	StackLine                            ink
}

func projectorColours(dark bool) projectorPalette {
	if dark {
		bg := "#000000"
		on := func(fg string) ink { return ink{fg, bg} }
		return projectorPalette{
			Text: on("#FFFFFF"), Accent: on("#D7CCFF"), Muted: on("#C8C8C8"),
			Good: on("#9CF0A8"), Bad: on("#FFB3AD"), Warn: on("#FFE08A"),
			Customer: on("#A8D8FF"), Shared: on("#FFE08A"), AWS: on("#9CF0A8"),
			Selected: ink{"#000000", "#D7CCFF"}, NotSaved: ink{"#000000", "#FFB3AD"},
			StackCustomer: ink{"#000000", "#FFC966"}, StackShared: ink{"#000000", "#A8D8FF"}, StackAWS: ink{"#FFFFFF", "#3A3A3A"},
			StackLine: on("#FFE08A"),
		}
	}
	bg := "#FFFFFF"
	on := func(fg string) ink { return ink{fg, bg} }
	return projectorPalette{
		Text: on("#000000"), Accent: on("#3B1F9E"), Muted: on("#4A4A4A"),
		Good: on("#0B5A1E"), Bad: on("#8B0000"), Warn: on("#5C3D00"),
		Customer: on("#003F7F"), Shared: on("#5C3D00"), AWS: on("#0B5A1E"),
		Selected: ink{"#FFFFFF", "#3B1F9E"}, NotSaved: ink{"#FFFFFF", "#8B0000"},
		StackCustomer: ink{"#000000", "#FFC966"}, StackShared: ink{"#000000", "#A8D8FF"}, StackAWS: ink{"#000000", "#E0E0E0"},
		StackLine: on("#8B0000"),
	}
}

// pairs lists every pair of the palette, for the contrast test.
func (p projectorPalette) pairs() map[string]ink {
	return map[string]ink{
		"text": p.Text, "accent": p.Accent, "muted": p.Muted, "good": p.Good, "bad": p.Bad, "warn": p.Warn,
		"customer": p.Customer, "shared": p.Shared, "aws": p.AWS, "selected": p.Selected, "not saved": p.NotSaved,
		"stack customer": p.StackCustomer, "stack shared": p.StackShared, "stack aws": p.StackAWS, "stack line": p.StackLine,
	}
}

func (i ink) style(s lipgloss.Style, filled bool) lipgloss.Style {
	s = s.Foreground(lipgloss.Color(i.fg))
	if filled {
		s = s.Background(lipgloss.Color(i.bg))
	}
	return s
}

// buildProjector fills st with the projector theme, a style at a time, as
// build does. Without colour it is the plain theme, which is all contrast
// already.
func (st *Styles) buildProjector(isDark, colour bool) {
	if !colour {
		st.build(isDark, false)
		st.projector = true
		return
	}
	*st = Styles{dark: isDark, colour: true, projector: true}
	p := projectorColours(isDark)
	s := lipgloss.NewStyle()
	b := s.Bold(true)
	st.Header = p.Accent.style(b, false)
	st.Crumb = p.Muted.style(s, false)
	st.CrumbActive = p.Accent.style(b.Underline(true), false)
	st.Title = p.Text.style(b, false)
	st.Muted = p.Muted.style(s, false)
	st.Selected = p.Selected.style(b, true)
	st.Cursor = p.Accent.style(b, false)
	st.Saved = p.Good.style(s, false)
	st.NotSaved = p.NotSaved.style(b, true)
	st.Error = p.Bad.style(b, false)
	st.Warn = p.Warn.style(b, false)
	st.Owner = map[model.Responsibility]lipgloss.Style{
		model.Customer:  p.Customer.style(b, false),
		model.Shared:    p.Shared.style(b, false),
		model.Inherited: p.AWS.style(b, false),
	}
	st.Stacks = stacks.Theme{
		Customer: p.StackCustomer.style(b, true), Shared: p.StackShared.style(b, true), AWS: p.StackAWS.style(s, true),
		Line: p.StackLine.style(b, false), Muted: p.Muted.style(s, false), Title: p.Text.style(b, false),
	}
	st.Help.Key, st.Help.Desc = p.Accent.style(b, false), p.Text.style(s, false)
}

// screenColours are the terminal's background and text colours the
// projector theme sets; nil (the terminal's own) otherwise.
func (s *Styles) screenColours() (bg, fg color.Color) {
	if !s.projector || !s.colour {
		return nil, nil
	}
	p := projectorColours(s.dark)
	return lipgloss.Color(p.Text.bg), lipgloss.Color(p.Text.fg)
}

// toggleProjector switches projector mode on or off.
func (m *Model) toggleProjector() {
	m.projector = !m.projector
	m.setBackground(m.isDark)
	m.questions.setSize(m, m.questions.w, m.questions.h)
}

// ThemeProjector is the theme name that starts in projector mode.
const ThemeProjector = "projector"
