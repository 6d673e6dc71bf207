// Package clipboard stands in for github.com/atotto/clipboard, which
// Bubbles' text input and text area import to paste ctrl+v and copy from
// the system clipboard by running xclip, xsel, wl-copy or termux through
// PATH. Onus runs no other program (docs/SECURITY.md), and the original
// package looks its helper up in PATH in an init function that every
// start of onus paid for (0.3 to 0.5 ms of stat calls), whether or not a
// text input was ever used. go.mod replaces the module with this one.
//
// The API is the original's: ReadAll and WriteAll fail, and Unsupported
// is true, so a caller that asks knows the clipboard is not there. Pasting
// still works through the terminal's own paste (a bracketed paste, which
// Bubble Tea delivers as a tea.PasteMsg).
package clipboard

import "errors"

// errNoClipboard is what ReadAll and WriteAll return.
var errNoClipboard = errors.New("onus reads and writes no system clipboard: paste with the terminal's own paste")

// Unsupported is true: there is no clipboard here.
var Unsupported = true

// ReadAll fails: Onus runs no clipboard program.
func ReadAll() (string, error) { return "", errNoClipboard }

// WriteAll fails: Onus runs no clipboard program.
func WriteAll(string) error { return errNoClipboard }
