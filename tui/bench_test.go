package tui

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/onus-gxp/onus/internal/synth"
	"github.com/onus-gxp/onus/model"
)

// Keystroke benchmarks: the cost of Update plus View for one key, on the
// home list (1,000 assessments), the service picker and the questions,
// with the default catalog and one ten times larger. Each benchmark
// alternates the two sizes in one loop, so both meet the same machine, and
// reports both and their ratio (goal: 10x within 1.2x of 1x, because views
// draw only what is visible). `make bench` prints them in its table.

// benchScreens builds the three screens at one catalog scale, at 120x40,
// each in a wizard of its own.
func benchScreens(b *testing.B, factor int) map[string]*Model {
	cat := testCatalog(b)
	if factor > 1 {
		raw, err := json.Marshal(synth.Scale(cat, factor))
		if err != nil {
			b.Fatal(err)
		}
		if cat, err = model.ParseCatalog(raw, "synthetic"); err != nil {
			b.Fatal(err)
		}
	}
	// Every eleventh service: 8 of the default catalog's, 80 of the 10x
	// one's, so that assessment has ten times the applicable controls.
	var ids []string
	for i := 0; i < len(cat.Services); i += 11 {
		ids = append(ids, cat.Services[i].ID)
	}
	out := map[string]*Model{}
	for name, to := range map[string]screenID{"home": screenHome, "services": screenServices, "questions": screenQuestions} {
		h := newHarnessWith(b, 120, 40, nil, cat)
		h.send(summariesMsg{list: benchSummaries(1000)})
		if to != screenHome {
			h.newAssessment("Bench")
			if _, err := h.db.SelectServices(h.m.a.ID, ids); err != nil {
				b.Fatal(err)
			}
			h.run(h.m.open(h.m.a.ID))
			h.run(h.m.goTo(place{screen: to}))
		}
		if h.m.screen != to {
			b.Fatalf("%s: on screen %d", name, h.m.screen)
		}
		out[name] = h.m
	}
	b.Logf("x%d: %d services, %d selected, %d questions", factor, len(cat.Services), len(ids), len(out["questions"].questions.order))
	return out
}

func benchSummaries(n int) []model.Summary {
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	out := make([]model.Summary, n)
	for i := range out {
		out[i] = model.Summary{ID: fmt.Sprintf("bench%011d", i), Name: fmt.Sprintf("Assessment %04d", i), System: "LIMS",
			Workflow: model.WorkflowDraft, Answered: i % 80, Applicable: 80, Services: 6, UpdatedAt: at.Add(-time.Duration(i) * time.Minute)}
	}
	return out
}

// keystroke sends one key and renders, as the program does for each key.
func keystroke(m *Model, k tea.KeyPressMsg) *Model {
	next, _ := m.Update(k)
	m = next.(*Model)
	_ = m.View()
	return m
}

func BenchmarkKeystroke(b *testing.B) {
	small, large := benchScreens(b, 1), benchScreens(b, 10)
	// Down and up in turn: the screen changes with every key and comes
	// back, so every iteration costs the same.
	keys := []tea.KeyPressMsg{keyMsg("down"), keyMsg("up")}
	for _, screen := range []string{"home", "services", "questions"} {
		b.Run(screen, func(b *testing.B) {
			m1, m10 := small[screen], large[screen]
			var t1, t10 time.Duration
			for i := 0; b.Loop(); i++ {
				k := keys[i%2]
				start := time.Now()
				m1 = keystroke(m1, k)
				mid := time.Now()
				m10 = keystroke(m10, k)
				t1, t10 = t1+mid.Sub(start), t10+time.Since(mid)
			}
			n := float64(b.N)
			b.ReportMetric(float64(t1.Microseconds())/n, "1x-µs/key")
			b.ReportMetric(float64(t10.Microseconds())/n, "10x-µs/key")
			b.ReportMetric(float64(t10)/float64(t1), "10x/1x")
		})
	}
}
