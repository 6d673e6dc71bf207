package accessible

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
)

// The evidence register at a question, as the wizard has it: an answer
// links to register entries (or to AWS's reports recorded on the supplier
// step, aws:SOURCE), each link with an optional note; a piece is picked
// by its id or from a search of the register, or added as a new entry
// and linked at once. Each control's chain is read out with its currency.

// maxListed is how many matches a search of the register reads out; more
// words narrow it.
const maxListed = 20

// itemText is a piece of evidence in words: id, title, document, version,
// date, location, and whether it is current.
func itemText(it model.EvidenceItem) string {
	parts := []string{line(it.ID + " " + it.Title)}
	for _, f := range []string{it.DocumentID, model.VersionLabel(it.Version), it.Date, it.Location} {
		if f != "" {
			parts = append(parts, line(f))
		}
	}
	return strings.Join(parts, ", ") + "; " + currency(it)
}

// currency says whether a piece of evidence is current; of a supplier
// record, its review status first.
func currency(it model.EvidenceItem) string {
	var out string
	if it.IsSupplier() {
		out = string(it.Review) + ", "
	}
	switch {
	case it.Stale:
		return out + "stale: " + line(it.Why)
	case it.ValidUntil != "":
		return out + "current until " + it.ValidUntil
	}
	return out + "current"
}

// linkedLine reads out the evidence a control's answer links to.
func (s *session) linkedLine(control string) string {
	var parts []string
	for _, ci := range s.review.Chains[control] {
		if !ci.Linked {
			continue
		}
		text := line(ci.ID) + " (not in the register)"
		if it, ok := s.review.ItemOf(ci); ok {
			text = itemText(it)
		}
		if ci.Note != "" {
			text += "; note: " + line(ci.Note)
		}
		parts = append(parts, text)
	}
	if len(parts) == 0 {
		// A control that does not apply has no chain: its links as stored.
		for _, l := range s.a.Answer(control).Links {
			parts = append(parts, line(l.Entry))
		}
	}
	if len(parts) == 0 {
		return "Evidence: none linked."
	}
	return fmt.Sprintf("Evidence: %d linked: %s.", len(parts), strings.Join(parts, " | "))
}

// awsChain reads out what AWS supplies for a control: the reports its
// AWS part expects, each on file (with its currency) or not, and the
// optional ones not on file in one line.
func (s *session) awsChain(control string) []string {
	var out, optional []string
	for _, ci := range s.review.Chains[control] {
		if ci.Linked {
			continue
		}
		it, ok := s.review.ItemOf(ci)
		src, _ := s.cat.EvidenceSource(strings.TrimPrefix(ci.ID, model.SupplierPrefix))
		switch {
		case ok:
			out = append(out, "  "+itemText(it))
		case ci.Relevant:
			out = append(out, fmt.Sprintf("  %s %s; not on file, a gap: record it on the supplier step", line(ci.ID), line(src.Name)))
		default:
			optional = append(optional, line(src.Name))
		}
	}
	if len(out) > 0 {
		out = append([]string{"AWS supplies:"}, out...)
	}
	if len(optional) > 0 {
		out = append(out, "Optional for this scope, not on file: "+strings.Join(optional, ", ")+".")
	}
	return out
}

// linkEvidence links a piece of evidence to a control: one named by its
// id, one found by words, or a new entry.
func (s *session) linkEvidence(control string) error {
	reg := s.review.Register
	s.say("Link evidence to %s. The register holds %s.", line(control), plural.Count(len(reg), "piece of evidence", "pieces of evidence"))
	in, err := s.ask("An id (E3, aws:soc2), words to search the register, all to list it, or new for a new entry; enter for none:", func() {
		s.say("E3 links entry E3; risk report lists the entries with both words, to choose one by number; all lists every piece; new asks for a new entry's fields and links it.")
	})
	if err != nil || in == "" {
		return err
	}
	if strings.EqualFold(in, "new") {
		return s.newEntry(control)
	}
	if i := slices.IndexFunc(reg, func(it model.EvidenceItem) bool { return strings.EqualFold(it.ID, in) }); i >= 0 {
		return s.linkTo(control, reg[i])
	}
	var found []model.EvidenceItem
	words := strings.Fields(strings.ToLower(in))
	if strings.EqualFold(in, "all") {
		words = nil
	}
	for _, it := range reg {
		text := strings.ToLower(strings.Join([]string{it.ID, it.Title, it.DocumentID, it.Version, it.Location, string(it.Kind), string(it.Owner)}, " "))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			found = append(found, it)
		}
	}
	switch {
	case len(found) == 0 && len(reg) == 0:
		s.say("The register is empty; new adds an entry.")
		return nil
	case len(found) == 0:
		s.say("No evidence matches %q.", line(in))
		return nil
	case len(found) > maxListed:
		s.say("%s; the first %d are read. More words narrow the search.", matches(len(found), "piece", "pieces", in), maxListed)
		found = found[:maxListed]
	case words == nil:
		s.say("The register:")
	default:
		s.say("%s", matches(len(found), "piece", "pieces", in))
	}
	list := func() {
		for i, it := range found {
			s.say("  %d. %s", i+1, itemText(it))
		}
	}
	list()
	n, err := s.pick(len(found), 0, "Choose the evidence to link to "+line(control)+".", list, "for none")
	if err != nil || n == 0 {
		return err
	}
	return s.linkTo(control, found[n-1])
}

// linkTo asks for the link's note and links the piece to the control; a
// piece linked already takes the new note.
func (s *session) linkTo(control string, it model.EvidenceItem) error {
	links := s.a.Answer(control).Links
	cur := ""
	if i := slices.IndexFunc(links, func(l model.EvidenceLink) bool { return l.Entry == it.ID }); i >= 0 {
		cur = links[i].Note
		s.say("%s links to %s already; its note can be changed.", line(control), line(it.ID))
	}
	note, err := s.text("Note on the link", cur, false, "The section of the document that applies, for example section 4.2; optional.", limit("link note", model.MaxTextBytes))
	if err != nil {
		return err
	}
	a, err := s.cfg.Store.Link(s.a.ID, it.ID, []string{control}, note)
	s.saved(a, err, fmt.Sprintf("%s linked to %s %s", line(control), line(it.ID), line(it.Title)))
	return nil
}

// newEntry adds an entry to the register and links the control to it.
func (s *session) newEntry(control string) error {
	s.say("New evidence entry, %s in the register, for %s.", model.EntryID(s.a.RegisterIssued+1), line(control))
	defer s.filling("the new evidence entry for " + line(control))()
	var e model.EvidenceEntry
	if err := s.entryFields(&e); err != nil {
		return err
	}
	a, err := s.cfg.Store.AddEntry(s.a.ID, e)
	if !s.saved(a, err, "evidence "+model.EntryID(a.RegisterIssued)+" "+line(e.Title)+" added to the register") {
		return nil
	}
	id := a.Register[len(a.Register)-1].ID
	a, err = s.cfg.Store.Link(s.a.ID, id, []string{control}, "")
	s.saved(a, err, line(control)+" linked to "+id)
	return nil
}

// entryFields asks a register entry's fields in turn, each showing what
// it holds (a new entry's are empty).
func (s *session) entryFields(e *model.EvidenceEntry) error {
	var err error
	fields := []struct {
		label, help string
		v           *string
	}{
		{"Title", "What the document is called, for example OQ report.", &e.Title},
		{"Document id", "Its number in your document management system.", &e.DocumentID},
		{"Version", "Its version.", &e.Version},
	}
	for i, f := range fields {
		if *f.v, err = s.text(f.label, *f.v, i == 0, f.help, limit("evidence "+strings.ToLower(f.label), model.MaxTextBytes)); err != nil {
			return err
		}
	}
	if e.Date, err = s.date("Date", e.Date, false, "The document's date."); err != nil {
		return err
	}
	if e.Location, err = s.text("Location", e.Location, false, "Where to find it: a path, a URL or a shelf.", limit("evidence location", model.MaxTextBytes)); err != nil {
		return err
	}
	owners := []model.Supplier{model.SupplierCustomer, model.SupplierAWS, model.SupplierThirdParty}
	s.say("Owner, who supplies it:")
	i, err := s.choose([]string{"customer", "aws", "third-party"}, max(1, slices.Index(owners, e.Owner)+1), "Who supplies the document: you, AWS, or a third party.")
	if err != nil {
		return err
	}
	e.Owner = owners[i-1]
	s.say("Kind:")
	kinds := make([]string, len(model.DocKinds))
	for i, k := range model.DocKinds {
		kinds[i] = strings.ReplaceAll(string(k), "-", " ")
	}
	def := len(kinds)
	if at := slices.Index(model.DocKinds, e.Kind); at >= 0 {
		def = at + 1
	}
	k, err := s.choose(kinds, def, "What kind of document it is; a report covers a period.")
	if err != nil {
		return err
	}
	e.Kind = model.DocKinds[k-1]
	if e.Kind == model.DocReport {
		if e.PeriodStart, err = s.date("Period start", e.PeriodStart, false, "The first day the report covers."); err != nil {
			return err
		}
		if e.PeriodEnd, err = s.date("Period end", e.PeriodEnd, false, "The last day the report covers."); err != nil {
			return err
		}
	} else {
		e.PeriodStart, e.PeriodEnd = "", "" // only a report covers a period
	}
	e.ValidUntil, err = s.date("Valid until", e.ValidUntil, false, "When it is due for review or replacement; after it, the entry and every control relying on it are stale.")
	return err
}

// unlinkEvidence removes one of a control's links, chosen by number; the
// entry stays in the register.
func (s *session) unlinkEvidence(control string) error {
	links := s.a.Answer(control).Links
	if len(links) == 0 {
		s.say("%s links to no evidence.", line(control))
		return nil
	}
	s.say("Evidence linked to %s:", line(control))
	list := func() {
		for i, l := range links {
			text := line(l.Entry)
			if i := slices.IndexFunc(s.review.Register, func(it model.EvidenceItem) bool { return it.ID == l.Entry }); i >= 0 {
				text = itemText(s.review.Register[i])
			}
			s.say("  %d. %s", i+1, text)
		}
	}
	list()
	n, err := s.pick(len(links), 0, "Choose the link to remove; the entry stays in the register, and the audit trail keeps the link.", list, "to remove none")
	if err != nil || n == 0 {
		return err
	}
	a, err := s.cfg.Store.Unlink(s.a.ID, links[n-1].Entry, []string{control})
	s.saved(a, err, line(control)+" unlinked "+line(links[n-1].Entry))
	return nil
}
