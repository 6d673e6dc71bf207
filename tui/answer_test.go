package tui

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/model"
)

// The wizard keeps its review up to date per answer (answeredNow) and
// takes the save of an answer per answer (answerSaved): after every
// message of random sequences of answers, cleared answers, links, undos,
// saves held back and delivered late, and changes someone else saves in
// between, what the user sees is the saved assessment with the queued
// changes on top, its review is the one a full refresh makes, and so are
// the questions' saved count and stale marks.
func TestAnswersKeepWhatAFullRefreshShows(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 16))
			h := newHarness(t, 120, 40)
			h.newAssessment("LIMS")
			h.tabTo("Services")
			h.selectServices("s3", "ec2", "rds")
			id := h.m.a.ID
			for i, owner := range []model.Supplier{model.SupplierCustomer, model.SupplierThirdParty, model.SupplierCustomer} {
				e := model.EvidenceEntry{ID: fmt.Sprintf("E%d", i+1), Title: fmt.Sprintf("SOP %d", i+1), Owner: owner}
				if i == 2 {
					e.ValidUntil = "2026-01-31" // stale by testNow
				}
				if _, err := h.db.AddEntry(id, e); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := h.db.SetSupplierRecord(id, model.SupplierRecord{Source: "soc2", Obtained: "2025-11-20",
				PeriodStart: "2025-04-01", PeriodEnd: "2025-09-30", Status: model.SupplierAccepted, Reviewer: "QA", ReviewedOn: "2025-11-21"}); err != nil {
				t.Fatal(err)
			}
			h.press("esc", "esc", "esc", "esc")
			h.run(h.m.open(id))
			h.run(h.m.goTo(place{screen: screenQuestions}))

			var held []tea.Msg
			hold := func(msg tea.Msg) bool { _, ok := msg.(savedMsg); return ok && rng.IntN(2) == 0 }
			send := func(msg tea.Msg) {
				next, cmd := h.m.Update(msg)
				h.m = next.(*Model)
				held = append(held, h.deliver(cmd, hold)...)
			}
			links := []model.EvidenceLink{{Entry: "E1"}, {Entry: "E2", Note: "4.2"}, {Entry: "E3"}, {Entry: model.SupplierEntryID("soc2")}}
			for step := range 120 {
				switch n := rng.IntN(12); {
				case n < 3:
					send(keyMsg([]string{"down", "down", "up", "pgdown", "pgup"}[rng.IntN(5)]))
				case n < 7:
					send(keyMsg([]string{"1", "2", "3", "4", "0"}[rng.IntN(5)]))
				case n < 8:
					c := h.m.questions.current()
					from := rng.IntN(len(links))
					held = append(held, h.deliver(h.m.setLinks(c, links[from:from+rng.IntN(len(links)-from+1)], "links of "+c), hold)...)
				case n < 9:
					held = append(held, h.deliver(h.m.undoLast(), hold)...)
				case n < 10:
					// Someone else answers: the next save brings it.
					c := h.m.review.Applicable[rng.IntN(len(h.m.review.Applicable))].ID
					if _, err := h.db.Answer(id, model.Answer{Control: c, Status: model.StatusPlanned}, ""); err != nil {
						t.Fatal(err)
					}
				default:
					if len(held) > 0 {
						msg := held[0]
						held = held[1:]
						send(msg)
					}
				}
				checkShownAsRefreshed(t, h.m, step)
			}
			for len(held) > 0 {
				msg := held[0]
				held = held[1:]
				send(msg)
				checkShownAsRefreshed(t, h.m, -1)
			}
		})
	}
}

// checkShownAsRefreshed fails unless what m shows is what a full refresh
// of it would show.
func checkShownAsRefreshed(t *testing.T, m *Model, step int) {
	t.Helper()
	cur := m.a.Clone()
	if cur.Answers == nil {
		cur.Answers = map[string]model.Answer{}
	}
	for _, j := range m.saves.jobs {
		if j.apply != nil && j.aid == m.a.ID {
			j.apply(&cur)
		}
	}
	if !reflect.DeepEqual(*m.cur, cur) {
		t.Fatalf("step %d: the assessment shown is not the saved one with the queued changes on top", step)
	}
	if want := m.catalog().ReviewResolved(m.resolved, &cur, m.now); !reflect.DeepEqual(m.review, want) {
		t.Fatalf("step %d: the review is not the one a full refresh makes: answered %d, want %d; %d gaps, want %d",
			step, m.review.Answered, want.Answered, len(m.review.Gaps), len(want.Gaps))
	}
	q := m.questions
	q.countSaved(m)
	q.markStale(m)
	if q.saved != m.questions.saved || !reflect.DeepEqual(q.stale, m.questions.stale) {
		t.Fatalf("step %d: the questions count %d saved (want %d), stale marks %v (want %v)", step, m.questions.saved, q.saved, m.questions.stale, q.stale)
	}
}
