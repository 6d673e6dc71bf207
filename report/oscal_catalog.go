package report

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onus-gxp/onus/model"
)

// The Onus control set as OSCAL: a catalog of every control, grouped by
// domain, and a profile per framework edition selecting the controls that
// cite it. They depend on the catalog alone, so every export of one
// catalog gives the same bytes, and the documents of an assessment can
// carry them (base64 in a back-matter resource) to resolve offline.

type catalogDoc struct {
	Catalog oscalCatalog `json:"catalog"`
}

type oscalCatalog struct {
	UUID       string       `json:"uuid"`
	Metadata   oMetadata    `json:"metadata"`
	Groups     []catGroup   `json:"groups,omitempty"`
	BackMatter *oBackMatter `json:"back-matter,omitempty"`
}

type catGroup struct {
	ID       string       `json:"id,omitempty"`
	Class    string       `json:"class,omitempty"`
	Title    string       `json:"title"`
	Controls []catControl `json:"controls,omitempty"`
}

type catControl struct {
	ID    string  `json:"id"`
	Class string  `json:"class,omitempty"`
	Title string  `json:"title"`
	Props []oProp `json:"props,omitempty"`
	Links []oLink `json:"links,omitempty"`
	Parts []oPart `json:"parts,omitempty"`
}

type profileDoc struct {
	Profile oscalProfile `json:"profile"`
}

type oscalProfile struct {
	UUID       string       `json:"uuid"`
	Metadata   oMetadata    `json:"metadata"`
	Imports    []profImport `json:"imports"`
	Merge      *profMerge   `json:"merge,omitempty"`
	BackMatter *oBackMatter `json:"back-matter,omitempty"`
}

type profImport struct {
	Href            string       `json:"href"`
	IncludeAll      *struct{}    `json:"include-all,omitempty"`
	IncludeControls []profSelect `json:"include-controls,omitempty"`
	ExcludeControls []profSelect `json:"exclude-controls,omitempty"`
}

type profSelect struct {
	WithIDs []string `json:"with-ids"`
}

type profMerge struct {
	AsIs bool `json:"as-is"`
}

// Media types of OSCAL JSON documents, as NIST names them.
const (
	mediaCatalog = "application/oscal.catalog+json"
	mediaProfile = "application/oscal.profile+json"
	mediaSSP     = "application/oscal.ssp+json"
	mediaAP      = "application/oscal.ap+json"
)

// catalogIDs makes the identifiers of the catalog's own documents: stable
// per catalog version and content, whatever the assessment.
func catalogIDs(cat *model.Catalog) ids {
	return ids{ns: uuid5(onusUUIDSpace, "catalog\x00"+cat.Version+"\x00"+cat.Hash)}
}

// OSCALCatalog renders the catalog's controls as an OSCAL catalog: a group
// per domain, in catalog order; per control its question as the statement,
// its guidance, each party's part, its layers, criticality, ALCOA+
// attributes, evidence and automated checks as properties, and a link per
// clause it cites to a back-matter resource naming that clause. Controls
// keep the catalog's ids (as OSCAL tokens), which the assessment's
// documents use as control-ids.
func OSCALCatalog(cat *model.Catalog) ([]byte, error) {
	if cat == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	return oscalDocBytes(catalogDocument(cat), nil)
}

func catalogDocument(cat *model.Catalog) catalogDoc {
	id := catalogIDs(cat)
	clauses := newClauseBook(cat, id)
	meta := oMetadata{
		Title:        mdMarkupLine(cat.Name, "Onus catalog"),
		LastModified: catalogDate(cat),
		Version:      oneLine(cat.Version, "unversioned"),
		OSCALVersion: OSCALVersion,
		Props:        catalogProps(cat),
		Remarks:      mdMarkup(cat.Description),
	}
	doc := catalogDoc{Catalog: oscalCatalog{UUID: id.of("catalog"), Metadata: meta}}

	byDomain := map[string]int{}
	for _, d := range cat.Domains {
		byDomain[d.ID] = len(doc.Catalog.Groups)
		doc.Catalog.Groups = append(doc.Catalog.Groups, catGroup{ID: token(d.ID), Class: "domain", Title: mdMarkupLine(d.Name, mdMarkupLine(d.ID, "Domain"))})
	}
	for _, c := range cat.Controls {
		g, ok := byDomain[c.Domain]
		if !ok { // a domain the catalog does not list: a group of its own
			g = len(doc.Catalog.Groups)
			byDomain[c.Domain] = g
			doc.Catalog.Groups = append(doc.Catalog.Groups, catGroup{ID: token(c.Domain), Class: "domain", Title: mdMarkupLine(c.Domain, "Domain")})
		}
		doc.Catalog.Groups[g].Controls = append(doc.Catalog.Groups[g].Controls, catalogControl(c, clauses))
	}
	if len(clauses.resources) > 0 {
		doc.Catalog.BackMatter = &oBackMatter{Resources: clauses.resources}
	}
	return doc
}

func catalogControl(c model.Control, clauses *clauseBook) catControl {
	cid := token(c.ID)
	ctl := catControl{
		ID:    cid,
		Title: mdMarkupLine(c.Title, mdMarkupLine(c.ID, "Control")),
		Props: []oProp{
			{Name: "label", Value: oneLine(c.ID, cid)},
			prop("criticality", string(c.Criticality)),
		},
	}
	if c.GxPBaseline {
		ctl.Props = append(ctl.Props, prop("gxp-baseline", "true"))
	}
	if c.Procedural {
		ctl.Props = append(ctl.Props, prop("procedural", "true"))
	}
	for _, l := range c.Layers {
		ctl.Props = append(ctl.Props, prop("layer", l))
	}
	for _, a := range c.Alcoa {
		ctl.Props = append(ctl.Props, prop("alcoa", string(a)))
	}
	for _, e := range c.AWSEvidence {
		ctl.Props = append(ctl.Props, prop("aws-evidence", e))
	}
	for _, e := range c.CustomerEvidence {
		ctl.Props = append(ctl.Props, prop("customer-evidence", e))
	}
	for _, k := range c.Checks.Config {
		ctl.Props = append(ctl.Props, prop("aws-config-rule", k))
	}
	for _, k := range c.Checks.SecurityHub {
		ctl.Props = append(ctl.Props, prop("aws-security-hub-control", k))
	}
	for _, k := range c.Checks.Prowler {
		ctl.Props = append(ctl.Props, prop("prowler-check", k))
	}
	for _, r := range c.Refs {
		ctl.Links = append(ctl.Links, oLink{Href: "#" + clauses.uuid(r), Rel: "reference", Text: mdMarkupLine(r.String(), "clause")})
	}
	ctl.Parts = append(ctl.Parts, oPart{ID: cid + "_smt", Name: "statement", Prose: mdMarkup(orText(c.Question, c.Title))})
	if c.Guidance != "" {
		ctl.Parts = append(ctl.Parts, oPart{ID: cid + "_gdn", Name: "guidance", Prose: mdMarkup(c.Guidance)})
	}
	if c.CustomerPart != "" {
		ctl.Parts = append(ctl.Parts, oPart{ID: cid + "_cust", Name: "customer-part", NS: onusNS, Title: "The customer's part", Prose: mdMarkup(c.CustomerPart)})
	}
	if c.AWSPart != "" {
		ctl.Parts = append(ctl.Parts, oPart{ID: cid + "_aws", Name: "aws-part", NS: onusNS, Title: "AWS's part", Prose: mdMarkup("AWS " + c.AWSPart)})
	}
	return ctl
}

// clauseBook gives each framework clause the catalog lists or a control
// cites one back-matter resource, in the catalog's order.
type clauseBook struct {
	cat       *model.Catalog
	id        ids
	resources []oResource
	byRef     map[model.Ref]int
}

func newClauseBook(cat *model.Catalog, id ids) *clauseBook {
	b := &clauseBook{cat: cat, id: id, byRef: map[model.Ref]int{}}
	for _, fw := range cat.Frameworks {
		for _, cl := range fw.Clauses {
			b.uuid(model.Ref{Framework: fw.ID, Clause: cl.ID})
		}
	}
	return b
}

// uuid is the uuid of a clause's resource, made on first use.
func (b *clauseBook) uuid(r model.Ref) string {
	if i, ok := b.byRef[r]; ok {
		return b.resources[i].UUID
	}
	res := oResource{
		UUID:     b.id.of("clause", r.Framework, r.Clause),
		Props:    []oProp{prop("framework", r.Framework), prop("clause", r.Clause)},
		Citation: &oCitation{Text: mdMarkupLine(b.citation(r), "clause")},
	}
	b.byRef[r] = len(b.resources)
	b.resources = append(b.resources, res)
	return res.UUID
}

// citation names a clause as a reader looks it up: "21 CFR Part 11
// (current) 11.10(e): Audit trails".
func (b *clauseBook) citation(r model.Ref) string {
	fw, ok := b.cat.Framework(r.Framework)
	if !ok {
		return r.String()
	}
	s := fw.Title() + " " + r.Clause
	for _, cl := range fw.Clauses {
		if cl.ID == r.Clause && cl.Title != "" {
			s += ": " + cl.Title
		}
	}
	return s
}

// OSCALProfile renders the profile of one framework edition: it imports
// the Onus catalog, carried in its back-matter, and selects the controls
// that cite the edition. An edition no control cites has no profile (see
// ProfileFrameworks).
func OSCALProfile(cat *model.Catalog, frameworkID string) ([]byte, error) {
	if cat == nil {
		return nil, fmt.Errorf("report: no catalog given")
	}
	fw, ok := cat.Framework(frameworkID)
	if !ok {
		return nil, fmt.Errorf("report: the catalog has no framework %q", frameworkID)
	}
	with := citing(cat, fw.ID)
	if len(with) == 0 {
		return nil, fmt.Errorf("report: no control of the catalog cites %s", fw.Title())
	}
	catRes, catalog, err := catalogDocResource(cat, catalogIDs(cat))
	if err != nil {
		return nil, err
	}
	id := catalogIDs(cat)
	props := append(catalogProps(cat), prop("framework", fw.ID), prop("framework-family", fw.FamilyID()))
	if fw.Edition != "" {
		props = append(props, prop("framework-edition", fw.Edition))
	}
	if fw.Draft {
		props = append(props, prop("framework-draft", "true"))
	}
	doc := profileDoc{Profile: oscalProfile{
		UUID: id.of("profile", fw.ID),
		Metadata: oMetadata{
			Title:        mdMarkupLine(cat.Name+": "+fw.Title(), "Onus profile"),
			LastModified: catalogDate(cat),
			Version:      oneLine(cat.Version, "unversioned"),
			OSCALVersion: OSCALVersion,
			Props:        props,
			Remarks: mdMarkup(fmt.Sprintf("The %d controls of %s version %s that cite %s.",
				len(with), cat.Name, cat.Version, fw.Title())),
		},
		Imports:    []profImport{{Href: "#" + catRes.UUID, IncludeControls: []profSelect{{WithIDs: with}}}},
		Merge:      &profMerge{AsIs: true},
		BackMatter: &oBackMatter{Resources: []oResource{catRes}},
	}}
	return oscalDocBytes(doc, splices{catalog})
}

// citing lists, as OSCAL control ids, the controls that cite a framework.
func citing(cat *model.Catalog, frameworkID string) []string {
	var with []string
	for _, c := range cat.Controls {
		if slices.ContainsFunc(c.Refs, func(r model.Ref) bool { return r.Framework == frameworkID }) {
			with = append(with, token(c.ID))
		}
	}
	return with
}

// ProfileFrameworks lists the framework editions OSCALProfile makes a
// profile of: those some control cites, in catalog order.
func ProfileFrameworks(cat *model.Catalog) []string {
	var ids []string
	for _, fw := range cat.Frameworks {
		if len(citing(cat, fw.ID)) > 0 {
			ids = append(ids, fw.ID)
		}
	}
	return ids
}

// CatalogFormats are the formats the catalog itself exports in (onus
// catalog export), apart from any assessment.
var CatalogFormats = []Format{
	{ID: "oscal-catalog", Name: "OSCAL catalog", Ext: ".oscal-catalog.json",
		Desc: "NIST OSCAL 1.1.3: every control, grouped by domain: its question, guidance, each party's part and the clauses it cites"},
	{ID: "oscal-profile", Name: "OSCAL profile", Ext: ".oscal-profile.json",
		Desc: "NIST OSCAL 1.1.3: the controls citing one framework edition, selected from the catalog it carries"},
}

// RenderCatalog renders the catalog in one of CatalogFormats; framework
// is the id of the edition a profile selects (one of cat.Frameworks) and
// is ignored for the catalog.
func RenderCatalog(format string, cat *model.Catalog, framework string) ([]byte, error) {
	switch format {
	case "oscal-catalog":
		return OSCALCatalog(cat)
	case "oscal-profile":
		return OSCALProfile(cat, framework)
	}
	ids := make([]string, len(CatalogFormats))
	for i, f := range CatalogFormats {
		ids[i] = f.ID
	}
	return nil, fmt.Errorf("unknown catalog format %q (use %s)", format, strings.Join(ids, ", "))
}

// CatalogFileName is the file name the OSCAL catalog of a catalog is
// exported under; the documents that carry the catalog link to it by this
// name, relative to themselves, so export them to one directory.
func CatalogFileName(cat *model.Catalog) string {
	return "onus-catalog-" + safeFileChars(cat.Version) + ".oscal-catalog.json"
}

// ProfileFileName is the file name a framework edition's profile is
// exported under.
func ProfileFileName(cat *model.Catalog, frameworkID string) string {
	return "onus-catalog-" + safeFileChars(cat.Version) + "-" + safeFileChars(frameworkID) + ".oscal-profile.json"
}

// catalogDocResource is the back-matter resource that carries the OSCAL
// catalog: a link to the file OSCALCatalog writes, and the document.
func catalogDocResource(cat *model.Catalog, id ids) (oResource, splice, error) {
	r, sp, err := carry(id.of("resource", "catalog"), CatalogFileName(cat), mediaCatalog, true, catalogDocument(cat), nil)
	r.Title = mdMarkupLine(cat.Name+" "+cat.Version+" as an OSCAL catalog", "Onus catalog")
	r.Props = catalogProps(cat)
	return r, sp, err
}

func catalogProps(cat *model.Catalog) []oProp {
	ps := []oProp{prop("catalog-version", cat.Version)}
	if cat.Hash != "" {
		ps = append(ps, prop("catalog-sha256", cat.Hash))
	}
	return ps
}

// calendarVersion matches a calendar version: year and month first
// ("2026.12.0").
var calendarVersion = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})\.(\d{1,2})(\D|$)`) })

// catalogDate is the catalog documents' last-modified time. A catalog
// records no date, so the documents take the month its calendar version
// names (2026.12.0: 1 December 2026), else the Unix epoch: never the
// clock, so that the same catalog always gives the same bytes.
func catalogDate(cat *model.Catalog) string {
	t := time.Unix(0, 0)
	if m := calendarVersion().FindStringSubmatch(cat.Version); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo >= 1 && mo <= 12 {
			t = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		}
	}
	return oscalTime(t, time.Unix(0, 0))
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
