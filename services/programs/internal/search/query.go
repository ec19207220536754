package search

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/web"
)

// Sort orders: relevance to the free text, deadline soonest first, newest
// publication first, start date soonest first.
const (
	SortRelevance = "relevance"
	SortDeadline  = "deadline"
	SortNewest    = "newest"
	SortStart     = "start"
)

// Sorts lists the sort orders in the order the API documents them.
var Sorts = []string{SortRelevance, SortDeadline, SortNewest, SortStart}

// Paging limits.
const (
	DefaultPageSize = web.DefaultPageSize
	MaxPageSize     = web.MaxPageSize
	MaxPage         = web.MaxPage
	MaxQueryLength  = 200
	MaxQueryTerms   = 32
)

// Query is a parsed search request.
type Query struct {
	// Text is the free text as given; Terms are its search terms.
	Text  string
	Terms []string
	// Filters; empty means any.
	Kind        string
	HostCountry string
	// Field matches a program with that field or, for a major field such
	// as "1", with any of its subfields.
	Field string
	// Region is the canonical region name.
	Region string
	// Open keeps only programs that take applications at the snapshot time.
	Open bool
	// StartsAfter keeps programs starting on or after that day
	// ("YYYY-MM-DD").
	StartsAfter string
	Sort        string
	Page        int
	PageSize    int
	// AsOf is the snapshot the pages of one search share; zero means "now"
	// (a first page).
	AsOf time.Time
	// Mine lists the caller's own programs in every status instead of the
	// public catalogue.
	Mine bool
	// Eligible asks for only the programs the signed-in applicant may
	// apply to; the caller then sets Applicant to the facts of their
	// profile, which the filter checks with eligibility.Check at the
	// snapshot time (so a passed deadline counts too).
	Eligible  bool
	Applicant *eligibility.Applicant
}

// params are the parameters ParseQuery accepts.
var params = []string{"q", "kind", "hostCountry", "field", "region", "open", "startsAfter",
	"sort", "page", "pageSize", "asOf", "mine", "eligible"}

// ParseQuery reads the parameters of GET /programs. It returns every problem
// found, naming the parameter, and never panics on any input.
func ParseQuery(v url.Values) (Query, []domain.FieldError) {
	q := Query{Page: 1, PageSize: DefaultPageSize}
	var errs []domain.FieldError
	bad := func(e domain.FieldError) { errs = append(errs, e) }
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch {
		case k == "":
			bad(fielderr.NewUnknownField("(query)").Because("has a value without a parameter name"))
		case !slices.Contains(params, k):
			bad(fielderr.New(shorten(k), fielderr.UnknownField, &fielderr.Params{Allowed: params}, "is not a search parameter; use "+strings.Join(params, ", ")))
		case len(v[k]) > 1:
			bad(fielderr.NewDuplicate(k).Because("give it once"))
		}
	}
	get := func(k string) string {
		if vs := v[k]; len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}

	q.Text = get("q")
	switch {
	case !utf8.ValidString(q.Text):
		bad(fielderr.NewTextEncoding("q").Because("must be valid UTF-8"))
		q.Text = ""
	case utf8.RuneCountInString(q.Text) > MaxQueryLength:
		bad(fielderr.NewTooLong("q", MaxQueryLength))
	default:
		for _, t := range Tokens(q.Text) {
			if !slices.Contains(q.Terms, t) {
				q.Terms = append(q.Terms, t)
			}
		}
		if len(q.Terms) > MaxQueryTerms {
			bad(fielderr.NewTooMany("q", MaxQueryTerms).Because("has too many words; use at most %d", MaxQueryTerms))
		}
	}

	if q.Kind = get("kind"); q.Kind != "" && !taxonomy.ProgramKinds.Valid(q.Kind) {
		bad(fielderr.NewOneOf("kind", taxonomy.ProgramKinds.Codes()).Because("unknown program kind %q; want one of %s", q.Kind, taxonomy.ProgramKinds.String()))
	}
	if q.HostCountry = strings.ToUpper(get("hostCountry")); q.HostCountry != "" && !taxonomy.IsCountry(q.HostCountry) {
		bad(fielderr.NewUnknownCode("hostCountry", "country").Because("unknown country %q; want IN or JP", q.HostCountry))
	}
	if q.Field = get("field"); q.Field != "" && !taxonomy.IsField(q.Field) {
		bad(fielderr.NewUnknownCode("field", "field").Because("unknown field of science %q; want an OECD code such as \"1.2\"", q.Field))
	}
	if r := get("region"); r != "" {
		name, ok := lookupRegion(q.HostCountry, r)
		if !ok {
			bad(fielderr.NewRegion("region", q.HostCountry).Because("unknown region %q", r))
		}
		q.Region = name
	}
	if s := get("open"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			bad(fielderr.NewFormat("open", "boolean").Because("must be true or false"))
		}
		q.Open = b
	}
	if s := get("mine"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			bad(fielderr.NewFormat("mine", "boolean").Because("must be true or false"))
		}
		q.Mine = b
	}
	if s := get("eligible"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			bad(fielderr.NewFormat("eligible", "boolean").Because("must be true or false"))
		}
		q.Eligible = b
	}
	if q.StartsAfter = get("startsAfter"); q.StartsAfter != "" {
		if _, err := eligibility.ParseDate(q.StartsAfter); err != nil {
			bad(fielderr.NewFormat("startsAfter", "date").Because("%q is not a date; want YYYY-MM-DD", q.StartsAfter))
		}
	}
	switch q.Sort = get("sort"); q.Sort {
	case "":
		q.Sort = SortDeadline
		if len(q.Terms) > 0 {
			q.Sort = SortRelevance
		}
	case SortRelevance, SortDeadline, SortNewest, SortStart:
	default:
		bad(fielderr.NewOneOf("sort", Sorts).Because("must be one of %s", strings.Join(Sorts, ", ")))
	}
	pg, pfe := web.ParsePaging(get("page"), get("pageSize"))
	q.Page, q.PageSize = pg.Page, pg.Size
	errs = append(errs, pfe...)
	if s := get("asOf"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			bad(fielderr.NewFormat("asOf", "datetime").Because("must be the asOf of an earlier page (an RFC 3339 time)"))
		} else {
			q.AsOf = t.UTC()
		}
	}
	return q, errs
}

// shorten keeps a name from the request short enough to quote back.
func shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	return strings.ToValidUTF8(s[:40], "") + "…"
}

// lookupRegion finds a region by any of its spellings, in the given country
// or, when none is given, in either.
func lookupRegion(country, name string) (string, bool) {
	if country != "" {
		r, ok := taxonomy.LookupRegion(country, name)
		return r.Name, ok
	}
	for _, c := range taxonomy.Countries() {
		if r, ok := taxonomy.LookupRegion(c.Code, name); ok {
			return r.Name, true
		}
	}
	return "", false
}
