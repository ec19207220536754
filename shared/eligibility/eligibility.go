// Package eligibility decides whether an applicant may apply to a program,
// and says why not in words a person can check.
//
// Eligibility is a hard filter (DESIGN.md §5): every rule in the program's
// "eligibility" object, the application deadline, and dates that overlap.
// Check is the single place these rules are decided; scoring and matching
// call it (or, on hot paths, a compiled form tested to agree with it).
//
// # Conventions
//
// Dates are calendar days written "YYYY-MM-DD" (DateLayout), as in the API.
// An empty date means "not given". A date that cannot be read fails its rule
// rather than being ignored: a typo must not silently widen who is eligible.
//
//   - Application deadline: the deadline day is the last day to apply, to the
//     end of that day in the host country's time zone (IST for India, JST
//     for Japan). From that instant on, no one is eligible.
//   - Dates overlap: the applicant's availability [availableFrom,
//     availableTo] and the program's [startDate, endDate] must share at
//     least one day (both ends inclusive). A missing bound is open; a missing
//     availability is no constraint, and so is a program without dates. A
//     program that ends before it starts takes no one.
//   - Age: profiles hold a birth year only, so on the program's start day an
//     applicant born in year B is either S−B−1 or S−B years old (S = the
//     start year). Borderline cases get the benefit of the doubt: maxAge is
//     met when the younger age S−B−1 ≤ maxAge, minAge when the older age
//     S−B ≥ minAge. The host confirms the exact date of birth when reviewing
//     an application; a false "not eligible" would hide the program from the
//     applicant for good. Without a start date, S is now's year. A missing
//     birth year fails any age limit.
//   - Home countries: an empty list means the country other than the host's
//     (a program in Japan is open to applicants from India), as DESIGN.md §4
//     says. If the host country is unknown too, there is no constraint.
//   - Languages: the applicant's best level in each required language must
//     be at least the minimum on that language's scale (JLPT for Japanese,
//     CEFR otherwise; native tops both). Levels that are not on the scale
//     count as not given.
//   - Zero values mean "no rule": an empty list accepts everyone, and
//     minAge/maxAge 0 set no limit.
package eligibility

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// DateLayout is the layout of every date field.
const DateLayout = "2006-01-02"

// Applicant is what eligibility needs to know about a profile. JSON names
// are those of the profile (DESIGN.md §4).
type Applicant struct {
	Kind        string              `json:"kind"`
	HomeCountry string              `json:"homeCountry"`
	DegreeLevel string              `json:"degreeLevel"`
	BirthYear   int                 `json:"birthYear,omitempty"`
	Languages   []taxonomy.Language `json:"languages,omitempty"`
	// AvailableFrom and AvailableTo are "YYYY-MM-DD" or empty.
	AvailableFrom string `json:"availableFrom,omitempty"`
	AvailableTo   string `json:"availableTo,omitempty"`
}

// Program is what eligibility needs to know about a program. JSON names are
// those of the program (DESIGN.md §4).
type Program struct {
	HostCountry string `json:"hostCountry"`
	// StartDate, EndDate and ApplicationDeadline are "YYYY-MM-DD" or empty.
	StartDate           string `json:"startDate,omitempty"`
	EndDate             string `json:"endDate,omitempty"`
	ApplicationDeadline string `json:"applicationDeadline,omitempty"`
	Eligibility         Rules  `json:"eligibility"`
}

// Rules is a program's "eligibility" object.
type Rules struct {
	ApplicantKinds []string                       `json:"applicantKinds,omitempty"`
	HomeCountries  []string                       `json:"homeCountries,omitempty"`
	DegreeLevels   []string                       `json:"degreeLevels,omitempty"`
	Languages      []taxonomy.LanguageRequirement `json:"languages,omitempty"`
	// MinAge and MaxAge are in years at the program's start; 0 is no limit.
	MinAge int `json:"minAge,omitempty"`
	MaxAge int `json:"maxAge,omitempty"`
}

// Result is the outcome of Check.
type Result struct {
	Eligible bool `json:"eligible"`
	// Reasons explains every rule that is not met, in rule order. It is
	// empty exactly when Eligible is true.
	Reasons []explain.Reason `json:"reasons"`
	// Met explains the rules that are met, for a UI that shows why an
	// applicant qualifies. Rules the program does not set are left out.
	Met []explain.Reason `json:"met"`

	// decideOnly skips building reasons; failed is set by any unmet rule.
	decideOnly, failed bool
}

// met and unmet record a rule's outcome; the reason is built only when
// the result explains (Check), not when it only decides (Eligible), which
// keeps deciding cheap enough to filter a whole catalogue.
func (r *Result) met(x func() explain.Reason) {
	if !r.decideOnly {
		r.Met = append(r.Met, x())
	}
}

func (r *Result) unmet(x func() explain.Reason) {
	r.failed = true
	if !r.decideOnly {
		r.Reasons = append(r.Reasons, x())
	}
}

// Reason codes. Each rule has a ".met" and an ".unmet" code; ".invalid"
// marks a rule that could not be checked because a date or level is not
// well formed, which counts as unmet.
const (
	CodeKindMet            = "eligibility.kind.met"
	CodeKindUnmet          = "eligibility.kind.unmet"
	CodeCountryMet         = "eligibility.home_country.met"
	CodeCountryUnmet       = "eligibility.home_country.unmet"
	CodeDegreeMet          = "eligibility.degree_level.met"
	CodeDegreeUnmet        = "eligibility.degree_level.unmet"
	CodeLanguageMet        = "eligibility.language.met"
	CodeLanguageUnmet      = "eligibility.language.unmet"
	CodeLanguageMissing    = "eligibility.language.missing"
	CodeLanguageInvalid    = "eligibility.language.invalid"
	CodeMinAgeMet          = "eligibility.min_age.met"
	CodeMinAgeUnmet        = "eligibility.min_age.unmet"
	CodeMaxAgeMet          = "eligibility.max_age.met"
	CodeMaxAgeUnmet        = "eligibility.max_age.unmet"
	CodeAgeUnknown         = "eligibility.age.unknown"
	CodeDeadlineMet        = "eligibility.deadline.met"
	CodeDeadlineUnmet      = "eligibility.deadline.unmet"
	CodeDeadlineInvalid    = "eligibility.deadline.invalid"
	CodeDatesMet           = "eligibility.dates.met"
	CodeDatesUnmet         = "eligibility.dates.unmet"
	CodeDatesInvalid       = "eligibility.dates.invalid"
	CodeDatesUnconstrained = "eligibility.dates.unconstrained"
)

// Check decides whether a is eligible for p at time now, explaining each
// rule the program sets. It never fails: a rule that cannot be checked
// counts as unmet, with a reason saying so.
func Check(a Applicant, p Program, now time.Time) Result {
	var r Result
	check(&r, a, p, now)
	return r
}

// Eligible decides what Check decides, by the same rules, without
// explaining: for filtering many programs at once.
func Eligible(a Applicant, p Program, now time.Time) bool {
	r := Result{decideOnly: true}
	check(&r, a, p, now)
	return r.Eligible
}

func check(r *Result, a Applicant, p Program, now time.Time) {
	rules := p.Eligibility
	checkEnum(r, taxonomy.ApplicantKinds, "Applicant kind", CodeKindMet, CodeKindUnmet, "kind", a.Kind, rules.ApplicantKinds)
	checkCountry(r, a, p)
	checkEnum(r, taxonomy.DegreeLevels, "Degree level", CodeDegreeMet, CodeDegreeUnmet, "degreeLevel", a.DegreeLevel, rules.DegreeLevels)
	for _, req := range rules.Languages {
		checkLanguage(r, a.Languages, req)
	}
	checkAge(r, a, p, now)
	checkDeadline(r, p, now)
	checkDates(r, a, p)
	r.Eligible = !r.failed
}

func checkEnum(r *Result, e *taxonomy.Enum, what, metCode, unmetCode, param, value string, accepted []string) {
	if len(accepted) == 0 {
		return
	}
	if slices.Contains(accepted, value) {
		r.met(func() explain.Reason {
			return explain.New(metCode, fmt.Sprintf("%s %s is accepted", what, enumLabel(e, value)),
				param, value, "accepted", strings.Join(accepted, ","))
		})
		return
	}
	r.unmet(func() explain.Reason {
		labels := make([]string, len(accepted))
		for i, c := range accepted {
			labels[i] = enumLabel(e, c)
		}
		return explain.New(unmetCode,
			fmt.Sprintf("%s %s is not accepted (accepted: %s)", what, enumLabel(e, value), strings.Join(labels, ", ")),
			param, value, "accepted", strings.Join(accepted, ","))
	})
}

// enumLabel is the English label of a code, the code itself when unknown,
// and "(not given)" when empty, so texts never have a hole.
func enumLabel(e *taxonomy.Enum, code string) string {
	if code == "" {
		return "(not given)"
	}
	if t, ok := e.Term(code); ok {
		return t.Labels.En
	}
	return strconv.Quote(code)
}

func countryLabel(code string) string {
	if code == "" {
		return "(not given)"
	}
	if c, ok := taxonomy.CountryByCode(code); ok {
		return c.Labels.En
	}
	return strconv.Quote(code)
}

// AcceptedHomeCountries returns the home countries p accepts, applying the
// default (every supported country but the host's) when the program lists
// none. It returns nil when there is no constraint.
func AcceptedHomeCountries(p Program) []string {
	if len(p.Eligibility.HomeCountries) > 0 {
		return p.Eligibility.HomeCountries
	}
	if !taxonomy.IsCountry(p.HostCountry) {
		return nil
	}
	var out []string
	for _, c := range taxonomy.Countries() {
		if c.Code != p.HostCountry {
			out = append(out, c.Code)
		}
	}
	return out
}

func checkCountry(r *Result, a Applicant, p Program) {
	accepted := AcceptedHomeCountries(p)
	if accepted == nil {
		return
	}
	def := func() string { return strconv.FormatBool(len(p.Eligibility.HomeCountries) == 0) }
	if slices.Contains(accepted, a.HomeCountry) {
		r.met(func() explain.Reason {
			return explain.New(CodeCountryMet, fmt.Sprintf("Home country %s is accepted", countryLabel(a.HomeCountry)),
				"homeCountry", a.HomeCountry, "accepted", strings.Join(accepted, ","), "default", def())
		})
		return
	}
	r.unmet(func() explain.Reason {
		labels := make([]string, len(accepted))
		for i, c := range accepted {
			labels[i] = countryLabel(c)
		}
		return explain.New(CodeCountryUnmet,
			fmt.Sprintf("Home country %s is not accepted (accepted: %s)", countryLabel(a.HomeCountry), strings.Join(labels, ", ")),
			"homeCountry", a.HomeCountry, "accepted", strings.Join(accepted, ","), "default", def())
	})
}

// BestLevel returns the applicant's strongest valid level in a language and
// its rank on that language's scale, or ok false when none is given.
func BestLevel(langs []taxonomy.Language, code string) (level string, rank int, ok bool) {
	rank = -1
	for _, l := range langs {
		if l.Code != code {
			continue
		}
		if r, valid := taxonomy.LevelRank(code, l.Level); valid && r > rank {
			level, rank, ok = l.Level, r, true
		}
	}
	return level, rank, ok
}

// LevelText names a level the way people say it: "JLPT N2", "English C1",
// "native Japanese".
func LevelText(code, level string) string {
	name := code
	if info, ok := taxonomy.LanguageByCode(code); ok {
		name = info.Labels.En
	}
	switch {
	case level == taxonomy.Native:
		return "native " + name
	case code == "ja":
		return "JLPT " + level
	default:
		return name + " " + level
	}
}

func checkLanguage(r *Result, langs []taxonomy.Language, req taxonomy.LanguageRequirement) {
	minRank, ok := taxonomy.LevelRank(req.Code, req.MinLevel)
	if !ok {
		r.unmet(func() explain.Reason {
			return explain.New(CodeLanguageInvalid,
				fmt.Sprintf("The %q level %q required cannot be checked: it is not a known language level", req.Code, req.MinLevel),
				"language", req.Code, "min", req.MinLevel)
		})
		return
	}
	level, rank, ok := BestLevel(langs, req.Code)
	switch {
	case !ok:
		r.unmet(func() explain.Reason {
			return explain.New(CodeLanguageMissing,
				fmt.Sprintf("%s or above is required; no level given", LevelText(req.Code, req.MinLevel)),
				"language", req.Code, "min", req.MinLevel)
		})
	case rank < minRank:
		r.unmet(func() explain.Reason {
			return explain.New(CodeLanguageUnmet,
				fmt.Sprintf("%s is below the required %s", LevelText(req.Code, level), req.MinLevel),
				"language", req.Code, "level", level, "min", req.MinLevel)
		})
	default:
		r.met(func() explain.Reason {
			return explain.New(CodeLanguageMet,
				fmt.Sprintf("%s meets %s", LevelText(req.Code, level), req.MinLevel),
				"language", req.Code, "level", level, "min", req.MinLevel)
		})
	}
}

// StartYear is the year ages are computed in: the program's start year, or
// now's year when the start date is missing or unreadable.
func StartYear(p Program, now time.Time) int {
	if t, err := ParseDate(p.StartDate); err == nil {
		return t.Year()
	}
	return now.Year()
}

// AgeRange returns the two ages an applicant born in birthYear can have on
// the program's start day (see the package comment).
func AgeRange(birthYear int, p Program, now time.Time) (younger, older int) {
	older = StartYear(p, now) - birthYear
	return older - 1, older
}

func checkAge(r *Result, a Applicant, p Program, now time.Time) {
	rules := p.Eligibility
	if rules.MinAge == 0 && rules.MaxAge == 0 {
		return
	}
	if a.BirthYear == 0 {
		r.unmet(func() explain.Reason {
			return explain.New(CodeAgeUnknown, "A birth year is needed to check the program's age limits",
				"minAge", strconv.Itoa(rules.MinAge), "maxAge", strconv.Itoa(rules.MaxAge))
		})
		return
	}
	younger, older := AgeRange(a.BirthYear, p, now)
	age := func() string {
		when := "at the start on " + p.StartDate
		if _, err := ParseDate(p.StartDate); err != nil {
			when = "in " + strconv.Itoa(now.Year())
		}
		return fmt.Sprintf("born %d: %d or %d %s", a.BirthYear, younger, older, when)
	}
	params := func(limit string, n int) []string {
		return []string{"birthYear", strconv.Itoa(a.BirthYear), "younger", strconv.Itoa(younger),
			"older", strconv.Itoa(older), limit, strconv.Itoa(n)}
	}
	if rules.MinAge > 0 {
		if older >= rules.MinAge {
			r.met(func() explain.Reason {
				return explain.New(CodeMinAgeMet, fmt.Sprintf("Meets the minimum age of %d (%s)", rules.MinAge, age()), params("minAge", rules.MinAge)...)
			})
		} else {
			r.unmet(func() explain.Reason {
				return explain.New(CodeMinAgeUnmet, fmt.Sprintf("Under the minimum age of %d (%s)", rules.MinAge, age()), params("minAge", rules.MinAge)...)
			})
		}
	}
	if rules.MaxAge > 0 {
		if younger <= rules.MaxAge {
			r.met(func() explain.Reason {
				return explain.New(CodeMaxAgeMet, fmt.Sprintf("Within the maximum age of %d (%s)", rules.MaxAge, age()), params("maxAge", rules.MaxAge)...)
			})
		} else {
			r.unmet(func() explain.Reason {
				return explain.New(CodeMaxAgeUnmet, fmt.Sprintf("Over the maximum age of %d (%s)", rules.MaxAge, age()), params("maxAge", rules.MaxAge)...)
			})
		}
	}
}

// ParseDate reads a "YYYY-MM-DD" date as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	return time.Parse(DateLayout, s)
}

// hostLocation is the time zone a program's dates are read in: the host
// country's, or UTC when the host is unknown.
func hostLocation(p Program) (*time.Location, string) {
	if c, ok := taxonomy.CountryByCode(p.HostCountry); ok {
		return c.Location(), c.Labels.En + " time"
	}
	return time.UTC, "UTC"
}

// Closes returns the instant applications close: the end of the deadline
// day in the host country's time zone. ok is false when the program has no
// deadline; err is set when the deadline is not a date.
func Closes(p Program) (closes time.Time, ok bool, err error) {
	if p.ApplicationDeadline == "" {
		return time.Time{}, false, nil
	}
	d, err := ParseDate(p.ApplicationDeadline)
	if err != nil {
		return time.Time{}, false, err
	}
	loc, _ := hostLocation(p)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc), true, nil
}

func checkDeadline(r *Result, p Program, now time.Time) {
	closes, ok, err := Closes(p)
	if err != nil {
		r.unmet(func() explain.Reason {
			return explain.New(CodeDeadlineInvalid,
				fmt.Sprintf("The application deadline %q is not a date (want YYYY-MM-DD)", p.ApplicationDeadline),
				"deadline", p.ApplicationDeadline)
		})
		return
	}
	if !ok {
		return
	}
	_, zone := hostLocation(p)
	if now.Before(closes) {
		r.met(func() explain.Reason {
			return explain.New(CodeDeadlineMet,
				fmt.Sprintf("Applications are open until the end of %s (%s)", p.ApplicationDeadline, zone),
				"deadline", p.ApplicationDeadline)
		})
	} else {
		r.unmet(func() explain.Reason {
			return explain.New(CodeDeadlineUnmet,
				fmt.Sprintf("Applications closed at the end of %s (%s)", p.ApplicationDeadline, zone),
				"deadline", p.ApplicationDeadline)
		})
	}
}

// Interval is a span of calendar days, both ends inclusive, as days since
// 1970-01-01. A missing bound is a day far outside any real date.
type Interval struct{ From, To int }

// Overlaps reports whether the intervals share at least one day. An empty
// interval (From > To) overlaps nothing.
func (i Interval) Overlaps(j Interval) bool {
	return max(i.From, j.From) <= min(i.To, j.To)
}

const (
	openFrom = -1 << 62
	openTo   = 1 << 62
)

// dayNumber converts a date to days since 1970-01-01; empty is the given
// open bound.
func dayNumber(s string, open int) (int, error) {
	if s == "" {
		return open, nil
	}
	t, err := ParseDate(s)
	if err != nil {
		return 0, err
	}
	return int(t.Unix() / 86400), nil
}

// Availability returns the applicant's availability window. ok is false
// when neither bound is given (no constraint).
func Availability(a Applicant) (w Interval, ok bool, err error) {
	return interval(a.AvailableFrom, a.AvailableTo)
}

// Dates returns the program's running window. ok is false when neither
// bound is given (no constraint).
func Dates(p Program) (w Interval, ok bool, err error) {
	return interval(p.StartDate, p.EndDate)
}

func interval(from, to string) (Interval, bool, error) {
	if from == "" && to == "" {
		return Interval{openFrom, openTo}, false, nil
	}
	f, err := dayNumber(from, openFrom)
	if err != nil {
		return Interval{}, true, err
	}
	t, err := dayNumber(to, openTo)
	if err != nil {
		return Interval{}, true, err
	}
	return Interval{f, t}, true, nil
}

func span(from, to string) string {
	switch {
	case from == "":
		return "until " + to
	case to == "":
		return "from " + from
	}
	return from + " to " + to
}

func checkDates(r *Result, a Applicant, p Program) {
	prog, hasDates, err := Dates(p)
	if err != nil {
		r.unmet(func() explain.Reason {
			return explain.New(CodeDatesInvalid,
				fmt.Sprintf("The program dates (%s) are not dates (want YYYY-MM-DD)", span(p.StartDate, p.EndDate)),
				"side", "program", "startDate", p.StartDate, "endDate", p.EndDate)
		})
		return
	}
	if !hasDates {
		return
	}
	if prog.From > prog.To {
		r.unmet(func() explain.Reason {
			return explain.New(CodeDatesInvalid,
				fmt.Sprintf("The program ends (%s) before it starts (%s)", p.EndDate, p.StartDate),
				"side", "program", "startDate", p.StartDate, "endDate", p.EndDate)
		})
		return
	}
	avail, hasAvail, err := Availability(a)
	if err != nil {
		r.unmet(func() explain.Reason {
			return explain.New(CodeDatesInvalid,
				fmt.Sprintf("The availability dates (%s) are not dates (want YYYY-MM-DD)", span(a.AvailableFrom, a.AvailableTo)),
				"side", "applicant", "availableFrom", a.AvailableFrom, "availableTo", a.AvailableTo)
		})
		return
	}
	progSpan := func() string { return span(p.StartDate, p.EndDate) }
	params := func() []string {
		return []string{"startDate", p.StartDate, "endDate", p.EndDate, "availableFrom", a.AvailableFrom, "availableTo", a.AvailableTo}
	}
	switch {
	case !hasAvail:
		r.met(func() explain.Reason {
			return explain.New(CodeDatesUnconstrained,
				fmt.Sprintf("No availability dates given; the program runs %s", progSpan()), params()...)
		})
	case avail.Overlaps(prog):
		r.met(func() explain.Reason {
			return explain.New(CodeDatesMet,
				fmt.Sprintf("Available %s, which overlaps the program (%s)", span(a.AvailableFrom, a.AvailableTo), progSpan()), params()...)
		})
	default:
		r.unmet(func() explain.Reason {
			return explain.New(CodeDatesUnmet,
				fmt.Sprintf("Available %s, which does not overlap the program (%s)", span(a.AvailableFrom, a.AvailableTo), progSpan()), params()...)
		})
	}
}
