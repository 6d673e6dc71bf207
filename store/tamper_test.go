package store

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// tamperSource builds a file with two assessments; the first has five trail
// entries. It returns the file and both ids.
func tamperSource(t *testing.T) (path, id, other string) {
	t.Helper()
	db, path := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: model.Select("ec2")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"REC-01", "REC-02", "REC-03"} {
		if _, err := db.Answer(a.ID, model.Answer{Control: c, Status: model.StatusImplemented}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SetWorkflow(a.ID, model.WorkflowInReview, ""); err != nil {
		t.Fatal(err)
	}
	b, err := db.Create(model.Assessment{Name: "untouched"})
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	return path, a.ID, b.ID
}

// editRaw changes the file with bbolt directly, as someone bypassing onus
// would.
func editRaw(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestTamperedTrailIsReported(t *testing.T) {
	src, id, other := tamperSource(t)
	trailOf := func(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket([]byte("trails")).Bucket([]byte(id)) }
	cp := func(v []byte) []byte { return append([]byte(nil), v...) }

	cases := []struct {
		name   string
		edit   func(tx *bolt.Tx) error
		report []string // all must appear in Verify's error
	}{
		{"entry edited", func(tx *bolt.Tx) error {
			tr := trailOf(tx)
			v := tr.Get(seqKey(3))
			edited := bytes.Replace(v, []byte(`implemented`), []byte(`not-implemented`), 1)
			if bytes.Equal(v, edited) {
				t.Fatalf("entry 3 has no status to edit: %s", v)
			}
			return tr.Put(seqKey(3), edited)
		}, []string{"entry 3", "modified"}},
		{"entry edited and rehashed", func(tx *bolt.Tx) error {
			tr := trailOf(tx)
			var e model.AuditEntry
			if err := json.Unmarshal(tr.Get(seqKey(2)), &e); err != nil {
				return err
			}
			e.Actor = "mallory"
			e.Hash = e.ComputeHash()
			raw, _ := json.Marshal(e)
			return tr.Put(seqKey(2), raw)
		}, []string{"entry 3", "does not link"}},
		{"entry removed", func(tx *bolt.Tx) error {
			return trailOf(tx).Delete(seqKey(3))
		}, []string{"entry 3", "removed or reordered"}},
		{"entries swapped", func(tx *bolt.Tx) error {
			tr := trailOf(tx)
			e2, e3 := cp(tr.Get(seqKey(2))), cp(tr.Get(seqKey(3)))
			if err := tr.Put(seqKey(2), e3); err != nil {
				return err
			}
			return tr.Put(seqKey(3), e2)
		}, []string{"entry 2"}},
		{"last entry removed", func(tx *bolt.Tx) error {
			return trailOf(tx).Delete(seqKey(5))
		}, []string{"does not match its audit trail"}},
		{"answer edited in its own key", func(tx *bolt.Tx) error {
			ab := tx.Bucket([]byte("answers")).Bucket([]byte(id))
			v := cp(ab.Get([]byte("REC-02")))
			return ab.Put([]byte("REC-02"), bytes.Replace(v, []byte(`"implemented"`), []byte(`"partial"`), 1))
		}, []string{"does not match its audit trail"}},
		{"answer removed", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("answers")).Bucket([]byte(id)).Delete([]byte("REC-03"))
		}, []string{"does not match its audit trail"}},
		{"assessment edited", func(tx *bolt.Tx) error {
			as := tx.Bucket([]byte("assessments"))
			v := as.Get([]byte(id))
			return as.Put([]byte(id), bytes.Replace(cp(v), []byte(`"LIMS"`), []byte(`"LIMX"`), 1))
		}, []string{"does not match its audit trail"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "onus.db")
			copyFile(t, src, path)
			db, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if r := db.Verify(id); r.Err != "" {
				t.Fatalf("before tampering: %s", r.Err)
			}
			mustClose(t, db)

			editRaw(t, path, c.edit)

			db, err = Open(path, Options{ReadOnly: true})
			if err != nil {
				t.Fatalf("open after tampering: %v", err)
			}
			defer mustClose(t, db)
			r := db.Verify(id)
			for _, want := range c.report {
				if !strings.Contains(r.Err, want) {
					t.Errorf("Verify: %q, want it to say %q", r.Err, want)
				}
			}
			all, err := db.VerifyAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, res := range all {
				if (res.Err != "") != (res.ID == id) {
					t.Errorf("VerifyAll: %s (other is %s) error %q", res.ID, other, res.Err)
				}
			}
			if _, err := db.Export(id); err == nil || !strings.Contains(err.Error(), "not exported") {
				t.Errorf("Export of a tampered assessment: %v", err)
			}
		})
	}
}
