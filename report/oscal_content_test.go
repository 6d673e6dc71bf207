package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// The content of the OSCAL documents beyond the schema: what each carries
// and how the pieces link up.

func decodeDoc(t *testing.T, data []byte, root string) map[string]any {
	t.Helper()
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	body, ok := top[root].(map[string]any)
	if !ok {
		t.Fatalf("not a %s: %v", root, keysOf(top))
	}
	return body
}

func renderDoc(t *testing.T, format string, in Input) map[string]any {
	t.Helper()
	out, err := Render(format, in)
	if err != nil {
		t.Fatal(err)
	}
	root := map[string]string{"oscal-ar": "assessment-results", "oscal-ap": "assessment-plan",
		"oscal-ssp": "system-security-plan", "oscal-cd": "component-definition"}[format]
	return decodeDoc(t, out, root)
}

// path follows keys and list indexes through a decoded document.
func path(v any, steps ...any) any {
	for _, s := range steps {
		switch k := s.(type) {
		case string:
			v = mapOf(v)[k]
		case int:
			l := list(v)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func propValue(v any, name string) string {
	for _, p := range list(mapOf(v)["props"]) {
		if str(p, "name") == name {
			return str(p, "value")
		}
	}
	return ""
}

// partyNamed finds the uuid of the party with this name.
func partyNamed(t *testing.T, doc map[string]any, name string) string {
	t.Helper()
	for _, p := range list(path(doc, "metadata", "parties")) {
		if str(p, "name") == name {
			return str(p, "uuid")
		}
	}
	t.Fatalf("no party named %q", name)
	return ""
}

func responsibleParties(doc map[string]any, role string) []string {
	for _, rp := range list(path(doc, "metadata", "responsible-parties")) {
		if str(rp, "role-id") == role {
			var out []string
			for _, u := range list(mapOf(rp)["party-uuids"]) {
				out = append(out, u.(string))
			}
			return out
		}
	}
	return nil
}

// TestOSCALFindings: a finding per answered control, aimed at the
// control's statement in the catalog, satisfied when implemented or not
// applicable; an observation per answered control with its evidence as
// back-matter resources, one per document however often cited; a risk per
// gap of an answered control or of the supplier assessment; the log from
// the trail.
func TestOSCALFindings(t *testing.T) {
	in := fixtureInput(t)
	f := gather(in)
	ar := renderDoc(t, "oscal-ar", in)
	res := path(ar, "results", 0)

	findings := map[string]any{}
	for _, fd := range list(mapOf(res)["findings"]) {
		findings[str(path(fd, "target"), "target-id")] = fd
	}
	evidence, distinct := 0, map[string]bool{}
	for _, r := range f.rows {
		fd, ok := findings[r.Ctrl.ID+"_smt"]
		if r.Ans.Status == model.StatusUnanswered {
			if ok {
				t.Errorf("%s is not answered but has a finding", r.Ctrl.ID)
			}
			continue
		}
		if !ok {
			t.Errorf("%s is answered %s but has no finding", r.Ctrl.ID, r.Ans.Status)
			continue
		}
		want := "not-satisfied"
		if r.Ans.Status == model.StatusImplemented || r.Ans.Status == model.StatusNotApplicable {
			want = "satisfied"
		}
		if got := str(path(fd, "target", "status"), "state"); got != want || str(path(fd, "target"), "type") != "statement-id" {
			t.Errorf("%s: finding %s, want %s on its statement", r.Ctrl.ID, got, want)
		}
		if r.Ans.Status == model.StatusPartial && str(path(fd, "target", "implementation-status"), "state") != "partial" {
			t.Errorf("%s: implementation status %v, want partial", r.Ctrl.ID, path(fd, "target", "implementation-status"))
		}
		for _, ci := range r.Chain { // each piece of its chain on file
			if ci.Item >= 0 {
				evidence++
				distinct[ci.ID] = true
			}
		}
	}
	if n := len(findings); n != f.review.Answered {
		t.Errorf("%d findings, want one per answered control (%d)", n, f.review.Answered)
	}

	resources := map[string]any{}
	for _, r := range list(path(ar, "back-matter", "resources")) {
		resources[str(r, "uuid")] = r
	}
	cited, got := map[string]bool{}, 0
	for _, o := range list(mapOf(res)["observations"]) {
		for _, e := range list(mapOf(o)["relevant-evidence"]) {
			got++
			href := strings.TrimPrefix(str(e, "href"), "#")
			r, ok := resources[href]
			if !ok || str(path(r, "citation"), "text") == "" {
				t.Errorf("evidence %q links to no cited back-matter resource", str(e, "description"))
			}
			cited[href] = true
		}
	}
	if got != evidence || len(cited) != len(distinct) || evidence == 0 {
		t.Errorf("%d evidence references to %d resources, want %d to %d (one resource per document)", got, len(cited), evidence, len(distinct))
	}

	wantRisks := 0
	for _, g := range f.review.Gaps {
		if g.Kind != model.GapUnanswered {
			wantRisks++
		}
	}
	if n := len(list(mapOf(res)["risks"])); n != wantRisks {
		t.Errorf("%d risks, want one per gap but the unanswered ones (%d)", n, wantRisks)
	}
	if n := len(list(path(res, "assessment-log", "entries"))); n != len(in.Trail) {
		t.Errorf("%d log entries, want one per trail entry (%d)", n, len(in.Trail))
	}
}

// TestOSCALNotYetAssessed: a control not answered is not yet assessed, not
// a failure: no finding, no risk; the result lists it apart and counts it.
func TestOSCALNotYetAssessed(t *testing.T) {
	in := fixtureInput(t)
	var open []string
	for _, r := range gather(in).rows {
		if r.Ans.Status == model.StatusUnanswered {
			open = append(open, r.Ctrl.ID)
		}
	}
	if len(open) == 0 {
		t.Fatal("the fixture has no unanswered applicable control")
	}
	ar := renderDoc(t, "oscal-ar", in)
	res := path(ar, "results", 0)
	if got := propValue(res, "not-assessed"); got != fmt.Sprint(len(open)) {
		t.Errorf("not-assessed = %q, want %d", got, len(open))
	}
	var listed []string
	for _, sel := range list(path(res, "reviewed-controls", "control-selections")) {
		if propValue(sel, "assessment-state") != "not-assessed" {
			continue
		}
		for _, c := range list(mapOf(sel)["include-controls"]) {
			listed = append(listed, str(c, "control-id"))
		}
	}
	if !slices.Equal(listed, open) {
		t.Errorf("controls listed as not yet assessed: %v, want %v", listed, open)
	}
	for _, id := range open {
		for _, r := range list(mapOf(res)["risks"]) {
			if strings.Contains(str(r, "title"), id) || propValue(r, "gap-kind") == string(model.GapUnanswered) {
				t.Errorf("a risk for the unanswered %s: %s", id, str(r, "title"))
			}
		}
		for _, fd := range list(mapOf(res)["findings"]) {
			if str(path(fd, "target"), "target-id") == id+"_smt" {
				t.Errorf("a finding for the unanswered %s", id)
			}
		}
	}
	if !strings.Contains(markdownText(t, str(res, "remarks")), strings.Join(open, ", ")) {
		t.Errorf("the result's remarks do not name the controls not yet assessed: %q", str(res, "remarks"))
	}
}

// TestOSCALPeople: who answered and who signed are parties, the assessors
// and approvers of the metadata, the origins of the observations and
// findings, and the signers of the attestations; each log entry is logged
// by its actor.
func TestOSCALPeople(t *testing.T) {
	in := fixtureInput(t)
	ar := renderDoc(t, "oscal-ar", in)
	res := path(ar, "results", 0)
	assessors := responsibleParties(ar, "assessor")
	for _, who := range []string{"anna.keller", "marc.dubois"} {
		u := partyNamed(t, ar, who)
		if !slices.Contains(assessors, u) {
			t.Errorf("%s answered but is not an assessor of the metadata", who)
		}
	}
	signer := partyNamed(t, ar, "Anna Keller")
	if !slices.Equal(responsibleParties(ar, "approver"), []string{signer}) {
		t.Errorf("approvers %v, want the signer %s", responsibleParties(ar, "approver"), signer)
	}

	answeredBy := map[string]string{} // observation title → actor
	for _, o := range list(mapOf(res)["observations"]) {
		actor := path(o, "origins", 0, "actors", 0)
		if str(actor, "type") != "party" || str(actor, "role-id") != "assessor" {
			t.Errorf("observation %s: origin %v, want the party who answered, as assessor", str(o, "title"), actor)
		}
		answeredBy[str(o, "title")] = str(actor, "actor-uuid")
	}
	for id, ans := range in.Assessment.Answers {
		if u, ok := answeredBy["Answer to "+id]; ok && u != partyNamed(t, ar, ans.UpdatedBy) {
			t.Errorf("%s: observed from %s, want %s", id, u, ans.UpdatedBy)
		}
	}
	for _, fd := range list(mapOf(res)["findings"]) {
		actors := list(path(fd, "origins", 0, "actors"))
		if len(actors) != 2 || str(actors[0], "type") != "assessment-platform" || str(actors[1], "type") != "party" {
			t.Errorf("finding %s: origins %v, want Onus and the party who answered", str(fd, "title"), actors)
		}
	}

	att := list(mapOf(res)["attestations"])
	if len(att) != len(in.Assessment.SignOffs) {
		t.Fatalf("%d attestations, want one per sign-off", len(att))
	}
	if got := path(att[0], "responsible-parties", 0); str(got, "role-id") != "approver" || path(got, "party-uuids", 0) != signer {
		t.Errorf("attestation signed by %v, want the approver %s", got, signer)
	}
	if propValue(path(att[0], "parts", 0), "meaning") != in.Assessment.SignOffs[0].Meaning {
		t.Errorf("the attestation does not carry the sign-off's meaning")
	}
	for i, e := range list(path(res, "assessment-log", "entries")) {
		if str(path(e, "logged-by", 0), "party-uuid") != partyNamed(t, ar, in.Trail[i].Actor) {
			t.Errorf("log entry %d is not logged by %s", i+1, in.Trail[i].Actor)
		}
	}
}

// TestOSCALSystemSecurityPlan: AWS is a leveraged authorization with a
// component for AWS as a whole and one per service; per control AWS's
// by-component exports what AWS provides and leaves to the customer, as
// the engine resolved it; the system inherits and satisfies them through
// AWS, and when the services' shares differ AWS's by-component names each
// service's share, as it resolves, by the service's component; this
// system's by-component is the answer.
func TestOSCALSystemSecurityPlan(t *testing.T) {
	in := fixtureInput(t)
	f := gather(in)
	ssp := renderDoc(t, "oscal-ssp", in)
	aws := partyNamed(t, ssp, "Amazon Web Services")
	lev := path(ssp, "system-implementation", "leveraged-authorizations", 0)
	if str(lev, "party-uuid") != aws {
		t.Fatalf("leveraged authorization %v is not AWS's", lev)
	}
	comps := map[string]any{} // type or service id → component
	for _, c := range list(path(ssp, "system-implementation", "components")) {
		key := str(c, "type")
		if id := propValue(c, "service-id"); id != "" {
			key = id
		}
		comps[key] = c
		if key != "this-system" && propValue(c, "leveraged-authorization-uuid") != str(lev, "uuid") {
			t.Errorf("component %s is not tied to the leveraged authorization", str(c, "title"))
		}
	}
	for _, id := range []string{"this-system", "system", "ec2", "rds", "s3"} {
		if comps[id] == nil {
			t.Fatalf("no component %s", id)
		}
	}

	reqs := map[string]any{}
	for _, r := range list(path(ssp, "control-implementation", "implemented-requirements")) {
		reqs[str(r, "control-id")] = r
	}
	varied := 0
	for _, r := range f.rows {
		req := reqs[r.Ctrl.ID]
		if req == nil {
			t.Errorf("%s: no implemented requirement", r.Ctrl.ID)
			continue
		}
		byComp := map[string]any{}
		for _, bc := range list(mapOf(req)["by-components"]) {
			byComp[str(bc, "component-uuid")] = bc
		}
		this := byComp[str(comps["this-system"], "uuid")]
		if s := implState(r.Ans.Status); str(path(this, "implementation-status"), "state") != s {
			t.Errorf("%s: this system's status %v, want %q", r.Ctrl.ID, path(this, "implementation-status"), s)
		}
		theirs := byComp[str(comps["system"], "uuid")]
		provided := path(theirs, "export", "provided", 0)
		resp := path(theirs, "export", "responsibilities", 0)
		if (provided != nil) != (r.Res.AWSPart != "") || provided != nil && !strings.Contains(markdownText(t, str(provided, "description")), r.Res.AWSPart) {
			t.Errorf("%s: provided %v, want AWS's part %q", r.Ctrl.ID, provided, r.Res.AWSPart)
		}
		if (resp != nil) != (r.Res.CustomerPart != "") || resp != nil && !strings.Contains(markdownText(t, str(resp, "description")), r.Res.CustomerPart) {
			t.Errorf("%s: responsibility %v, want the customer's part %q", r.Ctrl.ID, resp, r.Res.CustomerPart)
		}
		if provided != nil && resp != nil && str(resp, "provided-uuid") != str(provided, "uuid") {
			t.Errorf("%s: the customer's responsibility is not tied to what AWS provides", r.Ctrl.ID)
		}
		check := func(bc any, share model.Responsibility, who string) {
			inh, sat := path(bc, "inherited", 0), path(bc, "satisfied", 0)
			if want := share != model.Customer; (inh != nil) != want || inh != nil && str(inh, "provided-uuid") != str(provided, "uuid") {
				t.Errorf("%s %s (%s): inherited %v, want %v from AWS's provided", r.Ctrl.ID, who, share, inh, want)
			}
			if want := share != model.Inherited; (sat != nil) != want || sat != nil && str(sat, "responsibility-uuid") != str(resp, "uuid") {
				t.Errorf("%s %s (%s): satisfied %v, want %v of the customer's responsibility", r.Ctrl.ID, who, share, sat, want)
			}
		}
		if uniformShare(r.Res) {
			check(theirs, r.Res.Responsibility, "through AWS")
			continue
		}
		varied++
		// Each service's share is stated once, on AWS's by-component, by
		// reference to the service's component; the system inherits and
		// satisfies through AWS what some service passes on.
		if len(byComp) != 2 {
			t.Errorf("%s: %d by-components, want this system's and AWS's", r.Ctrl.ID, len(byComp))
		}
		stated := statedShares(t, theirs, componentServices(comps))
		some := map[model.Responsibility]bool{}
		for _, sr := range in.Catalog.PerService(*r.Ctrl, in.Assessment.Services) {
			if got, ok := stated[sr.Service]; ok != (sr.Responsibility != model.NotApplicable) || got != sr.Responsibility && ok {
				t.Errorf("%s %s: stated share %q (%v), want %q", r.Ctrl.ID, sr.Service, got, ok, sr.Responsibility)
			}
			some[sr.Responsibility] = true
		}
		inh, sat := path(theirs, "inherited", 0), path(theirs, "satisfied", 0)
		if want := provided != nil && (some[model.Inherited] || some[model.Shared]); (inh != nil) != want || inh != nil && str(inh, "provided-uuid") != str(provided, "uuid") {
			t.Errorf("%s through AWS: inherited %v, want %v from AWS's provided", r.Ctrl.ID, inh, want)
		}
		if want := resp != nil && (some[model.Shared] || some[model.Customer]); (sat != nil) != want || sat != nil && str(sat, "responsibility-uuid") != str(resp, "uuid") {
			t.Errorf("%s through AWS: satisfied %v, want %v of the customer's responsibility", r.Ctrl.ID, sat, want)
		}
	}
	if varied == 0 {
		t.Error("no control of the fixture varies between services: the per-service statements are not tested")
	}
}

// componentServices maps each service component's uuid to its service id.
func componentServices(comps map[string]any) map[string]string {
	out := map[string]string{}
	for _, c := range comps {
		if id := propValue(c, "service-id"); id != "" {
			out[str(c, "uuid")] = id
		}
	}
	return out
}

// statedShares reads the share of each service a requirement or
// by-component names (its service-components properties, one per share):
// service id → share. A component named twice, or not a service's, fails.
func statedShares(t *testing.T, v any, services map[string]string) map[string]model.Responsibility {
	t.Helper()
	out := map[string]model.Responsibility{}
	for _, p := range list(mapOf(v)["props"]) {
		if str(p, "name") != "service-components" || str(p, "ns") != onusNS {
			continue
		}
		for _, u := range strings.Fields(str(p, "value")) {
			id, ok := services[u]
			if !ok {
				t.Errorf("%s names %s, no service's component", str(v, "control-id"), u)
			}
			if _, twice := out[id]; twice {
				t.Errorf("%s names %s twice", str(v, "control-id"), id)
			}
			out[id] = model.Responsibility(str(p, "class"))
		}
	}
	return out
}

// TestOSCALComponentDefinition: the capability states each control once,
// with the solution's split, the engine's reason and the roles that carry
// it; of a control whose share varies between the services it names each
// service's share, by the service's component, and the service's name.
func TestOSCALComponentDefinition(t *testing.T) {
	in := fixtureInput(t)
	f := gather(in)
	cd := renderDoc(t, "oscal-cd", in)
	capReqs := list(path(cd, "capabilities", 0, "control-implementations", 0, "implemented-requirements"))
	if len(capReqs) != len(f.rows) {
		t.Fatalf("%d requirements on the capability, want one per applicable control (%d)", len(capReqs), len(f.rows))
	}
	for i, r := range f.rows {
		if markdownText(t, str(capReqs[i], "description")) != r.Res.Reason() || propValue(capReqs[i], "responsibility") != string(r.Res.Responsibility) {
			t.Errorf("%s on the capability: %q, want the resolution's reason and responsibility", r.Ctrl.ID, str(capReqs[i], "description"))
		}
	}
	roleSet := func(v any) string {
		var out []string
		for _, rr := range list(mapOf(v)["responsible-roles"]) {
			out = append(out, str(rr, "role-id"))
		}
		return strings.Join(out, " ")
	}
	wantRoles := map[model.Responsibility]string{model.Inherited: "provider", model.Customer: "customer", model.Shared: "provider customer"}
	comps := list(mapOf(cd)["components"])
	if len(comps) != len(in.Assessment.Services) {
		t.Fatalf("%d components, want one per service", len(comps))
	}
	byUUID := map[string]any{}
	for si, c := range comps {
		if id := in.Assessment.Services[si].ID; propValue(c, "service-id") != id {
			t.Fatalf("component %d is %s, not the %dth service %s", si, propValue(c, "service-id"), si, id)
		}
		if mapOf(c)["control-implementations"] != nil {
			t.Errorf("%s states controls of its own: each service's share is stated on the capability", str(c, "title"))
		}
		byUUID[str(c, "uuid")] = c
	}
	// Each service's share of a control whose share varies is stated on
	// the capability's requirement, by reference to its component.
	pairs := 0
	for i, r := range f.rows {
		stated := statedShares(t, capReqs[i], componentServices(byUUID))
		if uniformShare(r.Res) {
			if len(stated) > 0 || propValue(capReqs[i], "service-share") != "uniform" {
				t.Errorf("%s is shared alike but states shares %v", r.Ctrl.ID, stated)
			}
			if roleSet(capReqs[i]) != wantRoles[r.Res.Responsibility] {
				t.Errorf("%s: %s with roles %q", r.Ctrl.ID, r.Res.Responsibility, roleSet(capReqs[i]))
			}
			continue
		}
		if propValue(capReqs[i], "service-share") != "varies" {
			t.Errorf("%s varies but says %q", r.Ctrl.ID, propValue(capReqs[i], "service-share"))
		}
		for _, sr := range in.Catalog.PerService(*r.Ctrl, in.Assessment.Services) {
			got, ok := stated[sr.Service]
			if ok != (sr.Responsibility != model.NotApplicable) || ok && got != sr.Responsibility {
				t.Errorf("%s %s: stated share %q (%v), want %q", r.Ctrl.ID, sr.Service, got, ok, sr.Responsibility)
			}
			if ok {
				pairs++
				if name, _ := in.Catalog.Service(sr.Service); !strings.Contains(markdownText(t, str(capReqs[i], "remarks")), name.Name) {
					t.Errorf("%s: the remarks %q do not name %s", r.Ctrl.ID, str(capReqs[i], "remarks"), name.Name)
				}
			}
		}
	}
	if pairs == 0 {
		t.Error("no per-service statement in the fixture: the varying controls are not tested")
	}
	// Each control's reason is stated once in the whole document (some
	// controls share their reason's words).
	w := walkOSCAL(t, "oscal-cd", mustRender(t, "oscal-cd", in))
	controlsWith := map[string]int{}
	for _, r := range f.rows {
		controlsWith[r.Res.Reason()]++
	}
	for reason, want := range controlsWith {
		n := 0
		for _, s := range w.markup {
			n += strings.Count(s, mdMarkup(reason))
		}
		if n != want {
			t.Errorf("%q is stated %d times, want once for each of its %d controls", reason, n, want)
		}
	}
}

func mustRender(t *testing.T, format string, in Input) []byte {
	t.Helper()
	out, err := Render(format, in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOSCALCatalog: a group per domain, a control per catalog control with
// its question as the statement, its guidance, and a link per clause it
// cites to the clause's back-matter resource.
func TestOSCALCatalog(t *testing.T) {
	cat := fixtureCatalog()
	cat.Controls[0].Guidance = "Review the SOC 2 bridge letter too."
	out, err := OSCALCatalog(cat)
	if err != nil {
		t.Fatal(err)
	}
	doc := decodeDoc(t, out, "catalog")
	if got := str(path(doc, "metadata"), "last-modified"); got != "2025-03-01T00:00:00Z" {
		t.Errorf("last-modified %s, want the month of calendar version 2025.03", got)
	}
	cat.Version = "v7"
	if got := catalogDate(cat); got != "1970-01-01T00:00:00Z" {
		t.Errorf("a catalog without a calendar version dated %s, want the epoch", got)
	}
	resources := map[string]any{}
	for _, r := range list(path(doc, "back-matter", "resources")) {
		resources["#"+str(r, "uuid")] = r
	}
	groups := list(mapOf(doc)["groups"])
	if len(groups) != len(cat.Domains) {
		t.Fatalf("%d groups, want one per domain (%d)", len(groups), len(cat.Domains))
	}
	controls := map[string]any{}
	for i, g := range groups {
		if str(g, "id") != cat.Domains[i].ID || str(g, "title") != cat.Domains[i].Name {
			t.Errorf("group %d: %s %q, want %s %q", i, str(g, "id"), str(g, "title"), cat.Domains[i].ID, cat.Domains[i].Name)
		}
		for _, c := range list(mapOf(g)["controls"]) {
			controls[str(c, "id")] = c
			if dom := cat.Domains[i].ID; func() bool { k, _ := cat.Control(str(c, "id")); return k.Domain != dom }() {
				t.Errorf("%s is in the group %s", str(c, "id"), dom)
			}
		}
	}
	for _, c := range cat.Controls {
		ctl := controls[c.ID]
		if ctl == nil {
			t.Errorf("%s is not in the OSCAL catalog", c.ID)
			continue
		}
		parts := map[string]string{}
		for _, p := range list(mapOf(ctl)["parts"]) {
			parts[str(p, "name")] = markdownText(t, str(p, "prose"))
		}
		if parts["statement"] != c.Question || parts["guidance"] != c.Guidance {
			t.Errorf("%s: statement %q, guidance %q", c.ID, parts["statement"], parts["guidance"])
		}
		links := list(mapOf(ctl)["links"])
		if len(links) != len(c.Refs) {
			t.Errorf("%s: %d links, want one per clause cited (%d)", c.ID, len(links), len(c.Refs))
			continue
		}
		for i, l := range links {
			res := resources[str(l, "href")]
			fw, _ := cat.Framework(c.Refs[i].Framework)
			if res == nil || !strings.Contains(markdownText(t, str(path(res, "citation"), "text")), fw.Title()+" "+c.Refs[i].Clause+": ") {
				t.Errorf("%s: link %v does not reach the clause %s", c.ID, l, c.Refs[i])
			}
		}
	}
}

// TestOSCALProfiles: a profile per framework edition selects exactly the
// controls that cite it, from the catalog its back-matter carries and
// links to.
func TestOSCALProfiles(t *testing.T) {
	cat := fixtureCatalog()
	catalog, err := OSCALCatalog(cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, fw := range cat.Frameworks {
		out, err := OSCALProfile(cat, fw.ID)
		if err != nil {
			t.Fatal(err)
		}
		prof := decodeDoc(t, out, "profile")
		var want, got []string
		for _, c := range cat.Controls {
			if slices.ContainsFunc(c.Refs, func(r model.Ref) bool { return r.Framework == fw.ID }) {
				want = append(want, c.ID)
			}
		}
		for _, id := range list(path(prof, "imports", 0, "include-controls", 0, "with-ids")) {
			got = append(got, id.(string))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s selects %v, want %v", fw.ID, got, want)
		}
		checkCarries(t, "profile "+fw.ID, path(prof, "back-matter", "resources", 0), CatalogFileName(cat), catalog)
	}
	if _, err := OSCALProfile(cat, "iso13485"); err == nil {
		t.Error("a profile of a framework the catalog lacks")
	}
}

// checkCarries: a back-matter resource links to the file an export
// writes, with that file's SHA-256, and carries the same document.
func checkCarries(t *testing.T, name string, res any, file string, export []byte) {
	t.Helper()
	sum := sha256.Sum256(export)
	rl := path(res, "rlinks", 0)
	if str(rl, "href") != file || str(path(rl, "hashes", 0), "value") != hex.EncodeToString(sum[:]) {
		t.Errorf("%s: rlink %v, want %s with SHA-256 %x", name, rl, file, sum)
	}
	data, err := base64.StdEncoding.DecodeString(str(path(res, "base64"), "value"))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var a, b any
	if json.Unmarshal(data, &a) != nil || json.Unmarshal(export, &b) != nil || !jsonEqual(a, b) {
		t.Errorf("%s: the document carried is not the export", name)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// TestOSCALImportsCarryTheExports: the assessment results carry the plan,
// the plan the system security plan, the component definition the
// catalog: each the very document its own export writes.
func TestOSCALImportsCarryTheExports(t *testing.T) {
	in := fixtureInput(t)
	resource := func(doc map[string]any, href string) any {
		for _, r := range list(path(doc, "back-matter", "resources")) {
			if "#"+str(r, "uuid") == href {
				return r
			}
		}
		t.Fatalf("%s is in no back-matter resource", href)
		return nil
	}
	ar, ap := renderDoc(t, "oscal-ar", in), renderDoc(t, "oscal-ap", in)
	checkCarries(t, "import-ap", resource(ar, str(path(ar, "import-ap"), "href")), FileName(in.Assessment.ID, "oscal-ap"), mustRender(t, "oscal-ap", in))
	checkCarries(t, "import-ssp", resource(ap, str(path(ap, "import-ssp"), "href")), FileName(in.Assessment.ID, "oscal-ssp"), mustRender(t, "oscal-ssp", in))
	catalog, _ := OSCALCatalog(in.Catalog)
	cd := renderDoc(t, "oscal-cd", in)
	checkCarries(t, "source", resource(cd, str(path(cd, "capabilities", 0, "control-implementations", 0), "source")), CatalogFileName(in.Catalog), catalog)
}

// TestOSCALMarkupInert: with hostile text everywhere, every markup field
// of every document, carried ones included, renders as plain paragraphs.
func TestOSCALMarkupInert(t *testing.T) {
	in := hostileInput(t)
	docs := oscalDocuments(t, in)
	for _, format := range sortedKeys(docs) {
		for _, w := range walkOSCAL(t, format, docs[format]).all() {
			for _, s := range w.markup {
				if out := renderMarkdown(t, s); !inertHTML.MatchString(out) {
					t.Errorf("%s: %q renders as markup: %q", w.name, s, out)
				}
			}
		}
	}
}

// TestOSCALNoteEscaped: the examples, a note "<enabled>" and
// "*x*", come out as that text.
func TestOSCALNoteEscaped(t *testing.T) {
	in := fixtureInput(t)
	ans := in.Assessment.Answers["ACC-01"]
	ans.Notes = "Logging is <enabled> for *x* and _y_."
	in.Assessment.Answers["ACC-01"] = ans
	ar := renderDoc(t, "oscal-ar", in)
	for _, fd := range list(path(ar, "results", 0, "findings")) {
		if str(path(fd, "target"), "target-id") != "ACC-01_smt" {
			continue
		}
		got := str(fd, "remarks")
		if got != `Logging is \<enabled\> for \*x\* and \_y\_.` || markdownText(t, got) != ans.Notes {
			t.Errorf("the note is written %q, rendering as %q", got, markdownText(t, got))
		}
		return
	}
	t.Fatal("no finding for ACC-01")
}

// TestOSCALDeterministic: every OSCAL document of the same data is the
// same bytes, and the catalog's documents do not depend on the assessment.
func TestOSCALDeterministic(t *testing.T) {
	a := oscalDocuments(t, fixtureInput(t))
	b := oscalDocuments(t, fixtureInput(t))
	for k := range a {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("%s: two renders of the same input differ", k)
		}
	}
	other := oscalDocuments(t, emptyInput(t))
	for k := range a {
		if strings.HasPrefix(k, "oscal-catalog") || strings.HasPrefix(k, "oscal-profile") {
			if !bytes.Equal(a[k], other[k]) {
				t.Errorf("%s depends on the assessment", k)
			}
		}
	}
}

// TestOSCALComponentDefinitionSize: with every service of the embedded
// catalog selected, the component definition states each responsibility
// once, each service's share of a varying control as the engine resolves
// it, and stays small. Before, it repeated each control's reason and its
// layers' duties per service: 49.6 MB for the 116 services of catalog
// 2026.12.0 (29 MB for 87 before that); with a requirement per service
// and varying control, 3.0 MB.
func TestOSCALComponentDefinitionSize(t *testing.T) {
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	in := allServicesInput(cat)
	f := gather(in)
	out := mustRender(t, "oscal-cd", in)
	cd := decodeDoc(t, out, "component-definition")
	// Each service's share of each varying control, read back from the
	// document, is the engine's.
	services := map[string]string{}
	for _, c := range list(mapOf(cd)["components"]) {
		services[str(c, "uuid")] = propValue(c, "service-id")
	}
	reqs := list(path(cd, "capabilities", 0, "control-implementations", 0, "implemented-requirements"))
	pairs, want := 0, 0
	for i, r := range f.rows {
		stated := statedShares(t, reqs[i], services)
		pairs += len(stated)
		if uniformShare(r.Res) {
			continue
		}
		for _, sr := range in.Catalog.PerService(*r.Ctrl, in.Assessment.Services) {
			if sr.Responsibility != model.NotApplicable {
				want++
			}
			if got, ok := stated[sr.Service]; ok != (sr.Responsibility != model.NotApplicable) || ok && got != sr.Responsibility {
				t.Errorf("%s %s: stated share %q (%v), want %q", r.Ctrl.ID, sr.Service, got, ok, sr.Responsibility)
			}
		}
	}
	if pairs != want {
		t.Errorf("%d per-service statements, want one per service of each control whose share varies (%d)", pairs, want)
	}
	const limit = 2 << 20
	t.Logf("%d services, %d applicable controls: component definition %d bytes", len(in.Assessment.Services), len(f.rows), len(out))
	if len(out) > limit {
		t.Errorf("the component definition for %d services is %d bytes, more than %d", len(in.Assessment.Services), len(out), limit)
	}
}

// TestOSCALServiceShareIsAReference: a service added to the selection
// adds a constant number of statements to the component definition and
// the system security plan (its component, and a reference per control
// whose share varies), not a statement per control: counted as JSON
// objects, 11 services of the embedded catalog against all of them.
// Before, a by-component (SSP) or requirement (CD) per service and such
// control made the documents grow with services × controls.
func TestOSCALServiceShareIsAReference(t *testing.T) {
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	all := allServicesInput(cat)
	some := allServicesInput(cat)
	some.Assessment.Services = some.Assessment.Services[:11]
	var objects func(v any) int
	objects = func(v any) int {
		n := 0
		switch v := v.(type) {
		case map[string]any:
			n++
			for _, x := range v {
				n += objects(x)
			}
		case []any:
			for _, x := range v {
				n += objects(x)
			}
		}
		return n
	}
	added := len(all.Assessment.Services) - len(some.Assessment.Services)
	varies := 0
	for _, r := range gather(all).rows {
		if !uniformShare(r.Res) {
			varies++
		}
	}
	if varies < 10 {
		t.Fatalf("%d controls vary between every service: too few to tell", varies)
	}
	for _, format := range []string{"oscal-cd", "oscal-ssp"} {
		grown := objects(renderDoc(t, format, all)) - objects(renderDoc(t, format, some))
		// A service's component is about 20 objects (its properties);
		// a statement per varying control would add one or more per
		// control, here more than the limit per service on its own.
		if limit := 24 * added; grown > limit || varies <= 24 {
			t.Errorf("%s: %d services more add %d objects (%d per service; %d controls vary), want at most %d", format, added, grown, grown/added, varies, limit)
		}
		t.Logf("%s: %d services more add %d objects, %d per service; %d controls vary", format, added, grown, grown/added, varies)
	}
}

// allServicesInput selects every service of a catalog, with a scope that
// makes every control it can apply.
func allServicesInput(cat *model.Catalog) Input {
	var ids []string
	for _, s := range cat.Services {
		ids = append(ids, s.ID)
	}
	a := model.Assessment{
		ID: "all", Name: "Every service", Organisation: "Example Pharma", CreatedBy: "qa", CreatedAt: t0, UpdatedAt: t0,
		Scope: model.Scope{Impact: model.ImpactDirect, ESignatures: true, OpenSystem: true, MultiTenant: true, InternetFacing: true,
			DataCategories: model.DataCategories},
		Services: model.Select(ids...),
		Catalog:  model.CatalogRef{Version: cat.Version, Hash: cat.Hash},
		Answers:  map[string]model.Answer{},
	}
	for i, c := range cat.Applicable(a.Scope, a.Services) {
		st := model.Statuses[i%len(model.Statuses)]
		ans := model.Answer{Control: c.ID, Status: st, UpdatedAt: at(i%9, "10:30"), UpdatedBy: "qa"}
		if st == model.StatusNotApplicable {
			ans.Justification = "Not used by this system."
		}
		a.Answers[c.ID] = ans
	}
	return Input{Catalog: cat, Assessment: a, Trail: trailFor(a)}
}

// TestOSCALGolden renders the fixture's documents that TestGolden does not
// (the catalog and a profile) against testdata/TestOSCALGolden; go test
// ./report/ -update rewrites them.
func TestOSCALGolden(t *testing.T) {
	in := fixtureInput(t)
	for _, c := range []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"catalog.oscal-catalog.json", func() ([]byte, error) { return OSCALCatalog(in.Catalog) }},
		{"catalog-21cfr11.oscal-profile.json", func() ([]byte, error) { return OSCALProfile(in.Catalog, "21cfr11") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := c.render()
			if err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestOSCALFormatsForTheCLI: the system security plan and the assessment
// plan are listed formats, render through Render and have file names; the catalog renders
// through RenderCatalog, with a profile of each edition a control cites.
func TestOSCALFormatsForTheCLI(t *testing.T) {
	in := fixtureInput(t)
	for id, root := range map[string]string{"oscal-ssp": "system-security-plan", "oscal-ap": "assessment-plan"} {
		if _, ok := LookupFormat(id); !ok || !slices.Contains(FormatIDs(), id) {
			t.Errorf("%s is not a listed format", id)
		}
		decodeDoc(t, mustRender(t, id, in), root)
		if got, want := FileName("dms-prod", id), "onus-dms-prod."+id+".json"; got != want {
			t.Errorf("FileName(%s) = %q, want %q", id, got, want)
		}
	}
	for _, f := range CatalogFormats {
		out, err := RenderCatalog(f.ID, in.Catalog, "annex11")
		if err != nil || !json.Valid(out) {
			t.Errorf("RenderCatalog(%s): %v", f.ID, err)
		}
	}
	if _, err := RenderCatalog("oscal-ssp", in.Catalog, ""); err == nil || !strings.Contains(err.Error(), "oscal-catalog, oscal-profile") {
		t.Errorf("RenderCatalog of an unknown format: %v", err)
	}
	cat := fixtureCatalog()
	cat.Frameworks = append(cat.Frameworks, model.Framework{ID: "uncited", Name: "Cited by no control"})
	if got := ProfileFrameworks(cat); !slices.Equal(got, []string{"21cfr11", "annex11"}) {
		t.Errorf("ProfileFrameworks = %v", got)
	}
	if _, err := OSCALProfile(cat, "uncited"); err == nil {
		t.Error("a profile of an edition no control cites")
	}
	if got := ProfileFileName(in.Catalog, "21cfr11"); got != "onus-catalog-2025.03-fixture-21cfr11.oscal-profile.json" {
		t.Errorf("ProfileFileName = %q", got)
	}
	if got := CatalogFileName(in.Catalog); got != "onus-catalog-2025.03-fixture.oscal-catalog.json" {
		t.Errorf("CatalogFileName = %q", got)
	}
}

// TestEncodeOSCAL: the OSCAL documents are written as model.EncodeJSON
// writes JSON, whatever the text.
func TestEncodeOSCAL(t *testing.T) {
	v := map[string]any{"a": hostile, "b": []any{1, 2.5, true, nil, map[string]any{}, []any{}}, "c": "<&>\u2028"}
	want, err := model.EncodeJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := oscalDocBytes(v, nil); err != nil || !bytes.Equal(got, want) {
		t.Errorf("writeOSCAL differs from model.EncodeJSON:\n%s\n%s", got, want)
	}
}
