package accessible

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
)

var risks = []model.Risk{model.RiskHigh, model.RiskMedium, model.RiskLow}

// nextWorkflow is the step the workflow takes, as in the wizard: between
// draft and in review. Final comes only with a signature, and leaves only
// by a reopening.
var nextWorkflow = map[model.Workflow]model.Workflow{
	model.WorkflowDraft: model.WorkflowInReview, model.WorkflowInReview: model.WorkflowDraft,
}

// reviewStep reads out the progress, the responsibilities, the signatures
// and the gaps by risk, and takes signatures, reopenings and workflow
// steps, each offered only where the workflow's rules allow it.
func (s *session) reviewStep() error {
	for {
		rv := s.review
		s.say("")
		s.say("Review of %s. Workflow: %s. %d of %d questions answered. Responsibility: %d yours, %d shared, %d inherited from AWS.",
			line(s.a.Name), s.a.Workflow, rv.Answered, len(rv.Applicable),
			rv.ByResponsibility[model.Customer], rv.ByResponsibility[model.Shared], rv.ByResponsibility[model.Inherited])
		if why := s.readOnly(); why != "" {
			s.say("Read-only. %s.", why)
		}
		if n := len(s.a.SignOffs); n > 0 {
			s.say("%s:", plural.Count(n, "signature", "signatures"))
			for i, so := range s.a.SignOffs {
				s.say("  %d. %s", i+1, signOffLine(so))
			}
		} else {
			s.say("No signature yet.")
		}
		if len(rv.Gaps) == 0 {
			s.say("No gaps: every applicable control is answered, evidenced and current.")
		} else {
			s.say("Gaps: %d; %d of high risk, %d of medium, %d of low.", len(rv.Gaps), rv.RiskCounts[model.RiskHigh], rv.RiskCounts[model.RiskMedium], rv.RiskCounts[model.RiskLow])
		}
		type choice struct {
			label string
			do    func() error
		}
		var opts []choice
		for _, r := range risks {
			opts = append(opts, choice{fmt.Sprintf("Hear the %s-risk gaps (%d)", r, rv.RiskCounts[r]), func() error { return s.gaps(r) }})
		}
		if s.broken == "" {
			opts = append(opts, choice{"Sign with an SSH key", s.sign})
		}
		if s.canReopen() {
			opts = append(opts, choice{"Reopen, with a reason", s.reopen})
		}
		if s.readOnly() == "" {
			opts = append(opts, choice{"Record a milestone", s.milestone})
		}
		if next := nextWorkflow[s.a.Workflow]; next != "" && s.readOnly() == "" {
			opts = append(opts, choice{fmt.Sprintf("Move the workflow from %s to %s", s.a.Workflow, next), func() error {
				a, err := s.cfg.Store.SetWorkflow(s.a.ID, next, "")
				s.saved(a, err, "workflow "+string(next))
				return nil
			}})
		}
		opts = append(opts, choice{"Export", s.export}, choice{"Back to the assessment", nil})
		labels := make([]string, len(opts))
		for i, o := range opts {
			labels[i] = o.label
		}
		n, err := s.choose(labels, len(opts), "Hear the gaps of one level of risk, and open one to answer it; sign, which alone makes an assessment final; reopen a final or signed one; name a milestone; move the workflow between draft and in review; export.")
		if err != nil || opts[n-1].do == nil {
			return err
		}
		if err := opts[n-1].do(); err != nil {
			return err
		}
	}
}

// canReopen reports whether the assessment can be reopened: it is final,
// or a signature still vouches for it.
func (s *session) canReopen() bool {
	return s.broken == "" && (s.a.Workflow == model.WorkflowFinal ||
		slices.ContainsFunc(s.a.SignOffs, func(so model.SignOff) bool { return so.Signed() && !so.Superseded }))
}

// signOffLine is a signature in a sentence: who, when, what it means, and
// what it signed; or that it is superseded, or no electronic signature.
func signOffLine(so model.SignOff) string {
	by := line(so.By)
	if so.Role != "" {
		by += ", " + line(so.Role)
	}
	text := fmt.Sprintf("%s, %s UTC: %s", by, so.At.UTC().Format("2006-01-02 15:04"), strings.TrimSuffix(line(so.Meaning), "."))
	switch {
	case !so.Signed():
		return text + "; no electronic signature."
	case so.Superseded:
		text = "Superseded by a reopening: " + text
	}
	return fmt.Sprintf("%s; %s, milestone %s, key %s.", text, so.Step, line(so.Milestone), line(so.Key))
}

// gaps lists the gaps of one level of risk, in catalog order; choosing
// one goes to its question, or to the supplier record it is about.
func (s *session) gaps(r model.Risk) error {
	var gs []model.Gap
	for _, g := range s.review.Gaps {
		if g.Risk == r {
			gs = append(gs, g)
		}
	}
	s.say("")
	if len(gs) == 0 {
		s.say("No %s-risk gaps.", r)
		return nil
	}
	s.say("%s-risk gaps: %d.", upperFirst(string(r)), len(gs))
	list := func() {
		for i, g := range gs {
			s.say("  %d. %s", i+1, s.gapText(g))
		}
	}
	list()
	n, err := s.pick(len(gs), 0, "Choose a gap to go to its question, or to the supplier record it is about.", list, "to go back")
	if err != nil || n == 0 {
		return err
	}
	g := gs[n-1]
	if g.Control != "" {
		return s.questions(g.Control)
	}
	if src, ok := s.cat.EvidenceSource(g.Source); ok {
		return s.supplierSource(src)
	}
	return nil
}

// gapText is a gap in a sentence: what it is about, and what is missing.
func (s *session) gapText(g model.Gap) string {
	subject := line(g.Source)
	if c, ok := s.cat.Control(g.Control); ok {
		subject = line(c.ID) + ", " + line(c.Title)
	} else if src, ok := s.cat.EvidenceSource(g.Source); ok {
		subject = line(src.Name)
	}
	if subject == "" {
		return line(g.Detail)
	}
	return subject + ": " + line(g.Detail)
}

// milestone names this point of the audit trail, as the wizard's
// milestone prompt does.
func (s *session) milestone() error {
	s.say("")
	s.say("A milestone names this point of the audit trail (its head hash and time): signatures are made on milestones, and onus diff compares them.")
	name, err := s.text("Milestone name", "", true, "Letters, digits, '.', '_' and '-', for example workshop-2 or v1.0.", func(v string) error {
		if err := model.CheckMilestoneName(v); err != nil {
			return err
		}
		if _, ok := s.a.Milestone(v); ok {
			return fmt.Errorf("there is a milestone %s already", v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	a, err := s.cfg.Store.Milestone(s.a.ID, name)
	s.saved(a, err, "milestone "+line(name))
	return nil
}

// reopen moves a final or signed assessment back to draft, with a
// reason; its signatures become superseded.
func (s *session) reopen() error {
	s.say("")
	s.say("Reopen %s. It moves back to draft so it can change again. Every signature so far is marked superseded: it stays on record, and still verifies against the point it signed.", line(s.a.Name))
	reason, err := s.text("Reason", "", true, "Why it is reopened, recorded in the audit trail, for example: CAPA-12 changes the backup answer.", limit("reason", model.MaxTextBytes))
	if err != nil {
		return err
	}
	a, err := s.cfg.Store.Reopen(s.a.ID, reason)
	s.saved(a, err, "reopened: "+line(reason))
	return nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
