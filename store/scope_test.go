package store

import (
	"errors"
	"os"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// twoAssessments writes a file with two assessments, the second with
// enough long answers that its trail and answers have pages of their own,
// and returns its path and the ids.
func twoAssessments(t *testing.T) (path, kept, damaged string) {
	t.Helper()
	db, path := openTest(t, "alice")
	a, err := db.Create(model.Assessment{Name: "Kept"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.Create(model.Assessment{Name: "Damaged"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"A", "B", "C", "D", "E", "F", "G", "H"} {
		if _, err := db.Answer(b.ID, model.Answer{Control: c, Status: model.StatusPlanned, Notes: strings.Repeat("x", 900)}, ""); err != nil {
			t.Fatal(err)
		}
	}
	mustClose(t, db)
	return path, a.ID, b.ID
}

// pointPastFile sends the first child (a branch) or value (a leaf) of the
// root page of the bucket bucket returns far outside the file.
func pointPastFile(t *testing.T, path string, bucket func(*bolt.Tx) *bolt.Bucket) {
	t.Helper()
	var root uint64
	var pageSize int
	editRaw(t, path, func(tx *bolt.Tx) error {
		root, pageSize = uint64(bucket(tx).Root()), tx.DB().Info().PageSize
		return nil
	})
	if root == 0 {
		t.Fatal("the bucket is inline")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	off := int(root) * pageSize
	switch flags := ne.Uint16(data[off+8:]); flags {
	case flagBranch:
		ne.PutUint64(data[off+pageHeader+8:], 1<<40)
	case flagLeaf:
		ne.PutUint32(data[off+pageHeader+12:], 1<<30)
	default:
		t.Fatalf("page %d has type %#x", root, flags)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func isLateDamage(err error) bool {
	var de *DamagedError
	return errors.As(err, &de) && de.Late && de.ExitCode() == 4
}

// With CheckAsRead, an open checks what each operation reads: damage in
// one assessment's trail leaves the list and the other assessment
// readable, and writable; every operation on the damaged one fails as
// damage, writes nothing, and so does everything after it; the whole
// file's check (Checked, VerifyAll) finds it. Without CheckAsRead the
// open itself fails.
func TestCheckAsRead(t *testing.T) {
	src, kept, damaged := twoAssessments(t)
	pointPastFile(t, src, func(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket(bucketTrails).Bucket([]byte(damaged)) })

	if _, err := Open(src, Options{ReadOnly: true}); err == nil {
		t.Fatal("an open without CheckAsRead opened the damaged file")
	}
	for _, ro := range []bool{true, false} {
		path := src + map[bool]string{true: ".ro", false: ".rw"}[ro]
		copyFile(t, src, path)
		db, err := Open(path, Options{ReadOnly: ro, CheckAsRead: true, Actor: "bob"})
		if err != nil {
			t.Fatalf("read-only %v: Open: %v", ro, err)
		}
		if sums, err := db.List(false); err != nil || len(sums) != 2 {
			t.Errorf("read-only %v: List: %v %v", ro, sums, err)
		}
		if a, err := db.Get(kept); err != nil || a.Name != "Kept" {
			t.Errorf("read-only %v: Get of the sound assessment: %v", ro, err)
		}
		if !ro {
			if _, err := db.Answer(kept, model.Answer{Control: "A", Status: model.StatusPlanned}, ""); err != nil {
				t.Errorf("Answer to the sound assessment: %v", err)
			}
		}
		before := fileSHA(t, path)
		_, err = db.Get(damaged)
		if !isLateDamage(err) {
			t.Errorf("read-only %v: Get of the damaged assessment: %v, want damage", ro, err)
		}
		// The message says whether this session wrote to the file.
		if want := map[bool]string{true: "has not written to it", false: "the changes it saved are in the file"}[ro]; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("read-only %v: %v, want it to say %q", ro, err, want)
		}
		if !ro {
			if _, err := db.Answer(damaged, model.Answer{Control: "A", Status: model.StatusImplemented}, ""); !isLateDamage(err) {
				t.Errorf("Answer to the damaged assessment: %v, want damage", err)
			}
		}
		if _, err := db.Get(kept); !isLateDamage(err) {
			t.Errorf("read-only %v: once damage is found nothing more is read; Get: %v", ro, err)
		}
		if err := db.Checked(); !isLateDamage(err) {
			t.Errorf("read-only %v: Checked: %v, want the whole file's check to find the damage", ro, err)
		}
		db.Close()
		if fileSHA(t, path) != before {
			t.Errorf("read-only %v: the file changed after the damage was found", ro)
		}
	}
}

// Damage in the summaries stops the list of a CheckAsRead open, and the
// list reads the summaries of a sound file as bbolt does.
func TestCheckAsReadList(t *testing.T) {
	db, path := openTest(t, "alice")
	for i := range 12 {
		if _, err := db.Create(model.Assessment{Name: strings.Repeat("n", 100), System: string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
	}
	want, err := db.List(true)
	if err != nil {
		t.Fatal(err)
	}
	mustClose(t, db)
	db, err = Open(path, Options{ReadOnly: true, CheckAsRead: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.List(true)
	db.Close()
	if err != nil || len(got) != len(want) {
		t.Fatalf("List: %d summaries, %v; want %d", len(got), err, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("summary %d: %+v, want %+v", i, got[i], want[i])
		}
	}

	pointPastFile(t, path, func(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket(bucketSummaries) })
	db, err = Open(path, Options{ReadOnly: true, CheckAsRead: true})
	if err != nil {
		t.Fatalf("the open checks no summary: %v", err)
	}
	defer db.Close()
	if _, err := db.List(false); !isLateDamage(err) {
		t.Errorf("List with its summaries damaged: %v, want damage", err)
	}
}

// The wizard's open (BackgroundCheck with CheckAsRead): reading one
// assessment checks its own pages and does not start, or wait for, the
// whole file's check; a write does wait for it, and then finds the damage
// elsewhere in the file, writing nothing. Without CheckAsRead the first
// read would start the whole check and fail on the other assessment's
// damage.
func TestWizardOpenReadsBeforeTheWholeCheck(t *testing.T) {
	path, kept, damaged := twoAssessments(t)
	pointPastFile(t, path, func(tx *bolt.Tx) *bolt.Bucket { return tx.Bucket(bucketTrails).Bucket([]byte(damaged)) })
	db, err := Open(path, Options{BackgroundCheck: true, CheckAsRead: true, Actor: "bob"})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	if a, err := db.Get(kept); err != nil || a.Name != "Kept" {
		t.Fatalf("Get of the sound assessment before the whole check: %v", err)
	}
	select {
	case <-db.checked:
		t.Fatal("reading one assessment ran the whole file's check")
	default:
	}
	before := fileSHA(t, path)
	if _, err := db.Answer(kept, model.Answer{Control: "A", Status: model.StatusPlanned}, ""); !isLateDamage(err) {
		t.Errorf("Answer: %v, want the whole check's damage before any write", err)
	}
	if fileSHA(t, path) != before {
		t.Error("the file changed although the whole check found damage")
	}
}
