package domain

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// FuzzReadModelEvents feeds arbitrary payloads of profile and program
// events through the decoding and conversion the read-model consumers use,
// and on to eligibility: whatever arrives, nothing panics, and a decoded
// pair gets an eligibility decision with its reasons.
func FuzzReadModelEvents(f *testing.F) {
	f.Add([]byte(`{"id":"a1","kind":"student","homeCountry":"IN","degreeLevel":"master","birthYear":2001,"languages":[{"code":"ja","level":"N3"}],"availableFrom":"2027-04-01","availableTo":"2028-03-31"}`),
		[]byte(`{"id":"p1","hostCountry":"JP","startDate":"2027-06-01","endDate":"2027-08-31","applicationDeadline":"2027-03-31","seats":2,"status":"published","eligibility":{"languages":[{"code":"ja","minLevel":"N4"}],"maxAge":35}}`))
	f.Add([]byte(`{"languages":[{"code":"xx","level":"Z9"}],"birthYear":-5}`), []byte(`{"seats":-1,"startDate":"not a date"}`))
	f.Add([]byte(`null`), []byte(`[]`))
	now := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, profile, program []byte) {
		pev := events.Envelope{Type: events.ProfileUpdated, Subject: "a1", Data: json.RawMessage(profile)}
		gev := events.Envelope{Type: events.ProgramUpdated, Subject: "p1", Data: json.RawMessage(program)}
		var p profilesev.Profile
		var g programsev.Program
		if pev.Decode(&p) != nil || gev.Decode(&g) != nil {
			return
		}
		rp := ProfileFromEvent(p, 3)
		rg := ProgramFromEvent(g, 4)
		_ = rg.OpenAt(now)
		_ = rg.Allocatable()
		res := eligibility.Check(rp.EligibilityApplicant(), rg.EligibilityProgram(), now)
		if !res.Eligible && len(res.Reasons) == 0 {
			t.Fatalf("not eligible without a reason: %+v / %+v", p, g)
		}
		_ = eligibility.Check(rp.EligibilityApplicant(), rg.AllocationProgram(), now)
	})
}

// FuzzRankings checks the rank-list and round rules on arbitrary lists.
func FuzzRankings(f *testing.F) {
	f.Add("p1,p2,p2", "p1,p2", "spring round", "p1")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, ranked, live, name, programs string) {
		split := func(s string) []string {
			var out []string
			start := 0
			for i := 0; i <= len(s); i++ {
				if i == len(s) || s[i] == ',' {
					out = append(out, s[start:i])
					start = i + 1
				}
			}
			return out
		}
		have := map[string]bool{}
		for _, id := range split(live) {
			have[id] = true
		}
		list := split(ranked)
		if err := ValidateRanking(list, have); err == nil {
			seen := map[string]bool{}
			for _, id := range list {
				if seen[id] || !have[id] {
					t.Fatalf("ValidateRanking(%q, %v) accepted a duplicate or someone else's program", list, live)
				}
				seen[id] = true
			}
		}
		_ = ValidateProgramRanking(list, have)
		_, _ = NewRound("r1", name, split(programs), 7, "coord", time.Now())
	})
}
