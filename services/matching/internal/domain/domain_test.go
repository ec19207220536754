package domain

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

var now = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

func TestValidateRanking(t *testing.T) {
	live := map[string]bool{"p1": true, "p2": true, "p3": true}
	many := make([]string, MaxRanked+1)
	for i := range many {
		many[i] = "p1"
	}
	tests := []struct {
		name  string
		ids   []string
		field string // first field named, "" for valid
	}{
		{"valid", []string{"p2", "p1"}, ""},
		{"empty", []string{}, ""},
		{"not applied", []string{"p1", "px"}, "programIds[1]"},
		{"duplicate", []string{"p1", "p2", "p1"}, "programIds[2]"},
		{"too many", many, "programIds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateRanking(tc.ids, live)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("ValidateRanking(%v) = %v, want nil", tc.ids, err)
				}
				return
			}
			var re *RuleError
			if !errors.As(err, &re) || re.Fields[0].Field != tc.field {
				t.Fatalf("ValidateRanking(%v) = %v, want a rule error naming %s", tc.ids, err, tc.field)
			}
		})
	}
}

// programIDs are n distinct program ids.
func programIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("p%d", i)
	}
	return out
}

func TestNewRound(t *testing.T) {
	tests := []struct {
		name, roundName string
		programs        []string
		seed            int64
		field           string
	}{
		{"valid", "Spring 2027", []string{"p1", "p2"}, 42, ""},
		{"no name", "  ", []string{"p1"}, 0, "name"},
		{"no programs", "x", nil, 0, "programIds"},
		{"duplicate program", "x", []string{"p1", "p1"}, 0, "programIds[1]"},
		{"national size", "National 2027", programIDs(10000), 7, ""},
		{"more than a national round", "x", programIDs(10001), 0, "programIds"},
		{"negative seed", "x", []string{"p1"}, -1, "seed"},
		{"seed beyond JSON precision", "x", []string{"p1"}, MaxSeed + 1, "seed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewRound("r1", tc.roundName, tc.programs, tc.seed, "c1", now)
			if tc.field == "" {
				if err != nil || r.Status != RoundCreated || r.Seed != tc.seed {
					t.Fatalf("NewRound = %+v, %v; want a created round with seed %d", r, err, tc.seed)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !slices.ContainsFunc(ve.Fields, func(f FieldError) bool { return f.Field == tc.field }) {
				t.Fatalf("NewRound = %v, want a validation error naming %s", err, tc.field)
			}
		})
	}
}

func TestRoundRunning(t *testing.T) {
	r := &Round{Status: RoundRunning, RunExpiresAt: now.Add(time.Second)}
	if err := r.CheckRun(now); err == nil {
		t.Error("CheckRun on a live run = nil, want a conflict")
	}
	if err := r.CheckRun(now.Add(2 * time.Second)); err != nil || !r.Stalled(now.Add(2*time.Second)) {
		t.Errorf("CheckRun after the run stopped renewing = %v, stalled %v; want nil, true", err, r.Stalled(now.Add(2*time.Second)))
	}
}

func TestMatchTransitions(t *testing.T) {
	type step struct {
		do   func(m *Match) error
		want string // status after, or "" for a refused step
	}
	approve := func(m *Match) error { return m.Approve("c1", "fine", now) }
	reject := func(m *Match) error { return m.Reject("c1", "missing documents", now) }
	rejectEmpty := func(m *Match) error { return m.Reject("c1", "  ", now) }
	publish := func(m *Match) error { return m.Publish(now, now.Add(time.Hour)) }
	accept := func(m *Match) error { return m.Accept(now) }
	decline := func(m *Match) error { return m.Decline(now) }
	late := now.Add(time.Hour)
	acceptLate := func(m *Match) error { return m.Accept(late) }
	declineLate := func(m *Match) error { return m.Decline(late) }
	expireEarly := func(m *Match) error { return m.Expire(now) }
	expire := func(m *Match) error { return m.Expire(late) }
	tests := []struct {
		name  string
		steps []step
	}{
		{"approve, publish, accept", []step{{approve, MatchApproved}, {publish, MatchPublished}, {accept, MatchAccepted}}},
		{"approve, publish, decline", []step{{approve, MatchApproved}, {publish, MatchPublished}, {decline, MatchDeclined}}},
		{"reject needs a reason", []step{{rejectEmpty, ""}, {reject, MatchRejected}}},
		{"no accept before publish", []step{{accept, ""}, {approve, MatchApproved}, {accept, ""}}},
		{"no second decision", []step{{reject, MatchRejected}, {approve, ""}, {publish, ""}}},
		{"no accept after decline", []step{{approve, MatchApproved}, {publish, MatchPublished}, {decline, MatchDeclined}, {accept, ""}}},
		{"no answer at the deadline", []step{{approve, MatchApproved}, {publish, MatchPublished}, {acceptLate, ""}, {declineLate, ""}}},
		{"expires at the deadline, not before", []step{{approve, MatchApproved}, {publish, MatchPublished}, {expireEarly, ""},
			{expire, MatchExpired}, {accept, ""}, {decline, ""}, {expire, ""}}},
		{"no expiry once accepted", []step{{approve, MatchApproved}, {publish, MatchPublished}, {accept, MatchAccepted}, {expire, ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &Match{Status: MatchProposed, Version: 1}
			for i, s := range tc.steps {
				before := *m
				err := s.do(m)
				if s.want == "" {
					if err == nil || m.Status != before.Status || m.Version != before.Version {
						t.Fatalf("step %d from %s = %v (now %s v%d), want refused and unchanged", i, before.Status, err, m.Status, m.Version)
					}
					continue
				}
				if err != nil || m.Status != s.want || m.Version != before.Version+1 {
					t.Fatalf("step %d from %s = %v (now %s v%d), want %s v%d", i, before.Status, err, m.Status, m.Version, s.want, before.Version+1)
				}
			}
		})
	}
}

func TestBuildReportAddsUp(t *testing.T) {
	r := &Round{ID: "r1", ProgramIDs: []string{"p1", "p2", "p3"}, Status: RoundPublished, Runs: 2}
	seats := map[string]int{"p1": 1, "p2": 2, "p3": 1}
	entry := func(id, country, kind, degree, gender, outcome string, choices ...string) RoundApplicant {
		return RoundApplicant{RoundID: "r1", ApplicantID: id, HomeCountry: country, Kind: kind, DegreeLevel: degree,
			Gender: gender, Outcome: outcome, Choices: choices}
	}
	entries := []RoundApplicant{
		entry("a1", "IN", "student", "master", "female", OutcomeMatched, "p1", "p2", "p3"),
		entry("a2", "IN", "student", "phd", "male", OutcomeMatched, "p1", "p3", "p2"),
		entry("a3", "IN", "researcher", "phd", "", OutcomeMatched, "p2", "p1"),
		entry("a4", "JP", "student", "master", "female", OutcomeMatched, "p1", "p3"),
		entry("a5", "JP", "student", "bachelor", "non_binary", OutcomeNoSeats, "p3", "p1"),
		entry("a6", "JP", "company", "professional", "", OutcomeFilled, "p3"),
		entry("a7", "JP", "student", "master", "", OutcomeNotEligible, "p1"),
	}
	match := func(a, p, status string) Match {
		return Match{ID: a + p, RoundID: "r1", ApplicantID: a, ProgramID: p, Status: status}
	}
	matches := []Match{
		match("a4", "p1", MatchAccepted), match("a1", "p2", MatchDeclined), match("a3", "p2", MatchPublished),
		match("a5", "p3", MatchRejected), match("a2", "p3", MatchPublished),
	}
	rep := BuildReport(r, seats, map[string]string{"p1": "One"}, entries, matches, now)

	tot := rep.Totals
	if tot.Applicants != 7 || tot.Matched != 3 || tot.Unmatched != 4 || tot.Seats != 4 || tot.Offered != 4 || tot.Filled != 1 {
		t.Fatalf("totals = %+v, want 7 applicants, 3 matched, 4 unmatched, 4 seats, 4 offered, 1 filled", tot)
	}
	// Seven applicants: every group is under 10 people, so every group
	// is listed but none shows a number.
	for name, groups := range map[string][]GroupRate{"home country": rep.ByHomeCountry, "kind": rep.ByKind,
		"degree level": rep.ByDegreeLevel, "gender": rep.ByGender} {
		if len(groups) == 0 {
			t.Errorf("by %s: no groups", name)
		}
		for _, g := range groups {
			if !g.Suppressed || g.Display != "<10" || g.Applicants != 0 || g.Matched != 0 || g.Rate != 0 {
				t.Errorf("by %s: group %+v of fewer than 10 people shows numbers", name, g)
			}
		}
	}
	if !slices.ContainsFunc(rep.ByGender, func(g GroupRate) bool { return g.Value == GenderNotStated }) {
		t.Errorf("by gender = %+v, want a not stated group", rep.ByGender)
	}
	choices := 0
	for _, c := range rep.Choices {
		choices += c.Count
	}
	if want := []ChoiceCount{{Choice: 1, Count: 2}, {Choice: 2, Count: 1}}; !slices.Equal(rep.Choices, want) || choices != tot.Matched {
		t.Errorf("choices = %v, want %v", rep.Choices, want)
	}
	want := []ReasonCount{{Code: OutcomeDeclined, Count: 1}, {Code: OutcomeFilled, Count: 1},
		{Code: OutcomeNotEligible, Count: 1}, {Code: OutcomeRejected, Count: 1}}
	if !slices.Equal(rep.Unmatched, want) {
		t.Errorf("unmatched = %v, want %v", rep.Unmatched, want)
	}
	perProgram := 0
	for _, p := range rep.Programs {
		perProgram += p.Matched
	}
	if perProgram != tot.Matched || rep.Programs[0].Title != "One" || rep.Programs[1].Declined != 1 {
		t.Errorf("programs = %+v, want matched to add up to %d", rep.Programs, tot.Matched)
	}
}

func TestProfileSupersedes(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	live := func(created time.Time, v int64) Profile { return Profile{ID: "a", Version: v, CreatedAt: created} }
	tomb := func(at time.Time, v int64) Profile { return Profile{ID: "a", Version: v, Erased: true, ErasedAt: at} }
	day := 24 * time.Hour
	tests := []struct {
		name    string
		p, cur  Profile
		want    bool
		reverse bool // the answer with p and cur swapped
	}{
		{"higher version, same incarnation", live(t0, 3), live(t0, 2), true, false},
		{"same version", live(t0, 2), live(t0, 2), false, false},
		{"later incarnation at version 1", live(t0.Add(day), 1), live(t0, 7), true, false},
		{"no creation time: by version", live(time.Time{}, 3), live(t0, 2), true, false},
		{"erasure of the incarnation", tomb(t0.Add(day), 4), live(t0, 3), true, false},
		{"erasure before a new incarnation", tomb(t0.Add(day), 4), live(t0.Add(2*day), 1), false, true},
		{"snapshot without creation time after an erasure", live(time.Time{}, 9), tomb(t0, 1), false, true},
		{"later erasure", tomb(t0.Add(day), 1), tomb(t0, 1), true, false},
		{"same erasure, higher version", tomb(t0, 2), tomb(t0, 1), true, false},
		{"same erasure", tomb(t0, 2), tomb(t0, 2), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Supersedes(tc.cur); got != tc.want {
				t.Errorf("Supersedes(%+v, %+v) = %v, want %v", tc.p, tc.cur, got, tc.want)
			}
			if got := tc.cur.Supersedes(tc.p); got != tc.reverse {
				t.Errorf("Supersedes(%+v, %+v) = %v, want %v", tc.cur, tc.p, got, tc.reverse)
			}
		})
	}
}

func TestOfferDeadlines(t *testing.T) {
	for _, tc := range []struct {
		days *int
		want int
		ok   bool
	}{{nil, DefaultOfferDays, true}, {ptr(1), 1, true}, {ptr(60), 60, true}, {ptr(0), 0, false}, {ptr(61), 0, false}, {ptr(-3), 0, false}} {
		got, err := OfferDays(tc.days)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("OfferDays(%v) = %d, %v; want %d, ok %v", tc.days, got, err, tc.want, tc.ok)
		}
		var ve *ValidationError
		if err != nil && (!errors.As(err, &ve) || ve.Fields[0].Field != "offerDays") {
			t.Errorf("OfferDays(%v) error %v does not name offerDays", tc.days, err)
		}
	}
	r := &Round{OfferDays: 3}
	if got, _ := r.RespondBy(now, nil); !got.Equal(now.Add(72 * time.Hour).Truncate(time.Second)) {
		t.Errorf("RespondBy(default) = %v, want three days on", got)
	}
	if got, _ := (&Round{}).RespondBy(now, nil); !got.Equal(now.Add(7 * 24 * time.Hour).Truncate(time.Second)) {
		t.Errorf("RespondBy of a round without offerDays = %v, want seven days on", got)
	}
	given := now.Add(15 * time.Second)
	if got, err := r.RespondBy(now, &given); err != nil || !got.Equal(given) {
		t.Errorf("RespondBy(given) = %v, %v; want %v", got, err, given)
	}
	for _, bad := range []time.Time{now, now.Add(-time.Minute), now.Add(400 * 24 * time.Hour)} {
		var ve *ValidationError
		if _, err := r.RespondBy(now, &bad); !errors.As(err, &ve) || ve.Fields[0].Field != "respondBy" {
			t.Errorf("RespondBy(%v) = %v, want a respondBy field error", bad, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }
