package domain

import (
	"cmp"
	"math"
	"slices"
	"time"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/explain"
)

// Outcomes of a run for one applicant (RoundApplicant.Outcome), and the
// reasons the report gives for applicants without a seat.
const (
	OutcomeMatched = "matched"
	OutcomeFixed   = "fixed"
	// OutcomeFilled: every program they could have had filled its seats
	// with applicants it ranked higher.
	OutcomeFilled = "filled"
	// OutcomeNoSeats: the programs they ranked had no seats left.
	OutcomeNoSeats = "no_seats"
	// OutcomeNotEligible: they were eligible for none of the programs of
	// the round they ranked.
	OutcomeNotEligible = "not_eligible"
	// OutcomeNotRanked: their rank list named none of the round's programs.
	OutcomeNotRanked = "not_ranked"
	// OutcomeRejected: a coordinator rejected their match.
	OutcomeRejected = "rejected"
	// OutcomeDeclined: they declined their offer.
	OutcomeDeclined = "declined"
	// OutcomeExpired: they left their offer unanswered past its deadline.
	OutcomeExpired = "expired"
	OutcomeOther   = "other"
)

// GenderNotStated is the report's value for applicants who gave no gender.
const GenderNotStated = "not_stated"

// RoundApplicant is one applicant's part in a round, as of the round's last
// run that included them: the attributes the outcome report groups by
// (copied at run time, so the report does not move when profiles change),
// their order of programs, what they got, and why they did not get the
// programs they ranked higher.
type RoundApplicant struct {
	RoundID     string
	ApplicantID string
	HomeCountry string
	Kind        string
	DegreeLevel string
	Gender      string
	// Choices are program ids in the applicant's order: their rank list,
	// or, without one, their applications by score.
	Choices []string
	// ProgramID is the program they were matched to by the run, or "".
	ProgramID string
	Outcome   string
	Reasons   []explain.Reason
	Run       int
	UpdatedAt time.Time
}

// Choice returns the 1-based place of programID in the applicant's order,
// or 0 when it is not there.
func (ra *RoundApplicant) Choice(programID string) int {
	return slices.Index(ra.Choices, programID) + 1
}

// Report is a round's outcome report, in the very shape GET
// /rounds/{id}/report returns (shared/api/matching). Every breakdown adds
// up to the totals: the groups of each attribute to Applicants and
// Matched, the choices to Matched, the unmatched reasons to Unmatched, the
// programs' Matched to Matched. In ReportTotals, matched applicants hold a
// live match (proposed, approved, published or accepted); Offered counts
// offers made (published, then accepted or declined); Filled the seats
// taken by an accepted offer.
type (
	Report        = apimatching.Report
	ReportTotals  = apimatching.ReportTotals
	ProgramResult = apimatching.ProgramResult
	GroupRate     = apimatching.GroupRate
	ChoiceCount   = apimatching.ChoiceCount
	ReasonCount   = apimatching.ReasonCount
)

// BuildReport computes the report of round r from its participants (as of
// their last run), its matches as they stand now and the programs' titles.
func BuildReport(r *Round, seats map[string]int, titles map[string]string, entries []RoundApplicant, matches []Match, now time.Time) Report {
	rep := Report{RoundID: r.ID, Status: r.Status, Runs: r.Runs, GeneratedAt: now}
	byProgram := make(map[string]*ProgramResult, len(r.ProgramIDs))
	for _, id := range r.ProgramIDs {
		pr := &ProgramResult{ProgramID: id, Title: titles[id], Seats: seats[id]}
		byProgram[id] = pr
		rep.Totals.Seats += pr.Seats
	}
	// The applicant's live match, and whether they were rejected or
	// declined in this round.
	live := map[string]*Match{}
	declined := map[string]bool{}
	rejected := map[string]bool{}
	expired := map[string]bool{}
	for i := range matches {
		m := &matches[i]
		pr := byProgram[m.ProgramID]
		if pr == nil {
			continue
		}
		switch m.Status {
		case MatchProposed:
			pr.Proposed++
		case MatchApproved:
			pr.Approved++
		case MatchRejected:
			pr.Rejected++
			rejected[m.ApplicantID] = true
		case MatchPublished:
			pr.Offered++
		case MatchAccepted:
			pr.Offered++
			pr.Filled++
		case MatchDeclined:
			pr.Offered++
			pr.Declined++
			declined[m.ApplicantID] = true
		case MatchExpired:
			pr.Offered++
			expired[m.ApplicantID] = true
		}
		if m.Live() {
			live[m.ApplicantID] = m
		}
	}

	groups := [4]map[string]*GroupRate{{}, {}, {}, {}}
	choices := map[int]int{}
	reasons := map[string]int{}
	for i := range entries {
		e := &entries[i]
		rep.Totals.Applicants++
		m := live[e.ApplicantID]
		matched := m != nil
		if matched {
			rep.Totals.Matched++
			byProgram[m.ProgramID].Matched++
			choices[e.Choice(m.ProgramID)]++
		} else {
			rep.Totals.Unmatched++
			reason := unmatchedReason(e, declined[e.ApplicantID], rejected[e.ApplicantID])
			if expired[e.ApplicantID] && !declined[e.ApplicantID] {
				reason = OutcomeExpired
			}
			reasons[reason]++
		}
		gender := e.Gender
		if gender == "" {
			gender = GenderNotStated
		}
		for k, v := range [4]string{e.HomeCountry, e.Kind, e.DegreeLevel, gender} {
			g := groups[k][v]
			if g == nil {
				g = &GroupRate{Value: v}
				groups[k][v] = g
			}
			g.Applicants++
			if matched {
				g.Matched++
			}
		}
	}
	rep.Totals.MatchRate = rate(rep.Totals.Matched, rep.Totals.Applicants)
	for _, id := range r.ProgramIDs {
		pr := byProgram[id]
		rep.Totals.Offered += pr.Offered
		rep.Totals.Filled += pr.Filled
		rep.Programs = append(rep.Programs, *pr)
	}
	out := [4][]GroupRate{}
	for k := range groups {
		out[k] = []GroupRate{}
		for _, g := range groups[k] {
			g.Rate = rate(g.Matched, g.Applicants)
			out[k] = append(out[k], *g)
		}
		slices.SortFunc(out[k], func(a, b GroupRate) int { return cmp.Compare(a.Value, b.Value) })
		suppressSmallGroups(out[k])
	}
	rep.ByHomeCountry, rep.ByKind, rep.ByDegreeLevel, rep.ByGender = out[0], out[1], out[2], out[3]
	rep.Choices = []ChoiceCount{}
	for c, n := range choices {
		rep.Choices = append(rep.Choices, ChoiceCount{Choice: c, Count: n})
	}
	slices.SortFunc(rep.Choices, func(a, b ChoiceCount) int { return cmp.Compare(a.Choice, b.Choice) })
	rep.Unmatched = []ReasonCount{}
	for c, n := range reasons {
		rep.Unmatched = append(rep.Unmatched, ReasonCount{Code: c, Count: n})
	}
	slices.SortFunc(rep.Unmatched, func(a, b ReasonCount) int { return cmp.Compare(a.Code, b.Code) })
	if rep.Programs == nil {
		rep.Programs = []ProgramResult{}
	}
	rep.ByCategory, rep.ByRegion = policyReport(r.PolicyUse)
	return rep
}

// unmatchedReason gives one reason per applicant without a seat: what the
// applicant or a coordinator did comes first, then what the run found.
func unmatchedReason(e *RoundApplicant, declined, rejected bool) string {
	switch {
	case declined:
		return OutcomeDeclined
	case rejected:
		return OutcomeRejected
	case e.Outcome == OutcomeMatched || e.Outcome == OutcomeFixed || e.Outcome == "":
		// The run gave them a seat that is gone for none of the reasons
		// above; it should not happen, but the counts must still add up.
		return OutcomeOther
	}
	return e.Outcome
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(of)*1000) / 1000
}
