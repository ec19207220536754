package scoring

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/textnorm"
)

// Components are the parts of a score, each in [0, 1], before weighting.
type Components struct {
	Field       float64 `json:"field"`
	Skills      float64 `json:"skills"`
	Text        float64 `json:"text"`
	Language    float64 `json:"language"`
	Dates       float64 `json:"dates"`
	Preferences float64 `json:"preferences"`
}

// Explanation is a scored pair with its reasons.
type Explanation struct {
	Eligible   bool       `json:"eligible"`
	Points     Points     `json:"-"`
	Score      float64    `json:"score"`
	Components Components `json:"components"`
	// Reasons explain each component in order (field, skills, text,
	// language, dates, preferences); for a pair that is not eligible they
	// are the unmet eligibility rules instead.
	Reasons []explain.Reason `json:"reasons"`
}

// Reason codes of score explanations.
const (
	CodeFieldSame          = "score.field.same"
	CodeFieldRelated       = "score.field.related"
	CodeFieldDifferent     = "score.field.different"
	CodeFieldUnknown       = "score.field.unknown"
	CodeSkills             = "score.skills"
	CodeSkillsNone         = "score.skills.none"
	CodeText               = "score.text"
	CodeTextNone           = "score.text.none"
	CodeLanguageMargin     = "score.language.margin"
	CodeLanguageHost       = "score.language.host"
	CodeLanguageHostNone   = "score.language.host_missing"
	CodeDates              = "score.dates"
	CodeDatesOpen          = "score.dates.open"
	CodeKindPreferred      = "score.preference.kind.match"
	CodeKindNotPreferred   = "score.preference.kind.miss"
	CodeRegionPreferred    = "score.preference.region.match"
	CodeRegionNotPreferred = "score.preference.region.miss"
)

// maxTermsShown is how many shared terms a text reason lists.
const maxTermsShown = 5

// Score compiles a and p and explains their score at time now. It is meant
// for one pair (an application, a test); the recommender compiles once.
func (m *Model) Score(a Applicant, p Program, now time.Time) Explanation {
	af := m.CompileApplicant(a)
	pf := m.CompileProgram(p, now)
	return m.Explain(&af, &pf, now)
}

// Explain scores a compiled pair and says why. A pair that is not eligible
// at now is explained by eligibility.Check, whose reasons name the rules.
func (m *Model) Explain(a *ApplicantFeatures, p *ProgramFeatures, now time.Time) Explanation {
	if !Eligible(a, p) || !p.Open(now) {
		res := eligibility.Check(a.src.EligibilityApplicant(), p.src.EligibilityProgram(), now)
		if !res.Eligible {
			return Explanation{Reasons: res.Reasons}
		}
		// Check and the compiled rules only disagree on codes the
		// taxonomy does not know; trust Check and score the pair.
	}
	c := components(a, p, Dot(a.terms, p.terms), sharedCount(a.skills, p.skills))
	e := Explanation{
		Eligible: true,
		Points:   c.points(),
		Components: Components{
			Field: frac(c.field), Skills: frac(c.skills), Text: frac(c.text),
			Language: frac(c.language), Dates: frac(c.dates), Preferences: frac(c.preferences),
		},
	}
	e.Score = e.Points.Float()
	e.Reasons = append(e.Reasons, fieldReason(a.src, p.src, c.field))
	m.mu.RLock()
	e.Reasons = append(e.Reasons, m.skillReason(a, p), m.textReason(a, p))
	m.mu.RUnlock()
	e.Reasons = append(e.Reasons, languageReasons(a.src, p)...)
	e.Reasons = append(e.Reasons, dateReason(a, p, c.dates))
	e.Reasons = append(e.Reasons, preferenceReasons(a.src, p.src)...)
	return e
}

func frac(v uint32) float64 { return float64(v) / q }

func fieldLabel(code string) string {
	if f, ok := taxonomy.Field(code); ok {
		return f.Labels.En
	}
	return strconv.Quote(code)
}

func fieldReason(a *Applicant, p *Program, v uint32) explain.Reason {
	if len(a.Fields) == 0 || len(p.Fields) == 0 {
		return explain.New(CodeFieldUnknown, "No field to compare: the profile or the program lists none")
	}
	major := func(code string) string {
		if f, ok := taxonomy.Field(code); ok {
			return f.Major()
		}
		return ""
	}
	switch v {
	case q:
		for _, pc := range p.Fields {
			for _, ac := range a.Fields {
				if ac == pc {
					return explain.New(CodeFieldSame, "Same field: "+fieldLabel(ac), "field", ac, "programField", pc)
				}
				if major(ac) == pc && major(pc) == pc {
					return explain.New(CodeFieldSame,
						fmt.Sprintf("Same field: %s is within the program's field, %s", fieldLabel(ac), fieldLabel(pc)),
						"field", ac, "programField", pc)
				}
			}
		}
	case q / 2:
		for _, pc := range p.Fields {
			for _, ac := range a.Fields {
				if m := major(ac); m != "" && m == major(pc) {
					return explain.New(CodeFieldRelated,
						fmt.Sprintf("Related field: %s and %s are both in %s", fieldLabel(ac), fieldLabel(pc), fieldLabel(m)),
						"field", ac, "programField", pc, "major", m)
				}
			}
		}
	}
	return explain.New(CodeFieldDifferent,
		fmt.Sprintf("Different field: %s; the program is in %s", labels(a.Fields, fieldLabel), labels(p.Fields, fieldLabel)),
		"fields", strings.Join(a.Fields, ","), "programFields", strings.Join(p.Fields, ","))
}

func labels(codes []string, label func(string) string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = label(c)
	}
	return strings.Join(out, ", ")
}

// skillReason lists the program's skills the applicant has, in the
// program's order and spelling. The caller holds m.mu for reading.
func (m *Model) skillReason(a *ApplicantFeatures, p *ProgramFeatures) explain.Reason {
	if p.nskills == 0 {
		return explain.New(CodeSkillsNone, "The program lists no skills")
	}
	var matched []string
	seen := map[string]bool{}
	for _, s := range p.src.Skills {
		k := textnorm.Fold(s)
		id, ok := m.skillIDs[k]
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		if _, found := slices.BinarySearch(a.skills, id); found {
			matched = append(matched, s)
		}
	}
	text := fmt.Sprintf("%d of %d skills", len(matched), p.nskills)
	if len(matched) > 0 {
		text += ": " + strings.Join(matched, ", ")
	}
	return explain.New(CodeSkills, text,
		"matched", strconv.Itoa(len(matched)), "of", strconv.Itoa(int(p.nskills)), "skills", strings.Join(matched, ","))
}

// textReason names the shared terms that add most to the text similarity.
// The caller holds m.mu for reading.
func (m *Model) textReason(a *ApplicantFeatures, p *ProgramFeatures) explain.Reason {
	type shared struct {
		term    int32
		product uint32
	}
	var common []shared
	x, y := a.terms, p.terms
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i].Term < y[j].Term:
			i++
		case x[i].Term > y[j].Term:
			j++
		default:
			common = append(common, shared{x[i].Term, uint32(x[i].Weight) * uint32(y[j].Weight)})
			i++
			j++
		}
	}
	if len(common) == 0 {
		return explain.New(CodeTextNone, "The statement and the program description share no terms")
	}
	// Heaviest first; equal weights alphabetically, so the list does not
	// depend on the order terms happened to be interned in.
	slices.SortFunc(common, func(a, b shared) int {
		return cmp.Or(cmp.Compare(b.product, a.product), strings.Compare(m.termNames[a.term], m.termNames[b.term]))
	})
	names := make([]string, 0, maxTermsShown)
	for _, s := range common[:min(len(common), maxTermsShown)] {
		names = append(names, m.termNames[s.term])
	}
	return explain.New(CodeText,
		fmt.Sprintf("Statement and program share %d terms, most of all: %s", len(common), strings.Join(names, ", ")),
		"shared", strconv.Itoa(len(common)), "terms", strings.Join(names, ","))
}

func languageReasons(a *Applicant, p *ProgramFeatures) []explain.Reason {
	al := a.Languages
	var out []explain.Reason
	for _, req := range p.src.Eligibility.Languages {
		level, _, ok := eligibility.BestLevel(al, req.Code)
		margin, err := taxonomy.LevelMargin(req.Code, level, req.MinLevel)
		if !ok || err != nil {
			continue // not eligible; Explain reported Check's reasons instead
		}
		text := fmt.Sprintf("%s meets %s", eligibility.LevelText(req.Code, level), req.MinLevel)
		if margin > 0 {
			text += fmt.Sprintf(" (%d %s above)", margin, plural(margin, "level", "levels"))
		}
		out = append(out, explain.New(CodeLanguageMargin, text,
			"language", req.Code, "level", level, "min", req.MinLevel, "margin", strconv.Itoa(margin)))
	}
	if len(p.src.Eligibility.Languages) > 0 || p.hostLang < 0 {
		return out
	}
	code := hostLanguage[p.src.HostCountry]
	country, _ := taxonomy.CountryByCode(p.src.HostCountry)
	name, _ := taxonomy.LanguageByCode(code)
	level, _, ok := eligibility.BestLevel(al, code)
	if !ok {
		return append(out, explain.New(CodeLanguageHostNone,
			fmt.Sprintf("No %s level given, the working language in %s", name.Labels.En, country.Labels.En),
			"language", code, "hostCountry", country.Code))
	}
	return append(out, explain.New(CodeLanguageHost,
		fmt.Sprintf("%s for a program in %s", eligibility.LevelText(code, level), country.Labels.En),
		"language", code, "level", level, "hostCountry", country.Code))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func dateReason(a *ApplicantFeatures, p *ProgramFeatures, v uint32) explain.Reason {
	if p.span == 0 {
		return explain.New(CodeDatesOpen, "The program has no fixed start and end dates to cover")
	}
	overlap := max(0, min(a.to, p.end)-max(a.from, p.start)+1)
	pct := int(v * 100 / q)
	return explain.New(CodeDates,
		fmt.Sprintf("Available for %d of %d program days (%d%%)", overlap, p.span, pct),
		"days", strconv.Itoa(int(overlap)), "of", strconv.Itoa(int(p.span)), "percent", strconv.Itoa(pct))
}

func kindLabel(code string) string {
	if t, ok := taxonomy.ProgramKinds.Term(code); ok {
		return t.Labels.En
	}
	return strconv.Quote(code)
}

func preferenceReasons(a *Applicant, p *Program) []explain.Reason {
	var out []explain.Reason
	if kinds := a.Preferences.ProgramKinds; len(kinds) > 0 {
		if slices.Contains(kinds, p.Kind) {
			out = append(out, explain.New(CodeKindPreferred, "Preferred program kind: "+kindLabel(p.Kind), "kind", p.Kind))
		} else {
			out = append(out, explain.New(CodeKindNotPreferred,
				fmt.Sprintf("%s is not among the preferred kinds (%s)", kindLabel(p.Kind), labels(kinds, kindLabel)),
				"kind", p.Kind, "preferred", strings.Join(kinds, ",")))
		}
	}
	if regions := a.Preferences.HostRegions; len(regions) > 0 {
		want := lookupRegion(p.HostCountry, p.Region)
		match := false
		for _, name := range regions {
			if want >= 0 && lookupRegion(p.HostCountry, name) == want {
				match = true
			}
		}
		if match {
			out = append(out, explain.New(CodeRegionPreferred, "Preferred host region: "+p.Region, "region", p.Region))
		} else {
			out = append(out, explain.New(CodeRegionNotPreferred,
				fmt.Sprintf("%s is not among the preferred host regions (%s)", cmp.Or(p.Region, "(no region)"), strings.Join(regions, ", ")),
				"region", p.Region, "preferred", strings.Join(regions, ",")))
		}
	}
	return out
}
