package accessible

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
	"github.com/onus-gxp/onus/store"
)

// home lists the assessments: open one, or create one.
func (s *session) home() error {
	for {
		list, err := s.cfg.Store.List(false)
		if err == nil {
			list, err = s.recount(list)
		}
		if err != nil {
			s.fail("Could not list the assessments", err)
			return err
		}
		s.say("")
		s.say("Assessments: %d.", len(list))
		var opts []string
		for _, a := range list {
			opts = append(opts, fmt.Sprintf("%s, %s, %d of %d questions answered", line(a.Name), a.Workflow, a.Answered, a.Applicable))
		}
		opts = append(opts, "Create a new assessment", "Quit")
		def := 0
		if len(list) == 0 {
			def = 1
		}
		n, err := s.choose(opts, def, "Choose an assessment to open it, or create one.")
		if err != nil {
			return err
		}
		switch {
		case n == len(opts):
			return errQuit
		case n == len(opts)-1:
			err = s.create()
		default:
			err = s.open(list[n-1].ID)
		}
		if err != nil {
			return err
		}
	}
}

// recount has the store count again, once a session, the progress of the
// assessments another catalog counted (store.DB.Recount), so that the
// list reads what each assessment says once opened, and lists them again.
// A failure to count is said and the list read as it is.
func (s *session) recount(list []model.Summary) ([]model.Summary, error) {
	r, ok := s.cfg.Store.(interface{ Recount() (int, error) })
	if !ok || s.recounted || !slices.ContainsFunc(list, func(x model.Summary) bool { return x.CountedOther(s.cat.Hash) }) {
		return list, nil
	}
	s.recounted = true
	n, err := r.Recount()
	if err != nil {
		s.say("The progress below was counted with another catalog than the one in effect, and could not be counted again: %s.", strings.TrimSuffix(line(err.Error()), "."))
	}
	if n == 0 {
		return list, nil
	}
	return s.cfg.Store.List(false)
}

// create asks for a name and creates the assessment, then opens it on
// its scope, as the wizard does.
func (s *session) create() error {
	s.say("")
	s.say("New assessment.")
	name, err := s.text("Name", "", true, "What the assessment is called in lists and reports, for example LIMS on AWS.", limit("name", model.MaxNameBytes))
	if err != nil {
		return err
	}
	a := model.Assessment{Name: name, Scope: model.Scope{Impact: model.ImpactDirect},
		Catalog: model.CatalogRef{Version: s.cat.Version, Hash: s.cat.Hash}}
	a, err = s.cfg.Store.Create(a)
	if !s.saved(a, err, "created "+line(name)) {
		return nil
	}
	return s.assessment(stepScope)
}

// open reads an assessment and shows its steps.
func (s *session) open(id string) error {
	a, err := s.cfg.Store.Get(id)
	if err != nil {
		s.fail("Could not open it", err)
		return nil
	}
	s.set(a)
	s.broken = ""
	if err := s.cfg.Store.Check(id); errors.As(err, new(*store.DamagedError)) {
		s.fail("Could not open it", err)
		return nil
	} else if err != nil {
		s.broken = brokenWhy(id, err)
	}
	if err := s.offerCatalogMove(); err != nil {
		return err
	}
	return s.assessment(0)
}

// brokenWhy says why an assessment that fails its check opens read-only,
// naming the first bad entry and how to go on, as the wizard does.
func brokenWhy(id string, err error) string {
	var ie *store.IntegrityError
	if !errors.As(err, &ie) {
		return "Its integrity could not be checked: " + strings.TrimSuffix(line(err.Error()), ".")
	}
	at := ""
	if ie.Seq > 0 {
		at = fmt.Sprintf(" at entry %d", ie.Seq)
	}
	return fmt.Sprintf("It fails its integrity check%s (%s): onus salvage %s --reason TEXT continues it in a new assessment, and onus verify %s shows why",
		at, strings.TrimSuffix(line(ie.Finding), "."), line(id), line(id))
}

// The steps of an assessment, as the wizard has them.
const (
	stepScope = iota + 1
	stepSupplier
	stepServices
	stepQuestions
	stepReview
	stepExport
	stepRecords
	stepRegister
	stepBack
)

// assessment is the open assessment's steps; first, when not 0, is run
// before the menu. Enter alone goes on to the step after the last one.
func (s *session) assessment(first int) error {
	next := stepScope
	if first != 0 {
		if err := s.step(first); err != nil {
			return err
		}
		next = first + 1
	}
	for {
		rv := s.review
		s.say("")
		s.say("Assessment %s: %s, %d of %d questions answered, %s.", line(s.a.Name), s.a.Workflow, rv.Answered, len(rv.Applicable), gapCount(rv))
		if why := s.readOnly(); why != "" {
			s.say("Read-only. %s.", why)
		}
		opts := []string{
			"Scope: " + s.scopeSummary(),
			"Supplier assessment of AWS: " + s.supplierSummary(),
			fmt.Sprintf("Services: %d selected", len(s.a.Services)),
			fmt.Sprintf("Questions: %d of %d answered", rv.Answered, len(rv.Applicable)),
			"Review: " + gapCount(rv),
			"Export",
			"Record inventory (21 CFR Part 11): " + plural.Count(len(s.a.Records), "data class", "data classes"),
			"Evidence register: " + plural.Count(len(s.a.Register), "entry", "entries"),
			"Back to the list of assessments",
		}
		n, err := s.choose(opts, min(next, stepBack), "The steps of the assessment, in the wizard's order; enter goes on to the next one.")
		if err != nil || n == stepBack {
			return err
		}
		if err := s.step(n); err != nil {
			return err
		}
		next = n + 1
	}
}

// step runs one step. Scope, supplier and services only change the
// assessment, and the menu reads out what they hold: on a read-only
// assessment they say why not instead.
func (s *session) step(n int) error {
	if n <= stepServices && s.refuseEdit() {
		return nil
	}
	switch n {
	case stepScope:
		return s.scope()
	case stepSupplier:
		return s.supplier()
	case stepServices:
		return s.services()
	case stepQuestions:
		return s.questions("")
	case stepReview:
		return s.reviewStep()
	case stepExport:
		return s.export()
	case stepRecords:
		return s.records()
	case stepRegister:
		return s.register()
	}
	return nil
}

// gapCount says how many gaps there are, and how many of high risk.
func gapCount(rv model.Review) string {
	if len(rv.Gaps) == 0 {
		return "no gaps"
	}
	return fmt.Sprintf("%s, %d of high risk", plural.Count(len(rv.Gaps), "gap", "gaps"), rv.RiskCounts[model.RiskHigh])
}

// scopeSummary is the scope in a phrase.
func (s *session) scopeSummary() string {
	sc := s.a.Scope
	parts := []string{string(sc.Impact) + " GxP impact"}
	var flags []string
	for _, f := range scopeFlags {
		if *f.of(&sc) {
			flags = append(flags, strings.ToLower(f.label))
		}
	}
	if len(flags) > 0 {
		parts = append(parts, strings.Join(flags, ", "))
	}
	if n := len(sc.Frameworks); n > 0 {
		parts = append(parts, plural.Count(n, "framework", "frameworks")+" chosen")
	} else {
		parts = append(parts, "the framework editions in force")
	}
	return strings.Join(parts, "; ")
}
