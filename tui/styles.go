package tui

import (
	"image/color"

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
}

func newStyles(isDark, colour bool) Styles {
	if !colour {
		plain := lipgloss.NewStyle()
		st := Styles{
			Header: plain.Bold(true), Crumb: plain, CrumbActive: plain.Bold(true).Underline(true),
			Title: plain.Bold(true), Muted: plain, Selected: plain.Reverse(true), Cursor: plain.Bold(true),
			Saved: plain, NotSaved: plain.Reverse(true).Bold(true), Error: plain.Bold(true), Warn: plain,
			Owner:  map[model.Responsibility]lipgloss.Style{model.Customer: plain.Bold(true), model.Shared: plain.Bold(true), model.Inherited: plain.Bold(true)},
			Stacks: stacks.Plain(), dark: isDark,
		}
		st.Help.Key, st.Help.Desc = plain.Bold(true), plain
		return st
	}
	pick := func(light, dark string) color.Color {
		if isDark {
			return lipgloss.Color(dark)
		}
		return lipgloss.Color(light)
	}
	accent := pick("#5A3FC0", "#B7A6FF")
	muted := pick("#6B6B6B", "#9A9A9A")
	s := lipgloss.NewStyle()
	st := Styles{
		Header:      s.Bold(true).Foreground(accent),
		Crumb:       s.Foreground(muted),
		CrumbActive: s.Bold(true).Foreground(accent).Underline(true),
		Title:       s.Bold(true),
		Muted:       s.Foreground(muted),
		Selected:    s.Bold(true).Foreground(pick("#FFFFFF", "#000000")).Background(accent),
		Cursor:      s.Bold(true).Foreground(accent),
		Saved:       s.Foreground(pick("#1E7B34", "#7FD88F")),
		NotSaved:    s.Bold(true).Foreground(pick("#FFFFFF", "#000000")).Background(pick("#B3261E", "#FF8A80")),
		Error:       s.Bold(true).Foreground(pick("#B3261E", "#FF8A80")),
		Warn:        s.Foreground(pick("#8A5A00", "#F2C94C")),
		Owner: map[model.Responsibility]lipgloss.Style{
			model.Customer:  s.Bold(true).Foreground(pick("#0B5CAD", "#7CC4FF")),
			model.Shared:    s.Bold(true).Foreground(pick("#8A5A00", "#F2C94C")),
			model.Inherited: s.Bold(true).Foreground(pick("#1E7B34", "#7FD88F")),
		},
		Stacks: stacks.Colour(isDark), dark: isDark, colour: true,
	}
	st.Help.Key, st.Help.Desc = s.Bold(true).Foreground(accent), s.Foreground(muted)
	return st
}

// ownerBadge is the responsibility as a labelled badge that reads without colour.
func (s Styles) ownerBadge(r model.Responsibility) string {
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
