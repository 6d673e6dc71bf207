package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// embedded is the catalog onus ships.
func embedded(t testing.TB) *model.Catalog {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// reopen opens path read-write with the embedded catalog in effect.
func reopen(t testing.TB, path string) *DB {
	t.Helper()
	cat := embedded(t)
	db, err := Open(path, Options{Actor: "alice", Now: (&clock{now: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)}).Now,
		Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// answerRaw rewrites one stored answer with bbolt, as someone editing the
// file would.
func answerRaw(t *testing.T, path, id, control string, edit func([]byte) []byte) {
	t.Helper()
	editRaw(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAnswers).Bucket([]byte(id))
		v := append([]byte(nil), b.Get([]byte(control))...)
		out := edit(v)
		if bytes.Equal(out, v) {
			t.Fatalf("the edit of %s changed nothing: %s", control, v)
		}
		return b.Put([]byte(control), out)
	})
}

// wantIntegrityError checks err is the refusal of a broken assessment.
func wantIntegrityError(t *testing.T, what string, err error, id string, says ...string) {
	t.Helper()
	var ie *IntegrityError
	if !errors.As(err, &ie) || ie.ID != id || ie.ExitCode() != 4 || !errors.Is(err, ErrIntegrity) {
		t.Errorf("%s: %v, want the IntegrityError of %s (exit 4)", what, err, id)
		return
	}
	for _, s := range says {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%s: %q does not say %q", what, err, s)
		}
	}
}

// A value changed directly in the file fails verify; an ordinary answer
// on that control then fails too (it used to succeed, recording the forged
// value as the old one, after which verify passed again). Nothing else is
// written to that assessment either, and the file keeps every byte.
func TestLaunderingIsRefused(t *testing.T) {
	src, id, other := tamperSource(t)
	path := filepath.Join(t.TempDir(), "onus.db")
	copyFile(t, src, path)
	answerRaw(t, path, id, "REC-02", func(v []byte) []byte {
		return bytes.Replace(v, []byte(`"implemented"`), []byte(`"not-implemented"`), 1)
	})
	before := fileSHA(t, path)

	db := reopen(t, path)
	if r := db.Verify(id); !strings.Contains(r.Err, "does not match its audit trail") {
		t.Fatalf("Verify after the edit: %+v", r)
	}
	_, err := db.Answer(id, model.Answer{Control: "REC-02", Status: model.StatusPlanned}, "")
	wantIntegrityError(t, "an answer on the edited control", err, id, "not written to", "onus salvage "+id)
	if err := db.Check(id); err == nil {
		t.Error("Check passes an assessment that fails verify")
	}
	refused := map[string]error{}
	_, refused["another answer"] = db.Answer(id, model.Answer{Control: "REC-05", Status: model.StatusPlanned}, "")
	_, refused["info"] = db.UpdateInfo(id, model.Info{Name: "renamed"}, "")
	_, refused["scope"] = db.UpdateScope(id, model.Scope{}, "")
	_, refused["services"] = db.SelectServices(id, []string{"s3"})
	_, refused["supplier"] = db.SetSupplierRecord(id, model.SupplierRecord{Source: "soc2"})
	_, refused["workflow"] = db.SetWorkflow(id, model.WorkflowDraft, "")
	_, refused["milestone"] = db.Milestone(id, "m1")
	_, refused["reopen"] = db.Reopen(id, "CAPA-1")
	_, refused["delete"] = db.Delete(id, "")
	for what, err := range refused {
		wantIntegrityError(t, what, err, id, "not written to")
	}
	wantIntegrityError(t, "purge", db.Purge(id), id, "not purged")
	_, err = db.Duplicate(id, "")
	wantIntegrityError(t, "duplicate", err, id, "not duplicated")
	_, err = db.Export(id)
	wantIntegrityError(t, "export", err, id, "not exported")
	// The other assessment in the file is sound, and still writable.
	if _, err := db.Answer(other, model.Answer{Control: "REC-01", Status: model.StatusPlanned}, ""); err != nil {
		t.Errorf("an answer on the sound assessment: %v", err)
	}
	if r := db.Verify(id); r.Err == "" {
		t.Error("the tampered assessment verifies after the refused changes")
	}
	if h, _ := db.History(id); len(h) != 5 {
		t.Errorf("the tampered trail has %d entries, want its 5", len(h))
	}
	mustClose(t, db)

	// Only the sound assessment changed: the tampered one's bytes are as
	// found.
	if fileSHA(t, path) == before {
		t.Fatal("the answer on the sound assessment was not saved")
	}
	db = reopen(t, path)
	defer mustClose(t, db)
	if r := db.Verify(id); !strings.Contains(r.Err, "does not match its audit trail") {
		t.Errorf("Verify of the tampered assessment at the end: %+v", r)
	}
	if r := db.Verify(other); r.Err != "" {
		t.Errorf("Verify of the sound assessment: %+v", r)
	}
}

// Every kind of change made around onus stops every write to the
// assessment, and purge, and names the first bad entry where there is one.
func TestBrokenAssessmentIsNeverWritten(t *testing.T) {
	src, id, _ := tamperSource(t)
	trailOf := func(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket(bucketTrails).Bucket([]byte(id)) }
	entry := func(tx *bolt.Tx, n uint64) model.AuditEntry {
		var e model.AuditEntry
		if err := json.Unmarshal(trailOf(tx).Get(seqKey(n)), &e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	put := func(tx *bolt.Tx, e model.AuditEntry) error {
		raw, _ := json.Marshal(e)
		return trailOf(tx).Put(seqKey(e.Seq), raw)
	}
	cases := []struct {
		name string
		edit func(tx *bolt.Tx) error
		says []string
	}{
		{"an entry in the middle edited", func(tx *bolt.Tx) error {
			e := entry(tx, 3)
			e.Actor = "mallory"
			return put(tx, e)
		}, []string{"entry 3", "modified"}},
		{"an entry edited and its hash recomputed", func(tx *bolt.Tx) error {
			e := entry(tx, 2)
			e.Reason = "said nothing"
			e.Hash = e.ComputeHash()
			return put(tx, e)
		}, []string{"entry 3", "does not link"}},
		{"an entry removed from the middle", func(tx *bolt.Tx) error { return trailOf(tx).Delete(seqKey(3)) }, []string{"entry 3", "removed or reordered"}},
		{"the last entry removed", func(tx *bolt.Tx) error { return trailOf(tx).Delete(seqKey(5)) }, []string{"does not match its audit trail"}},
		{"an entry added at the end, with the assessment and summary to match", func(tx *bolt.Tx) error {
			last := entry(tx, 5)
			e := model.AuditEntry{Assessment: id, Seq: 6, Time: last.Time.Add(time.Minute), Actor: "mallory", Action: model.ActWorkflow,
				Target: "workflow", Old: json.RawMessage(`"in-review"`), New: json.RawMessage(`"in-review"`), Format: model.EntryFormat, PrevHash: last.Hash}
			e.Hash = e.ComputeHash()
			for _, b := range []*bolt.Bucket{tx.Bucket(bucketAssessments), tx.Bucket(bucketSummaries)} {
				var v map[string]any
				if err := json.Unmarshal(b.Get([]byte(id)), &v); err != nil {
					return err
				}
				v["updated_at"] = e.Time
				if err := putJSON(b, []byte(id), v); err != nil {
					return err
				}
			}
			return put(tx, e)
		}, []string{"onus last wrote entry 5", "ends at entry 6"}},
		{"an answer removed", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketAnswers).Bucket([]byte(id)).Delete([]byte("REC-03"))
		}, []string{"does not match its audit trail"}},
		{"the assessment edited", func(tx *bolt.Tx) error {
			as := tx.Bucket(bucketAssessments)
			return as.Put([]byte(id), bytes.Replace(append([]byte(nil), as.Get([]byte(id))...), []byte(`"LIMS"`), []byte(`"LIMX"`), 1))
		}, []string{"does not match its audit trail"}},
		{"the progress count in the summary edited", func(tx *bolt.Tx) error {
			s := tx.Bucket(bucketSummaries)
			return s.Put([]byte(id), bytes.Replace(append([]byte(nil), s.Get([]byte(id))...), []byte(`"answered":3`), []byte(`"answered":90`), 1))
		}, []string{"list summary"}},
		{"the head record removed", func(tx *bolt.Tx) error { return tx.Bucket(bucketHeads).Delete([]byte(id)) }, []string{"no head record"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "onus.db")
			copyFile(t, src, path)
			editRaw(t, path, c.edit)
			before := fileSHA(t, path)
			db := reopen(t, path)
			r := db.Verify(id)
			for _, s := range c.says {
				if !strings.Contains(r.Err, s) {
					t.Errorf("Verify: %q does not say %q", r.Err, s)
				}
			}
			_, err := db.Answer(id, model.Answer{Control: "REC-02", Status: model.StatusPlanned}, "")
			wantIntegrityError(t, "answer", err, id, c.says...)
			wantIntegrityError(t, "purge", db.Purge(id), id, "not purged")
			_, err = db.Restore(id, "")
			wantIntegrityError(t, "restore", err, id)
			mustClose(t, db)
			if fileSHA(t, path) != before {
				t.Error("the file changed")
			}
		})
	}
}

// Salvage continues a broken assessment in a new one from its last good
// entry, records the finding in the new trail and in the store's log, and
// leaves the broken one as it was.
func TestSalvage(t *testing.T) {
	src, id, _ := tamperSource(t)
	t.Run("an entry edited", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "onus.db")
		copyFile(t, src, path)
		editRaw(t, path, func(tx *bolt.Tx) error {
			tr := tx.Bucket(bucketTrails).Bucket([]byte(id))
			return tr.Put(seqKey(4), bytes.Replace(append([]byte(nil), tr.Get(seqKey(4))...), []byte(`"implemented"`), []byte(`"partial"`), 1))
		})
		db := reopen(t, path)
		defer mustClose(t, db)
		brokenBefore, _ := db.History(id)
		if _, err := db.Salvage(id, "", " "); err == nil || !strings.Contains(err.Error(), "needs a reason") {
			t.Errorf("a salvage without a reason: %v", err)
		}
		s, err := db.Salvage(id, "", "entry 4 found edited in the audit of 2026-11-15")
		if err != nil {
			t.Fatal(err)
		}
		// Entries 1 to 3: created, REC-01 and REC-02 answered.
		if s.Name != "LIMS (salvaged)" || s.ID == id || len(s.Answers) != 2 || s.Answers["REC-03"].Status != "" ||
			s.Workflow != model.WorkflowDraft || s.CreatedBy != "alice" {
			t.Errorf("salvaged assessment: %s", asJSON(s))
		}
		trail, _ := db.History(s.ID)
		var note model.SalvageNote
		if len(trail) != 1 || trail[0].Action != model.ActSalvage || json.Unmarshal(trail[0].Old, &note) != nil {
			t.Fatalf("salvaged trail: %+v", trail)
		}
		if note.From != id || note.BrokenAt != 4 || note.LastGood != 3 || note.GoodHash != brokenBefore[2].Hash ||
			!strings.Contains(note.Finding, "entry 4") || trail[0].Reason != "entry 4 found edited in the audit of 2026-11-15" {
			t.Errorf("salvage note: %+v, reason %q", note, trail[0].Reason)
		}
		if r := db.Verify(s.ID); r.Err != "" {
			t.Errorf("Verify of the salvaged assessment: %s", r.Err)
		}
		if brokenAfter, _ := db.History(id); len(brokenAfter) != len(brokenBefore) || db.Verify(id).Err == "" {
			t.Error("the broken assessment changed, or verifies")
		}
		if _, err := db.Salvage(s.ID, "", "again"); err == nil || !strings.Contains(err.Error(), "nothing to salvage") {
			t.Errorf("salvage of a sound assessment: %v", err)
		}
		results, err := db.VerifyAll()
		if err != nil {
			t.Fatalf("the store's log after a salvage: %v", err)
		}
		if len(results) != 3 {
			t.Errorf("VerifyAll: %d results", len(results))
		}
		var events []LogEvent
		db.view(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketLog).ForEach(func(_, v []byte) error {
				var ev LogEvent
				json.Unmarshal(v, &ev)
				events = append(events, ev)
				return nil
			})
		})
		if len(events) != 1 || events[0].Action != model.ActSalvage || events[0].Assessment != s.ID || events[0].From != id {
			t.Errorf("log: %+v", events)
		}
		// The salvaged assessment is an ordinary one: it exports, and
		// another onus imports it.
		b, err := db.Export(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		dst := openTestAt(t, "bob", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		defer mustClose(t, dst)
		if _, err := dst.Import(b); err != nil {
			t.Errorf("import of a salvaged assessment: %v", err)
		}
	})
	t.Run("a value edited in the file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "onus.db")
		copyFile(t, src, path)
		answerRaw(t, path, id, "REC-02", func(v []byte) []byte {
			return bytes.Replace(v, []byte(`"implemented"`), []byte(`"not-implemented"`), 1)
		})
		db := reopen(t, path)
		defer mustClose(t, db)
		s, err := db.Salvage(id, "LIMS, continued", "REC-02 edited in the file")
		if err != nil {
			t.Fatal(err)
		}
		// The whole trail is good: the salvage has every answer as the
		// trail recorded it, not the edited value.
		if s.Name != "LIMS, continued" || len(s.Answers) != 3 || s.Answers["REC-02"].Status != model.StatusImplemented {
			t.Errorf("salvaged assessment: %s", asJSON(s))
		}
	})
}

// Text that is not UTF-8 is refused before anything is hashed, with an
// error the command line maps to exit 2; nothing is written.
func TestInvalidUTF8IsRefused(t *testing.T) {
	db, path := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2")})
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	before := fileSHA(t, path)

	bad := "Ana\xffMaria"
	db, err = Open(path, Options{Actor: bad, Now: (&clock{now: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}).Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.List(false); err != nil {
		t.Errorf("reading with an invalid actor name: %v", err)
	}
	_, err = db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusPlanned}, "")
	wantText(t, "an actor name", err, "actor name")
	_, err = db.Create(model.Assessment{Name: "x"})
	wantText(t, "an actor name at creation", err, "actor name")
	mustClose(t, db)

	db, err = Open(path, Options{Actor: "alice", Now: (&clock{now: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}).Now})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusPlanned}, "because\xc3")
	wantText(t, "a reason", err, "reason")
	_, err = db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusPlanned, Notes: "ok \xe2\x82"}, "")
	wantText(t, "notes", err, "notes")
	_, err = db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusPlanned,
		Evidence: []model.EvidenceRef{{Title: "OQ", Location: "\xfe", Supplier: model.SupplierCustomer}}}, "")
	wantText(t, "an evidence location", err, "location")
	_, err = db.UpdateInfo(a.ID, model.Info{Name: "LIMS\x80"}, "")
	wantText(t, "a name", err, "name")
	_, err = db.SetSupplierRecord(a.ID, model.SupplierRecord{Source: "soc2", Notes: "\xc0\xaf"})
	wantText(t, "supplier notes", err, "supplier record field")
	_, err = db.SetOverride(a.ID, "ec2", model.ServiceOverride{Layer: "os", Owner: model.OwnerShared, Justification: "MSP\xff"})
	wantText(t, "a justification", err, "justification")
	_, err = db.Sign(a.ID, SignRequest{Meaning: "approved\xff"}, embedded(t), &fakeKey{})
	wantText(t, "a signature's meaning", err, "meaning")
	_, err = db.Delete(a.ID, "\xff")
	wantText(t, "a delete reason", err, "reason")
	mustClose(t, db)
	if fileSHA(t, path) != before {
		t.Error("a refused change reached the file")
	}
}

func wantText(t *testing.T, what string, err error, field string) {
	t.Helper()
	var te *model.InvalidTextError
	if !errors.As(err, &te) || te.ExitCode() != 2 || !strings.Contains(err.Error(), field) || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("%s that is not UTF-8: %v, want an InvalidTextError about %s", what, err, field)
	}
}

// A change dated before the trail's last entry is refused: the trail
// stays in time order.
func TestClockBehindIsRefused(t *testing.T) {
	c := &clock{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	db, err := Open(filepath.Join(t.TempDir(), "onus.db"), Options{Actor: "alice", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	c.now = c.now.Add(-time.Hour)
	c.mu.Unlock()
	var ce *ClockError
	if _, err := db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusPlanned}, ""); !errors.As(err, &ce) {
		t.Fatalf("a change an hour before the last entry: %v", err)
	}
	if h, _ := db.History(a.ID); len(h) != 1 {
		t.Errorf("%d entries", len(h))
	}
}

// A supplier record says "reviewed" (or accepted, or issues-found) only
// with the reviewer and the date of the review; nothing invents one.
func TestSupplierReviewIsEntered(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{t: t, db: db, trail: []step{{model.ActCreate, "assessment"}}, last: a}
	for _, st := range []model.SupplierStatus{model.SupplierReviewed, model.SupplierAccepted, model.SupplierIssues} {
		r.refused(string(st)+" without a reviewer", "name of who reviewed it")(db.SetSupplierRecord(a.ID,
			model.SupplierRecord{Source: "soc2", Obtained: "2026-03-01", ReviewedOn: "2026-03-02", Status: st}))
		r.refused(string(st)+" without a date", "date of the review")(db.SetSupplierRecord(a.ID,
			model.SupplierRecord{Source: "soc2", Obtained: "2026-03-01", Reviewer: "QA", Status: st}))
	}
	r.refused("reviewed before it was obtained", "before it was obtained")(db.SetSupplierRecord(a.ID,
		model.SupplierRecord{Source: "soc2", Obtained: "2026-03-01", Reviewer: "QA", ReviewedOn: "2026-02-20", Status: model.SupplierReviewed}))
	r.refused("reviewed in the future", "after the change that records it")(db.SetSupplierRecord(a.ID,
		model.SupplierRecord{Source: "soc2", Obtained: "2026-03-01", Reviewer: "QA", ReviewedOn: "2026-09-01", Status: model.SupplierReviewed}))
	got := r.ok(model.ActSupplier, "supplier/soc2")(db.SetSupplierRecord(a.ID, model.SupplierRecord{Source: "soc2", Obtained: "2026-03-01"}))
	if got.Supplier[0].Status != model.SupplierPending || got.Supplier[0].Reviewer != "" {
		t.Errorf("a record entered without a status: %+v", got.Supplier[0])
	}
	got = r.ok(model.ActSupplier, "supplier/soc2")(db.SetSupplierRecord(a.ID, model.SupplierRecord{Source: "soc2", Obtained: "2026-03-01",
		Reviewer: "QA Bob", ReviewedOn: "2026-03-10", Status: model.SupplierAccepted}))
	if got.Supplier[0].ReviewedOn != "2026-03-10" {
		t.Errorf("the review date was not kept: %+v", got.Supplier[0])
	}
}

// Verify counts a summary's progress again with the catalog that counted
// it, and compares; an edit of the summary alone is found without it.
func TestSummaryProgressIsVerified(t *testing.T) {
	cat := embedded(t)
	path := filepath.Join(t.TempDir(), "onus.db")
	db, err := Open(path, Options{Actor: "alice", Now: newClock().Now, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2", "s3")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Answer(a.ID, model.Answer{Control: "REC-01", Status: model.StatusImplemented}, ""); err != nil {
		t.Fatal(err)
	}
	sums, _ := db.List(false)
	if n, m := cat.Progress(&a); sums[0].CountedWith != cat.Hash || sums[0].Answered != 1 || sums[0].Applicable != m || n != 0 {
		t.Fatalf("summary: %+v", sums[0])
	}
	mustClose(t, db)

	// The count and the head record's digest of it both edited, as a
	// careful forger would: only counting again finds it.
	editRaw(t, path, func(tx *bolt.Tx) error {
		s := tx.Bucket(bucketSummaries)
		raw := bytes.Replace(append([]byte(nil), s.Get([]byte(a.ID))...), []byte(`"answered":1`), []byte(`"answered":40`), 1)
		var h head
		if err := json.Unmarshal(tx.Bucket(bucketHeads).Get([]byte(a.ID)), &h); err != nil {
			return err
		}
		h.Summary = digest(raw)
		if err := putJSON(tx.Bucket(bucketHeads), []byte(a.ID), h); err != nil {
			return err
		}
		return s.Put([]byte(a.ID), raw)
	})
	db, err = Open(path, Options{ReadOnly: true, Catalog: func() *model.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	if r := db.Verify(a.ID); !strings.Contains(r.Err, "says 40 of") || !strings.Contains(r.Err, "it has 1 of") {
		t.Errorf("Verify with the catalog that counted: %+v", r)
	}
	mustClose(t, db)
	// Without that catalog the counts cannot be counted again, and verify
	// says so.
	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := db.Verify(a.ID); r.Err != "" || len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "not counted again") {
		t.Errorf("Verify without the catalog: %+v", r)
	}
	mustClose(t, db)
}

// The store's own log (purges, imports, salvages) is a hash chain: an
// edit, a removal or a rewrite of an event is found by VerifyAll, and a
// log whose last event is not the one onus wrote takes no more.
func TestStoreLogIsChained(t *testing.T) {
	db, path := openTest(t, "alice")
	var ids []string
	for _, n := range []string{"one", "two", "three"} {
		a, err := db.Create(model.Assessment{Name: n})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	for _, id := range ids[:2] {
		if err := db.Purge(id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.VerifyAll(); err != nil {
		t.Fatalf("VerifyAll of a sound log: %v", err)
	}
	mustClose(t, db)
	logEdit := func(t *testing.T, fn func(log *bolt.Bucket) error) string {
		p := filepath.Join(t.TempDir(), "onus.db")
		copyFile(t, path, p)
		editRaw(t, p, func(tx *bolt.Tx) error { return fn(tx.Bucket(bucketLog)) })
		return p
	}
	cases := []struct {
		name string
		edit func(log *bolt.Bucket) error
		says string
	}{
		{"the first purge's head edited", func(log *bolt.Bucket) error {
			return log.Put(seqKey(1), bytes.Replace(append([]byte(nil), log.Get(seqKey(1))...), []byte(`"purge"`), []byte(`"import"`), 1))
		}, "event 1 does not match its hash"},
		{"the last event removed", func(log *bolt.Bucket) error { return log.Delete(seqKey(2)) }, "the log ends at event 1"},
		{"the first event removed", func(log *bolt.Bucket) error { return log.Delete(seqKey(1)) }, "event 1 is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := logEdit(t, c.edit)
			db := reopen(t, p)
			defer mustClose(t, db)
			results, err := db.VerifyAll()
			var ie *IntegrityError
			if !errors.As(err, &ie) || ie.ID != "" || ie.ExitCode() != 4 || !strings.Contains(err.Error(), c.says) || len(results) != 1 {
				t.Errorf("VerifyAll: %d results, %v; want the log's IntegrityError saying %q", len(results), err, c.says)
			}
		})
	}
	// A purge appends to the log: not to one whose end was tampered with.
	p := logEdit(t, func(log *bolt.Bucket) error { return log.Delete(seqKey(2)) })
	db = reopen(t, p)
	defer mustClose(t, db)
	err := db.Purge(ids[2])
	var ie *IntegrityError
	if !errors.As(err, &ie) || ie.ID != "" || !strings.Contains(err.Error(), "nothing was recorded") {
		t.Errorf("a purge onto a tampered log: %v", err)
	}
	if _, err := db.Get(ids[2]); err != nil {
		t.Errorf("the refused purge removed the assessment: %v", err)
	}
}
