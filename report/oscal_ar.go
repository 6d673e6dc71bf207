package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// OSCAL assessment results: one result holding a finding per answered
// control (satisfied or not, with the implementation status), an
// observation per answered control with its evidence as back-matter
// resources and who answered as its origin, a risk per gap, the assessment
// log from the audit trail, and the sign-offs as attestations by their
// signers. Controls not answered yet are listed as not yet assessed: they
// have no finding and no risk. The import-ap points at the plan the
// assessment implies (oscal_ap.go), carried in back-matter.

type arDoc struct {
	AR arResults `json:"assessment-results"`
}

type arResults struct {
	UUID       string      `json:"uuid"`
	Metadata   oMetadata   `json:"metadata"`
	ImportAP   oImport     `json:"import-ap"`
	Results    []arResult  `json:"results"`
	BackMatter oBackMatter `json:"back-matter"`
}

type arResult struct {
	UUID             string          `json:"uuid"`
	Title            string          `json:"title"`
	Description      string          `json:"description"`
	Start            string          `json:"start"`
	End              string          `json:"end,omitempty"`
	Props            []oProp         `json:"props,omitempty"`
	LocalDefinitions *arLocalDefs    `json:"local-definitions,omitempty"`
	ReviewedControls arReviewed      `json:"reviewed-controls"`
	Attestations     []arAttestation `json:"attestations,omitempty"`
	AssessmentLog    *arLog          `json:"assessment-log,omitempty"`
	Observations     *streamed       `json:"observations,omitempty"` // []arObservation
	Risks            *streamed       `json:"risks,omitempty"`        // []arRisk
	Findings         *streamed       `json:"findings,omitempty"`     // []arFinding
	Remarks          string          `json:"remarks,omitempty"`
}

type arReviewed struct {
	Description       string        `json:"description,omitempty"`
	ControlSelections []arSelection `json:"control-selections"`
}

type arSelection struct {
	Description     string        `json:"description,omitempty"`
	Props           []oProp       `json:"props,omitempty"`
	IncludeControls []arControlID `json:"include-controls,omitempty"`
}

type arLocalDefs struct {
	AssessmentAssets arAssets `json:"assessment-assets"`
}

type arAssets struct {
	AssessmentPlatforms []arPlatform `json:"assessment-platforms"`
}

type arPlatform struct {
	UUID  string  `json:"uuid"`
	Title string  `json:"title,omitempty"`
	Props []oProp `json:"props,omitempty"`
}

type arControlID struct {
	ControlID string `json:"control-id"`
}

type arAttestation struct {
	ResponsibleParties []oRespParty `json:"responsible-parties,omitempty"`
	Parts              []oPart      `json:"parts"`
}

type arLog struct {
	Entries *streamed `json:"entries"` // []arLogEntry
}

type arLogEntry struct {
	UUID        string       `json:"uuid"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	Start       string       `json:"start"`
	Props       []oProp      `json:"props,omitempty"`
	LoggedBy    []arLoggedBy `json:"logged-by,omitempty"`
	Remarks     string       `json:"remarks,omitempty"`
}

type arLoggedBy struct {
	PartyUUID string `json:"party-uuid"`
	RoleID    string `json:"role-id,omitempty"`
}

type arObservation struct {
	UUID             string       `json:"uuid"`
	Title            string       `json:"title,omitempty"`
	Description      string       `json:"description"`
	Props            []oProp      `json:"props,omitempty"`
	Methods          []string     `json:"methods"`
	Types            []string     `json:"types,omitempty"`
	Origins          []arOrigin   `json:"origins,omitempty"`
	RelevantEvidence []arEvidence `json:"relevant-evidence,omitempty"`
	Collected        string       `json:"collected"`
	Remarks          string       `json:"remarks,omitempty"`
}

type arEvidence struct {
	Href        string  `json:"href,omitempty"`
	Description string  `json:"description"`
	Props       []oProp `json:"props,omitempty"`
	Remarks     string  `json:"remarks,omitempty"`
}

type arRisk struct {
	UUID             string      `json:"uuid"`
	Title            string      `json:"title"`
	Description      string      `json:"description"`
	Statement        string      `json:"statement"`
	Props            []oProp     `json:"props,omitempty"`
	Status           string      `json:"status"`
	Origins          []arOrigin  `json:"origins,omitempty"`
	Characterization []arCharact `json:"characterizations,omitempty"`
	RelatedObs       []arRelObs  `json:"related-observations,omitempty"`
	Remarks          string      `json:"remarks,omitempty"`

	// Remediations are the action items about the risk's control (actions.go).
	Remediations []arResponse `json:"remediations,omitempty"`
}

type arCharact struct {
	Origin arOrigin  `json:"origin"`
	Facets []arFacet `json:"facets"`
}

type arOrigin struct {
	Actors []arActor `json:"actors"`
}

type arActor struct {
	Type      string `json:"type"`
	ActorUUID string `json:"actor-uuid"`
	RoleID    string `json:"role-id,omitempty"`
}

type arFacet struct {
	Name   string `json:"name"`
	System string `json:"system"`
	Value  string `json:"value"`
}

type arRelObs struct {
	ObservationUUID string `json:"observation-uuid"`
}

type arRelRisk struct {
	RiskUUID string `json:"risk-uuid"`
}

type arFinding struct {
	UUID                string      `json:"uuid"`
	Title               string      `json:"title"`
	Description         string      `json:"description"`
	Props               []oProp     `json:"props,omitempty"`
	Origins             []arOrigin  `json:"origins,omitempty"`
	Target              arTarget    `json:"target"`
	RelatedObservations []arRelObs  `json:"related-observations,omitempty"`
	RelatedRisks        []arRelRisk `json:"related-risks,omitempty"`
	Remarks             string      `json:"remarks,omitempty"`
}

type arTarget struct {
	Type                 string        `json:"type"`
	TargetID             string        `json:"target-id"`
	Title                string        `json:"title,omitempty"`
	Description          string        `json:"description,omitempty"`
	Props                []oProp       `json:"props,omitempty"`
	Status               arStatus      `json:"status"`
	ImplementationStatus *arImplStatus `json:"implementation-status,omitempty"`
}

type arStatus struct {
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
	Remarks string `json:"remarks,omitempty"`
}

type arImplStatus struct {
	State   string `json:"state"`
	Remarks string `json:"remarks,omitempty"`
}

// OSCALAssessmentResults renders the assessment as OSCAL assessment results.
func OSCALAssessmentResults(in Input) ([]byte, error) { return oscalBytes(in, writeAssessmentResults) }

// writeAssessmentResults writes what OSCALAssessmentResults returns.
func writeAssessmentResults(w io.Writer, in Input) error {
	d, err := newOSCALDoc(in)
	if err != nil {
		return err
	}
	f, a, id, book := d.f, d.f.a, d.id, d.book
	plan, inner, err := d.plan()
	if err != nil {
		return err
	}
	planRes, carried, err := carry(id.of("resource", "assessment-plan", plan.AP.UUID), FileName(a.ID, "oscal-ap"), mediaAP, true, plan, inner)
	if err != nil {
		return err
	}
	planRes.Title = "The assessment plan the assessment implies"
	evidence := f.evidenceBook(id)
	platform := id.of("assessment-platform", "onus")
	byOnus := arOrigin{Actors: []arActor{{Type: "assessment-platform", ActorUUID: platform}}}
	asOf := oscalTime(f.asOf, a.CreatedAt)

	meta := d.metadata("Assessment results", roleAssessor, roleApprover, roleProvider, roleCustomer)
	var assessors, approvers uuidList
	if a.CreatedBy != "" {
		assessors.add(book.person(a.CreatedBy))
	}

	res := arResult{
		UUID:  id.of("result", d.seed),
		Title: mdMarkupLine("Shared-responsibility assessment: "+d.name, "Shared-responsibility assessment"),
		Description: mdMarkup(fmt.Sprintf("Who is responsible for each applicable GxP control of %s on AWS and who supplies the evidence, as of %s: "+
			"%d of %d applicable controls answered; the other %d are not yet assessed.", d.name, dateTime(f.asOf), f.review.Answered, len(f.rows),
			len(f.rows)-f.review.Answered)),
		Start: oscalTime(a.CreatedAt, f.asOf),
		End:   asOf,
		Props: []oProp{
			prop("answered", fmt.Sprint(f.review.Answered)),
			prop("applicable", fmt.Sprint(len(f.rows))),
			prop("not-assessed", fmt.Sprint(len(f.rows)-f.review.Answered)),
		},
		LocalDefinitions: &arLocalDefs{AssessmentAssets: arAssets{AssessmentPlatforms: []arPlatform{{
			UUID: platform, Title: mdMarkupLine("Onus "+f.id.Onus, "Onus"),
			Props: []oProp{prop("onus-version", f.id.Onus)},
		}}}},
		ReviewedControls: d.reviewed(true),
	}
	var notAssessed []string
	for _, r := range f.rows {
		if r.Ans.Status == model.StatusUnanswered {
			notAssessed = append(notAssessed, r.Ctrl.ID)
		}
	}
	if len(notAssessed) > 0 {
		res.Remarks = mdMarkup("Not yet assessed (no finding, no risk): " + strings.Join(notAssessed, ", ") + ".")
	}

	// Risks first, so findings can point at them. A control not answered
	// is not yet assessed: not a risk.
	var long []*streamed
	var risks []arRisk
	var observations []arObservation
	var findings []arFinding
	riskUUIDs := map[string][]string{}
	carriedActions := map[string]bool{}
	for i, g := range f.review.Gaps {
		if g.Kind == model.GapUnanswered {
			continue
		}
		key := g.Control
		if key == "" {
			key = "source:" + g.Source
		}
		u := id.of("risk", string(g.Kind), key, fmt.Sprint(i))
		r := arRisk{
			UUID:        u,
			Title:       mdMarkupLine(string(g.Kind)+": "+f.gapSubject(g), string(g.Kind)),
			Description: mdMarkup(f.gapSubject(g) + ": " + g.Detail),
			Statement:   mdMarkup(riskStatement(g)),
			Props:       []oProp{prop("gap-kind", string(g.Kind)), prop("risk-level", string(g.Risk))},
			Status:      "open",
			Origins:     []arOrigin{byOnus},
			Characterization: []arCharact{{
				Origin: byOnus,
				Facets: []arFacet{{Name: "risk", System: nistNS, Value: string(g.Risk)}},
			}},
		}
		if g.Control != "" {
			riskUUIDs[g.Control] = append(riskUUIDs[g.Control], u)
			r.Remediations = f.remediations(id, book, g.Control, u, carriedActions)
			if ans := f.a.Answer(g.Control); ans.Status != model.StatusUnanswered || len(ans.Links) > 0 {
				r.RelatedObs = []arRelObs{{ObservationUUID: id.of("observation", g.Control)}}
			}
		}
		risks = append(risks, r)
	}
	if rest := unlinkedActions(a.Actions, carriedActions); rest != "" {
		res.Remarks = strings.TrimSpace(res.Remarks + "\n\n" + mdMarkup("Action items no risk carries: "+rest+"."))
	}

	for _, r := range f.rows {
		ctrl, ans := r.Ctrl, r.Ans
		var answeredBy []arActor
		if ans.UpdatedBy != "" {
			who := book.person(ans.UpdatedBy)
			assessors.add(who)
			answeredBy = []arActor{{Type: "party", ActorUUID: who, RoleID: roleAssessor.ID}}
		}
		var obsUUID string
		if ans.Status != model.StatusUnanswered || len(ans.Links) > 0 {
			obsUUID = id.of("observation", ctrl.ID)
			obs := arObservation{
				UUID:        obsUUID,
				Title:       mdMarkupLine("Answer to "+ctrl.ID, "Answer"),
				Description: mdMarkup(observationText(ctrl, ans)),
				Props:       []oProp{prop("status", ans.Status.Label())},
				Methods:     []string{"INTERVIEW"},
				Types:       []string{"control-objective"},
				Collected:   oscalTime(ans.UpdatedAt, f.asOf),
			}
			if len(answeredBy) > 0 {
				obs.Origins = []arOrigin{{Actors: answeredBy}}
			}
			if obs.RelevantEvidence = f.oscalEvidence(evidence, r); len(obs.RelevantEvidence) > 0 {
				obs.Methods = []string{"EXAMINE", "INTERVIEW"}
			}
			observations = append(observations, obs)
		}
		if ans.Status == model.StatusUnanswered {
			continue // not yet assessed: no finding
		}

		satisfied := ans.Status == model.StatusImplemented || ans.Status == model.StatusNotApplicable
		st := arStatus{State: "not-satisfied", Reason: "fail"}
		if satisfied {
			st = arStatus{State: "satisfied", Reason: "pass"}
		}
		st.Remarks = mdMarkup("Answered " + ans.Status.Label() + ".")
		fd := arFinding{
			UUID:        id.of("finding", ctrl.ID),
			Title:       mdMarkupLine(ctrl.ID+" "+ctrl.Title, "Finding"),
			Description: mdMarkup(ctrl.Title + "\n\n" + ctrl.Question + "\n\n" + r.Res.Reason()),
			Props: []oProp{
				responsibilityProp(r.Res.Responsibility),
				prop("criticality", string(ctrl.Criticality)),
				prop("evidence-supplier", suppliersProp(r.Res.Suppliers)),
			},
			Origins: []arOrigin{{Actors: append([]arActor{{Type: "assessment-platform", ActorUUID: platform}}, answeredBy...)}},
			Target: arTarget{
				Type:     "statement-id",
				TargetID: token(ctrl.ID) + "_smt",
				Title:    mdMarkupLine(ctrl.Title, mdMarkupLine(ctrl.ID, "Control")),
				Props:    []oProp{prop("status", ans.Status.Label()), prop("control-id", token(ctrl.ID))},
				Status:   st,
			},
		}
		for _, ref := range ctrl.Refs {
			fd.Props = append(fd.Props, prop("framework-reference", ref.String()))
		}
		if s := implState(ans.Status); s != "" {
			fd.Target.ImplementationStatus = &arImplStatus{State: s}
			if ans.Status == model.StatusNotApplicable {
				fd.Target.ImplementationStatus.Remarks = mdMarkup(ans.Justification)
			}
		}
		if ans.Notes != "" {
			fd.Remarks = mdMarkup(ans.Notes)
		}
		if obsUUID != "" {
			fd.RelatedObservations = []arRelObs{{ObservationUUID: obsUUID}}
		}
		for _, u := range riskUUIDs[ctrl.ID] {
			fd.RelatedRisks = append(fd.RelatedRisks, arRelRisk{RiskUUID: u})
		}
		findings = append(findings, fd)
	}

	for i, s := range a.SignOffs {
		signer := book.person(s.By)
		approvers.add(signer)
		at := oscalTime(s.At, f.asOf)
		props := signatureProps(f.signatureOf(i), prop("signed-at", at), prop("meaning", s.Meaning))
		if s.Role != "" {
			props = append(props, prop("signer-role", s.Role))
		}
		res.Attestations = append(res.Attestations, arAttestation{
			ResponsibleParties: []oRespParty{{RoleID: roleApprover.ID, PartyUUIDs: []string{signer}}},
			Parts: []oPart{{
				UUID:  id.of("attestation", fmt.Sprint(i), s.By),
				Name:  "attestation",
				NS:    onusNS,
				Title: "Sign-off",
				Props: props,
				Prose: mdMarkup(s.By + " (" + s.Role + "), " + s.Meaning + ", at " + at + ". Signature: " + signatureWords(f.signatureOf(i)) + "."),
			}},
		})
	}

	if len(in.Trail) > 0 {
		var entries []arLogEntry
		for _, e := range in.Trail {
			row := rowOf(e)
			entry := arLogEntry{
				UUID:        id.of("log", fmt.Sprint(e.Seq), e.Hash),
				Title:       mdMarkupLine(row.Action+" "+row.Target, "change"),
				Description: mdMarkup(auditDescription(e)),
				Start:       oscalTime(e.Time, f.asOf),
				Props:       []oProp{prop("sequence", row.Seq)},
				LoggedBy:    []arLoggedBy{{PartyUUID: book.person(e.Actor)}},
			}
			if e.Hash != "" {
				entry.Props = append(entry.Props, prop("entry-sha256", e.Hash))
			}
			if e.PrevHash != "" {
				entry.Props = append(entry.Props, prop("previous-sha256", e.PrevHash))
			}
			entries = append(entries, entry)
		}
		res.AssessmentLog = &arLog{Entries: streamOf(&long, entries)}
	}
	res.Observations, res.Risks, res.Findings = streamOf(&long, observations), streamOf(&long, risks), streamOf(&long, findings)
	meta.Parties = book.parties
	meta.ResponsibleParties = d.organisations()
	if len(approvers.uuids) > 0 {
		meta.ResponsibleParties = append([]oRespParty{{RoleID: roleApprover.ID, PartyUUIDs: approvers.uuids}}, meta.ResponsibleParties...)
	}
	if len(assessors.uuids) > 0 {
		meta.ResponsibleParties = append([]oRespParty{{RoleID: roleAssessor.ID, PartyUUIDs: assessors.uuids}}, meta.ResponsibleParties...)
	}

	doc := arDoc{AR: arResults{
		UUID:       id.of("assessment-results", d.seed),
		Metadata:   meta,
		ImportAP:   oImport{Href: "#" + planRes.UUID, Remarks: "The plan the assessment implies: its scope and services applied to the catalog, carried in back-matter."},
		Results:    []arResult{res},
		BackMatter: oBackMatter{Resources: append([]oResource{planRes}, evidence.resources...)},
	}}
	return writeOSCAL(w, doc, splices{carried}, long...)
}

// uuidList lists uuids once each, in the order first added, however many
// times each is added (a person answers many controls).
type uuidList struct {
	uuids []string
	seen  map[string]bool
}

func (l *uuidList) add(u string) {
	if l.seen[u] {
		return
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[u] = true
	l.uuids = append(l.uuids, u)
}

// implState maps an answer to OSCAL's implementation states; a control not
// implemented or not answered has none.
func implState(s model.Status) string {
	switch s {
	case model.StatusImplemented, model.StatusPartial, model.StatusPlanned, model.StatusNotApplicable:
		return string(s)
	}
	return ""
}

func suppliersProp(ss []model.Supplier) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, "+")
}

func riskStatement(g model.Gap) string {
	switch g.Kind {
	case model.GapUnanswered:
		return "The control has not been assessed, so whether it is met is unknown."
	case model.GapNotImplemented:
		return "The control is not implemented: records and decisions it protects are exposed."
	case model.GapOpen:
		return "The control is only partly implemented or planned."
	case model.GapNoEvidence:
		return "The customer carries this control but references no evidence of it."
	case model.GapStaleSupplier:
		return "The AWS evidence on file is out of date."
	case model.GapMissingAWS:
		return "Controls rely on AWS evidence that is not in the supplier assessment."
	case model.GapStaleEvidence:
		return "The control relies on evidence that has gone stale: a report past its period or a document past its review date."
	}
	return g.Detail
}

func observationText(ctrl *model.Control, ans model.Answer) string {
	var b strings.Builder
	b.WriteString(ctrl.Question)
	b.WriteString("\n\nAnswer: " + ans.Status.Label())
	if ans.UpdatedBy != "" {
		b.WriteString(", by " + ans.UpdatedBy)
	}
	b.WriteString(".")
	if ans.Justification != "" {
		b.WriteString("\nJustification: " + ans.Justification)
	}
	if ans.Notes != "" {
		b.WriteString("\nNotes: " + ans.Notes)
	}
	return b.String()
}

func auditDescription(e model.AuditEntry) string {
	row := rowOf(e)
	var b strings.Builder
	b.WriteString(e.Actor + ": " + row.Action + " " + e.Target)
	if row.Change != "" {
		b.WriteString("\nChange: " + row.Change)
	}
	if e.Reason != "" {
		b.WriteString("\nReason: " + e.Reason)
	}
	return b.String()
}

func servicesText(f *facts) string {
	if len(f.a.Services) == 0 {
		return "none selected"
	}
	names := make([]string, len(f.a.Services))
	for i, s := range f.a.Services {
		names[i] = f.serviceName(s.ID)
	}
	return strings.Join(names, ", ")
}

// signatureProps are a sign-off's signature as OSCAL properties: its state,
// and for a signature the key and the trail head it signed.
func signatureProps(s signature, props ...oProp) []oProp {
	props = append(props, prop("signature", string(s.State)))
	if s.State == model.SigUnsigned {
		return props
	}
	props = append(props, prop("signature-key", s.Key))
	if s.Head != "" {
		props = append(props, prop("signed-trail-head", s.Head))
	}
	return props
}
