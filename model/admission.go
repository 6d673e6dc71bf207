package model

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ActAdmit is a line of the store's own log: a facilitator of a live
// workshop (onus serve) admitted a key that had been refused, naming the
// person it belongs to.
const ActAdmit = "admit"

// Admission is who a facilitator admitted: the printed name the trail
// will record for their changes, their role, and their key's SHA-256
// fingerprint (as ssh-keygen -l prints it).
type Admission struct {
	Name        string
	Role        string
	Fingerprint string
}

// Admitted roles: a key is admitted to answer or to watch; facilitators
// are named in the participants file before the workshop.
var AdmittedRoles = []string{"participant", "observer"}

// Validate checks an admission before it is recorded.
func (a Admission) Validate() error {
	if err := ValidatePrintedName(a.Name); err != nil {
		return err
	}
	ok := false
	for _, r := range AdmittedRoles {
		ok = ok || a.Role == r
	}
	if !ok {
		return fmt.Errorf("role %q: a key is admitted as %s", a.Role, strings.Join(AdmittedRoles, " or "))
	}
	if !strings.HasPrefix(a.Fingerprint, "SHA256:") || len(a.Fingerprint) > 100 || strings.ContainsAny(a.Fingerprint, " \t\r\n") {
		return errors.New("the key's fingerprint is not a SHA256 fingerprint")
	}
	return nil
}

// ValidatePrintedName checks the name a participant's changes are
// recorded by (a line of the participants file, or an admission): an
// actor's name, on one line, without control or invisible characters,
// single-spaced, so that what a screen shows is what the trail holds.
func ValidatePrintedName(name string) error {
	if err := ValidateActor(name); err != nil {
		return fmt.Errorf("printed name: %w", err)
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || (unicode.IsSpace(r) && r != ' ') {
			return fmt.Errorf("printed name %q: control or invisible characters", name)
		}
	}
	if strings.Join(strings.Fields(name), " ") != name {
		return fmt.Errorf("printed name %q: spaces at either end or doubled", name)
	}
	return nil
}
