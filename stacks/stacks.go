// Package stacks draws responsibility stacks: who owns each layer of a
// service, where the of/in-the-cloud line falls, how several services
// compare side by side, and what the whole solution leaves to the customer.
//
// Every function here is pure: model types, a width and a theme in, text
// out. No line of any output is wider than Options.Width display cells.
// Owners read without colour too: each cell carries a shade glyph and a
// word (▓▓ Customer, ▒▒ Shared, ░░ AWS, ·· n/a for a layer the service
// does not have), and colour only reinforces them.
package stacks

import (
	"strconv"

	"charm.land/lipgloss/v2"

	"github.com/onus-gxp/onus/model"
)

// Options says how to draw.
type Options struct {
	// Width is the number of display cells available; 0 means 80. Below
	// MinDrawingWidth the drawings give way to a compact table.
	Width int
	// Offset is the first service to show in side-by-side views (0-based);
	// the views return how many fit from there, so a caller can page.
	Offset int
	Theme  Theme
	// Legend appends the legend; Notes appends the override footnotes.
	Legend bool
	Notes  bool
}

// MinDrawingWidth is the narrowest width at which stacks are drawn as
// columns; below it they are listed as a compact table.
const MinDrawingWidth = 36

const defaultWidth = 80

func (o Options) width() int {
	if o.Width <= 0 {
		return defaultWidth
	}
	return o.Width
}

// Theme styles the drawing. Cells are painted with Customer, Shared and AWS
// (a background makes each service a bar); Line paints the
// of/in-the-cloud rule; Muted is for secondary text; Title for headings.
type Theme struct {
	Customer, Shared, AWS lipgloss.Style
	Line, Muted, Title    lipgloss.Style

	plain bool // set by Plain: skip styling altogether
}

// Plain is the theme without colour or attributes: pure text, for pipes,
// files, NO_COLOR and golden tests.
func Plain() Theme { return Theme{plain: true} }

// Colour is the coloured theme for a dark or light terminal background.
// The owner colours come from the Okabe–Ito palette, which stays distinct
// for the common kinds of colour blindness and on washed-out projectors.
func Colour(isDark bool) Theme {
	ld := lipgloss.LightDark(isDark)
	ink := lipgloss.Color("#1A1A1A")
	return Theme{
		Customer: lipgloss.NewStyle().Bold(true).
			Foreground(ink).Background(lipgloss.Color("#E69F00")),
		Shared: lipgloss.NewStyle().
			Foreground(ink).Background(lipgloss.Color("#56B4E9")),
		AWS: lipgloss.NewStyle().
			Foreground(ld(lipgloss.Color("#3B4252"), lipgloss.Color("#D8DEE9"))).
			Background(ld(lipgloss.Color("#DDE3EA"), lipgloss.Color("#3B4252"))),
		Line:  lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#C0392B"), lipgloss.Color("#F0E442"))),
		Muted: lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#5F6670"), lipgloss.Color("#8B929C"))),
		Title: lipgloss.NewStyle().Bold(true),
	}
}

func (t Theme) paint(st lipgloss.Style, s string) string {
	if t.plain || s == "" {
		return s
	}
	return st.Render(s)
}

func (t Theme) owner(o model.Owner) lipgloss.Style {
	switch o {
	case model.OwnerAWS:
		return t.AWS
	case model.OwnerShared:
		return t.Shared
	case model.OwnerNone:
		return t.Muted
	}
	return t.Customer
}

// Glyph is the shade that marks an owner in monochrome: dense for the
// customer, half for shared, light for AWS, a dot for a layer the service
// does not have.
func Glyph(o model.Owner) string {
	switch o {
	case model.OwnerCustomer:
		return "▓"
	case model.OwnerShared:
		return "▒"
	case model.OwnerAWS:
		return "░"
	case model.OwnerNone:
		return "·"
	}
	return "?"
}

func ownerLabel(o model.Owner) string {
	switch {
	case o == model.OwnerNone:
		return "n/a"
	case o.Valid():
		return o.Label()
	}
	return "Unknown"
}

// Override marks: a catalog override (the service departs from its model)
// and the assessment's own justified override.
const (
	MarkCatalog    = "†"
	MarkAssessment = "‡"
)

// Mark returns the override mark of a layer, or "".
func Mark(l model.StackLayer) string {
	switch {
	case l.ByAssessment:
		return MarkAssessment
	case l.Overridden:
		return MarkCatalog
	}
	return ""
}

// GAMPLabel is a service's GAMP 5 software category in a stack's
// heading: "GAMP 4", marked ‡ when the assessment chose it (the notes say
// why); "" for a stack that does not carry one.
func GAMPLabel(st model.ServiceStack) string {
	if st.GAMP == 0 {
		return ""
	}
	label := "GAMP " + strconv.Itoa(st.GAMP)
	if st.GAMPByAssessment {
		label += MarkAssessment
	}
	return label
}

// serviceQualifier follows a service's name in a heading: its model, and
// its GAMP category when the stack carries one.
func serviceQualifier(st model.ServiceStack) string {
	if g := GAMPLabel(st); g != "" {
		return string(st.Service.Model) + " · " + g
	}
	return string(st.Service.Model)
}
