package eligibility

import (
	"fmt"
	"strings"

	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// maxAgeLimit bounds age limits; anything above is a typo, not a rule.
const maxAgeLimit = 120

// FieldError is one problem with one field of a write, with the field's
// JSON path ("eligibility.languages[0].minLevel") so a form can show it next
// to the input, and a stable code.
type FieldError = fielderr.FieldError

type errorList []FieldError

func (l *errorList) add(e FieldError) { *l = append(*l, e) }

// ValidateRules checks a program's eligibility object before it is stored:
// every code must be known, no value repeated, language levels must be on
// the language's scale, and ages must be sensible. It returns nil when the
// rules are valid. Paths start with "eligibility.".
func ValidateRules(r Rules) []FieldError {
	var errs errorList
	validateCodes(&errs, "eligibility.applicantKinds", r.ApplicantKinds, taxonomy.ApplicantKinds.Valid, "applicant kind", "applicantKind", taxonomy.ApplicantKinds.String())
	validateCodes(&errs, "eligibility.homeCountries", r.HomeCountries, taxonomy.IsCountry, "country", "country", countryCodes())
	validateCodes(&errs, "eligibility.degreeLevels", r.DegreeLevels, taxonomy.DegreeLevels.Valid, "degree level", "degreeLevel", taxonomy.DegreeLevels.String())

	seen := map[string]bool{}
	for i, req := range r.Languages {
		path := fmt.Sprintf("eligibility.languages[%d]", i)
		scale, ok := taxonomy.ScaleFor(req.Code)
		switch {
		case req.Code == "":
			errs.add(fielderr.NewRequired(path + ".code"))
		case !ok:
			errs.add(fielderr.NewUnknownCode(path+".code", "language").Because("unsupported language %q; want an ISO 639-1 code such as en, ja or hi", req.Code))
		case seen[req.Code]:
			errs.add(fielderr.NewDuplicate(path+".code").Because("duplicate language %q", req.Code))
		}
		seen[req.Code] = true
		if !ok {
			continue
		}
		switch {
		case req.MinLevel == "":
			errs.add(fielderr.NewRequired(path + ".minLevel"))
		case !taxonomy.ValidLevel(req.Code, req.MinLevel):
			errs.add(fielderr.NewLevelScale(path+".minLevel", scale.Name, scale.Codes()).Because("%q is not a %s level; want one of %s", req.MinLevel, scale.Name, strings.Join(scale.Codes(), "|")))
		}
	}

	validAge := func(field string, n int) bool {
		switch {
		case n < 0:
			errs.add(fielderr.NewRange(field, 0, maxAgeLimit).Because("must not be negative"))
		case n > maxAgeLimit:
			errs.add(fielderr.NewRange(field, 0, maxAgeLimit).Because("must be at most %d", maxAgeLimit))
		default:
			return true
		}
		return false
	}
	minOK := validAge("eligibility.minAge", r.MinAge)
	maxOK := validAge("eligibility.maxAge", r.MaxAge)
	if minOK && maxOK && r.MinAge > 0 && r.MaxAge > 0 && r.MinAge > r.MaxAge {
		errs.add(fielderr.NewNumberOrder("eligibility.minAge", "eligibility.maxAge").Because("must not be greater than maxAge (%d > %d)", r.MinAge, r.MaxAge))
	}
	return errs
}

func validateCodes(errs *errorList, path string, codes []string, valid func(string) bool, what, taxonomyName, want string) {
	seen := make(map[string]bool, len(codes))
	for i, c := range codes {
		field := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !valid(c):
			errs.add(fielderr.NewUnknownCode(field, taxonomyName).Because("unknown %s %q; want one of %s", what, c, want))
		case seen[c]:
			errs.add(fielderr.NewDuplicate(field).Because("duplicate %s %q", what, c))
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
		errs.add(fielderr.NewRequired("hostCountry"))
	case !taxonomy.IsCountry(p.HostCountry):
		errs.add(fielderr.NewUnknownCode("hostCountry", "country").Because("unknown country %q; want one of %s", p.HostCountry, countryCodes()))
	}
	start, startOK := validDate(&errs, "startDate", p.StartDate)
	end, endOK := validDate(&errs, "endDate", p.EndDate)
	deadline, deadlineOK := validDate(&errs, "applicationDeadline", p.ApplicationDeadline)
	if startOK && endOK && end < start {
		errs.add(fielderr.NewDateOrder("endDate", "startDate").Because("must not be before startDate (%s)", p.StartDate))
	}
	if deadlineOK && endOK && deadline > end {
		errs.add(fielderr.NewDeadlineOrder("applicationDeadline", "endDate").Because("must not be after endDate (%s)", p.EndDate))
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
		errs.add(fielderr.NewFormat(field, "date").Because("%q is not a date; want YYYY-MM-DD", s))
		return 0, false
	}
	return d, true
}
