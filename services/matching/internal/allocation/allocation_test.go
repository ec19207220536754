package allocation

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/eligibility"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/taxonomy"
)

var now = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

func prog(id string, seats int, hostCountry string, homeCountries ...string) domain.Program {
	return domain.Program{ID: id, Title: "Program " + id, Kind: taxonomy.ProgramJointResearch, HostOrg: "Org",
		HostCountry: hostCountry, Region: "Tokyo", Fields: []string{"1.2"}, Skills: []string{"python"}, Seats: seats,
		StartDate: "2027-06-01", EndDate: "2027-08-31", ApplicationDeadline: "2027-01-05",
		Eligibility: eligibility.Rules{HomeCountries: homeCountries}, Status: programsev.StatusPublished}
}

func person(id, country string, skills ...string) domain.Profile {
	return domain.Profile{ID: id, ProfileData: domain.ProfileData{Kind: taxonomy.ApplicantStudent, HomeCountry: country,
		DegreeLevel: taxonomy.DegreeMaster, BirthYear: 2000, Fields: []string{"1.2"}, Skills: skills}}
}

// matchesOf returns applicant → program of a result.
func matchesOf(r *Result) map[string]string {
	out := map[string]string{}
	for _, p := range r.Proposals {
		out[p.ApplicantID] = p.ProgramID
	}
	return out
}

func outcome(r *Result, id string) Outcome {
	for _, o := range r.Outcomes {
		if o.ApplicantID == id {
			return o
		}
	}
	return Outcome{}
}

func codes(o Outcome) []string {
	var out []string
	for _, r := range o.Reasons {
		out = append(out, r.Code)
	}
	return out
}

func TestAllocate(t *testing.T) {
	// The programs' deadline (2027-01-05) has passed at now: rounds ignore
	// it.
	p1, p2, p3 := prog("p1", 1, "JP", "IN", "JP"), prog("p2", 2, "JP"), prog("p3", 1, "IN", "IN", "JP")
	base := func() Input {
		return Input{Seed: 7, Now: now,
			Programs: []Program{
				{Program: p1, Capacity: 1, HostRanking: []string{"a4", "a2", "a1", "a5", "a3"}},
				{Program: p2, Capacity: 2, HostRanking: []string{"a1", "a3", "a2"}},
				{Program: p3, Capacity: 1, HostRanking: []string{"a5", "a2", "a6", "a4"}},
			},
			Applicants: []Applicant{
				{Profile: person("a1", "IN"), Ranked: []string{"p1", "p2", "p3"}, Applied: []string{"p1", "p2", "p3"}},
				{Profile: person("a2", "IN"), Ranked: []string{"p1", "p3", "p2"}, Applied: []string{"p1", "p2", "p3"}},
				{Profile: person("a3", "IN"), Ranked: []string{"p2", "p1"}, Applied: []string{"p1", "p2"}},
				{Profile: person("a4", "JP"), Ranked: []string{"p1", "p3"}, Applied: []string{"p1", "p3"}},
				{Profile: person("a5", "JP"), Ranked: []string{"p3", "p1"}, Applied: []string{"p1", "p3"}},
				{Profile: person("a6", "JP"), Applied: []string{"p3"}},
			}}
	}

	t.Run("applicant-optimal stable matching", func(t *testing.T) {
		r, err := Allocate(base())
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"a4": "p1", "a1": "p2", "a3": "p2", "a5": "p3"}
		if got := matchesOf(r); !maps.Equal(got, want) {
			t.Fatalf("Allocate matches = %v, want %v", got, want)
		}
		if !r.Certificate.Stable() {
			t.Errorf("certificate = %v, want stable", r.Certificate)
		}
		a2 := outcome(r, "a2")
		if a2.Outcome != domain.OutcomeFilled || !slices.Equal(codes(a2), []string{CodeFilled, CodeFilled, CodeFilled}) {
			t.Errorf("a2 outcome = %s %v, want filled with three filled reasons", a2.Outcome, codes(a2))
		}
		if !strings.Contains(a2.Reasons[0].Text, "Program p1 filled its 1 seat") {
			t.Errorf("a2 first reason = %q, want it to name Program p1 and its seat", a2.Reasons[0].Text)
		}
		// a6 has no rank list: their one application is their order.
		if a6 := outcome(r, "a6"); !slices.Equal(a6.Choices, []string{"p3"}) || a6.Outcome != domain.OutcomeFilled {
			t.Errorf("a6 = %+v, want choices [p3], filled", a6)
		}
		for _, p := range r.Proposals {
			if p.ApplicantID == "a1" && (p.Choice != 2 || p.Reasons[0].Code != CodeChoice || p.Reasons[1].Params["by"] != "host") {
				t.Errorf("a1's proposal = choice %d reasons %v, want 2nd choice ranked by the host", p.Choice, p.Reasons[:2])
			}
		}
	})

	t.Run("re-run: fixed seats gone, rejected pair excluded", func(t *testing.T) {
		in := base()
		// a4, a1, a3 hold approved matches: they leave, and p1 and p2 have
		// no seats left. a5's match with p3 was rejected.
		in.Programs[0].Capacity, in.Programs[1].Capacity = 0, 0
		var keep []Applicant
		for _, a := range in.Applicants {
			switch a.Profile.ID {
			case "a1", "a3", "a4":
			case "a5":
				a.Excluded = map[string]string{"p3": domain.OutcomeRejected}
				keep = append(keep, a)
			default:
				keep = append(keep, a)
			}
		}
		in.Applicants = keep
		r, err := Allocate(in)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := matchesOf(r), map[string]string{"a2": "p3"}; !maps.Equal(got, want) {
			t.Fatalf("re-run matches = %v, want %v", got, want)
		}
		a5 := outcome(r, "a5")
		if !slices.Equal(codes(a5), []string{CodeRejected, CodeNoSeats}) {
			t.Errorf("a5 reasons = %v, want [rejected no_seats]", codes(a5))
		}
		if a5.Outcome != domain.OutcomeNoSeats {
			t.Errorf("a5 outcome = %s, want %s", a5.Outcome, domain.OutcomeNoSeats)
		}
	})

	t.Run("ineligible ranked program is explained", func(t *testing.T) {
		in := base()
		// a3 became a JP applicant after applying: p2 takes only IN.
		in.Applicants[2].Profile.HomeCountry = "JP"
		r, err := Allocate(in)
		if err != nil {
			t.Fatal(err)
		}
		a3 := outcome(r, "a3")
		if len(a3.Reasons) == 0 || a3.Reasons[0].Code != CodeNotEligible || !strings.Contains(a3.Reasons[0].Text, "Home country") {
			t.Fatalf("a3 reasons = %+v, want first a not-eligible reason naming the home country rule", a3.Reasons)
		}
		if _, matched := matchesOf(r)["a3"]; matched && a3.ProgramID == "p2" {
			t.Errorf("a3 matched to p2 although not eligible")
		}
	})

	t.Run("without a host ranking, ties go to the lottery", func(t *testing.T) {
		// Identical applicants tie on score; the seed decides, and the
		// same seed decides the same way.
		in := Input{Seed: 1, Now: now, Programs: []Program{{Program: p1, Capacity: 1}}}
		for _, id := range []string{"x1", "x2", "x3", "x4"} {
			in.Applicants = append(in.Applicants, Applicant{Profile: person(id, "IN"), Applied: []string{"p1"}})
		}
		winners := map[string]bool{}
		for seed := range uint64(12) {
			in.Seed = seed
			r1, err := Allocate(in)
			if err != nil {
				t.Fatal(err)
			}
			r2, _ := Allocate(in)
			if !maps.Equal(matchesOf(r1), matchesOf(r2)) {
				t.Fatalf("seed %d: two runs differ: %v, %v", seed, matchesOf(r1), matchesOf(r2))
			}
			for a := range matchesOf(r1) {
				winners[a] = true
			}
			for _, o := range r1.Outcomes {
				if o.ProgramID == "" && (len(o.Reasons) != 1 || o.Reasons[0].Params["tied"] != "true") {
					t.Fatalf("seed %d: loser %s reasons = %+v, want one filled reason marked tied", seed, o.ApplicantID, o.Reasons)
				}
			}
		}
		if len(winners) < 2 {
			t.Errorf("12 seeds gave the seat to %v only, want the lottery to vary", winners)
		}
	})

	t.Run("applications without rank list go by score", func(t *testing.T) {
		pa, pb := prog("pa", 1, "JP"), prog("pb", 1, "JP")
		pb.Skills = []string{"robotics", "ros", "lidar"}
		in := Input{Seed: 3, Now: now, Programs: []Program{{Program: pa, Capacity: 1}, {Program: pb, Capacity: 1}},
			Applicants: []Applicant{{Profile: person("r1", "IN", "robotics", "ros", "lidar"), Applied: []string{"pa", "pb"}}}}
		r, err := Allocate(in)
		if err != nil {
			t.Fatal(err)
		}
		if o := outcome(r, "r1"); !slices.Equal(o.Choices, []string{"pb", "pa"}) || o.ProgramID != "pb" {
			t.Errorf("r1 = choices %v program %s, want [pb pa] and pb (the better skill match first)", o.Choices, o.ProgramID)
		}
	})
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 101: "101st", 111: "111th"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}
