package tui

import (
	"errors"
	"fmt"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// An assessment is read-only in the wizard while it is final (reopening,
// with a reason, makes it editable again) or while it fails the check the
// store makes before every change (then nothing can be written to it:
// salvage continues its work in a new assessment). The keys that edit it
// say why instead of acting, and the footer leaves them out.

// readOnly is why the open assessment cannot be changed, or "".
func (m *Model) readOnly() string {
	switch {
	case m.a == nil:
		return ""
	case m.broken != "":
		return m.broken
	case m.a.Workflow == model.WorkflowFinal:
		return "FINAL, read-only: R on the review reopens it with a reason (recorded; its signatures become superseded)"
	}
	return ""
}

// refuseEdit says why a form that would change the open assessment does
// not open (a click reaches it without a key's action), and reports it.
func (m *Model) refuseEdit() bool {
	if why := m.readOnly(); why != "" {
		m.flashError(why)
		return true
	}
	return false
}

// brokenWhy says why an assessment that fails its check opens read-only,
// naming the first bad entry and how to go on.
func brokenWhy(id string, err error) string {
	var ie *store.IntegrityError
	if !errors.As(err, &ie) {
		return "READ-ONLY: its integrity could not be checked: " + err.Error()
	}
	at := ""
	if ie.Seq > 0 {
		at = fmt.Sprintf(" at entry %d", ie.Seq)
	}
	return fmt.Sprintf("READ-ONLY, fails its integrity check%s: onus salvage %s --reason TEXT continues it in a new assessment; onus verify %s shows why (%s)",
		at, id, id, ie.Finding)
}
