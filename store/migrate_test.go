package store

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

var updateFixture = flag.Bool("update-fixture", false, "regenerate testdata/v1.db (schema 1 fixture)")

const v1Fixture = "testdata/v1.db"

// v1Assessment is one assessment of the fixture with the trail that built it.
type v1Assessment struct {
	a     model.Assessment
	trail []model.AuditEntry
}

// add appends an entry the way schema 1 did (the entry format has not
// changed): hash over the canonical encoding, linked to the previous entry,
// and applied to the assessment so trail and assessment agree.
func (v *v1Assessment) add(t testing.TB, at time.Time, actor, action, target string, old, new any, reason string) {
	t.Helper()
	e := model.AuditEntry{Assessment: v.a.ID, Seq: uint64(len(v.trail) + 1), Time: at, Actor: actor,
		Action: action, Target: target, Reason: reason, PrevHash: model.Head(v.trail)}
	if action == model.ActCreate {
		e.Assessment = new.(model.Assessment).ID
	}
	var err error
	if old != nil {
		if e.Old, err = json.Marshal(old); err != nil {
			t.Fatal(err)
		}
	}
	if e.New, err = json.Marshal(new); err != nil {
		t.Fatal(err)
	}
	e.Hash = e.ComputeHash()
	if err := model.Apply(&v.a, e); err != nil {
		t.Fatal(err)
	}
	v.trail = append(v.trail, e)
}

// v1Assessments is the content of the fixture; the migration test checks
// against the same values.
func v1Assessments(t *testing.T) []*v1Assessment {
	day := func(d, h int) time.Time { return time.Date(2025, 6, d, h, 30, 0, 123_456_789, time.UTC) }
	newA := func(id, name, org, system, by string, at time.Time) model.Assessment {
		return model.Assessment{ID: id, Name: name, Organisation: org, System: system,
			Scope:    model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11"}},
			Services: model.Select("ec2", "rds"), Workflow: model.WorkflowDraft,
			Catalog:   model.CatalogRef{Version: "2025.1", Hash: "9f1c0ffee"},
			CreatedAt: at, UpdatedAt: at, CreatedBy: by}
	}

	lims := &v1Assessment{}
	lims.add(t, day(2, 9), "vera", model.ActCreate, "assessment", nil, newA("01jxk3v1lims0001", "Legacy LIMS", "Acme", "LIMS", "vera", day(2, 9)), "")
	lims.add(t, day(2, 10), "vera", model.ActAnswer, "answer/REC-01", nil,
		model.Answer{Control: "REC-01", Status: model.StatusImplemented, UpdatedAt: day(2, 10), UpdatedBy: "vera",
			Evidence: []model.EvidenceRef{{Title: "OQ report", DocumentID: "OQ-7", Date: "2025-05-30", Supplier: model.SupplierCustomer}}}, "")
	lims.add(t, day(3, 11), "walt", model.ActAnswer, "answer/REC-02", nil,
		model.Answer{Control: "REC-02", Status: model.StatusNotApplicable, Justification: "no hosting", UpdatedAt: day(3, 11), UpdatedBy: "walt"}, "")
	lims.add(t, day(3, 12), "walt", model.ActServices, "services", model.Select("ec2", "rds"), model.Select("ec2", "rds", "s3"), "")
	lims.add(t, day(4, 8), "vera", model.ActWorkflow, "workflow", model.WorkflowDraft, model.WorkflowInReview, "ready for QA")

	mes := &v1Assessment{}
	mes.add(t, day(5, 9), "walt", model.ActCreate, "assessment", nil, newA("01jxk3v1mes00002", "Legacy MES", "Acme", "MES", "walt", day(5, 9)), "")
	mes.add(t, day(5, 10), "walt", model.ActDelete, "assessment", false, true, "superseded")

	qms := &v1Assessment{}
	qms.add(t, day(6, 9), "vera", model.ActCreate, "assessment", nil, newA("01jxk3v1qms00003", "Legacy QMS", "", "", "vera", day(6, 9)), "")
	return []*v1Assessment{lims, mes, qms}
}

// TestGenerateV1Fixture writes testdata/v1.db as onus schema 1 wrote files:
// buckets meta (schema "1"), assessments (id → JSON) and trails (a bucket
// per id of 8-byte big-endian seq → AuditEntry JSON); no summaries, no log.
// Run with: go test ./store/ -run TestGenerateV1Fixture -update-fixture
func TestGenerateV1Fixture(t *testing.T) {
	if !*updateFixture {
		t.Skip("run with -update-fixture to regenerate " + v1Fixture)
	}
	tmp := v1Fixture + ".tmp"
	os.Remove(tmp)
	b, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		if err := meta.Put([]byte("schema"), []byte("1")); err != nil {
			return err
		}
		as, err := tx.CreateBucket([]byte("assessments"))
		if err != nil {
			return err
		}
		trails, err := tx.CreateBucket([]byte("trails"))
		if err != nil {
			return err
		}
		for _, v := range v1Assessments(t) {
			raw, err := json.Marshal(v.a)
			if err != nil {
				return err
			}
			if err := as.Put([]byte(v.a.ID), raw); err != nil {
				return err
			}
			trail, err := trails.CreateBucket([]byte(v.a.ID))
			if err != nil {
				return err
			}
			for _, e := range v.trail {
				var k [8]byte
				binary.BigEndian.PutUint64(k[:], e.Seq)
				raw, err := json.Marshal(e)
				if err != nil {
					return err
				}
				if err := trail.Put(k[:], raw); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, v1Fixture); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", v1Fixture)
}

// bucketNames lists a file's top-level buckets and its schema value.
func bucketNames(t *testing.T, path string) (names []string, schema string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *bolt.Tx) error {
		tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, string(name))
			return nil
		})
		if m := tx.Bucket([]byte("meta")); m != nil {
			schema = string(m.Get([]byte("schema")))
		}
		return nil
	})
	slices.Sort(names)
	return names, schema
}

func copyFixture(t *testing.T) string {
	t.Helper()
	if names, schema := bucketNames(t, v1Fixture); schema != "1" || !slices.Equal(names, []string{"assessments", "meta", "trails"}) {
		t.Fatalf("%s is not a schema 1 file: schema %q, buckets %v", v1Fixture, schema, names)
	}
	path := filepath.Join(t.TempDir(), "onus.db")
	copyFile(t, v1Fixture, path)
	return path
}

func checkV1Content(t *testing.T, db *DB) {
	t.Helper()
	want := v1Assessments(t)
	sums, err := db.List(true)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(sums) != len(want) {
		t.Fatalf("List(true) = %d summaries, want %d", len(sums), len(want))
	}
	for _, w := range want {
		i := slices.IndexFunc(sums, func(s model.Summary) bool { return s.ID == w.a.ID })
		if i < 0 {
			t.Errorf("%s (%s) is not listed", w.a.ID, w.a.Name)
			continue
		}
		s := sums[i]
		if s.Name != w.a.Name || s.Organisation != w.a.Organisation || s.System != w.a.System || s.Workflow != w.a.Workflow ||
			s.Deleted != w.a.Deleted || s.Answered != len(w.a.Answers) || s.Services != len(w.a.Services) ||
			!s.UpdatedAt.Equal(w.a.UpdatedAt) || s.Catalog != w.a.Catalog {
			t.Errorf("summary %+v does not match %s", s, asJSON(w.a))
		}
		got, err := db.Get(w.a.ID)
		if err != nil || !model.SameAssessment(got, w.a) {
			t.Errorf("Get(%s): %v\n%s", w.a.ID, err, asJSON(got))
		}
	}
	live, err := db.List(false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range live {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"Legacy QMS", "Legacy LIMS"}) {
		t.Errorf("List(false) names = %q, want the two live ones, newest change first", names)
	}
	results, err := db.VerifyAll()
	if err != nil || len(results) != len(want) {
		t.Fatalf("VerifyAll: %v, %d results", err, len(results))
	}
	for _, r := range results {
		if r.Err != "" {
			t.Errorf("Verify %s: %s", r.ID, r.Err)
		}
	}
}

func TestMigrateV1Fixture(t *testing.T) {
	before := fileSHA(t, v1Fixture)
	path := copyFixture(t)

	// The migration fills the new summaries with the catalog's progress.
	progress := func(a *model.Assessment) (int, int) { return len(a.Answers), 7 }
	db, err := Open(path, Options{Actor: "mig", Now: newClock().Now, Progress: progress})
	if err != nil {
		t.Fatalf("opening the schema 1 file: %v", err)
	}
	// The backup was written before the migration: it is still schema 1.
	backups := listBackups(path)
	if len(backups) != 1 || filepath.Dir(backups[0]) != path+".backups" {
		t.Fatalf("backups after migrating: %v, want one in %s.backups", backups, path)
	}
	if names, schema := bucketNames(t, backups[0]); schema != "1" || slices.Contains(names, "summaries") {
		t.Errorf("the backup is schema %q with buckets %v: it was not taken before migrating", schema, names)
	}
	if info, err := os.Stat(backups[0]); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode: %v %v, want 0600", info.Mode().Perm(), err)
	}
	checkV1Content(t, db)
	if sums, _ := db.List(true); len(sums) == 0 || sums[0].Applicable != 7 {
		t.Errorf("summaries after migrating: %+v, want 7 applicable from Options.Progress", sums)
	}

	// The chain carries on from the schema 1 entries.
	lims := "01jxk3v1lims0001"
	if _, err := db.Answer(lims, model.Answer{Control: "REC-03", Status: model.StatusPlanned}, "after upgrade"); err != nil {
		t.Fatal(err)
	}
	// REC-01's free-text evidence is filed first (entry 6), then the
	// change is recorded (7).
	if r := db.Verify(lims); r.Err != "" || r.Entries != 7 {
		t.Errorf("after a change on the migrated file: %+v", r)
	}
	if tr, _ := db.History(lims); tr[5].Action != model.ActFile || tr[6].Action != model.ActAnswer || tr[4].Format != 0 {
		t.Errorf("after a change: %s then %s", tr[5].Action, tr[6].Action)
	}
	mustClose(t, db)

	names, schema := bucketNames(t, path)
	if schema != strconv.Itoa(SchemaVersion) || !slices.Equal(names, []string{"answers", "assessments", "heads", "log", "meta", "summaries", "trails"}) {
		t.Errorf("migrated file: schema %q, buckets %v", schema, names)
	}
	// Schema 3 keeps each answer under its own key, none in the assessment.
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *bolt.Tx) error {
		var keys []string
		tx.Bucket(bucketAnswers).Bucket([]byte(lims)).ForEach(func(k, _ []byte) error {
			keys = append(keys, string(k))
			return nil
		})
		if !slices.Equal(keys, []string{"REC-01", "REC-02", "REC-03"}) {
			t.Errorf("answers of %s: %q", lims, keys)
		}
		return tx.Bucket(bucketAssessments).ForEach(func(k, v []byte) error {
			var a model.Assessment
			if err := json.Unmarshal(v, &a); err != nil || a.Answers != nil {
				t.Errorf("assessment %s still holds answers (%v)", k, err)
			}
			return nil
		})
	})
	b.Close()
	// The names are in the new summaries bucket itself.
	raw, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	raw.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("summaries")).ForEach(func(k, v []byte) error {
			var s model.Summary
			if err := json.Unmarshal(v, &s); err != nil || s.ID != string(k) {
				t.Errorf("summary %s: %v %s", k, err, v)
			}
			stored = append(stored, s.Name)
			return nil
		})
	})
	raw.Close()
	slices.Sort(stored)
	if !slices.Equal(stored, []string{"Legacy LIMS", "Legacy MES", "Legacy QMS"}) {
		t.Errorf("summaries bucket holds %q", stored)
	}

	// A second open does not migrate (or back up for migrating) again.
	n := len(listBackups(path))
	db, err = Open(path, Options{Actor: "mig", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	if len(listBackups(path)) != n {
		t.Error("reopening a migrated file wrote another backup")
	}
	if after := fileSHA(t, v1Fixture); after != before {
		t.Errorf("%s changed while testing (sha256 %s → %s)", v1Fixture, before, after)
	}
}

// A read-only open (onus list, show, verify) of a schema 1 file cannot
// migrate it, but must still read it, and must not write to it.
func TestReadOnlyV1Fixture(t *testing.T) {
	path := copyFixture(t)
	before := fileSHA(t, path)
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a schema 1 file: %v", err)
	}
	checkV1Content(t, db)
	mustClose(t, db)
	if fileSHA(t, path) != before || len(listBackups(path)) != 0 {
		t.Error("a read-only open wrote to the file or its backups")
	}
}

// The wizard's open (BackgroundCheck) of an old file checks all of it
// before the migration writes, then works as any other open.
func TestMigrateWithBackgroundCheck(t *testing.T) {
	path := copyFixture(t)
	db, err := Open(path, Options{Actor: "mig", Now: newClock().Now, BackgroundCheck: true})
	if err != nil {
		t.Fatalf("opening the schema 1 file: %v", err)
	}
	select {
	case <-db.checked:
	default:
		t.Fatal("the check had not finished before the migration wrote")
	}
	if err := db.Checked(); err != nil {
		t.Fatal(err)
	}
	checkV1Content(t, db)
	mustClose(t, db)
	if _, schema := bucketNames(t, path); schema != strconv.Itoa(SchemaVersion) {
		t.Errorf("schema %q after the wizard's open, want %d", schema, SchemaVersion)
	}
}
