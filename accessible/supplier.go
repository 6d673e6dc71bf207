package accessible

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onus-gxp/onus/model"
)

// supplier lists the AWS reports with what is recorded of each; choosing
// one records or edits it.
func (s *session) supplier() error {
	for {
		srcs := s.cat.AWSSources()
		s.say("")
		s.say("Supplier assessment of AWS: %s.", s.supplierSummary())
		var opts []string
		for _, src := range srcs {
			opts = append(opts, line(src.Name)+": "+s.recordState(src))
		}
		opts = append(opts, "Done")
		n, err := s.choose(opts, len(opts), "Choose a report from AWS Artifact, or an agreement, to record which copy you obtained and who reviewed it.")
		if err != nil || n == len(opts) {
			return err
		}
		if err := s.supplierSource(srcs[n-1]); err != nil {
			return err
		}
	}
}

// supplierSummary counts the sources recorded and stale.
func (s *session) supplierSummary() string {
	recorded, stale := 0, 0
	for _, src := range s.cat.AWSSources() {
		if r, ok := record(&s.a, src.ID); ok {
			recorded++
			if bad, _ := model.SupplierStale(src, r, s.cfg.Now()); bad {
				stale++
			}
		}
	}
	return fmt.Sprintf("%d of %d sources recorded, %d stale", recorded, len(s.cat.AWSSources()), stale)
}

func record(a *model.Assessment, source string) (model.SupplierRecord, bool) {
	for _, r := range a.Supplier {
		if r.Source == source {
			return r, true
		}
	}
	return model.SupplierRecord{Source: source}, false
}

// recordState is what is recorded of a source, in a phrase, and whether
// it is current.
func (s *session) recordState(src model.EvidenceSource) string {
	r, ok := record(&s.a, src.ID)
	if !ok {
		return "not recorded"
	}
	parts := []string{string(r.Status), "obtained " + r.Obtained}
	switch {
	case r.PeriodStart != "" && r.PeriodEnd != "":
		parts = append(parts, "period "+r.PeriodStart+" to "+r.PeriodEnd)
	case r.PeriodStart != "":
		parts = append(parts, "period from "+r.PeriodStart)
	case r.PeriodEnd != "":
		parts = append(parts, "period to "+r.PeriodEnd)
	}
	if r.Reviewer != "" {
		by := "reviewed by " + line(r.Reviewer)
		if r.ReviewedOn != "" {
			by += " on " + r.ReviewedOn
		}
		parts = append(parts, by)
	}
	if bad, why := model.SupplierStale(src, r, s.cfg.Now()); bad {
		parts = append(parts, "stale: "+why)
	} else {
		parts = append(parts, "current")
	}
	return strings.Join(parts, ", ")
}

// supplierSource records, edits or removes the record of one source.
func (s *session) supplierSource(src model.EvidenceSource) error {
	s.say("")
	s.say("%s: %s.", line(src.Name), s.recordState(src))
	if rule := src.FreshnessRule(); rule != "" {
		s.say("%s", line(rule))
	}
	if s.refuseEdit() {
		return nil
	}
	if _, ok := record(&s.a, src.ID); ok {
		n, err := s.choose([]string{"Edit the record", "Remove the record", "Back"}, 1, "The audit trail keeps a removed record.")
		if err != nil || n == 3 {
			return err
		}
		if n == 2 {
			a, err := s.cfg.Store.RemoveSupplierRecord(s.a.ID, src.ID)
			s.saved(a, err, "removed the record of "+line(src.Name))
			return nil
		}
	}
	return s.supplierForm(src)
}

// supplierForm asks for each field of a source's record in turn, then
// saves it. A record the store refuses is read out, and the form can be
// gone through again with what was typed.
func (s *session) supplierForm(src model.EvidenceSource) error {
	defer s.filling("the record of " + line(src.Name))()
	r, had := record(&s.a, src.ID)
	if !had {
		// A new record is pending: a review is recorded only when it is
		// entered, as in the wizard.
		r.Obtained, r.Status = s.cfg.Now().Format(time.DateOnly), model.SupplierPending
	}
	for {
		var err error
		if r.Obtained, err = s.date("Obtained", r.Obtained, true, "When you obtained this copy."); err != nil {
			return err
		}
		if r.PeriodStart, err = s.date("Period from", r.PeriodStart, false, "The start of the period the report covers, as printed on it; for a certificate, its issue date."); err != nil {
			return err
		}
		for {
			if r.PeriodEnd, err = s.date("Period to", r.PeriodEnd, false, "The end of the period the report covers, as printed on it; for a certificate, its expiry date."); err != nil {
				return err
			}
			if r.PeriodStart == "" || r.PeriodEnd == "" || r.PeriodEnd >= r.PeriodStart {
				break
			}
			s.say("Not taken: the period ends before it starts.")
			r.PeriodEnd = "" // not offered again as the value enter keeps
		}
		if src.Freshness == model.FreshCertificate && src.ValidMonths > 0 {
			if r.Surveillance, err = s.date("Last surveillance audit", r.Surveillance, false, "The date of the certificate's last surveillance or recertification audit, as the certificate or its register shows."); err != nil {
				return err
			}
		}
		if r.Version, err = s.text("Version or report date", r.Version, false, "The report's version or date, to tell this copy from the next.", limit("version", model.MaxTextBytes)); err != nil {
			return err
		}
		if r.Reviewer, err = s.text("Reviewer", r.Reviewer, false, "Who reviewed the report for you.", limit("reviewer", model.MaxNameBytes)); err != nil {
			return err
		}
		var opts []string
		for _, st := range model.SupplierStatuses {
			opts = append(opts, string(st))
		}
		s.say("Status, now %s.", r.Status)
		i, err := s.choose(opts, max(1, slices.Index(model.SupplierStatuses, r.Status)+1), "reviewed, accepted and issues-found say that someone reviewed the report: they need the reviewer and the date of the review.")
		if err != nil {
			return err
		}
		r.Status = model.SupplierStatuses[i-1]
		if r.Status.Claims() {
			if r.ReviewedOn == "" {
				r.ReviewedOn = s.cfg.Now().Format(time.DateOnly)
			}
			if r.ReviewedOn, err = s.date("Reviewed on", r.ReviewedOn, true, "The date of the review."); err != nil {
				return err
			}
		}
		a, err := s.cfg.Store.SetSupplierRecord(s.a.ID, r)
		if s.saved(a, err, "the record of "+line(src.Name)+", "+string(r.Status)) {
			return nil
		}
		again, err := s.yesNo("Go through the record again, with what you typed?", true)
		if err != nil || !again {
			return err
		}
	}
}
