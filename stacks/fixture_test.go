package stacks

import (
	"testing"

	"github.com/onus-gxp/onus/model"
)

// fixture is a small catalog with the default twelve layers and
// EC2/RDS/S3/EKS/Lambda-like services, written here so the goldens do not
// move when the embedded catalog's wording does. EC2's line falls after
// os (10 layers above it), RDS's after network (8), S3's after
// traffic-protection (7); EKS and Lambda carry catalog overrides, and VPC
// has neither platform nor operating system.
func fixture() *model.Catalog {
	const c, s, a = model.OwnerCustomer, model.OwnerShared, model.OwnerAWS
	layer := func(id, name string, infra, cont, abs model.Owner) model.Layer {
		return model.Layer{ID: id, Name: name, Owners: map[model.ServiceModel]model.Owner{
			model.ModelInfrastructure: infra, model.ModelContainer: cont, model.ModelAbstracted: abs,
		}}
	}
	return &model.Catalog{
		Schema: 1, Version: "fixture", Name: "Stacks fixture",
		Layers: []model.Layer{
			layer("governance", "Governance, risk and quality", c, c, c),
			layer("data", "Customer data", c, c, c),
			layer("iam", "Identity and access management", c, c, c),
			layer("client-encryption", "Client-side encryption and integrity", c, c, c),
			layer("logging", "Logging and monitoring", s, s, s),
			layer("server-encryption", "Server-side encryption and keys", c, s, s),
			layer("traffic-protection", "Network traffic protection", c, s, s),
			layer("network", "Network and firewall configuration", c, c, a),
			layer("platform", "Applications and platform", c, a, a),
			layer("os", "Operating system and patching", c, a, a),
			layer("foundation", "Foundation services", a, a, a),
			layer("global", "Global infrastructure and hardware", a, a, a),
		},
		Services: []model.Service{
			{ID: "ec2", Name: "Amazon EC2", Category: "compute", Model: model.ModelInfrastructure},
			{ID: "rds", Name: "Amazon RDS", Category: "database", Model: model.ModelContainer},
			{ID: "s3", Name: "Amazon S3", Category: "storage", Model: model.ModelAbstracted},
			{ID: "eks", Name: "Amazon Elastic Kubernetes Service", Category: "containers", Model: model.ModelContainer,
				Overrides: []model.LayerOverride{
					{Layer: "os", Owner: c, Reason: "Worker nodes are EC2 instances you run and patch, unless the pods run on Fargate."},
					{Layer: "platform", Owner: s, Reason: "AWS runs the control plane; you keep the node AMIs, add-ons and your workloads up to date."},
				}},
			{ID: "vpc", Name: "Amazon VPC", Category: "networking", Model: model.ModelInfrastructure,
				Overrides: []model.LayerOverride{
					{Layer: "platform", Owner: model.OwnerNone, Reason: "A network runs no software of yours."},
					{Layer: "os", Owner: model.OwnerNone, Reason: "A network has no operating system."},
				}},
			{ID: "lambda", Name: "AWS Lambda", Category: "compute", Model: model.ModelAbstracted,
				Overrides: []model.LayerOverride{
					{Layer: "network", Owner: s, Reason: "A function attached to a VPC uses your subnets and security groups."},
				}},
		},
	}
}

// stacksOf resolves the named services of the fixture.
func stacksOf(t testing.TB, cat *model.Catalog, sels ...model.SelectedService) []model.ServiceStack {
	t.Helper()
	out := make([]model.ServiceStack, len(sels))
	for i, sel := range sels {
		st, err := cat.ServiceStack(sel)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = st
	}
	return out
}
