package report

import (
	"fmt"

	"github.com/onus-gxp/onus/model"
)

// OSCAL component definition: the customer responsibility matrix. One
// component per selected service (type "service"); for each, the
// applicable controls as implemented requirements with the responsible
// roles (provider = AWS, customer), and one statement per layer the
// control lives on saying who owns that layer for this service.

type cdDoc struct {
	CD cdDefinition `json:"component-definition"`
}

type cdDefinition struct {
	UUID       string        `json:"uuid"`
	Metadata   oMetadata     `json:"metadata"`
	Components []cdComponent `json:"components,omitempty"`
	BackMatter oBackMatter   `json:"back-matter"`
}

type cdComponent struct {
	UUID             string       `json:"uuid"`
	Type             string       `json:"type"`
	Title            string       `json:"title"`
	Description      string       `json:"description"`
	Purpose          string       `json:"purpose,omitempty"`
	Props            []oProp      `json:"props,omitempty"`
	ResponsibleRoles []oRespRole  `json:"responsible-roles,omitempty"`
	ControlImpls     []cdCtrlImpl `json:"control-implementations,omitempty"`
	Remarks          string       `json:"remarks,omitempty"`
}

type cdCtrlImpl struct {
	UUID        string      `json:"uuid"`
	Source      string      `json:"source"`
	Description string      `json:"description"`
	Props       []oProp     `json:"props,omitempty"`
	Reqs        []cdImplReq `json:"implemented-requirements"`
}

type cdImplReq struct {
	UUID             string        `json:"uuid"`
	ControlID        string        `json:"control-id"`
	Description      string        `json:"description"`
	Props            []oProp       `json:"props,omitempty"`
	ResponsibleRoles []oRespRole   `json:"responsible-roles,omitempty"`
	Statements       []cdStatement `json:"statements,omitempty"`
	Remarks          string        `json:"remarks,omitempty"`
}

type cdStatement struct {
	StatementID      string      `json:"statement-id"`
	UUID             string      `json:"uuid"`
	Description      string      `json:"description"`
	Props            []oProp     `json:"props,omitempty"`
	ResponsibleRoles []oRespRole `json:"responsible-roles,omitempty"`
	Remarks          string      `json:"remarks,omitempty"`
}

// OSCALComponentDefinition renders the assessment's customer
// responsibility matrix as an OSCAL component definition.
func OSCALComponentDefinition(in Input) ([]byte, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in)
	a := f.a
	id := newIDs(a.ID)
	book := newPartyBook(id)
	awsParty := book.aws()
	customer := book.customer(a.Organisation)
	catRes := catalogResource(id, f.cat)
	name := oneLine(a.Name, oneLine(a.ID, "Onus assessment"))

	roles := func(r model.Responsibility) []oRespRole {
		prov := oRespRole{RoleID: "provider", PartyUUIDs: []string{awsParty}}
		cust := oRespRole{RoleID: "customer", PartyUUIDs: []string{customer}}
		switch r {
		case model.Inherited:
			return []oRespRole{prov}
		case model.Customer:
			return []oRespRole{cust}
		}
		return []oRespRole{prov, cust}
	}
	ownerRoles := func(o model.Owner) []oRespRole {
		switch o {
		case model.OwnerAWS:
			return roles(model.Inherited)
		case model.OwnerCustomer:
			return roles(model.Customer)
		}
		return roles(model.Shared)
	}

	meta := oMetadata{
		Title:        "Customer responsibility matrix: " + name,
		LastModified: oscalTime(f.asOf, a.CreatedAt),
		Version:      documentVersion(a, in.Trail),
		OSCALVersion: OSCALVersion,
		Props: []oProp{
			prop("assessment-id", a.ID),
			prop("catalog-version", f.cat.Version),
			prop("sign-off-status", f.id.SignOff),
		},
		Roles: []oRole{
			{ID: "provider", Title: "Cloud service provider",
				Description: "AWS: responsible for security and compliance of the cloud; supplies evidence through AWS Artifact reports, documentation and SLAs."},
			{ID: "customer", Title: "Customer",
				Description: "The regulated company: responsible for security and compliance in the cloud; supplies evidence through its life-cycle documents."},
		},
		Remarks: "Assessment " + a.Name + "\nOrganisation: " + a.Organisation + "\nSystem: " + a.System,
	}
	if f.cat.Hash != "" {
		meta.Props = append(meta.Props, prop("catalog-sha256", f.cat.Hash))
	}
	if model.Head(in.Trail) != "" {
		meta.Props = append(meta.Props, prop("audit-trail-head", model.Head(in.Trail)))
	}

	var comps []cdComponent
	for si, st := range f.stacks {
		svc := st.Service
		comp := cdComponent{
			UUID:        id.of("component", svc.ID),
			Type:        "service",
			Title:       oneLine(svc.Name, oneLine(svc.ID, "service")),
			Description: svc.Name + " (" + string(svc.Model) + " service). " + svc.Description,
			Purpose:     fmt.Sprintf("An AWS %s service used by %s.", svc.Model, name),
			Props: []oProp{
				prop("service-id", svc.ID),
				prop("service-model", string(svc.Model)),
				prop("service-category", string(svc.Category)),
				prop("layers-in-the-cloud", fmt.Sprint(st.Line)),
			},
			ResponsibleRoles: []oRespRole{{RoleID: "provider", PartyUUIDs: []string{awsParty}}},
		}
		if over := overridesOf(st); over != "" {
			comp.Remarks = over
		}
		impl := cdCtrlImpl{
			UUID:   id.of("control-implementation", svc.ID),
			Source: "#" + catRes.UUID,
			Description: fmt.Sprintf("The controls of %s version %s that apply to %s, and who carries each one for %s.",
				f.cat.Name, f.cat.Version, name, svc.Name),
		}
		for _, r := range f.rows {
			sr, ok := perService(r.Res, si, svc.ID)
			if !ok || sr.Responsibility == model.NotApplicable {
				continue // the service has none of the control's layers
			}
			req := cdImplReq{
				UUID:             id.of("implemented-requirement", svc.ID, r.Ctrl.ID),
				ControlID:        token(r.Ctrl.ID),
				Description:      r.Ctrl.Title + ": " + responsibilitySentence(sr.Responsibility, svc.Name),
				Props:            []oProp{responsibilityProp(sr.Responsibility), prop("solution-responsibility", string(r.Res.Responsibility))},
				ResponsibleRoles: roles(sr.Responsibility),
				Remarks:          r.Res.Reason,
			}
			for _, ref := range r.Ctrl.Refs {
				req.Props = append(req.Props, prop("framework-reference", ref.String()))
			}
			for _, l := range sr.Layers {
				if !l.Owner.Exists() {
					continue
				}
				stmt := cdStatement{
					StatementID:      token(r.Ctrl.ID + "_smt." + l.Layer.ID),
					UUID:             id.of("statement", svc.ID, r.Ctrl.ID, l.Layer.ID),
					Description:      layerSentence(l),
					Props:            []oProp{responsibilityProp(ownerResponsibility(l.Owner)), prop("layer", l.Layer.ID)},
					ResponsibleRoles: ownerRoles(l.Owner),
				}
				if l.Overridden {
					stmt.Remarks = l.Reason
				}
				req.Statements = append(req.Statements, stmt)
			}
			impl.Reqs = append(impl.Reqs, req)
		}
		if len(impl.Reqs) > 0 {
			comp.ControlImpls = []cdCtrlImpl{impl}
		}
		comps = append(comps, comp)
	}
	meta.Parties = book.parties

	doc := cdDoc{CD: cdDefinition{
		UUID:       id.of("component-definition", documentSeed(f)),
		Metadata:   meta,
		Components: comps,
		BackMatter: oBackMatter{Resources: []oResource{catRes}},
	}}
	return model.EncodeJSON(doc)
}

// perService finds a service's share of a resolution; it is usually at the
// service's own position.
func perService(res model.Resolution, i int, svcID string) (model.ServiceResolution, bool) {
	if i < len(res.PerService) && res.PerService[i].Service == svcID {
		return res.PerService[i], true
	}
	for _, sr := range res.PerService {
		if sr.Service == svcID {
			return sr, true
		}
	}
	return model.ServiceResolution{}, false
}

func ownerResponsibility(o model.Owner) model.Responsibility {
	switch o {
	case model.OwnerAWS:
		return model.Inherited
	case model.OwnerCustomer:
		return model.Customer
	}
	return model.Shared
}

func responsibilitySentence(r model.Responsibility, svc string) string {
	switch r {
	case model.Inherited:
		return "inherited from AWS for " + svc + "; the customer relies on AWS's evidence."
	case model.Customer:
		return "the customer's for " + svc + "; the customer implements and evidences it."
	}
	return "shared for " + svc + ": AWS provides the mechanism, the customer configures and enforces it, and both supply evidence."
}

func layerSentence(l model.StackLayer) string {
	name := l.Layer.Name
	aws, cust := l.Layer.AWSDuty, l.Layer.CustomerDuty
	switch l.Owner {
	case model.OwnerAWS:
		if aws != "" {
			return name + " is AWS's: AWS " + aws + "."
		}
		return name + " is AWS's."
	case model.OwnerCustomer:
		if cust != "" {
			return name + " is the customer's: " + cust + "."
		}
		return name + " is the customer's."
	}
	s := name + " is shared"
	if aws != "" {
		s += ": AWS " + aws
	}
	if cust != "" {
		s += "; the customer: " + cust
	}
	return s + "."
}

func overridesOf(st model.ServiceStack) string {
	s := ""
	for _, l := range st.Layers {
		if !l.Overridden {
			continue
		}
		who := "catalog"
		if l.ByAssessment {
			who = "assessment"
		}
		if s != "" {
			s += "\n"
		}
		s += fmt.Sprintf("%s → %s (%s override): %s", l.Layer.Name, l.Owner.Label(), who, l.Reason)
	}
	return s
}
