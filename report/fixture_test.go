package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/onus-gxp/onus/assets"
	"github.com/onus-gxp/onus/model"
)

// The fixture is written here rather than taken from the embedded catalog,
// so the goldens move only when the reports do: a small GxP catalog with
// the default twelve layers, EC2/RDS/S3/EKS/Lambda-like services, and an
// assessment of a document-management system on EC2, RDS and S3 with
// every kind of answer, a stale supplier report, an override of its own,
// sign-offs and an audit trail.

func fixtureCatalog() *model.Catalog {
	const c, s, a = model.OwnerCustomer, model.OwnerShared, model.OwnerAWS
	layer := func(id, name string, infra, cont, abs model.Owner, cust, aws string) model.Layer {
		return model.Layer{ID: id, Name: name, Owners: map[model.ServiceModel]model.Owner{
			model.ModelInfrastructure: infra, model.ModelContainer: cont, model.ModelAbstracted: abs,
		}, CustomerDuty: cust, AWSDuty: aws}
	}
	cat := &model.Catalog{
		Schema: 1, Version: "2025.03-fixture", Name: "Onus report fixture catalog",
		Layers: []model.Layer{
			layer("governance", "Governance, risk and quality", c, c, c, "running the quality system, risk assessments and supplier oversight", "runs its own quality system"),
			layer("data", "Customer data", c, c, c, "classifying, retaining and protecting the records", "stores what you put in it"),
			layer("iam", "Identity and access management", c, c, c, "managing users, roles, MFA and access reviews", "provides IAM"),
			layer("client-encryption", "Client-side encryption and integrity", c, c, c, "encrypting and checksumming data before it leaves you", "provides SDK support"),
			layer("logging", "Logging and monitoring", s, s, s, "turning on and reviewing CloudTrail and data-event logs", "records API calls"),
			layer("server-encryption", "Server-side encryption and keys", c, s, s, "choosing keys and enforcing encryption", "encrypts storage with KMS"),
			layer("traffic-protection", "Network traffic protection", c, s, s, "enforcing TLS", "terminates TLS on its endpoints"),
			layer("network", "Network and firewall configuration", c, c, a, "configuring VPCs, security groups and policies", "runs the service network"),
			layer("platform", "Applications and platform", c, a, a, "building and qualifying your applications", "runs the engine or runtime"),
			layer("os", "Operating system and patching", c, a, a, "hardening and patching guest operating systems", "patches the operating system"),
			layer("foundation", "Foundation services", a, a, a, "", "runs compute, storage, database and network software"),
			layer("global", "Global infrastructure and hardware", a, a, a, "", "runs Regions, data centres and hardware"),
		},
		Frameworks: []model.Framework{
			{ID: "21cfr11", Name: "21 CFR Part 11", Clauses: []model.Clause{
				{ID: "11.10(a)", Title: "Validation"}, {ID: "11.10(d)", Title: "Limiting system access"},
				{ID: "11.10(e)", Title: "Audit trails"}, {ID: "11.10(i)", Title: "Training"},
				{ID: "11.30", Title: "Controls for open systems"}, {ID: "11.50", Title: "Signature manifestations"},
			}},
			{ID: "annex11", Name: "EU GMP Annex 11", Edition: "2011", Clauses: []model.Clause{
				{ID: "3", Title: "Suppliers and service providers"}, {ID: "4", Title: "Validation"},
				{ID: "7.1", Title: "Data storage"}, {ID: "7.2", Title: "Backups"}, {ID: "9", Title: "Audit trails"},
				{ID: "12", Title: "Security"}, {ID: "16", Title: "Business continuity"},
			}},
		},
		Domains: []model.Domain{
			{ID: "supplier", Name: "Supplier oversight"}, {ID: "validation", Name: "Validation"},
			{ID: "access", Name: "Access control"}, {ID: "records", Name: "Records and audit trail"},
			{ID: "operations", Name: "Operations"}, {ID: "infrastructure", Name: "Infrastructure"},
		},
		Evidence: []model.EvidenceSource{
			{ID: "soc2", Name: "SOC 2 Type 2 report", Supplier: model.SupplierAWS, Kind: model.KindArtifactReport, ValidMonths: 12},
			{ID: "iso27001", Name: "ISO/IEC 27001 certificate", Supplier: model.SupplierAWS, Kind: model.KindArtifactReport, ValidMonths: 12},
			{ID: "iso9001", Name: "ISO 9001 certificate", Supplier: model.SupplierAWS, Kind: model.KindArtifactReport, ValidMonths: 12},
			{ID: "qms", Name: "AWS Quality Management System overview", Supplier: model.SupplierAWS, Kind: model.KindQMS},
			{ID: "svc-docs", Name: "AWS service documentation and SLAs", Supplier: model.SupplierAWS, Kind: model.KindDocumentation},
			{ID: "urs", Name: "User requirements specification", Supplier: model.SupplierCustomer, Kind: model.KindLifecycle},
			{ID: "vplan", Name: "Validation plan and report", Supplier: model.SupplierCustomer, Kind: model.KindLifecycle},
			{ID: "iq", Name: "Installation qualification (IaC)", Supplier: model.SupplierCustomer, Kind: model.KindLifecycle},
			{ID: "sop-access", Name: "Access management SOP", Supplier: model.SupplierCustomer, Kind: model.KindLifecycle},
			{ID: "sop-backup", Name: "Backup and restore SOP", Supplier: model.SupplierCustomer, Kind: model.KindLifecycle},
			{ID: "training", Name: "Training records", Supplier: model.SupplierCustomer, Kind: model.KindLifecycle},
		},
		Services: []model.Service{
			{ID: "ec2", Name: "Amazon EC2", Category: "compute", Model: model.ModelInfrastructure, Description: "Virtual machines."},
			{ID: "rds", Name: "Amazon RDS", Category: "database", Model: model.ModelContainer, Description: "Managed relational databases."},
			{ID: "s3", Name: "Amazon S3", Category: "storage", Model: model.ModelAbstracted, Description: "Object storage."},
			{ID: "eks", Name: "Amazon Elastic Kubernetes Service", Category: "containers", Model: model.ModelContainer,
				Overrides: []model.LayerOverride{
					{Layer: "os", Owner: c, Reason: "Worker nodes are EC2 instances you run and patch, unless the pods run on Fargate."},
				}},
			{ID: "lambda", Name: "AWS Lambda", Category: "compute", Model: model.ModelAbstracted},
		},
	}
	ctrl := func(id, domain, title, question string, crit model.Criticality, refs []model.Ref, layers, aws, cust []string) model.Control {
		return model.Control{ID: id, Domain: domain, Title: title, Question: question, Criticality: crit, Refs: refs,
			Layers: layers, AWSEvidence: aws, CustomerEvidence: cust}
	}
	ref := func(fw, cl string) model.Ref { return model.Ref{Framework: fw, Clause: cl} }
	cat.Controls = []model.Control{
		ctrl("SUP-01", "supplier", "Supplier assessment of AWS", "Has AWS been assessed as a supplier, with its Artifact reports reviewed?",
			model.CriticalityHigh, []model.Ref{ref("annex11", "3")}, []string{"governance"}, nil, []string{"vplan"}),
		ctrl("VAL-01", "validation", "Infrastructure qualification", "Is the infrastructure qualified, with automated IQ from the templates?",
			model.CriticalityHigh, []model.Ref{ref("21cfr11", "11.10(a)"), ref("annex11", "4")}, []string{"platform", "os", "foundation"},
			[]string{"soc2", "iso9001"}, []string{"iq", "vplan"}),
		ctrl("VAL-02", "validation", "User requirements", "Are the user requirements written and traced through testing?",
			model.CriticalityMedium, []model.Ref{ref("annex11", "4")}, []string{"governance"}, nil, []string{"urs"}),
		ctrl("ACC-01", "access", "Access limited to authorised people", "Is access to the system limited to authorised individuals and reviewed?",
			model.CriticalityHigh, []model.Ref{ref("21cfr11", "11.10(d)"), ref("annex11", "12")}, []string{"iam"}, nil, []string{"sop-access"}),
		ctrl("ACC-02", "access", "Network boundaries", "Are security groups and bucket policies restricted to what the system needs?",
			model.CriticalityMedium, []model.Ref{ref("annex11", "12")}, []string{"network"}, []string{"svc-docs"}, []string{"iq"}),
		ctrl("REC-01", "records", "Secure, time-stamped audit trail", "Is every create, change and delete of a record captured in a secure audit trail?",
			model.CriticalityHigh, []model.Ref{ref("21cfr11", "11.10(e)"), ref("annex11", "9")}, []string{"data", "logging"},
			[]string{"soc2"}, []string{"vplan"}),
		ctrl("REC-02", "records", "Encryption at rest", "Are records encrypted at rest with keys you control?",
			model.CriticalityMedium, []model.Ref{ref("annex11", "7.1")}, []string{"server-encryption"}, []string{"soc2", "iso27001"}, []string{"iq"}),
		ctrl("REC-03", "records", "Backup and verified restore", "Are backups taken and restores tested?",
			model.CriticalityHigh, []model.Ref{ref("annex11", "7.2")}, []string{"data", "platform"}, []string{"svc-docs"}, []string{"sop-backup"}),
		ctrl("OPS-01", "operations", "Operating system patching", "Are guest operating systems patched under change control?",
			model.CriticalityMedium, []model.Ref{ref("annex11", "12")}, []string{"os"}, []string{"soc2"}, []string{"iq"}),
		ctrl("OPS-02", "operations", "Training", "Are the people who build and run the system trained for their tasks?",
			model.CriticalityLow, []model.Ref{ref("21cfr11", "11.10(i)")}, []string{"governance"}, nil, []string{"training"}),
		ctrl("INF-01", "infrastructure", "Physical and environmental security", "Are the data centres physically secured?",
			model.CriticalityMedium, []model.Ref{ref("annex11", "12")}, []string{"global"}, []string{"soc2", "iso27001"}, nil),
		ctrl("INF-02", "infrastructure", "Resilient infrastructure", "Does the infrastructure survive the loss of an Availability Zone?",
			model.CriticalityLow, []model.Ref{ref("annex11", "16")}, []string{"foundation", "global"}, []string{"soc2", "svc-docs"}, nil),
		{ID: "OPN-01", Domain: "access", Title: "Open-system protections", Question: "Is traffic from outside encrypted and signed?",
			Criticality: model.CriticalityHigh, Refs: []model.Ref{ref("21cfr11", "11.30")}, Layers: []string{"traffic-protection"},
			AWSEvidence: []string{"svc-docs"}, CustomerEvidence: []string{"iq"}, AppliesWhen: model.Conditions{OpenSystem: true}},
		{ID: "SIG-01", Domain: "records", Title: "Signature manifestation", Question: "Do signed records show name, date, time and meaning?",
			Criticality: model.CriticalityHigh, Refs: []model.Ref{ref("21cfr11", "11.50")}, Layers: []string{"data"},
			CustomerEvidence: []string{"urs"}, AppliesWhen: model.Conditions{ESignatures: true}},
	}
	// ALCOA+ attributes and automated checks on some controls; the
	// others are procedural or say nothing, as a catalog may.
	tags := map[string]struct {
		alcoa      []model.Alcoa
		checks     model.AutomatedChecks
		procedural bool
	}{
		"SUP-01": {alcoa: []model.Alcoa{model.AlcoaConsistent}, procedural: true},
		"VAL-02": {alcoa: []model.Alcoa{model.AlcoaAccurate, model.AlcoaComplete}, procedural: true},
		"ACC-01": {alcoa: []model.Alcoa{model.AlcoaAttributable},
			checks: model.AutomatedChecks{Config: []string{"iam-user-mfa-enabled"}, SecurityHub: []string{"IAM.5"}}},
		"REC-01": {alcoa: []model.Alcoa{model.AlcoaAttributable, model.AlcoaContemporaneous, model.AlcoaOriginal},
			checks: model.AutomatedChecks{Config: []string{"cloudtrail-enabled", "multi-region-cloudtrail-enabled"},
				SecurityHub: []string{"CloudTrail.1"}, Prowler: []string{"cloudtrail_multi_region_enabled"}}},
		"REC-02": {alcoa: []model.Alcoa{model.AlcoaEnduring},
			checks: model.AutomatedChecks{Config: []string{"rds-storage-encrypted"}, Prowler: []string{"rds_instance_storage_encrypted"}}},
		"REC-03": {alcoa: []model.Alcoa{model.AlcoaEnduring, model.AlcoaAvailable}},
		"OPS-02": {procedural: true},
	}
	for i, c := range cat.Controls {
		if tg, ok := tags[c.ID]; ok {
			cat.Controls[i].Alcoa, cat.Controls[i].Checks, cat.Controls[i].Procedural = tg.alcoa, tg.checks, tg.procedural
		}
	}
	cat.Hash = "9f2c4e1a7b3d5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd"
	return cat
}

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func at(days int, hhmm string) time.Time {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return t0.AddDate(0, 0, days).Add(time.Duration(h-9)*time.Hour + time.Duration(m)*time.Minute)
}

func fixtureAssessment(cat *model.Catalog) model.Assessment {
	const cu, tp = model.SupplierCustomer, model.SupplierThirdParty
	ans := func(id string, st model.Status, day int, by string, links ...model.EvidenceLink) model.Answer {
		return model.Answer{Control: id, Status: st, Links: links, UpdatedAt: at(day, "10:30"), UpdatedBy: by}
	}
	link := func(entry, note string) model.EvidenceLink { return model.EvidenceLink{Entry: entry, Note: note} }
	a := model.Assessment{
		ID: "dms-prod", Name: "Document management system (production)", Organisation: "Example Pharma AG",
		System: "EDMS 4.2 on AWS", Workflow: model.WorkflowInReview,
		Scope: model.Scope{Impact: model.ImpactDirect, Frameworks: []string{"21cfr11", "annex11"}, ESignatures: true, InternetFacing: true,
			DataClassification: "GxP records, confidential", DataCategories: []model.DataCategory{model.DataPersonal}},
		Services: []model.SelectedService{
			{ID: "ec2", GAMP: &model.GAMPOverride{Category: model.GAMPConfigured,
				Justification: "The EDMS runs on an image we build and configure to our document workflow."}},
			{ID: "rds", Overrides: []model.ServiceOverride{{Layer: "server-encryption", Owner: model.OwnerCustomer,
				Justification: "Customer-managed KMS keys are mandated by the site's data-integrity policy."}}},
			{ID: "s3"},
		},
		Supplier: []model.SupplierRecord{
			{Source: "soc2", Obtained: "2025-01-20", PeriodStart: "2023-10-01", PeriodEnd: "2024-09-30", Version: "2024 H2",
				Reviewer: "J. Weber (QA)", Status: model.SupplierAccepted, Notes: "No exceptions relevant to EC2, RDS or S3."},
			{Source: "iso9001", Obtained: "2023-11-20", PeriodEnd: "2023-11-15", Version: "2023", Reviewer: "J. Weber (QA)",
				Status: model.SupplierReviewed},
			{Source: "qms", Obtained: "2025-01-20", Status: model.SupplierAccepted, Reviewer: "J. Weber (QA)"},
		},
		Register: []model.EvidenceEntry{
			{ID: "E1", Title: "Supplier assessment report: AWS", DocumentID: "QA-SA-0042", Version: "1.0", Date: "2025-01-24",
				Location: "EDMS/QA/Suppliers", Owner: cu, Kind: model.DocReport},
			{ID: "E2", Title: "IQ protocol, landing zone", DocumentID: "VAL-IQ-007", Version: "2", Date: "2025-02-10", Owner: cu, Kind: model.DocTestRecord},
			{ID: "E3", Title: "User requirements specification", DocumentID: "URS-EDMS-001", Version: "3.1", Date: "2025-01-15",
				Location: "EDMS/VAL", Owner: cu, Kind: model.DocSpecification},
			{ID: "E4", Title: "Audit-trail test report", DocumentID: "VAL-OQ-012", Version: "1", Date: "2025-02-28", Location: "EDMS/VAL",
				Owner: cu, Kind: model.DocTestRecord},
			{ID: "E5", Title: "Signature test script", DocumentID: "VAL-OQ-015", Version: "1", Date: "2025-03-01", Owner: cu, Kind: model.DocTestRecord},
			{ID: "E6", Title: "Access management SOP", DocumentID: "SOP-IT-007", Version: "4", Date: "2023-01-10", Location: "EDMS/SOP",
				Owner: cu, Kind: model.DocProcedure, ValidUntil: "2025-01-10"},
			{ID: "E7", Title: "Penetration test report", DocumentID: "PT-2025-01", Date: "2025-02-15", Owner: tp, Kind: model.DocReport,
				PeriodStart: "2025-01-06", PeriodEnd: "2025-01-31"},
			{ID: "E9", Title: "Network design", DocumentID: "NET-002", Version: "1.2", Owner: cu, Kind: model.DocSpecification},
		},
		RegisterIssued: 9, // E8 was removed
		Reports:        []model.ReportChoice{{Source: "iso27001", Reason: "The ISO certificate adds nothing the SOC 2 report does not cover for these services."}},
		Records: []model.RecordEntry{
			{DataClass: "Controlled SOPs and batch documentation", PredicateRule: "21 CFR 211.100, 211.186", Part11: true,
				Retention: "1 year after the expiry of the last batch", SystemOfRecord: "EDMS (Amazon RDS and S3)",
				Inspection: "read-only inspector role; PDF export with audit trail on request", Hybrid: true,
				Notes: "Signed on paper until the e-signature roll-out."},
			{DataClass: "Training records", Retention: "10 years", SystemOfRecord: "Site LMS, not on AWS"},
		},
		Answers: map[string]model.Answer{},
		SignOffs: []model.SignOff{
			{By: "Anna Keller", Role: "System owner", Meaning: "Reviewed and approved the responsibility split", At: at(9, "16:00")},
		},
		Catalog:   model.CatalogRef{Version: cat.Version, Hash: cat.Hash},
		CreatedAt: t0, CreatedBy: "anna.keller", UpdatedAt: at(9, "16:00"),
	}
	for _, x := range []model.Answer{
		ans("SUP-01", model.StatusImplemented, 1, "anna.keller", link("E1", "")),
		ans("VAL-01", model.StatusPartial, 2, "marc.dubois", link("E2", "§5 automated IQ"), link("aws:soc2", "CC8.1 change management")),
		ans("VAL-02", model.StatusImplemented, 2, "marc.dubois", link("E3", "")),
		ans("ACC-01", model.StatusImplemented, 3, "marc.dubois", link("E6", ""), link("E7", "§3 access findings")),
		ans("ACC-02", model.StatusPlanned, 3, "marc.dubois"),
		ans("REC-01", model.StatusImplemented, 4, "anna.keller", link("E4", "§4.3")),
		ans("REC-02", model.StatusNotImplemented, 4, "anna.keller"),
		{Control: "OPS-02", Status: model.StatusNotApplicable, Justification: "Training is covered by the site-wide training SOP, assessed separately.",
			UpdatedAt: at(5, "11:00"), UpdatedBy: "anna.keller"},
		ans("INF-01", model.StatusImplemented, 5, "anna.keller"),
		ans("SIG-01", model.StatusImplemented, 6, "anna.keller", link("E5", "")),
		ans("OPN-01", model.StatusImplemented, 6, "anna.keller", link("E9", "")), // not applicable to a closed system: out of scope
	} {
		x.Notes = map[string]string{"VAL-01": "Automated IQ runs from the CloudFormation templates; PQ still open.",
			"REC-02": "RDS snapshots use the default key; a customer-managed key is planned for Q3.",
			"ACC-01": "Access reviews are quarterly.\nLast review 2025-02-20: no findings."}[x.Control]
		if x.Control == "ACC-02" {
			x.Justification = "Waits for the network redesign in Q2; until then the default VPC rules apply."
		}
		a.Answers[x.Control] = x
	}
	return a
}

// trailFor writes the audit trail that builds a: its creation, scope,
// services, supplier records, the answers in the order they were given
// (VAL-01 planned before partial), the workflow step and the sign-offs.
// The chain is linked with the real hashes, and replaying the trail gives
// a back, so the JSON bundle verifies.
func trailFor(a model.Assessment) []model.AuditEntry {
	var es []model.AuditEntry
	add := func(t time.Time, actor, action, target string, old, new any, reason string) {
		e := model.AuditEntry{Assessment: a.ID, Time: t, Actor: actor, Action: action, Target: target, Reason: reason}
		if old != nil {
			e.Old = mustJSON(old)
		}
		e.New = mustJSON(new)
		es = append(es, e)
	}
	by := a.CreatedBy
	initial := model.Assessment{ID: a.ID, Name: a.Name, Organisation: a.Organisation, System: a.System,
		Workflow: model.WorkflowDraft, Catalog: a.Catalog, CreatedAt: a.CreatedAt, CreatedBy: a.CreatedBy, UpdatedAt: a.CreatedAt}
	add(a.CreatedAt, by, model.ActCreate, "assessment", nil, initial, "")
	add(a.CreatedAt.Add(5*time.Minute), by, model.ActScope, "scope", nil, a.Scope, "")
	add(a.CreatedAt.Add(20*time.Minute), by, model.ActServices, "services", nil, a.Services, "")
	for i, r := range a.Supplier {
		add(a.CreatedAt.Add(time.Duration(30+i)*time.Minute), by, model.ActSupplier, "supplier/"+r.Source, nil, r, "")
	}
	for _, r := range a.Reports {
		add(a.CreatedAt.Add(40*time.Minute), by, model.ActReport, "report/"+r.Source, nil, r, "")
	}
	// The register as the trail builds it: entries in id order, one
	// removed on the way (ids are never reused).
	issued := 0
	for _, e := range a.Register {
		if e.ID == model.EntryID(issued+2) {
			gone := model.EvidenceEntry{ID: model.EntryID(issued + 1), Title: "Draft entry", Owner: model.SupplierCustomer}
			add(a.CreatedAt.Add(45*time.Minute), by, model.ActEntry, "evidence/"+gone.ID, nil, gone, "")
			add(a.CreatedAt.Add(46*time.Minute), by, model.ActEntry, "evidence/"+gone.ID, gone, nil, "entered twice")
			issued++
		}
		add(a.CreatedAt.Add(50*time.Minute), by, model.ActEntry, "evidence/"+e.ID, nil, e, "")
		issued++
	}
	for i, r := range a.Records {
		add(a.CreatedAt.Add(time.Duration(40+i)*time.Minute), by, model.ActRecord, "records/"+r.DataClass, nil, r, "")
	}
	answers := make([]model.Answer, 0, len(a.Answers))
	for _, ans := range a.Answers {
		answers = append(answers, ans)
	}
	sort.Slice(answers, func(i, j int) bool {
		if !answers[i].UpdatedAt.Equal(answers[j].UpdatedAt) {
			return answers[i].UpdatedAt.Before(answers[j].UpdatedAt)
		}
		return answers[i].Control < answers[j].Control
	})
	for _, ans := range answers {
		target := "answer/" + ans.Control
		links := ans.Links
		ans.Links = nil // an answer is recorded, then its links
		if ans.Status == model.StatusPartial {
			first := ans
			first.Status, first.Evidence, first.Notes = model.StatusPlanned, nil, ""
			first.UpdatedAt = ans.UpdatedAt.Add(-time.Hour)
			add(first.UpdatedAt, ans.UpdatedBy, model.ActAnswer, target, nil, first, "")
			add(ans.UpdatedAt, ans.UpdatedBy, model.ActAnswer, target, first, ans, "IQ executed; PQ open")
		} else {
			add(ans.UpdatedAt, ans.UpdatedBy, model.ActAnswer, target, nil, ans, "")
		}
		if len(links) > 0 {
			add(ans.UpdatedAt, ans.UpdatedBy, model.ActLinks, "links/"+ans.Control, nil, links, "")
		}
	}
	if a.Workflow != model.WorkflowDraft {
		t := a.UpdatedAt.Add(-time.Minute)
		if len(a.SignOffs) == 0 {
			t = a.UpdatedAt
		}
		add(t, by, model.ActWorkflow, "workflow", model.WorkflowDraft, a.Workflow, "Ready for QA review")
	}
	for _, so := range a.SignOffs {
		add(so.At, by, model.ActSignOff, "signoffs", nil, so, "")
	}
	return chain(es)
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// chain numbers the entries and links them by their hashes.
func chain(es []model.AuditEntry) []model.AuditEntry {
	prev := ""
	for i := range es {
		es[i].Seq = uint64(i + 1)
		es[i].PrevHash = prev
		es[i].Hash = es[i].ComputeHash()
		prev = es[i].Hash
	}
	return es
}

// benchInput is a synthetic assessment with n applicable, answered
// controls over the fixture's layers, services and evidence.
func benchInput(n int) Input {
	cat := fixtureCatalog()
	base := cat.Controls
	cat.Controls = make([]model.Control, 0, n)
	for i := range n {
		c := base[i%12] // the twelve unconditional controls
		c.ID = fmt.Sprintf("SYN-%05d", i)
		c.Title = fmt.Sprintf("%s (%d)", c.Title, i)
		cat.Controls = append(cat.Controls, c)
	}
	a := fixtureAssessment(fixtureCatalog())
	a.Answers = make(map[string]model.Answer, n)
	statuses := []model.Status{model.StatusImplemented, model.StatusImplemented, model.StatusPartial, model.StatusPlanned, model.StatusNotImplemented, model.StatusNotApplicable}
	for i, c := range cat.Controls {
		ans := model.Answer{Control: c.ID, Status: statuses[i%len(statuses)], UpdatedAt: at(i%9, "10:30"), UpdatedBy: "anna.keller"}
		if ans.Status == model.StatusNotApplicable {
			ans.Justification = "Covered elsewhere."
		} else {
			ans.Evidence = []model.EvidenceRef{{Title: "Test report " + c.ID, DocumentID: "VAL-" + c.ID, Version: "1", Date: "2025-02-01", Supplier: model.SupplierCustomer}}
		}
		a.Answers[c.ID] = ans
	}
	return Input{Catalog: cat, Assessment: a, Trail: trailFor(a)}
}

func fixtureInput(t testing.TB) Input {
	t.Helper()
	cat := fixtureCatalog()
	if probs := cat.Validate(); len(probs) > 0 {
		t.Fatalf("fixture catalog is invalid: %v", probs)
	}
	a := fixtureAssessment(cat)
	return Input{Catalog: cat, Assessment: a, Trail: trailFor(a)}
}

// longNote is a note of n numbered findings, in paragraphs of 40: longer
// than a printed page, each word once.
func longNote(n int) string {
	var b strings.Builder
	for i := range n {
		switch {
		case i == 0:
		case i%40 == 0:
			b.WriteString("\n\n")
		default:
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "finding%04d", i)
	}
	return b.String()
}

// workshopInput is an assessment like the one of a live workshop: a LIMS
// on 11 services of the embedded catalog, two thirds of the
// applicable controls answered, about a third of them with a note and a
// third with evidence.
func workshopInput(t testing.TB) Input {
	t.Helper()
	cat, err := model.ParseCatalog(assets.Catalog(), assets.CatalogName)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string // 11 services from all over the catalog, so of every kind
	for i := range min(11, len(cat.Services)) {
		ids = append(ids, cat.Services[i*len(cat.Services)/11].ID)
	}
	a := model.Assessment{
		ID: "lims-prod", Name: "Laboratory information management system (LIMS) on AWS", Organisation: "Example Pharma AG",
		System: "LabWare LIMS 8 on AWS", Workflow: model.WorkflowInReview, CreatedBy: "consultant", CreatedAt: t0, UpdatedAt: at(9, "16:00"),
		Scope:    model.Scope{Impact: model.ImpactDirect, ESignatures: true, OpenSystem: true, DataClassification: "GxP records"},
		Services: model.Select(ids...),
		Catalog:  model.CatalogRef{Version: cat.Version, Hash: cat.Hash},
		Answers:  map[string]model.Answer{},
		Supplier: []model.SupplierRecord{{Source: cat.AWSSources()[0].ID, Obtained: "2025-01-20", Reviewer: "QA", Status: model.SupplierAccepted}},
		SignOffs: []model.SignOff{{By: "Anna Keller", Role: "System owner", Meaning: "Reviewed the responsibility split", At: at(9, "16:00")}},
	}
	applicable := cat.Applicable(a.Scope, a.Services)
	for i, c := range applicable[:len(applicable)*2/3] {
		st := model.Statuses[i%len(model.Statuses)]
		ans := model.Answer{Control: c.ID, Status: st, UpdatedAt: at(i%9, "10:30"), UpdatedBy: "consultant"}
		if st == model.StatusNotApplicable {
			ans.Justification = "Not used by this system: the LIMS keeps no records of this kind, see the system description SD-LIMS-001."
		}
		if i%3 == 0 {
			ans.Notes = fmt.Sprintf("Workshop note %d: discussed with the system owner.\nFollow-up: confirm with IT operations by the next review.", i)
		}
		if i == 3 {
			ans.Notes = longNote(1200)
		}
		if i%3 == 1 && st != model.StatusNotApplicable {
			ans.Evidence = []model.EvidenceRef{{Title: "Operational qualification report", DocumentID: "OQ-LIMS-" + c.ID, Version: "1.2",
				Date: "2025-02-14", Location: "Veeva Vault/QA/LIMS", Supplier: model.SupplierCustomer}}
		}
		a.Answers[c.ID] = ans
	}
	return Input{Catalog: cat, Assessment: a, Trail: trailFor(a), Version: "v1.4.0-test"}
}
