package report

import (
	"fmt"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// OSCAL assessment results: one result holding a finding per applicable
// control (satisfied or not, with the implementation status), an
// observation per answered control carrying its evidence references, a
// risk per gap, the assessment log from the audit trail, and the sign-offs
// as attestations. The import-ap points at an assessment plan Onus derives
// from the scope and the catalog, described in back-matter.

type arDoc struct {
	AR arResults `json:"assessment-results"`
}

type arResults struct {
	UUID       string      `json:"uuid"`
	Metadata   oMetadata   `json:"metadata"`
	ImportAP   arImportAP  `json:"import-ap"`
	Results    []arResult  `json:"results"`
	BackMatter oBackMatter `json:"back-matter"`
}

type arImportAP struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

type arResult struct {
	UUID             string          `json:"uuid"`
	Title            string          `json:"title"`
	Description      string          `json:"description"`
	Start            string          `json:"start"`
	End              string          `json:"end,omitempty"`
	Props            []oProp         `json:"props,omitempty"`
	ReviewedControls arReviewed      `json:"reviewed-controls"`
	Attestations     []arAttestation `json:"attestations,omitempty"`
	AssessmentLog    *arLog          `json:"assessment-log,omitempty"`
	Observations     []arObservation `json:"observations,omitempty"`
	Risks            []arRisk        `json:"risks,omitempty"`
	Findings         []arFinding     `json:"findings,omitempty"`
	Remarks          string          `json:"remarks,omitempty"`
}

type arReviewed struct {
	Description       string        `json:"description,omitempty"`
	ControlSelections []arSelection `json:"control-selections"`
}

type arSelection struct {
	Description     string        `json:"description,omitempty"`
	IncludeControls []arControlID `json:"include-controls,omitempty"`
}

type arControlID struct {
	ControlID string `json:"control-id"`
}

type arAttestation struct {
	ResponsibleParties []oRespParty `json:"responsible-parties,omitempty"`
	Parts              []arPart     `json:"parts"`
}

type arPart struct {
	UUID  string  `json:"uuid,omitempty"`
	Name  string  `json:"name"`
	NS    string  `json:"ns,omitempty"`
	Title string  `json:"title,omitempty"`
	Props []oProp `json:"props,omitempty"`
	Prose string  `json:"prose,omitempty"`
}

type arLog struct {
	Entries []arLogEntry `json:"entries"`
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
}

type arObservation struct {
	UUID             string       `json:"uuid"`
	Title            string       `json:"title,omitempty"`
	Description      string       `json:"description"`
	Props            []oProp      `json:"props,omitempty"`
	Methods          []string     `json:"methods"`
	Types            []string     `json:"types,omitempty"`
	RelevantEvidence []arEvidence `json:"relevant-evidence,omitempty"`
	Collected        string       `json:"collected"`
	Remarks          string       `json:"remarks,omitempty"`
}

type arEvidence struct {
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
	Characterization []arCharact `json:"characterizations,omitempty"`
	RelatedObs       []arRelObs  `json:"related-observations,omitempty"`
	Remarks          string      `json:"remarks,omitempty"`
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
func OSCALAssessmentResults(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in)
	a := f.a
	id := newIDs(a.ID)
	book := newPartyBook(id)
	asOf := oscalTime(f.asOf, a.CreatedAt)
	start := oscalTime(a.CreatedAt, f.asOf)

	name := oneLine(a.Name, oneLine(a.ID, "Onus assessment"))
	planUUID := id.of("plan", documentSeed(f))
	catRes := catalogResource(id, f.cat)

	customer := book.customer(a.Organisation)
	awsParty := book.aws()
	var assessors []string
	if a.CreatedBy != "" {
		assessors = append(assessors, book.person(a.CreatedBy))
	}

	meta := oMetadata{
		Title:        "Assessment results: " + name,
		LastModified: asOf,
		Version:      documentVersion(a, in.Trail),
		OSCALVersion: OSCALVersion,
		Props: []oProp{
			prop("assessment-id", a.ID),
			prop("workflow", string(a.Workflow)),
			prop("gxp-impact", string(a.Scope.Impact)),
			prop("catalog-version", f.cat.Version),
			prop("sign-off-status", f.id.SignOff),
		},
		Roles: []oRole{
			{ID: "assessor", Title: "Assessor", Description: "Runs the shared-responsibility assessment and records the answers."},
			{ID: "approver", Title: "Approver", Description: "Signs the assessment off at a workflow step."},
			{ID: "provider", Title: "Cloud service provider", Description: "AWS: responsible for security and compliance of the cloud."},
			{ID: "customer", Title: "Customer", Description: "The regulated company: responsible for security and compliance in the cloud."},
		},
		Remarks: "Assessment " + a.Name + "\nOrganisation: " + a.Organisation + "\nSystem: " + a.System +
			"\nData classification: " + a.Scope.DataClassification,
	}
	if f.cat.Hash != "" {
		meta.Props = append(meta.Props, prop("catalog-sha256", f.cat.Hash))
	}
	if head := model.Head(in.Trail); head != "" {
		meta.Props = append(meta.Props, prop("audit-trail-head", head),
			prop("audit-trail-verified", fmt.Sprint(model.VerifyChain(in.Trail) == nil)))
	}

	res := arResult{
		UUID:  id.of("result", documentSeed(f)),
		Title: "Shared-responsibility assessment: " + name,
		Description: fmt.Sprintf("Who is responsible for each applicable GxP control of %s on AWS and who supplies the evidence, as of %s: "+
			"%d of %d applicable controls answered.", name, dateTime(f.asOf), f.review.Answered, len(f.rows)),
		Start: start,
		End:   asOf,
		Props: []oProp{
			prop("answered", fmt.Sprint(f.review.Answered)),
			prop("applicable", fmt.Sprint(len(f.rows))),
		},
	}
	if len(f.rows) == 0 {
		res.ReviewedControls = arReviewed{ControlSelections: []arSelection{{Description: "No control of the catalog applies to this scope."}}}
	} else {
		sel := arSelection{Description: "The controls of the catalog that apply to the assessment's scope and services."}
		sel.IncludeControls = make([]arControlID, len(f.rows))
		for i, r := range f.rows {
			sel.IncludeControls[i] = arControlID{ControlID: token(r.Ctrl.ID)}
		}
		res.ReviewedControls = arReviewed{ControlSelections: []arSelection{sel}}
	}

	// Risks first, so findings can point at them.
	riskUUIDs := map[string][]string{}
	for i, g := range f.review.Gaps {
		key := g.Control
		if key == "" {
			key = "source:" + g.Source
		}
		u := id.of("risk", string(g.Kind), key, fmt.Sprint(i))
		title := string(g.Kind) + ": " + oneLine(f.gapSubject(g), "gap")
		r := arRisk{
			UUID:        u,
			Title:       title,
			Description: f.gapSubject(g) + ": " + g.Detail,
			Statement:   riskStatement(g),
			Props:       []oProp{prop("gap-kind", string(g.Kind)), prop("risk-level", string(g.Risk))},
			Status:      "open",
			Characterization: []arCharact{{
				Origin: arOrigin{Actors: []arActor{{Type: "party", ActorUUID: customer}}},
				Facets: []arFacet{{Name: "risk", System: nistNS, Value: string(g.Risk)}},
			}},
		}
		if g.Control != "" {
			riskUUIDs[g.Control] = append(riskUUIDs[g.Control], u)
		}
		res.Risks = append(res.Risks, r)
	}

	for _, r := range f.rows {
		ctrl, ans := r.Ctrl, r.Ans
		var obsUUID string
		if ans.Status != model.StatusUnanswered || len(ans.Evidence) > 0 {
			obsUUID = id.of("observation", ctrl.ID)
			obs := arObservation{
				UUID:        obsUUID,
				Title:       "Answer to " + oneLine(ctrl.ID, "control"),
				Description: observationText(ctrl, ans),
				Props:       []oProp{prop("status", ans.Status.Label())},
				Methods:     []string{"INTERVIEW"},
				Types:       []string{"control-objective"},
				Collected:   oscalTime(ans.UpdatedAt, f.asOf),
			}
			if ans.UpdatedBy != "" {
				obs.Props = append(obs.Props, oProp{Name: "answered-by-party", NS: onusNS, Value: book.person(ans.UpdatedBy)})
			}
			if len(ans.Evidence) > 0 {
				obs.Methods = []string{"EXAMINE", "INTERVIEW"}
			}
			for _, e := range ans.Evidence {
				obs.RelevantEvidence = append(obs.RelevantEvidence, arEvidence{
					Description: evidenceText(e),
					Props:       []oProp{prop("supplier", string(e.Supplier))},
					Remarks:     evidenceRemarks(e),
				})
			}
			res.Observations = append(res.Observations, obs)
		}

		satisfied := ans.Status == model.StatusImplemented || ans.Status == model.StatusNotApplicable
		st := arStatus{State: "not-satisfied", Reason: "fail"}
		if satisfied {
			st = arStatus{State: "satisfied", Reason: "pass"}
		}
		st.Remarks = "Answered " + ans.Status.Label() + "."
		fd := arFinding{
			UUID:        id.of("finding", ctrl.ID),
			Title:       oneLine(ctrl.ID, "control") + " " + oneLine(ctrl.Title, ""),
			Description: ctrl.Title + "\n\n" + ctrl.Question + "\n\n" + r.Res.Reason,
			Props: []oProp{
				responsibilityProp(r.Res.Responsibility),
				prop("criticality", string(ctrl.Criticality)),
				prop("evidence-supplier", suppliersProp(r.Res.Suppliers)),
			},
			Target: arTarget{
				Type:     "objective-id",
				TargetID: token(ctrl.ID),
				Title:    oneLine(ctrl.Title, oneLine(ctrl.ID, "control")),
				Props:    []oProp{prop("status", ans.Status.Label())},
				Status:   st,
			},
		}
		fd.Title = strings.TrimSpace(fd.Title)
		for _, ref := range ctrl.Refs {
			fd.Props = append(fd.Props, prop("framework-reference", ref.String()))
		}
		if s := implState(ans.Status); s != "" {
			fd.Target.ImplementationStatus = &arImplStatus{State: s}
			if ans.Status == model.StatusNotApplicable {
				fd.Target.ImplementationStatus.Remarks = ans.Justification
			}
		}
		if ans.Notes != "" {
			fd.Remarks = ans.Notes
		}
		if obsUUID != "" {
			fd.RelatedObservations = []arRelObs{{ObservationUUID: obsUUID}}
		}
		for _, u := range riskUUIDs[ctrl.ID] {
			fd.RelatedRisks = append(fd.RelatedRisks, arRelRisk{RiskUUID: u})
		}
		res.Findings = append(res.Findings, fd)
	}
	// Risks about a control point back at its observation.
	for i := range res.Risks {
		g := f.review.Gaps[i]
		if g.Control == "" {
			continue
		}
		if ans := a.Answer(g.Control); ans.Status != model.StatusUnanswered || len(ans.Evidence) > 0 {
			res.Risks[i].RelatedObs = []arRelObs{{ObservationUUID: id.of("observation", g.Control)}}
		}
	}

	for i, s := range a.SignOffs {
		signer := book.person(s.By)
		res.Attestations = append(res.Attestations, arAttestation{
			ResponsibleParties: []oRespParty{{RoleID: "approver", PartyUUIDs: []string{signer}}},
			Parts: []arPart{{
				UUID:  id.of("attestation", fmt.Sprint(i), s.By),
				Name:  "attestation",
				NS:    onusNS,
				Title: "Sign-off",
				Props: signatureProps(f.signatureOf(i), prop("signed-at", oscalTime(s.At, f.asOf))),
				Prose: s.By + " (" + s.Role + "), " + s.Meaning + ", at " + oscalTime(s.At, f.asOf),
			}},
		})
	}

	if len(in.Trail) > 0 {
		log := &arLog{}
		for _, e := range in.Trail {
			row := rowOf(e)
			entry := arLogEntry{
				UUID:        id.of("log", fmt.Sprint(e.Seq), e.Hash),
				Title:       oneLine(row.Action, "change") + " " + oneLine(row.Target, ""),
				Description: auditDescription(e),
				Start:       oscalTime(e.Time, f.asOf),
				Props:       []oProp{prop("sequence", row.Seq)},
				LoggedBy:    []arLoggedBy{{PartyUUID: book.person(e.Actor)}},
			}
			entry.Title = strings.TrimSpace(entry.Title)
			if e.Hash != "" {
				entry.Props = append(entry.Props, prop("entry-sha256", e.Hash))
			}
			if e.PrevHash != "" {
				entry.Props = append(entry.Props, prop("previous-sha256", e.PrevHash))
			}
			log.Entries = append(log.Entries, entry)
		}
		res.AssessmentLog = log
	}
	meta.Parties = book.parties
	meta.ResponsibleParties = []oRespParty{{RoleID: "customer", PartyUUIDs: []string{customer}}, {RoleID: "provider", PartyUUIDs: []string{awsParty}}}
	if len(assessors) > 0 {
		meta.ResponsibleParties = append([]oRespParty{{RoleID: "assessor", PartyUUIDs: assessors}}, meta.ResponsibleParties...)
	}

	doc := arDoc{AR: arResults{
		UUID:     id.of("assessment-results", documentSeed(f)),
		Metadata: meta,
		ImportAP: arImportAP{
			Href: "#" + planUUID,
			Remarks: "Onus keeps no separate assessment plan: the plan is the assessment's scope and services applied to the catalog " +
				"(see the back-matter resource this points to).",
		},
		Results: []arResult{res},
		BackMatter: oBackMatter{Resources: []oResource{
			{
				UUID:  planUUID,
				Title: "Derived assessment plan",
				Description: fmt.Sprintf("Scope: GxP impact %s; frameworks %s; multi-tenant %s; open system %s; electronic signatures %s. "+
					"Services: %s. %d of the catalog's %d controls apply.",
					orNone(string(a.Scope.Impact)), strings.Join(f.frameworkNames(), ", "), yesNo(a.Scope.MultiTenant),
					yesNo(a.Scope.OpenSystem), yesNo(a.Scope.ESignatures), servicesText(f), len(f.rows), len(f.cat.Controls)),
				Props: []oProp{prop("assessment-id", a.ID)},
			},
			catRes,
		}},
	}}
	return model.EncodeJSON(doc)
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
	}
	return g.Detail
}

func observationText(ctrl model.Control, ans model.Answer) string {
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

func evidenceRemarks(e model.EvidenceRef) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+": "+v)
		}
	}
	add("Title", e.Title)
	add("Document", e.DocumentID)
	add("Version", e.Version)
	add("Date", e.Date)
	add("Location", e.Location)
	return strings.Join(parts, "\n")
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
