package serve

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// applicable is the questions screen's order of the controls that apply.
func (w *workshop) applicable(t testing.TB) []string {
	t.Helper()
	a, err := w.db.Get(w.id)
	if err != nil {
		t.Fatal(err)
	}
	cat := w.srv.opt.Wizard.Catalog()
	var ids []string
	for _, c := range cat.Review(&a, time.Now()).Applicable {
		ids = append(ids, c.ID)
	}
	return ids
}

var questionsHeading = regexp.MustCompile(`Questions \d+/\d+`)

// openQuestions opens the assessment on a client's home screen.
func (c *client) openQuestions(t testing.TB) {
	t.Helper()
	waitFor(t, 30*time.Second, "the list of assessments", func() bool { return strings.Contains(c.out.String(), "Workshop LIMS") })
	c.keys(t, "\r")
	// The screen's heading, not a control id: the wizard opens at the first
	// unanswered control, which is far down the list when others have
	// already answered the first ones.
	waitFor(t, 30*time.Second, "the questions", func() bool { return questionsHeading.MatchString(c.out.String()) })
}

// TestTwentyClients: 20 SSH clients at once each answer 50 controls, from
// their own place in the list. Nothing is lost, each answer is in the
// trail under its person's name, and every wizard ends up showing every
// answer of every other person.
func TestTwentyClients(t *testing.T) {
	if testing.Short() {
		t.Skip("20 SSH sessions")
	}
	clients, each := 20, 50
	if n, err := strconv.Atoi(os.Getenv("ONUS_SERVE_CLIENTS")); err == nil { // a quicker look while debugging
		clients, each = n, n
	}
	people := names("Participant", clients)
	w := startWorkshop(t, map[Role][]string{Participant: people})
	order := w.applicable(t)
	if len(order) < clients+each {
		t.Fatalf("%d controls apply; the test needs %d", len(order), clients+each)
	}

	var wg sync.WaitGroup
	for i, name := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := w.dial(t, w.keys[name])
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			c.openQuestions(t)
			status := string(rune('1' + i%4))
			c.keys(t, "g"+strings.Repeat("j", i)+strings.Repeat(status+"j", each)) // g: the top (the wizard opens at the first unanswered)
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	waitFor(t, 5*time.Minute, "every answer in the trail", func() bool {
		n := 0
		for _, got := range w.answersBy(t) {
			n += len(got)
		}
		return n == clients*each
	})

	by := w.answersBy(t)
	for i, name := range people {
		if got, want := strings.Join(by[name], " "), strings.Join(order[i:i+each], " "); got != want {
			t.Errorf("%s's answers in the trail:\n got %s\nwant %s", name, got, want)
		}
	}
	final, err := w.db.Get(w.id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(final.Answers), clients-1+each; got != want {
		t.Errorf("%d controls answered, want %d", got, want)
	}
	for _, id := range order[:clients-1+each] {
		if who := final.Answers[id].UpdatedBy; !slices.Contains(by[who], id) {
			t.Errorf("%s is attributed to %q, who did not answer it", id, who)
		}
	}

	// Every screen shows the file as it now is: each change reached it.
	waitFor(t, 30*time.Second, "every wizard to show every answer", func() bool {
		shown := w.showing(t)
		if len(shown) != clients {
			return false
		}
		for _, a := range shown {
			if a == nil || !sameAnswers(a.Answers, final.Answers) {
				return false
			}
		}
		return true
	})
}

func sameAnswers(a, b map[string]model.Answer) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.Status != y.Status || x.UpdatedBy != y.UpdatedBy || !x.UpdatedAt.Equal(y.UpdatedAt) {
			return false
		}
	}
	return true
}
