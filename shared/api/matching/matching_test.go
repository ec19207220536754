package matching

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/explain"
)

// The wire names are fixed by DESIGN.md §3-§4; the matching service and
// the UI both use these types, so these tests are where a renamed tag is
// caught.

func TestRankingWire(t *testing.T) {
	wire(t, Ranking{ProgramIDs: []string{}}, `{"programIds":[],"updatedAt":null}`)
	wire(t, ProgramRanking{ApplicantIDs: []string{"a"}}, `{"applicantIds":["a"],"updatedAt":null}`)
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	wire(t, Ranking{ProgramIDs: []string{"p"}, UpdatedAt: &at}, `{"programIds":["p"],"updatedAt":"2027-01-02T03:04:05Z"}`)
}

func TestMatchWire(t *testing.T) {
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	m := Match{ID: "m", RoundID: "r", ApplicantID: "a", ProgramID: "p", Status: "proposed", Choice: 1, Score: 0.5,
		Reasons: []explain.Reason{}, CreatedAt: at, UpdatedAt: at}
	wire(t, m, `{"id":"m","roundId":"r","applicantId":"a","programId":"p","status":"proposed","choice":1,"score":0.5,`+
		`"reasons":[],"createdAt":"2027-01-02T03:04:05Z","updatedAt":"2027-01-02T03:04:05Z"}`)
	m.Status, m.RespondBy = "published", &at
	if b, _ := json.Marshal(m); !strings.Contains(string(b), `"respondBy":"2027-01-02T03:04:05Z"`) {
		t.Errorf("published match JSON = %s, want respondBy", b)
	}
}

func TestDemandWire(t *testing.T) {
	wire(t, DemandList{Items: []Demand{{ProgramID: "p", Seats: 2, Ranked: 5, RankedFirst: 3}}},
		`{"items":[{"programId":"p","seats":2,"ranked":5,"rankedFirst":3}]}`)
}

func TestRoundWire(t *testing.T) {
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	r := Round{ID: "r", Name: "n", ProgramIDs: []string{"p"}, Seed: 7, Status: "created", CreatedBy: "c", CreatedAt: at, OfferDays: 7}
	wire(t, r, `{"id":"r","name":"n","programIds":["p"],"seed":7,"status":"created","progress":0,"blockingPairs":0,`+
		`"overCapacity":0,"unacceptablePairs":0,"counts":{"applicants":0,"programs":0,"seats":0,"matches":0,"proposed":0,`+
		`"approved":0,"rejected":0,"published":0,"accepted":0,"declined":0,"expired":0,"undecided":0,"unmatched":0},"runs":0,`+
		`"createdBy":"c","createdAt":"2027-01-02T03:04:05Z","durationMs":0,"offerDays":7}`)
	// A vacancy round names its parent and the seats left there.
	r.VacancyOf, r.Seats = "r0", map[string]int{"p": 2}
	if b, _ := json.Marshal(r); !strings.Contains(string(b), `"vacancyOf":"r0","seats":{"p":2}`) {
		t.Errorf("vacancy round JSON = %s, want vacancyOf and seats", b)
	}
}

func TestReportWire(t *testing.T) {
	r := Report{RoundID: "r", Status: "completed", Runs: 1, GeneratedAt: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC),
		Programs: []ProgramResult{{ProgramID: "p", Title: "t", Seats: 2}}, ByHomeCountry: []GroupRate{{Value: "IN", Applicants: 1, Rate: 0}},
		Choices: []ChoiceCount{{Choice: 1, Count: 1}}, Unmatched: []ReasonCount{{Code: "no_seats", Count: 1}}}
	wire(t, r, `{"roundId":"r","status":"completed","runs":1,"generatedAt":"2027-01-02T00:00:00Z",`+
		`"totals":{"applicants":0,"matched":0,"unmatched":0,"matchRate":0,"seats":0,"offered":0,"filled":0,"completed":0,"endedEarly":0},`+
		`"programs":[{"programId":"p","title":"t","seats":2,"matched":0,"proposed":0,"approved":0,"rejected":0,"offered":0,"filled":0,"declined":0}],`+
		`"byHomeCountry":[{"value":"IN","applicants":1,"matched":0,"rate":0}],"byKind":null,"byDegreeLevel":null,"byGender":null,`+
		`"choices":[{"choice":1,"count":1}],"unmatched":[{"code":"no_seats","count":1}]}`)
}

func TestRequestsWire(t *testing.T) {
	seed := int64(42)
	wire(t, RoundRequest{Name: "n", ProgramIDs: []string{"p"}, Seed: &seed}, `{"name":"n","programIds":["p"],"seed":42}`)
	wire(t, ApplyRequest{ProgramID: "p"}, `{"programId":"p"}`)
	wire(t, RejectRequest{Reason: "x"}, `{"reason":"x"}`)
	wire(t, ApproveRequest{}, `{}`)
}

func wire(t *testing.T, v any, want string) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != want {
		t.Errorf("json.Marshal(%T) =\n%s\nwant\n%s", v, raw, want)
	}
}
