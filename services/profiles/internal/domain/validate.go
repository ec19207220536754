package domain

import (
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/textnorm"
)

// Limits on what a profile may hold.
const (
	MaxNameLen        = 200
	MaxInstitutionLen = 200
	MaxStatementLen   = 4000
	MaxFields         = 10
	MaxSkills         = 30
	MaxSkillLen       = 60
	MaxLanguages      = 10
	MaxHostRegions    = 20
	MaxEmailLen       = 254
	MaxGuardianLen    = 200
	// AdultAge is the age of majority under India's DPDP Act and Japan's
	// Civil Code.
	AdultAge = 18
	// MinAge and MaxAge bound a plausible birth year: 13 to 100 years old.
	MinAge = 13
	MaxAge = 100
)

// DateLayout is the layout of every date ("YYYY-MM-DD", ISO 8601).
const DateLayout = "2006-01-02"

// Genders are the values of the optional self-declared gender.
var Genders = []string{"female", "male", "non_binary", "other", "prefer_not_to_say"}

// GuardianRelations are the accepted relations of a consenting guardian.
var GuardianRelations = []string{"parent", "legal_guardian"}

// Problem is one broken rule: the field (a JSON path such as
// "languages[1].level"), a stable code with parameters, and what is wrong
// in English.
type Problem = fielderr.FieldError

// ValidationError lists every broken rule of a request.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 0 {
		return "invalid profile"
	}
	s := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		s[i] = p.Field + ": " + p.Reason
	}
	return "invalid profile: " + strings.Join(s, "; ")
}

type problems []Problem

func (ps *problems) add(p Problem) { *ps = append(*ps, p) }

// Validate checks every rule of a profile and returns d normalized, or a
// *ValidationError listing every problem found. now decides which birth
// years are plausible and who may be a minor.
func Validate(d Draft, now time.Time) (Draft, error) {
	var ps problems
	out := Draft{Consents: d.Consents}
	x := &out.Details

	x.Kind = strings.TrimSpace(d.Kind)
	checkEnum(&ps, "kind", x.Kind, taxonomy.ApplicantKinds, true)

	x.Name = text(&ps, "name", d.Name, MaxNameLen, true)

	x.HomeCountry = strings.TrimSpace(d.HomeCountry)
	switch {
	case x.HomeCountry == "":
		ps.add(fielderr.NewRequiredOneOf("homeCountry", countryList()))
	case !taxonomy.IsCountry(x.HomeCountry):
		ps.add(fielderr.NewOneOf("homeCountry", countryList()).Because("must be one of %s, not %q", countryCodes(), x.HomeCountry))
	}

	x.Institution = text(&ps, "institution", d.Institution, MaxInstitutionLen, false)

	x.Region = strings.TrimSpace(d.Region)
	if x.Region != "" && taxonomy.IsCountry(x.HomeCountry) {
		if r, ok := taxonomy.LookupRegion(x.HomeCountry, x.Region); ok {
			x.Region = r.Name
		} else {
			ps.add(fielderr.NewRegion("region", x.HomeCountry).Because("%q is not %s of %s", x.Region, regionWord(x.HomeCountry), countryName(x.HomeCountry)))
		}
	}

	x.Fields = make([]string, 0, len(d.Fields))
	if len(d.Fields) > MaxFields {
		ps.add(fielderr.NewTooMany("fields", MaxFields).Because("may list at most %d fields, not %d", MaxFields, len(d.Fields)))
	}
	for i, f := range d.Fields {
		f = strings.TrimSpace(f)
		path := fmt.Sprintf("fields[%d]", i)
		switch {
		case !taxonomy.IsField(f):
			ps.add(fielderr.NewUnknownCode(path, "field").Because("%q is not a field code of the OECD Fields of Science (e.g. \"1.2\")", f))
		case slices.Contains(x.Fields, f):
			ps.add(fielderr.NewDuplicate(path).Because("%q is listed twice", f))
		default:
			x.Fields = append(x.Fields, f)
		}
	}

	x.Skills = make([]string, 0, len(d.Skills))
	if len(d.Skills) > MaxSkills {
		ps.add(fielderr.NewTooMany("skills", MaxSkills).Because("may list at most %d skills, not %d", MaxSkills, len(d.Skills)))
	}
	for i, s := range d.Skills {
		path := fmt.Sprintf("skills[%d]", i)
		s = strings.Join(strings.Fields(s), " ")
		switch {
		case s == "":
			ps.add(fielderr.NewRequired(path).Because("is empty"))
		case !utf8.ValidString(s):
			ps.add(fielderr.NewTextEncoding(path))
		case utf8.RuneCountInString(s) > MaxSkillLen:
			ps.add(fielderr.NewTooLong(path, MaxSkillLen).Because("may be at most %d characters", MaxSkillLen))
		case hasControl(s, false):
			ps.add(fielderr.NewControlCharacter(path))
		case containsFold(x.Skills, s):
			ps.add(fielderr.NewDuplicate(path).Because("%q is listed twice", s))
		default:
			x.Skills = append(x.Skills, s)
		}
	}

	x.Languages = make([]taxonomy.Language, 0, len(d.Languages))
	if len(d.Languages) > MaxLanguages {
		ps.add(fielderr.NewTooMany("languages", MaxLanguages).Because("may list at most %d languages, not %d", MaxLanguages, len(d.Languages)))
	}
	seen := map[string]bool{}
	for i, l := range d.Languages {
		code := strings.ToLower(strings.TrimSpace(l.Code))
		level := normalizeLevel(l.Level)
		path := fmt.Sprintf("languages[%d]", i)
		if !taxonomy.IsLanguage(code) {
			ps.add(fielderr.NewUnknownCode(path+".code", "language").Because("%q is not a supported language code (ISO 639-1, e.g. \"en\", \"ja\", \"hi\")", l.Code))
			continue
		}
		if seen[code] {
			ps.add(fielderr.NewDuplicate(path+".code").Because("%q is listed twice", code))
			continue
		}
		seen[code] = true
		if !taxonomy.ValidLevel(code, level) {
			s, _ := taxonomy.ScaleFor(code)
			ps.add(fielderr.NewLevelScale(path+".level", s.Name, s.Codes()).Because("%q is not a level for %s: use the %s scale, one of %s", l.Level, code, s.Name, strings.Join(s.Codes(), ", ")))
			continue
		}
		x.Languages = append(x.Languages, taxonomy.Language{Code: code, Level: level})
	}

	x.DegreeLevel = strings.TrimSpace(d.DegreeLevel)
	checkEnum(&ps, "degreeLevel", x.DegreeLevel, taxonomy.DegreeLevels, true)

	x.BirthYear = d.BirthYear
	minYear, maxYear := now.Year()-MaxAge, now.Year()-MinAge
	yearOK := false
	switch {
	case d.BirthYear == 0:
		ps.add(fielderr.NewRequired("birthYear").Because("is required: the year you were born, between %d and %d", minYear, maxYear))
	case d.BirthYear < minYear || d.BirthYear > maxYear:
		ps.add(fielderr.NewYear("birthYear", minYear, maxYear).Because("must be a year between %d and %d, not %d", minYear, maxYear, d.BirthYear))
	default:
		yearOK = true
	}

	x.AvailableFrom = strings.TrimSpace(d.AvailableFrom)
	x.AvailableTo = strings.TrimSpace(d.AvailableTo)
	from, fromOK := date(&ps, "availableFrom", x.AvailableFrom)
	to, toOK := date(&ps, "availableTo", x.AvailableTo)
	if fromOK && toOK && x.AvailableFrom != "" && x.AvailableTo != "" && from.After(to) {
		ps.add(fielderr.NewDateOrder("availableTo", "availableFrom").Because("must not be before availableFrom (%s)", x.AvailableFrom))
	}

	x.Preferences.ProgramKinds = make([]string, 0, len(d.Preferences.ProgramKinds))
	for i, k := range d.Preferences.ProgramKinds {
		k = strings.TrimSpace(k)
		path := fmt.Sprintf("preferences.programKinds[%d]", i)
		switch {
		case !taxonomy.ProgramKinds.Valid(k):
			ps.add(fielderr.NewOneOf(path, taxonomy.ProgramKinds.Codes()).Because("must be one of %s, not %q", taxonomy.ProgramKinds, k))
		case slices.Contains(x.Preferences.ProgramKinds, k):
			ps.add(fielderr.NewDuplicate(path).Because("%q is listed twice", k))
		default:
			x.Preferences.ProgramKinds = append(x.Preferences.ProgramKinds, k)
		}
	}
	x.Preferences.HostRegions = make([]string, 0, len(d.Preferences.HostRegions))
	if len(d.Preferences.HostRegions) > MaxHostRegions {
		ps.add(fielderr.NewTooMany("preferences.hostRegions", MaxHostRegions).Because("may list at most %d regions, not %d", MaxHostRegions, len(d.Preferences.HostRegions)))
	}
	for i, r := range d.Preferences.HostRegions {
		path := fmt.Sprintf("preferences.hostRegions[%d]", i)
		name, ok := anyRegion(r)
		switch {
		case !ok:
			ps.add(fielderr.NewRegion(path, "").Because("%q is not an Indian state or union territory or a Japanese prefecture", strings.TrimSpace(r)))
		case slices.Contains(x.Preferences.HostRegions, name):
			ps.add(fielderr.NewDuplicate(path).Because("%q is listed twice", name))
		default:
			x.Preferences.HostRegions = append(x.Preferences.HostRegions, name)
		}
	}

	x.Statement = strings.TrimSpace(d.Statement)
	switch {
	case !utf8.ValidString(x.Statement):
		ps.add(fielderr.NewTextEncoding("statement"))
	case utf8.RuneCountInString(x.Statement) > MaxStatementLen:
		ps.add(fielderr.NewTooLong("statement", MaxStatementLen).Because("may be at most %d characters, not %d", MaxStatementLen, utf8.RuneCountInString(x.Statement)))
	case hasControl(x.Statement, true):
		ps.add(fielderr.NewControlCharacter("statement").Because("must not contain control characters other than line breaks and tabs"))
	}

	x.Gender = strings.TrimSpace(d.Gender)
	if x.Gender != "" && !slices.Contains(Genders, x.Gender) {
		ps.add(fielderr.NewOneOf("gender", Genders).Because("must be one of %s, or left out", strings.Join(Genders, "|")))
	}

	x.Categories = make([]string, 0, len(d.Categories))
	if len(d.Categories) > taxonomy.Categories.Len() {
		ps.add(fielderr.NewTooMany("categories", taxonomy.Categories.Len()).Because("may list at most %d categories, not %d", taxonomy.Categories.Len(), len(d.Categories)))
		d.Categories = d.Categories[:taxonomy.Categories.Len()]
	}
	for i, g := range d.Categories {
		g = strings.TrimSpace(g)
		path := fmt.Sprintf("categories[%d]", i)
		switch {
		case !taxonomy.Categories.Valid(g):
			ps.add(fielderr.NewUnknownCode(path, "category").Because("%q is not a category: one of %s", g, taxonomy.Categories))
		case slices.Contains(x.Categories, g):
			ps.add(fielderr.NewDuplicate(path).Because("%q is listed twice", g))
		default:
			x.Categories = append(x.Categories, g)
		}
	}
	if len(d.Categories) > 0 && !d.Consents.Categories {
		ps.add(fielderr.New("categories", fielderr.ConsentCategories, nil, "are kept only with their own consent: set consents.categories to true, or leave categories out (withdrawing that consent removes them)"))
	}

	c := &out.Consents
	c.NoticeVersion = strings.TrimSpace(c.NoticeVersion)
	switch {
	case c.NoticeVersion == "":
		ps.add(fielderr.NewNoticeVersion("consents.noticeVersion", NoticeVersion).Because("is required: the version of the consent notice you read (currently %s, see GET /api/v1/profiles/consent-notice)", NoticeVersion))
	case c.NoticeVersion != NoticeVersion:
		ps.add(fielderr.NewNoticeVersion("consents.noticeVersion", NoticeVersion).Because("must be the current notice version %s, not %q: read the current notice at GET /api/v1/profiles/consent-notice", NoticeVersion, c.NoticeVersion))
	}
	if !c.DataProcessing {
		ps.add(fielderr.NewConsentRequired("consents.dataProcessing").Because("must be true: a profile is kept only with consent to process it (to withdraw consent, erase the profile)"))
	}

	// Whether a guardian must consent is only known for a plausible year.
	minor := yearOK && MightBeMinor(x.BirthYear, now)
	if d.Guardian == nil {
		if minor {
			ps.add(fielderr.NewGuardianRequired("guardianConsent", AdultAge).Because("is required because an applicant born in %d may be under %d: give the name and relation (%s) of the parent or guardian who consents", x.BirthYear, AdultAge, strings.Join(GuardianRelations, "|")))
		}
	} else {
		g := &GuardianChoice{}
		if yearOK && !minor {
			ps.add(fielderr.NewGuardianAdult("guardianConsent", AdultAge))
		}
		g.Name = text(&ps, "guardianConsent.name", d.Guardian.Name, MaxGuardianLen, true)
		g.Relation = strings.TrimSpace(d.Guardian.Relation)
		switch {
		case g.Relation == "":
			ps.add(fielderr.NewRequiredOneOf("guardianConsent.relation", GuardianRelations))
		case !slices.Contains(GuardianRelations, g.Relation):
			ps.add(fielderr.NewOneOf("guardianConsent.relation", GuardianRelations).Because("must be one of %s, not %q", strings.Join(GuardianRelations, "|"), g.Relation))
		}
		out.Guardian = g
	}

	if len(ps) > 0 {
		return Draft{}, &ValidationError{Problems: ps}
	}
	return out, nil
}

// NormalizeEmail checks an e-mail address and returns it in lower case; the
// error is a fielderr.FieldError of the field "email".
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fielderr.NewRequired("email")
	}
	if len(s) > MaxEmailLen {
		return "", fielderr.NewTooLong("email", MaxEmailLen).Because("may be at most %d characters", MaxEmailLen)
	}
	if textnorm.Invisible(s) {
		return "", fielderr.NewFormatCharacter("email")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", fielderr.NewEmail("email").Because("%q is not an e-mail address like name@example.org", s)
	}
	return strings.ToLower(s), nil
}

func checkEnum(ps *problems, field, v string, e *taxonomy.Enum, required bool) {
	switch {
	case v == "" && required:
		ps.add(fielderr.NewRequiredOneOf(field, e.Codes()))
	case v != "" && !e.Valid(v):
		ps.add(fielderr.NewOneOf(field, e.Codes()).Because("must be one of %s, not %q", e, v))
	}
}

// text trims s, collapses runs of white space and checks its length.
func text(ps *problems, field, s string, max int, required bool) string {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "" && required:
		ps.add(fielderr.NewRequired(field))
	case !utf8.ValidString(s):
		ps.add(fielderr.NewTextEncoding(field))
	case utf8.RuneCountInString(s) > max:
		ps.add(fielderr.NewTooLong(field, max).Because("may be at most %d characters, not %d", max, utf8.RuneCountInString(s)))
	case hasControl(s, false):
		ps.add(fielderr.NewControlCharacter(field))
	case textnorm.Invisible(s):
		ps.add(fielderr.NewFormatCharacter(field))
	}
	return s
}

func hasControl(s string, allowBreaks bool) bool {
	for _, r := range s {
		if allowBreaks && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

func date(ps *problems, field, s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		ps.add(fielderr.NewFormat(field, "date").Because("must be a date written YYYY-MM-DD, not %q", s))
		return time.Time{}, false
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		ps.add(fielderr.NewYear(field, 1900, 2200).Because("must be a date between 1900 and 2200, not %q", s))
		return time.Time{}, false
	}
	return t, true
}

// normalizeLevel writes a proficiency level as the scales do: "N2", "B1",
// "native".
func normalizeLevel(s string) string {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, taxonomy.Native) {
		return taxonomy.Native
	}
	return strings.ToUpper(s)
}

func anyRegion(name string) (string, bool) {
	for _, c := range taxonomy.Countries() {
		if r, ok := taxonomy.LookupRegion(c.Code, name); ok {
			return r.Name, true
		}
	}
	return "", false
}

func countryList() []string {
	var codes []string
	for _, c := range taxonomy.Countries() {
		codes = append(codes, c.Code)
	}
	return codes
}

func countryCodes() string {
	var codes []string
	for _, c := range taxonomy.Countries() {
		codes = append(codes, c.Code)
	}
	return strings.Join(codes, "|")
}

func countryName(code string) string {
	if c, ok := taxonomy.CountryByCode(code); ok {
		return c.Labels.En
	}
	return code
}

func regionWord(country string) string {
	if country == taxonomy.Japan {
		return "a prefecture"
	}
	return "a state or union territory"
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// ParseYear reads a birth year written in a file.
func ParseYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 9999 {
		return 0, fielderr.NewFormat("birthYear", "year").Because("must be a year such as 2001, not %q", s)
	}
	return n, nil
}
