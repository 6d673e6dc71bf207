package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The wizard's own state: where each person last was in each assessment,
// and the text they were typing and had not saved. It is not a record: it
// lives in a bucket of its own, outside the assessments and their audit
// trails, is never exported, imported, verified or listed, and changing it
// records nothing and triggers no backup. It is kept per assessment (so a
// purge can drop it with the assessment) and per actor (two people sharing a
// file do not get each other's drafts).
//
// Layout: wizard → assessment id (or homeKey) → actor → WizardState JSON.
var bucketWizard = []byte("wizard")

// homeKey holds the state of no assessment (the new-assessment name being
// typed on the home screen); no assessment id can be "~" (see validID).
const homeKey = "~"

// MaxWizardStateBytes bounds one person's state in one assessment: a form's
// fields, each within its own limit (MaxTextBytes), fit many times over.
const MaxWizardStateBytes = 1 << 20

// WizardState is where the wizard was in an assessment, and the draft of
// the form that was open.
type WizardState struct {
	Step  string `json:"step,omitempty"` // the step last shown, e.g. "questions"
	At    string `json:"at,omitempty"`   // the position in it, e.g. a control id
	Draft *Draft `json:"draft,omitempty"`
}

// Draft is text typed in a form and not yet saved: the form, what it
// edits, and each field's text in the form's order.
type Draft struct {
	Form   string    `json:"form"`             // e.g. "notes", "evidence"
	Target string    `json:"target,omitempty"` // e.g. a control id, a source id
	Fields []string  `json:"fields"`
	At     time.Time `json:"at"` // when it was last kept (set by the store)
}

func wizardKey(id string) []byte {
	if id == "" {
		return []byte(homeKey)
	}
	return []byte(id)
}

// WizardState returns this actor's wizard state in an assessment ("" for
// the home screen); the zero state when none was kept.
func (db *DB) WizardState(id string) (WizardState, error) {
	var s WizardState
	err := db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketWizard)
		if b == nil {
			return nil
		}
		if b = b.Bucket(wizardKey(id)); b == nil {
			return nil
		}
		if _, err := getJSON(b, []byte(db.actor), &s); err != nil {
			return fmt.Errorf("the wizard's state for %s is unreadable: %w", id, err)
		}
		return nil
	})
	return s, err
}

// SetWizardState keeps this actor's wizard state in an assessment ("" for
// the home screen), replacing what was kept; the zero state removes it.
func (db *DB) SetWizardState(id string, s WizardState) error {
	if db.opt.ReadOnly {
		return fmt.Errorf("%s is open read-only", db.path)
	}
	if s.Draft != nil {
		s.Draft.At = db.now()
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if len(raw) > MaxWizardStateBytes {
		return fmt.Errorf("the draft is too large to keep: %d bytes, and the limit is %d", len(raw), MaxWizardStateBytes)
	}
	empty := s.Step == "" && s.At == "" && s.Draft == nil
	// Only the wizard bucket changes: the cached last change (db.last),
	// which holds an assessment and its trail head, stays true.
	return db.updateOf(assessment(id), func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(bucketWizard)
		if err != nil {
			return err
		}
		b, err := root.CreateBucketIfNotExists(wizardKey(id))
		if err != nil {
			return err
		}
		if empty {
			return b.Delete([]byte(db.actor))
		}
		return b.Put([]byte(db.actor), raw)
	})
}

// dropWizardState removes every actor's wizard state in an assessment, for
// a purge: a draft holds the assessment's text too.
func dropWizardState(tx *bolt.Tx, id string) error {
	b := tx.Bucket(bucketWizard)
	if b == nil || b.Bucket(wizardKey(id)) == nil {
		return nil
	}
	return b.DeleteBucket(wizardKey(id))
}
