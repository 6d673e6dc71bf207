package serve

import (
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// A change made outside the wizards, by a headless command the server
// runs for someone on a lent handle (package relay), reaches every
// connected wizard through Publish, said to be that person's.
func TestPublishReachesEveryWizard(t *testing.T) {
	w := startWorkshop(t, map[Role][]string{Facilitator: {"Ann Lead"}, Participant: {"Ben Ops"}})
	var clients []*client
	for _, name := range []string{"Ann Lead", "Ben Ops"} {
		c, err := w.dial(t, w.keys[name])
		if err != nil {
			t.Fatal(err)
		}
		c.openQuestions(t)
		clients = append(clients, c)
	}
	relayed := w.db.Lend("Carol Relay", func(a model.Assessment) { w.srv.Publish(a, "Carol Relay") })
	if _, err := relayed.Answer(w.id, model.Answer{Control: "GOV-01", Status: model.StatusPartial}, ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range clients {
		waitFor(t, 10*time.Second, "the relayed answer on the screen", func() bool { return strings.Contains(c.out.String(), "changed by Carol Relay") })
	}
	for name, a := range w.showing(t) {
		if got := a.Answers["GOV-01"]; got.Status != model.StatusPartial || got.UpdatedBy != "Carol Relay" {
			t.Errorf("%s's wizard shows GOV-01 %s by %q, want partial by Carol Relay", name, got.Status, got.UpdatedBy)
		}
	}
}
