package lens

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// Options choose what Export writes.
type Options struct {
	// Frameworks keeps the questions of the controls that cite one of
	// these framework ids, and of those every regulation needs (the GxP
	// baseline, and house controls that cite none). Empty keeps every
	// control.
	Frameworks []string
}

// The choices every exported question offers, one per answer an Onus
// control can have; "not applicable" is the Tool's own question-level
// answer, so it needs no choice.
const (
	ChoiceImplemented = "implemented"
	ChoicePartial     = "partially_implemented"
	ChoicePlanned     = "planned"
	ChoiceNone        = "not_implemented" + NoneSuffix
)

// Export writes the catalog's question set as custom lenses: each domain
// a pillar (split into parts of at most MaxQuestionsPerPillar questions),
// each control a question with a choice per answer and risk rules from
// its criticality. A lens holds at most MaxPillars pillars and
// MaxLensBytes bytes, so a question set larger than that is written as
// several lenses, parts 1 to n. The same catalog and options always give
// the same bytes.
func Export(cat *model.Catalog, opts Options) ([]Lens, error) {
	for _, f := range opts.Frameworks {
		if _, ok := cat.Framework(f); !ok {
			return nil, fmt.Errorf("unknown framework %q", f)
		}
	}
	ids := QuestionIDs(cat)
	var pillars []Pillar
	for _, d := range cat.Domains {
		var questions []Question
		for _, c := range cat.Controls {
			if c.Domain == d.ID && keeps(c, opts.Frameworks) {
				questions = append(questions, question(cat, c, ids[c.ID]))
			}
		}
		pillars = append(pillars, split(d, questions)...)
	}
	if len(pillars) == 0 {
		return nil, fmt.Errorf("no control cites %s", strings.Join(opts.Frameworks, " or "))
	}
	return pack(cat, opts, pillars)
}

// Encode is a lens as the file the Tool imports: indented JSON in field
// order with a final newline, and no export time.
func Encode(l Lens) ([]byte, error) { return model.EncodeJSON(l) }

// keeps reports whether a control belongs to a lens for these frameworks.
func keeps(c model.Control, frameworks []string) bool {
	if len(frameworks) == 0 || c.GxPBaseline || len(c.Refs) == 0 {
		return true
	}
	return slices.ContainsFunc(c.Refs, func(r model.Ref) bool { return slices.Contains(frameworks, r.Framework) })
}

// QuestionIDs gives every control of the catalog its lens question id:
// its own id in the characters an id may hold (GOV-01 is GOV_01),
// lengthened or shortened to fit, and told apart by a hash of the
// control id where two would meet. Import uses it to map an exported
// lens back to its controls.
func QuestionIDs(cat *model.Catalog) map[string]string {
	out := make(map[string]string, len(cat.Controls))
	taken := map[string]bool{}
	for _, c := range cat.Controls {
		id := idChars(c.ID)
		if len(id) < MinIDLength {
			id = "q_" + id
		}
		if len(id) > MaxQuestionIDLength-9 {
			id = id[:MaxQuestionIDLength-9]
		}
		if taken[id] {
			sum := sha256.Sum256([]byte(c.ID))
			id += "_" + hex.EncodeToString(sum[:4])
		}
		taken[id] = true
		out[c.ID] = id
	}
	return out
}

// split makes a domain one pillar, or parts of at most
// MaxQuestionsPerPillar questions each.
func split(d model.Domain, questions []Question) []Pillar {
	if len(questions) == 0 {
		return nil
	}
	base := "onus_" + idChars(d.ID)
	parts := (len(questions) + MaxQuestionsPerPillar - 1) / MaxQuestionsPerPillar
	if parts == 1 {
		return []Pillar{{ID: fitID(base, "", MaxPillarIDLength), Name: fit(d.Name, MaxPillarNameLength), Questions: questions}}
	}
	var out []Pillar
	for i := range parts {
		end := min((i+1)*MaxQuestionsPerPillar, len(questions))
		suffix := fmt.Sprintf(" (%d of %d)", i+1, parts)
		out = append(out, Pillar{
			ID:        fitID(base, fmt.Sprintf("_%d", i+1), MaxPillarIDLength),
			Name:      fit(d.Name, MaxPillarNameLength-len(suffix)) + suffix,
			Questions: questions[i*MaxQuestionsPerPillar : end],
		})
	}
	return out
}

// fitID shortens an id's base so that with its suffix it keeps to max.
func fitID(base, suffix string, max int) string {
	if len(base)+len(suffix) > max {
		base = base[:max-len(suffix)]
	}
	return base + suffix
}

// question is one control as a lens question.
func question(cat *model.Catalog, c model.Control, id string) Question {
	title := c.Question
	if len([]rune(title)) > MaxQuestionTitle {
		title = c.Title
	}
	var desc strings.Builder
	desc.WriteString(c.Question)
	if c.Guidance != "" {
		desc.WriteString("\n\n" + c.Guidance)
	}
	if cited := citations(cat, c); cited != "" {
		desc.WriteString("\n\nCited: " + cited + ".")
	}
	resource := fmt.Sprintf("Onus %s, %s criticality", c.ID, c.Criticality)
	return Question{
		ID:              id,
		Title:           fit(title, MaxQuestionTitle),
		Description:     fit(desc.String(), MaxQuestionDescription),
		HelpfulResource: &Resource{DisplayText: fit(resource, MaxQuestionResource)},
		Choices:         choices(cat, c),
		RiskRules:       riskRules(c.Criticality),
	}
}

// citations are a control's clauses as people cite them.
func citations(cat *model.Catalog, c model.Control) string {
	parts := make([]string, 0, len(c.Refs))
	for _, r := range c.Refs {
		name := r.Framework
		if f, ok := cat.Framework(r.Framework); ok {
			name = f.Name
		}
		parts = append(parts, name+" "+r.Clause)
	}
	return strings.Join(parts, "; ")
}

// choices are the answers an Onus control can have, with what evidences
// them and what to do when they are not given.
func choices(cat *model.Catalog, c model.Control) []Choice {
	part := c.CustomerPart
	if part == "" {
		part = "what the question asks"
	}
	evidence := evidenceNames(cat, c)
	return []Choice{
		{
			ID:              ChoiceImplemented,
			Title:           "Implemented, and the evidence is at hand",
			HelpfulResource: &Resource{DisplayText: fit("Evidence that shows it: "+evidence, MaxChoiceText)},
			ImprovementPlan: &Resource{DisplayText: fit("Implement "+part+", and keep the evidence that shows it: "+evidence, MaxChoiceText)},
		},
		{
			ID:              ChoicePartial,
			Title:           "Partially implemented",
			HelpfulResource: &Resource{DisplayText: "Part of what the control asks is in place, or it is in place without all of its evidence."},
			ImprovementPlan: &Resource{DisplayText: "Record what is missing, who closes the gap and by when, and close it through change control."},
		},
		{
			ID:              ChoicePlanned,
			Title:           "Planned, with an owner and a date",
			HelpfulResource: &Resource{DisplayText: "Not in place yet, but a plan names who implements it and by when."},
			ImprovementPlan: &Resource{DisplayText: "Plan the implementation in your change control: an owner, a date and the evidence it will leave."},
		},
		{
			ID:              ChoiceNone,
			Title:           "None of these: not implemented",
			HelpfulResource: &Resource{DisplayText: "Choose this when the control is neither in place nor planned."},
		},
	}
}

// evidenceNames lists the evidence sources a control names, by party.
func evidenceNames(cat *model.Catalog, c model.Control) string {
	names := func(ids []string) string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			if e, ok := cat.EvidenceSource(id); ok {
				out = append(out, e.Name)
			}
		}
		return strings.Join(out, ", ")
	}
	var parts []string
	if s := names(c.CustomerEvidence); s != "" {
		parts = append(parts, "yours: "+s)
	}
	if s := names(c.AWSEvidence); s != "" {
		parts = append(parts, "from AWS: "+s)
	}
	if len(parts) == 0 {
		return "the records your procedures keep."
	}
	return strings.Join(parts, "; ") + "."
}

// riskRules set a question's risk from its control's criticality: a high
// control not implemented is a high risk and one partly implemented a
// medium risk; a medium control not implemented is a medium risk; a low
// control is a medium risk only when not even partly implemented.
func riskRules(c model.Criticality) []RiskRule {
	switch c {
	case model.CriticalityHigh:
		return []RiskRule{{ChoiceImplemented, NoRisk}, {ChoicePartial, MediumRisk}, {"default", HighRisk}}
	case model.CriticalityLow:
		return []RiskRule{{ChoiceImplemented + " || " + ChoicePartial, NoRisk}, {"default", MediumRisk}}
	}
	return []RiskRule{{ChoiceImplemented, NoRisk}, {"default", MediumRisk}}
}

// pack fills lenses with pillars, at most MaxPillars and MaxLensBytes
// each, then names them.
func pack(cat *model.Catalog, opts Options, pillars []Pillar) ([]Lens, error) {
	var groups [][]Pillar
	var cur []Pillar
	for _, p := range pillars {
		next := append(slices.Clone(cur), p)
		if len(cur) > 0 && (len(next) > MaxPillars || !fits(Lens{SchemaVersion: SchemaVersion, Name: strings.Repeat("n", MaxLensNameLength), Description: strings.Repeat("d", MaxLensDescription), Pillars: next})) {
			groups = append(groups, cur)
			next = []Pillar{p}
		}
		cur = next
	}
	groups = append(groups, cur)
	lenses := make([]Lens, len(groups))
	for i, g := range groups {
		name := fmt.Sprintf("%s %s", cat.Name, cat.Version)
		if len(groups) > 1 {
			name += fmt.Sprintf(" (part %d of %d)", i+1, len(groups))
		}
		lenses[i] = Lens{SchemaVersion: SchemaVersion, Name: fit(name, MaxLensNameLength), Description: fit(description(cat, opts, g, i, len(groups)), MaxLensDescription), Pillars: g}
		if !fits(lenses[i]) {
			return nil, fmt.Errorf("pillar %s alone is larger than %d bytes", g[0].ID, MaxLensBytes)
		}
	}
	return lenses, nil
}

func fits(l Lens) bool {
	b, err := Encode(l)
	return err == nil && len(b) <= MaxLensBytes
}

func description(cat *model.Catalog, opts Options, pillars []Pillar, part, parts int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The shared-responsibility questions of Onus for a regulated (GxP) solution on AWS, from the catalog %q version %s (SHA-256 %s)", cat.Name, cat.Version, cat.Hash)
	if len(opts.Frameworks) > 0 {
		fmt.Fprintf(&b, ", for %s", strings.Join(opts.Frameworks, ", "))
	}
	b.WriteString(". Each pillar is a domain of controls; each question a control, answered implemented, partially implemented, planned or none of these, with the risk its criticality sets.")
	if parts > 1 {
		names := make([]string, len(pillars))
		for i, p := range pillars {
			names[i] = p.Name
		}
		fmt.Fprintf(&b, " Part %d of %d: %s.", part+1, parts, strings.Join(names, "; "))
	}
	return b.String()
}

// FileNames are the files n lenses are written to for the name a user
// gave: the name itself for one lens, and name-1.json to name-n.json for
// parts (gxp-lens.json, or gxp-lens-1.json and gxp-lens-2.json).
func FileNames(name string, n int) []string {
	if n == 1 {
		return []string{name}
	}
	stem, ext := name, ""
	if i := strings.LastIndex(name, "."); i > strings.LastIndexAny(name, `/\`) && i > 0 {
		stem, ext = name[:i], name[i:]
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d%s", stem, i+1, ext)
	}
	return out
}
