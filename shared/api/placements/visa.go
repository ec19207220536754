package placements

import "github.com/talentbridge/platform/shared/taxonomy"

// VisaResponse is the body of GET /placements/{id}/visa (DESIGN.md §3):
// the likely visa or status of residence and, for paid placements in
// Japan, an estimate of Highly Skilled Professional points.
type VisaResponse struct {
	Visa Visa         `json:"visa"`
	HSP  *HSPEstimate `json:"hsp,omitempty"`
}

// Visa is the likely visa or status of residence with what it needs and
// why. Type is a stable code ("jp.student", "in.research"); texts come in
// English, Japanese and Hindi.
type Visa struct {
	Type         string          `json:"type"`
	Title        taxonomy.Labels `json:"title"`
	Needs        []VisaNote      `json:"needs"`
	Reasons      []VisaNote      `json:"reasons"`
	Alternatives []VisaOption    `json:"alternatives,omitempty"`
	Sources      []Source        `json:"sources"`
	// RuleSet is the version of the visa rules that decided.
	RuleSet string `json:"ruleSet"`
}

// VisaNote is one need or reason: a code and its text.
type VisaNote struct {
	Code string          `json:"code"`
	Text taxonomy.Labels `json:"text"`
}

// VisaOption is another visa that may fit, and why.
type VisaOption struct {
	Type   string          `json:"type"`
	Title  taxonomy.Labels `json:"title"`
	Reason *VisaNote       `json:"reason,omitempty"`
}

// HSPEstimate is a Highly Skilled Professional points estimate, item by
// item, from what the platform knows. It is an estimate (Estimate is
// always true): the immigration authority decides on documents.
type HSPEstimate struct {
	Estimate bool `json:"estimate"`
	// Category is "academic" ((i)(a)) or "specialized" ((i)(b)).
	Category  string          `json:"category"`
	Title     taxonomy.Labels `json:"title"`
	Total     int             `json:"total"`
	Threshold int             `json:"threshold"`
	// Reached: the total is at least the threshold and the category's
	// salary floor, if any, is met.
	Reached bool      `json:"reached"`
	Items   []HSPItem `json:"items"`
	RuleSet string    `json:"ruleSet"`
	Source  Source    `json:"source"`
}

// HSP item codes.
const (
	HSPAcademicBackground   = "academic_background"
	HSPProfessionalCareer   = "professional_career"
	HSPAnnualSalary         = "annual_salary"
	HSPAge                  = "age"
	HSPResearchAchievements = "research_achievements"
	HSPJapaneseLanguage     = "japanese_language"
	HSPOtherBonuses         = "other_bonuses"
)

// HSPItem is one line of the estimate. Reason is in English; Text holds
// it in each UI language. Missing data gives 0 points and says so.
type HSPItem struct {
	Item   string          `json:"item"`
	Points int             `json:"points"`
	Reason string          `json:"reason"`
	Text   taxonomy.Labels `json:"text"`
}
