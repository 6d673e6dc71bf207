package accessible

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
)

var risks = []model.Risk{model.RiskHigh, model.RiskMedium, model.RiskLow}

// nextWorkflow is the step the workflow takes, as in the wizard: draft →
// in review → final → draft.
var nextWorkflow = map[model.Workflow]model.Workflow{
	model.WorkflowDraft: model.WorkflowInReview, model.WorkflowInReview: model.WorkflowFinal, model.WorkflowFinal: model.WorkflowDraft,
}

// reviewStep reads out the progress, the responsibilities and the gaps by
// risk, and takes sign-offs and workflow steps.
func (s *session) reviewStep() error {
	for {
		rv := s.review
		s.say("")
		s.say("Review of %s. Workflow: %s. %d of %d questions answered. Responsibility: %d yours, %d shared, %d inherited from AWS.",
			line(s.a.Name), s.a.Workflow, rv.Answered, len(rv.Applicable),
			rv.ByResponsibility[model.Customer], rv.ByResponsibility[model.Shared], rv.ByResponsibility[model.Inherited])
		if n := len(s.a.SignOffs); n > 0 {
			so := s.a.SignOffs[n-1]
			by := line(so.By)
			if so.Role != "" {
				by += ", " + line(so.Role)
			}
			s.say("%s; the last by %s, %s UTC: %s.", plural(n, "sign-off", "sign-offs"), by, so.At.UTC().Format("2006-01-02 15:04"), line(so.Meaning))
		} else {
			s.say("No sign-off yet.")
		}
		if len(rv.Gaps) == 0 {
			s.say("No gaps: every applicable control is answered, evidenced and current.")
		} else {
			s.say("Gaps: %d; %d of high risk, %d of medium, %d of low.", len(rv.Gaps), rv.RiskCounts[model.RiskHigh], rv.RiskCounts[model.RiskMedium], rv.RiskCounts[model.RiskLow])
		}
		next := nextWorkflow[s.a.Workflow]
		if next == "" {
			next = model.WorkflowInReview
		}
		var opts []string
		for _, r := range risks {
			opts = append(opts, fmt.Sprintf("Hear the %s-risk gaps (%d)", r, rv.RiskCounts[r]))
		}
		opts = append(opts, "Sign off", fmt.Sprintf("Move the workflow from %s to %s", s.a.Workflow, next), "Export", "Back to the assessment")
		n, err := s.choose(opts, len(opts), "Hear the gaps of one level of risk, and open one to answer it; sign off; move the workflow on; export.")
		if err != nil || n == len(opts) {
			return err
		}
		switch {
		case n <= len(risks):
			err = s.gaps(risks[n-1])
		case n == len(risks)+1:
			err = s.signOff()
		case n == len(risks)+2:
			a, serr := s.cfg.Store.SetWorkflow(s.a.ID, next, "")
			s.saved(a, serr, "workflow "+string(next))
		case n == len(risks)+3:
			err = s.export()
		}
		if err != nil {
			return err
		}
	}
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

// signOff records a signature: its meaning and the signer's role.
func (s *session) signOff() error {
	s.say("")
	s.say("Sign off as %s: your name and the time are recorded with what the signature means (21 CFR 11.50).", line(s.cfg.Store.Actor()))
	check := func(v string) error { return model.ValidateSignOff(model.SignOff{Meaning: v}) }
	meaning, err := s.text("Meaning", "", true, "What the signature means, for example: reviewed and approved.", check)
	if err != nil {
		return err
	}
	role, err := s.text("Role", "", false, "Your role, for example QA reviewer.", limit("sign-off role", model.MaxNameBytes))
	if err != nil {
		return err
	}
	a, err := s.cfg.Store.SignOff(s.a.ID, model.SignOff{Meaning: meaning, Role: role})
	s.saved(a, err, "signed: "+line(meaning))
	return nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
