package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// OSCAL assessment plan: Onus keeps no plan of its own, so the plan is the
// one the assessment implies: its scope and services applied to the
// catalog. It exists because OSCAL's assessment results must import a
// plan, which must import the system security plan; the assessment results
// carry it in their back-matter.

type apDoc struct {
	AP apPlan `json:"assessment-plan"`
}

type apPlan struct {
	UUID             string      `json:"uuid"`
	Metadata         oMetadata   `json:"metadata"`
	ImportSSP        oImport     `json:"import-ssp"`
	ReviewedControls arReviewed  `json:"reviewed-controls"`
	BackMatter       oBackMatter `json:"back-matter"`
}

// OSCALAssessmentPlan renders the plan the assessment implies: the
// applicable controls, importing the assessment's system security plan.
func OSCALAssessmentPlan(in Input) ([]byte, error) { return oscalBytes(in, writeAssessmentPlan) }

// writeAssessmentPlan writes what OSCALAssessmentPlan returns.
func writeAssessmentPlan(w io.Writer, in Input) error {
	d, err := newOSCALDoc(in)
	if err != nil {
		return err
	}
	doc, carried, err := d.plan()
	if err != nil {
		return err
	}
	return writeOSCAL(w, doc, carried)
}

// plan builds the assessment plan and the splice of the system security
// plan it carries.
func (d *oscalDoc) plan() (apDoc, splices, error) {
	f, a := d.f, d.f.a
	ssp, inner, err := d.ssp()
	if err != nil {
		return apDoc{}, nil, err
	}
	sspRes, carried, err := carry(d.id.of("resource", "system-security-plan", ssp.SSP.UUID), FileName(a.ID, "oscal-ssp"), mediaSSP, true, ssp, inner)
	if err != nil {
		return apDoc{}, nil, err
	}
	sspRes.Title = "The assessment's system security plan"

	meta := d.metadata("Assessment plan", roleAssessor, roleProvider, roleCustomer)
	meta.ResponsibleParties = d.organisations()
	if a.CreatedBy != "" {
		meta.ResponsibleParties = append([]oRespParty{{RoleID: roleAssessor.ID, PartyUUIDs: []string{d.book.person(a.CreatedBy)}}}, meta.ResponsibleParties...)
	}
	meta.Parties = d.book.parties
	meta.Remarks = mdMarkup(fmt.Sprintf("Onus keeps no separate assessment plan: this is the plan the assessment implies. "+
		"Scope: GxP impact %s; frameworks %s; multi-tenant %s; open system %s; electronic signatures %s. "+
		"Services: %s. %d of the catalog's %d controls apply.",
		orNone(string(a.Scope.Impact)), strings.Join(f.frameworkNames(), ", "), yesNo(a.Scope.MultiTenant),
		yesNo(a.Scope.OpenSystem), yesNo(a.Scope.ESignatures), servicesText(f), len(f.rows), len(f.cat.Controls)))

	return apDoc{AP: apPlan{
		UUID:             d.id.of("assessment-plan", d.seed),
		Metadata:         meta,
		ImportSSP:        oImport{Href: "#" + sspRes.UUID},
		ReviewedControls: d.reviewed(false),
		BackMatter:       oBackMatter{Resources: []oResource{sspRes}},
	}}, splices{carried}, nil
}

// reviewed lists the applicable controls; split, it lists those assessed
// (answered) and those not yet assessed apart.
func (d *oscalDoc) reviewed(split bool) arReviewed {
	rows := d.f.rows
	if len(rows) == 0 {
		return arReviewed{ControlSelections: []arSelection{{Description: "No control of the catalog applies to this scope."}}}
	}
	all := arSelection{Description: "The controls of the catalog that apply to the assessment's scope and services."}
	assessed := arSelection{Description: "Assessed: the applicable controls answered.",
		Props: []oProp{prop("assessment-state", "assessed")}}
	open := arSelection{Description: "Not yet assessed: the applicable controls not answered yet. They have no finding.",
		Props: []oProp{prop("assessment-state", "not-assessed")}}
	for _, r := range rows {
		c := arControlID{ControlID: token(r.Ctrl.ID)}
		all.IncludeControls = append(all.IncludeControls, c)
		if r.Ans.Status == model.StatusUnanswered {
			open.IncludeControls = append(open.IncludeControls, c)
		} else {
			assessed.IncludeControls = append(assessed.IncludeControls, c)
		}
	}
	if !split {
		return arReviewed{ControlSelections: []arSelection{all}}
	}
	var sel []arSelection
	for _, s := range []arSelection{assessed, open} {
		if len(s.IncludeControls) > 0 {
			sel = append(sel, s)
		}
	}
	return arReviewed{ControlSelections: sel}
}
