package model_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// ownershipYAML is a small catalog for the engine's ownership rules,
// written here so the tests do not move with the default catalog's
// content: one service per way a layer can be owned.
const ownershipYAML = `
schema: 1
version: "ownership-test"
name: Ownership rules
layers:
  - id: governance
    name: Governance
    owners: {infrastructure: customer, container: customer, abstracted: customer}
    customer_duty: running the quality system
    aws_duty: runs its own quality system
  - id: data
    name: Customer data
    owners: {infrastructure: customer, container: customer, abstracted: customer}
    customer_duty: the content of your records
    aws_duty: stores what you put in it
  - id: logging
    name: Logging
    owners: {infrastructure: shared, container: shared, abstracted: shared}
    customer_duty: switching the logs on and reviewing them
    aws_duty: records API activity
  - id: network
    name: Network
    owners: {infrastructure: customer, container: customer, abstracted: shared}
    customer_duty: writing the firewall rules
    aws_duty: runs the network
  - id: platform
    name: Platform
    owners: {infrastructure: customer, container: aws, abstracted: aws}
    customer_duty: updating the runtime
    aws_duty: updates the runtime
  - id: os
    name: Operating system
    owners: {infrastructure: customer, container: aws, abstracted: aws}
    customer_duty: hardening and patching the guest operating system
    aws_duty: hardens and patches the operating systems beneath managed services
  - id: global
    name: Global infrastructure
    owners: {infrastructure: aws, container: aws, abstracted: aws}
    aws_duty: runs the data centres
frameworks:
  - id: fda
    name: FDA
    clauses: [{id: "1", title: One}]
  - id: eu
    name: EU
    clauses: [{id: "1", title: One}]
domains:
  - {id: d, name: Domain}
evidence:
  - {id: soc2, name: SOC 2, supplier: aws, kind: artifact-report}
  - {id: oq, name: OQ, supplier: customer, kind: lifecycle}
services:
  - {id: vm, name: Virtual Machines, category: compute, model: infrastructure}
  - id: net
    name: Private Network
    category: networking
    model: infrastructure
    overrides:
      - {layer: data, owner: none, reason: A network holds no records of its own.}
      - {layer: platform, owner: none, reason: A network runs no software of yours.}
      - {layer: os, owner: none, reason: A network has no operating system.}
  - {id: db, name: Managed Database, category: database, model: container}
  - id: nodes
    name: Managed Clusters
    category: containers
    model: container
    overrides:
      - {layer: os, owner: customer, reason: Worker nodes are instances you patch.}
  - id: pages
    name: Web Platform
    category: compute
    model: container
    overrides:
      - {layer: os, owner: shared, reason: Patched platform versions reach your instances only when you apply them.}
  - id: store
    name: Object Store
    category: storage
    model: abstracted
    gamp_category: 4
    gamp_reason: Configured to route records between GxP steps.
controls:
  - id: HARDEN
    domain: d
    title: Operating system hardening
    question: Are operating systems hardened?
    refs: [{framework: eu, clause: "1"}]
    layers: [os]
    customer_part: hardening the operating systems you run from an approved image
    aws_part: hardens the operating systems beneath the services it runs
    criticality: high
    customer_evidence: [oq]
    applies_when:
      layer_owners: {os: [customer, shared]}
  - id: PATCH
    domain: d
    title: Patching
    question: Are the layers you own patched?
    refs: [{framework: eu, clause: "1"}]
    layers: [os, global]
    customer_part: patching the guest operating systems you run
    aws_part: patches the hosts and the services beneath them
    gxp_baseline: true
    criticality: high
    aws_evidence: [soc2]
    customer_evidence: [oq]
  - id: TRAIL
    domain: d
    title: Record audit trail
    question: Is there an audit trail of every record?
    refs: [{framework: fda, clause: "1"}]
    layers: [data, logging]
    customer_part: keeping an audit trail of who changed each record
    aws_part: provides audit logging features you switch on
    criticality: high
    aws_evidence: [soc2]
    customer_evidence: [oq]
  - id: SEGMENT
    domain: d
    title: Network segmentation
    question: Are networks segmented?
    refs: [{framework: eu, clause: "1"}]
    layers: [network]
    criticality: high
    customer_evidence: [oq]
  - id: BAA
    domain: d
    title: Health data agreement
    question: Is a business associate addendum in place?
    refs: [{framework: fda, clause: "1"}]
    layers: [governance]
    criticality: medium
    customer_evidence: [oq]
    applies_when:
      data_any: [health]
      categories_any: [storage]
  - id: PHYS
    domain: d
    title: Physical security
    question: Do you rely on AWS's physical security?
    refs: [{framework: fda, clause: "1"}]
    layers: [global]
    aws_part: guards its data centres
    criticality: high
    aws_evidence: [soc2]
`

func ownershipCatalog(t *testing.T) *model.Catalog {
	t.Helper()
	cat, err := model.ParseCatalog([]byte(ownershipYAML), "ownership.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func control(t *testing.T, cat *model.Catalog, id string) model.Control {
	t.Helper()
	c, ok := cat.Control(id)
	if !ok {
		t.Fatalf("no control %s", id)
	}
	return c
}

func applies(cat *model.Catalog, id string, scope model.Scope, ids ...string) bool {
	return slices.ContainsFunc(cat.Applicable(scope, model.Select(ids...)), func(c *model.Control) bool { return c.ID == id })
}

// A control about a layer applies wherever a selected service puts that
// layer wholly or partly on the customer, whatever the service model.
func TestApplicabilityFollowsResolvedOwnership(t *testing.T) {
	cat := ownershipCatalog(t)
	scope := model.Scope{Impact: model.ImpactDirect}
	for _, tc := range []struct {
		services []string
		want     bool
	}{
		{[]string{"vm"}, true},           // infrastructure: the OS is the customer's
		{[]string{"nodes"}, true},        // a container service that overrides the OS to the customer
		{[]string{"pages"}, true},        // a container service that shares the OS
		{[]string{"db"}, false},          // the OS is AWS's
		{[]string{"store", "db"}, false}, // nor here
		{[]string{"net"}, false},         // no OS at all
		{[]string{"net", "db", "pages"}, true},
	} {
		if got := applies(cat, "HARDEN", scope, tc.services...); got != tc.want {
			t.Errorf("HARDEN with %v: applies %v, want %v", tc.services, got, tc.want)
		}
	}
	// An assessment's own override counts too: nodes on a serverless
	// compute engine leave the OS to AWS.
	fargate := []model.SelectedService{{ID: "nodes", Overrides: []model.ServiceOverride{{Layer: "os", Owner: model.OwnerAWS, Justification: "all pods on a serverless engine"}}}}
	if slices.ContainsFunc(cat.Applicable(scope, fargate), func(c *model.Control) bool { return c.ID == "HARDEN" }) {
		t.Error("HARDEN applies although the assessment moved the only OS to AWS")
	}
}

// Choosing frameworks never removes a control the catalog marks as part of
// the GxP baseline; it does remove the others that cite none of them.
func TestFrameworkFilterKeepsGxPBaseline(t *testing.T) {
	cat := ownershipCatalog(t)
	fdaOnly := model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"fda"}}
	if !applies(cat, "PATCH", fdaOnly, "vm") {
		t.Error("a GxP baseline control citing only eu is dropped when only fda is chosen")
	}
	if applies(cat, "SEGMENT", fdaOnly, "vm") {
		t.Error("a control citing only eu applies when only fda is chosen")
	}
	if !applies(cat, "SEGMENT", model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"eu"}}, "vm") {
		t.Error("a control citing eu is missing when eu is chosen")
	}
}

// A service that lacks a layer (a network has no operating system) draws
// it as none, never takes part in a control about it, and never appears in
// the reason.
func TestLayerAServiceDoesNotHave(t *testing.T) {
	cat := ownershipCatalog(t)
	st, err := cat.ServiceStack(model.SelectedService{ID: "net"})
	if err != nil {
		t.Fatal(err)
	}
	osl := st.Layers[cat.LayerIndex("os")]
	if osl.Owner != model.OwnerNone || !osl.Overridden || osl.Reason != "A network has no operating system." {
		t.Fatalf("network os layer: %+v", osl)
	}
	if st.Line != cat.LayerIndex("network")+1 {
		t.Errorf("line after %d layers, want just below the network", st.Line)
	}

	sol := cat.SolutionStack(model.Select("net"))
	if got := sol.Layers[cat.LayerIndex("os")]; got.Owner != model.OwnerNone || len(got.CausedBy) != 0 {
		t.Errorf("solution os with only a network: %+v, want none", got)
	}
	sol = cat.SolutionStack(model.Select("net", "db"))
	if got := sol.Layers[cat.LayerIndex("os")]; got.Owner != model.OwnerAWS || len(got.CausedBy) != 0 {
		t.Errorf("solution os with a network and a database: %+v, want AWS", got)
	}
	if sol := cat.SolutionStack(nil); sol.Layers[0].Owner != model.OwnerAWS || sol.Line != 0 {
		t.Errorf("empty solution: %+v", sol)
	}

	// PATCH lives on the OS and the global layer; the OS is its subject, so
	// a network, which has a global layer but no OS, takes no part in it.
	patch := control(t, cat, "PATCH")
	res := cat.Resolve(patch, model.Select("net", "vm"))
	if per := cat.PerService(patch, model.Select("net", "vm")); res.Responsibility != model.Shared || per[0].Responsibility != model.NotApplicable {
		t.Fatalf("PATCH with a network and a VM: %s, network %s; want shared and not applicable", res.Responsibility, per[0].Responsibility)
	}
	if applies(cat, "PATCH", model.Scope{Impact: model.ImpactDirect}, "net") {
		t.Error("PATCH applies to a network alone")
	}
	if !applies(cat, "SEGMENT", model.Scope{Impact: model.ImpactDirect}, "net") {
		t.Error("SEGMENT is missing for a network")
	}
	harden := control(t, cat, "HARDEN")
	res = cat.Resolve(harden, model.Select("net", "vm"))
	if per := cat.PerService(harden, model.Select("net", "vm")); res.Responsibility != model.Customer || per[0].Responsibility != model.NotApplicable {
		t.Errorf("HARDEN with a network and a VM: %s, network %s; want customer and not applicable", res.Responsibility, per[0].Responsibility)
	}
	if strings.Contains(res.Reason(), "Private Network") {
		t.Errorf("the reason names a service without an OS: %q", res.Reason())
	}
	if !strings.Contains(res.Reason(), "Virtual Machines is an infrastructure service, so this is yours: hardening the operating systems you run from an approved image.") {
		t.Errorf("reason %q", res.Reason())
	}
}

// A shared layer is explained as shared: the cause, the customer's part and
// AWS's part, never "… is yours" for what AWS shares.
func TestSharedLayerReadsAsShared(t *testing.T) {
	cat := ownershipCatalog(t)
	res := cat.Resolve(control(t, cat, "HARDEN"), model.Select("pages"))
	if res.Responsibility != model.Shared {
		t.Fatalf("HARDEN on the web platform: %s", res.Responsibility)
	}
	want := "For Web Platform, patched platform versions reach your instances only when you apply them. You and AWS share this: your part is hardening the operating systems you run from an approved image; AWS hardens the operating systems beneath the services it runs."
	if res.Reason() != want {
		t.Errorf("reason\n got %q\nwant %q", res.Reason(), want)
	}
	if res.CustomerPart != "hardening the operating systems you run from an approved image" || res.AWSPart != "hardens the operating systems beneath the services it runs" {
		t.Errorf("parts %q / %q", res.CustomerPart, res.AWSPart)
	}

	// A layer every model shares, without control phrases: the layer duties.
	seg := cat.Resolve(control(t, cat, "SEGMENT"), model.Select("store"))
	if seg.Responsibility != model.Shared || strings.Contains(seg.Reason(), "is yours") ||
		seg.Reason() != "For Object Store, you and AWS share this: your part is writing the firewall rules; AWS runs the network." {
		t.Errorf("SEGMENT on the object store: %s %q", seg.Responsibility, seg.Reason())
	}
}

// A control whose subject is always the customer's keeps a customer part
// and customer evidence on every service, and names AWS's part for what it
// is.
func TestCustomerSubjectNeverInherited(t *testing.T) {
	cat := ownershipCatalog(t)
	trail := control(t, cat, "TRAIL")
	for _, id := range []string{"vm", "db", "store", "pages"} {
		res := cat.Resolve(trail, model.Select(id))
		if res.Responsibility == model.Inherited || len(res.CustEvidence) == 0 {
			t.Errorf("TRAIL on %s: %s with customer evidence %v", id, res.Responsibility, res.CustEvidence)
		}
		if !strings.HasPrefix(res.Reason(), "Whatever the service, your part is keeping an audit trail of who changed each record; AWS provides audit logging features you switch on.") {
			t.Errorf("TRAIL on %s: %q", id, res.Reason())
		}
	}
}

func TestInheritedReason(t *testing.T) {
	cat := ownershipCatalog(t)
	res := cat.Resolve(control(t, cat, "PHYS"), model.Select("vm", "db"))
	if res.Responsibility != model.Inherited || res.CustomerPart != "" || res.AWSPart != "guards its data centres" ||
		res.Reason() != "Whatever the service, AWS guards its data centres, so you inherit this and rely on AWS's audit reports." {
		t.Errorf("PHYS: %+v", res)
	}
	res = cat.Resolve(control(t, cat, "PATCH"), model.Select("db", "store"))
	if res.Reason() != "For Managed Database and Object Store, AWS patches the hosts and the services beneath them, so you inherit this and rely on AWS's audit reports." {
		t.Errorf("PATCH on managed services: %q", res.Reason())
	}
}

// A data category in the scope applies a control whatever the services; so
// does one of its services.
func TestDataCategoryApplies(t *testing.T) {
	cat := ownershipCatalog(t)
	plain := model.Scope{Impact: model.ImpactDirect}
	health := plain
	health.DataCategories = []model.DataCategory{model.DataHealth}
	personal := plain
	personal.DataCategories = []model.DataCategory{model.DataPersonal}
	for _, tc := range []struct {
		scope    model.Scope
		services []string
		want     bool
	}{
		{plain, []string{"vm"}, false},
		{personal, []string{"vm"}, false},
		{health, []string{"vm"}, true},
		{plain, []string{"store"}, true},
		{health, nil, true},
	} {
		if got := applies(cat, "BAA", tc.scope, tc.services...); got != tc.want {
			t.Errorf("BAA with %v and %v: %v, want %v", tc.scope.DataCategories, tc.services, got, tc.want)
		}
	}
}

func TestGAMPCategory(t *testing.T) {
	cat := ownershipCatalog(t)
	if n, why, by := cat.GAMPCategory(model.SelectedService{ID: "vm"}); n != 1 || why == "" || by {
		t.Errorf("vm: %d %q %v, want the category 1 default with a reason", n, why, by)
	}
	if n, why, by := cat.GAMPCategory(model.SelectedService{ID: "store"}); n != 4 || why != "Configured to route records between GxP steps." || by {
		t.Errorf("store: %d %q %v, want the catalog's 4", n, why, by)
	}
	sel := model.SelectedService{ID: "vm", GAMP: &model.GAMPOverride{Category: 5, Justification: "Runs our own image-analysis code as one unit."}}
	if n, why, by := cat.GAMPCategory(sel); n != 5 || why != sel.GAMP.Justification || !by {
		t.Errorf("vm with an assessment category: %d %q %v", n, why, by)
	}
	if model.ValidateGAMPOverride(model.GAMPOverride{Category: 2, Justification: "firmware"}) == nil {
		t.Error("category 2 accepted")
	}
	if model.ValidateGAMPOverride(model.GAMPOverride{Category: 3, Justification: " "}) == nil {
		t.Error("a category without a justification accepted")
	}
	m := cat.Matrix(model.Scope{Impact: model.ImpactDirect}, []model.SelectedService{sel, {ID: "store"}})
	if len(m.Services) != 2 || m.Services[0].GAMPCategory != 5 || !m.Services[0].GAMPByAssessment || m.Services[1].GAMPCategory != 4 {
		t.Errorf("matrix services: %+v", m.Services)
	}
}

// The matrix lists exactly the applicable controls, in catalog order, each
// with its resolution.
func TestMatrixRows(t *testing.T) {
	cat := ownershipCatalog(t)
	scope := model.Scope{Impact: model.ImpactDirect}
	sels := model.Select("net", "db")
	m := cat.Matrix(scope, sels)
	var ids []string
	for _, r := range m.Rows {
		ids = append(ids, r.Control.ID)
		if r.Resolution.Control != r.Control.ID || r.Resolution.Reason() == "" {
			t.Errorf("%s: resolution %+v", r.Control.ID, r.Resolution)
		}
	}
	var want []string
	for _, c := range cat.Applicable(scope, sels) {
		want = append(want, c.ID)
	}
	if !slices.Equal(ids, want) || slices.Contains(ids, "HARDEN") {
		t.Errorf("rows %v, want %v without HARDEN", ids, want)
	}
	if len(m.Services) != 2 || len(m.Services[0].Overrides) != 3 {
		t.Errorf("services %+v: want the network's three overrides", m.Services)
	}
}

func TestOwnershipConditionsValidated(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"layer_owners: {os: [customer, shared]}", "layer_owners: {kernel: [customer]}", `control "HARDEN": layer_owners names unknown layer "kernel"`},
		{"layer_owners: {os: [customer, shared]}", "layer_owners: {os: [nobody]}", `control "HARDEN": unknown owner "nobody" (use aws, customer or shared)`},
		{"data_any: [health]", "data_any: [genetic]", `control "BAA": unknown data category "genetic" (use health or personal)`},
		{"gamp_category: 4", "gamp_category: 2", `service "store": GAMP category 2 (use 1, 3, 4 or 5)`},
		{"    gamp_reason: Configured to route records between GxP steps.\n", "", `service "store": GAMP category 4 needs a gamp_reason`},
		{"{layer: os, owner: none,", "{layer: os, owner: nobody,", `service "net": unknown owner "nobody" (use aws, customer, shared or none)`},
		{"owners: {infrastructure: customer, container: aws, abstracted: aws}\n    customer_duty: hardening", "owners: {infrastructure: none, container: aws, abstracted: aws}\n    customer_duty: hardening", `layer "os": unknown owner "none" (use aws, customer or shared)`},
	} {
		src := strings.Replace(ownershipYAML, tc.from, tc.to, 1)
		if src == ownershipYAML {
			t.Fatalf("fixture has no %q", tc.from)
		}
		_, err := model.ParseCatalog([]byte(src), "broken.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.to, err, tc.want)
		}
	}
}
