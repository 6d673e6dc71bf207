package store

import (
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// Services selected for a reason, such as the infrastructure-as-code
// files they were found in, carry it in their audit entry; within the
// text limit, like every reason.
func TestSelectServicesBecause(t *testing.T) {
	db, _ := openTest(t, "alice")
	defer mustClose(t, db)
	a, err := db.Create(model.Assessment{Name: "LIMS"})
	if err != nil {
		t.Fatal(err)
	}
	const why = "services found in infrastructure as code: template.yaml (sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08)"
	a, err = db.SelectServicesBecause(a.ID, []string{"lambda", "s3"}, why)
	if err != nil {
		t.Fatal(err)
	}
	trail, err := db.History(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := trail[len(trail)-1]
	if last.Action != model.ActServices || last.Reason != why || !strings.Contains(string(last.New), `"lambda"`) {
		t.Errorf("entry %s %q: %s", last.Action, last.Reason, last.New)
	}
	if _, err := db.SelectServicesBecause(a.ID, []string{"ec2"}, strings.Repeat("x", model.MaxTextBytes+1)); err == nil {
		t.Error("an over-long reason was recorded")
	}
}
