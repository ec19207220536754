package httpapi

import (
	"time"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/explain"
)

// The functions below map the service's views to the public bodies of
// shared/api/matching, one function per type.

func applicationOf(v app.ApplicationView) apimatching.Application {
	a := apimatching.Application{ID: v.ID, ProgramID: v.ProgramID, ProgramTitle: v.ProgramTitle, Status: v.Status,
		SubmittedAt: v.SubmittedAt, WithdrawnAt: timePtr(v.WithdrawnAt), RecordedByCoordinator: v.RecordedBy != ""}
	if m := v.Match; m != nil {
		a.Match = &apimatching.MatchRef{ID: m.ID, RoundID: m.RoundID, Status: m.Status}
	}
	a.Stage, a.History = v.StageOf(), stagesOf(v.History, false)
	a.DocumentIDs, a.Interview = nonNil(v.DocumentIDs), bookingOf(v.Interview)
	return a
}

func recommendationOf(r app.RecommendationView) apimatching.Recommendation {
	p := r.Program
	return apimatching.Recommendation{ProgramID: p.ID, Title: p.Title, HostOrg: p.HostOrg, Kind: p.Kind, HostCountry: p.HostCountry,
		Region: p.Region, ApplicationDeadline: p.ApplicationDeadline, Score: r.Score, Reasons: nonNilReasons(r.Reasons),
		Applied: r.Applied}
}

func candidateOf(c app.CandidateView) apimatching.Candidate {
	p := c.Profile
	out := apimatching.Candidate{ApplicantID: p.ID, Name: p.Name, Institution: p.Institution, HomeCountry: p.HomeCountry,
		Kind: p.Kind, DegreeLevel: p.DegreeLevel, Fields: nonNil(p.Fields), Skills: nonNil(p.Skills), Languages: nonNil(p.Languages),
		Score: c.Score, Reasons: nonNilReasons(c.Reasons), Applied: c.Applied}
	// A host sees a findable applicant who did not apply by their initials
	// only (docs/PRIVACY.md): the name, like the statement, is for hosts of
	// programs the applicant applied to.
	if c.Limited {
		out.Name, out.Initials = "", domain.Initials(p.Name)
	}
	// Only an applicant who applied to the program shows the host their
	// statement and the documents they attached.
	if a := c.Application; a != nil {
		out.ApplicationID, out.Stage, out.Statement, out.DocumentIDs = a.ID, a.StageOf(), p.Statement, nonNil(a.DocumentIDs)
	}
	return out
}

func roundOf(v *app.RoundView) apimatching.Round {
	r := v.Round
	c := v.Counts
	return apimatching.Round{ID: r.ID, Name: r.Name, ProgramIDs: r.ProgramIDs, Seed: r.Seed, Status: r.Status, Phase: r.Phase,
		Progress: r.Progress, Stalled: v.Stalled, BlockingPairs: r.BlockingPairs, OverCapacity: r.OverCapacity,
		Unacceptable: r.Unacceptable,
		Counts: apimatching.Counts{Applicants: c.Applicants, Programs: c.Programs, Seats: c.Seats, Matches: c.Matches,
			Proposed: c.Proposed, Approved: c.Approved, Rejected: c.Rejected, Published: c.Published,
			Accepted: c.Accepted, Declined: c.Declined, Expired: c.Expired, Undecided: c.Undecided, Unmatched: c.Unmatched},
		Runs: r.Runs, LastError: r.LastError, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		StartedAt: timePtr(r.StartedAt), CompletedAt: timePtr(r.CompletedAt), PublishedAt: timePtr(r.PublishedAt),
		DurationMS: r.Duration.Milliseconds(), OfferDays: r.Days(), VacancyOf: r.ParentID, Seats: r.SeatLimits,
		Policy: policyOf(r.Policy)}
}

func matchOf(m *domain.Match, coordinator bool) apimatching.Match {
	out := apimatching.Match{ID: m.ID, RoundID: m.RoundID, ApplicantID: m.ApplicantID, ProgramID: m.ProgramID, Status: m.Status,
		Choice: m.Choice, Score: m.Score, Reasons: nonNilReasons(m.Reasons), RespondBy: timePtr(m.RespondBy),
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
	if coordinator {
		out.Note, out.DecidedBy, out.DecidedAt = m.Note, m.DecidedBy, timePtr(m.DecidedAt)
	}
	return out
}

func explanationOf(e domain.RoundApplicant) apimatching.Explanation {
	x := apimatching.Explanation{ApplicantID: e.ApplicantID, Choices: nonNil(e.Choices), ProgramID: e.ProgramID,
		Outcome: e.Outcome, Reasons: nonNilReasons(e.Reasons), Run: e.Run}
	if e.ProgramID != "" {
		x.Choice = e.Choice(e.ProgramID)
	}
	return x
}

func roundOutcomeOf(o app.RoundOutcome) apimatching.RoundOutcome {
	x := apimatching.RoundOutcome{RoundID: o.Round.ID, Name: o.Round.Name, PublishedAt: o.Round.PublishedAt,
		Choices: nonNil(o.Entry.Choices), Reasons: nonNilReasons(o.Entry.Reasons)}
	if o.Offer != nil {
		x.Matched, x.MatchID, x.ProgramID = true, o.Offer.ID, o.Offer.ProgramID
	}
	return x
}

func auditOf(e domain.AuditEntry) apimatching.AuditEntry {
	return apimatching.AuditEntry{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: e.ActorRole, Action: e.Action,
		EntityType: e.EntityType, EntityID: e.EntityID, RoundID: e.RoundID, Note: e.Note}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilReasons(r []explain.Reason) []explain.Reason {
	if r == nil {
		return []explain.Reason{}
	}
	return r
}

func rankingOf(r *app.Ranking) apimatching.Ranking {
	return apimatching.Ranking{ProgramIDs: nonNil(r.IDs), UpdatedAt: timePtr(r.UpdatedAt)}
}

func programRankingOf(r *app.Ranking) apimatching.ProgramRanking {
	return apimatching.ProgramRanking{ApplicantIDs: nonNil(r.IDs), UpdatedAt: timePtr(r.UpdatedAt)}
}

// onePage is every element of in, mapped by f, as a single page whose
// items are never null.
func onePage[A, B any](in []A, f func(A) B) api.Page[B] {
	items := make([]B, len(in))
	for i, v := range in {
		items[i] = f(v)
	}
	return api.Page[B]{Items: items, Page: 1, PageSize: len(items), Total: int64(len(items))}
}

// convert maps every element of in with f; nil stays nil, so that an
// absent list and an empty one keep their JSON forms (null and []).
func convert[A, B any](in []A, f func(A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}
