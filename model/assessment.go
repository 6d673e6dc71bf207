package model

import (
	"slices"
	"time"
)

// GxPImpact is how directly the system affects patient safety, product
// quality or data integrity; it scales the rigour GAMP 5 asks for.
type GxPImpact string

const (
	ImpactNone     GxPImpact = "none"
	ImpactIndirect GxPImpact = "indirect"
	ImpactDirect   GxPImpact = "direct"
)

// Rank orders impacts: none < indirect < direct.
func (g GxPImpact) Rank() int {
	switch g {
	case ImpactIndirect:
		return 1
	case ImpactDirect:
		return 2
	}
	return 0
}

// Valid reports whether g is a known impact.
func (g GxPImpact) Valid() bool {
	return g == ImpactNone || g == ImpactIndirect || g == ImpactDirect
}

// Scope is what is being assessed and under which rules.
type Scope struct {
	Impact      GxPImpact `json:"gxp_impact"`
	Frameworks  []string  `json:"frameworks"` // framework ids; empty means each family's edition in force (EditionsInEffect)
	MultiTenant bool      `json:"multi_tenant"`
	// OpenSystem is 21 CFR 11.3(b)(9)'s test: access to the system is not
	// controlled by the persons responsible for the content of its
	// electronic records (a third party administers the accounts, say). A
	// cloud system whose access the regulated company controls is closed,
	// however reachable it is; 11.30 applies only to open systems.
	OpenSystem bool `json:"open_system"`
	// InternetFacing: some endpoint of the system can be reached from the
	// public internet. It brings protection of public endpoints, and says
	// nothing about open or closed.
	InternetFacing     bool   `json:"internet_facing,omitempty"`
	ESignatures        bool   `json:"esignatures"`
	DataClassification string `json:"data_classification"`
	// DataCategories records the kinds of data with obligations of their
	// own (health, personal) that the solution holds; controls such as the
	// business associate addendum apply by them, whatever the services.
	DataCategories []DataCategory `json:"data_categories,omitempty"`
	// Programmes are the compliance programmes beyond GxP the solution
	// must meet (catalog ids: a US federal system, a regulator expecting
	// BSI C5); with the data categories they decide which AWS reports
	// matter (EvidenceSource.Relevance).
	Programmes []string `json:"programmes,omitempty"`
}

// HasData reports whether the scope records any of these data categories.
func (s Scope) HasData(any []DataCategory) bool {
	return slices.ContainsFunc(s.DataCategories, func(d DataCategory) bool { return slices.Contains(any, d) })
}

// Workflow is where an assessment stands in its review.
type Workflow string

const (
	WorkflowDraft    Workflow = "draft"
	WorkflowInReview Workflow = "in-review"
	WorkflowFinal    Workflow = "final"
)

// Valid reports whether w is a known workflow status.
func (w Workflow) Valid() bool {
	return w == WorkflowDraft || w == WorkflowInReview || w == WorkflowFinal
}

// Status is the answer given to a control.
type Status string

const (
	StatusUnanswered     Status = ""
	StatusImplemented    Status = "implemented"
	StatusPartial        Status = "partial"
	StatusPlanned        Status = "planned"
	StatusNotImplemented Status = "not-implemented"
	StatusNotApplicable  Status = "not-applicable"
)

// Statuses lists the answers a user can give, in the order offered.
var Statuses = []Status{StatusImplemented, StatusPartial, StatusPlanned, StatusNotImplemented, StatusNotApplicable}

// Valid reports whether s is a status a user can give.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Label is the status as a word for people.
func (s Status) Label() string {
	if s == StatusUnanswered {
		return "unanswered"
	}
	return string(s)
}

// CatalogRef records which catalog an assessment was assessed against.
type CatalogRef struct {
	Version string `json:"version"`
	Hash    string `json:"hash"`
}

// SelectedService is a service the solution uses, with the assessment's own
// justified overrides of the catalog's layer owners and of the service's
// GAMP 5 software category.
type SelectedService struct {
	ID        string            `json:"id"`
	Overrides []ServiceOverride `json:"overrides,omitempty"`
	GAMP      *GAMPOverride     `json:"gamp,omitempty"`
}

// GAMPOverride sets the GAMP 5 software category of one selected service
// for this assessment only, for instance a category 4 for a service the
// solution configures to carry out a GxP function; the justification is
// mandatory.
type GAMPOverride struct {
	Category      int    `json:"category"`
	Justification string `json:"justification"`
}

// ServiceOverride moves one layer of one selected service to another owner
// for this assessment only; the justification is mandatory.
type ServiceOverride struct {
	Layer         string `json:"layer"`
	Owner         Owner  `json:"owner"`
	Justification string `json:"justification"`
}

// SupplierStatus is the review state of one piece of AWS evidence.
type SupplierStatus string

const (
	SupplierPending   SupplierStatus = "pending"
	SupplierReviewed  SupplierStatus = "reviewed"
	SupplierAccepted  SupplierStatus = "accepted"
	SupplierIssues    SupplierStatus = "issues-found"
	SupplierNotNeeded SupplierStatus = "not-needed"
)

// SupplierStatuses lists the review states in the order offered.
var SupplierStatuses = []SupplierStatus{SupplierPending, SupplierReviewed, SupplierAccepted, SupplierIssues, SupplierNotNeeded}

// SupplierRecord is one piece of the supplier assessment of AWS: which
// report was obtained, when, for which period, and who reviewed it when.
// A status that claims a review needs Reviewer and ReviewedOn (see
// ValidateSupplierRecord).
type SupplierRecord struct {
	Source   string `json:"source"`   // evidence source id, e.g. soc2
	Obtained string `json:"obtained"` // date obtained, YYYY-MM-DD
	// PeriodStart and PeriodEnd are as printed on the report, never
	// assumed; for a certificate they are its issue and expiry dates.
	PeriodStart string `json:"period_start,omitempty"`
	PeriodEnd   string `json:"period_end,omitempty"`
	// Surveillance is the date of a certificate's last surveillance or
	// recertification audit, as the certificate or its register shows.
	Surveillance string         `json:"surveillance,omitempty"`
	Version      string         `json:"version,omitempty"`
	Reviewer     string         `json:"reviewer,omitempty"`
	ReviewedOn   string         `json:"reviewed_on,omitempty"` // date of the review, YYYY-MM-DD
	Status       SupplierStatus `json:"status"`
	Notes        string         `json:"notes,omitempty"`
}

// EvidenceRef is a free-text evidence reference, as answers carried them
// before the evidence register; WithRegister files them as entries.
type EvidenceRef struct {
	Title      string   `json:"title"`
	DocumentID string   `json:"document_id,omitempty"`
	Version    string   `json:"version,omitempty"`
	Date       string   `json:"date,omitempty"` // YYYY-MM-DD
	Location   string   `json:"location,omitempty"`
	Supplier   Supplier `json:"supplier"`
}

// Answer is the assessment's answer to one control.
type Answer struct {
	Control       string        `json:"control"`
	Status        Status        `json:"status"`
	Justification string        `json:"justification,omitempty"` // required for not-applicable
	Evidence      []EvidenceRef `json:"evidence,omitempty"`      // free text, before the register
	// Links are the register entries the answer rests on; only the
	// evidence-links action changes them.
	Links     []EvidenceLink `json:"links,omitempty"`
	Notes     string         `json:"notes,omitempty"`
	UpdatedAt time.Time      `json:"updated_at"`
	UpdatedBy string         `json:"updated_by"`
}

// SignOff records a person approving the assessment at a workflow step.
// An electronic signature (action "sign") also carries the manifest it
// signed and the SSH signature over it; sign-offs recorded before Onus
// signed them have neither.
type SignOff struct {
	By      string    `json:"by"` // the printed name (21 CFR 11.50(a)(1))
	Role    string    `json:"role,omitempty"`
	Meaning string    `json:"meaning"` // what the signature means (21 CFR 11.50(a)(3))
	At      time.Time `json:"at"`

	Step            Workflow `json:"step,omitempty"`      // the workflow status the signature moved the assessment to
	Milestone       string   `json:"milestone,omitempty"` // the named point signed
	Key             string   `json:"key,omitempty"`       // SHA-256 fingerprint of the signing key
	OpenHighGaps    int      `json:"open_high_gaps,omitempty"`
	Acknowledgement string   `json:"acknowledgement,omitempty"` // why signing with high-risk gaps open
	Manifest        string   `json:"manifest,omitempty"`        // the exact text signed (see Manifest)
	Signature       string   `json:"signature,omitempty"`       // armored SSHSIG over Manifest, namespace "onus"
	// Superseded is set when the assessment was reopened after this
	// signature: it stays on record, and verifiable against the head it
	// signed, but no longer vouches for the assessment.
	Superseded bool `json:"superseded,omitempty"`
}

// Signed reports whether s is an electronic signature rather than a
// recorded name.
func (s SignOff) Signed() bool { return s.Signature != "" }

// Milestone is a named point of an assessment's trail: the state after
// its first Entries entries, whose last has hash Head. Signatures are made
// on milestones, and diffs compare them.
type Milestone struct {
	Name    string    `json:"name"`
	Head    string    `json:"head"`
	Entries uint64    `json:"entries"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
}

// Assessment is one shared-responsibility assessment of a GxP solution.
type Assessment struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Organisation string            `json:"organisation,omitempty"`
	System       string            `json:"system,omitempty"`
	Scope        Scope             `json:"scope"`
	Services     []SelectedService `json:"services"`
	Supplier     []SupplierRecord  `json:"supplier"`
	// Records is the Part 11 record inventory (RecordEntry).
	Records []RecordEntry `json:"records,omitempty"`
	// Register is the evidence register (evidence.go); RegisterIssued
	// counts the ids it has issued, so that none is used twice.
	Register       []EvidenceEntry `json:"register,omitempty"`
	RegisterIssued int             `json:"register_issued,omitempty"`
	// Reports are the AWS reports added or dismissed against the
	// catalog's relevance rule.
	Reports    []ReportChoice    `json:"reports,omitempty"`
	Answers    map[string]Answer `json:"answers"`
	Workflow   Workflow          `json:"workflow"`
	SignOffs   []SignOff         `json:"signoffs,omitempty"`
	Milestones []Milestone       `json:"milestones,omitempty"`
	Catalog    CatalogRef        `json:"catalog"`
	CreatedAt  time.Time         `json:"created_at"`
	CreatedBy  string            `json:"created_by"`
	UpdatedAt  time.Time         `json:"updated_at"`
	BaselineOf string            `json:"baseline_of,omitempty"` // id of the assessment this was duplicated from
	Deleted    bool              `json:"deleted,omitempty"`

	// Actions are the follow-ups raised, in the order raised (actions.go).
	Actions []ActionItem `json:"actions,omitempty"`
}

// ServiceIDs lists the selected services' ids in order.
func (a *Assessment) ServiceIDs() []string {
	ids := make([]string, len(a.Services))
	for i, s := range a.Services {
		ids[i] = s.ID
	}
	return ids
}

// Answer returns the answer to a control, or an unanswered one.
func (a *Assessment) Answer(controlID string) Answer {
	if ans, ok := a.Answers[controlID]; ok {
		return ans
	}
	return Answer{Control: controlID}
}

// Milestone returns the milestone of that name.
func (a *Assessment) Milestone(name string) (Milestone, bool) {
	for _, m := range a.Milestones {
		if m.Name == name {
			return m, true
		}
	}
	return Milestone{}, false
}

// Clone copies every map and slice, so a change to the copy never reaches
// the original. Nil stays nil, so a clone encodes as the original does.
func (a Assessment) Clone() Assessment {
	if a.Answers != nil {
		// Every answer's evidence and links are copied into one array
		// each, rather than two per answer: a store returns a copy of the
		// assessment with every save. Each answer's part is capped, so
		// an append to one never writes into the next.
		var nev, nlinks int
		for _, ans := range a.Answers {
			nev, nlinks = nev+len(ans.Evidence), nlinks+len(ans.Links)
		}
		evidence, links := make([]EvidenceRef, 0, nev), make([]EvidenceLink, 0, nlinks)
		answers := make(map[string]Answer, len(a.Answers))
		for k, ans := range a.Answers {
			if ans.Evidence != nil {
				start := len(evidence)
				evidence = append(evidence, ans.Evidence...)
				ans.Evidence = evidence[start:len(evidence):len(evidence)]
			}
			if ans.Links != nil {
				start := len(links)
				links = append(links, ans.Links...)
				ans.Links = links[start:len(links):len(links)]
			}
			answers[k] = ans
		}
		a.Answers = answers
	}
	if a.Services != nil {
		services := make([]SelectedService, len(a.Services))
		for i, s := range a.Services {
			s.Overrides = slices.Clone(s.Overrides)
			if s.GAMP != nil {
				g := *s.GAMP
				s.GAMP = &g
			}
			services[i] = s
		}
		a.Services = services
	}
	a.Supplier = slices.Clone(a.Supplier)
	a.Records = slices.Clone(a.Records)
	a.Register = slices.Clone(a.Register)
	a.Reports = slices.Clone(a.Reports)
	a.SignOffs = slices.Clone(a.SignOffs)
	a.Milestones = slices.Clone(a.Milestones)
	a.Actions = slices.Clone(a.Actions)
	a.Scope.Frameworks = slices.Clone(a.Scope.Frameworks)
	a.Scope.DataCategories = slices.Clone(a.Scope.DataCategories)
	return a
}
