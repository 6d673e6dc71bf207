package tui

import (
	"image/color"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/stacks"
)

// Styles is every style the wizard uses, rebuilt when the terminal reports
// its background. Meaning never rests on colour alone: owners and statuses
// also carry a word or glyph.
type Styles struct {
	Header, Crumb, CrumbActive, Title, Muted, Selected, Cursor lipgloss.Style
	Saved, NotSaved, Error, Warn                               lipgloss.Style
	Owner                                                      map[model.Responsibility]lipgloss.Style
	Stacks                                                     stacks.Theme
	// Help: keys bold, descriptions in the muted colour, readable on a
	// projector.
	Help struct{ Key, Desc lipgloss.Style }
	// dark and colour are what the styles were built for (the text
	// editor builds its own from them).
	dark, colour bool
	projector    bool // the projector theme (projector.go)
	// helpItems are the footer's items as helpItem rendered them, for
	// these styles (a rebuild starts them afresh).
	helpItems map[key.Help]string
}

// maxHelpItems bounds helpItems: the footer's keys and descriptions are
// a few dozen fixed phrases, but nothing stops a screen from making one
// up each time.
const maxHelpItems = 256

// helpItem is a key and its description as the footer shows them,
// rendered once for each pair: the footer is drawn on every frame, and
// rendering its dozen keys and descriptions anew was a tenth of the work
// of an answer key (docs/performance-history.md).
func (st *Styles) helpItem(h key.Help) string {
	if s, ok := st.helpItems[h]; ok {
		return s
	}
	if st.helpItems == nil || len(st.helpItems) >= maxHelpItems {
		st.helpItems = map[key.Help]string{}
	}
	s := st.Help.Key.Render(h.Key) + " " + st.Help.Desc.Render(h.Desc)
	st.helpItems[h] = s
	return s
}

// build fills st with the styles for a dark or light background, in
// colour or plain. Each style comes from a small look, made into a
// lipgloss.Style by one call: a lipgloss.Style is 648 bytes, and chains of
// them written out here held every intermediate one on the stack at once
// (57 KiB), which the wizard's start-up paid for in new stack pages.
func (st *Styles) build(isDark, colour bool) {
	*st = Styles{dark: isDark, colour: colour}
	if !colour {
		bold, plain := look{bold: true}, look{}
		st.Header, st.Crumb, st.CrumbActive = bold.style(), plain.style(), look{bold: true, underline: true}.style()
		st.Title, st.Muted, st.Selected, st.Cursor = bold.style(), plain.style(), look{reverse: true}.style(), bold.style()
		st.Saved, st.NotSaved, st.Error, st.Warn = plain.style(), look{reverse: true, bold: true}.style(), bold.style(), plain.style()
		st.Owner = map[model.Responsibility]lipgloss.Style{model.Customer: bold.style(), model.Shared: bold.style(), model.Inherited: bold.style()}
		st.Stacks = stacks.Plain()
		st.Help.Key, st.Help.Desc = bold.style(), plain.style()
		return
	}
	pick := func(light, dark string) color.Color {
		if isDark {
			return lipgloss.Color(dark)
		}
		return lipgloss.Color(light)
	}
	accent := pick("#5A3FC0", "#B7A6FF")
	muted := pick("#6B6B6B", "#9A9A9A")
	st.Header = look{bold: true, fg: accent}.style()
	st.Crumb = look{fg: muted}.style()
	st.CrumbActive = look{bold: true, fg: accent, underline: true}.style()
	st.Title = look{bold: true}.style()
	st.Muted = look{fg: muted}.style()
	st.Selected = look{bold: true, fg: pick("#FFFFFF", "#000000"), bg: accent}.style()
	st.Cursor = look{bold: true, fg: accent}.style()
	st.Saved = look{fg: pick("#1E7B34", "#7FD88F")}.style()
	st.NotSaved = look{bold: true, fg: pick("#FFFFFF", "#000000"), bg: pick("#B3261E", "#FF8A80")}.style()
	st.Error = look{bold: true, fg: pick("#B3261E", "#FF8A80")}.style()
	st.Warn = look{fg: pick("#8A5A00", "#F2C94C")}.style()
	st.Owner = map[model.Responsibility]lipgloss.Style{
		model.Customer:  look{bold: true, fg: pick("#0B5CAD", "#7CC4FF")}.style(),
		model.Shared:    look{bold: true, fg: pick("#8A5A00", "#F2C94C")}.style(),
		model.Inherited: look{bold: true, fg: pick("#1E7B34", "#7FD88F")}.style(),
	}
	st.Stacks = stacks.Colour(isDark)
	st.Help.Key, st.Help.Desc = look{bold: true, fg: accent}.style(), look{fg: muted}.style()
}

// look is a style as the wizard writes them: what is set, nothing else.
type look struct {
	bold, underline, reverse bool
	fg, bg                   color.Color
}

func (l look) style() lipgloss.Style {
	s := lipgloss.NewStyle()
	if l.bold {
		s = s.Bold(true)
	}
	if l.underline {
		s = s.Underline(true)
	}
	if l.reverse {
		s = s.Reverse(true)
	}
	if l.fg != nil {
		s = s.Foreground(l.fg)
	}
	if l.bg != nil {
		s = s.Background(l.bg)
	}
	return s
}

// ownerBadge is the responsibility as a labelled badge that reads without colour.
func (s *Styles) ownerBadge(r model.Responsibility) string {
	label := map[model.Responsibility]string{model.Customer: "[CUSTOMER]", model.Shared: "[SHARED]", model.Inherited: "[AWS·inherited]"}[r]
	return s.Owner[r].Render(label)
}

// statusMark is an answer status as a fixed-width glyph plus word.
func statusMark(st model.Status) string {
	switch st {
	case model.StatusImplemented:
		return "✔ implemented"
	case model.StatusPartial:
		return "◐ partial"
	case model.StatusPlanned:
		return "◔ planned"
	case model.StatusNotImplemented:
		return "✘ not implemented"
	case model.StatusNotApplicable:
		return "– not applicable"
	}
	return "· unanswered"
}
