package model_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onus-gxp/onus/model"
)

// These tests hold the default catalog to the findings of the November
// 2026 catalog review (../shared/reference/catalog-review-2026-11.md); each
// names the finding it keeps from coming back.

var direct = model.Scope{Impact: model.ImpactDirect}

func resolveAlone(t testing.TB, cat *model.Catalog, ctrlID, svcID string) model.Resolution {
	t.Helper()
	ctrl, ok := cat.Control(ctrlID)
	if !ok {
		t.Fatalf("no control %s", ctrlID)
	}
	return cat.Resolve(ctrl, model.Select(svcID))
}

func owner(t testing.TB, cat *model.Catalog, svc, layer string) model.Owner {
	t.Helper()
	if _, ok := cat.Service(svc); !ok {
		t.Fatalf("no service %s", svc)
	}
	o, _, _, _ := cat.Owner(model.SelectedService{ID: svc}, layer)
	return o
}

// C2: OS hardening applies wherever a selected service puts the operating
// system wholly or partly on the customer, whatever its model.
func TestC2OSHardeningFollowsTheOwnerOfTheOS(t *testing.T) { checkC2OSHardening(t, defaultCatalog(t)) }

func checkC2OSHardening(t testing.TB, cat *model.Catalog) {
	for _, id := range []string{"ec2", "eks", "ecs", "batch", "workspaces", "emr", "elasticbeanstalk", "appstream", "sagemaker", "lambda-image", "rds-custom", "ecs-anywhere", "eks-anywhere", "greengrass"} {
		if !applies(cat, "SEC-03", direct, id) {
			t.Errorf("SEC-03 does not apply to %s alone, whose OS is %s", id, owner(t, cat, id, "os"))
		}
		if r := resolveAlone(t, cat, "SEC-03", id).Responsibility; r == model.Inherited {
			t.Errorf("SEC-03 on %s: inherited", id)
		}
	}
	for _, id := range []string{"s3", "rds", "lambda", "dynamodb", "vpc", "kms"} {
		if applies(cat, "SEC-03", direct, id) {
			t.Errorf("SEC-03 applies to %s alone, whose OS is %s", id, owner(t, cat, id, "os"))
		}
	}
	// A Fargate-only EKS, by the assessment's own override, has no OS of
	// the customer's left.
	if slices.ContainsFunc(cat.Applicable(direct, []model.SelectedService{fargate("eks")}), func(c *model.Control) bool { return c.ID == "SEC-03" }) {
		t.Error("SEC-03 applies to EKS on Fargate only")
	}
	// The same for the platform control: container images.
	for _, id := range []string{"eks", "ecs", "batch", "lambda-image", "apprunner"} {
		if !applies(cat, "SEC-06", direct, id) {
			t.Errorf("SEC-06 (container images) does not apply to %s", id)
		}
	}
	for _, id := range []string{"rds", "lambda", "ecr", "ec2"} {
		if applies(cat, "SEC-06", direct, id) {
			t.Errorf("SEC-06 (container images) applies to %s alone", id)
		}
	}
}

// C3, C4: AppStream 2.0 and Elastic Beanstalk put OS patches in the
// customer's hands, so patching is never inherited for them.
func TestC3C4PatchingOnAppStreamAndBeanstalk(t *testing.T) {
	cat := defaultCatalog(t)
	checkC3AppStream(t, cat)
	checkC4Beanstalk(t, cat)
}

// C3: AppStream 2.0's images are built and updated by the customer.
func checkC3AppStream(t testing.TB, cat *model.Catalog) {
	checkPatchingShared(t, cat, "appstream")
	if o := owner(t, cat, "appstream", "platform"); o != model.OwnerCustomer {
		t.Errorf("AppStream applications: %s, want customer", o)
	}
}

// C4: Elastic Beanstalk's platform updates, OS included, are the
// customer's to apply.
func checkC4Beanstalk(t testing.TB, cat *model.Catalog) {
	checkPatchingShared(t, cat, "elasticbeanstalk")
}

func checkPatchingShared(t testing.TB, cat *model.Catalog, svc string) {
	if o := owner(t, cat, svc, "os"); o != model.OwnerShared {
		t.Errorf("%s os: %s, want shared", svc, o)
	}
	res := resolveAlone(t, cat, "SEC-02", svc)
	if res.Responsibility == model.Inherited || !strings.Contains(strings.ToLower(res.Reason()), "you and aws share this") {
		t.Errorf("SEC-02 on %s: %s, %q", svc, res.Responsibility, res.Reason())
	}
}

// C5 (and M13): the firewall rules of AWS WAF, and the DNS configuration of
// Route 53, are the customer's network configuration.
func TestC5WAFRulesAreTheCustomers(t *testing.T) { checkC5WAFRules(t, defaultCatalog(t)) }

func checkC5WAFRules(t testing.TB, cat *model.Catalog) {
	for _, id := range []string{"wafv2", "route53", "fms"} {
		if o := owner(t, cat, id, "network"); o != model.OwnerCustomer {
			t.Errorf("%s network: %s, want customer", id, o)
		}
		if r := resolveAlone(t, cat, "SEC-04", id).Responsibility; r != model.Customer {
			t.Errorf("SEC-04 on %s: %s, want customer", id, r)
		}
	}
}

// C6: the audit trail of GxP records is the customer's on every service;
// AWS's part is the audit features it provides, evidenced by its
// documentation, not by its SOC 2 report.
func TestC6RecordAuditTrailIsTheCustomers(t *testing.T) {
	checkC6RecordAuditTrail(t, defaultCatalog(t))
}

func checkC6RecordAuditTrail(t testing.TB, cat *model.Catalog) {
	for _, svc := range cat.Services {
		if !applies(cat, "AT-01", direct, svc.ID) {
			continue
		}
		res := resolveAlone(t, cat, "AT-01", svc.ID)
		if res.Responsibility == model.Inherited || len(res.CustEvidence) == 0 || slices.Contains(res.AWSEvidence, "soc2") {
			t.Errorf("AT-01 on %s: %s, customer evidence %v, AWS evidence %v", svc.ID, res.Responsibility, res.CustEvidence, res.AWSEvidence)
		}
		if !strings.Contains(res.CustomerPart, "audit trail of who created, changed or deleted each GxP record") ||
			!strings.Contains(res.AWSPart, "audit features") {
			t.Errorf("AT-01 on %s: parts %q / %q", svc.ID, res.CustomerPart, res.AWSPart)
		}
	}
}

// C7: resilience (Multi-AZ, replicas, cross-Region copies) is configured by
// the customer on every service; AWS's part is its Availability Zones and
// SLAs.
func TestC7ResilienceIsNeverInherited(t *testing.T) { checkC7Resilience(t, defaultCatalog(t)) }

func checkC7Resilience(t testing.TB, cat *model.Catalog) {
	for _, svc := range cat.Services {
		if !applies(cat, "OPS-05", direct, svc.ID) {
			continue
		}
		res := resolveAlone(t, cat, "OPS-05", svc.ID)
		if res.Responsibility == model.Inherited || len(res.CustEvidence) == 0 {
			t.Errorf("OPS-05 on %s: %s with customer evidence %v", svc.ID, res.Responsibility, res.CustEvidence)
		}
		if res.Responsibility == model.Shared && !strings.Contains(res.AWSPart, "Availability Zones") {
			t.Errorf("OPS-05 on %s: AWS's part %q", svc.ID, res.AWSPart)
		}
	}
	for _, id := range []string{"rds", "s3", "dynamodb", "appstream"} {
		if !applies(cat, "OPS-05", direct, id) {
			t.Errorf("OPS-05 does not apply to %s", id)
		}
	}
}

// M19, M20: vulnerability testing of the workload, custom code and the
// assessment of application vendors are never AWS's.
func TestM19M20CustomerSubjectsOnManagedServices(t *testing.T) {
	cat := defaultCatalog(t)
	for _, svc := range cat.Services {
		for _, id := range []string{"SEC-05", "LC-10", "SUP-08"} {
			if !applies(cat, id, direct, svc.ID) {
				continue
			}
			res := resolveAlone(t, cat, id, svc.ID)
			if res.Responsibility == model.Inherited || len(res.CustEvidence) == 0 {
				t.Errorf("%s on %s: %s", id, svc.ID, res.Responsibility)
			}
			if id != "SEC-05" && res.Responsibility != model.Customer {
				t.Errorf("%s on %s: %s, want customer", id, svc.ID, res.Responsibility)
			}
		}
	}
}

// M18: choosing frameworks never removes the supplier, governance, life
// cycle, change and operations obligations. The list is the review's: the
// 30 controls that choosing Part 11 alone dropped, but TEN-03 (tenant keys),
// which is security, not part of the GxP baseline.
func TestM18FrameworkChoiceKeepsTheGxPBaseline(t *testing.T) {
	cat := defaultCatalog(t)
	dropped := []string{"GOV-04", "GOV-06", "SUP-02", "SUP-04", "SUP-05", "SUP-06", "SUP-07", "SUP-08", "SUP-09",
		"LC-03", "LC-04", "LC-08", "LC-12", "LC-13", "SEC-02", "SEC-05", "SEC-06", "SEC-10", "OPS-05", "OPS-07",
		"OPS-08", "CHG-02", "CHG-03", "CHG-04", "CHG-05", "CHG-06", "CHG-07", "CHG-08", "TEN-05"}
	scope := model.Scope{Impact: model.ImpactDirect, MultiTenant: true, DataCategories: []model.DataCategory{model.DataHealth}}
	sels := model.Select("ec2", "rds", "s3", "eks", "bedrock", "outposts")
	all := cat.Applicable(scope, sels)
	for _, id := range dropped {
		if !slices.ContainsFunc(all, func(c *model.Control) bool { return c.ID == id }) {
			t.Fatalf("%s does not apply even with every framework; widen the selection", id)
		}
	}
	for _, fw := range []string{"21cfr11", "annex11", "gamp5"} {
		one := scope
		one.Frameworks = []string{fw}
		got := cat.Applicable(one, sels)
		for _, id := range dropped {
			if id == "SEC-10" && fw == "gamp5" {
				continue // site security cites the regulations, not GAMP 5
			}
			if !slices.ContainsFunc(got, func(c *model.Control) bool { return c.ID == id }) {
				t.Errorf("%s alone drops %s", fw, id)
			}
		}
	}
}

// M21: a layer AWS shares is explained as shared, never as "yours".
func TestM21SharedLayersReadAsShared(t *testing.T) {
	cat := defaultCatalog(t)
	for _, svc := range cat.Services {
		sel := model.Select(svc.ID)
		for _, ctrl := range cat.Applicable(direct, sel) {
			res := cat.Resolve(*ctrl, sel)
			anyCustomer := false
			for _, l := range cat.PerService(*ctrl, sel)[0].Layers {
				anyCustomer = anyCustomer || l.Owner == model.OwnerCustomer
			}
			if res.Responsibility == model.Shared && !anyCustomer &&
				(strings.Contains(res.Reason(), "is yours") || !strings.Contains(strings.ToLower(res.Reason()), "you and aws share this")) {
				t.Errorf("%s on %s: no layer is the customer's alone, yet: %q", ctrl.ID, svc.ID, res.Reason())
			}
		}
	}
}

// M22: the business associate addendum follows health data in the scope,
// whatever the services.
func TestM22HealthDataNeedsTheBAA(t *testing.T) {
	cat := defaultCatalog(t)
	health := direct
	health.DataCategories = []model.DataCategory{model.DataHealth}
	if !applies(cat, "SUP-09", health, "ec2", "s3") {
		t.Error("SUP-09 missing for health data in S3")
	}
	if applies(cat, "SUP-09", direct, "ec2", "s3") {
		t.Error("SUP-09 applies without health data or health services")
	}
	if !applies(cat, "SUP-09", direct, "healthlake") {
		t.Error("SUP-09 missing for a health service")
	}
}

// The issue's own example: a network has no guest OS, so no control about
// an operating system applies to it, and no sentence says it has one.
func TestNetworkOnlyServicesHaveNoOS(t *testing.T) {
	cat := defaultCatalog(t)
	for _, id := range []string{"vpc", "transit-gateway", "ebs"} {
		for _, layer := range []string{"os", "platform"} {
			if o := owner(t, cat, id, layer); o != model.OwnerNone {
				t.Errorf("%s %s: %s, want none", id, layer, o)
			}
		}
		for _, ctrl := range cat.Applicable(direct, model.Select(id)) {
			if ctrl.Layers[0] == "os" || ctrl.Layers[0] == "platform" {
				t.Errorf("%s applies to %s alone", ctrl.ID, id)
			}
			if r := cat.Resolve(*ctrl, model.Select(id)).Reason(); strings.Contains(r, "operating system is yours") || strings.Contains(r, "guest operating system") {
				t.Errorf("%s on %s: %q", ctrl.ID, id, r)
			}
		}
	}
	st, _ := cat.ServiceStack(model.SelectedService{ID: "vpc"})
	if st.Line != cat.LayerIndex("network")+1 {
		t.Errorf("VPC's line after %d layers", st.Line)
	}
}

// m25 and the issue: each reason is about its control's own subject.
func TestReasonsSpeakOfTheirSubject(t *testing.T) {
	cat := defaultCatalog(t)
	for _, id := range []string{"rds", "s3", "ec2"} {
		if r := resolveAlone(t, cat, "ENC-01", id).Reason(); !strings.Contains(r, "encryption at rest") || strings.Contains(r, "in your own application") {
			t.Errorf("ENC-01 on %s: %q", id, r)
		}
		if r := resolveAlone(t, cat, "AT-06", id).Reason(); !strings.Contains(r, "threat detection") || strings.Contains(r, "subnet") {
			t.Errorf("AT-06 on %s: %q", id, r)
		}
	}
	for _, c := range cat.Controls {
		if strings.TrimSpace(c.CustomerPart) == "" {
			t.Errorf("%s has no customer_part", c.ID)
		}
		customerOnly := true
		for _, l := range c.Layers {
			ly, _ := cat.Layer(l)
			if o, same := sameOwner(ly); !same || o != model.OwnerCustomer {
				customerOnly = false
			}
		}
		if !customerOnly && strings.TrimSpace(c.AWSPart) == "" {
			t.Errorf("%s can be shared or inherited but has no aws_part", c.ID)
		}
	}
}

func sameOwner(l model.Layer) (model.Owner, bool) {
	o := l.Owners[model.ModelInfrastructure]
	return o, o == l.Owners[model.ModelContainer] && o == l.Owners[model.ModelAbstracted]
}

// M6–M17, m16–m22: the overrides the review found missing, and the network
// layer of abstracted services.
func TestReviewedOverrides(t *testing.T) {
	cat := defaultCatalog(t)
	want := []struct {
		svc, layer string
		owner      model.Owner
	}{
		{"rds", "platform", model.OwnerShared}, {"elasticache", "platform", model.OwnerShared}, // M6
		{"memorydb", "platform", model.OwnerShared}, {"docdb", "platform", model.OwnerShared},
		{"neptune", "platform", model.OwnerShared}, {"kafka", "platform", model.OwnerShared},
		{"mq", "platform", model.OwnerShared},
		{"emr", "platform", model.OwnerShared}, {"emr", "os", model.OwnerShared}, // M7
		{"mwaa", "platform", model.OwnerShared},                                                  // M8
		{"storagegateway", "global", model.OwnerShared},                                          // M9
		{"datasync", "foundation", model.OwnerShared}, {"datasync", "global", model.OwnerShared}, // M10
		{"datasync", "network", model.OwnerCustomer},
		{"directconnect", "global", model.OwnerShared}, {"directconnect", "traffic-protection", model.OwnerCustomer}, // M11
		{"lambda-image", "os", model.OwnerShared}, {"lambda", "os", model.OwnerAWS}, // M12
		{"glue", "platform", model.OwnerShared}, {"glue", "network", model.OwnerShared}, // M14
		{"apprunner", "platform", model.OwnerShared}, {"apprunner", "os", model.OwnerShared}, // M15
		{"rds-custom", "os", model.OwnerShared},                                     // M16
		{"s3", "network", model.OwnerShared}, {"kms", "network", model.OwnerShared}, // M17
		{"sagemaker", "os", model.OwnerShared},                                                     // m18
		{"cloudfront", "network", model.OwnerShared}, {"apigateway", "network", model.OwnerShared}, // m19
		{"quicksight", "network", model.OwnerShared},
		{"bedrock", "platform", model.OwnerShared}, {"omics", "platform", model.OwnerShared}, // m20
		{"codebuild", "platform", model.OwnerShared},
		{"ecs", "platform", model.OwnerShared},                                              // m21
		{"dms", "platform", model.OwnerShared}, {"redshift", "platform", model.OwnerShared}, // m22
		{"ebs", "server-encryption", model.OwnerShared},
	}
	for _, w := range want {
		if got := owner(t, cat, w.svc, w.layer); got != w.owner {
			t.Errorf("%s %s: %s, want %s", w.svc, w.layer, got, w.owner)
		}
	}
	// M16 and m23: the services the review found missing.
	for _, id := range []string{"rds-custom", "managedblockchain", "timestream-influxdb", "shield", "acm-pca", "ecs-anywhere", "eks-anywhere", "greengrass", "iotsitewise", "iot",
		"imagebuilder", "signer", "fms", "detective", "securitylake", "health", "servicecatalog", "lakeformation", "firehose", "transit-gateway", "vpn", "client-vpn", "dax", "ses",
		"emr-serverless", "redshift-serverless", "opensearchserverless"} {
		if _, ok := cat.Service(id); !ok {
			t.Errorf("no service %s", id)
		}
	}
	// m27: engine and runtime maintenance applies wherever a service
	// leaves the versions to the customer.
	for _, id := range []string{"rds", "emr", "dms", "elasticbeanstalk", "lambda", "glue", "eks"} {
		if !applies(cat, "CHG-04", direct, id) {
			t.Errorf("CHG-04 does not apply to %s", id)
		}
	}
	if applies(cat, "CHG-04", direct, "s3") {
		t.Error("CHG-04 applies to S3 alone")
	}
}

// E1: each service has a GAMP 5 category, with a reason where it is not 1.
func TestGAMPCategoriesOfTheCatalog(t *testing.T) {
	cat := defaultCatalog(t)
	for _, tc := range []struct {
		svc  string
		want int
	}{{"ec2", 1}, {"s3", 1}, {"quicksight", 4}, {"bedrock", 4}, {"iotsitewise", 4}, {"textract", 3}, {"healthlake", 3}} {
		if n, why, _ := cat.GAMPCategory(model.SelectedService{ID: tc.svc}); n != tc.want || why == "" {
			t.Errorf("%s: category %d (%q), want %d with a reason", tc.svc, n, why, tc.want)
		}
	}
}

// User-facing text carries no notes for the catalog's maintainers.
func TestNoMaintainerNotes(t *testing.T) {
	cat := defaultCatalog(t)
	var texts []string
	for _, s := range cat.Services {
		texts = append(texts, s.Description, s.GAMPReason)
		for _, o := range s.Overrides {
			texts = append(texts, o.Reason)
		}
	}
	for _, l := range cat.Layers {
		texts = append(texts, l.Description, l.CustomerDuty, l.AWSDuty)
	}
	for _, c := range cat.Controls {
		texts = append(texts, c.Title, c.Question, c.Guidance, c.CustomerPart, c.AWSPart)
	}
	for _, s := range texts {
		for _, bad := range []string{"CLI service name", "this catalog", "TODO", "FIXME", "XXX"} {
			if strings.Contains(s, bad) {
				t.Errorf("%q in %q", bad, s)
			}
		}
	}
}

// fargate is the assessment override that says a container service runs
// only on AWS Fargate, so AWS runs its operating system.
func fargate(id string) model.SelectedService {
	return model.SelectedService{ID: id, Overrides: []model.ServiceOverride{{
		Layer: "os", Owner: model.OwnerAWS, Justification: "Every task runs on AWS Fargate, so AWS runs and patches the operating system.",
	}}}
}
