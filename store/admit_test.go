package store

import (
	"bytes"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/onus-gxp/onus/model"
)

// An admission is a link of the store's log: by the facilitator, naming
// whom, as what, which key; the log's check finds it changed.
func TestAdmitIsLoggedAndChained(t *testing.T) {
	db, path := openTest(t, "Ann Lead")
	lee := model.Admission{Name: "Lee Late", Role: "participant", Fingerprint: "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	for _, bad := range []model.Admission{
		{Name: "", Role: "participant", Fingerprint: lee.Fingerprint},
		{Name: "Lee", Role: "facilitator", Fingerprint: lee.Fingerprint},
		{Name: "Lee", Role: "participant", Fingerprint: "MD5:ab"},
		{Name: "Lee\x1b[2J", Role: "participant", Fingerprint: lee.Fingerprint},
	} {
		if err := db.Admit(bad); err == nil {
			t.Errorf("admitted %+v", bad)
		}
	}
	if err := db.Admit(lee); err != nil {
		t.Fatal(err)
	}
	events, err := db.Log()
	if err != nil || len(events) != 1 {
		t.Fatalf("log %+v, %v", events, err)
	}
	if ev := events[0]; ev.Action != model.ActAdmit || ev.Actor != "Ann Lead" || ev.Person != "Lee Late" || ev.Role != "participant" || ev.Key != lee.Fingerprint {
		t.Errorf("logged %+v", ev)
	}
	if _, err := db.VerifyAll(); err != nil {
		t.Fatalf("VerifyAll: %v", err)
	}
	mustClose(t, db)
	editRaw(t, path, func(tx *bolt.Tx) error {
		log := tx.Bucket(bucketLog)
		return log.Put(seqKey(1), bytes.Replace(append([]byte(nil), log.Get(seqKey(1))...), []byte(`"participant"`), []byte(`"observer"`), 1))
	})
	db = reopen(t, path)
	defer mustClose(t, db)
	if _, err := db.VerifyAll(); err == nil || !strings.Contains(err.Error(), "event 1 does not match its hash") {
		t.Errorf("an admission's role changed outside onus: %v", err)
	}
}

// A prep pack's answers recorded by their respondent through a lent
// handle (import-answers relayed to onus serve) reach its listener too.
func TestAnswersAsOnALentHandle(t *testing.T) {
	db, _ := openTest(t, "Fran Facilitator")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS", Services: []model.SelectedService{{ID: "ec2"}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []model.Assessment
	lent := db.Lend("Carol Relay", func(a model.Assessment) { got = append(got, a) })
	if _, err := lent.AnswersAs("Quinn (QA lead)", a.ID, []model.Answer{{Control: "GOV-01", Status: model.StatusPartial}}, "imported"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Answers["GOV-01"].UpdatedBy != "Quinn (QA lead)" {
		t.Errorf("the listener was told of %+v", got)
	}
	if lent.Actor() != "Carol Relay" {
		t.Errorf("the lent handle's actor became %q", lent.Actor())
	}
}
