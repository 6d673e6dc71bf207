package tui

import "github.com/charmbracelet/x/ansi"

// Warm starts, on another goroutine, work the first frame would otherwise
// do on the event loop. Call it as early as the wizard is known to start.
//
// In a terminal that does not report Unicode grapheme support (mode
// 2027), Bubble Tea measures each cell with wcwidth, through
// go-runewidth, whose first lookup of a rune from U+0300 up (the home
// screen's ▸, ─ and …) fills a 2.2 MB table: a CPU profile of the
// wizard's start-up on 1,000 assessments put a tenth of the process's CPU
// there, on the renderer's first flush. Done here it overlaps the store's
// open and the list's read on the other core.
func Warm() {
	go ansi.StringWidthWc("▸")
}
