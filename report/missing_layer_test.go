package report

import (
	"testing"

	"github.com/onus-gxp/onus/model"
)

// A service without a layer (a network has no operating system) carries no
// requirement for a control that lives only on that layer, in the
// component definition or the system security plan, and its component
// says it has no such layer.
func TestOSCALSkipsLayersAServiceLacks(t *testing.T) {
	in := fixtureInput(t)
	in.Catalog.Services = append(in.Catalog.Services, model.Service{ID: "vpc", Name: "Amazon VPC", Category: "networking",
		Model: model.ModelInfrastructure, Overrides: []model.LayerOverride{
			{Layer: "os", Owner: model.OwnerNone, Reason: "A network has no operating system."},
			{Layer: "platform", Owner: model.OwnerNone, Reason: "A network runs no software of yours."},
		}})
	in.Assessment.Services = append(in.Assessment.Services, model.SelectedService{ID: "vpc"})
	if r := gather(in).review.Resolutions["OPS-01"]; uniformShare(r) {
		t.Fatal("OPS-01 is shared alike by every service: the test needs it stated per service")
	}
	for _, sv := range oscalSchemaVersions {
		for _, format := range []string{"oscal-cd", "oscal-ssp"} {
			if err := validateOSCAL(t, mustRender(t, format, in), sv.file, sv.version); err != nil {
				t.Fatal(err)
			}
		}
	}
	cd := renderDoc(t, "oscal-cd", in)
	var vpc any
	for _, c := range list(mapOf(cd)["components"]) {
		if propValue(c, "service-id") == "vpc" {
			vpc = c
		}
	}
	if vpc == nil {
		t.Fatal("no component for Amazon VPC")
	}
	cdServices := map[string]string{str(vpc, "uuid"): "vpc"}
	for _, c := range list(mapOf(cd)["components"]) {
		cdServices[str(c, "uuid")] = propValue(c, "service-id")
	}
	for _, req := range list(path(cd, "capabilities", 0, "control-implementations", 0, "implemented-requirements")) {
		if _, ok := statedShares(t, req, cdServices)["vpc"]; ok && str(req, "control-id") == "OPS-01" {
			t.Error("Amazon VPC carries OPS-01, a control only about the operating system")
		}
	}
	owners := map[string]string{}
	for _, p := range list(mapOf(vpc)["props"]) {
		if str(p, "name") == "layer-owner" {
			owners[str(p, "class")] = str(p, "value")
		}
	}
	if owners["os"] != "none" || owners["platform"] != "none" || owners["iam"] != "customer" {
		t.Errorf("Amazon VPC's layers: %v", owners)
	}

	ssp := renderDoc(t, "oscal-ssp", in)
	var vpcUUID string
	sspServices := map[string]string{}
	for _, c := range list(path(ssp, "system-implementation", "components")) {
		if propValue(c, "service-id") == "vpc" {
			vpcUUID = str(c, "uuid")
		}
		sspServices[str(c, "uuid")] = propValue(c, "service-id")
	}
	named := false
	for _, req := range list(path(ssp, "control-implementation", "implemented-requirements")) {
		if str(req, "control-id") != "OPS-01" {
			continue
		}
		for _, bc := range list(mapOf(req)["by-components"]) {
			shares := statedShares(t, bc, sspServices)
			named = named || len(shares) > 0
			if _, ok := shares["vpc"]; ok || str(bc, "component-uuid") == vpcUUID {
				t.Error("Amazon VPC has a share of OPS-01")
			}
		}
	}
	if !named {
		t.Error("OPS-01 names no service's share in the system security plan")
	}
}
