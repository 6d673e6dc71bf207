package report

import (
	"fmt"
	"io"
	"time"

	"github.com/onus-gxp/onus/model"
)

// OSCAL system security plan: the regulated system as a leveraging system
// on AWS, in the form customer responsibility matrix (CRM) aware tools
// read. AWS is a leveraged authorization (the supplier assessment of AWS)
// with a component for AWS as a whole and one per selected service. For
// each applicable control:
//
//   - AWS's by-component exports what AWS provides (export/provided, the
//     resolution's AWSPart) and what it leaves to the customer
//     (export/responsibilities, the CustomerPart), each stated once;
//   - the system inherits what AWS provides and satisfies the customer's
//     responsibility, by reference, through AWS's by-component; when the
//     services' shares of the control differ, that by-component also
//     names, per share (inherited, shared, the customer's), the services'
//     components that have it (per-service resolution, stated once per
//     control rather than in a by-component per service);
//   - this system's by-component is the customer's answer.
//
// The plan imports the assessment's baseline, a profile of the Onus
// catalog carried in its back-matter.

type sspDoc struct {
	SSP sspPlan `json:"system-security-plan"`
}

type sspPlan struct {
	UUID                  string      `json:"uuid"`
	Metadata              oMetadata   `json:"metadata"`
	ImportProfile         oImport     `json:"import-profile"`
	SystemCharacteristics sspChars    `json:"system-characteristics"`
	SystemImplementation  sspImpl     `json:"system-implementation"`
	ControlImplementation sspCtrlImpl `json:"control-implementation"`
	BackMatter            oBackMatter `json:"back-matter"`
}

// oImport is an import of another document: import-ap, import-ssp,
// import-profile.
type oImport struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

type sspChars struct {
	SystemIDs             []sspSystemID `json:"system-ids"`
	SystemName            string        `json:"system-name"`
	Description           string        `json:"description"`
	Props                 []oProp       `json:"props,omitempty"`
	SystemInformation     sspSysInfo    `json:"system-information"`
	Status                sspStatus     `json:"status"`
	AuthorizationBoundary sspDesc       `json:"authorization-boundary"`
}

type sspSystemID struct {
	IdentifierType string `json:"identifier-type,omitempty"`
	ID             string `json:"id"`
}

type sspSysInfo struct {
	InformationTypes []sspInfoType `json:"information-types"`
}

type sspInfoType struct {
	UUID        string  `json:"uuid,omitempty"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Props       []oProp `json:"props,omitempty"`
}

type sspStatus struct {
	State   string `json:"state"`
	Remarks string `json:"remarks,omitempty"`
}

type sspDesc struct {
	Description string `json:"description"`
}

type sspImpl struct {
	LeveragedAuthorizations []sspLeveraged `json:"leveraged-authorizations,omitempty"`
	Users                   []sspUser      `json:"users"`
	Components              []sspComponent `json:"components"`
}

type sspLeveraged struct {
	UUID           string  `json:"uuid"`
	Title          string  `json:"title"`
	Props          []oProp `json:"props,omitempty"`
	PartyUUID      string  `json:"party-uuid"`
	DateAuthorized string  `json:"date-authorized"`
	Remarks        string  `json:"remarks,omitempty"`
}

type sspUser struct {
	UUID        string `json:"uuid"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
}

type sspComponent struct {
	UUID             string      `json:"uuid"`
	Type             string      `json:"type"`
	Title            string      `json:"title"`
	Description      string      `json:"description"`
	Purpose          string      `json:"purpose,omitempty"`
	Props            []oProp     `json:"props,omitempty"`
	Status           sspStatus   `json:"status"`
	ResponsibleRoles []oRespRole `json:"responsible-roles,omitempty"`
	Remarks          string      `json:"remarks,omitempty"`
}

type sspCtrlImpl struct {
	Description             string   `json:"description"`
	ImplementedRequirements []sspReq `json:"implemented-requirements"`
}

type sspReq struct {
	UUID         string      `json:"uuid"`
	ControlID    string      `json:"control-id"`
	Props        []oProp     `json:"props,omitempty"`
	ByComponents []sspByComp `json:"by-components,omitempty"`
}

type sspByComp struct {
	ComponentUUID        string         `json:"component-uuid"`
	UUID                 string         `json:"uuid"`
	Description          string         `json:"description"`
	Props                []oProp        `json:"props,omitempty"`
	ImplementationStatus *arImplStatus  `json:"implementation-status,omitempty"`
	Export               *sspExport     `json:"export,omitempty"`
	Inherited            []sspInherited `json:"inherited,omitempty"`
	Satisfied            []sspSatisfied `json:"satisfied,omitempty"`
	ResponsibleRoles     []oRespRole    `json:"responsible-roles,omitempty"`
	Remarks              string         `json:"remarks,omitempty"`
}

type sspExport struct {
	Provided         []sspProvided       `json:"provided,omitempty"`
	Responsibilities []sspResponsibility `json:"responsibilities,omitempty"`
}

type sspProvided struct {
	UUID             string      `json:"uuid"`
	Description      string      `json:"description"`
	ResponsibleRoles []oRespRole `json:"responsible-roles,omitempty"`
}

type sspResponsibility struct {
	UUID             string      `json:"uuid"`
	ProvidedUUID     string      `json:"provided-uuid,omitempty"`
	Description      string      `json:"description"`
	ResponsibleRoles []oRespRole `json:"responsible-roles,omitempty"`
}

type sspInherited struct {
	UUID         string `json:"uuid"`
	ProvidedUUID string `json:"provided-uuid"`
	Description  string `json:"description"`
}

type sspSatisfied struct {
	UUID               string `json:"uuid"`
	ResponsibilityUUID string `json:"responsibility-uuid"`
	Description        string `json:"description"`
}

// OSCALSystemSecurityPlan renders the assessment as an OSCAL system
// security plan whose by-components carry AWS's export (provided,
// responsibilities) and the customer's inherited and satisfied statements.
func OSCALSystemSecurityPlan(in Input) ([]byte, error) {
	return oscalBytes(in, writeSystemSecurityPlan)
}

// writeSystemSecurityPlan writes what OSCALSystemSecurityPlan returns.
func writeSystemSecurityPlan(w io.Writer, in Input) error {
	d, err := newOSCALDoc(in)
	if err != nil {
		return err
	}
	doc, carried, err := d.ssp()
	if err != nil {
		return err
	}
	return writeOSCAL(w, doc, carried)
}

// ssp builds the system security plan and the splice of the baseline it
// carries.
func (d *oscalDoc) ssp() (sspDoc, splices, error) {
	f, a, id := d.f, d.f.a, d.id
	baseline, carried, err := d.baselineResource()
	if err != nil {
		return sspDoc{}, nil, err
	}
	meta := d.metadata("System security plan", roleProvider, roleCustomer)
	meta.ResponsibleParties = d.organisations()

	system := oneLine(a.System, d.name)
	this := id.of("component", "this-system")
	awsComp := id.of("component", "aws")
	leveraged := id.of("leveraged-authorization", "aws")
	date, dateWhy := d.supplierAssessmentDate()
	external := func(props ...oProp) []oProp {
		return append([]oProp{{Name: "implementation-point", Value: "external"}, {Name: "leveraged-authorization-uuid", Value: leveraged}}, props...)
	}
	provider := []oRespRole{{RoleID: roleProvider.ID, PartyUUIDs: []string{d.aws}}}
	customer := []oRespRole{{RoleID: roleCustomer.ID, PartyUUIDs: []string{d.customer}}}

	comps := []sspComponent{
		{UUID: this, Type: "this-system", Title: mdMarkupLine(system, "This system"),
			Description:      mdMarkup(fmt.Sprintf("%s, the regulated system the assessment %s covers, run by %s on AWS.", system, d.name, orText(a.Organisation, "the customer"))),
			Status:           sspStatus{State: "other", Remarks: mdMarkup("Onus records no operational state; the assessment is " + string(a.Workflow) + ".")},
			ResponsibleRoles: customer},
		{UUID: awsComp, Type: "system", Title: "Amazon Web Services",
			Description: "AWS as a whole, the leveraged system: what it provides toward each control and what it leaves to the customer.",
			Props:       external(), Status: sspStatus{State: "operational"}, ResponsibleRoles: provider},
	}
	for _, st := range f.stacks {
		svc := st.Service
		c := sspComponent{UUID: id.of("component", svc.ID), Type: "service", Title: mdMarkupLine(svc.Name, mdMarkupLine(svc.ID, "Service")),
			Description: mdMarkup(svc.Name + " (" + string(svc.Model) + " service). " + svc.Description),
			Purpose:     mdMarkupLine(fmt.Sprintf("An AWS %s service used by %s.", svc.Model, system), "An AWS service."),
			Props: external(prop("service-id", svc.ID), prop("service-model", string(svc.Model)),
				prop("service-category", string(svc.Category)), prop("layers-in-the-cloud", fmt.Sprint(st.Line))),
			Status: sspStatus{State: "operational"}, ResponsibleRoles: provider,
		}
		if over := overridesOf(st); over != "" {
			c.Remarks = mdMarkup(over)
		}
		comps = append(comps, c)
	}

	impl := sspCtrlImpl{Description: mdMarkup(fmt.Sprintf("How %s meets each control of its baseline: what AWS provides (exported by AWS's component), "+
		"what AWS leaves to the customer (its responsibilities), which of them each service passes on (inherited, satisfied), and the customer's answer (this system).", system))}
	for _, r := range f.rows {
		ctrl, res, ans := r.Ctrl, r.Res, r.Ans
		req := sspReq{UUID: id.of("implemented-requirement", ctrl.ID), ControlID: token(ctrl.ID),
			Props: []oProp{responsibilityProp(res.Responsibility), prop("criticality", string(ctrl.Criticality))}}

		mine := sspByComp{ComponentUUID: this, UUID: id.of("by-component", ctrl.ID, "this-system"), Description: mdMarkup(answerText(ans))}
		if s := implState(ans.Status); s != "" {
			mine.ImplementationStatus = &arImplStatus{State: s}
		}
		if res.CustomerPart != "" {
			mine.ResponsibleRoles = customer
		}
		req.ByComponents = append(req.ByComponents, mine)

		theirs := sspByComp{ComponentUUID: awsComp, UUID: id.of("by-component", ctrl.ID, "aws"), Description: mdMarkup(res.Reason())}
		var export sspExport
		var provided, responsibility string
		if res.AWSPart != "" {
			provided = id.of("provided", ctrl.ID)
			export.Provided = []sspProvided{{UUID: provided, Description: mdMarkup("AWS " + res.AWSPart + "."), ResponsibleRoles: provider}}
		}
		if res.CustomerPart != "" {
			responsibility = id.of("responsibility", ctrl.ID)
			export.Responsibilities = []sspResponsibility{{UUID: responsibility, ProvidedUUID: provided,
				Description: mdMarkup("The customer: " + res.CustomerPart + "."), ResponsibleRoles: customer}}
		}
		if provided != "" || responsibility != "" {
			theirs.Export = &export
		}
		// What the system inherits and satisfies, through AWS as a whole:
		// as every service shares the control, or, when the services'
		// shares differ, from the services that share it that way, named
		// by their components in the by-component's properties.
		inherits, satisfies := res.Responsibility != model.Customer, res.Responsibility != model.Inherited
		inheritedHow, satisfiedHow := "Inherited from AWS.", "Carried by this system: "+answerState(ans)+"."
		if !uniformShare(res) {
			groups := d.shareGroups(ctrl)
			inherits, satisfies = groupHas(groups, model.Inherited, model.Shared), groupHas(groups, model.Shared, model.Customer)
			inheritedHow = "Inherited from AWS by the services whose share is inherited or shared."
			satisfiedHow = "Carried by this system for the services whose share is shared or the customer's: " + answerState(ans) + "."
			theirs.Props = shareProps(groups)
			theirs.Remarks = mdMarkup(shareRemarks(groups))
		}
		if provided != "" && inherits {
			theirs.Inherited = []sspInherited{{UUID: id.of("inherited", ctrl.ID, "aws"), ProvidedUUID: provided, Description: inheritedHow}}
		}
		if responsibility != "" && satisfies {
			theirs.Satisfied = []sspSatisfied{{UUID: id.of("satisfied", ctrl.ID, "aws"), ResponsibilityUUID: responsibility,
				Description: mdMarkup(satisfiedHow)}}
			if s := implState(ans.Status); s != "" {
				theirs.ImplementationStatus = &arImplStatus{State: s}
			}
		}
		req.ByComponents = append(req.ByComponents, theirs)
		impl.ImplementedRequirements = append(impl.ImplementedRequirements, req)
	}
	meta.Parties = d.book.parties

	info := "Records and data the system holds"
	if a.Scope.DataClassification != "" {
		info = a.Scope.DataClassification
	}
	return sspDoc{SSP: sspPlan{
		UUID:          id.of("system-security-plan", d.seed),
		Metadata:      meta,
		ImportProfile: oImport{Href: "#" + baseline.UUID, Remarks: "The assessment's baseline: the controls of the Onus catalog that apply to its scope and services."},
		SystemCharacteristics: sspChars{
			SystemIDs:   []sspSystemID{{IdentifierType: onusNS, ID: oneLine(a.ID, "assessment")}},
			SystemName:  system,
			Description: mdMarkup(fmt.Sprintf("%s, assessed in %s. The AWS services it uses: %s.", system, d.name, servicesText(f))),
			Props:       []oProp{prop("gxp-impact", string(a.Scope.Impact))},
			SystemInformation: sspSysInfo{InformationTypes: []sspInfoType{{
				UUID: id.of("information-type", info), Title: mdMarkupLine(info, "Records"),
				Description: mdMarkup("GxP records and data of " + system + ", classified " + orText(a.Scope.DataClassification, "(not recorded)") + "."),
			}}},
			Status:                sspStatus{State: "other", Remarks: mdMarkup("Onus records no operational state; the assessment is " + string(a.Workflow) + ".")},
			AuthorizationBoundary: sspDesc{Description: mdMarkup(fmt.Sprintf("%s and the AWS services it uses: %s.", system, servicesText(f)))},
		},
		SystemImplementation: sspImpl{
			LeveragedAuthorizations: []sspLeveraged{{UUID: leveraged, Title: "Amazon Web Services: supplier assessment",
				PartyUUID: d.aws, DateAuthorized: date, Remarks: mdMarkup(dateWhy)}},
			Users: []sspUser{{UUID: id.of("user", "system-users"), Title: "Users of " + mdMarkupLine(system, "the system"),
				Description: "Onus records no user types; the system's own life-cycle documents name them."}},
			Components: comps,
		},
		ControlImplementation: impl,
		BackMatter:            oBackMatter{Resources: []oResource{baseline}},
	}}, splices{carried}, nil
}

// supplierAssessmentDate is the date of the leveraged authorization: the
// latest date a piece of AWS evidence was obtained and accepted or
// reviewed, else the assessment's date; and which it is.
func (d *oscalDoc) supplierAssessmentDate() (date, why string) {
	var latest time.Time
	for _, r := range d.f.a.Supplier {
		t, err := time.Parse(time.DateOnly, r.Obtained)
		if err == nil && (r.Status == model.SupplierAccepted || r.Status == model.SupplierReviewed) && t.After(latest) {
			latest = t
		}
	}
	if !latest.IsZero() && latest.Year() >= 1900 && latest.Year() <= 2999 {
		return latest.Format(time.DateOnly), "The date is the latest date AWS evidence that was accepted or reviewed was obtained."
	}
	return oscalTime(d.f.asOf, d.f.a.CreatedAt)[:10], "No AWS evidence has been accepted or reviewed yet; the date is the assessment's."
}

// answerState is where the customer's answer stands, in words.
func answerState(ans model.Answer) string {
	if ans.Status == model.StatusUnanswered {
		return "not yet assessed"
	}
	return "answered " + ans.Status.Label()
}

// answerText is the customer's answer to a control, for people.
func answerText(ans model.Answer) string {
	if ans.Status == model.StatusUnanswered {
		return "Not yet assessed."
	}
	s := "Answered " + ans.Status.Label()
	if ans.UpdatedBy != "" {
		s += " by " + ans.UpdatedBy
	}
	s += "."
	if ans.Justification != "" {
		s += "\nJustification: " + ans.Justification
	}
	if ans.Notes != "" {
		s += "\nNotes: " + ans.Notes
	}
	return s
}
