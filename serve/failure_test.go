package serve

import (
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

func (w *workshop) sessions() int {
	n := 0
	w.srv.hub.each(func(*session) { n++ })
	return n
}

// A participant whose connection drops while typing loses nothing the
// wizard showed as saved, and the text being typed is kept as their draft
// (the wizard offers it back when they return).
func TestDropMidEdit(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Participant: {"Rosa Diaz"}})
	c, err := w.dial(t, w.keys["Rosa Diaz"])
	if err != nil {
		t.Fatal(err)
	}
	c.openQuestions(t)
	c.keys(t, "1j2j3j")
	waitFor(t, 30*time.Second, "three answers in the trail", func() bool { return len(w.answersBy(t)["Rosa Diaz"]) == 3 })
	c.keys(t, "o")
	waitFor(t, 10*time.Second, "the notes dialog", func() bool { return strings.Contains(c.out.String(), "Notes") })
	c.keys(t, "half-typed")
	// The wizard keeps the text being typed as the person's draft as it
	// goes; once it holds this much, it was seen.
	waitFor(t, 10*time.Second, "the draft kept", func() bool {
		st, err := w.db.As("Rosa Diaz").WizardState(w.id)
		return err == nil && st.Draft != nil && strings.Join(st.Draft.Fields, "") == "half-typed"
	})
	c.keys(t, "-note")
	c.conn.Close() // the network goes: no quit, no goodbye

	waitFor(t, 10*time.Second, "the session to end", func() bool { return w.sessions() == 0 })
	a, err := w.db.Get(w.id)
	if err != nil {
		t.Fatal(err)
	}
	order := w.applicable(t)
	for i, st := range []model.Status{model.StatusImplemented, model.StatusPartial, model.StatusPlanned} {
		if got := a.Answers[order[i]]; got.Status != st || got.UpdatedBy != "Rosa Diaz" {
			t.Errorf("%s: %s by %q, want %s by Rosa Diaz", order[i], got.Status, got.UpdatedBy, st)
		}
	}
	state, err := w.db.As("Rosa Diaz").WizardState(w.id)
	if err != nil {
		t.Fatal(err)
	}
	if state.Draft == nil || state.Draft.Target != order[3] || !strings.HasPrefix(strings.Join(state.Draft.Fields, " "), "half-typed") {
		t.Errorf("the draft kept for Rosa Diaz: %+v, want the notes of %s being typed", state.Draft, order[3])
	}
}

// Stopping the server (SIGTERM: onus serve cancels Serve's context) quits
// every wizard: each session ends, its terminal restored (the alternate
// screen left, the cursor shown, the mouse released).
func TestShutdownEndsSessions(t *testing.T) {
	people := names("Participant", 3)
	w := startWorkshop(t, map[Role][]string{Participant: people})
	var clients []*client
	for _, n := range people {
		c, err := w.dial(t, w.keys[n])
		if err != nil {
			t.Fatal(err)
		}
		c.openQuestions(t)
		clients = append(clients, c)
	}
	clients[0].keys(t, "1")
	waitFor(t, 30*time.Second, "the answer in the trail", func() bool { return len(w.answersBy(t)[people[0]]) == 1 })
	before := make([]int, len(clients))
	for i, c := range clients {
		before[i] = len(c.out.String())
	}
	w.shutdown(t)
	for i, c := range clients {
		select {
		case err := <-c.exit:
			if err != nil {
				t.Errorf("%s's session ended with %v", people[i], err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s's session did not end", people[i])
		}
		tail := c.out.String()[before[i]:]
		for _, seq := range []string{"\x1b[?1049l", "\x1b[?25h", "\x1b[?1002l"} {
			if !strings.Contains(tail, seq) {
				t.Errorf("%s's terminal was not restored: no %q in %q", people[i], seq, tail)
			}
		}
	}
}
