package placementrules

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// Categories of the Highly Skilled Professional (i) status the table
// scores; the platform's program kinds map onto them.
const (
	HSPAcademic    = "academic"
	HSPSpecialized = "specialized"
)

// Degrees the table scores under academic background.
const (
	DegreeDoctorate = "doctorate"
	DegreeMaster    = "master"
	DegreeBachelor  = "bachelor"
)

// HSPBand gives Points from MinYears of professional career.
type HSPBand struct {
	MinYears int `json:"minYears"`
	Points   int `json:"points"`
}

// HSPSalaryBand gives Points for an annual salary of at least MinYen, to
// applicants aged at most MaxAge (any age when 0).
type HSPSalaryBand struct {
	MinYen int64 `json:"minYen"`
	Points int   `json:"points"`
	MaxAge int   `json:"maxAge,omitempty"`
}

// HSPAgeBand gives Points to applicants aged at most MaxAge.
type HSPAgeBand struct {
	MaxAge int `json:"maxAge"`
	Points int `json:"points"`
}

// HSPCategory is the part of the table that differs between categories.
type HSPCategory struct {
	Title              taxonomy.Labels `json:"title"`
	AcademicBackground map[string]int  `json:"academicBackground"`
	ProfessionalCareer []HSPBand       `json:"professionalCareer"`
	// MinSalaryYen is the salary below which the category cannot be
	// granted at all, whatever the points (0: none).
	MinSalaryYen         int64 `json:"minSalaryYen"`
	ResearchAchievements struct {
		One       int `json:"one"`
		TwoOrMore int `json:"twoOrMore"`
	} `json:"researchAchievements"`
}

// HSPTable is hsp.json.
type HSPTable struct {
	Version   string `json:"version"`
	Note      string `json:"note"`
	Threshold int    `json:"threshold"`
	Source    Source `json:"source"`
	// Degrees maps a profile's degree level to a degree of the table.
	Degrees map[string]string `json:"degrees"`
	// Kinds maps a program kind to a category.
	Kinds            map[string]string      `json:"kinds"`
	Categories       map[string]HSPCategory `json:"categories"`
	AnnualSalary     []HSPSalaryBand        `json:"annualSalary"`
	Age              []HSPAgeBand           `json:"age"`
	JapaneseLanguage map[string]int         `json:"japaneseLanguage"`
	// PeriodsPerYear turns a stipend's period into a yearly amount; a
	// period not listed ("once") is not a salary.
	PeriodsPerYear map[string]int64 `json:"periodsPerYear"`
}

//go:embed hsp.json
var hspJSON []byte

var hspOnce = sync.OnceValues(func() (*HSPTable, error) { return ParseHSP(hspJSON) })

// HSP returns the embedded points table (checked by the package's tests).
func HSP() *HSPTable {
	t, err := hspOnce()
	if err != nil {
		panic(err)
	}
	return t
}

// ParseHSP decodes and validates a points table.
func ParseHSP(data []byte) (*HSPTable, error) {
	var t HSPTable
	if err := strictDecode(data, &t); err != nil {
		return nil, fmt.Errorf("hsp table: %w", err)
	}
	if err := t.validate(); err != nil {
		return nil, fmt.Errorf("hsp table %s: %w", t.Version, err)
	}
	// Bands are read from the best down.
	sort.SliceStable(t.AnnualSalary, func(i, j int) bool { return t.AnnualSalary[i].MinYen > t.AnnualSalary[j].MinYen })
	sort.SliceStable(t.Age, func(i, j int) bool { return t.Age[i].MaxAge < t.Age[j].MaxAge })
	for k, c := range t.Categories {
		sort.SliceStable(c.ProfessionalCareer, func(i, j int) bool { return c.ProfessionalCareer[i].MinYears > c.ProfessionalCareer[j].MinYears })
		t.Categories[k] = c
	}
	return &t, nil
}

func (t *HSPTable) validate() error {
	if t.Version == "" {
		return fmt.Errorf("version: required")
	}
	if t.Threshold <= 0 {
		return fmt.Errorf("threshold %d: want a positive number", t.Threshold)
	}
	if err := t.Source.validate(); err != nil {
		return fmt.Errorf("source: %w", err)
	}
	degrees := []string{DegreeDoctorate, DegreeMaster, DegreeBachelor}
	for level, d := range t.Degrees {
		if !taxonomy.DegreeLevels.Valid(level) {
			return fmt.Errorf("degrees: unknown degree level %q", level)
		}
		if !slices.Contains(degrees, d) {
			return fmt.Errorf("degrees %s: unknown degree %q", level, d)
		}
	}
	for _, k := range taxonomy.ProgramKinds.Codes() {
		c, ok := t.Kinds[k]
		if !ok {
			return fmt.Errorf("kinds: program kind %q has no category", k)
		}
		if _, ok := t.Categories[c]; !ok {
			return fmt.Errorf("kinds %s: unknown category %q", k, c)
		}
	}
	for name, c := range t.Categories {
		if err := labelsFull(c.Title); err != nil {
			return fmt.Errorf("category %s title: %w", name, err)
		}
		for _, d := range degrees {
			if c.AcademicBackground[d] <= 0 {
				return fmt.Errorf("category %s: no points for %s", name, d)
			}
		}
		for _, b := range c.ProfessionalCareer {
			if b.MinYears <= 0 || b.Points <= 0 {
				return fmt.Errorf("category %s: career band %+v: want positive years and points", name, b)
			}
		}
		if c.MinSalaryYen < 0 {
			return fmt.Errorf("category %s: negative minimum salary", name)
		}
	}
	for _, b := range t.AnnualSalary {
		if b.MinYen <= 0 || b.Points <= 0 || b.MaxAge < 0 {
			return fmt.Errorf("salary band %+v: want positive yen and points", b)
		}
	}
	for _, b := range t.Age {
		if b.MaxAge <= 0 || b.Points <= 0 {
			return fmt.Errorf("age band %+v: want positive age and points", b)
		}
	}
	for level, p := range t.JapaneseLanguage {
		if !taxonomy.ValidLevel("ja", level) || p <= 0 {
			return fmt.Errorf("japaneseLanguage %s: want a JLPT level and positive points", level)
		}
	}
	for period, n := range t.PeriodsPerYear {
		if n <= 0 {
			return fmt.Errorf("periodsPerYear %s: want a positive count", period)
		}
	}
	return nil
}
