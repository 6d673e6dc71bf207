package serve

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/onus-gxp/onus/model"
)

// BenchmarkBroadcast: one answer saved (as a participant's wizard saves
// it: the store, then the broadcast) until every connected client's
// terminal has received the redrawn screen, with 1 and with 20 SSH
// clients on the questions. Reports the latency to each screen (p50,
// p99, ms; the goal is 500 ms) and the saver's cost per answer (µs: what
// the saving wizard waits for), to compare 20 clients against one.
func BenchmarkBroadcast(b *testing.B) {
	for _, n := range []int{1, 20} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			people := names("Participant", n)
			w := startWorkshop(b, map[Role][]string{Participant: people, Facilitator: {"Saver"}})
			var clients []*client
			for _, name := range people {
				c, err := w.dial(b, w.keys[name])
				if err != nil {
					b.Fatal(err)
				}
				c.openQuestions(b)
				clients = append(clients, c)
			}
			time.Sleep(500 * time.Millisecond) // first screens drawn
			saver := liveStore{DB: w.db.As("Saver"), hub: &w.srv.hub}
			control := w.applicable(b)[0]
			var latencies []time.Duration
			var saving time.Duration
			b.ResetTimer()
			for i := range b.N {
				before := make([]int, n)
				for j, c := range clients {
					before[j] = len(c.out.String())
				}
				status := []model.Status{model.StatusImplemented, model.StatusPartial}[i%2]
				start := time.Now()
				if _, err := saver.Answer(w.id, model.Answer{Control: control, Status: status}, ""); err != nil {
					b.Fatal(err)
				}
				saving += time.Since(start)
				seen := make([]bool, n)
				for left := n; left > 0; {
					for j, c := range clients {
						if !seen[j] && len(c.out.String()) > before[j] {
							seen[j] = true
							left--
							latencies = append(latencies, time.Since(start))
						}
					}
					if time.Since(start) > 10*time.Second {
						b.Fatalf("%d screen(s) never showed the change", left)
					}
					time.Sleep(100 * time.Microsecond)
				}
				time.Sleep(20 * time.Millisecond) // the last frame drawn before the next change
			}
			b.StopTimer()
			slices.Sort(latencies)
			pct := func(p float64) float64 {
				return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]) / 1e6
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(saving.Microseconds())/float64(b.N), "save-µs")
		})
	}
}
