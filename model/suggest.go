package model

import (
	"fmt"
	"sort"
	"strings"
)

// UnknownIDError names an id the catalog does not have (Kind is
// "service" or "layer") and suggests the closest ids.
type UnknownIDError struct {
	Kind        string
	ID          string
	Suggestions []string
}

func (e *UnknownIDError) Error() string {
	if len(e.Suggestions) == 0 {
		return fmt.Sprintf("unknown %s %q", e.Kind, e.ID)
	}
	return fmt.Sprintf("unknown %s %q (did you mean %s?)", e.Kind, e.ID, strings.Join(e.Suggestions, ", "))
}

// CheckLayer returns an error, with suggestions, for an unknown layer id.
func (c *Catalog) CheckLayer(id string) error {
	if _, ok := c.Layer(id); ok {
		return nil
	}
	ids := make([]string, len(c.Layers))
	for i, l := range c.Layers {
		ids[i] = l.ID
	}
	return &UnknownIDError{Kind: "layer", ID: id, Suggestions: Closest(id, ids, 3)}
}

// UnknownServiceError builds the error for an unknown service id.
func (c *Catalog) UnknownServiceError(id string) error {
	ids := make([]string, len(c.Services))
	for i, s := range c.Services {
		ids[i] = s.ID
	}
	return &UnknownIDError{Kind: "service", ID: id, Suggestions: Closest(id, ids, 3)}
}

// CheckServices returns an error for the first unknown id.
func (c *Catalog) CheckServices(ids []string) error {
	for _, id := range ids {
		if _, ok := c.Service(id); !ok {
			return c.UnknownServiceError(id)
		}
	}
	return nil
}

// Closest returns up to n candidates nearest to s by edit distance, keeping
// only plausible ones; a candidate that contains s, or is contained in it,
// counts as close.
func Closest(s string, candidates []string, n int) []string {
	type scored struct {
		id   string
		dist int
	}
	s = strings.ToLower(s)
	var all []scored
	for _, c := range candidates {
		d := editDistance(s, strings.ToLower(c))
		if strings.Contains(c, s) || strings.Contains(s, c) {
			d = min(d, 1)
		}
		if d <= max(2, len(s)/2) {
			all = append(all, scored{c, d})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].dist != all[j].dist {
			return all[i].dist < all[j].dist
		}
		return all[i].id < all[j].id
	})
	out := []string{}
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].id)
	}
	return out
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of two adjacent letters ("rsd" → "rds")
// each cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
