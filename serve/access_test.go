package serve

import (
	"os"
	"path/filepath"
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

// The facilitator locks answering (ctrl+l: the others' edits are refused
// until unlocked) and leads (ctrl+f: the others' screens follow theirs).
func TestFacilitatorLockAndFollow(t *testing.T) {
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

	ann.keys(t, "\x0c") // ctrl+l
	waitFor(t, 10*time.Second, "Ben's screen to say it is locked", func() bool { return strings.Contains(ben.out.String(), "LOCKED by Ann Lead") })
	ben.keys(t, "g1")
	ann.keys(t, "g2")
	waitFor(t, 30*time.Second, "Ann's answer", func() bool { return len(w.answersBy(t)["Ann Lead"]) == 1 })
	if got := w.answersBy(t)["Ben Infra"]; len(got) != 0 {
		t.Errorf("Ben answered %v while answering was locked", got)
	}
	ann.keys(t, "\x0c")
	ben.keys(t, "j")
	last := time.Time{}
	waitFor(t, 30*time.Second, "Ben's answer once unlocked", func() bool {
		if time.Since(last) > 500*time.Millisecond { // until the unlock has reached his wizard
			ben.keys(t, "3")
			last = time.Now()
		}
		return len(w.answersBy(t)["Ben Infra"]) > 0
	})

	where := func(name string) tui.Place {
		var p tui.Place
		w.srv.hub.each(func(se *session) {
			if se.person.Name == name {
				se.mu.Lock()
				p = se.place
				se.mu.Unlock()
			}
		})
		return p
	}
	ann.keys(t, "\x06") // ctrl+f
	ann.keys(t, "gjjjj")
	fifth := w.applicable(t)[4]
	waitFor(t, 10*time.Second, "Ben on Ann's control", func() bool { return where("Ben Infra").At == fifth })
	ann.keys(t, "\x06") // released
	waitFor(t, 10*time.Second, "Ann's screen to say so", func() bool { return strings.Contains(ann.out.String(), "released") })
	ann.keys(t, "k")
	waitFor(t, 10*time.Second, "Ann to move", func() bool { return where("Ann Lead").At == w.applicable(t)[3] })
	time.Sleep(300 * time.Millisecond) // a follow would be on its way by now
	if got := where("Ben Infra").At; got != fifth {
		t.Errorf("Ben moved to %s after he was released", got)
	}
}

// The facilitator admits someone whose key was refused by adding their
// line to the participants file: their next attempt reads it again.
func TestAdmitByAddingTheirLine(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Facilitator: {"Ann Lead"}})
	file := filepath.Join(t.TempDir(), "people.txt")
	line := func(role, name string, k gossh.Signer) string {
		return role + " " + strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.PublicKey()))) + " " + name + "\n"
	}
	if err := os.WriteFile(file, []byte(line("facilitator", "Ann Lead", w.keys["Ann Lead"])), 0o600); err != nil {
		t.Fatal(err)
	}
	w.srv.opt.ParticipantsFile = file
	late := newKey(t)
	if _, err := w.dial(t, late); err == nil {
		t.Fatal("an unknown key was admitted")
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(line("participant", "Lee Late", late))
	f.Close()
	c, err := w.dial(t, late)
	if err != nil {
		t.Fatalf("after their line was added: %v", err)
	}
	c.openQuestions(t)
	c.keys(t, "g1")
	waitFor(t, 30*time.Second, "their answer, as theirs", func() bool { return len(w.answersBy(t)["Lee Late"]) == 1 })
	if _, err := w.dial(t, w.keys["Ann Lead"]); err != nil {
		t.Errorf("the facilitator after the file was read again: %v", err)
	}
}
