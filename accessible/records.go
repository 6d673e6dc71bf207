package accessible

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
)

// records is the Part 11 record inventory, as the wizard's step: which of
// the system's records are Part 11 records, by the predicate rule that
// requires them (21 CFR 11.1(b)), how long and where they are kept, and
// how an FDA inspector can see them (11.1(e)). Each entry is added,
// edited or removed with one store call.
func (s *session) records() error {
	return s.editList(func() []string {
		recs := s.a.Records
		s.say("Record inventory of %s: %s, %s.", line(s.a.Name), plural.Count(len(recs), "data class", "data classes"),
			plural.Count(countPart11(recs), "Part 11 record", "Part 11 records"))
		if !s.cat.InEffect(s.a.Scope, "21cfr11") {
			s.say("21 CFR Part 11 is not in this assessment's scope; the inventory is kept as it is.")
		}
		opts := make([]string, len(recs))
		for i, r := range recs {
			opts[i] = recordText(r)
		}
		return opts
	}, "Add a data class", "Choose a data class to edit or remove it, or add one: a kind of record the system holds, the predicate rule that requires it, whether you rely on the electronic record to meet that rule (then it is a Part 11 record, 21 CFR 11.1(b)), how long and where it is kept, and how an FDA inspector can see it (11.1(e)).",
		func() error { return s.recordForm(model.RecordEntry{}) },
		func(i int) error { return s.recordAction(s.a.Records[i]) })
}

// editList is a step that lists what the assessment holds, one item a
// choice, until Done: read out by items (which says what the list is
// first), an item is acted on, or a new one added; on a read-only
// assessment, either says why not instead.
func (s *session) editList(items func() []string, add, help string, addOne func() error, act func(i int) error) error {
	for {
		s.say("")
		opts := append(items(), add, "Done")
		n, err := s.choose(opts, len(opts), help)
		if err != nil || n == len(opts) {
			return err
		}
		if s.refuseEdit() {
			continue
		}
		if n == len(opts)-1 {
			err = addOne()
		} else {
			err = act(n - 1)
		}
		if err != nil {
			return err
		}
	}
}

func countPart11(recs []model.RecordEntry) int {
	n := 0
	for _, r := range recs {
		if r.Part11 {
			n++
		}
	}
	return n
}

// recordText is an inventory entry in a sentence.
func recordText(r model.RecordEntry) string {
	what := "not a Part 11 record"
	switch {
	case r.Part11:
		what = "Part 11 record under " + line(r.PredicateRule)
	case r.PredicateRule != "":
		what = "required by " + line(r.PredicateRule) + ", but not a Part 11 record"
	}
	parts := []string{line(r.DataClass) + ": " + what, "kept " + line(r.Retention) + " in " + line(r.SystemOfRecord)}
	if r.Inspection != "" {
		parts = append(parts, "inspection: "+line(r.Inspection))
	}
	if r.Hybrid {
		parts = append(parts, "hybrid, signed by hand on paper (11.70)")
	}
	if r.Notes != "" {
		parts = append(parts, "notes: "+line(r.Notes))
	}
	return strings.Join(parts, "; ")
}

// recordAction edits or removes one entry.
func (s *session) recordAction(r model.RecordEntry) error {
	s.say("%s.", recordText(r))
	i, err := s.choose([]string{"Edit it", "Remove it", "Keep it as it is"}, 3, "Editing asks each field again, showing what it holds; removing keeps it in the audit trail.")
	if err != nil {
		return err
	}
	switch i {
	case 1:
		return s.recordForm(r)
	case 2:
		a, err := s.cfg.Store.RemoveRecord(s.a.ID, r.DataClass)
		s.saved(a, err, "removed "+line(r.DataClass)+" from the record inventory")
	}
	return nil
}

// recordForm asks an entry's fields, showing what each holds (a new one
// is empty), and saves it once complete; renaming the data class replaces
// the entry under its old name.
func (s *session) recordForm(was model.RecordEntry) error {
	if was.DataClass == "" {
		s.say("New data class for the record inventory.")
	} else {
		s.say("Editing %s.", line(was.DataClass))
	}
	defer s.filling("the record entry")()
	r := was
	var err error
	text := func(label string, v *string, required bool, help string, max int) error {
		*v, err = s.text(label, *v, required, help, limit(strings.ToLower(label), max))
		return err
	}
	if err := text("Data class", &r.DataClass, true, "A kind of record the system holds, for example batch production record.", model.MaxNameBytes); err != nil {
		return err
	}
	if r.Part11, err = s.yesNo("Do you rely on the electronic record to meet a predicate rule, which makes it a Part 11 record (21 CFR 11.1(b))?", r.Part11); err != nil {
		return err
	}
	if err := text("Predicate rule", &r.PredicateRule, r.Part11, "The records requirement it meets, as cited, for example 21 CFR 211.188.", model.MaxRecordTextBytes); err != nil {
		return err
	}
	if err := text("Retention", &r.Retention, true, "How long it is kept, for example 1 year after batch expiry.", model.MaxRecordTextBytes); err != nil {
		return err
	}
	if err := text("System of record", &r.SystemOfRecord, true, "Where the authoritative copy lives.", model.MaxRecordTextBytes); err != nil {
		return err
	}
	if err := text("Inspection", &r.Inspection, r.Part11, "How the records are made readily available to an FDA inspector (11.1(e)).", model.MaxRecordTextBytes); err != nil {
		return err
	}
	if r.Hybrid, err = s.yesNo("Hybrid: are the records signed by hand on paper executed to the electronic record (11.70)?", r.Hybrid); err != nil {
		return err
	}
	if err := text("Notes", &r.Notes, false, "Anything a reviewer should know.", model.MaxRecordTextBytes); err != nil {
		return err
	}
	if r == was {
		s.say("Unchanged.")
		return nil
	}
	a, err := s.cfg.Store.SetRecord(s.a.ID, was.DataClass, r)
	s.saved(a, err, fmt.Sprintf("record entry %s", line(r.DataClass)))
	return nil
}
