package model_test

import (
	"fmt"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// The checks of the review's critical findings, each of which must find
// its finding in the catalog the review was made of (2026.11.0): a check
// that passes there could not tell the error came back.
var criticalChecks = []struct {
	finding string
	check   func(testing.TB, *model.Catalog)
}{
	{"C1 open system", checkC1OpenSystem},
	{"C2 OS hardening by the OS's owner", checkC2OSHardening},
	{"C3 AppStream 2.0 patching", checkC3AppStream},
	{"C4 Elastic Beanstalk patching", checkC4Beanstalk},
	{"C5 AWS WAF rules", checkC5WAFRules},
	{"C6 record audit trail", checkC6RecordAuditTrail},
	{"C7 resilience", checkC7Resilience},
}

func TestCriticalFindingsFailOnTheReviewedCatalog(t *testing.T) {
	reviewed := earlierCatalog(t, "2026.11.0")
	current := defaultCatalog(t)
	for _, c := range criticalChecks {
		if got := problems(t, c.check, reviewed); len(got) == 0 {
			t.Errorf("%s: its check passes on catalog 2026.11.0, which has the finding", c.finding)
		} else {
			t.Logf("%s on 2026.11.0: %s", c.finding, got[0])
		}
		if got := problems(t, c.check, current); len(got) > 0 {
			t.Errorf("%s on the catalog in effect: %v", c.finding, got)
		}
	}
}

// problems runs a check and returns what it reports, instead of failing
// the test with it.
func problems(t *testing.T, check func(testing.TB, *model.Catalog), cat *model.Catalog) (msgs []string) {
	r := &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil && p != errStop {
			panic(p)
		}
		msgs = r.msgs
	}()
	check(r, cat)
	return r.msgs
}

var errStop = fmt.Errorf("check stopped")

// recorder is a testing.TB that keeps what a check reports.
type recorder struct {
	testing.TB
	msgs []string
}

func (r *recorder) Error(a ...any) { r.msgs = append(r.msgs, fmt.Sprint(a...)) }
func (r *recorder) Errorf(format string, a ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatal(a ...any)                 { r.Error(a...); panic(errStop) }
func (r *recorder) Fatalf(format string, a ...any) { r.Errorf(format, a...); panic(errStop) }
