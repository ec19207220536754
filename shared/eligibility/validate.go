package eligibility

import (
	"fmt"
	"strings"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// maxAgeLimit bounds age limits; anything above is a typo, not a rule.
const maxAgeLimit = 120

// FieldError is one problem with one field of a write, with the field's
// JSON path ("eligibility.languages[0].minLevel") so a form can show it next
// to the input.
type FieldError struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Problem }

type errorList []FieldError

func (l *errorList) add(field, format string, args ...any) {
	*l = append(*l, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

// ValidateRules checks a program's eligibility object before it is stored:
// every code must be known, no value repeated, language levels must be on
// the language's scale, and ages must be sensible. It returns nil when the
// rules are valid. Paths start with "eligibility.".
func ValidateRules(r Rules) []FieldError {
	var errs errorList
	validateCodes(&errs, "eligibility.applicantKinds", r.ApplicantKinds, taxonomy.ApplicantKinds.Valid, "applicant kind", taxonomy.ApplicantKinds.String())
	validateCodes(&errs, "eligibility.homeCountries", r.HomeCountries, taxonomy.IsCountry, "country", countryCodes())
	validateCodes(&errs, "eligibility.degreeLevels", r.DegreeLevels, taxonomy.DegreeLevels.Valid, "degree level", taxonomy.DegreeLevels.String())

	seen := map[string]bool{}
	for i, req := range r.Languages {
		path := fmt.Sprintf("eligibility.languages[%d]", i)
		scale, ok := taxonomy.ScaleFor(req.Code)
		switch {
		case req.Code == "":
			errs.add(path+".code", "is required")
		case !ok:
			errs.add(path+".code", "unsupported language %q; want an ISO 639-1 code such as en, ja or hi", req.Code)
		case seen[req.Code]:
			errs.add(path+".code", "duplicate language %q", req.Code)
		}
		seen[req.Code] = true
		if !ok {
			continue
		}
		switch {
		case req.MinLevel == "":
			errs.add(path+".minLevel", "is required")
		case !taxonomy.ValidLevel(req.Code, req.MinLevel):
			errs.add(path+".minLevel", "%q is not a %s level; want one of %s", req.MinLevel, scale.Name, strings.Join(scale.Codes(), "|"))
		}
	}

	validAge := func(field string, n int) bool {
		switch {
		case n < 0:
			errs.add(field, "must not be negative")
		case n > maxAgeLimit:
			errs.add(field, "must be at most %d", maxAgeLimit)
		default:
			return true
		}
		return false
	}
	minOK := validAge("eligibility.minAge", r.MinAge)
	maxOK := validAge("eligibility.maxAge", r.MaxAge)
	if minOK && maxOK && r.MinAge > 0 && r.MaxAge > 0 && r.MinAge > r.MaxAge {
		errs.add("eligibility.minAge", "must not be greater than maxAge (%d > %d)", r.MinAge, r.MaxAge)
	}
	return errs
}

func validateCodes(errs *errorList, path string, codes []string, valid func(string) bool, what, want string) {
	seen := make(map[string]bool, len(codes))
	for i, c := range codes {
		field := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !valid(c):
			errs.add(field, "unknown %s %q; want one of %s", what, c, want)
		case seen[c]:
			errs.add(field, "duplicate %s %q", what, c)
		}
		seen[c] = true
	}
}

func countryCodes() string {
	var codes []string
	for _, c := range taxonomy.Countries() {
		codes = append(codes, c.Code)
	}
	return strings.Join(codes, "|")
}

// ValidateProgram checks the parts of a program eligibility depends on: the
// host country, the dates and the rules. Dates must be "YYYY-MM-DD"; the
// program may not end before it starts, and the deadline may not fall after
// the end. It returns nil when all is well.
func ValidateProgram(p Program) []FieldError {
	var errs errorList
	switch {
	case p.HostCountry == "":
		errs.add("hostCountry", "is required")
	case !taxonomy.IsCountry(p.HostCountry):
		errs.add("hostCountry", "unknown country %q; want one of %s", p.HostCountry, countryCodes())
	}
	start, startOK := validDate(&errs, "startDate", p.StartDate)
	end, endOK := validDate(&errs, "endDate", p.EndDate)
	deadline, deadlineOK := validDate(&errs, "applicationDeadline", p.ApplicationDeadline)
	if startOK && endOK && end < start {
		errs.add("endDate", "must not be before startDate (%s)", p.StartDate)
	}
	if deadlineOK && endOK && deadline > end {
		errs.add("applicationDeadline", "must not be after endDate (%s)", p.EndDate)
	}
	return append(errs, ValidateRules(p.Eligibility)...)
}

// validDate reads an optional date; ok is true only for a present, valid one.
func validDate(errs *errorList, field, s string) (day int, ok bool) {
	if s == "" {
		return 0, false
	}
	d, err := dayNumber(s, 0)
	if err != nil {
		errs.add(field, "%q is not a date; want YYYY-MM-DD", s)
		return 0, false
	}
	return d, true
}
