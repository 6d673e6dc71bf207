package lens

import (
	"strings"
	"unicode/utf8"
)

// SchemaVersion is the custom lens format this package writes and reads.
const SchemaVersion = "2021-11-01"

// The limits a lens must keep to be accepted by the Well-Architected
// Tool. Where the user guide's lens format specification (LFS) and the
// API reference (API) disagree, the tighter one is kept; doc.go cites
// each source.
const (
	MaxLensBytes           = 500_000 // ImportLens: "A custom lens cannot exceed 500 KB in size"
	MaxPillars             = 10      // LFS: up to 10 pillars in a custom lens
	MaxQuestionsPerPillar  = 20      // LFS: up to 20 questions in a pillar
	MaxChoicesPerQuestion  = 15      // LFS: up to 15 choices for a question
	MaxRiskRules           = 3       // LFS: a maximum of three risk rules per question, one default
	MaxAdditionalPerType   = 5       // LFS: five helpful and five improvement-plan resources per choice
	MinIDLength            = 3       // LFS: ids of 3 or more characters
	MaxPillarIDLength      = 64      // LFS 128; API PillarId 64
	MaxQuestionIDLength    = 128     // LFS 128; API QuestionId 128
	MaxChoiceIDLength      = 64      // LFS 128; API ChoiceId 64
	MaxLensNameLength      = 128     // LFS
	MaxLensDescription     = 2048    // LFS
	MaxPillarNameLength    = 128     // LFS; API PillarName 128
	MaxQuestionTitle       = 128     // LFS 128; API QuestionTitle 512
	MaxQuestionDescription = 1024    // LFS 2048; API QuestionDescription 1024
	MaxQuestionResource    = 64      // LFS 2048; API HelpfulResourceDisplayText 64
	MaxQuestionURL         = 2048    // API HelpfulResourceUrl 2048
	MaxChoiceTitle         = 128     // LFS 128; API Choice Title 512
	MaxChoiceText          = 1024    // LFS 2048; API ChoiceContent DisplayText 1024
	MaxChoiceURL           = 1024    // API ChoiceContent Url 1024
)

// Lens is a Well-Architected custom lens in the 2021-11-01 format.
type Lens struct {
	SchemaVersion string   `json:"schemaVersion"`
	Name          string   `json:"name"`
	Description   string   `json:"description,omitempty"`
	Pillars       []Pillar `json:"pillars"`
}

// Pillar groups questions: one of the Framework's pillars, or the lens's own.
type Pillar struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Questions []Question `json:"questions"`
}

// Question is one question of a pillar, answered by selecting choices.
type Question struct {
	ID              string     `json:"id"`
	Title           string     `json:"title"`
	Description     string     `json:"description,omitempty"`
	HelpfulResource *Resource  `json:"helpfulResource,omitempty"`
	Choices         []Choice   `json:"choices"`
	RiskRules       []RiskRule `json:"riskRules"`
}

// Choice is one best practice of a question. A choice whose id ends in
// _no is the question's "None of these".
type Choice struct {
	ID                  string               `json:"id"`
	Title               string               `json:"title"`
	HelpfulResource     *Resource            `json:"helpfulResource,omitempty"`
	ImprovementPlan     *Resource            `json:"improvementPlan,omitempty"`
	AdditionalResources []AdditionalResource `json:"additionalResources,omitempty"`
}

// Resource is a text, with an optional http(s) URL.
type Resource struct {
	DisplayText string `json:"displayText"`
	URL         string `json:"url,omitempty"`
}

// AdditionalResource lists more helpful resources or improvement plans.
type AdditionalResource struct {
	Type    string     `json:"type"` // HELPFUL_RESOURCE or IMPROVEMENT_PLAN
	Content []Resource `json:"content"`
}

// RiskRule sets a question's risk when its condition, a Boolean
// expression of choice ids or "default", is the first to hold.
type RiskRule struct {
	Condition string `json:"condition"`
	Risk      string `json:"risk"` // HIGH_RISK, MEDIUM_RISK or NO_RISK
}

// The risks a rule can set.
const (
	HighRisk   = "HIGH_RISK"
	MediumRisk = "MEDIUM_RISK"
	NoRisk     = "NO_RISK"
)

// NoneSuffix marks a question's "None of these" choice.
const NoneSuffix = "_no"

// fit shortens text to at most n characters, marking the cut with an
// ellipsis, and keeps it valid UTF-8.
func fit(text string, n int) string {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)
	return strings.TrimSpace(string(runes[:n-1])) + "…"
}

// idChars keeps the characters an id may hold (letters, digits and the
// underscore) and turns every other run into one underscore.
func idChars(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
			under = false
		case !under:
			b.WriteByte('_')
			under = true
		}
	}
	return strings.Trim(b.String(), "_")
}
