package store

import (
	"errors"
	"fmt"
	"time"
)

// NotFoundError names an assessment id that is not in the file.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("no assessment %q in this database", e.ID) }

// ErrNotFound matches any NotFoundError with errors.Is.
var ErrNotFound = errors.New("assessment not found")

func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// IntegrityError says an assessment (or the store's own log) fails its
// integrity check, so onus refused to touch it: a broken record is never
// written to, purged, duplicated or exported, because that would bury the
// evidence of what happened to it. The finding names the first bad entry
// when there is one.
type IntegrityError struct {
	ID      string // the assessment; "" for the store's log
	Seq     uint64 // the first bad entry (log event), 0 when the finding is not about one
	Finding string
	Refused string // what was not done: "written to", "purged", "exported", ...
}

func (e *IntegrityError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("the store's log of purges, imports, salvages and admissions fails its integrity check: %s; nothing was %s (onus verify shows the findings)", e.Finding, e.Refused)
	}
	return fmt.Sprintf("assessment %s fails its integrity check: %s; it was not %s (onus verify %s shows the findings; onus salvage %s --reason TEXT continues its work in a new assessment from its last good entry, and keeps this one as evidence)",
		e.ID, e.Finding, e.Refused, e.ID, e.ID)
}

// ExitCode is 4, as for a damaged file.
func (e *IntegrityError) ExitCode() int { return 4 }

// ErrIntegrity matches any IntegrityError with errors.Is.
var ErrIntegrity = errors.New("integrity check failed")

func (e *IntegrityError) Is(target error) bool { return target == ErrIntegrity }

// ClockError says the clock reads a time before the last entry of the
// trail: a change recorded now would be dated before the one it follows.
type ClockError struct{ Now, Last time.Time }

func (e *ClockError) Error() string {
	return fmt.Sprintf("the clock reads %s, before the last entry of this assessment's trail (%s): onus records changes in the order they happen; check the system clock",
		e.Now.UTC().Format(time.RFC3339), e.Last.UTC().Format(time.RFC3339))
}
