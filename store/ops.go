package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// Limits keep one field or answer from swamping the file or the screen.
const (
	MaxTextBytes    = 64 << 10 // any one text field
	MaxNameBytes    = 200      // names shown in lists
	MaxEvidence     = 100      // evidence references per answer
	MaxServiceCount = 1000     // selected services per assessment
	MaxListLen      = 100      // frameworks in a scope, overrides per service
)

// NotFoundError names an assessment id that is not in the file.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("no assessment %q in this database", e.ID) }

// ErrNotFound matches any NotFoundError with errors.Is.
var ErrNotFound = errors.New("assessment not found")

func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func seqKey(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

func (db *DB) now() time.Time { return db.opt.Now().UTC() }

func summaryOf(a *model.Assessment, progress func(*model.Assessment) (int, int)) model.Summary {
	s := model.Summary{ID: a.ID, Name: a.Name, Organisation: a.Organisation, System: a.System, Workflow: a.Workflow,
		Services: len(a.Services), UpdatedAt: a.UpdatedAt, Deleted: a.Deleted, Catalog: a.Catalog}
	if progress != nil {
		s.Answered, s.Applicable = progress(a)
	} else {
		for _, ans := range a.Answers {
			if ans.Status != model.StatusUnanswered {
				s.Answered++
			}
		}
	}
	return s
}

// trailHead is what a new entry needs of the one before it.
type trailHead struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// lastEntry returns the sequence number and hash of the newest entry of a
// trail bucket (zero for an empty trail).
func lastEntry(trail *bolt.Bucket) (trailHead, error) {
	var h trailHead
	k, v := trail.Cursor().Last()
	if k == nil {
		return h, nil
	}
	return h, json.Unmarshal(v, &h)
}

// record appends one entry to an assessment's trail, applies it, and stores
// the assessment and its summary: all in the caller's transaction. known
// is the trail's head when the caller has it (nil: read it from the
// trail); the new head is returned.
func (db *DB) record(tx *bolt.Tx, a *model.Assessment, known *trailHead, action, target string, old, new any, reason string) (trailHead, error) {
	trail, err := tx.Bucket(bucketTrails).CreateBucketIfNotExists([]byte(a.ID))
	if err != nil {
		return trailHead{}, err
	}
	var last trailHead
	if known != nil {
		last = *known
	} else if last, err = lastEntry(trail); err != nil {
		return trailHead{}, err
	}
	e := model.AuditEntry{Assessment: a.ID, Seq: last.Seq + 1, Time: db.now(), Actor: db.opt.Actor,
		Action: action, Target: target, Reason: reason, PrevHash: last.Hash}
	if old != nil {
		if e.Old, err = json.Marshal(old); err != nil {
			return trailHead{}, err
		}
	}
	if e.New, err = json.Marshal(new); err != nil {
		return trailHead{}, err
	}
	e.Hash = e.ComputeHash()
	if err := model.CheckWorkflow(a, e); err != nil {
		return trailHead{}, err
	}
	if err := model.Apply(a, e); err != nil {
		return trailHead{}, err
	}
	if err := putJSON(trail, seqKey(e.Seq), e); err != nil {
		return trailHead{}, err
	}
	switch action {
	case model.ActCreate:
		err = putAnswers(tx, a, slices.Sorted(maps.Keys(a.Answers)))
	case model.ActAnswer:
		err = putAnswers(tx, a, []string{strings.TrimPrefix(target, "answer/")})
	}
	if err != nil {
		return trailHead{}, err
	}
	return trailHead{Seq: e.Seq, Hash: e.Hash}, db.putAssessment(tx, a)
}

// putAssessment stores an assessment without its answers (putAnswers keeps
// those, one per key, so answering a control writes one small value rather
// than the whole assessment), and its summary.
func (db *DB) putAssessment(tx *bolt.Tx, a *model.Assessment) error {
	rest := *a
	rest.Answers = nil
	if err := putJSON(tx.Bucket(bucketAssessments), []byte(a.ID), rest); err != nil {
		return err
	}
	return putJSON(tx.Bucket(bucketSummaries), []byte(a.ID), summaryOf(a, db.opt.Progress))
}

// putAnswers stores the answers of a to the given controls, deleting the
// ones a no longer has.
func putAnswers(tx *bolt.Tx, a *model.Assessment, controls []string) error {
	b, err := tx.Bucket(bucketAnswers).CreateBucketIfNotExists([]byte(a.ID))
	if err != nil {
		return err
	}
	for _, c := range controls {
		ans, ok := a.Answers[c]
		if !ok {
			err = b.Delete([]byte(c))
		} else {
			err = putJSON(b, []byte(c), ans)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// loadAssessment reads an assessment with its answers. Files before schema
// 3 (read without migrating) keep the answers inside the assessment.
func loadAssessment(tx *bolt.Tx, id string) (model.Assessment, error) {
	var a model.Assessment
	ok, err := getJSON(tx.Bucket(bucketAssessments), []byte(id), &a)
	if err != nil {
		return a, fmt.Errorf("assessment %s is unreadable (run onus verify): %w", id, err)
	}
	if !ok {
		return a, &NotFoundError{ID: id}
	}
	var answers *bolt.Bucket
	if b := tx.Bucket(bucketAnswers); b != nil {
		answers = b.Bucket([]byte(id))
	}
	if answers == nil {
		return a, nil
	}
	err = answers.ForEach(func(k, v []byte) error {
		var ans model.Answer
		if err := json.Unmarshal(v, &ans); err != nil {
			return fmt.Errorf("the answer to %s in assessment %s is unreadable (run onus verify): %w", k, id, err)
		}
		if a.Answers == nil {
			a.Answers = map[string]model.Answer{}
		}
		a.Answers[string(k)] = ans
		return nil
	})
	return a, err
}

// change runs one audited change on an assessment in one transaction.
// edit returns the target, the old and the new value.
func (db *DB) change(id, action, reason string, edit func(a *model.Assessment) (target string, old, new any, err error)) (model.Assessment, error) {
	if err := checkText("reason", reason, MaxTextBytes); err != nil {
		return model.Assessment{}, err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	// Take the cached assessment out first: whatever happens below, the
	// cache is only ever set from a committed change.
	cached := db.last
	db.last = nil
	var out lastChange
	err := db.update(func(tx *bolt.Tx) error {
		var a model.Assessment
		var known *trailHead
		if cached != nil && cached.a.ID == id {
			a, known = cached.a, &cached.head
		} else {
			var err error
			if a, err = loadAssessment(tx, id); err != nil {
				return err
			}
		}
		if a.Deleted && action != model.ActDelete && action != model.ActRestore {
			return fmt.Errorf("assessment %s is deleted; restore it first (onus restore %s)", id, id)
		}
		target, old, new, err := edit(&a)
		if err != nil {
			return err
		}
		head, err := db.record(tx, &a, known, action, target, old, new, reason)
		if err != nil {
			return err
		}
		out = lastChange{a, head}
		return nil
	})
	if err != nil {
		return model.Assessment{}, err
	}
	db.changed = true
	db.last = &out
	return cloneAssessment(out.a), nil
}

// cloneAssessment copies every map and slice, so a change to the copy
// never reaches the original.
func cloneAssessment(a model.Assessment) model.Assessment {
	if a.Answers != nil {
		answers := make(map[string]model.Answer, len(a.Answers))
		for k, ans := range a.Answers {
			ans.Evidence = slices.Clone(ans.Evidence)
			answers[k] = ans
		}
		a.Answers = answers
	}
	if a.Services != nil { // nil stays nil: the stored JSON must not depend on the cache
		a.Services = cloneServices(a.Services)
	}
	a.Supplier = slices.Clone(a.Supplier)
	a.SignOffs = slices.Clone(a.SignOffs)
	a.Milestones = slices.Clone(a.Milestones)
	a.Scope.Frameworks = slices.Clone(a.Scope.Frameworks)
	return a
}

func checkText(field, s string, limit int) error {
	if len(s) > limit {
		return fmt.Errorf("%s too long: %d bytes, and the limit is %d", field, len(s), limit)
	}
	return nil
}

func checkInfo(in model.Info) error {
	if strings.TrimSpace(in.Name) == "" {
		return errors.New("an assessment needs a name")
	}
	if err := checkText("name", in.Name, MaxNameBytes); err != nil {
		return err
	}
	if err := checkText("organisation", in.Organisation, MaxNameBytes); err != nil {
		return err
	}
	return checkText("system", in.System, MaxNameBytes)
}

func checkScope(s model.Scope) error {
	if s.Impact != "" && !s.Impact.Valid() {
		return fmt.Errorf("unknown GxP impact %q (use direct, indirect or none)", s.Impact)
	}
	if err := checkIDs("framework", s.Frameworks, MaxListLen); err != nil {
		return err
	}
	return checkText("data classification", s.DataClassification, MaxNameBytes)
}

// checkIDs checks a list of catalog ids for count and length; whether
// they are in the catalog is the caller's business.
func checkIDs(what string, ids []string, limit int) error {
	if len(ids) > limit {
		return fmt.Errorf("%d %s ids; the limit is %d", len(ids), what, limit)
	}
	for _, id := range ids {
		if strings.TrimSpace(id) == "" {
			return fmt.Errorf("an empty %s id", what)
		}
		if err := checkText(what+" id", id, MaxNameBytes); err != nil {
			return err
		}
	}
	return nil
}

// validID reports whether id can be an assessment id: what newID makes,
// or anything as plain (ids are keys in the file and appear in commands).
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if (r < '0' || r > '9') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

// Create stores a new assessment and starts its trail. ID, times, author and
// workflow are set here.
func (db *DB) Create(a model.Assessment) (model.Assessment, error) {
	if err := checkInfo(model.Info{Name: a.Name, Organisation: a.Organisation, System: a.System}); err != nil {
		return model.Assessment{}, err
	}
	if err := checkScope(a.Scope); err != nil {
		return model.Assessment{}, err
	}
	if a.Scope.Impact == "" {
		a.Scope.Impact = model.ImpactDirect
	}
	now := db.now()
	a.ID = newID(now)
	a.CreatedAt, a.UpdatedAt, a.CreatedBy = now, now, db.opt.Actor
	a.Workflow = model.WorkflowDraft
	a.Deleted = false
	return db.create(a, "")
}

func (db *DB) create(a model.Assessment, reason string) (model.Assessment, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.last = nil
	err := db.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAssessments).Get([]byte(a.ID)) != nil {
			return fmt.Errorf("assessment %s already exists", a.ID)
		}
		init := a
		a = model.Assessment{ID: a.ID}
		_, err := db.record(tx, &a, nil, model.ActCreate, "assessment", nil, init, reason)
		return err
	})
	if err != nil {
		return model.Assessment{}, err
	}
	db.changed = true
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
	// Not db.view: a BackgroundCheck open checked the summaries' pages
	// before returning, so the list need not wait for the rest.
	err := db.bolt.View(func(tx *bolt.Tx) error {
		sums := tx.Bucket(bucketSummaries)
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
		return sums.ForEach(func(k, v []byte) error {
			var s model.Summary
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("the list summary of %s is unreadable (run onus verify): %w", k, err)
			}
			add(s)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b model.Summary) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, err
}

// Get returns one assessment.
func (db *DB) Get(id string) (model.Assessment, error) {
	var a model.Assessment
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		a, err = loadAssessment(tx, id)
		return err
	})
	return a, err
}

// UpdateInfo changes name, organisation and system.
func (db *DB) UpdateInfo(id string, in model.Info, reason string) (model.Assessment, error) {
	if err := checkInfo(in); err != nil {
		return model.Assessment{}, err
	}
	return db.change(id, model.ActInfo, reason, func(a *model.Assessment) (string, any, any, error) {
		old := model.Info{Name: a.Name, Organisation: a.Organisation, System: a.System}
		return "info", old, in, nil
	})
}

// UpdateScope replaces the scope.
func (db *DB) UpdateScope(id string, s model.Scope, reason string) (model.Assessment, error) {
	if err := checkScope(s); err != nil {
		return model.Assessment{}, err
	}
	return db.change(id, model.ActScope, reason, func(a *model.Assessment) (string, any, any, error) {
		return "scope", a.Scope, s, nil
	})
}

// SelectServices adds services (ids already selected are kept as they are).
func (db *DB) SelectServices(id string, ids []string) (model.Assessment, error) {
	if err := checkIDs("service", ids, MaxServiceCount); err != nil {
		return model.Assessment{}, err
	}
	return db.setServices(id, func(cur []model.SelectedService) ([]model.SelectedService, error) {
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
	return db.setServices(id, func(cur []model.SelectedService) ([]model.SelectedService, error) {
		return slices.DeleteFunc(cur, func(s model.SelectedService) bool { return slices.Contains(ids, s.ID) }), nil
	})
}

// SetOverride records a justified owner override of one layer of a
// selected service.
func (db *DB) SetOverride(id, service string, o model.ServiceOverride) (model.Assessment, error) {
	if strings.TrimSpace(o.Justification) == "" {
		return model.Assessment{}, errors.New("an override needs a justification")
	}
	if !o.Owner.Valid() {
		return model.Assessment{}, fmt.Errorf("unknown owner %q (use aws, customer or shared)", o.Owner)
	}
	if err := checkText("justification", o.Justification, MaxTextBytes); err != nil {
		return model.Assessment{}, err
	}
	if err := checkIDs("layer", []string{o.Layer}, 1); err != nil {
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
	return db.setServices(id, func(cur []model.SelectedService) ([]model.SelectedService, error) {
		for i := range cur {
			if cur[i].ID == service {
				return cur, edit(&cur[i])
			}
		}
		return nil, fmt.Errorf("service %q is not selected in this assessment", service)
	})
}

func (db *DB) setServices(id string, edit func([]model.SelectedService) ([]model.SelectedService, error)) (model.Assessment, error) {
	return db.change(id, model.ActServices, "", func(a *model.Assessment) (string, any, any, error) {
		old := cloneServices(a.Services)
		cur, err := edit(cloneServices(a.Services))
		if err != nil {
			return "", nil, nil, err
		}
		if len(cur) > MaxServiceCount {
			return "", nil, nil, fmt.Errorf("%d services selected; the limit is %d", len(cur), MaxServiceCount)
		}
		if cur == nil {
			cur = []model.SelectedService{}
		}
		return "services", old, cur, nil
	})
}

func cloneServices(in []model.SelectedService) []model.SelectedService {
	out := make([]model.SelectedService, len(in))
	for i, s := range in {
		s.Overrides = slices.Clone(s.Overrides)
		out[i] = s
	}
	return out
}

// SetSupplierRecord adds or replaces the record for one evidence source.
func (db *DB) SetSupplierRecord(id string, r model.SupplierRecord) (model.Assessment, error) {
	for _, d := range []string{r.Obtained, r.PeriodStart, r.PeriodEnd} {
		if d != "" {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return model.Assessment{}, fmt.Errorf("date %q is not YYYY-MM-DD", d)
			}
		}
	}
	if r.Status == "" {
		r.Status = model.SupplierPending
	}
	if err := checkIDs("evidence source", []string{r.Source}, 1); err != nil {
		return model.Assessment{}, err
	}
	if !slices.Contains(model.SupplierStatuses, r.Status) {
		return model.Assessment{}, fmt.Errorf("unknown supplier evidence status %q", r.Status)
	}
	for _, f := range []string{r.Version, r.Reviewer, r.Notes} {
		if err := checkText("supplier record field", f, MaxTextBytes); err != nil {
			return model.Assessment{}, err
		}
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

// RemoveSupplierRecord removes the record for one evidence source.
func (db *DB) RemoveSupplierRecord(id, source string) (model.Assessment, error) {
	return db.change(id, model.ActSupplier, "", func(a *model.Assessment) (string, any, any, error) {
		for _, x := range a.Supplier {
			if x.Source == source {
				return "supplier/" + source, x, nil, nil
			}
		}
		return "", nil, nil, fmt.Errorf("no supplier record for %q", source)
	})
}

// ValidateAnswer checks an answer before it is stored.
func ValidateAnswer(ans model.Answer) error {
	if ans.Control == "" {
		return errors.New("an answer needs a control id")
	}
	if err := checkText("control id", ans.Control, MaxNameBytes); err != nil {
		return err
	}
	if ans.Status != model.StatusUnanswered && !ans.Status.Valid() {
		return fmt.Errorf("unknown status %q (use implemented, partial, planned, not-implemented or not-applicable)", ans.Status)
	}
	if ans.Status == model.StatusNotApplicable && strings.TrimSpace(ans.Justification) == "" {
		return errors.New("not-applicable needs a justification")
	}
	if len(ans.Evidence) > MaxEvidence {
		return fmt.Errorf("%d evidence references; the limit is %d per answer", len(ans.Evidence), MaxEvidence)
	}
	for i, e := range ans.Evidence {
		if strings.TrimSpace(e.Title) == "" {
			return fmt.Errorf("evidence %d has no title", i+1)
		}
		if !e.Supplier.Valid() {
			return fmt.Errorf("evidence %q: unknown supplier %q (use aws, customer or third-party)", e.Title, e.Supplier)
		}
		if e.Date != "" {
			if _, err := time.Parse(time.DateOnly, e.Date); err != nil {
				return fmt.Errorf("evidence %q: date %q is not YYYY-MM-DD", e.Title, e.Date)
			}
		}
		for name, f := range map[string]string{"title": e.Title, "document id": e.DocumentID, "version": e.Version, "location": e.Location} {
			if err := checkText(fmt.Sprintf("evidence %d's %s", i+1, name), f, MaxTextBytes); err != nil {
				return err
			}
		}
	}
	if err := checkText("justification", ans.Justification, MaxTextBytes); err != nil {
		return err
	}
	return checkText("notes", ans.Notes, MaxTextBytes)
}

// Answer records the answer to one control.
func (db *DB) Answer(id string, ans model.Answer, reason string) (model.Assessment, error) {
	if err := ValidateAnswer(ans); err != nil {
		return model.Assessment{}, err
	}
	ans.UpdatedAt, ans.UpdatedBy = db.now(), db.opt.Actor
	return db.change(id, model.ActAnswer, reason, func(a *model.Assessment) (string, any, any, error) {
		var old any
		if prev, ok := a.Answers[ans.Control]; ok {
			old = prev
		}
		return "answer/" + ans.Control, old, ans, nil
	})
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

// SignOff records a signature with its meaning; signer and time are this
// session's actor and clock.
func (db *DB) SignOff(id string, s model.SignOff) (model.Assessment, error) {
	if strings.TrimSpace(s.Meaning) == "" {
		return model.Assessment{}, errors.New("a sign-off needs its meaning (e.g. reviewed, approved)")
	}
	if err := checkText("sign-off meaning", s.Meaning, MaxTextBytes); err != nil {
		return model.Assessment{}, err
	}
	if err := checkText("sign-off role", s.Role, MaxNameBytes); err != nil {
		return model.Assessment{}, err
	}
	s.By, s.At = db.opt.Actor, db.now()
	return db.change(id, model.ActSignOff, "", func(a *model.Assessment) (string, any, any, error) {
		return "signoffs", nil, s, nil
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
// head hash of the source's trail.
func (db *DB) Duplicate(id, newName string) (model.Assessment, error) {
	src, err := db.Get(id)
	if err != nil {
		return model.Assessment{}, err
	}
	trail, err := db.History(id)
	if err != nil {
		return model.Assessment{}, err
	}
	if strings.TrimSpace(newName) == "" {
		newName = src.Name + " (baseline)"
	}
	if err := checkInfo(model.Info{Name: newName}); err != nil {
		return model.Assessment{}, err
	}
	now := db.now()
	cp := src
	cp.ID, cp.Name, cp.BaselineOf = newID(now), newName, src.ID
	cp.CreatedAt, cp.UpdatedAt, cp.CreatedBy = now, now, db.opt.Actor
	cp.Workflow, cp.SignOffs, cp.Milestones, cp.Deleted = model.WorkflowDraft, nil, nil, false
	return db.create(cp, fmt.Sprintf("baseline of %s at trail head %s", src.ID, model.Head(trail)))
}

// History returns an assessment's audit trail, oldest first.
func (db *DB) History(id string) ([]model.AuditEntry, error) {
	var out []model.AuditEntry
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		out, err = loadTrail(tx, id)
		return err
	})
	return out, err
}

func loadTrail(tx *bolt.Tx, id string) ([]model.AuditEntry, error) {
	trail := tx.Bucket(bucketTrails).Bucket([]byte(id))
	if trail == nil {
		return nil, &NotFoundError{ID: id}
	}
	var out []model.AuditEntry
	err := trail.ForEach(func(k, v []byte) error {
		var e model.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("audit entry %x of %s is unreadable (run onus verify): %w", k, id, err)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// Export returns an assessment with its whole trail, checked first.
func (db *DB) Export(id string) (model.Bundle, error) {
	a, err := db.Get(id)
	if err != nil {
		return model.Bundle{}, err
	}
	trail, err := db.History(id)
	if err != nil {
		return model.Bundle{}, err
	}
	b := model.NewBundle(a, trail)
	if err := b.Verify(); err != nil {
		return model.Bundle{}, fmt.Errorf("assessment %s fails its integrity check, not exported: %w", id, err)
	}
	return b, nil
}

// Import stores a bundle from another machine after checking its chain and
// that the trail rebuilds the assessment it carries.
func (db *DB) Import(b model.Bundle) (model.Assessment, error) {
	if err := b.Verify(); err != nil {
		return model.Assessment{}, fmt.Errorf("bundle refused: %w", err)
	}
	if err := checkImported(&b.Assessment); err != nil {
		return model.Assessment{}, fmt.Errorf("bundle refused: %w", err)
	}
	a := b.Assessment
	db.mu.Lock()
	defer db.mu.Unlock()
	db.last = nil
	err := db.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAssessments).Get([]byte(a.ID)) != nil {
			trail := tx.Bucket(bucketTrails).Bucket([]byte(a.ID))
			if trail != nil {
				if last, err := lastEntry(trail); err == nil && last.Hash == model.Head(b.Trail) {
					return fmt.Errorf("assessment %s is already here with the same trail head; nothing to import", a.ID)
				}
			}
			return fmt.Errorf("assessment %s already exists here with a different history; purge or keep the local one", a.ID)
		}
		trail, err := tx.Bucket(bucketTrails).CreateBucketIfNotExists([]byte(a.ID))
		if err != nil {
			return err
		}
		for _, e := range b.Trail {
			if err := putJSON(trail, seqKey(e.Seq), e); err != nil {
				return err
			}
		}
		if err := putAnswers(tx, &a, slices.Sorted(maps.Keys(a.Answers))); err != nil {
			return err
		}
		if err := db.putAssessment(tx, &a); err != nil {
			return err
		}
		return db.logEvent(tx, model.ActImport, a.ID, model.Head(b.Trail))
	})
	if err == nil {
		db.changed = true
	}
	return a, err
}

// checkImported holds an imported assessment to the limits a local one
// meets: its chain proves who wrote it, not that it is sensible.
func checkImported(a *model.Assessment) error {
	if !validID(a.ID) {
		return fmt.Errorf("%q is not an onus assessment id", a.ID)
	}
	if err := checkInfo(model.Info{Name: a.Name, Organisation: a.Organisation, System: a.System}); err != nil {
		return err
	}
	if err := checkScope(a.Scope); err != nil {
		return err
	}
	if len(a.Services) > MaxServiceCount {
		return fmt.Errorf("%d services selected; the limit is %d", len(a.Services), MaxServiceCount)
	}
	for _, ans := range a.Answers {
		if err := ValidateAnswer(ans); err != nil {
			return fmt.Errorf("answer to %s: %w", ans.Control, err)
		}
	}
	return nil
}

// Purge removes an assessment and its trail for good, leaving a line in
// the store's own log.
func (db *DB) Purge(id string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.last = nil
	err := db.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAssessments).Get([]byte(id)) == nil {
			return &NotFoundError{ID: id}
		}
		var a model.Assessment
		if ok, err := getJSON(tx.Bucket(bucketAssessments), []byte(id), &a); ok && err == nil && a.Workflow == model.WorkflowFinal {
			return &model.FinalError{ID: id} // a signed record is not destroyed without a recorded reopening
		}
		var head string
		if trail := tx.Bucket(bucketTrails).Bucket([]byte(id)); trail != nil {
			last, _ := lastEntry(trail)
			head = last.Hash
			if err := tx.Bucket(bucketTrails).DeleteBucket([]byte(id)); err != nil {
				return err
			}
		}
		if tx.Bucket(bucketAnswers).Bucket([]byte(id)) != nil {
			if err := tx.Bucket(bucketAnswers).DeleteBucket([]byte(id)); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketAssessments).Delete([]byte(id)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSummaries).Delete([]byte(id)); err != nil {
			return err
		}
		return db.logEvent(tx, "purge", id, head)
	})
	if err == nil {
		db.changed = true
	}
	return err
}

// LogEvent is a store-level event: purges and imports.
type LogEvent struct {
	Time       time.Time `json:"time"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	Assessment string    `json:"assessment"`
	Head       string    `json:"head,omitempty"`
}

func (db *DB) logEvent(tx *bolt.Tx, action, id, head string) error {
	b := tx.Bucket(bucketLog)
	n, err := b.NextSequence()
	if err != nil {
		return err
	}
	return putJSON(b, seqKey(n), LogEvent{Time: db.now(), Actor: db.opt.Actor, Action: action, Assessment: id, Head: head})
}

// VerifyResult is the integrity of one assessment.
type VerifyResult struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Entries int    `json:"entries"`
	Head    string `json:"head"`
	Err     string `json:"error,omitempty"`
}

// Verify checks one assessment: its chain, and that the trail rebuilds the
// stored assessment.
func (db *DB) Verify(id string) VerifyResult {
	var r VerifyResult
	err := db.view(func(tx *bolt.Tx) error {
		r = verifyTx(tx, id)
		return nil
	})
	if err != nil {
		r = VerifyResult{ID: id, Err: err.Error()}
	}
	return r
}

func verifyTx(tx *bolt.Tx, id string) VerifyResult {
	r := VerifyResult{ID: id}
	a, aerr := loadAssessment(tx, id)
	trail, terr := loadTrail(tx, id)
	r.Name, r.Entries, r.Head = a.Name, len(trail), model.Head(trail)
	switch {
	case aerr != nil && terr == nil:
		r.Err = "an audit trail without its assessment (removed outside onus?)"
	case aerr != nil:
		r.Err = aerr.Error()
	case terr != nil && errors.Is(terr, ErrNotFound):
		r.Err = "an assessment without its audit trail (removed outside onus?)"
	case terr != nil:
		r.Err = terr.Error()
	default:
		if err := model.NewBundle(a, trail).Verify(); err != nil {
			r.Err = err.Error()
		} else if err := checkSummary(tx, &a); err != nil {
			r.Err = err.Error()
		}
	}
	return r
}

// checkSummary catches a summary that no longer matches its assessment,
// which would hide it from the list or show it wrongly there.
func checkSummary(tx *bolt.Tx, a *model.Assessment) error {
	sums := tx.Bucket(bucketSummaries)
	if sums == nil {
		return nil // schema 1, not migrated yet
	}
	var s model.Summary
	ok, err := getJSON(sums, []byte(a.ID), &s)
	switch {
	case err != nil:
		return fmt.Errorf("its list summary is unreadable: %w", err)
	case !ok:
		return errors.New("its list summary is missing (it would not be listed)")
	case s.ID != a.ID || s.Name != a.Name || s.Deleted != a.Deleted || s.Workflow != a.Workflow || !s.UpdatedAt.Equal(a.UpdatedAt):
		return errors.New("its list summary does not match it")
	}
	return nil
}

// assessmentIDs lists every id with an assessment, a trail or answers,
// sorted.
func assessmentIDs(tx *bolt.Tx) []string {
	seen := map[string]bool{}
	for _, name := range [][]byte{bucketAssessments, bucketTrails, bucketAnswers} {
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
// trail, deleted ones included.
func (db *DB) VerifyAll() ([]VerifyResult, error) {
	var out []VerifyResult
	err := db.view(func(tx *bolt.Tx) error {
		if err := checkTx(tx); err != nil {
			return fmt.Errorf("file structure: %w", err)
		}
		for _, id := range assessmentIDs(tx) {
			out = append(out, verifyTx(tx, id))
		}
		return nil
	})
	return out, err
}
