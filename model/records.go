package model

import (
	"errors"
	"fmt"
	"strings"
)

// RecordEntry is one line of an assessment's Part 11 record inventory: a
// class of data the system holds, the predicate rule that requires it, and
// so whether it is a Part 11 record (21 CFR 11.1(b)). The JSON names are
// part of the file format.
type RecordEntry struct {
	DataClass string `json:"data_class"` // e.g. "batch production record"
	// PredicateRule is the records requirement the data meets, as cited,
	// e.g. "21 CFR 211.188"; required for a Part 11 record.
	PredicateRule string `json:"predicate_rule,omitempty"`
	// Part11 says the electronic record is relied on to meet the predicate
	// rule, which makes it a Part 11 record.
	Part11         bool   `json:"part11_record"`
	Retention      string `json:"retention"`        // e.g. "1 year after batch expiry"
	SystemOfRecord string `json:"system_of_record"` // where the authoritative copy lives
	// Inspection says how the records are made readily available to an FDA
	// inspector (11.1(e)); required for a Part 11 record.
	Inspection string `json:"inspection,omitempty"`
	// Hybrid marks records signed by hand on paper executed to the
	// electronic record (11.70).
	Hybrid bool   `json:"hybrid,omitempty"`
	Notes  string `json:"notes,omitempty"`
}

// Limits of a record inventory.
const (
	MaxRecordEntries   = 500
	MaxRecordTextBytes = 4 << 10
)

// Validate checks one inventory entry before it is stored. The data
// class names the entry (its trail target is records/DATA CLASS), so it
// is as short as a name.
func (r RecordEntry) Validate() error {
	for _, f := range []struct{ name, v string }{{"data class", r.DataClass}, {"retention", r.Retention}, {"system of record", r.SystemOfRecord}} {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("record entry %q needs its %s", clip(r.DataClass), f.name)
		}
	}
	if r.Part11 {
		if strings.TrimSpace(r.PredicateRule) == "" {
			return fmt.Errorf("record entry %q is a Part 11 record, so it needs the predicate rule that requires it", clip(r.DataClass))
		}
		if strings.TrimSpace(r.Inspection) == "" {
			return fmt.Errorf("record entry %q is a Part 11 record, so it needs how it is made available for FDA inspection (11.1(e))", clip(r.DataClass))
		}
	}
	if err := CheckText("data class", r.DataClass, MaxNameBytes); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"predicate rule", r.PredicateRule}, {"retention", r.Retention},
		{"system of record", r.SystemOfRecord}, {"inspection", r.Inspection}, {"notes", r.Notes}} {
		if err := CheckText(fmt.Sprintf("record entry %q: %s", clip(r.DataClass), f.name), f.v, MaxRecordTextBytes); err != nil {
			return err
		}
	}
	return nil
}

// recordKey is how data classes are told apart: "Batch record" and
// "batch record " are one class.
func recordKey(class string) string { return strings.ToLower(strings.TrimSpace(class)) }

// ValidateRecords checks a whole inventory: every entry, the count, and
// one entry per data class.
func ValidateRecords(rs []RecordEntry) error {
	if len(rs) > MaxRecordEntries {
		return fmt.Errorf("%d record entries; the limit is %d", len(rs), MaxRecordEntries)
	}
	seen := map[string]bool{}
	var errs []error
	for _, r := range rs {
		if err := r.Validate(); err != nil {
			errs = append(errs, err)
		}
		key := recordKey(r.DataClass)
		if seen[key] {
			errs = append(errs, fmt.Errorf("data class %q is listed twice", r.DataClass))
		}
		seen[key] = true
	}
	return errors.Join(errs...)
}

// RecordInventoryGap is the gap a review shows while 21 CFR Part 11 is in
// effect for the assessment and it has no record inventory: without one,
// nobody can say which of the system's records Part 11 covers. It names the
// control that asks for the inventory, when one applies.
func (c *Catalog) RecordInventoryGap(a *Assessment, applicable []*Control) (Gap, bool) {
	if len(a.Records) > 0 || !c.InEffect(a.Scope, part11Family) {
		return Gap{}, false
	}
	g := Gap{Kind: GapNoRecordInventory, Risk: RiskMedium,
		Detail: "21 CFR Part 11 is in scope but no record inventory says which records are Part 11 records (predicate rule, retention, system of record)"}
	for _, ctrl := range applicable {
		if refersTo(ctrl, part11Family, "11.1(b)") {
			g.Control = ctrl.ID
			break
		}
	}
	return g, true
}

// part11Family is the framework family of 21 CFR Part 11.
const part11Family = "21cfr11"

func refersTo(ctrl *Control, framework, clause string) bool {
	for _, r := range ctrl.Refs {
		if r.Framework == framework && r.Clause == clause {
			return true
		}
	}
	return false
}
