package serve

import (
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/tui"
)

// A key that is not in the participants file is refused, and so is a
// password.
func TestUnknownKeyRefused(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Participant: {"Known Person"}})
	if _, err := w.dial(t, newKey(t)); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("an unknown key: %v, want refused", err)
	}
	cfg := &gossh.ClientConfig{User: "Known Person", Auth: []gossh.AuthMethod{gossh.Password("secret")},
		HostKeyCallback: gossh.FixedHostKey(w.hostKey), Timeout: 10 * time.Second}
	if conn, err := gossh.Dial("tcp", w.addr, cfg); err == nil {
		conn.Close()
		t.Error("a password was accepted")
	}
	if _, err := w.dial(t, w.keys["Known Person"]); err != nil {
		t.Errorf("the known key: %v", err)
	}
}

// An observer sees each change as it is saved and can change nothing.
func TestObserverReadsOnly(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Participant: {"Pat Answer"}, Observer: {"Olive Watch"}})
	obs, err := w.dial(t, w.keys["Olive Watch"])
	if err != nil {
		t.Fatal(err)
	}
	obs.openQuestions(t)
	obs.keys(t, "1")
	waitFor(t, 10*time.Second, "the observer told why not", func() bool { return strings.Contains(obs.out.String(), "OBSERVER, read-only") })

	p, err := w.dial(t, w.keys["Pat Answer"])
	if err != nil {
		t.Fatal(err)
	}
	p.openQuestions(t)
	p.keys(t, "g2")
	waitFor(t, 30*time.Second, "Pat's answer in the trail", func() bool { return len(w.answersBy(t)["Pat Answer"]) == 1 })
	first := w.applicable(t)[0]
	waitFor(t, 10*time.Second, "the observer's screen to show it", func() bool {
		a := w.showing(t)["Olive Watch"]
		return a != nil && a.Answers[first].Status == model.StatusPartial && a.Answers[first].UpdatedBy == "Pat Answer"
	})
	if by := w.answersBy(t); len(by["Olive Watch"]) != 0 {
		t.Errorf("the observer changed %v", by["Olive Watch"])
	}
}

// Presence: each session knows who else is connected and on which
// control, as they move, join and leave.
func TestPresence(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Facilitator: {"Ann Lead"}, Participant: {"Ben Infra"}})
	ann, err := w.dial(t, w.keys["Ann Lead"])
	if err != nil {
		t.Fatal(err)
	}
	ann.openQuestions(t)
	ben, err := w.dial(t, w.keys["Ben Infra"])
	if err != nil {
		t.Fatal(err)
	}
	ben.openQuestions(t)
	ben.keys(t, "gjj")
	third := w.applicable(t)[2]
	seenBy := func(name string) tui.Presence {
		var p tui.Presence
		w.srv.hub.each(func(se *session) {
			if se.person.Name == name {
				p = w.srv.hub.presence(se)
			}
		})
		return p
	}
	waitFor(t, 10*time.Second, "Ben on the third control, for Ann", func() bool {
		p := seenBy("Ann Lead")
		return len(p) == 1 && p[0].Name == "Ben Infra" && p[0].Place.Step == "Questions" && p[0].Place.At == third && p[0].Place.Assessment == w.id
	})
	ben.conn.Close()
	waitFor(t, 10*time.Second, "Ben gone, for Ann", func() bool { return len(seenBy("Ann Lead")) == 0 })
}
