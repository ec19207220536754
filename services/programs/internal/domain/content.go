package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/textnorm"
)

// Limits on what a program may hold.
const (
	MaxTitle       = 200
	MaxDescription = 10000
	MaxHostOrg     = 200
	MaxFields      = 10
	MaxSkills      = 30
	MaxSkill       = 60
	MaxSeats       = 10000
	MaxStipend     = 1_000_000_000
)

// Currencies and periods a stipend may be given in.
var (
	Currencies     = []string{"INR", "JPY", "USD", "EUR"}
	StipendPeriods = []string{"once", "week", "month", "year"}
)

// Stipend is what a participant is paid: Amount whole units of Currency per
// Period.
type Stipend struct {
	Amount   int64
	Currency string
	Period   string
}

// Content is everything about a program that its host writes: the body of
// POST and PUT /programs and one row of an import. The server adds the id,
// the owner, the status and the timestamps.
type Content struct {
	Title         string
	TitleJa       string
	Description   string
	DescriptionJa string
	Kind          string
	HostOrg       string
	HostCountry   string
	Region        string
	Fields        []string
	Skills        []string
	// Seats is nil when the writer did not say; that is an error.
	Seats *int
	// Reserves hold seats for categories of applicants; ReserveOrder is
	// ReserveLast or ReserveFirst (DESIGN.md §4, §5).
	Reserves     []Reserve
	ReserveOrder string
	// Dates are "YYYY-MM-DD".
	StartDate           string
	EndDate             string
	ApplicationDeadline string
	Stipend             *Stipend
	Eligibility         eligibility.Rules
}

// Reserve holds Seats for applicants of Category (taxonomy.Categories).
type Reserve struct {
	Category string
	Seats    int
}

// Reserve orders.
const (
	ReserveLast  = "last"
	ReserveFirst = "first"
)

// SeatCount returns the number of seats (0 when not given).
func (c Content) SeatCount() int {
	if c.Seats == nil {
		return 0
	}
	return *c.Seats
}

// Normalize returns c tidied for storage: text trimmed, the region spelled
// as the taxonomy spells it, skills lower-cased without repeats, empty lists
// as nil, and the default home countries (every country but the host's)
// filled in when the eligibility rules name none.
func (c Content) Normalize() Content {
	c.Title = strings.TrimSpace(c.Title)
	c.TitleJa = strings.TrimSpace(c.TitleJa)
	c.Description = strings.TrimSpace(c.Description)
	c.DescriptionJa = strings.TrimSpace(c.DescriptionJa)
	c.Kind = strings.TrimSpace(c.Kind)
	c.HostOrg = strings.TrimSpace(c.HostOrg)
	c.HostCountry = strings.ToUpper(strings.TrimSpace(c.HostCountry))
	c.Region = strings.Join(strings.Fields(c.Region), " ")
	if r, ok := taxonomy.LookupRegion(c.HostCountry, c.Region); ok {
		c.Region = r.Name
	}
	c.Fields = trimAll(c.Fields)
	var skills []string
	for _, s := range c.Skills {
		s = strings.ToLower(strings.Join(strings.Fields(s), " "))
		if s != "" && !slices.Contains(skills, s) {
			skills = append(skills, s)
		}
	}
	c.Skills = skills
	c.StartDate = strings.TrimSpace(c.StartDate)
	c.EndDate = strings.TrimSpace(c.EndDate)
	c.ApplicationDeadline = strings.TrimSpace(c.ApplicationDeadline)
	if c.Stipend != nil {
		s := *c.Stipend
		s.Currency = strings.ToUpper(strings.TrimSpace(s.Currency))
		s.Period = strings.ToLower(strings.TrimSpace(s.Period))
		c.Stipend = &s
	}
	if c.Seats != nil {
		n := *c.Seats
		c.Seats = &n
	}
	if len(c.Reserves) == 0 {
		c.Reserves = nil
	} else {
		rs := make([]Reserve, len(c.Reserves))
		for i, x := range c.Reserves {
			rs[i] = Reserve{Category: strings.TrimSpace(x.Category), Seats: x.Seats}
		}
		c.Reserves = rs
	}
	c.ReserveOrder = strings.ToLower(strings.TrimSpace(c.ReserveOrder))
	if c.ReserveOrder == "" {
		c.ReserveOrder = ReserveLast
	}
	r := c.Eligibility
	r.ApplicantKinds = trimAll(r.ApplicantKinds)
	r.HomeCountries = trimAll(r.HomeCountries)
	r.DegreeLevels = trimAll(r.DegreeLevels)
	if len(r.Languages) == 0 {
		r.Languages = nil
	} else {
		r.Languages = slices.Clone(r.Languages)
	}
	if len(r.HomeCountries) == 0 && taxonomy.IsCountry(c.HostCountry) {
		r.HomeCountries = eligibility.AcceptedHomeCountries(eligibility.Program{HostCountry: c.HostCountry})
	}
	c.Eligibility = r
	return c
}

func trimAll(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

type fieldErrors []FieldError

func (l *fieldErrors) add(e FieldError) { *l = append(*l, e) }

// Validate checks c (normalized) against every rule of a program and
// returns a *ValidationError listing all that fail, or nil. now decides
// whether the application deadline has already passed.
func (c Content) Validate(now time.Time) error {
	var errs fieldErrors
	text(&errs, "title", c.Title, true, MaxTitle, false)
	text(&errs, "titleJa", c.TitleJa, false, MaxTitle, false)
	text(&errs, "description", c.Description, true, MaxDescription, true)
	text(&errs, "descriptionJa", c.DescriptionJa, false, MaxDescription, true)
	text(&errs, "hostOrg", c.HostOrg, true, MaxHostOrg, false)

	switch {
	case c.Kind == "":
		errs.add(fielderr.NewRequiredOneOf("kind", taxonomy.ProgramKinds.Codes()).Because("is required"))
	case !taxonomy.ProgramKinds.Valid(c.Kind):
		errs.add(fielderr.NewOneOf("kind", taxonomy.ProgramKinds.Codes()).Because("unknown program kind %q; want one of %s", c.Kind, taxonomy.ProgramKinds.String()))
	}
	countryOK := false
	switch {
	case c.HostCountry == "":
		errs.add(fielderr.NewRequired("hostCountry"))
	case !taxonomy.IsCountry(c.HostCountry):
		errs.add(fielderr.NewUnknownCode("hostCountry", "country").Because("unknown country %q; want IN or JP", c.HostCountry))
	default:
		countryOK = true
	}
	switch {
	case c.Region == "":
		errs.add(fielderr.NewRequired("region"))
	case countryOK && !taxonomy.IsRegion(c.HostCountry, c.Region):
		errs.add(fielderr.NewRegion("region", c.HostCountry).Because("%q is not a region of %s", c.Region, c.HostCountry))
	}

	switch {
	case len(c.Fields) == 0:
		errs.add(fielderr.NewTooFew("fields", 1).Because("name at least one field of science, e.g. \"1.2\""))
	case len(c.Fields) > MaxFields:
		errs.add(fielderr.NewTooMany("fields", MaxFields).Because("at most %d fields", MaxFields))
	default:
		for i, f := range c.Fields {
			switch {
			case !taxonomy.IsField(f):
				errs.add(fielderr.NewUnknownCode(fmt.Sprintf("fields[%d]", i), "field").Because("unknown field of science %q; want an OECD code such as \"1.2\"", f))
			case slices.Contains(c.Fields[:i], f):
				errs.add(fielderr.NewDuplicate(fmt.Sprintf("fields[%d]", i)).Because("duplicate field %q", f))
			}
		}
	}
	if len(c.Skills) > MaxSkills {
		errs.add(fielderr.NewTooMany("skills", MaxSkills).Because("at most %d skills", MaxSkills))
	} else {
		for i, s := range c.Skills {
			text(&errs, fmt.Sprintf("skills[%d]", i), s, true, MaxSkill, false)
		}
	}

	switch {
	case c.Seats == nil:
		errs.add(fielderr.NewRequired("seats"))
	case *c.Seats < 0 || *c.Seats > MaxSeats:
		errs.add(fielderr.NewRange("seats", 0, MaxSeats))
	}

	validateReserves(&errs, c)

	start, startOK := date(&errs, "startDate", c.StartDate)
	end, endOK := date(&errs, "endDate", c.EndDate)
	deadline, deadlineOK := date(&errs, "applicationDeadline", c.ApplicationDeadline)
	if startOK && endOK && end.Before(start) {
		errs.add(fielderr.NewDateOrder("endDate", "startDate").Because("must not be before startDate (%s)", c.StartDate))
	}
	if deadlineOK && startOK && deadline.After(start) {
		errs.add(fielderr.NewDeadlineOrder("applicationDeadline", "startDate").Because("must not be after startDate (%s)", c.StartDate))
	}
	if deadlineOK && countryOK {
		if closes, ok := ClosesAt(c.HostCountry, c.ApplicationDeadline); ok && !now.Before(closes) {
			errs.add(fielderr.NewDatePast("applicationDeadline"))
		}
	}

	if s := c.Stipend; s != nil {
		if s.Amount < 0 || s.Amount > MaxStipend {
			errs.add(fielderr.NewRange("stipend.amount", 0, MaxStipend))
		}
		if !slices.Contains(Currencies, s.Currency) {
			errs.add(fielderr.NewOneOf("stipend.currency", Currencies).Because("unknown currency %q; want one of %s", s.Currency, strings.Join(Currencies, "|")))
		}
		if !slices.Contains(StipendPeriods, s.Period) {
			errs.add(fielderr.NewOneOf("stipend.period", StipendPeriods).Because("unknown period %q; want one of %s", s.Period, strings.Join(StipendPeriods, "|")))
		}
	}

	errs = append(errs, eligibility.ValidateRules(c.Eligibility)...)
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: errs}
}

// text checks a piece of free text: valid UTF-8, no control characters
// (line breaks and tabs are allowed where multiline is true), and at most
// max characters.
func text(errs *fieldErrors, field, s string, required bool, max int, multiline bool) {
	switch {
	case s == "":
		if required {
			errs.add(fielderr.NewRequired(field))
		}
		return
	case !utf8.ValidString(s):
		errs.add(fielderr.NewTextEncoding(field).Because("must be valid UTF-8"))
		return
	case utf8.RuneCountInString(s) > max:
		errs.add(fielderr.NewTooLong(field, max))
		return
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			errs.add(fielderr.NewControlCharacter(field))
			return
		}
	}
	// Invisible format characters let one title or host look like another.
	// Single-line fields refuse them; descriptions may need joiners for
	// emoji.
	if !multiline && textnorm.Invisible(s) {
		errs.add(fielderr.NewFormatCharacter(field))
	}
}

// date reads a required "YYYY-MM-DD" date.
func date(errs *fieldErrors, field, s string) (time.Time, bool) {
	if s == "" {
		errs.add(fielderr.NewRequired(field))
		return time.Time{}, false
	}
	t, err := eligibility.ParseDate(s)
	if err != nil {
		errs.add(fielderr.NewFormat(field, "date").Because("%q is not a date; want YYYY-MM-DD", s))
		return time.Time{}, false
	}
	return t, true
}

// ClosesAt is the instant applications close: the end of the deadline day
// in the host country's time zone. ok is false when either is not valid.
func ClosesAt(hostCountry, deadline string) (time.Time, bool) {
	t, ok, err := eligibility.Closes(eligibility.Program{HostCountry: hostCountry, ApplicationDeadline: deadline})
	if err != nil || !ok {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// sameRules reports whether two normalized rule sets are the same.
func sameRules(a, b eligibility.Rules) bool {
	return slices.Equal(a.ApplicantKinds, b.ApplicantKinds) &&
		slices.Equal(a.HomeCountries, b.HomeCountries) &&
		slices.Equal(a.DegreeLevels, b.DegreeLevels) &&
		slices.Equal(a.Languages, b.Languages) &&
		a.MinAge == b.MinAge && a.MaxAge == b.MaxAge
}

// Equal reports whether two normalized contents are the same.
func (c Content) Equal(d Content) bool {
	return c.Title == d.Title && c.TitleJa == d.TitleJa &&
		c.Description == d.Description && c.DescriptionJa == d.DescriptionJa &&
		c.Kind == d.Kind && c.HostOrg == d.HostOrg && c.HostCountry == d.HostCountry &&
		c.Region == d.Region && slices.Equal(c.Fields, d.Fields) && slices.Equal(c.Skills, d.Skills) &&
		c.SeatCount() == d.SeatCount() && (c.Seats == nil) == (d.Seats == nil) &&
		slices.Equal(c.Reserves, d.Reserves) && c.ReserveOrder == d.ReserveOrder &&
		c.StartDate == d.StartDate && c.EndDate == d.EndDate &&
		c.ApplicationDeadline == d.ApplicationDeadline &&
		((c.Stipend == nil && d.Stipend == nil) || (c.Stipend != nil && d.Stipend != nil && *c.Stipend == *d.Stipend)) &&
		sameRules(c.Eligibility, d.Eligibility)
}

// validateReserves checks the reserves: known categories, each once, at
// least one seat each, together no more than the program's seats.
func validateReserves(errs *fieldErrors, c Content) {
	if c.ReserveOrder != ReserveLast && c.ReserveOrder != ReserveFirst {
		errs.add(fielderr.NewOneOf("reserveOrder", []string{ReserveLast, ReserveFirst}).Because("must be %s or %s, not %q", ReserveLast, ReserveFirst, c.ReserveOrder))
	}
	if len(c.Reserves) > taxonomy.Categories.Len() {
		errs.add(fielderr.NewTooMany("reserves", taxonomy.Categories.Len()).Because("at most %d reserves, one per category", taxonomy.Categories.Len()))
		return
	}
	sum := 0
	for i, r := range c.Reserves {
		switch {
		case !taxonomy.Categories.Valid(r.Category):
			errs.add(fielderr.NewUnknownCode(fmt.Sprintf("reserves[%d].category", i), "category").Because("unknown category %q; want one of %s", r.Category, taxonomy.Categories))
		case slices.ContainsFunc(c.Reserves[:i], func(o Reserve) bool { return o.Category == r.Category }):
			errs.add(fielderr.NewDuplicate(fmt.Sprintf("reserves[%d].category", i)).Because("category %q is reserved twice; give it one reserve", r.Category))
		}
		if r.Seats < 1 || r.Seats > MaxSeats {
			errs.add(fielderr.NewRange(fmt.Sprintf("reserves[%d].seats", i), 1, MaxSeats))
			continue
		}
		sum += r.Seats
	}
	if c.Seats != nil && *c.Seats >= 0 && sum > *c.Seats {
		errs.add(fielderr.NewSumTooLarge("reserves", *c.Seats).Because("hold %d seats in all, more than the program's %d seats", sum, *c.Seats))
	}
}

// EligibilityProgram is what eligibility.Check needs of the content: the
// same facts the matching service's read model passes it, so that search's
// "only programs I can apply to" and matching agree.
func (c Content) EligibilityProgram() eligibility.Program {
	return eligibility.Program{HostCountry: c.HostCountry, StartDate: c.StartDate, EndDate: c.EndDate,
		ApplicationDeadline: c.ApplicationDeadline, Eligibility: c.Eligibility}
}
