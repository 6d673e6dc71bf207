package store

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// Export returns an assessment with its whole trail, after the check a
// change makes (the stored bytes are those onus wrote, or, in a file not
// upgraded yet, the full check): a broken record is not exported.
func (db *DB) Export(id string) (model.Bundle, error) {
	var b model.Bundle
	err := db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		a, _, err := loadForChange(tx, id, "exported")
		if err != nil {
			return err
		}
		trail, err := loadTrail(tx, id)
		b = model.NewBundle(a, trail)
		return err
	})
	return b, err
}

// Import stores a bundle from another machine after checking it as
// model.Bundle.Check does: an unbroken chain of changes onus itself could
// have made, against the catalog in effect (Options.Catalog) when there is
// one, which rebuilds the assessment the bundle carries. The catalog the
// bundle names is the one to check against; when the one in effect is
// another, its ids must still be known to it, as they are wherever onus
// shows the assessment. The import appends an entry to the assessment's
// own trail naming the head it imported (the bundle's entries keep their
// hashes, so a head anchored elsewhere is still in the chain), and a line
// to the store's log. A refused bundle writes nothing.
func (db *DB) Import(b model.Bundle) (model.Assessment, error) {
	a, err := b.Check(db.catalog())
	if err != nil {
		return model.Assessment{}, fmt.Errorf("bundle refused: %w", err)
	}
	bundleHead := b.Trail[len(b.Trail)-1]
	if now := db.now(); bundleHead.Time.After(now) {
		return model.Assessment{}, fmt.Errorf("bundle refused: its last entry is dated %s, after this machine's clock (%s); check both clocks",
			bundleHead.Time.UTC().Format(time.RFC3339), now.Format(time.RFC3339))
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	db.last = nil
	err = db.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAssessments).Get([]byte(a.ID)) != nil || tx.Bucket(bucketTrails).Bucket([]byte(a.ID)) != nil {
			var have model.AuditEntry
			if trail := tx.Bucket(bucketTrails).Bucket([]byte(a.ID)); trail != nil {
				getJSON(trail, seqKey(bundleHead.Seq), &have)
			}
			if have.Hash == bundleHead.Hash {
				return fmt.Errorf("assessment %s is already here, and its trail holds the bundle's head; nothing to import", a.ID)
			}
			return fmt.Errorf("assessment %s already exists here with a different history; purge or keep the local one", a.ID)
		}
		trail, err := tx.Bucket(bucketTrails).CreateBucket([]byte(a.ID))
		if err != nil {
			return err
		}
		var h head
		for _, e := range b.Trail {
			if err := putEntry(trail, &h, e); err != nil {
				return err
			}
		}
		if err := putAnswersDigest(tx, &a, slices.Sorted(maps.Keys(a.Answers)), &h); err != nil {
			return err
		}
		if err := db.putAssessment(tx, &a, &h); err != nil {
			return err
		}
		note := model.ImportNote{Head: bundleHead.Hash, Entries: bundleHead.Seq}
		if _, err := db.record(tx, &a, h, model.ActImport, "import", nil, note, ""); err != nil {
			return err
		}
		return db.logEvent(tx, LogEvent{Action: model.ActImport, Assessment: a.ID, Head: bundleHead.Hash})
	})
	if err != nil {
		return model.Assessment{}, err
	}
	db.changed = true
	db.committed(a)
	return a, nil
}

// Salvage is the deliberate, recorded way on from an assessment that
// fails its integrity check. The broken assessment is left exactly as it
// was found, as evidence: it is never written to or purged. A new
// assessment starts from the state its trail's last good entry rebuilds
// (the longest prefix that still verifies and replays), as a draft
// without signatures; its first entry (action salvage) records which
// assessment it continues, what the check found and the last good entry,
// and the store's log records the salvage. reason is required. Changes
// after the last good entry are not carried over: they cannot be trusted,
// and the broken trail still shows them.
func (db *DB) Salvage(id, newName, reason string) (model.Assessment, error) {
	if strings.TrimSpace(reason) == "" {
		return model.Assessment{}, errors.New("a salvage needs a reason (--reason): it is recorded with the finding")
	}
	var good []model.AuditEntry
	var r VerifyResult
	err := db.view(func(tx *bolt.Tx) error {
		if r = verifyTx(tx, id); r.Err == "" {
			return fmt.Errorf("assessment %s passes its integrity check: there is nothing to salvage", id)
		}
		trail, err := loadTrail(tx, id)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("assessment %s has no audit trail to salvage from: %s", id, r.Err)
		}
		good = trail // loadTrail stops at an unreadable entry: what came before it
		return nil
	})
	if err != nil {
		return model.Assessment{}, err
	}
	var ce *model.ChainError
	if err := model.VerifyChain(good); errors.As(err, &ce) {
		good = good[:ce.Seq-1]
	}
	if _, err := model.ReplayChecked(good, nil); errors.As(err, &ce) {
		good = good[:ce.Seq-1]
	}
	if len(good) == 0 {
		return model.Assessment{}, fmt.Errorf("assessment %s has no good entry to salvage from: %s", id, r.Err)
	}
	src, err := model.Replay(good)
	if err != nil {
		return model.Assessment{}, err
	}
	if strings.TrimSpace(newName) == "" {
		newName = model.Truncate(src.Name, model.MaxNameBytes-len(" (salvaged)")) + " (salvaged)"
	}
	if err := model.ValidateInfo(model.Info{Name: newName}); err != nil {
		return model.Assessment{}, err
	}
	last := good[len(good)-1]
	note := model.SalvageNote{From: id, Finding: model.Truncate(r.Err, model.MaxTextBytes), BrokenAt: r.Seq, LastGood: last.Seq, GoodHash: last.Hash}
	now := db.now()
	cp := src
	cp.ID, cp.Name, cp.BaselineOf = newID(now), newName, ""
	cp.CreatedAt, cp.UpdatedAt, cp.CreatedBy = now, now, db.actor
	cp.Workflow, cp.SignOffs, cp.Milestones, cp.Deleted = model.WorkflowDraft, nil, nil, false
	return db.create(cp, model.ActSalvage, note, reason)
}
