package report

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/onus-gxp/onus/model"
)

// What the OSCAL documents of one assessment share: the roles, the
// metadata, the baseline profile, which controls are stated per service,
// and the evidence as back-matter resources.

var (
	roleAssessor = oRole{ID: "assessor", Title: "Assessor",
		Description: "Runs the shared-responsibility assessment and records the answers."}
	roleApprover = oRole{ID: "approver", Title: "Approver",
		Description: "Signs the assessment off at a workflow step."}
	roleProvider = oRole{ID: "provider", Title: "Cloud service provider",
		Description: "AWS: responsible for security and compliance of the cloud; supplies evidence through AWS Artifact reports, documentation and SLAs."}
	roleCustomer = oRole{ID: "customer", Title: "Customer",
		Description: "The regulated company: responsible for security and compliance in the cloud; supplies evidence through its life-cycle documents."}
)

// oscalDoc holds what every OSCAL document of one assessment is made from.
type oscalDoc struct {
	f        *facts
	id       ids
	book     *partyBook
	aws      string // AWS's party
	customer string // the customer organisation's party
	name     string // the assessment's name on one line
	seed     string // documentSeed: the revision's identity
	// services are the selected services the catalog knows, in the order
	// of the solution's Known: each one's component uuid and name.
	services []docService
}

type docService struct{ id, uuid, name string }

func newOSCALDoc(in Input) (*oscalDoc, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	f := gather(in)
	d := &oscalDoc{f: f, id: newIDs(f.a.ID), seed: documentSeed(f)}
	d.book = newPartyBook(d.id)
	d.customer = d.book.customer(f.a.Organisation)
	d.aws = d.book.aws()
	d.name = oneLine(f.a.Name, oneLine(f.a.ID, "Onus assessment"))
	for _, sel := range f.review.Solution.Known() {
		d.services = append(d.services, docService{id: sel.ID, uuid: d.id.of("component", sel.ID), name: f.serviceName(sel.ID)})
	}
	return d, nil
}

// metadata is a document's metadata, without parties: the caller adds them
// (meta.Parties = d.book.parties) once it has met every person.
func (d *oscalDoc) metadata(title string, roles ...oRole) oMetadata {
	f, a := d.f, d.f.a
	meta := oMetadata{
		Title:        mdMarkupLine(title+": "+d.name, title),
		LastModified: oscalTime(f.asOf, a.CreatedAt),
		Version:      documentVersion(a, f.in.Trail),
		OSCALVersion: OSCALVersion,
		Props: []oProp{
			prop("assessment-id", a.ID),
			prop("workflow", string(a.Workflow)),
			prop("gxp-impact", string(a.Scope.Impact)),
			prop("catalog-version", f.cat.Version),
			prop("sign-off-status", f.id.SignOff),
		},
		Roles: roles,
		Remarks: mdMarkup("Assessment: " + a.Name + "\nOrganisation: " + a.Organisation + "\nSystem: " + a.System +
			"\nData classification: " + a.Scope.DataClassification),
	}
	if f.cat.Hash != "" {
		meta.Props = append(meta.Props, prop("catalog-sha256", f.cat.Hash))
	}
	if head := model.Head(f.in.Trail); head != "" {
		meta.Props = append(meta.Props, prop("audit-trail-head", head),
			prop("audit-trail-verified", fmt.Sprint(f.chainErr() == nil)))
	}
	return meta
}

// organisations names the responsible parties every document has: the
// customer and AWS.
func (d *oscalDoc) organisations() []oRespParty {
	return []oRespParty{{RoleID: roleCustomer.ID, PartyUUIDs: []string{d.customer}}, {RoleID: roleProvider.ID, PartyUUIDs: []string{d.aws}}}
}

// baselineResource carries the assessment's baseline: a profile of the
// Onus catalog selecting the controls that apply to the assessment's scope
// and services, with the catalog in its own back-matter.
func (d *oscalDoc) baselineResource() (oResource, splice, error) {
	f := d.f
	catRes, catalog, err := catalogDocResource(f.cat, catalogIDs(f.cat))
	if err != nil {
		return oResource{}, splice{}, err
	}
	var with []string
	for _, r := range f.rows {
		with = append(with, token(r.Ctrl.ID))
	}
	imp := profImport{Href: "#" + catRes.UUID, IncludeControls: []profSelect{{WithIDs: with}}}
	if len(with) == 0 {
		// A profile selects at least one control; one that applies to
		// nothing selects every control and excludes them all.
		imp = profImport{Href: imp.Href, IncludeAll: &struct{}{}}
		var all []string
		for _, c := range f.cat.Controls {
			all = append(all, token(c.ID))
		}
		if len(all) > 0 {
			imp.ExcludeControls = []profSelect{{WithIDs: all}}
		}
	}
	// The editions in effect, as published profiles of the same catalog.
	var editions []oLink
	for _, fw := range f.cat.EditionsInEffect(f.a.Scope) {
		if len(citing(f.cat, fw.ID)) == 0 {
			continue // no profile of it
		}
		editions = append(editions, oLink{Href: ProfileFileName(f.cat, fw.ID), Rel: "reference", Text: mdMarkupLine(fw.Title(), "Profile")})
	}
	prof := profileDoc{Profile: oscalProfile{
		UUID: d.id.of("profile", f.cat.Version, f.cat.Hash, strings.Join(with, " ")),
		Metadata: oMetadata{
			Links:        editions,
			Title:        mdMarkupLine("Baseline of "+d.name, "Baseline"),
			LastModified: oscalTime(f.asOf, f.a.CreatedAt),
			Version:      documentVersion(f.a, f.in.Trail),
			OSCALVersion: OSCALVersion,
			Props:        append([]oProp{prop("assessment-id", f.a.ID)}, catalogProps(f.cat)...),
			Remarks: mdMarkup(fmt.Sprintf("The %d controls of %s version %s that apply to the assessment's scope and services (frameworks: %s).",
				len(with), f.cat.Name, f.cat.Version, strings.Join(f.frameworkNames(), ", "))),
		},
		Imports:    []profImport{imp},
		Merge:      &profMerge{AsIs: true},
		BackMatter: &oBackMatter{Resources: []oResource{catRes}},
	}}
	r, sp, err := carry(d.id.of("resource", "baseline", prof.Profile.UUID), "baseline.oscal-profile.json", mediaProfile, false,
		prof, splices{catalog})
	r.Title = "The assessment's baseline: a profile of the Onus catalog"
	r.Props = catalogProps(f.cat)
	return r, sp, err
}

// uniformShare reports whether every selected service that takes part in
// a control has the same share of it. Such a control is stated once, for
// the solution (component definition) or for AWS as a whole (system
// security plan); a control whose share varies between the services is
// stated once too, with the services grouped by their share (shareGroups).
func uniformShare(res model.Resolution) bool { return !res.Varies }

// shareOrder is the order share groups are stated in.
var shareOrder = []model.Responsibility{model.Inherited, model.Shared, model.Customer}

// shareGroup is the services that have one share of a control: their
// components (the same uuid in every document) and names, in the order
// of the selection.
type shareGroup struct {
	Share model.Responsibility
	UUIDs []string
	Names []string
}

// shareGroups groups the services that take part in a control whose share
// varies by their share, in shareOrder. Each service is stated once per
// control by a reference to its component, not by a statement of its own,
// so a control costs its groups (at most three) and a reference per
// service, however many services share it alike.
func (d *oscalDoc) shareGroups(ctrl *model.Control) []shareGroup {
	groups := make([]shareGroup, len(shareOrder))
	for i, share := range d.f.review.Solution.Shares(ctrl) {
		for g, want := range shareOrder {
			if share == want {
				groups[g].UUIDs = append(groups[g].UUIDs, d.services[i].uuid)
				groups[g].Names = append(groups[g].Names, d.services[i].name)
			}
		}
	}
	out := groups[:0]
	for g, sg := range groups {
		if len(sg.UUIDs) > 0 {
			sg.Share = shareOrder[g]
			out = append(out, sg)
		}
	}
	return out
}

// shareProps are a control's share groups as properties: per group, the
// services' components, by uuid, separated by spaces, classed by the share.
func shareProps(groups []shareGroup) []oProp {
	var out []oProp
	for _, g := range groups {
		p := prop("service-components", strings.Join(g.UUIDs, " "))
		p.Class = string(g.Share)
		out = append(out, p)
	}
	return out
}

// shareRemarks names each service's share of a control, for people.
func shareRemarks(groups []shareGroup) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = shareWords(g.Share) + ": " + strings.Join(g.Names, ", ")
	}
	return "Each service's share: " + strings.Join(parts, "; ") + "."
}

// groupHas reports whether a group of one of the shares has services.
func groupHas(groups []shareGroup, shares ...model.Responsibility) bool {
	for _, g := range groups {
		if slices.Contains(shares, g.Share) {
			return true
		}
	}
	return false
}

// evidenceBook gives each piece of evidence in the register one
// back-matter resource, however many controls cite it, in the register's
// order (facts.evidenceBook fills it).
type evidenceBook struct {
	id        ids
	resources []oResource
	byKey     map[string]string // register id → resource uuid
}

func newEvidenceBook(id ids) *evidenceBook {
	return &evidenceBook{id: id, byKey: map[string]string{}}
}

// add returns the uuid of the resource for a piece of evidence.
func (b *evidenceBook) add(it model.EvidenceItem) string {
	if u, ok := b.byKey[it.ID]; ok {
		return u
	}
	u := b.id.of("evidence", it.ID)
	r := oResource{
		UUID:     u,
		Title:    mdMarkupLine(it.ID+" "+it.Title, "Evidence"),
		Props:    evidenceProps(it),
		Citation: &oCitation{Text: mdMarkupLine(itemText(it), "Evidence")},
		Remarks:  mdMarkup("Currency: " + currencyText(it) + ".\n\nSupports: " + supportText(it) + "."),
	}
	if it.DocumentID != "" {
		r.DocumentIDs = []oDocumentID{{Scheme: onusNS + "/document-id", Identifier: oneLine(it.DocumentID, "none")}}
	}
	for _, kv := range [][2]string{{"version", it.Version}, {"date", it.Date}, {"location", it.Location}} {
		if kv[1] != "" {
			r.Props = append(r.Props, prop(kv[0], kv[1]))
		}
	}
	if isLink(it.Location) {
		r.RLinks = []oRLink{{Href: it.Location}}
	}
	b.byKey[it.ID] = u
	b.resources = append(b.resources, r)
	return u
}

// isLink reports whether a location is a web or file address a reader can
// follow, rather than a place named in words ("DMS, QA folder").
func isLink(s string) bool {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http" || u.Scheme == "file") && (u.Host != "" || u.Scheme == "file")
}
