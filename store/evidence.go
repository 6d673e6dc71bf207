package store

import (
	"fmt"
	"slices"

	"github.com/onus-gxp/onus/model"
)

// The evidence register (model/evidence.go): entries, the answers' links
// to them, and the AWS reports added or dismissed. Each change is one or
// more audited entries in one transaction.

// filesFirst reports whether a change of this kind files the answers'
// free-text evidence in the register first: changes to answers and to
// the register, whose rules need the register as WithRegister shows it.
// Other changes leave an assessment filed or not as it was, so that no
// upgrade alone writes to a record someone has signed.
func filesFirst(action string) bool {
	switch action {
	case model.ActAnswer, model.ActEntry, model.ActLinks:
		return true
	}
	return false
}

// fileFreeText records the filing of the assessment's free-text evidence
// (model.ActFile), when it has any: the entries and links WithRegister
// shows, with the free text as the old value.
func (r *batch) fileFreeText() error {
	if !r.a.HasFreeText() {
		return nil
	}
	old := map[string][]model.EvidenceRef{}
	n := 0
	for c, ans := range r.a.Answers {
		if len(ans.Evidence) > 0 {
			old[c] = ans.Evidence
			n++
		}
	}
	filed := model.WithRegister(*r.a)
	f := model.Filing{Entries: filed.Register[len(r.a.Register):], Links: map[string][]model.EvidenceLink{}}
	for c := range old {
		f.Links[c] = filed.Answers[c].Links
	}
	reason := fmt.Sprintf("the free-text evidence references of %d answers filed in the evidence register as %d entries (identical references merged), before the first change to evidence or answers since onus keeps a register",
		n, len(f.Entries))
	return r.record(model.ActFile, "evidence", old, f, reason)
}

// AddEntry adds an entry to an assessment's register under the next id
// (model.EntryID); an id given must be that one. The entry added is the
// last of the returned assessment's register.
func (db *DB) AddEntry(id string, e model.EvidenceEntry) (model.Assessment, error) {
	if err := model.ValidateEntry(withoutID(e)); err != nil {
		return model.Assessment{}, err
	}
	return db.changes(id, model.ActEntry, func(r *batch) error {
		return r.addEntry(e)
	})
}

func (r *batch) addEntry(e model.EvidenceEntry) error {
	next := model.EntryID(r.a.RegisterIssued + 1)
	if e.ID != "" && e.ID != next {
		return fmt.Errorf("the next evidence id is %s, not %s", next, e.ID)
	}
	e.ID = next
	return r.record(model.ActEntry, "evidence/"+e.ID, nil, e, "")
}

func withoutID(e model.EvidenceEntry) model.EvidenceEntry {
	e.ID = ""
	return e
}

// EditEntry replaces an entry of the register; every control that links
// to it cites it as edited.
func (db *DB) EditEntry(id string, e model.EvidenceEntry) (model.Assessment, error) {
	if err := model.ValidateEntry(e); err != nil {
		return model.Assessment{}, err
	}
	return db.change(id, model.ActEntry, "", func(a *model.Assessment) (string, any, any, error) {
		old, ok := a.Entry(e.ID)
		if !ok {
			return "", nil, nil, fmt.Errorf("no evidence entry %s in assessment %s", e.ID, id)
		}
		return "evidence/" + e.ID, old, e, nil
	})
}

// RemoveEntry removes an entry from the register, unlinking it from
// every answer that cites it first (each unlinking recorded); callers ask
// before removing a linked entry (model.Assessment.LinkedFrom says where).
func (db *DB) RemoveEntry(id, entry string) (model.Assessment, error) {
	return db.changes(id, model.ActEntry, func(r *batch) error {
		old, ok := r.a.Entry(entry)
		if !ok {
			return fmt.Errorf("no evidence entry %s in assessment %s", entry, id)
		}
		if err := r.unlinkEverywhere(entry); err != nil {
			return err
		}
		return r.record(model.ActEntry, "evidence/"+entry, old, nil, "")
	})
}

// unlinkEverywhere removes every link to an entry.
func (r *batch) unlinkEverywhere(entry string) error {
	for _, c := range r.a.LinkedFrom(entry) {
		links := slices.DeleteFunc(slices.Clone(r.a.Answers[c].Links), func(l model.EvidenceLink) bool { return l.Entry == entry })
		if err := r.setLinks(c, links); err != nil {
			return err
		}
	}
	return nil
}

// SetLinks replaces the links of one control's answer.
func (db *DB) SetLinks(id, control string, links []model.EvidenceLink) (model.Assessment, error) {
	return db.changes(id, model.ActLinks, func(r *batch) error { return r.setLinks(control, links) })
}

func (r *batch) setLinks(control string, links []model.EvidenceLink) error {
	held := r.a.Answers[control].Links
	if slices.Equal(held, links) {
		return nil
	}
	var old any
	if len(held) > 0 {
		old = held
	}
	if links == nil {
		links = []model.EvidenceLink{}
	}
	return r.record(model.ActLinks, "links/"+control, old, links, "")
}

// Link links an entry (or a supplier record, aws:SOURCE) to controls,
// with a note; a control already linked to it takes the new note.
func (db *DB) Link(id, entry string, controls []string, note string) (model.Assessment, error) {
	return db.changes(id, model.ActLinks, func(r *batch) error {
		for _, c := range controls {
			links := slices.Clone(r.a.Answers[c].Links)
			if i := slices.IndexFunc(links, func(l model.EvidenceLink) bool { return l.Entry == entry }); i >= 0 {
				links[i].Note = note
			} else {
				links = append(links, model.EvidenceLink{Entry: entry, Note: note})
			}
			if err := r.setLinks(c, links); err != nil {
				return err
			}
		}
		return nil
	})
}

// Unlink removes an entry's links from controls; a control not linked to
// it is an error, so a mistyped id says so.
func (db *DB) Unlink(id, entry string, controls []string) (model.Assessment, error) {
	return db.changes(id, model.ActLinks, func(r *batch) error {
		for _, c := range controls {
			links := r.a.Answers[c].Links
			if !slices.ContainsFunc(links, func(l model.EvidenceLink) bool { return l.Entry == entry }) {
				return fmt.Errorf("%s does not link to %s", c, entry)
			}
			if err := r.setLinks(c, slices.DeleteFunc(slices.Clone(links), func(l model.EvidenceLink) bool { return l.Entry == entry })); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetReportChoice adds (relevant) or dismisses an AWS report against the
// catalog's rule, with a reason; nil choice goes back to the rule.
func (db *DB) SetReportChoice(id, source string, choice *model.ReportChoice) (model.Assessment, error) {
	if choice != nil {
		if choice.Source != source {
			return model.Assessment{}, fmt.Errorf("the choice is for %s, not %s", choice.Source, source)
		}
		if err := model.ValidateReportChoice(*choice); err != nil {
			return model.Assessment{}, err
		}
	}
	return db.change(id, model.ActReport, "", func(a *model.Assessment) (string, any, any, error) {
		var old any
		if i := slices.IndexFunc(a.Reports, func(r model.ReportChoice) bool { return r.Source == source }); i >= 0 {
			old = a.Reports[i]
		} else if choice == nil {
			return "", nil, nil, fmt.Errorf("%s follows the catalog's rule already", source)
		}
		var new any
		if choice != nil {
			new = *choice
		}
		return "report/" + source, old, new, nil
	})
}

// answer records an answer; free-text references in ans.Evidence are
// filed in the register (an identical entry reused, else a new one) and
// linked, each an entry of its own, in the same transaction. The links
// an answer has stay as they are.
func (db *DB) answer(id string, ans model.Answer, reason string) (model.Assessment, error) {
	if err := model.ValidateAnswer(ans); err != nil {
		return model.Assessment{}, err
	}
	refs := ans.Evidence
	ans.Evidence = nil
	ans.UpdatedAt, ans.UpdatedBy = db.now(), db.opt.Actor
	return db.changes(id, model.ActAnswer, func(r *batch) error {
		var old any
		prev, had := r.a.Answers[ans.Control]
		if had {
			old = prev
		}
		ans.Links = prev.Links
		if err := r.record(model.ActAnswer, "answer/"+ans.Control, old, ans, reason); err != nil {
			return err
		}
		links := slices.Clone(r.a.Answers[ans.Control].Links)
		for _, ref := range refs {
			e, ok := r.a.FindEntry(ref)
			if !ok {
				if err := r.addEntry(model.EvidenceEntry{Title: ref.Title, DocumentID: ref.DocumentID, Version: ref.Version,
					Date: ref.Date, Location: ref.Location, Owner: ref.Supplier}); err != nil {
					return err
				}
				e = r.a.Register[len(r.a.Register)-1]
			}
			if !slices.ContainsFunc(links, func(l model.EvidenceLink) bool { return l.Entry == e.ID }) {
				links = append(links, model.EvidenceLink{Entry: e.ID})
			}
		}
		return r.setLinks(ans.Control, links)
	})
}
