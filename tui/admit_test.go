package tui

import (
	"errors"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// A facilitator's wizard shows a refused key on the status line; ctrl+a
// opens the form that names the person and their role; what the server
// refuses stays in the form, said; ctrl+x dismisses a key. Without the
// facilitator's role the key is neither shown nor offered.
func TestAdmitARefusedKey(t *testing.T) {
	h := newHarness(t, 120, 40)
	var admitted []model.Admission
	var dismissed []string
	refuse := errors.New(`the printed name "Pat Answer" is already on line 3`)
	h.m.cfg.Facilitate = &Facilitation{Follow: func(bool) {}, Lock: func(bool) {},
		Admit: func(a model.Admission) error {
			if a.Name == "Pat Answer" {
				return refuse
			}
			admitted = append(admitted, a)
			return nil
		},
		Dismiss: func(fp string) { dismissed = append(dismissed, fp) },
	}
	k1 := Knock{Fingerprint: "SHA256:lee", From: "192.168.1.31:50123", User: "lee\x1b[31m", At: testNow}
	k2 := Knock{Fingerprint: "SHA256:eve", From: "192.168.1.99:40000", User: "eve", At: testNow}
	h.send(Knocks{k1, k2})
	v := h.view()
	if !strings.Contains(v, "KEY REFUSED (2 waiting): SHA256:lee from 192.168.1.31:50123") || strings.Contains(v, "\x1b[31m") {
		t.Fatalf("the refused key is not on the status line, or not sanitised:\n%s", v)
	}
	h.press("ctrl+a")
	if _, ok := h.m.dialog().(*admitDialog); !ok {
		t.Fatalf("ctrl+a opens no form:\n%s", h.view())
	}
	h.typeText("Pat Answer")
	h.press("tab", "right") // observer
	h.press("enter")
	if v := h.view(); !strings.Contains(v, "NOT ADMITTED: the printed name \"Pat Answer\" is already on line 3") {
		t.Errorf("the server's refusal is not in the form:\n%s", v)
	}
	h.press("shift+tab", "ctrl+u")
	h.typeText("Lee Late")
	h.press("enter")
	if len(admitted) != 1 || admitted[0] != (model.Admission{Name: "Lee Late", Role: "observer", Fingerprint: "SHA256:lee"}) {
		t.Fatalf("admitted %+v", admitted)
	}
	if h.m.dialog() != nil || !strings.Contains(h.view(), "KEY REFUSED: SHA256:eve") {
		t.Errorf("after the admission, the form is open or the next key is not shown:\n%s", h.view())
	}
	h.press("ctrl+a", "ctrl+x")
	if len(dismissed) != 1 || dismissed[0] != "SHA256:eve" || h.m.dialog() != nil {
		t.Errorf("dismissed %v", dismissed)
	}
	if v := h.view(); strings.Contains(v, "KEY REFUSED") || !strings.Contains(v, "dismissed SHA256:eve") {
		t.Errorf("after the dismissal:\n%s", v)
	}

	// Anyone else: nothing shown, nothing offered.
	p := newHarness(t, 120, 40)
	p.send(Knocks{k1})
	p.press("ctrl+a")
	if strings.Contains(p.view(), "KEY REFUSED") || p.m.dialog() != nil {
		t.Errorf("a participant is offered the key:\n%s", p.view())
	}
}
