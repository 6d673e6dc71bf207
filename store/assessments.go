package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// The limits and rules live in model, with the rest of the domain; these
// names keep their callers working.
const (
	MaxTextBytes    = model.MaxTextBytes
	MaxNameBytes    = model.MaxNameBytes
	MaxEvidence     = model.MaxEvidence
	MaxServiceCount = model.MaxServiceCount
	MaxListLen      = model.MaxListLen
)

// ValidateAnswer is model.ValidateAnswer.
func ValidateAnswer(ans model.Answer) error { return model.ValidateAnswer(ans) }

// catalog is the catalog in effect, or nil.
func (db *DB) catalog() *model.Catalog {
	if db.opt.Catalog == nil {
		return nil
	}
	return db.opt.Catalog()
}

// summary is a's line in the list, counted with the catalog in effect.
func (db *DB) summary(a *model.Assessment) model.Summary {
	if cat := db.catalog(); cat != nil {
		s := summaryOf(a, cat.Progress)
		s.CountedWith = cat.Hash
		return s
	}
	return summaryOf(a, db.opt.Progress)
}

func summaryOf(a *model.Assessment, progress func(*model.Assessment) (int, int)) model.Summary {
	s := model.Summary{ID: a.ID, Name: a.Name, Organisation: a.Organisation, System: a.System, Workflow: a.Workflow,
		Services: len(a.Services), UpdatedAt: a.UpdatedAt, Deleted: a.Deleted, Catalog: a.Catalog}
	if progress != nil {
		s.Answered, s.Applicable = progress(a)
	} else {
		s.Answered = answered(a)
	}
	return s
}

// answered counts the answers given, whatever the catalog.
func answered(a *model.Assessment) int {
	n := 0
	for _, ans := range a.Answers {
		if ans.Status != model.StatusUnanswered {
			n++
		}
	}
	return n
}

// Create stores a new assessment and starts its trail. ID, times, author and
// workflow are set here.
func (db *DB) Create(a model.Assessment) (model.Assessment, error) {
	if err := model.ValidateInfo(model.Info{Name: a.Name, Organisation: a.Organisation, System: a.System}); err != nil {
		return model.Assessment{}, err
	}
	if err := model.ValidateScope(a.Scope); err != nil {
		return model.Assessment{}, err
	}
	if err := model.ValidateServices(a.Services); err != nil {
		return model.Assessment{}, err
	}
	if a.Scope.Impact == "" {
		a.Scope.Impact = model.ImpactDirect
	}
	now := db.now()
	a.ID = newID(now)
	a.CreatedAt, a.UpdatedAt, a.CreatedBy = now, now, db.actor
	a.Workflow = model.WorkflowDraft
	a.Deleted = false
	return db.create(a, model.ActCreate, nil, "")
}

// create starts the trail of a new assessment with a creation (or salvage)
// entry whose old value is old.
func (db *DB) create(a model.Assessment, action string, old any, reason string) (model.Assessment, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.last = nil
	var h head
	sc := assessment(a.ID)
	if action == model.ActSalvage {
		sc.buckets = [][]byte{bucketLog} // logEvent appends to it
	}
	err := db.updateOf(sc, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAssessments).Get([]byte(a.ID)) != nil {
			return fmt.Errorf("assessment %s already exists", a.ID)
		}
		init := a
		a = model.Assessment{ID: a.ID}
		var err error
		h, err = db.record(tx, &a, head{}, action, "assessment", old, init, reason)
		if err == nil && action == model.ActSalvage {
			err = db.logEvent(tx, LogEvent{Action: model.ActSalvage, Assessment: a.ID, From: old.(model.SalvageNote).From})
		}
		return err
	})
	if err != nil {
		return model.Assessment{}, err
	}
	db.markChanged(h.Time)
	db.committed(a)
	return a, nil
}

// List returns the summaries, newest change first, without decoding answers.
func (db *DB) List(includeDeleted bool) ([]model.Summary, error) {
	var out []model.Summary
	add := func(s model.Summary) {
		if includeDeleted || !s.Deleted {
			out = append(out, s)
		}
	}
	var last model.Summary
	summary := func(k, v []byte) error {
		s, err := decodeSummaryLike(v, &last)
		if err != nil {
			return unreadableSummary(k, err)
		}
		last = s
		add(s)
		return nil
	}
	var err error
	if db.asRead && !db.opt.BackgroundCheck { // a BackgroundCheck open checked the summaries as it opened
		// The summaries, as the check of their pages reads them.
		err = db.bolt.View(func(tx *bolt.Tx) error {
			return db.checkScope(tx, scope{buckets: [][]byte{bucketSummaries}, read: summary})
		})
	} else {
		first := db.openList.Swap(nil) // this List's alone
		if first != nil {
			out = first.sums[:0] // filtered in place: the list is decoded before the first frame, once
		}
		err = db.listMapped(first, add, summary)
	}
	slices.SortStableFunc(out, func(a, b model.Summary) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, err
}

// listMapped reads the summaries through bbolt, after the whole file's
// check or, for a BackgroundCheck open, the check of the summaries' pages
// before it returned (so that the list need not wait for the rest); or
// takes first, what that check decoded, when the file is still at the
// commit it read.
func (db *DB) listMapped(first *openList, add func(model.Summary), summary func(k, v []byte) error) error {
	view := db.view
	if db.opt.BackgroundCheck {
		view = db.bolt.View
	}
	return view(func(tx *bolt.Tx) error {
		sums := tx.Bucket(bucketSummaries)
		if first != nil && sums != nil && first.txid == uint64(tx.ID()) {
			for _, s := range first.sums { // what the open's check read is what tx sees
				add(s)
			}
			return first.err
		}
		if sums == nil {
			// A schema 1 file opened read-only (not migrated): no
			// summaries yet, so decode the assessments.
			return tx.Bucket(bucketAssessments).ForEach(func(k, v []byte) error {
				var a model.Assessment
				if err := json.Unmarshal(v, &a); err != nil {
					return fmt.Errorf("assessment %s is unreadable (run onus verify): %w", k, err)
				}
				add(summaryOf(&a, db.opt.Progress))
				return nil
			})
		}
		return sums.ForEach(summary)
	})
}

// Get returns one assessment.
func (db *DB) Get(id string) (model.Assessment, error) {
	var a model.Assessment
	err := db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		var err error
		a, err = loadAssessment(tx, id)
		return err
	})
	return a, err
}

// UpdateInfo changes name, organisation and system.
func (db *DB) UpdateInfo(id string, in model.Info, reason string) (model.Assessment, error) {
	if err := model.ValidateInfo(in); err != nil {
		return model.Assessment{}, err
	}
	return db.change(id, model.ActInfo, reason, func(a *model.Assessment) (string, any, any, error) {
		old := model.Info{Name: a.Name, Organisation: a.Organisation, System: a.System}
		return "info", old, in, nil
	})
}

// UpdateScope replaces the scope.
func (db *DB) UpdateScope(id string, s model.Scope, reason string) (model.Assessment, error) {
	if err := model.ValidateScope(s); err != nil {
		return model.Assessment{}, err
	}
	return db.change(id, model.ActScope, reason, func(a *model.Assessment) (string, any, any, error) {
		return "scope", a.Scope, s, nil
	})
}

// SelectServices adds services (ids already selected are kept as they are).
func (db *DB) SelectServices(id string, ids []string) (model.Assessment, error) {
	return db.SelectServicesBecause(id, ids, "")
}

// SelectServicesBecause adds services as SelectServices does, recording
// why in the audit entry: for services found in infrastructure as code,
// the files read and their SHA-256.
func (db *DB) SelectServicesBecause(id string, ids []string, reason string) (model.Assessment, error) {
	if err := model.ValidateIDs("service", ids, model.MaxServiceCount); err != nil {
		return model.Assessment{}, err
	}
	return db.setServices(id, reason, func(cur []model.SelectedService) ([]model.SelectedService, error) {
		for _, sid := range ids {
			if !slices.ContainsFunc(cur, func(s model.SelectedService) bool { return s.ID == sid }) {
				cur = append(cur, model.SelectedService{ID: sid})
			}
		}
		return cur, nil
	})
}

// DeselectServices removes services and their overrides.
func (db *DB) DeselectServices(id string, ids []string) (model.Assessment, error) {
	return db.setServices(id, "", func(cur []model.SelectedService) ([]model.SelectedService, error) {
		return slices.DeleteFunc(cur, func(s model.SelectedService) bool { return slices.Contains(ids, s.ID) }), nil
	})
}

// SetOverride records a justified owner override of one layer of a
// selected service.
func (db *DB) SetOverride(id, service string, o model.ServiceOverride) (model.Assessment, error) {
	if err := model.ValidateOverride(o); err != nil {
		return model.Assessment{}, err
	}
	return db.editService(id, service, func(s *model.SelectedService) error {
		s.Overrides = slices.DeleteFunc(s.Overrides, func(x model.ServiceOverride) bool { return x.Layer == o.Layer })
		s.Overrides = append(s.Overrides, o)
		return nil
	})
}

// ClearOverride removes an assessment override.
func (db *DB) ClearOverride(id, service, layer string) (model.Assessment, error) {
	return db.editService(id, service, func(s *model.SelectedService) error {
		n := len(s.Overrides)
		if s.Overrides = slices.DeleteFunc(s.Overrides, func(x model.ServiceOverride) bool { return x.Layer == layer }); len(s.Overrides) == n {
			return fmt.Errorf("%s has no override of layer %q in this assessment; nothing to clear", service, layer)
		}
		return nil
	})
}

func (db *DB) editService(id, service string, edit func(*model.SelectedService) error) (model.Assessment, error) {
	// The checks run inside the transaction, so a refused edit records
	// nothing.
	return db.setServices(id, "", func(cur []model.SelectedService) ([]model.SelectedService, error) {
		for i := range cur {
			if cur[i].ID == service {
				return cur, edit(&cur[i])
			}
		}
		return nil, fmt.Errorf("service %q is not selected in this assessment", service)
	})
}

func (db *DB) setServices(id, reason string, edit func([]model.SelectedService) ([]model.SelectedService, error)) (model.Assessment, error) {
	return db.change(id, model.ActServices, reason, func(a *model.Assessment) (string, any, any, error) {
		old := cloneServices(a.Services)
		cur, err := edit(cloneServices(a.Services))
		if err != nil {
			return "", nil, nil, err
		}
		if err := model.ValidateServices(cur); err != nil {
			return "", nil, nil, err
		}
		if cur == nil {
			cur = []model.SelectedService{}
		}
		return "services", old, cur, nil
	})
}

// SetSupplierRecord adds or replaces the record for one evidence source.
// A record that says the report was reviewed names who reviewed it and
// when (model.ValidateSupplierRecord); without a status it is pending.
func (db *DB) SetSupplierRecord(id string, r model.SupplierRecord) (model.Assessment, error) {
	if r.Status == "" {
		r.Status = model.SupplierPending
	}
	if err := model.ValidateSupplierRecord(r); err != nil {
		return model.Assessment{}, err
	}
	return db.change(id, model.ActSupplier, "", func(a *model.Assessment) (string, any, any, error) {
		var old any
		for _, x := range a.Supplier {
			if x.Source == r.Source {
				old = x
			}
		}
		return "supplier/" + r.Source, old, r, nil
	})
}

// RemoveSupplierRecord removes the record for one evidence source,
// unlinking it (aws:SOURCE) from every answer that cites it first.
func (db *DB) RemoveSupplierRecord(id, source string) (model.Assessment, error) {
	return db.changes(id, model.ActSupplier, func(r *batch) error {
		i := slices.IndexFunc(r.a.Supplier, func(x model.SupplierRecord) bool { return x.Source == source })
		if i < 0 {
			return fmt.Errorf("no supplier record for %q", source)
		}
		old := r.a.Supplier[i]
		if err := r.unlinkEverywhere(model.SupplierEntryID(source)); err != nil {
			return err
		}
		return r.record(model.ActSupplier, "supplier/"+source, old, nil, "")
	})
}

// Answer records the answer to one control. Its links stay as they are
// (SetLinks, Link and Unlink change them); free-text references given in
// ans.Evidence are filed in the register and linked (see answer).
func (db *DB) Answer(id string, ans model.Answer, reason string) (model.Assessment, error) {
	return db.Answers(id, []model.Answer{ans}, reason)
}

// Answers records several answers, each as Answer would, in one
// transaction: all of them or, on any error, none.
func (db *DB) Answers(id string, answers []model.Answer, reason string) (model.Assessment, error) {
	if len(answers) == 0 {
		return db.Get(id)
	}
	for _, ans := range answers {
		if err := model.ValidateAnswer(ans); err != nil {
			if len(answers) > 1 {
				err = fmt.Errorf("%s: %w", ans.Control, err)
			}
			return model.Assessment{}, err
		}
	}
	now := db.now()
	return db.changes(id, model.ActAnswer, func(r *batch) error {
		for _, ans := range answers {
			if err := r.answer(ans, now, reason); err != nil {
				return err
			}
		}
		return nil
	})
}

// AnswersAs records answers as Answers does, each by respondent rather
// than this session's actor: a filled prep pack read back (package prep)
// records the answers of the person who filled it. A lent handle's
// listener (Lend) is told of them as of its other changes.
func (db *DB) AnswersAs(respondent, id string, answers []model.Answer, reason string) (model.Assessment, error) {
	h := *db
	h.actor = respondent
	return h.Answers(id, answers, reason)
}

// SetWorkflow moves the assessment to another workflow status.
func (db *DB) SetWorkflow(id string, w model.Workflow, reason string) (model.Assessment, error) {
	if !w.Valid() {
		return model.Assessment{}, fmt.Errorf("unknown workflow status %q (use draft, in-review or final)", w)
	}
	return db.change(id, model.ActWorkflow, reason, func(a *model.Assessment) (string, any, any, error) {
		return "workflow", a.Workflow, w, nil
	})
}

// Delete marks an assessment deleted; it stays in the file and its trail,
// and Restore brings it back.
func (db *DB) Delete(id, reason string) (model.Assessment, error) {
	return db.change(id, model.ActDelete, reason, func(a *model.Assessment) (string, any, any, error) {
		if a.Deleted {
			return "", nil, nil, fmt.Errorf("assessment %s is already deleted", id)
		}
		return "assessment", false, true, nil
	})
}

// Restore undoes a soft delete.
func (db *DB) Restore(id, reason string) (model.Assessment, error) {
	return db.change(id, model.ActRestore, reason, func(a *model.Assessment) (string, any, any, error) {
		if !a.Deleted {
			return "", nil, nil, fmt.Errorf("assessment %s is not deleted", id)
		}
		return "assessment", true, false, nil
	})
}

// Duplicate starts a new assessment from a copy of another, as a baseline
// for the next round. Its trail starts fresh and names the source and the
// head hash of the source's trail. A source that fails its integrity
// check is not copied.
func (db *DB) Duplicate(id, newName string) (model.Assessment, error) {
	var src model.Assessment
	var h head
	err := db.viewOf(assessment(id), func(tx *bolt.Tx) error {
		var err error
		src, h, err = loadForChange(tx, id, "duplicated")
		return err
	})
	if err != nil {
		return model.Assessment{}, err
	}
	if strings.TrimSpace(newName) == "" {
		newName = src.Name + " (baseline)"
	}
	if err := model.ValidateInfo(model.Info{Name: newName}); err != nil {
		return model.Assessment{}, err
	}
	now := db.now()
	cp := src
	cp.ID, cp.Name, cp.BaselineOf = newID(now), newName, src.ID
	cp.CreatedAt, cp.UpdatedAt, cp.CreatedBy = now, now, db.actor
	cp.Workflow, cp.SignOffs, cp.Milestones, cp.Deleted = model.WorkflowDraft, nil, nil, false
	return db.create(cp, model.ActCreate, nil, fmt.Sprintf("baseline of %s at trail head %s", src.ID, h.Hash))
}

// Purge removes an assessment and its trail for good, leaving a line in
// the store's own log; every person's wizard state in it goes in the same
// transaction, since a draft holds the assessment's text too. An
// assessment that fails its integrity check is evidence, and is not
// purged.
func (db *DB) Purge(id string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.last = nil
	err := db.update(func(tx *bolt.Tx) error {
		a, h, err := loadForChange(tx, id, "purged")
		if err != nil {
			return err
		}
		if a.Workflow == model.WorkflowFinal {
			return &model.FinalError{ID: id} // a signed record is not destroyed without a recorded reopening
		}
		for _, b := range [][]byte{bucketTrails, bucketAnswers} {
			if tx.Bucket(b).Bucket([]byte(id)) != nil {
				if err := tx.Bucket(b).DeleteBucket([]byte(id)); err != nil {
					return err
				}
			}
		}
		for _, b := range [][]byte{bucketAssessments, bucketSummaries, bucketHeads} {
			if err := tx.Bucket(b).Delete([]byte(id)); err != nil {
				return err
			}
		}
		if err := dropWizardState(tx, id); err != nil {
			return err
		}
		return db.logEvent(tx, LogEvent{Action: "purge", Assessment: id, Head: h.Hash})
	})
	if err == nil {
		db.markChanged(time.Time{}) // no clock read for it: Close backs up if due
	}
	return err
}
