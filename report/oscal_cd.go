package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// OSCAL component definition: the customer responsibility matrix, each
// responsibility stated once. A capability for the whole solution states,
// per applicable control, who carries it and each party's part (the
// engine's resolution). A component per selected service (type "service")
// says who owns each of its layers. Of a control whose share varies
// between the selected services, the capability also names, per share
// (inherited, shared or the customer's), the components of the services
// that have it: each service's share, stated once per control by
// reference, not in a requirement per service. What each party does on a
// layer is said once, in a back-matter resource per layer. The controls
// come from the Onus catalog, carried in back-matter.

type cdDoc struct {
	CD cdDefinition `json:"component-definition"`
}

type cdDefinition struct {
	UUID         string         `json:"uuid"`
	Metadata     oMetadata      `json:"metadata"`
	Components   []cdComponent  `json:"components,omitempty"`
	Capabilities []cdCapability `json:"capabilities,omitempty"`
	BackMatter   oBackMatter    `json:"back-matter"`
}

type cdComponent struct {
	UUID             string      `json:"uuid"`
	Type             string      `json:"type"`
	Title            string      `json:"title"`
	Description      string      `json:"description"`
	Purpose          string      `json:"purpose,omitempty"`
	Props            []oProp     `json:"props,omitempty"`
	ResponsibleRoles []oRespRole `json:"responsible-roles,omitempty"`
	Remarks          string      `json:"remarks,omitempty"`
}

type cdCapability struct {
	UUID                   string           `json:"uuid"`
	Name                   string           `json:"name"`
	Description            string           `json:"description"`
	Props                  []oProp          `json:"props,omitempty"`
	IncorporatesComponents []cdIncorporates `json:"incorporates-components,omitempty"`
	ControlImpls           []cdCtrlImpl     `json:"control-implementations,omitempty"`
}

type cdIncorporates struct {
	ComponentUUID string `json:"component-uuid"`
	Description   string `json:"description"`
}

type cdCtrlImpl struct {
	UUID        string      `json:"uuid"`
	Source      string      `json:"source"`
	Description string      `json:"description"`
	Reqs        []cdImplReq `json:"implemented-requirements"`
}

type cdImplReq struct {
	UUID             string      `json:"uuid"`
	ControlID        string      `json:"control-id"`
	Description      string      `json:"description"`
	Props            []oProp     `json:"props,omitempty"`
	ResponsibleRoles []oRespRole `json:"responsible-roles,omitempty"`
	Remarks          string      `json:"remarks,omitempty"`
}

// OSCALComponentDefinition renders the assessment's customer
// responsibility matrix as an OSCAL component definition.
func OSCALComponentDefinition(in Input) ([]byte, error) {
	return oscalBytes(in, writeComponentDefinition)
}

// writeComponentDefinition writes what OSCALComponentDefinition returns.
func writeComponentDefinition(w io.Writer, in Input) error {
	d, err := newOSCALDoc(in)
	if err != nil {
		return err
	}
	f, id := d.f, d.id
	catRes, catalog, err := catalogDocResource(f.cat, catalogIDs(f.cat))
	if err != nil {
		return err
	}
	source := "#" + catRes.UUID
	provider, customer := oRespRole{RoleID: roleProvider.ID}, oRespRole{RoleID: roleCustomer.ID}
	roles := func(r model.Responsibility) []oRespRole {
		switch r {
		case model.Inherited:
			return []oRespRole{provider}
		case model.Customer:
			return []oRespRole{customer}
		}
		return []oRespRole{provider, customer}
	}

	meta := d.metadata("Customer responsibility matrix", roleProvider, roleCustomer)
	meta.ResponsibleParties = d.organisations()
	meta.Parties = d.book.parties

	layers := map[string]string{} // layer id → its resource
	var resources []oResource
	for _, l := range f.cat.Layers {
		u := id.of("layer", l.ID)
		layers[l.ID] = u
		resources = append(resources, oResource{UUID: u, Title: mdMarkupLine(l.Name, mdMarkupLine(l.ID, "Layer")),
			Description: mdMarkup(layerDuties(l)), Props: []oProp{prop("layer", l.ID)}})
	}

	capability := cdCapability{
		UUID:        id.of("capability", "solution"),
		Name:        oneLine("Shared responsibility: "+d.name, "Shared responsibility"),
		Description: mdMarkup(fmt.Sprintf("%s on AWS: for each applicable control, who carries it across the selected services and what each party does.", d.name)),
	}
	solution := cdCtrlImpl{UUID: id.of("control-implementation", "solution"), Source: source,
		Description: mdMarkup(fmt.Sprintf("The controls of %s version %s that apply to %s, and who carries each one.", f.cat.Name, f.cat.Version, d.name))}
	for _, r := range f.rows {
		share, groups := "uniform", []shareGroup(nil)
		if !uniformShare(r.Res) {
			share, groups = "varies", d.shareGroups(r.Ctrl)
		}
		req := cdImplReq{
			UUID:        id.of("implemented-requirement", "solution", r.Ctrl.ID),
			ControlID:   token(r.Ctrl.ID),
			Description: mdMarkup(r.Res.Reason()),
			Props: append([]oProp{responsibilityProp(r.Res.Responsibility), prop("criticality", string(r.Ctrl.Criticality)),
				prop("evidence-supplier", suppliersProp(r.Res.Suppliers)), prop("service-share", share)}, shareProps(groups)...),
			ResponsibleRoles: roles(r.Res.Responsibility),
		}
		if groups != nil {
			req.Remarks = mdMarkup(shareRemarks(groups))
		}
		solution.Reqs = append(solution.Reqs, req)
	}
	if len(solution.Reqs) > 0 {
		capability.ControlImpls = []cdCtrlImpl{solution}
	}

	var comps []cdComponent
	for _, st := range f.stacks {
		svc := st.Service
		comp := cdComponent{
			UUID:        id.of("component", svc.ID),
			Type:        "service",
			Title:       mdMarkupLine(svc.Name, mdMarkupLine(svc.ID, "Service")),
			Description: mdMarkup(svc.Name + " (" + string(svc.Model) + " service). " + svc.Description),
			Purpose:     mdMarkupLine(fmt.Sprintf("An AWS %s service used by %s.", svc.Model, d.name), "An AWS service."),
			Props: []oProp{
				prop("service-id", svc.ID),
				prop("service-model", string(svc.Model)),
				prop("service-category", string(svc.Category)),
				prop("layers-in-the-cloud", fmt.Sprint(st.Line)),
			},
			ResponsibleRoles: []oRespRole{{RoleID: roleProvider.ID, PartyUUIDs: []string{d.aws}}},
		}
		for _, l := range st.Layers {
			p := prop("layer-owner", string(l.Owner))
			p.Class = token(l.Layer.ID)
			comp.Props = append(comp.Props, p)
		}
		if over := overridesOf(st); over != "" {
			comp.Remarks = mdMarkup(over)
		}
		comps = append(comps, comp)
		capability.IncorporatesComponents = append(capability.IncorporatesComponents,
			cdIncorporates{ComponentUUID: comp.UUID, Description: mdMarkup(svc.Name + " is part of the solution.")})
	}

	doc := cdDoc{CD: cdDefinition{
		UUID:         id.of("component-definition", d.seed),
		Metadata:     meta,
		Components:   comps,
		Capabilities: []cdCapability{capability},
		BackMatter:   oBackMatter{Resources: append([]oResource{catRes}, resources...)},
	}}
	return writeOSCAL(w, doc, splices{catalog})
}

// shareWords names a service's share of a control.
func shareWords(r model.Responsibility) string {
	switch r {
	case model.Inherited:
		return "inherited from AWS"
	case model.Customer:
		return "the customer's"
	case model.Shared:
		return "shared by AWS and the customer"
	}
	return strings.ToLower(r.Label())
}

// layerDuties says what each party does on a layer.
func layerDuties(l model.Layer) string {
	s := l.Name + "."
	if l.Description != "" {
		s += " " + l.Description
	}
	if l.AWSDuty != "" {
		s += "\nAWS's duty: AWS " + l.AWSDuty + "."
	}
	if l.CustomerDuty != "" {
		s += "\nThe customer's duty: " + l.CustomerDuty + "."
	}
	return s
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
