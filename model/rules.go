package model

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The rules every value meets before onus records it. The store applies
// them to each change, and the replay of a trail (Step) applies them to
// each entry, so a bundle holds only what onus itself could have written.

// InvalidTextError says a piece of text is not valid UTF-8. Onus hashes
// and records text only as UTF-8: anything else would be altered on its
// way into JSON, and the record would no longer match its hash.
type InvalidTextError struct {
	Field  string
	Offset int  // of the first invalid byte
	Byte   byte // that byte
}

func (e *InvalidTextError) Error() string {
	return fmt.Sprintf("%s is not valid UTF-8 (byte %#02x at offset %d); onus records text only as UTF-8", e.Field, e.Byte, e.Offset)
}

// ExitCode is 2: the input was unusable, as a mistake on the command line is.
func (e *InvalidTextError) ExitCode() int { return 2 }

// CheckText refuses text longer than limit bytes, or not valid UTF-8.
func CheckText(field, s string, limit int) error {
	if len(s) > limit {
		return fmt.Errorf("%s too long: %d bytes, and the limit is %d", field, len(s), limit)
	}
	return checkUTF8(field, s)
}

func checkUTF8(field, s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return &InvalidTextError{Field: field, Offset: i, Byte: s[i]}
		}
		i += n
	}
	return nil
}

// CheckValueText finds the first string anywhere inside v (fields, list
// items, map keys and values) that is not valid UTF-8, and names it by its
// JSON path under name.
func CheckValueText(name string, v any) error {
	return checkValueText(name, reflect.ValueOf(v))
}

func checkValueText(path string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		return checkUTF8(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkValueText(path, v.Elem())
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // raw JSON: JSON has already made it text
		}
		for i := range v.Len() {
			if err := checkValueText(fmt.Sprintf("%s[%d]", path, i), v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if err := checkValueText(path+" key", iter.Key()); err != nil {
				return err
			}
			if err := checkValueText(fmt.Sprintf("%s[%v]", path, iter.Key()), iter.Value()); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Type == reflect.TypeFor[time.Time]() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			if err := checkValueText(path+"."+name, v.Field(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Truncate cuts s to at most n bytes, at a character boundary.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ValidID reports whether id can be an assessment id: what the store makes,
// or anything as plain (ids are keys in the file and appear in commands).
func ValidID(id string) bool {
	if id == "" || len(id) > MaxIDBytes {
		return false
	}
	for _, r := range id {
		if (r < '0' || r > '9') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

// ValidateActor checks the name recorded as the author of a change.
func ValidateActor(name string) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("a change needs the name of who makes it")
	}
	return CheckText("actor name", name, MaxNameBytes)
}

// ValidateIDs checks a list of catalog ids for count, emptiness and
// length; whether they are in a catalog is for the caller (or Step) to say.
func ValidateIDs(what string, ids []string, limit int) error {
	if len(ids) > limit {
		return fmt.Errorf("%d %s ids; the limit is %d", len(ids), what, limit)
	}
	for _, id := range ids {
		if strings.TrimSpace(id) == "" {
			return fmt.Errorf("an empty %s id", what)
		}
		if err := CheckText(what+" id", id, MaxNameBytes); err != nil {
			return err
		}
	}
	return nil
}

// ValidateInfo checks an assessment's name, organisation and system.
func ValidateInfo(in Info) error {
	if strings.TrimSpace(in.Name) == "" {
		return errors.New("an assessment needs a name")
	}
	if err := CheckText("name", in.Name, MaxNameBytes); err != nil {
		return err
	}
	if err := CheckText("organisation", in.Organisation, MaxNameBytes); err != nil {
		return err
	}
	return CheckText("system", in.System, MaxNameBytes)
}

// ValidateScope checks a scope; an empty impact is allowed (the store
// makes it direct at creation).
func ValidateScope(s Scope) error {
	if s.Impact != "" && !s.Impact.Valid() {
		return fmt.Errorf("unknown GxP impact %q (use direct, indirect or none)", s.Impact)
	}
	if err := ValidateIDs("framework", s.Frameworks, MaxListLen); err != nil {
		return err
	}
	if err := ValidateIDs("programme", s.Programmes, MaxListLen); err != nil {
		return err
	}
	for i, d := range s.DataCategories {
		if !d.Valid() {
			return fmt.Errorf("unknown data category %q (use %s)", d, dataCategoryList())
		}
		if slices.Contains(s.DataCategories[:i], d) {
			return fmt.Errorf("data category %q is given twice", d)
		}
	}
	return CheckText("data classification", s.DataClassification, MaxNameBytes)
}

// ValidateOverride checks one justified override of a service's layer.
func ValidateOverride(o ServiceOverride) error {
	if strings.TrimSpace(o.Justification) == "" {
		return errors.New("an override needs a justification")
	}
	if !o.Owner.Valid() {
		return fmt.Errorf("unknown owner %q (use aws, customer or shared)", o.Owner)
	}
	if err := CheckText("justification", o.Justification, MaxTextBytes); err != nil {
		return err
	}
	return ValidateIDs("layer", []string{o.Layer}, 1)
}

// ValidateServices checks a selection of services with their overrides.
func ValidateServices(sel []SelectedService) error {
	if len(sel) > MaxServiceCount {
		return fmt.Errorf("%d services selected; the limit is %d", len(sel), MaxServiceCount)
	}
	for _, s := range sel {
		if err := ValidateIDs("service", []string{s.ID}, 1); err != nil {
			return err
		}
		if len(s.Overrides) > MaxListLen {
			return fmt.Errorf("%s: %d overrides; the limit is %d", s.ID, len(s.Overrides), MaxListLen)
		}
		for _, o := range s.Overrides {
			if err := ValidateOverride(o); err != nil {
				return fmt.Errorf("%s: %w", s.ID, err)
			}
		}
		if s.GAMP != nil {
			if err := ValidateGAMPOverride(*s.GAMP); err != nil {
				return fmt.Errorf("%s: %w", s.ID, err)
			}
		}
	}
	return nil
}

// Claims reports whether a status says that someone reviewed the report.
func (s SupplierStatus) Claims() bool {
	return s == SupplierReviewed || s == SupplierAccepted || s == SupplierIssues
}

// ValidateSupplierRecord checks a supplier record. A status that says the
// report was reviewed (reviewed, accepted, issues-found) needs who reviewed
// it and when: nothing records a review that nobody entered.
func ValidateSupplierRecord(r SupplierRecord) error {
	if err := validateSupplier(r); err != nil {
		return err
	}
	if r.Status.Claims() {
		if strings.TrimSpace(r.Reviewer) == "" {
			return fmt.Errorf("%s: a report is %s only with the name of who reviewed it", r.Source, r.Status)
		}
		if r.ReviewedOn == "" {
			return fmt.Errorf("%s: a report is %s only with the date of the review (YYYY-MM-DD)", r.Source, r.Status)
		}
	}
	return nil
}

// validateSupplier is ValidateSupplierRecord without the review rule,
// which entries in the format before EntryFormat did not have to meet.
func validateSupplier(r SupplierRecord) error {
	if err := ValidateIDs("evidence source", []string{r.Source}, 1); err != nil {
		return err
	}
	if !slices.Contains(SupplierStatuses, r.Status) {
		return fmt.Errorf("unknown supplier evidence status %q", r.Status)
	}
	for _, d := range []string{r.Obtained, r.PeriodStart, r.PeriodEnd, r.Surveillance, r.ReviewedOn} {
		if d != "" && !validDate(d) {
			return fmt.Errorf("date %q is not YYYY-MM-DD", d)
		}
	}
	if r.ReviewedOn != "" && r.Obtained != "" && r.ReviewedOn < r.Obtained {
		return fmt.Errorf("%s: reviewed on %s, before it was obtained (%s)", r.Source, r.ReviewedOn, r.Obtained)
	}
	for _, f := range []string{r.Version, r.Reviewer, r.Notes} {
		if err := CheckText("supplier record field", f, MaxTextBytes); err != nil {
			return err
		}
	}
	return nil
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// ValidateAnswer checks an answer before it is stored.
func ValidateAnswer(ans Answer) error {
	if ans.Control == "" {
		return errors.New("an answer needs a control id")
	}
	if err := CheckText("control id", ans.Control, MaxNameBytes); err != nil {
		return err
	}
	if ans.Status != StatusUnanswered && !ans.Status.Valid() {
		return fmt.Errorf("unknown status %q (use implemented, partial, planned, not-implemented or not-applicable)", ans.Status)
	}
	if ans.Status == StatusNotApplicable && strings.TrimSpace(ans.Justification) == "" {
		return errors.New("not-applicable needs a justification")
	}
	if len(ans.Evidence) > MaxEvidence {
		return fmt.Errorf("%d evidence references; the limit is %d per answer", len(ans.Evidence), MaxEvidence)
	}
	for i, e := range ans.Evidence {
		if strings.TrimSpace(e.Title) == "" {
			return fmt.Errorf("evidence %d has no title", i+1)
		}
		if !e.Supplier.Valid() {
			return fmt.Errorf("evidence %q: unknown supplier %q (use aws, customer or third-party)", e.Title, e.Supplier)
		}
		if e.Date != "" && !validDate(e.Date) {
			return fmt.Errorf("evidence %q: date %q is not YYYY-MM-DD", e.Title, e.Date)
		}
		for _, f := range []struct{ name, v string }{{"title", e.Title}, {"document id", e.DocumentID}, {"version", e.Version}, {"location", e.Location}} {
			if err := CheckText(fmt.Sprintf("evidence %d's %s", i+1, f.name), f.v, MaxTextBytes); err != nil {
				return err
			}
		}
	}
	if len(ans.Links) > MaxEvidence {
		return fmt.Errorf("%d evidence links; the limit is %d per answer", len(ans.Links), MaxEvidence)
	}
	for _, l := range ans.Links {
		if err := CheckText("evidence link", l.Entry, MaxNameBytes); err != nil {
			return err
		}
		if err := CheckText("link note", l.Note, MaxTextBytes); err != nil {
			return err
		}
	}
	if err := CheckText("justification", ans.Justification, MaxTextBytes); err != nil {
		return err
	}
	if err := CheckText("notes", ans.Notes, MaxTextBytes); err != nil {
		return err
	}
	return CheckText("answered by", ans.UpdatedBy, MaxNameBytes)
}

// ValidateSignOff checks a sign-off's meaning and role.
func ValidateSignOff(s SignOff) error {
	if strings.TrimSpace(s.Meaning) == "" {
		return errors.New("a sign-off needs its meaning (e.g. reviewed, approved)")
	}
	if err := CheckText("sign-off meaning", s.Meaning, MaxTextBytes); err != nil {
		return err
	}
	if err := CheckText("sign-off role", s.Role, MaxNameBytes); err != nil {
		return err
	}
	return CheckText("signer", s.By, MaxNameBytes)
}

// dataCategoryList names the known data categories for a message.
func dataCategoryList() string {
	names := make([]string, len(DataCategories))
	for i, d := range DataCategories {
		names[i] = string(d)
	}
	return strings.Join(names, ", ")
}
