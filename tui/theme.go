package tui

// Themes are the names Config.Theme takes, the first the default: "auto"
// follows the terminal's background (asked at start), "light" and "dark"
// fix the colours whatever the terminal answers (one that answers wrong,
// or not at all, through tmux or a projector's mirror); "projector"
// starts in projector mode, large type and high contrast (P toggles it).
var Themes = []string{"auto", "light", "dark", ThemeProjector}

// fixedBackground reports whether a theme fixes the background, and
// whether dark.
func fixedBackground(theme string) (fixed, dark bool) {
	switch theme {
	case "light":
		return true, false
	case "dark":
		return true, true
	}
	return false, true
}
