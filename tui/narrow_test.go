package tui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// Typing and erasing in a filter over a remembered narrowing keeps exactly
// the rows a filter of the whole list keeps, and a letter typed looks only
// at the rows the query before it kept.
func TestNarrowRowsMatchesAFullFilter(t *testing.T) {
	var list []string
	for i := range 2000 {
		list = append(list, fmt.Sprintf("Row %d System %d %s", i, i%37, []string{"draft", "review", "final"}[i%3]))
	}
	var nw narrowing
	rnd := rand.New(rand.NewPCG(1, 2))
	query := ""
	for range 500 {
		if query != "" && rnd.IntN(3) == 0 {
			query = query[:len(query)-1]
		} else {
			query += string("sytem 12rvfin"[rnd.IntN(13)])
		}
		q := strings.ToLower(query)
		terms := strings.Fields(q)
		before := slices.Clone(nw.steps)
		looked := 0
		got := narrowRows(&nw, list, func(s string) string { return s }, q, func(text string) bool {
			looked++
			return containsAll(text, terms)
		}, nil)
		var want []int
		for i, s := range list {
			if containsAll(strings.ToLower(s), terms) {
				want = append(want, i)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q: %d rows, want %d", q, len(got), len(want))
		}
		if n := len(before); n > 0 && strings.HasPrefix(q, before[n-1].query) && looked > len(before[n-1].rows) {
			t.Fatalf("%q looked at %d rows, the query before it kept %d", q, looked, len(before[n-1].rows))
		}
		if slices.ContainsFunc(before, func(s narrowed) bool { return s.query == q }) && looked > 0 {
			t.Fatalf("%q, typed before, looked at %d rows again", q, looked)
		}
	}
	// A new list starts again.
	other := []string{"system 1"}
	if got := narrowRows(&nw, other, func(s string) string { return s }, "system", func(text string) bool { return strings.Contains(text, "system") }, nil); !slices.Equal(got, []int{0}) {
		t.Fatalf("a new list: %v", got)
	}
}
