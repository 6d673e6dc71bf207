package accessible

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
)

// register is the evidence register as a step of its own, as the
// wizard's: the entries read out with their currency and the controls
// each supports; one is chosen to edit or remove it, or one is added
// without a control (at a question, a new entry is linked at once).
// AWS's reports are recorded on the supplier step, not here.
func (s *session) register() error {
	return s.editList(func() []string {
		entries := s.a.Register
		s.say("Evidence register of %s: %s.", line(s.a.Name), plural.Count(len(entries), "entry", "entries"))
		opts := make([]string, len(entries))
		for i, e := range entries {
			opts[i] = s.entryText(e)
		}
		return opts
	}, "Add an entry", "Choose an entry to edit or remove it, or add one. AWS's reports are recorded on the supplier step, and a question links evidence to its control.",
		s.addEntry,
		func(i int) error { return s.entryAction(s.a.Register[i]) })
}

// entryText is an entry in words, with its currency and the controls
// that rest on it.
func (s *session) entryText(e model.EvidenceEntry) string {
	i := slices.IndexFunc(s.review.Register, func(it model.EvidenceItem) bool { return it.ID == e.ID })
	if i < 0 {
		return line(e.ID + " " + e.Title)
	}
	it := s.review.Register[i]
	ids := make([]string, len(it.Supports))
	for j, sup := range it.Supports {
		ids[j] = sup.Control
	}
	if len(ids) == 0 {
		return itemText(it) + "; supports no applicable control"
	}
	return itemText(it) + "; supports " + strings.Join(ids, ", ")
}

// entryAction edits or removes an entry.
func (s *session) entryAction(e model.EvidenceEntry) error {
	s.say("%s.", s.entryText(e))
	i, err := s.choose([]string{"Edit it", "Remove it", "Keep it as it is"}, 3, "Editing asks each field again, showing what it holds, and every control citing it cites it as edited; removing unlinks it from every answer first. The audit trail keeps both.")
	if err != nil {
		return err
	}
	switch i {
	case 1:
		s.say("Editing %s.", line(e.ID+" "+e.Title))
		defer s.filling("the evidence entry " + line(e.ID))()
		edited := e
		if err := s.entryFields(&edited); err != nil {
			return err
		}
		a, err := s.cfg.Store.EditEntry(s.a.ID, edited)
		s.saved(a, err, "evidence "+line(e.ID)+" "+line(edited.Title)+" edited")
	case 2:
		if from := s.a.LinkedFrom(e.ID); len(from) > 0 {
			ok, err := s.yesNo(fmt.Sprintf("%s is linked from %s. Remove it and those links?", line(e.ID), line(strings.Join(from, ", "))), false)
			if err != nil || !ok {
				return err
			}
		}
		a, err := s.cfg.Store.RemoveEntry(s.a.ID, e.ID)
		s.saved(a, err, "removed "+line(e.ID)+" "+line(e.Title)+" from the register")
	}
	return nil
}

// addEntry adds an entry to the register, linked to no control yet.
func (s *session) addEntry() error {
	s.say("New evidence entry, %s in the register.", model.EntryID(s.a.RegisterIssued+1))
	defer s.filling("the new evidence entry")()
	var e model.EvidenceEntry
	if err := s.entryFields(&e); err != nil {
		return err
	}
	a, err := s.cfg.Store.AddEntry(s.a.ID, e)
	s.saved(a, err, "evidence "+model.EntryID(a.RegisterIssued)+" "+line(e.Title)+" added to the register")
	return nil
}
