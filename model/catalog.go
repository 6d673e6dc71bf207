// Package model is Onus's domain: the catalog of layers, services and
// controls, the responsibility engine that decides who owns what, and the
// assessment a user builds. It is pure Go: no terminal and no storage code.
package model

import (
	"slices"
	"strings"
)

// Owner says who is responsible for a layer of a service's stack.
type Owner string

const (
	OwnerAWS      Owner = "aws"      // security of the cloud
	OwnerCustomer Owner = "customer" // security in the cloud
	OwnerShared   Owner = "shared"   // AWS provides the mechanism, the customer configures and enforces it
	// OwnerNone marks a layer the service does not have, such as the guest
	// operating system of a network-only service. Only a catalog's service
	// overrides use it: nobody owns what does not exist.
	OwnerNone Owner = "none"
)

// Weight orders owners by the strength of the customer's obligation:
// customer > shared > aws > none. The solution stack keeps the strongest.
func (o Owner) Weight() int {
	switch o {
	case OwnerCustomer:
		return 2
	case OwnerShared:
		return 1
	case OwnerNone:
		return -1
	}
	return 0
}

// Valid reports whether o is one of the three owners a layer can have.
func (o Owner) Valid() bool {
	return o == OwnerAWS || o == OwnerCustomer || o == OwnerShared
}

// Exists reports whether the layer is there at all: every owner but none.
func (o Owner) Exists() bool { return o != OwnerNone }

// Label is the owner as a word for people.
func (o Owner) Label() string {
	switch o {
	case OwnerAWS:
		return "AWS"
	case OwnerCustomer:
		return "Customer"
	case OwnerShared:
		return "Shared"
	case OwnerNone:
		return "Not applicable"
	}
	return string(o)
}

// ServiceModel is the kind of AWS service; the of/in-the-cloud line moves with it.
type ServiceModel string

const (
	ModelInfrastructure ServiceModel = "infrastructure" // e.g. EC2: the customer runs the guest OS and up
	ModelContainer      ServiceModel = "container"      // e.g. RDS: AWS runs OS and engine, the customer configures
	ModelAbstracted     ServiceModel = "abstracted"     // e.g. S3: AWS runs everything below the API
)

// ServiceModels lists the models in the order they are shown.
var ServiceModels = []ServiceModel{ModelInfrastructure, ModelContainer, ModelAbstracted}

// Valid reports whether m is a known service model.
func (m ServiceModel) Valid() bool {
	return m == ModelInfrastructure || m == ModelContainer || m == ModelAbstracted
}

// Catalog is everything Onus knows about AWS and GxP: the layers of a
// responsibility stack, the services, the frameworks, the evidence sources and
// the controls. It is loaded from YAML or JSON and never changed afterwards.
type Catalog struct {
	Schema      int              `json:"schema" yaml:"schema"`
	Version     string           `json:"version" yaml:"version"`
	Name        string           `json:"name" yaml:"name"`
	Description string           `json:"description,omitempty" yaml:"description,omitempty"`
	Layers      []Layer          `json:"layers" yaml:"layers"`
	Frameworks  []Framework      `json:"frameworks" yaml:"frameworks"`
	Domains     []Domain         `json:"domains" yaml:"domains"`
	Evidence    []EvidenceSource `json:"evidence" yaml:"evidence"`
	// Programmes are the compliance programmes beyond GxP a scope can
	// name, which make AWS reports relevant (EvidenceSource.Relevance).
	Programmes []Programme `json:"programmes,omitempty" yaml:"programmes,omitempty"`
	Services   []Service   `json:"services" yaml:"services"`
	Controls   []Control   `json:"controls" yaml:"controls"`

	// Hash is the SHA-256 of the catalog's canonical JSON encoding, set by the
	// loader; an assessment records it with Version.
	Hash string `json:"-" yaml:"-"`

	index *catalogIndex
}

// Layer is one row of a responsibility stack. Layers are listed top to
// bottom: the first is closest to the customer, the last is the hardware.
type Layer struct {
	ID          string `json:"id" yaml:"id"`
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// Owners gives the default owner for each service model.
	Owners map[ServiceModel]Owner `json:"owners" yaml:"owners"`
	// CustomerDuty and AWSDuty say, in a phrase, what each party does on this
	// layer; they make the engine's reasons readable.
	CustomerDuty string `json:"customer_duty,omitempty" yaml:"customer_duty,omitempty"`
	AWSDuty      string `json:"aws_duty,omitempty" yaml:"aws_duty,omitempty"`
}

// Framework is one edition of a regulation or guide whose clauses controls
// refer to. Editions of one family (EU GMP Annex 11 of 2011 and its July
// 2025 draft) are separate frameworks; an assessment answers to one of them.
type Framework struct {
	ID string `json:"id" yaml:"id"` // 21cfr11, annex11, annex11-2025d, gamp5
	// Family names the regulation or guide this is an edition of; empty
	// means the framework is a family of its own.
	Family  string `json:"family,omitempty" yaml:"family,omitempty"`
	Name    string `json:"name" yaml:"name"`
	Edition string `json:"edition,omitempty" yaml:"edition,omitempty"`
	// Draft marks an edition published for comment, not yet in force; it
	// is in effect only when an assessment chooses it.
	Draft   bool     `json:"draft,omitempty" yaml:"draft,omitempty"`
	Clauses []Clause `json:"clauses" yaml:"clauses"`
}

// Clause is one clause of a framework, written as the regulation writes it
// ("11.10(e)", "9", "4.2").
type Clause struct {
	ID    string `json:"id" yaml:"id"`
	Title string `json:"title" yaml:"title"`
}

// Domain groups controls for the questions screen (audit trail, access, ...).
type Domain struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
}

// DataCategory is a kind of data the solution holds that brings obligations
// of its own, whatever the services: health data needs a business associate
// addendum, personal data a data processing agreement.
type DataCategory string

const (
	DataHealth   DataCategory = "health"   // patient health information (e.g. PHI under HIPAA)
	DataPersonal DataCategory = "personal" // personal data of identifiable people (e.g. under the GDPR)
	// DataPaymentCard is cardholder data, which brings PCI DSS.
	DataPaymentCard DataCategory = "payment-card"
)

// DataCategories lists the categories a scope can record, in the order offered.
var DataCategories = []DataCategory{DataHealth, DataPersonal, DataPaymentCard}

// Valid reports whether d is a known data category.
func (d DataCategory) Valid() bool { return slices.Contains(DataCategories, d) }

// Label is the category as words for people.
func (d DataCategory) Label() string {
	switch d {
	case DataHealth:
		return "health data"
	case DataPersonal:
		return "personal data"
	case DataPaymentCard:
		return "payment card data"
	}
	return string(d)
}

// Supplier is who supplies a piece of evidence.
type Supplier string

const (
	SupplierAWS        Supplier = "aws"
	SupplierCustomer   Supplier = "customer"
	SupplierThirdParty Supplier = "third-party"
)

// Valid reports whether s is a known supplier.
func (s Supplier) Valid() bool {
	return s == SupplierAWS || s == SupplierCustomer || s == SupplierThirdParty
}

// EvidenceKind classifies an evidence source.
type EvidenceKind string

const (
	KindArtifactReport EvidenceKind = "artifact-report" // third-party audit report or certificate from AWS Artifact
	KindQMS            EvidenceKind = "qms"             // the AWS quality management system overview
	KindDocumentation  EvidenceKind = "documentation"   // service documentation, whitepapers
	KindAgreement      EvidenceKind = "agreement"       // SLAs, customer agreement, BAA
	KindLifecycle      EvidenceKind = "lifecycle"       // a customer life-cycle document
	KindPublicReport   EvidenceKind = "public-report"   // published openly: SOC 3, NIST FIPS 140 certificates
)

// Freshness is how a piece of evidence goes stale.
type Freshness string

const (
	// FreshByAge: stale ValidMonths after the end of the period it covers
	// (or after it was obtained). The default when ValidMonths is set.
	FreshByAge Freshness = "age"
	// FreshNextReport: a report in a series published on a schedule, stale
	// once the next one is due: CadenceMonths after its period ends, plus
	// PublishDays for the report to come out.
	FreshNextReport Freshness = "next-report"
	// FreshCertificate: stale after the certificate's expiry (recorded as
	// its period end) and, when ValidMonths is set, once its last
	// surveillance audit is more than ValidMonths old.
	FreshCertificate Freshness = "certificate"
)

// EvidenceSource is a kind of document that can evidence a control: an AWS
// Artifact report, AWS documentation, or a customer life-cycle document.
type EvidenceSource struct {
	ID          string       `json:"id" yaml:"id"`
	Name        string       `json:"name" yaml:"name"`
	Supplier    Supplier     `json:"supplier" yaml:"supplier"`
	Kind        EvidenceKind `json:"kind" yaml:"kind"`
	Description string       `json:"description,omitempty" yaml:"description,omitempty"`
	// Freshness is how a copy goes stale; empty means by age when
	// ValidMonths is set, and never otherwise.
	Freshness Freshness `json:"freshness,omitempty" yaml:"freshness,omitempty"`
	// ValidMonths is how long a copy stays current: after its period (by
	// age), or after its last surveillance audit (certificates).
	ValidMonths int `json:"valid_months,omitempty" yaml:"valid_months,omitempty"`
	// CadenceMonths and PublishDays describe a report series (next-report):
	// a new report every CadenceMonths, published PublishDays after the end
	// of its period.
	CadenceMonths int `json:"cadence_months,omitempty" yaml:"cadence_months,omitempty"`
	PublishDays   int `json:"publish_days,omitempty" yaml:"publish_days,omitempty"`
	// Relevance says when an AWS source belongs in an assessment's
	// supplier assessment; without it, always.
	Relevance *Relevance `json:"relevance,omitempty" yaml:"relevance,omitempty"`
}

// Relevance is the catalog's rule for when an AWS report matters: always,
// optional (never missing, whatever the scope), or when the scope holds
// one of the data categories, names one of the programmes, or selects one
// of the services. A report that does not matter is listed as optional;
// its absence is no gap. Exactly one of always, optional or the
// conditions is given.
type Relevance struct {
	Always        bool           `json:"always,omitempty" yaml:"always,omitempty"`
	Optional      bool           `json:"optional,omitempty" yaml:"optional,omitempty"`
	DataAny       []DataCategory `json:"data_any,omitempty" yaml:"data_any,omitempty"`
	ProgrammesAny []string       `json:"programmes_any,omitempty" yaml:"programmes_any,omitempty"`
	ServicesAny   []string       `json:"services_any,omitempty" yaml:"services_any,omitempty"`
}

// Programme is a compliance programme beyond GxP that a scope can name,
// such as a US federal authorisation.
type Programme struct {
	ID          string `json:"id" yaml:"id"`
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
}

// Category groups services (compute, storage, database, ...).
type Category string

// Categories lists the known service categories.
var Categories = []Category{"compute", "containers", "storage", "database", "networking", "security", "management", "analytics", "integration", "ml", "health", "developer", "end-user"}

// Service is an AWS service as the catalog models it.
type Service struct {
	ID          string       `json:"id" yaml:"id"` // as the AWS CLI names it: ec2, rds, s3
	Name        string       `json:"name" yaml:"name"`
	Category    Category     `json:"category" yaml:"category"`
	Model       ServiceModel `json:"model" yaml:"model"`
	Description string       `json:"description,omitempty" yaml:"description,omitempty"`
	// Overrides change the owner of single layers where the service does not
	// follow its model (EKS worker nodes, a VPC without an operating
	// system, ...).
	Overrides []LayerOverride `json:"overrides,omitempty" yaml:"overrides,omitempty"`
	// GAMPCategory is the GAMP 5 software category the service usually
	// takes in a validation: 1 (infrastructure software, the default when
	// omitted), 3 (product used as supplied), 4 (configured product) or
	// 5 (custom). GAMPReason says why when it is not 1.
	GAMPCategory int    `json:"gamp_category,omitempty" yaml:"gamp_category,omitempty"`
	GAMPReason   string `json:"gamp_reason,omitempty" yaml:"gamp_reason,omitempty"`
	// Resources are the infrastructure-as-code resource types whose
	// presence means the solution uses the service (see ResourceTypes).
	// The default catalog maps every service, or says why it cannot.
	Resources ResourceTypes `json:"resources,omitzero" yaml:"resources,omitempty"`
}

// LayerOverride moves one layer of one service to another owner, with the
// reason a consultant can read aloud. The owner may be none: the service
// does not have that layer.
type LayerOverride struct {
	Layer  string `json:"layer" yaml:"layer"`
	Owner  Owner  `json:"owner" yaml:"owner"`
	Reason string `json:"reason" yaml:"reason"`
}

// Criticality is how much a control matters for patient safety, product
// quality and data integrity.
type Criticality string

const (
	CriticalityHigh   Criticality = "high"
	CriticalityMedium Criticality = "medium"
	CriticalityLow    Criticality = "low"
)

// Valid reports whether c is a known criticality.
func (c Criticality) Valid() bool {
	return c == CriticalityHigh || c == CriticalityMedium || c == CriticalityLow
}

// Ref points a control at a framework clause.
type Ref struct {
	Framework string `json:"framework" yaml:"framework"`
	Clause    string `json:"clause" yaml:"clause"`
}

// String gives the reference as people cite it: "21cfr11 11.10(e)".
func (r Ref) String() string { return r.Framework + " " + r.Clause }

// Control is one thing an assessment must show: a question asked in a
// workshop, the layers it lives on and the evidence each party supplies.
type Control struct {
	ID       string `json:"id" yaml:"id"`
	Domain   string `json:"domain" yaml:"domain"`
	Title    string `json:"title" yaml:"title"`
	Question string `json:"question" yaml:"question"`
	Guidance string `json:"guidance,omitempty" yaml:"guidance,omitempty"`
	Refs     []Ref  `json:"refs" yaml:"refs"`
	// Layers are the layers the control lives on; the first is its subject.
	// A service without that layer (a network, for patching) takes no part
	// in the control, and the control does not apply when no selected
	// service has it.
	Layers []string `json:"layers" yaml:"layers"`
	// CustomerPart and AWSPart say, in a phrase about this control's own
	// subject, what each party does: the customer's part as a noun phrase
	// ("keeping an audit trail of ..."), AWS's as a verb phrase without its
	// subject ("provides CloudTrail and database audit features"). The
	// engine combines them with the services that cause the split; without
	// them it falls back to the duties of the control's layers.
	CustomerPart string `json:"customer_part,omitempty" yaml:"customer_part,omitempty"`
	AWSPart      string `json:"aws_part,omitempty" yaml:"aws_part,omitempty"`
	// GxPBaseline marks an obligation GxP sets whatever the regulation
	// (supplier oversight, governance, change, operations): choosing
	// frameworks in the scope never removes it.
	GxPBaseline bool        `json:"gxp_baseline,omitempty" yaml:"gxp_baseline,omitempty"`
	Criticality Criticality `json:"criticality" yaml:"criticality"`
	// AWSEvidence and CustomerEvidence name evidence sources by id.
	AWSEvidence      []string   `json:"aws_evidence,omitempty" yaml:"aws_evidence,omitempty"`
	CustomerEvidence []string   `json:"customer_evidence,omitempty" yaml:"customer_evidence,omitempty"`
	AppliesWhen      Conditions `json:"applies_when,omitzero" yaml:"applies_when,omitempty"`
	// Alcoa names the ALCOA+ attributes of data integrity the control
	// protects.
	Alcoa []Alcoa `json:"alcoa,omitempty" yaml:"alcoa,omitempty"`
	// Checks are the automated checks whose results can evidence the
	// control's AWS-configuration part; Procedural marks a control no
	// automated check can evidence (documents, tests and records only).
	Checks     AutomatedChecks `json:"checks,omitzero" yaml:"checks,omitempty"`
	Procedural bool            `json:"procedural,omitempty" yaml:"procedural,omitempty"`
}

// Alcoa is one attribute of data integrity in ALCOA+.
type Alcoa string

const (
	AlcoaAttributable    Alcoa = "attributable"
	AlcoaLegible         Alcoa = "legible"
	AlcoaContemporaneous Alcoa = "contemporaneous"
	AlcoaOriginal        Alcoa = "original"
	AlcoaAccurate        Alcoa = "accurate"
	AlcoaComplete        Alcoa = "complete"
	AlcoaConsistent      Alcoa = "consistent"
	AlcoaEnduring        Alcoa = "enduring"
	AlcoaAvailable       Alcoa = "available"
)

// AlcoaAttributes lists the ALCOA+ attributes in their usual order.
var AlcoaAttributes = []Alcoa{AlcoaAttributable, AlcoaLegible, AlcoaContemporaneous, AlcoaOriginal, AlcoaAccurate,
	AlcoaComplete, AlcoaConsistent, AlcoaEnduring, AlcoaAvailable}

// Valid reports whether a is an ALCOA+ attribute.
func (a Alcoa) Valid() bool { return slices.Contains(AlcoaAttributes, a) }

// Label is the attribute as people write it: "Attributable".
func (a Alcoa) Label() string {
	if a == "" {
		return ""
	}
	return strings.ToUpper(string(a[:1])) + string(a[1:])
}

// AutomatedChecks name, by their public identifiers, the checks whose
// results can evidence a control's AWS-configuration part: AWS Config
// managed rules (cloudtrail-enabled), AWS Security Hub controls
// (CloudTrail.1) and Prowler checks (cloudtrail_multi_region_enabled).
// Their results are evidence, not proof of compliance.
type AutomatedChecks struct {
	Config      []string `json:"config,omitempty" yaml:"config,omitempty"`
	SecurityHub []string `json:"securityhub,omitempty" yaml:"securityhub,omitempty"`
	Prowler     []string `json:"prowler,omitempty" yaml:"prowler,omitempty"`
}

// IsZero lets encoders omit a control with no checks.
func (a AutomatedChecks) IsZero() bool {
	return len(a.Config) == 0 && len(a.SecurityHub) == 0 && len(a.Prowler) == 0
}

// Count is the number of checks named.
func (a AutomatedChecks) Count() int { return len(a.Config) + len(a.SecurityHub) + len(a.Prowler) }

// ToolChecks are the checks of one tool, named as people name the tool.
type ToolChecks struct {
	Tool string // "AWS Config", "Security Hub", "Prowler"
	IDs  []string
}

// ByTool lists the checks by tool, leaving out tools with none.
func (a AutomatedChecks) ByTool() []ToolChecks {
	var out []ToolChecks
	for _, t := range []ToolChecks{{"AWS Config", a.Config}, {"Security Hub", a.SecurityHub}, {"Prowler", a.Prowler}} {
		if len(t.IDs) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// Identifier shapes of each tool's checks, which validation enforces
// (shapes.go).
var automatedFormat = []struct {
	tool, example string
	valid         func(string) bool
	ids           func(AutomatedChecks) []string
}{
	{"config", "cloudtrail-enabled", isConfigRuleID, func(a AutomatedChecks) []string { return a.Config }},
	{"securityhub", "CloudTrail.1", isSecurityHubID, func(a AutomatedChecks) []string { return a.SecurityHub }},
	{"prowler", "cloudtrail_multi_region_enabled", isProwlerCheckID, func(a AutomatedChecks) []string { return a.Prowler }},
}

// Conditions limit when a control applies. Empty fields do not limit.
//
// The scope conditions (multi-tenant, open system, e-signatures, impact)
// must all hold. The subject conditions say what the solution must touch:
// a selected service that matches the service lists (any of services_any,
// categories_any, models_any; no list means any service) and resolves a
// layer in layer_owners to one of its owners; or, from the scope, a data
// category in data_any. When subject conditions are given, any one of them
// is enough. A control never applies when no selected service has its
// first layer (see Control.Layers).
type Conditions struct {
	MultiTenant bool `json:"multi_tenant,omitempty" yaml:"multi_tenant,omitempty"` // only for multi-tenant solutions
	OpenSystem  bool `json:"open_system,omitempty" yaml:"open_system,omitempty"`   // only for open systems (11.3(b)(9), 11.30)
	ESignatures bool `json:"esignatures,omitempty" yaml:"esignatures,omitempty"`   // only when electronic signatures are used
	// InternetFacing: only when some endpoint is reachable from the internet.
	InternetFacing bool `json:"internet_facing,omitempty" yaml:"internet_facing,omitempty"`
	// MinImpact is the lowest GxP impact at which the control applies
	// (none < indirect < direct); empty means it always applies.
	MinImpact     GxPImpact      `json:"min_impact,omitempty" yaml:"min_impact,omitempty"`
	ServicesAny   []string       `json:"services_any,omitempty" yaml:"services_any,omitempty"`
	CategoriesAny []Category     `json:"categories_any,omitempty" yaml:"categories_any,omitempty"`
	ModelsAny     []ServiceModel `json:"models_any,omitempty" yaml:"models_any,omitempty"`
	// LayerOwners maps a layer to owners: a selected service qualifies when
	// it resolves one of these layers to one of its owners, so that a
	// control about the guest OS applies wherever the OS is, wholly or
	// partly, the customer's ({os: [customer, shared]}).
	LayerOwners map[string][]Owner `json:"layer_owners,omitempty" yaml:"layer_owners,omitempty"`
	// DataAny applies the control when the scope records one of these
	// categories of data.
	DataAny []DataCategory `json:"data_any,omitempty" yaml:"data_any,omitempty"`
}

// IsZero lets encoders omit empty conditions.
func (c Conditions) IsZero() bool {
	return !c.MultiTenant && !c.OpenSystem && !c.ESignatures && !c.InternetFacing && c.MinImpact == "" &&
		len(c.ServicesAny) == 0 && len(c.CategoriesAny) == 0 && len(c.ModelsAny) == 0 &&
		len(c.LayerOwners) == 0 && len(c.DataAny) == 0
}
