package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// PointSpec names a point of an assessment's trail, as written in a
// command: "ID" (as it is now), "ID@MILESTONE" or "ID@TIME" (an RFC 3339
// time, or a date meaning the end of that day, UTC).
type PointSpec struct {
	ID        string
	Milestone string
	At        time.Time // zero unless a time was given
}

// ParsePoint reads a point. Milestone names never read as times
// (CheckMilestoneName), so the two forms cannot be confused.
func ParsePoint(s string) (PointSpec, error) {
	id, after, found := strings.Cut(s, "@")
	if id == "" {
		return PointSpec{}, fmt.Errorf("%q names no assessment (write ID, ID@MILESTONE or ID@TIME)", s)
	}
	if !found {
		return PointSpec{ID: id}, nil
	}
	if t, err := ParseAsOf(after); err == nil {
		return PointSpec{ID: id, At: t}, nil
	}
	if err := CheckMilestoneName(after); err != nil {
		return PointSpec{}, fmt.Errorf("%q: after the @ comes a milestone's name or a time: %v", s, err)
	}
	return PointSpec{ID: id, Milestone: after}, nil
}

// Point is a resolved point: which state of which assessment a diff side
// shows, anchored by the hash of the last entry it includes.
type Point struct {
	Spec       string    `json:"spec"`
	Assessment string    `json:"assessment"`
	Name       string    `json:"name"`
	Milestone  string    `json:"milestone,omitempty"`
	Head       string    `json:"head"`
	Entries    uint64    `json:"entries"`
	At         time.Time `json:"at"` // the time of the last entry included
}

// PointOf rebuilds the assessment as it stood at a point of its trail,
// after checking the chain up to there.
func PointOf(trail []AuditEntry, spec PointSpec) (Assessment, Point, error) {
	as, ps, err := PointsOf(trail, spec)
	if err != nil {
		return Assessment{}, Point{}, err
	}
	return as[0], ps[0], nil
}

// PointsOf is PointOf for several points of one trail, checking its chain
// once, up to the furthest of them.
func PointsOf(trail []AuditEntry, specs ...PointSpec) ([]Assessment, []Point, error) {
	return pointsOf(trail, specs, true)
}

// PointsOfChecked is PointsOf for a trail whose chain is already known to
// be intact: the store's, whose stored bytes it has just compared with
// the head record it wrote (a digest, not a hash of every entry again).
func PointsOfChecked(trail []AuditEntry, specs ...PointSpec) ([]Assessment, []Point, error) {
	return pointsOf(trail, specs, false)
}

func pointsOf(trail []AuditEntry, specs []PointSpec, verify bool) ([]Assessment, []Point, error) {
	ns := make([]int, len(specs))
	furthest := 0
	for i, spec := range specs {
		n, err := prefixLen(trail, spec)
		if err != nil {
			return nil, nil, err
		}
		ns[i], furthest = n, max(furthest, n)
	}
	if !verify {
		return replayPoints(trail, specs, ns)
	}
	// The chain is checked on another core while the states are rebuilt;
	// nothing is returned before it has passed.
	verified := make(chan error, 1)
	go func() { verified <- VerifyChain(trail[:furthest]) }()
	as, ps, err := replayPoints(trail, specs, ns)
	if cerr := <-verified; cerr != nil {
		return nil, nil, cerr
	}
	return as, ps, err
}

// replayPoints rebuilds the state after the first ns[i] entries for each
// spec, in one replay in the points' order, keeping a copy at each.
func replayPoints(trail []AuditEntry, specs []PointSpec, ns []int) ([]Assessment, []Point, error) {
	order := make([]int, len(specs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return ns[x] - ns[y] })
	as, ps := make([]Assessment, len(specs)), make([]Point, len(specs))
	var a Assessment
	done := 0
	for _, i := range order {
		n := ns[i]
		if done == 0 {
			var err error
			if a, err = Replay(trail[:n:n]); err != nil {
				return nil, nil, err
			}
		} else {
			for _, e := range trail[done:n] {
				if err := Apply(&a, e); err != nil {
					return nil, nil, err
				}
			}
		}
		done = n
		last := trail[n-1]
		as[i] = a.Clone()
		ps[i] = Point{Spec: specs[i].String(), Assessment: a.ID, Name: a.Name, Milestone: specs[i].Milestone, Head: last.Hash, Entries: last.Seq, At: last.Time}
	}
	return as, ps, nil
}

// prefixLen is how many entries of the trail a point includes.
func prefixLen(trail []AuditEntry, spec PointSpec) (int, error) {
	n := len(trail)
	switch {
	case spec.Milestone != "":
		n = -1
		for _, e := range trail {
			var name string
			if e.Action == ActMilestone && json.Unmarshal(e.New, &name) == nil && name == spec.Milestone {
				n = int(e.Seq) - 1
				break
			}
		}
		if n < 0 {
			return 0, fmt.Errorf("assessment %s has no milestone %q", spec.ID, spec.Milestone)
		}
	case !spec.At.IsZero():
		n = 0
		for n < len(trail) && !trail[n].Time.After(spec.At) {
			n++
		}
		if n == 0 {
			return 0, fmt.Errorf("assessment %s did not exist yet at %s", spec.ID, spec.At.Format(time.RFC3339))
		}
	}
	if n <= 0 || n > len(trail) {
		return 0, fmt.Errorf("assessment %s has no audit trail to rebuild it from", spec.ID)
	}
	return n, nil
}

// String writes the spec back as a command would.
func (s PointSpec) String() string {
	switch {
	case s.Milestone != "":
		return s.ID + "@" + s.Milestone
	case !s.At.IsZero():
		return s.ID + "@" + s.At.UTC().Format(time.RFC3339Nano)
	}
	return s.ID
}
