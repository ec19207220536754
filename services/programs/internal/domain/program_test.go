package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
)

var now = time.Date(2027, 1, 10, 3, 0, 0, 0, time.UTC)

func seats(n int) *int { return &n }

// valid is a program in Japan that passes every rule at now.
func valid() Content {
	return Content{
		Title: "AI for disaster resilience", TitleJa: "防災のためのAI",
		Description: "Summer research on remote sensing.", DescriptionJa: "リモートセンシングの夏季研究。",
		Kind: "joint_research", HostOrg: "Tohoku University", HostCountry: "JP", Region: "Miyagi",
		Fields: []string{"2.2"}, Skills: []string{"Python", "remote  sensing"}, Seats: seats(2),
		StartDate: "2027-06-01", EndDate: "2027-08-31", ApplicationDeadline: "2027-03-31",
		Stipend: &Stipend{Amount: 150000, Currency: "JPY", Period: "month"},
		Eligibility: eligibility.Rules{
			ApplicantKinds: []string{"student", "researcher"},
			DegreeLevels:   []string{"master", "phd"},
			Languages:      []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}},
			MaxAge:         35,
		},
	}
}

func fieldsOf(err error) []string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Content)
		want   []string // fields named in the error; nil means valid
	}{
		{"valid", func(c *Content) {}, nil},
		{"no stipend is fine", func(c *Content) { c.Stipend = nil }, nil},
		{"zero seats is fine", func(c *Content) { c.Seats = seats(0) }, nil},
		{"deadline on the start day", func(c *Content) { c.ApplicationDeadline = c.StartDate }, nil},
		{"region in another spelling", func(c *Content) { c.Region = "宮城県" }, nil},
		{"missing title", func(c *Content) { c.Title = "  " }, []string{"title"}},
		{"long title", func(c *Content) { c.Title = strings.Repeat("a", MaxTitle+1) }, []string{"title"}},
		{"control character", func(c *Content) { c.Title = "a\x00b" }, []string{"title"}},
		// Issue 16, finding 6: invisible format characters (Cf) make look-alike titles and hosts.
		{"bidi override in title", func(c *Content) { c.Title = "\u202eevil\u202c Internship" }, []string{"title"}},
		{"zero-width space in Japanese title", func(c *Content) { c.TitleJa = "研究\u200bインターン" }, []string{"titleJa"}},
		{"zero-width joiner in host", func(c *Content) { c.HostOrg = "Tohoku\u200d University" }, []string{"hostOrg"}},
		{"emoji joiner in description is fine", func(c *Content) { c.Description = "Team \U0001F469\u200d\U0001F52C lab" }, nil},
		{"newline in description is fine", func(c *Content) { c.Description = "one\ntwo" }, nil},
		{"long Japanese description", func(c *Content) { c.DescriptionJa = strings.Repeat("研", MaxDescription+1) }, []string{"descriptionJa"}},
		{"unknown kind", func(c *Content) { c.Kind = "vacation" }, []string{"kind"}},
		{"unknown country", func(c *Content) { c.HostCountry = "US" }, []string{"hostCountry"}},
		{"region of the other country", func(c *Content) { c.Region = "Kerala" }, []string{"region"}},
		{"no fields", func(c *Content) { c.Fields = nil }, []string{"fields"}},
		{"unknown field", func(c *Content) { c.Fields = []string{"2.2", "9.9"} }, []string{"fields[1]"}},
		{"duplicate field", func(c *Content) { c.Fields = []string{"2.2", "2.2"} }, []string{"fields[1]"}},
		{"no seats", func(c *Content) { c.Seats = nil }, []string{"seats"}},
		{"negative seats", func(c *Content) { c.Seats = seats(-1) }, []string{"seats"}},
		{"too many seats", func(c *Content) { c.Seats = seats(MaxSeats + 1) }, []string{"seats"}},
		{"ends before it starts", func(c *Content) { c.EndDate = "2027-05-31" }, []string{"endDate"}},
		{"deadline after start", func(c *Content) { c.ApplicationDeadline = "2027-06-02" }, []string{"applicationDeadline"}},
		{"deadline passed", func(c *Content) { c.ApplicationDeadline = "2027-01-09" }, []string{"applicationDeadline"}},
		{"not a date", func(c *Content) { c.StartDate = "1 June 2027" }, []string{"startDate"}},
		{"stipend currency", func(c *Content) { c.Stipend.Currency = "BTC" }, []string{"stipend.currency"}},
		{"stipend period", func(c *Content) { c.Stipend.Period = "fortnight" }, []string{"stipend.period"}},
		{"negative stipend", func(c *Content) { c.Stipend.Amount = -5 }, []string{"stipend.amount"}},
		{"language level off the scale", func(c *Content) {
			c.Eligibility.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: "B2"}}
		}, []string{"eligibility.languages[0].minLevel"}},
		{"unknown home country", func(c *Content) { c.Eligibility.HomeCountries = []string{"US"} }, []string{"eligibility.homeCountries[0]"}},
		{"ages reversed", func(c *Content) { c.Eligibility.MinAge = 40 }, []string{"eligibility.minAge"}},
		{"several problems at once", func(c *Content) { c.Kind = ""; c.Seats = seats(-3) }, []string{"kind", "seats"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.change(&c)
			err := c.Normalize().Validate(now)
			if got := fieldsOf(err); !slices.Equal(got, tc.want) {
				t.Errorf("Validate() = %v (fields %v), want fields %v", err, got, tc.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	c := valid()
	c.Eligibility.HomeCountries = nil
	c.Region = " miyagi "
	n := c.Normalize()
	if !slices.Equal(n.Eligibility.HomeCountries, []string{"IN"}) {
		t.Errorf("homeCountries of a program in Japan = %v, want [IN]", n.Eligibility.HomeCountries)
	}
	if n.Region != "Miyagi" {
		t.Errorf("region = %q, want Miyagi", n.Region)
	}
	if want := []string{"python", "remote sensing"}; !slices.Equal(n.Skills, want) {
		t.Errorf("skills = %v, want %v", n.Skills, want)
	}
	c.HostCountry, c.Region = "IN", "Tamil Nadu"
	if got := c.Normalize().Eligibility.HomeCountries; !slices.Equal(got, []string{"JP"}) {
		t.Errorf("homeCountries of a program in India = %v, want [JP]", got)
	}
	c.Eligibility.HomeCountries = []string{"IN", "JP"}
	if got := c.Normalize().Eligibility.HomeCountries; !slices.Equal(got, []string{"IN", "JP"}) {
		t.Errorf("explicit homeCountries = %v, want them kept", got)
	}
}

func TestLifecycle(t *testing.T) {
	p, err := New("p1", "h1", valid(), now)
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	if p.Status != StatusDraft || p.Version != 1 {
		t.Fatalf("new program: status %s version %d, want draft 1", p.Status, p.Version)
	}
	// The deadline day ends at midnight in Japan.
	if want := time.Date(2027, 3, 31, 15, 0, 0, 0, time.UTC); !p.ClosesAt.Equal(want) {
		t.Errorf("ClosesAt = %v, want %v", p.ClosesAt, want)
	}
	steps := []struct {
		name        string
		do          func() (bool, error)
		wantChanged bool
		wantErr     error
		wantStatus  Status
		wantVersion int64
	}{
		{"publish", func() (bool, error) { return p.Publish(now) }, true, nil, StatusPublished, 2},
		{"publish again", func() (bool, error) { return p.Publish(now) }, false, nil, StatusPublished, 2},
		{"edit", func() (bool, error) {
			c := valid()
			c.Title = "New title"
			return p.Edit(c, now)
		}, true, nil, StatusPublished, 3},
		{"same edit again", func() (bool, error) {
			c := valid()
			c.Title = "New title"
			return p.Edit(c, now)
		}, false, nil, StatusPublished, 3},
		{"close", func() (bool, error) { return p.Close(ClosedByHost, now), nil }, true, nil, StatusClosed, 4},
		{"close again", func() (bool, error) { return p.Close(ClosedByHost, now), nil }, false, nil, StatusClosed, 4},
		{"edit closed", func() (bool, error) { return p.Edit(valid(), now) }, false, ErrClosed, StatusClosed, 4},
		{"publish closed", func() (bool, error) { return p.Publish(now) }, false, ErrClosed, StatusClosed, 4},
	}
	for _, s := range steps {
		changed, err := s.do()
		if changed != s.wantChanged || !errors.Is(err, s.wantErr) || p.Status != s.wantStatus || p.Version != s.wantVersion {
			t.Errorf("%s: changed %v err %v status %s version %d, want %v %v %s %d",
				s.name, changed, err, p.Status, p.Version, s.wantChanged, s.wantErr, s.wantStatus, s.wantVersion)
		}
	}
	if p.ClosedReason != ClosedByHost || !p.WasPublished() {
		t.Errorf("closed program: reason %q, was published %v", p.ClosedReason, p.WasPublished())
	}
}

func TestPublishAfterDeadline(t *testing.T) {
	p, err := New("p1", "h1", valid(), now)
	if err != nil {
		t.Fatal(err)
	}
	later := p.ClosesAt
	if _, err := p.Publish(later); !errors.Is(err, ErrDeadlinePassed) {
		t.Errorf("Publish(at the deadline) = %v, want ErrDeadlinePassed", err)
	}
	if p.Status != StatusDraft || p.Version != 1 {
		t.Errorf("after a refused publish: status %s version %d, want draft 1", p.Status, p.Version)
	}
}

func TestLock(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Content)
		want   error
	}{
		{"title may change", func(c *Content) { c.Title = "Renamed" }, nil},
		{"dates may change", func(c *Content) { c.EndDate = "2027-09-30" }, nil},
		{"seats may not", func(c *Content) { c.Seats = seats(3) }, ErrLocked},
		{"eligibility may not", func(c *Content) { c.Eligibility.MaxAge = 40 }, ErrLocked},
		{"languages may not", func(c *Content) { c.Eligibility.Languages = nil }, ErrLocked},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New("p1", "h1", valid(), now)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Lock("r1", now) || p.Lock("r1", now) {
				t.Fatalf("Lock twice: want changed once")
			}
			c := valid()
			tc.change(&c)
			if _, err := p.Edit(c, now); !errors.Is(err, tc.want) {
				t.Errorf("Edit(%s) = %v, want %v", tc.name, err, tc.want)
			}
		})
	}
}

func TestAccess(t *testing.T) {
	owner := Actor{ID: "h1", Role: RoleHost}
	other := Actor{ID: "h2", Role: RoleHost}
	coord := Actor{ID: "c1", Role: RoleCoordinator}
	applicant := Actor{ID: "h1", Role: RoleApplicant} // same id, wrong role
	anon := Actor{}
	p, err := New("p1", "h1", valid(), now)
	if err != nil {
		t.Fatal(err)
	}
	check := func(stage string, who Actor, visible, edit, close bool) {
		t.Helper()
		if got := [3]bool{p.VisibleTo(who), p.MayEdit(who), p.MayClose(who)}; got != [3]bool{visible, edit, close} {
			t.Errorf("%s, %+v: visible/edit/close = %v, want %v", stage, who, got, [3]bool{visible, edit, close})
		}
	}
	check("draft", owner, true, true, true)
	check("draft", other, false, false, false)
	check("draft", anon, false, false, false)
	check("draft", applicant, false, false, false)
	if _, err := p.Publish(now); err != nil {
		t.Fatal(err)
	}
	check("published", owner, true, true, true)
	check("published", other, true, false, false)
	check("published", coord, true, false, true)
	check("published", anon, true, false, false)
}

func TestDue(t *testing.T) {
	p, err := New("p1", "h1", valid(), now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Due(p.ClosesAt) {
		t.Errorf("a draft is due")
	}
	if _, err := p.Publish(now); err != nil {
		t.Fatal(err)
	}
	if p.Due(p.ClosesAt.Add(-time.Millisecond)) {
		t.Errorf("due before the deadline day ends")
	}
	if !p.Due(p.ClosesAt) || p.Open(p.ClosesAt) {
		t.Errorf("not due (or still open) once the deadline day ends")
	}
}
