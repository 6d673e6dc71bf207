package report

import (
	"encoding/json"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// A service without a layer (a network has no operating system) carries no
// requirement for a control that lives only on that layer, and no
// statement about the layer, in the component definition.
func TestOSCALSkipsLayersAServiceLacks(t *testing.T) {
	in := fixtureInput(t)
	in.Catalog.Services = append(in.Catalog.Services, model.Service{ID: "vpc", Name: "Amazon VPC", Category: "networking",
		Model: model.ModelInfrastructure, Overrides: []model.LayerOverride{
			{Layer: "os", Owner: model.OwnerNone, Reason: "A network has no operating system."},
			{Layer: "platform", Owner: model.OwnerNone, Reason: "A network runs no software of yours."},
		}})
	in.Assessment.Services = append(in.Assessment.Services, model.SelectedService{ID: "vpc"})
	out, err := Render("oscal-cd", in)
	if err != nil {
		t.Fatal(err)
	}
	if err := validateOSCAL(t, out, oscalSchemaVersions[0].file, oscalSchemaVersions[0].version); err != nil {
		t.Fatal(err)
	}
	var cd struct {
		CD struct {
			Components []struct {
				Props []struct{ Name, Value string }
				Impls []struct {
					Reqs []struct {
						ControlID  string `json:"control-id"`
						Statements []struct {
							Props []struct{ Name, Value string }
						}
					} `json:"implemented-requirements"`
				} `json:"control-implementations"`
			}
		} `json:"component-definition"`
	}
	if err := json.Unmarshal(out, &cd); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cd.CD.Components {
		if len(c.Props) == 0 || c.Props[0].Value != "vpc" {
			continue
		}
		found = true
		for _, req := range c.Impls[0].Reqs {
			if req.ControlID == "OPS-01" {
				t.Error("Amazon VPC carries OPS-01, a control only about the operating system")
			}
			for _, st := range req.Statements {
				for _, p := range st.Props {
					if p.Name == "layer" && (p.Value == "os" || p.Value == "platform") {
						t.Errorf("%s: a statement about the %s layer Amazon VPC does not have", req.ControlID, p.Value)
					}
				}
			}
		}
	}
	if !found {
		t.Fatal("no component for Amazon VPC")
	}
}
