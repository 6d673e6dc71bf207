package store

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// VerifyResult is the integrity of one assessment.
type VerifyResult struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Entries int    `json:"entries"`
	Head    string `json:"head"`
	Err     string `json:"error,omitempty"`
	// Seq is the first bad entry, when the finding is about one.
	Seq uint64 `json:"first_bad_entry,omitempty"`
	// Notes say what could not be checked, and why.
	Notes []string `json:"notes,omitempty"`
}

func (r *VerifyResult) fail(err error) {
	r.Err = err.Error()
	var ce *model.ChainError
	if errors.As(err, &ce) {
		r.Seq = ce.Seq
	}
}

// Verify checks one assessment in full: its chain; that every entry is a
// change onus could have made (model.Step); that the trail rebuilds the
// stored assessment; that the trail, the assessment, its answers and its
// summary are the bytes onus last wrote (its head); and that the summary
// says what the assessment does, progress counts included when the
// catalog that counted them is in effect (Options.Catalog).
func (db *DB) Verify(id string) VerifyResult {
	var r VerifyResult
	err := db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		r = verifyWith(tx, id, db.catalog())
		return nil
	})
	if err != nil {
		r = VerifyResult{ID: id, Err: err.Error()}
	}
	return r
}

// Check is the check a change makes before it writes to an assessment:
// nil, or the IntegrityError that would refuse the change. It costs no
// replay unless something is wrong. The wizard opens an assessment that
// fails it read-only, and shows why.
func (db *DB) Check(id string) error {
	return db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		_, _, err := loadForChange(tx, id, "written to")
		return err
	})
}

func verifyTx(tx *bolt.Tx, id string) VerifyResult { return verifyWith(tx, id, nil) }

func verifyWith(tx *bolt.Tx, id string, cat *model.Catalog) VerifyResult {
	a, st, r := verifyContent(tx, id)
	if r.Err != "" {
		return r
	}
	note, err := checkSummary(tx, &a, cat)
	if err != nil {
		r.fail(err)
		return r
	}
	if note != "" {
		r.Notes = append(r.Notes, note)
	}
	if tx.Bucket(bucketHeads) == nil {
		r.Notes = append(r.Notes, "the file is not upgraded yet: what onus last wrote (its head record) was not compared")
	} else if _, err := checkHead(tx, id, st); err != nil {
		r.fail(err)
	}
	return r
}

// verifyContent checks what the trail says: its chain, each entry, and
// that it rebuilds the stored assessment.
func verifyContent(tx *bolt.Tx, id string) (model.Assessment, stored, VerifyResult) {
	r := VerifyResult{ID: id}
	a, st, aerr := loadStored(tx, id)
	trail, terr := loadTrail(tx, id)
	r.Name, r.Entries, r.Head = a.Name, len(trail), model.Head(trail)
	switch {
	case aerr != nil && terr == nil:
		r.Err = "an audit trail without its assessment (removed outside onus?)"
		if !errors.Is(aerr, ErrNotFound) {
			r.Err = aerr.Error()
		}
	case aerr != nil:
		r.Err = aerr.Error()
	case terr != nil && errors.Is(terr, ErrNotFound):
		r.Err = "an assessment without its audit trail (removed outside onus?)"
	case terr != nil:
		r.Err = terr.Error()
	default:
		if _, err := model.NewBundle(a, trail).Check(nil); err != nil {
			r.fail(err)
		}
	}
	return a, st, r
}

// checkSummary catches a summary that no longer matches its assessment,
// which would hide it from the list or show it wrongly there. Progress
// counts depend on the catalog: they are counted again when the catalog
// that counted them is cat, and a note says so when they cannot be.
func checkSummary(tx *bolt.Tx, a *model.Assessment, cat *model.Catalog) (note string, err error) {
	sums := tx.Bucket(bucketSummaries)
	if sums == nil {
		return "", nil // schema 1, not migrated yet
	}
	var s model.Summary
	ok, err := getJSON(sums, []byte(a.ID), &s)
	switch {
	case err != nil:
		return "", fmt.Errorf("its list summary is unreadable: %w", err)
	case !ok:
		return "", errors.New("its list summary is missing (it would not be listed)")
	}
	want := summaryOf(a, nil)
	if s.ID != want.ID || s.Name != want.Name || s.Organisation != want.Organisation || s.System != want.System ||
		s.Workflow != want.Workflow || s.Services != want.Services || !s.UpdatedAt.Equal(want.UpdatedAt) ||
		s.Deleted != want.Deleted || s.Catalog != want.Catalog {
		return "", errors.New("its list summary does not match it")
	}
	switch {
	case s.CountedWith != "" && cat != nil && cat.Hash == s.CountedWith:
		if n, m := cat.Progress(a); n != s.Answered || m != s.Applicable {
			return "", fmt.Errorf("its list summary says %d of %d controls answered, and it has %d of %d", s.Answered, s.Applicable, n, m)
		}
	case s.CountedWith != "":
		return fmt.Sprintf("progress counts not counted again: they were counted with catalog %.12s, not the one in effect", s.CountedWith), nil
	default:
		return "progress counts not counted again: the summary does not say which catalog counted them (written before onus recorded it)", nil
	}
	return "", nil
}

// assessmentIDs lists every id with an assessment, a trail, answers or a
// head, sorted.
func assessmentIDs(tx *bolt.Tx) []string {
	seen := map[string]bool{}
	for _, name := range [][]byte{bucketAssessments, bucketTrails, bucketAnswers, bucketHeads} {
		if b := tx.Bucket(name); b != nil {
			b.ForEach(func(k, _ []byte) error {
				seen[string(k)] = true
				return nil
			})
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// VerifyAll checks bbolt's structure, then every assessment and every
// trail, deleted ones included, then the store's own log. The error is a
// broken structure (no results), or a broken log (an IntegrityError, with
// the results of the assessments).
func (db *DB) VerifyAll() ([]VerifyResult, error) {
	var out []VerifyResult
	var logErr error
	cat := db.catalog()
	err := db.view(func(tx *bolt.Tx) error {
		if err := checkTx(tx); err != nil {
			return fmt.Errorf("file structure: %w", err)
		}
		for _, id := range assessmentIDs(tx) {
			out = append(out, verifyWith(tx, id, cat))
		}
		logErr = verifyLog(tx)
		return nil
	})
	if err != nil {
		return out, err
	}
	return out, logErr
}
