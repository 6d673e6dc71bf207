package serve

import (
	"strings"
	"testing"
	"time"
)

// A filled prep pack is read from the server's disk only by a
// facilitator: a participant's wizard is told so.
func TestOnlyTheFacilitatorImportsAPack(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Participant: {"Pat Answer"}})
	pat, err := w.dial(t, w.keys["Pat Answer"])
	if err != nil {
		t.Fatal(err)
	}
	pat.openQuestions(t)
	pat.keys(t, "I")
	waitFor(t, 10*time.Second, "the import form", func() bool { return strings.Contains(pat.out.String(), "Import a filled prep pack") })
	pat.keys(t, "\x15/etc/hostname\r") // ctrl+u, a path on the server's machine
	waitFor(t, 10*time.Second, "the refusal", func() bool { return strings.Contains(pat.out.String(), "the facilitator imports it") })
}
