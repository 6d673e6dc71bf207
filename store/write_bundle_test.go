package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// The bundle streamed from the store is the bundle Export encodes, byte
// for byte, and WriteBundle names its head.
func TestWriteBundleIsExport(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a := richAssessment(t, db)
	b, err := db.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	head, err := db.WriteBundle(a.ID, &got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("streamed bundle differs from the encoded one:\n%s\nwant\n%s", got.Bytes(), want)
	}
	if head != model.Head(b.Trail) {
		t.Errorf("head %s, want %s", head, model.Head(b.Trail))
	}
	if _, err := db.WriteBundle("nope", &got); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

// An entry whose hash no longer matches, in a file whose head records
// were brought up to date with it (so the check before a change passes),
// stops the stream at that entry with an integrity error: the chain is
// verified while the bundle is written.
func TestWriteBundleVerifiesTheChainOnTheWay(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a := richAssessment(t, db)
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		trail := tx.Bucket(bucketTrails).Bucket([]byte(a.ID))
		var e model.AuditEntry
		if _, err := getJSON(trail, seqKey(2), &e); err != nil {
			return err
		}
		e.Reason = "rewritten outside onus"
		raw, _ := json.Marshal(e)
		if err := trail.Put(seqKey(2), raw); err != nil {
			return err
		}
		var h head
		if _, err := getJSON(tx.Bucket(bucketHeads), []byte(a.ID), &h); err != nil {
			return err
		}
		h.Trail = ""
		c := trail.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			h.Trail = foldTrail(h.Trail, k, v)
		}
		raw, _ = json.Marshal(h)
		return tx.Bucket(bucketHeads).Put([]byte(a.ID), raw)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.last = nil
	if _, err := db.Export(a.ID); err != nil {
		t.Fatalf("the head check passes (the case under test): %v", err)
	}
	var out bytes.Buffer
	_, err = db.WriteBundle(a.ID, &out)
	var ie *IntegrityError
	if !errors.As(err, &ie) || ie.Seq != 2 || ie.Refused != "exported" {
		t.Fatalf("got %v, want an integrity error at entry 2", err)
	}
}
