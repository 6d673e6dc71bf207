// Package model is Onus's domain: the catalog of layers, services and
// controls, the responsibility engine that decides who owns what, and the
// assessment a user builds. It is pure Go: no terminal and no storage code.
package model

// Owner says who is responsible for a layer of a service's stack.
type Owner string

const (
	OwnerAWS      Owner = "aws"      // security of the cloud
	OwnerCustomer Owner = "customer" // security in the cloud
	OwnerShared   Owner = "shared"   // AWS provides the mechanism, the customer configures and enforces it
)

// Weight orders owners by the strength of the customer's obligation:
// customer > shared > aws. The solution stack keeps the strongest.
func (o Owner) Weight() int {
	switch o {
	case OwnerCustomer:
		return 2
	case OwnerShared:
		return 1
	}
	return 0
}

// Valid reports whether o is one of the three owners.
func (o Owner) Valid() bool {
	return o == OwnerAWS || o == OwnerCustomer || o == OwnerShared
}

// Label is the owner as a word for people.
func (o Owner) Label() string {
	switch o {
	case OwnerAWS:
		return "AWS"
	case OwnerCustomer:
		return "Customer"
	case OwnerShared:
		return "Shared"
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
	Services    []Service        `json:"services" yaml:"services"`
	Controls    []Control        `json:"controls" yaml:"controls"`

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

// Framework is a regulation or guide whose clauses controls refer to.
type Framework struct {
	ID      string   `json:"id" yaml:"id"` // 21cfr11, annex11, gamp5
	Name    string   `json:"name" yaml:"name"`
	Edition string   `json:"edition,omitempty" yaml:"edition,omitempty"`
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
)

// EvidenceSource is a kind of document that can evidence a control: an AWS
// Artifact report, AWS documentation, or a customer life-cycle document.
type EvidenceSource struct {
	ID          string       `json:"id" yaml:"id"`
	Name        string       `json:"name" yaml:"name"`
	Supplier    Supplier     `json:"supplier" yaml:"supplier"`
	Kind        EvidenceKind `json:"kind" yaml:"kind"`
	Description string       `json:"description,omitempty" yaml:"description,omitempty"`
	// ValidMonths is how long a copy stays current before it is stale
	// (0: does not go stale by age).
	ValidMonths int `json:"valid_months,omitempty" yaml:"valid_months,omitempty"`
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
	// follow its model (EKS worker nodes, Lambda in a VPC, ...).
	Overrides []LayerOverride `json:"overrides,omitempty" yaml:"overrides,omitempty"`
}

// LayerOverride moves one layer of one service to another owner, with the
// reason a consultant can read aloud.
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
	ID          string      `json:"id" yaml:"id"`
	Domain      string      `json:"domain" yaml:"domain"`
	Title       string      `json:"title" yaml:"title"`
	Question    string      `json:"question" yaml:"question"`
	Guidance    string      `json:"guidance,omitempty" yaml:"guidance,omitempty"`
	Refs        []Ref       `json:"refs" yaml:"refs"`
	Layers      []string    `json:"layers" yaml:"layers"`
	Criticality Criticality `json:"criticality" yaml:"criticality"`
	// AWSEvidence and CustomerEvidence name evidence sources by id.
	AWSEvidence      []string   `json:"aws_evidence,omitempty" yaml:"aws_evidence,omitempty"`
	CustomerEvidence []string   `json:"customer_evidence,omitempty" yaml:"customer_evidence,omitempty"`
	AppliesWhen      Conditions `json:"applies_when,omitzero" yaml:"applies_when,omitempty"`
}

// Conditions limit when a control applies. Empty fields do not limit.
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
}

// IsZero lets encoders omit empty conditions.
func (c Conditions) IsZero() bool {
	return !c.MultiTenant && !c.OpenSystem && !c.ESignatures && !c.InternetFacing && c.MinImpact == "" &&
		len(c.ServicesAny) == 0 && len(c.CategoriesAny) == 0 && len(c.ModelsAny) == 0
}
