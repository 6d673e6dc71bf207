package safetext

import (
	"io"
	"sync"
	"unicode/utf8"
)

// Writer cleans everything written through it (as Clean does) before it
// reaches w: wrapped around a command's standard error, say, no error
// message can act on the terminal, whoever wrote it and whatever it
// quotes. A character split across two writes is held back until it is
// complete; Flush writes out a dangling incomplete one as a placeholder.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte // the start of a character the next write completes
}

// NewWriter returns a Writer that cleans text on its way to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write cleans p and writes it. It reports len(p) when everything, held
// back bytes included, was accepted.
func (sw *Writer) Write(p []byte) (int, error) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	buf := append(sw.pending, p...)
	cut := len(buf)
	// Hold back an incomplete character at the end (at most 3 bytes).
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	sw.pending = append([]byte(nil), buf[cut:]...)
	if cut == 0 {
		return len(p), nil
	}
	if _, err := io.WriteString(sw.w, Clean(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes out bytes held back for a character that never completed.
func (sw *Writer) Flush() error {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if len(sw.pending) == 0 {
		return nil
	}
	s := Clean(string(sw.pending))
	sw.pending = nil
	_, err := io.WriteString(sw.w, s)
	return err
}
