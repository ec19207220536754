package visa

import (
	"strconv"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/placementrules"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// Stipend is what a program pays: Amount in Currency per Period (once,
// week, month, year).
type Stipend struct {
	Amount   int64
	Currency string
	Period   string
}

// Input is what the platform knows about a placement.
type Input struct {
	Direction string
	// Kind is the program kind.
	Kind    string
	Stipend *Stipend
	// Start and End are the program's dates ("2027-04-01"); End is
	// inclusive.
	Start, End string
	// DegreeLevel, BirthYear and Languages come from the profile.
	DegreeLevel string
	BirthYear   int
	Languages   []taxonomy.Language
	// ExperienceYears and ResearchAchievements (patents, grants, papers
	// as corresponding author: how many kinds) are not on profiles
	// today; nil means unknown.
	ExperienceYears      *int
	ResearchAchievements *int
}

// Paid reports whether the program pays anything.
func (in Input) Paid() bool { return in.Stipend != nil && in.Stipend.Amount > 0 }

// age is the participant's age in whole years at the start, or -1. With
// only a birth year it is the age reached during the start year: at worst
// one year too old, so age points err low.
func (in Input) age() int {
	y, ok := year(in.Start)
	if in.BirthYear <= 0 || !ok || y < in.BirthYear {
		return -1
	}
	return y - in.BirthYear
}

// EstimateHSP scores the placement on the points table.
func EstimateHSP(t *placementrules.HSPTable, in Input) apiplacements.HSPEstimate {
	catName := t.Kinds[in.Kind]
	cat, ok := t.Categories[catName]
	if !ok {
		catName, cat = placementrules.HSPAcademic, t.Categories[placementrules.HSPAcademic]
	}
	age := in.age()
	yearly, salaryNote := annualYen(t, in.Stipend)
	items := []apiplacements.HSPItem{
		academicBackground(t, cat, in.DegreeLevel),
		professionalCareer(cat, in.ExperienceYears),
		annualSalary(t, cat, yearly, salaryNote, age),
		ageItem(t, age, in.BirthYear),
		research(cat, in.ResearchAchievements),
		japanese(t, in.Languages),
		item(apiplacements.HSPOtherBonuses, 0, "bonus.unassessed"),
	}
	total := 0
	for _, it := range items {
		total += it.Points
	}
	return apiplacements.HSPEstimate{
		Estimate:  true,
		Category:  catName,
		Title:     cat.Title,
		Total:     total,
		Threshold: t.Threshold,
		Reached:   total >= t.Threshold && yearly >= cat.MinSalaryYen,
		Items:     items,
		RuleSet:   t.Version,
		Source:    apiplacements.Source(t.Source),
	}
}

func academicBackground(t *placementrules.HSPTable, cat placementrules.HSPCategory, level string) apiplacements.HSPItem {
	const it = apiplacements.HSPAcademicBackground
	if level == "" {
		return item(it, 0, "degree.missing")
	}
	label := taxonomy.Labels{En: level, Ja: level, Hi: level}
	if term, ok := taxonomy.DegreeLevels.Term(level); ok {
		label = term.Labels
	}
	d, ok := t.Degrees[level]
	if !ok {
		return item(it, 0, "degree.unscored", "level", label)
	}
	return item(it, cat.AcademicBackground[d], "degree."+d, "level", label)
}

func professionalCareer(cat placementrules.HSPCategory, years *int) apiplacements.HSPItem {
	const it = apiplacements.HSPProfessionalCareer
	if years == nil {
		return item(it, 0, "career.missing")
	}
	for _, b := range cat.ProfessionalCareer {
		if *years >= b.MinYears {
			return item(it, b.Points, "career.band", "years", strconv.Itoa(*years), "min", strconv.Itoa(b.MinYears))
		}
	}
	return item(it, 0, "career.short", "years", strconv.Itoa(*years))
}

// annualYen turns a stipend into yen per year; when it cannot, it returns
// 0 and the reason code.
func annualYen(t *placementrules.HSPTable, s *Stipend) (int64, string) {
	switch {
	case s == nil || s.Amount <= 0:
		return 0, "salary.none"
	case s.Currency != "JPY":
		return 0, "salary.currency"
	}
	n, ok := t.PeriodsPerYear[s.Period]
	if !ok {
		return 0, "salary.once"
	}
	return s.Amount * n, ""
}

func annualSalary(t *placementrules.HSPTable, cat placementrules.HSPCategory, yearly int64, note string, age int) apiplacements.HSPItem {
	const it = apiplacements.HSPAnnualSalary
	if note != "" {
		return item(it, 0, note)
	}
	yen := yenText(yearly)
	if yearly < cat.MinSalaryYen {
		return item(it, 0, "salary.floor", "yen", yen, "floor", yenText(cat.MinSalaryYen))
	}
	for _, b := range t.AnnualSalary {
		if yearly < b.MinYen {
			continue
		}
		switch {
		case b.MaxAge == 0:
			return item(it, b.Points, "salary.band", "yen", yen, "min", yenText(b.MinYen))
		case age >= 0 && age <= b.MaxAge:
			return item(it, b.Points, "salary.band_age", "yen", yen, "min", yenText(b.MinYen), "age", strconv.Itoa(b.MaxAge))
		}
	}
	if age < 0 {
		return item(it, 0, "salary.low_noage", "yen", yen)
	}
	return item(it, 0, "salary.low", "yen", yen, "age", strconv.Itoa(age))
}

func ageItem(t *placementrules.HSPTable, age, birthYear int) apiplacements.HSPItem {
	const it = apiplacements.HSPAge
	if age < 0 {
		return item(it, 0, "age.missing")
	}
	for _, b := range t.Age {
		if age <= b.MaxAge {
			return item(it, b.Points, "age.band", "age", strconv.Itoa(age), "born", strconv.Itoa(birthYear), "max", strconv.Itoa(b.MaxAge))
		}
	}
	return item(it, 0, "age.over", "age", strconv.Itoa(age), "born", strconv.Itoa(birthYear))
}

func research(cat placementrules.HSPCategory, n *int) apiplacements.HSPItem {
	const it = apiplacements.HSPResearchAchievements
	switch {
	case n == nil:
		return item(it, 0, "research.missing")
	case *n >= 2:
		return item(it, cat.ResearchAchievements.TwoOrMore, "research.many", "n", strconv.Itoa(*n))
	case *n == 1:
		return item(it, cat.ResearchAchievements.One, "research.one")
	}
	return item(it, 0, "research.none")
}

func japanese(t *placementrules.HSPTable, langs []taxonomy.Language) apiplacements.HSPItem {
	const it = apiplacements.HSPJapaneseLanguage
	for _, l := range langs {
		if l.Code != "ja" {
			continue
		}
		if p, ok := t.JapaneseLanguage[l.Level]; ok {
			return item(it, p, "ja.level", "level", l.Level)
		}
		if l.Level == "native" {
			return item(it, 0, "ja.native")
		}
		return item(it, 0, "ja.low", "level", l.Level)
	}
	return item(it, 0, "ja.missing")
}

func year(date string) (int, bool) {
	if len(date) < 4 {
		return 0, false
	}
	y, err := strconv.Atoi(date[:4])
	return y, err == nil
}

// yenText writes an amount with thousands separators: 6,000,000.
func yenText(n int64) string {
	s := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// item builds a line with its reason in each language from the templates
// in texts.go; kv are the template's parameters.
func item(code string, points int, reason string, kv ...any) apiplacements.HSPItem {
	l := reasonText(reason, kv...)
	return apiplacements.HSPItem{Item: code, Points: points, Reason: l.En, Text: l}
}
