package model

import (
	"fmt"
	"strings"
)

// GAMP 5 software categories as the catalog and assessments record them.
// Category 2 (firmware) is no longer used by GAMP 5.
const (
	GAMPInfrastructure = 1 // infrastructure software: operating systems, databases, middleware, tools
	GAMPNonConfigured  = 3 // products used as supplied
	GAMPConfigured     = 4 // products configured to the business process
	GAMPCustom         = 5 // bespoke software
)

// ValidGAMPCategory reports whether n is a category GAMP 5 still uses.
func ValidGAMPCategory(n int) bool {
	return n == GAMPInfrastructure || n == GAMPNonConfigured || n == GAMPConfigured || n == GAMPCustom
}

// GAMPCategoryLabel names a category for people: "Category 4: configured product".
func GAMPCategoryLabel(n int) string {
	switch n {
	case GAMPInfrastructure:
		return "Category 1: infrastructure software"
	case GAMPNonConfigured:
		return "Category 3: non-configured product"
	case GAMPConfigured:
		return "Category 4: configured product"
	case GAMPCustom:
		return "Category 5: custom application"
	}
	return fmt.Sprintf("Category %d", n)
}

// defaultGAMPReason explains category 1 for a service whose catalog entry
// gives no category of its own.
const defaultGAMPReason = "An AWS building block: infrastructure software, qualified as part of the platform rather than validated on its own."

// GAMPCategory gives the effective GAMP 5 category of a selected service:
// the assessment's justified choice first, then the catalog's category,
// else category 1. reason says why; byAssessment is set when the category
// is the assessment's own.
func (c *Catalog) GAMPCategory(sel SelectedService) (category int, reason string, byAssessment bool) {
	if g := sel.GAMP; g != nil && ValidGAMPCategory(g.Category) {
		return g.Category, g.Justification, true
	}
	svc, _ := c.Service(sel.ID)
	if svc.GAMPCategory == 0 || svc.GAMPCategory == GAMPInfrastructure && svc.GAMPReason == "" {
		return GAMPInfrastructure, defaultGAMPReason, false
	}
	return svc.GAMPCategory, svc.GAMPReason, false
}

// ValidateGAMPOverride checks an assessment's category choice before it is
// stored: a category GAMP 5 uses and a justification.
func ValidateGAMPOverride(g GAMPOverride) error {
	if !ValidGAMPCategory(g.Category) {
		return fmt.Errorf("GAMP category %d: use 1, 3, 4 or 5", g.Category)
	}
	if strings.TrimSpace(g.Justification) == "" {
		return fmt.Errorf("a GAMP category of the assessment's own needs a justification")
	}
	return CheckText("GAMP justification", g.Justification, MaxTextBytes)
}
