package model_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

func defaultCatalog(t testing.TB) *model.Catalog {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

const (
	C = model.OwnerCustomer
	S = model.OwnerShared
	A = model.OwnerAWS
)

// layerTable is the responsibility table the default catalog implements,
// written out by hand so a catalog edit that moves a line fails here.
var layerTable = []struct {
	layer                string
	infra, contain, abst model.Owner
}{
	{"governance", C, C, C},
	{"data", C, C, C},
	{"iam", C, C, C},
	{"client-encryption", C, C, C},
	{"logging", S, S, S},
	{"server-encryption", C, S, S},
	{"traffic-protection", C, S, S},
	{"network", C, C, S},
	{"platform", C, A, A},
	{"os", C, A, A},
	{"foundation", A, A, A},
	{"global", A, A, A},
}

func TestStacksMatchLayerTable(t *testing.T) {
	cat := defaultCatalog(t)
	if len(cat.Layers) != len(layerTable) {
		t.Fatalf("catalog has %d layers, table %d", len(cat.Layers), len(layerTable))
	}
	cases := []struct {
		service string
		column  func(i int) model.Owner
		line    int
	}{
		{"ec2", func(i int) model.Owner { return layerTable[i].infra }, 10},
		{"fsx", func(i int) model.Owner { return layerTable[i].contain }, 8},
		{"s3", func(i int) model.Owner { return layerTable[i].abst }, 8},
	}
	for _, tc := range cases {
		t.Run(tc.service, func(t *testing.T) {
			st, err := cat.ServiceStack(model.SelectedService{ID: tc.service})
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range st.Layers {
				if l.Layer.ID != layerTable[i].layer {
					t.Fatalf("layer %d is %q, table says %q", i, l.Layer.ID, layerTable[i].layer)
				}
				if want := tc.column(i); l.Owner != want {
					t.Errorf("%s / %s: owner %s, table says %s", tc.service, l.Layer.ID, l.Owner, want)
				}
				if l.Overridden {
					t.Errorf("%s / %s: unexpected override", tc.service, l.Layer.ID)
				}
			}
			if st.Line != tc.line {
				t.Errorf("line after %d layers, want %d", st.Line, tc.line)
			}
		})
	}
}

func TestCatalogOverridesApplyWithReason(t *testing.T) {
	cat := defaultCatalog(t)
	st, err := cat.ServiceStack(model.SelectedService{ID: "eks"})
	if err != nil {
		t.Fatal(err)
	}
	os := st.Layers[cat.LayerIndex("os")]
	if os.Owner != model.OwnerCustomer || !os.Overridden || os.ByAssessment || os.Reason == "" {
		t.Fatalf("EKS os layer: %+v, want a customer catalog override with a reason", os)
	}
	if st.Service.Model != model.ModelContainer {
		t.Fatalf("EKS model %s", st.Service.Model)
	}
	// Every catalog override must change the owner its model would give.
	for _, svc := range cat.Services {
		for _, o := range svc.Overrides {
			l, _ := cat.Layer(o.Layer)
			if l.Owners[svc.Model] == o.Owner {
				t.Errorf("%s overrides %s to %s, which its model already gives", svc.ID, o.Layer, o.Owner)
			}
		}
	}
}

func TestAssessmentOverrideBeatsCatalog(t *testing.T) {
	cat := defaultCatalog(t)
	sel := model.SelectedService{ID: "eks", Overrides: []model.ServiceOverride{{
		Layer: "os", Owner: model.OwnerAWS, Justification: "all pods run on Fargate",
	}}}
	st, _ := cat.ServiceStack(sel)
	os := st.Layers[cat.LayerIndex("os")]
	if os.Owner != model.OwnerAWS || !os.ByAssessment || os.Reason != "all pods run on Fargate" {
		t.Fatalf("os layer %+v", os)
	}
	sel.Overrides[0] = model.ServiceOverride{Layer: "platform", Owner: model.OwnerCustomer, Justification: "self-managed add-ons"}
	sol := cat.SolutionStack([]model.SelectedService{sel, {ID: "s3"}})
	pl := sol.Layers[cat.LayerIndex("platform")]
	if pl.Owner != model.OwnerCustomer || !slices.Equal(pl.CausedBy, []string{"eks"}) {
		t.Fatalf("platform in solution: %+v", pl)
	}
}

func TestSolutionStack(t *testing.T) {
	cat := defaultCatalog(t)
	osIdx := cat.LayerIndex("os")

	sol := cat.SolutionStack(model.Select("ec2", "s3"))
	if got := sol.Layers[osIdx]; got.Owner != model.OwnerCustomer || !slices.Equal(got.CausedBy, []string{"ec2"}) {
		t.Errorf("{ec2, s3} os: %+v, want customer caused by ec2", got)
	}
	if sol.Line != 10 {
		t.Errorf("{ec2, s3} line %d, want 10", sol.Line)
	}

	sol = cat.SolutionStack(model.Select("rds", "s3"))
	if got := sol.Layers[osIdx]; got.Owner != model.OwnerAWS || len(got.CausedBy) != 0 {
		t.Errorf("{rds, s3} os: %+v, want aws", got)
	}
	if got := sol.Layers[cat.LayerIndex("network")]; got.Owner != model.OwnerCustomer || !slices.Equal(got.CausedBy, []string{"rds"}) {
		t.Errorf("{rds, s3} network: %+v, want customer caused by rds", got)
	}
	if got := sol.Layers[cat.LayerIndex("server-encryption")]; got.Owner != model.OwnerShared || !slices.Equal(got.CausedBy, []string{"rds", "s3"}) {
		t.Errorf("{rds, s3} server-encryption: %+v, want shared by both", got)
	}
}

func TestResolveReasons(t *testing.T) {
	cat := defaultCatalog(t)
	ctrl := model.Control{ID: "X", Layers: []string{"os", "foundation"}, AWSEvidence: []string{"soc2"}, CustomerEvidence: []string{"oq"}}

	res := cat.Resolve(ctrl, model.Select("ec2"))
	if res.Responsibility != model.Shared || !slices.Equal(res.Suppliers, []model.Supplier{model.SupplierAWS, model.SupplierCustomer}) {
		t.Errorf("ec2 patching: %+v", res)
	}
	if !strings.Contains(res.Reason(), "Amazon EC2 is an infrastructure service") {
		t.Errorf("reason %q does not explain the model", res.Reason())
	}

	res = cat.Resolve(ctrl, model.Select("s3", "rds"))
	if res.Responsibility != model.Inherited || !slices.Equal(res.Suppliers, []model.Supplier{model.SupplierAWS}) || len(res.CustEvidence) != 0 {
		t.Errorf("s3+rds patching: %+v", res)
	}

	data := model.Control{ID: "D", Layers: []string{"data"}}
	res = cat.Resolve(data, model.Select("s3", "ec2"))
	if res.Responsibility != model.Customer || !strings.HasPrefix(res.Reason(), "Whatever the service, this is yours: ") {
		t.Errorf("data: %+v", res)
	}

	phys := model.Control{ID: "P", Layers: []string{"global"}}
	res = cat.Resolve(phys, model.Select("ec2"))
	if res.Responsibility != model.Inherited {
		t.Errorf("physical security: %+v", res)
	}
}

// For random subsets of services and random scopes, every applicable
// control resolves to exactly one responsibility, consistent suppliers and a
// non-empty reason.
func TestResolutionProperty(t *testing.T) {
	cat := defaultCatalog(t)
	rng := rand.New(rand.NewPCG(1, 2))
	impacts := []model.GxPImpact{model.ImpactNone, model.ImpactIndirect, model.ImpactDirect}
	fws := []string{"21cfr11", "annex11", "gamp5"}
	for round := 0; round < 500; round++ {
		var sels []model.SelectedService
		for _, svc := range cat.Services {
			if rng.IntN(8) == 0 {
				sels = append(sels, model.SelectedService{ID: svc.ID})
			}
		}
		var chosen []string
		for _, f := range fws {
			if rng.IntN(2) == 0 {
				chosen = append(chosen, f)
			}
		}
		scope := model.Scope{
			Impact: impacts[rng.IntN(3)], Frameworks: chosen,
			MultiTenant: rng.IntN(2) == 0, OpenSystem: rng.IntN(2) == 0, ESignatures: rng.IntN(2) == 0,
		}
		for _, ctrl := range cat.Applicable(scope, sels) {
			res := cat.Resolve(*ctrl, sels)
			var wantSuppliers int
			switch res.Responsibility {
			case model.Inherited, model.Customer:
				wantSuppliers = 1
			case model.Shared:
				wantSuppliers = 2
			default:
				t.Fatalf("%s with %v: responsibility %q", ctrl.ID, sels, res.Responsibility)
			}
			if len(res.Suppliers) != wantSuppliers {
				t.Fatalf("%s: %s with suppliers %v", ctrl.ID, res.Responsibility, res.Suppliers)
			}
			if strings.TrimSpace(res.Reason()) == "" {
				t.Fatalf("%s with %v: empty reason", ctrl.ID, sels)
			}
			if per := cat.PerService(*ctrl, sels); len(sels) > 0 && len(per) != len(sels) {
				t.Fatalf("%s: %d per-service resolutions for %d services", ctrl.ID, len(per), len(sels))
			}
		}
	}
}

func TestApplicability(t *testing.T) {
	cat := defaultCatalog(t)
	base := model.Scope{Impact: model.ImpactDirect}
	has := func(ctrls []*model.Control, pred func(model.Control) bool) bool {
		return slices.ContainsFunc(ctrls, func(c *model.Control) bool { return pred(*c) })
	}
	citing := func(fw, clause string) func(model.Control) bool {
		return func(c model.Control) bool {
			return slices.Contains(c.Refs, model.Ref{Framework: fw, Clause: clause})
		}
	}
	sels := model.Select("ec2", "s3")

	if has(cat.Applicable(base, sels), citing("21cfr11", "11.200(a)(1)(i)")) {
		t.Error("e-signature controls apply without electronic signatures")
	}
	esig := base
	esig.ESignatures = true
	if !has(cat.Applicable(esig, sels), citing("21cfr11", "11.200(a)(1)(i)")) {
		t.Error("e-signature controls missing when signatures are used")
	}
	if has(cat.Applicable(base, sels), citing("21cfr11", "11.30")) {
		t.Error("open-system controls apply to a closed system")
	}
	open := base
	open.OpenSystem = true
	if !has(cat.Applicable(open, sels), citing("21cfr11", "11.30")) {
		t.Error("open-system controls missing for an open system")
	}
	tenant := func(c model.Control) bool { return c.AppliesWhen.MultiTenant }
	if has(cat.Applicable(base, sels), tenant) {
		t.Error("tenant-isolation controls apply to a single-tenant solution")
	}
	mt := base
	mt.MultiTenant = true
	if !has(cat.Applicable(mt, sels), tenant) {
		t.Error("tenant-isolation controls missing for a multi-tenant solution")
	}

	onlyAnnex := base
	onlyAnnex.Frameworks = []string{"annex11"}
	for _, c := range cat.Applicable(onlyAnnex, sels) {
		if len(c.Refs) > 0 && !slices.ContainsFunc(c.Refs, func(r model.Ref) bool { return r.Framework == "annex11" }) {
			t.Errorf("%s applies under Annex 11 alone but cites none of it", c.ID)
		}
	}

	none := base
	none.Impact = model.ImpactNone
	if len(cat.Applicable(none, sels)) >= len(cat.Applicable(base, sels)) {
		t.Error("a system with no GxP impact should face fewer controls than a direct-impact one")
	}

	// OS hardening follows whoever owns the operating system, not the
	// service model (C2).
	hardening := func(c model.Control) bool { return c.ID == "SEC-03" }
	if has(cat.Applicable(base, model.Select("s3", "dynamodb")), hardening) {
		t.Error("OS hardening applies to a serverless solution")
	}
	for _, id := range []string{"ec2", "eks", "ecs", "batch", "workspaces", "emr", "elasticbeanstalk", "appstream"} {
		if !has(cat.Applicable(base, model.Select(id)), hardening) {
			t.Errorf("OS hardening missing for %s", id)
		}
	}
}

func TestUnknownServiceSuggests(t *testing.T) {
	cat := defaultCatalog(t)
	err := cat.CheckServices([]string{"ec2", "rsd"})
	if err == nil || !strings.Contains(err.Error(), `unknown service "rsd"`) || !strings.Contains(err.Error(), "rds") {
		t.Fatalf("got %v", err)
	}
}
