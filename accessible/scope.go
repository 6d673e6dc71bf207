package accessible

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/internal/plural"
	"github.com/onus-gxp/onus/model"
)

// scopeFlags are the scope's yes-or-no questions.
var scopeFlags = []struct {
	label, help string
	of          func(*model.Scope) *bool
}{
	{"Multi-tenant", "The solution serves several tenants whose data, identities and keys must be kept apart.",
		func(s *model.Scope) *bool { return &s.MultiTenant }},
	{"Open system", "As 21 CFR 11.3(b)(9) says: access to the system is not controlled by the people responsible for the content of its records, for example when a third party administers the user accounts. Only an open system brings 21 CFR 11.30.",
		func(s *model.Scope) *bool { return &s.OpenSystem }},
	{"Internet-facing", "Some endpoint (a web front end, an API, a file transfer) can be reached from the public internet. This brings protection of public endpoints, and says nothing about open or closed.",
		func(s *model.Scope) *bool { return &s.InternetFacing }},
	{"Electronic signatures", "Electronic signatures are applied to records. This brings 21 CFR 11.50 to 11.300 and Annex 11 clause 14.",
		func(s *model.Scope) *bool { return &s.ESignatures }},
}

var impactHelp = map[model.GxPImpact]string{
	model.ImpactDirect:   "direct: affects patient safety, product quality or data integrity directly",
	model.ImpactIndirect: "indirect: supports a process that does",
	model.ImpactNone:     "none",
}

var impacts = []model.GxPImpact{model.ImpactDirect, model.ImpactIndirect, model.ImpactNone}

// scope edits the assessment's description and scope, a field at a time;
// each change is saved as it is made.
func (s *session) scope() error {
	for {
		a := &s.a
		sc := a.Scope
		s.say("")
		s.say("Scope of %s: what is assessed, and under which rules. With it, %s apply.", line(a.Name), plural.Count(len(s.review.Applicable), "control", "controls"))
		opts := []string{
			"Name: " + orEmpty(a.Name),
			"Organisation: " + orEmpty(a.Organisation),
			"System: " + orEmpty(a.System),
			"GxP impact: " + string(sc.Impact),
			"Frameworks: " + s.frameworksInEffect(),
		}
		for _, f := range scopeFlags {
			opts = append(opts, f.label+": "+yesNoWord(*f.of(&sc)))
		}
		opts = append(opts, "Data classification: "+orEmpty(sc.DataClassification), "Data categories: "+categories(sc.DataCategories), "Programmes: "+s.programmeNames(sc.Programmes), "Done")
		n, err := s.choose(opts, len(opts), "Choose a field to change it; each change is saved at once.")
		if err != nil || n == len(opts) {
			return err
		}
		if err := s.scopeField(n); err != nil {
			return err
		}
	}
}

// scopeField asks for field n (1-based, as listed) and saves it.
func (s *session) scopeField(n int) error {
	a := &s.a
	in := model.Info{Name: a.Name, Organisation: a.Organisation, System: a.System}
	sc := a.Scope
	sc.Frameworks = slices.Clone(sc.Frameworks)
	sc.DataCategories = slices.Clone(sc.DataCategories)
	sc.Programmes = slices.Clone(sc.Programmes)
	switch n {
	case 1, 2, 3:
		labels := []string{"Name", "Organisation", "System"}
		helps := []string{"What the assessment is called in lists and reports.", "The regulated company.", "The computerised system under assessment."}
		fields := []*string{&in.Name, &in.Organisation, &in.System}
		v, err := s.text(labels[n-1], *fields[n-1], n == 1, helps[n-1], limit(strings.ToLower(labels[n-1]), model.MaxNameBytes))
		if err != nil {
			return err
		}
		if v == *fields[n-1] {
			s.say("Unchanged.")
			return nil
		}
		*fields[n-1] = v
		got, err := s.cfg.Store.UpdateInfo(s.a.ID, in, "")
		s.saved(got, err, strings.ToLower(labels[n-1])+" "+quoted(v))
		return nil
	case 4:
		var opts []string
		for _, im := range impacts {
			opts = append(opts, impactHelp[im])
		}
		s.say("GxP impact, now %s.", sc.Impact)
		i, err := s.choose(opts, slices.Index(impacts, sc.Impact)+1, "How directly the system affects patient safety, product quality or data integrity; it scales the rigour GAMP 5 asks for.")
		if err != nil {
			return err
		}
		sc.Impact = impacts[i-1]
		return s.saveScope(sc, "GxP impact "+string(sc.Impact))
	case 5:
		return s.frameworks(sc)
	case 6, 7, 8, 9:
		f := scopeFlags[n-6]
		s.say("%s. %s", f.label, f.help)
		v, err := s.yesNo(fmt.Sprintf("%s, now %s.", f.label, yesNoWord(*f.of(&sc))), *f.of(&sc))
		if err != nil {
			return err
		}
		*f.of(&sc) = v
		return s.saveScope(sc, strings.ToLower(f.label)+" "+yesNoWord(v))
	case 10:
		v, err := s.text("Data classification", sc.DataClassification, false, "How the data is classified, for example GxP confidential.", limit("data classification", model.MaxNameBytes))
		if err != nil {
			return err
		}
		sc.DataClassification = v
		return s.saveScope(sc, "data classification "+quoted(v))
	case 11:
		return s.dataCategories(sc)
	case 12:
		return s.programmes(sc)
	}
	return nil
}

// saveScope saves a changed scope; an unchanged one is not written.
func (s *session) saveScope(sc model.Scope, what string) error {
	if sameScope(sc, s.a.Scope) {
		s.say("Unchanged.")
		return nil
	}
	a, err := s.cfg.Store.UpdateScope(s.a.ID, sc, "")
	s.saved(a, err, what)
	return nil
}

func sameScope(a, b model.Scope) bool {
	return slices.Equal(a.Frameworks, b.Frameworks) && slices.Equal(a.DataCategories, b.DataCategories) && slices.Equal(a.Programmes, b.Programmes) &&
		a.Impact == b.Impact && a.MultiTenant == b.MultiTenant && a.OpenSystem == b.OpenSystem &&
		a.InternetFacing == b.InternetFacing && a.ESignatures == b.ESignatures && a.DataClassification == b.DataClassification
}

// frameworksInEffect names the editions the assessment answers to.
func (s *session) frameworksInEffect() string {
	var names []string
	for _, f := range s.cat.EditionsInEffect(s.a.Scope) {
		names = append(names, edition(f))
	}
	if len(s.a.Scope.Frameworks) == 0 {
		return "none chosen, so each regulation's edition in force: " + strings.Join(names, ", ")
	}
	return strings.Join(names, ", ")
}

// frameworks picks the framework editions by number.
func (s *session) frameworks(sc model.Scope) error {
	fws := s.cat.Frameworks
	s.say("Frameworks: the regulation editions the controls answer to, one edition of each. With none chosen, each regulation's edition in force applies.")
	list := func() {
		for i, f := range fws {
			s.say("  %d. %s: %s", i+1, edition(f), chosenWord(slices.Contains(sc.Frameworks, f.ID)))
		}
	}
	list()
	ids := func(picked []int) []string {
		var out []string
		for _, i := range picked {
			out = append(out, fws[i-1].ID)
		}
		return out
	}
	picked, changed, err := s.pickSeveral("Type the numbers of the frameworks to choose, separated by spaces; 0 for none; enter keeps the choice:", func() {
		s.say("For example 1 3 chooses the first and the third; 0 chooses none, so that each regulation's edition in force applies.")
		list()
	}, len(fws), func(picked []int) error { return s.cat.CheckFrameworks(ids(picked)) })
	if err != nil || !changed {
		return err
	}
	sc.Frameworks = ids(picked)
	what := "frameworks: none chosen"
	if len(sc.Frameworks) > 0 {
		what = "frameworks " + strings.Join(sc.Frameworks, ", ")
	}
	return s.saveScope(sc, what)
}

// dataCategories picks the kinds of data with obligations of their own.
func (s *session) dataCategories(sc model.Scope) error {
	s.say("Data categories: kinds of data the solution holds that bring obligations of their own, whatever the services.")
	list := func() {
		for i, d := range model.DataCategories {
			s.say("  %d. %s: %s", i+1, d.Label(), map[bool]string{true: "held", false: "not held"}[slices.Contains(sc.DataCategories, d)])
		}
	}
	list()
	picked, changed, err := s.pickSeveral("Type the numbers of the categories held, separated by spaces; 0 for none; enter keeps them:", func() {
		s.say("Health data needs a business associate addendum, personal data a data processing agreement; payment card data makes AWS's PCI DSS attestation relevant.")
		list()
	}, len(model.DataCategories), nil)
	if err != nil || !changed {
		return err
	}
	var cats []model.DataCategory
	for _, i := range picked {
		if d := model.DataCategories[i-1]; !slices.Contains(cats, d) {
			cats = append(cats, d)
		}
	}
	sc.DataCategories = cats
	return s.saveScope(sc, "data categories: "+categories(cats))
}

// programmes picks the compliance programmes beyond GxP, which with the
// data categories decide which AWS reports the assessment needs.
func (s *session) programmes(sc model.Scope) error {
	ps := s.cat.Programmes
	if len(ps) == 0 {
		s.say("Programmes: this catalog names none.")
		return nil
	}
	s.say("Programmes: compliance programmes beyond GxP the solution must meet; with the data categories they decide which AWS reports matter.")
	list := func() {
		for i, p := range ps {
			desc := ""
			if p.Description != "" {
				desc = " (" + line(p.Description) + ")"
			}
			s.say("  %d. %s%s: %s", i+1, line(p.Name), desc, map[bool]string{true: "named", false: "not named"}[slices.Contains(sc.Programmes, p.ID)])
		}
	}
	list()
	picked, changed, err := s.pickSeveral("Type the numbers of the programmes that apply, separated by spaces; 0 for none; enter keeps them:", func() {
		s.say("For example 1 2 names the first two; 0 names none. A programme named makes the AWS reports it needs a gap until recorded on the supplier step.")
		list()
	}, len(ps), nil)
	if err != nil || !changed {
		return err
	}
	var ids []string
	for _, i := range picked {
		ids = append(ids, ps[i-1].ID)
	}
	sc.Programmes = ids
	return s.saveScope(sc, "programmes: "+s.programmeNames(ids))
}

// pickSeveral asks for the numbers of several choices of n, separated by
// spaces, 0 for none; changed is false when enter kept the choice. check,
// if given, refuses a pick with its reason, and the question is asked
// again.
func (s *session) pickSeveral(prompt string, help func(), n int, check func(picked []int) error) (picked []int, changed bool, err error) {
	for {
		in, err := s.ask(prompt, help)
		if err != nil {
			return nil, false, err
		}
		switch in {
		case "":
			s.say("Unchanged.")
			return nil, false, nil
		case "0":
			return nil, true, nil
		}
		picked, err := numbers(in, n)
		if err == nil && check != nil {
			err = check(picked)
		}
		if err != nil {
			s.fail("Not taken", err)
			continue
		}
		return picked, true, nil
	}
}

// programmeNames names programmes by their catalog names.
func (s *session) programmeNames(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	var out []string
	for _, id := range ids {
		if p, ok := s.cat.Programme(id); ok {
			id = p.Name
		}
		out = append(out, line(id))
	}
	return strings.Join(out, ", ")
}

// edition names a framework edition without brackets in brackets, which
// read badly aloud: "EU GMP Annex 11 (Computerised Systems), 2011".
func edition(f model.Framework) string {
	if f.Edition == "" {
		return line(f.Name)
	}
	return line(f.Name + ", " + f.Edition)
}

func categories(cs []model.DataCategory) string {
	if len(cs) == 0 {
		return "none"
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Label())
	}
	return strings.Join(out, ", ")
}

func orEmpty(s string) string {
	if s == "" {
		return "empty"
	}
	return line(s)
}

func quoted(s string) string {
	if s == "" {
		return "cleared"
	}
	return line(s)
}

func yesNoWord(b bool) string { return map[bool]string{true: "yes", false: "no"}[b] }

func chosenWord(b bool) string { return map[bool]string{true: "chosen", false: "not chosen"}[b] }
