package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// Signer makes electronic signatures: the sign package's keys (from
// ssh-agent or a key file) are Signers.
type Signer interface {
	// Fingerprint is the SHA-256 fingerprint of the public key.
	Fingerprint() string
	// Sign returns the signature over message, armored.
	Sign(message []byte) ([]byte, error)
}

// SignRequest is what the signer states.
type SignRequest struct {
	// Name is the printed name, as the organisation's allowed-signers file
	// writes it; empty means this session's actor.
	Name    string
	Role    string
	Meaning string // required: what the signature means, e.g. "approved"
	// Step is the workflow status the signature moves the assessment to:
	// in-review or final (the default).
	Step model.Workflow
	// Milestone is the point signed: an existing milestone at which the
	// record has not changed since, or a new one to record now. Empty
	// means the newest milestone if nothing changed since, else a new one
	// named STEP-N.
	Milestone string
	// Acknowledgement says why the signer signs with high-risk gaps open;
	// signing with such gaps and none is refused (*model.OpenGapsError).
	Acknowledgement string
	// Time is the time of the manifest the signer was shown (PrepareSign),
	// so that what is signed is what they read; zero means now. It may not
	// be in the future, nor older than model.MaxSignDelay.
	Time time.Time
	// Head is the chain head of the manifest the signer was shown; when
	// set, Sign refuses to sign a manifest over another (the record moved
	// on meanwhile).
	Head string
}

// pendingSign is a manifest ready to sign, and what the write must find
// unchanged.
type pendingSign struct {
	manifest     model.Manifest
	head         model.ChainHead
	newMilestone bool
}

// PrepareSign returns the manifest Sign would have the key sign, so the
// signer can read what they sign; it fails as Sign would (open gaps with
// no acknowledgement, a final or deleted assessment, a milestone the
// record moved away from).
func (db *DB) PrepareSign(id string, req SignRequest, cat *model.Catalog, fingerprint string) (model.Manifest, error) {
	p, err := db.prepareSign(id, req, cat, fingerprint)
	return p.manifest, err
}

// Sign signs the assessment at a milestone with key and records the
// signature, with the milestone when it is new, in one transaction. The
// manifest binds the signature to the chain head the milestone names, so
// it cannot be moved to another record or survive a rewrite of the trail
// before it.
func (db *DB) Sign(id string, req SignRequest, cat *model.Catalog, key Signer) (model.Assessment, error) {
	p, err := db.prepareSign(id, req, cat, key.Fingerprint())
	if err != nil {
		return model.Assessment{}, err
	}
	if req.Head != "" && p.manifest.Head != req.Head {
		return model.Assessment{}, fmt.Errorf("assessment %s changed after its manifest was shown (head %.12s, now %.12s); nothing was signed: sign again", id, req.Head, p.manifest.Head)
	}
	text, err := p.manifest.Encode()
	if err != nil {
		return model.Assessment{}, err
	}
	sig, err := key.Sign(text)
	if err != nil {
		return model.Assessment{}, fmt.Errorf("signing with key %s: %w", key.Fingerprint(), err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	db.last = nil
	var out lastChange
	err = db.updateOf(assessment(id), func(tx *bolt.Tx) error {
		// The same check as any change: what is stored is what onus wrote.
		a, h, err := loadForChange(tx, id, "signed")
		if err != nil {
			return err
		}
		if h.Seq != p.head.Seq || h.Hash != p.head.Hash {
			return fmt.Errorf("assessment %s changed while it was being signed; nothing was recorded: sign again", id)
		}
		if p.newMilestone {
			name := p.manifest.Milestone
			if h, err = db.record(tx, &a, h, model.ActMilestone, "milestones/"+name, nil, name, ""); err != nil {
				return err
			}
		}
		if h, err = db.record(tx, &a, h, model.ActSign, "signoffs", nil, p.manifest.SignOff(string(text), string(sig)), ""); err != nil {
			return err
		}
		out = lastChange{a, h}
		return nil
	})
	if err != nil {
		return model.Assessment{}, err
	}
	db.changed = true
	db.committed(out.a)
	db.last = &out
	return out.a.Clone(), nil
}

func (db *DB) prepareSign(id string, req SignRequest, cat *model.Catalog, fingerprint string) (pendingSign, error) {
	var p pendingSign
	if req.Name == "" {
		req.Name = db.actor
	}
	if req.Step == "" {
		req.Step = model.WorkflowFinal
	}
	switch {
	case strings.TrimSpace(req.Meaning) == "":
		return p, errors.New("a signature needs its meaning (e.g. reviewed, approved)")
	case req.Step != model.WorkflowInReview && req.Step != model.WorkflowFinal:
		return p, fmt.Errorf("a signature moves an assessment to in-review or final, not %q", req.Step)
	case cat == nil:
		return p, errors.New("signing needs the catalog, to find the open high-risk gaps")
	case fingerprint == "":
		return p, errors.New("signing needs a key")
	}
	for _, f := range []struct {
		name, value string
		limit       int
	}{{"signer name", req.Name, model.MaxNameBytes}, {"role", req.Role, model.MaxNameBytes},
		{"meaning", req.Meaning, model.MaxTextBytes}, {"acknowledgement", req.Acknowledgement, model.MaxTextBytes}} {
		if err := model.CheckText(f.name, f.value, f.limit); err != nil {
			return p, err
		}
	}
	err := db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		a, h, err := loadForChange(tx, id, "signed")
		if err != nil {
			return err
		}
		p.head = h.ChainHead
		if a.Deleted {
			return fmt.Errorf("assessment %s is deleted; restore it first (onus restore %s)", id, id)
		}
		if a.Catalog.Hash != cat.Hash {
			return fmt.Errorf("assessment %s was assessed against catalog %s (SHA-256 %s), not the one loaded (%s, %s): sign with that catalog (--catalog FILE)",
				id, a.Catalog.Version, a.Catalog.Hash, cat.Version, cat.Hash)
		}
		ms, err := chooseMilestone(tx.Bucket(bucketTrails).Bucket([]byte(id)), &a, p.head, req)
		if err != nil {
			return err
		}
		p.newMilestone = ms.At.IsZero()
		if p.newMilestone && a.Workflow == model.WorkflowFinal {
			return &model.FinalError{ID: id}
		}
		now := db.now()
		at := now.Truncate(time.Second)
		if !req.Time.IsZero() {
			if req.Time.After(now) || now.Sub(req.Time) > model.MaxSignDelay {
				return fmt.Errorf("the manifest's time %s is not within %s before now: prepare the signature again", req.Time.UTC().Format(time.RFC3339), model.MaxSignDelay)
			}
			at = req.Time.UTC().Truncate(time.Second)
		}
		gaps := model.HighGaps(cat.Review(&a, now))
		if len(gaps) > 0 && strings.TrimSpace(req.Acknowledgement) == "" {
			return &model.OpenGapsError{Gaps: gaps}
		}
		p.manifest = model.Manifest{Assessment: a.ID, Name: a.Name, CatalogVersion: a.Catalog.Version, CatalogHash: a.Catalog.Hash,
			Head: ms.Head, Entries: ms.Entries, Milestone: ms.Name, Step: req.Step, Meaning: req.Meaning, Signer: req.Name,
			Role: req.Role, Key: fingerprint, Time: at, OpenHighGaps: len(gaps), Acknowledgement: req.Acknowledgement}
		_, err = p.manifest.Encode()
		return err
	})
	return p, err
}

// chooseMilestone returns the milestone a signature is made on: the one
// requested or, by default, the newest; either only if the record has not
// changed since. Otherwise it returns a new milestone at the head (its At
// is zero: not recorded yet).
func chooseMilestone(trail *bolt.Bucket, a *model.Assessment, head model.ChainHead, req SignRequest) (model.Milestone, error) {
	name := req.Milestone
	if name == "" && len(a.Milestones) > 0 {
		newest := a.Milestones[len(a.Milestones)-1]
		if seq, err := firstChangeAfter(trail, newest.Entries); err != nil || seq == 0 {
			return newest, err
		}
	}
	if name == "" {
		name = fmt.Sprintf("%s-%d", req.Step, len(a.Milestones)+1)
	}
	if m, ok := a.Milestone(name); ok {
		seq, err := firstChangeAfter(trail, m.Entries)
		if err != nil {
			return m, err
		}
		if seq != 0 {
			return m, fmt.Errorf("assessment %s changed after milestone %q (entry %d); sign a new milestone instead", a.ID, name, seq)
		}
		return m, nil
	}
	if err := model.CheckMilestoneName(name); err != nil {
		return model.Milestone{}, err
	}
	return model.Milestone{Name: name, Head: head.Hash, Entries: head.Seq}, nil
}

// firstChangeAfter reads the trail after its first n entries and returns
// the first that changes the record (model.ChangesRecord), or 0.
func firstChangeAfter(trail *bolt.Bucket, n uint64) (uint64, error) {
	c := trail.Cursor()
	for k, v := c.Seek(seqKey(n + 1)); k != nil; k, v = c.Next() {
		var e struct {
			Seq    uint64 `json:"seq"`
			Action string `json:"action"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return 0, err
		}
		if model.ChangesRecord(e.Action) {
			return e.Seq, nil
		}
	}
	return 0, nil
}

// Reopen moves a final (or signed) assessment back to draft so it can be
// changed again. The reason is required and recorded; every signature so
// far is marked superseded, and stays verifiable against the head it
// signed.
func (db *DB) Reopen(id, reason string) (model.Assessment, error) {
	return db.change(id, model.ActReopen, reason, func(a *model.Assessment) (string, any, any, error) {
		return "workflow", a.Workflow, model.WorkflowDraft, nil
	})
}
