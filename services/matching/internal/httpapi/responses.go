package httpapi

import (
	"time"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/explain"
)

// ApplyRequest is the body of POST /applications.
type ApplyRequest struct {
	ProgramID string `json:"programId"`
}

// RankingRequest is the body of PUT /applications/me/ranking.
type RankingRequest struct {
	ProgramIDs []string `json:"programIds"`
}

// ProgramRankingRequest is the body of PUT /programs/{id}/ranking.
type ProgramRankingRequest struct {
	ApplicantIDs []string `json:"applicantIds"`
}

// RoundRequest is the body of POST /rounds.
type RoundRequest struct {
	Name       string   `json:"name"`
	ProgramIDs []string `json:"programIds"`
	Seed       *int64   `json:"seed,omitempty"`
}

// ApproveRequest is the optional body of POST /matches/{id}/approve.
type ApproveRequest struct {
	Note string `json:"note,omitempty"`
}

// RejectRequest is the body of POST /matches/{id}/reject.
type RejectRequest struct {
	Reason string `json:"reason"`
}

// ProgramRanking is a program's ranking of its applicants, best first.
type ProgramRanking struct {
	ApplicantIDs []string `json:"applicantIds"`
	// UpdatedAt holds a *time.Time: a ranking never saved says null.
	UpdatedAt any `json:"updatedAt,omitempty"`
}

// Ranking is an applicant's rank list of programs, best first.
type Ranking struct {
	ProgramIDs []string `json:"programIds"`
	// UpdatedAt holds a *time.Time: a rank list never saved says null.
	UpdatedAt any `json:"updatedAt,omitempty"`
}

// List is a page of items (DESIGN.md §4).
type List[T any] struct {
	Items    []T   `json:"items"`
	Page     int   `json:"page"`
	PageSize int   `json:"pageSize"`
	Total    int64 `json:"total"`
}

// MatchRef names a match from an application.
type MatchRef struct {
	ID      string `json:"id"`
	RoundID string `json:"roundId"`
	Status  string `json:"status"`
}

// Application is an application as its applicant sees it.
type Application struct {
	ID           string     `json:"id"`
	ProgramID    string     `json:"programId"`
	ProgramTitle string     `json:"programTitle,omitempty"`
	Status       string     `json:"status"`
	SubmittedAt  time.Time  `json:"submittedAt"`
	WithdrawnAt  *time.Time `json:"withdrawnAt,omitempty"`
	Match        *MatchRef  `json:"match,omitempty"`
}

func applicationOf(v app.ApplicationView) Application {
	a := Application{ID: v.ID, ProgramID: v.ProgramID, ProgramTitle: v.ProgramTitle, Status: v.Status,
		SubmittedAt: v.SubmittedAt, WithdrawnAt: timePtr(v.WithdrawnAt)}
	if m := v.Match; m != nil {
		a.Match = &MatchRef{ID: m.ID, RoundID: m.RoundID, Status: m.Status}
	}
	return a
}

// Recommendation is a program recommended to an applicant.
type Recommendation struct {
	ProgramID           string           `json:"programId"`
	Title               string           `json:"title"`
	HostOrg             string           `json:"hostOrg"`
	Kind                string           `json:"kind"`
	HostCountry         string           `json:"hostCountry"`
	Region              string           `json:"region,omitempty"`
	ApplicationDeadline string           `json:"applicationDeadline,omitempty"`
	Score               float64          `json:"score"`
	Reasons             []explain.Reason `json:"reasons"`
	Applied             bool             `json:"applied"`
}

func recommendationOf(r app.RecommendationView) Recommendation {
	p := r.Program
	return Recommendation{ProgramID: p.ID, Title: p.Title, HostOrg: p.HostOrg, Kind: p.Kind, HostCountry: p.HostCountry,
		Region: p.Region, ApplicationDeadline: p.ApplicationDeadline, Score: r.Score, Reasons: nonNilReasons(r.Reasons),
		Applied: r.Applied}
}

// Candidate is an applicant shown to a host: what the applicant agreed to
// show, never their statement or gender.
type Candidate struct {
	ApplicantID string           `json:"applicantId"`
	Name        string           `json:"name"`
	Institution string           `json:"institution,omitempty"`
	HomeCountry string           `json:"homeCountry"`
	Kind        string           `json:"kind"`
	DegreeLevel string           `json:"degreeLevel"`
	Fields      []string         `json:"fields"`
	Skills      []string         `json:"skills"`
	Score       float64          `json:"score"`
	Reasons     []explain.Reason `json:"reasons"`
	Applied     bool             `json:"applied"`
}

func candidateOf(c app.CandidateView) Candidate {
	p := c.Profile
	return Candidate{ApplicantID: p.ID, Name: p.Name, Institution: p.Institution, HomeCountry: p.HomeCountry,
		Kind: p.Kind, DegreeLevel: p.DegreeLevel, Fields: nonNil(p.Fields), Skills: nonNil(p.Skills),
		Score: c.Score, Reasons: nonNilReasons(c.Reasons), Applied: c.Applied}
}

// Counts are a round's counts.
type Counts struct {
	Applicants int `json:"applicants"`
	Programs   int `json:"programs"`
	Seats      int `json:"seats"`
	Matches    int `json:"matches"`
	Proposed   int `json:"proposed"`
	Approved   int `json:"approved"`
	Rejected   int `json:"rejected"`
	Published  int `json:"published"`
	Accepted   int `json:"accepted"`
	Declined   int `json:"declined"`
	Undecided  int `json:"undecided"`
	Unmatched  int `json:"unmatched"`
}

// Round is a round (DESIGN.md §4).
type Round struct {
	ID            string     `json:"id"`
	Name          string     `json:"name"`
	ProgramIDs    []string   `json:"programIds"`
	Seed          int64      `json:"seed"`
	Status        string     `json:"status"`
	Phase         string     `json:"phase,omitempty"`
	Progress      int        `json:"progress"`
	Stalled       bool       `json:"stalled,omitempty"`
	BlockingPairs int        `json:"blockingPairs"`
	OverCapacity  int        `json:"overCapacity"`
	Unacceptable  int        `json:"unacceptablePairs"`
	Counts        Counts     `json:"counts"`
	Runs          int        `json:"runs"`
	LastError     string     `json:"lastError,omitempty"`
	CreatedBy     string     `json:"createdBy"`
	CreatedAt     time.Time  `json:"createdAt"`
	StartedAt     *time.Time `json:"startedAt,omitempty"`
	CompletedAt   *time.Time `json:"completedAt,omitempty"`
	PublishedAt   *time.Time `json:"publishedAt,omitempty"`
	DurationMS    int64      `json:"durationMs"`
}

func roundOf(v *app.RoundView) Round {
	r := v.Round
	c := v.Counts
	return Round{ID: r.ID, Name: r.Name, ProgramIDs: r.ProgramIDs, Seed: r.Seed, Status: r.Status, Phase: r.Phase,
		Progress: r.Progress, Stalled: v.Stalled, BlockingPairs: r.BlockingPairs, OverCapacity: r.OverCapacity,
		Unacceptable: r.Unacceptable,
		Counts: Counts{Applicants: c.Applicants, Programs: c.Programs, Seats: c.Seats, Matches: c.Matches,
			Proposed: c.Proposed, Approved: c.Approved, Rejected: c.Rejected, Published: c.Published,
			Accepted: c.Accepted, Declined: c.Declined, Undecided: c.Undecided, Unmatched: c.Unmatched},
		Runs: r.Runs, LastError: r.LastError, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		StartedAt: timePtr(r.StartedAt), CompletedAt: timePtr(r.CompletedAt), PublishedAt: timePtr(r.PublishedAt),
		DurationMS: r.Duration.Milliseconds()}
}

// Match is a match (DESIGN.md §4). Coordinators see who decided and their
// note; applicants do not.
type Match struct {
	ID          string           `json:"id"`
	RoundID     string           `json:"roundId"`
	ApplicantID string           `json:"applicantId"`
	ProgramID   string           `json:"programId"`
	Status      string           `json:"status"`
	Choice      int              `json:"choice"`
	Score       float64          `json:"score"`
	Reasons     []explain.Reason `json:"reasons"`
	Note        string           `json:"note,omitempty"`
	DecidedBy   string           `json:"decidedBy,omitempty"`
	DecidedAt   *time.Time       `json:"decidedAt,omitempty"`
	CreatedAt   time.Time        `json:"createdAt"`
	UpdatedAt   time.Time        `json:"updatedAt"`
}

func matchOf(m *domain.Match, coordinator bool) Match {
	out := Match{ID: m.ID, RoundID: m.RoundID, ApplicantID: m.ApplicantID, ProgramID: m.ProgramID, Status: m.Status,
		Choice: m.Choice, Score: m.Score, Reasons: nonNilReasons(m.Reasons), CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
	if coordinator {
		out.Note, out.DecidedBy, out.DecidedAt = m.Note, m.DecidedBy, timePtr(m.DecidedAt)
	}
	return out
}

// Explanation is one participant of a round: what they got and why they
// did not get the programs they placed higher.
type Explanation struct {
	ApplicantID string           `json:"applicantId"`
	Choices     []string         `json:"choices"`
	ProgramID   string           `json:"programId,omitempty"`
	Choice      int              `json:"choice,omitempty"`
	Outcome     string           `json:"outcome"`
	Reasons     []explain.Reason `json:"reasons"`
	Run         int              `json:"run"`
}

func explanationOf(e domain.RoundApplicant) Explanation {
	x := Explanation{ApplicantID: e.ApplicantID, Choices: nonNil(e.Choices), ProgramID: e.ProgramID,
		Outcome: e.Outcome, Reasons: nonNilReasons(e.Reasons), Run: e.Run}
	if e.ProgramID != "" {
		x.Choice = e.Choice(e.ProgramID)
	}
	return x
}

// AuditEntry is one entry of the audit trail.
type AuditEntry struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actorId"`
	ActorRole  string    `json:"actorRole,omitempty"`
	Action     string    `json:"action"`
	EntityType string    `json:"entityType"`
	EntityID   string    `json:"entityId"`
	RoundID    string    `json:"roundId,omitempty"`
	Note       string    `json:"note,omitempty"`
}

func auditOf(e domain.AuditEntry) AuditEntry {
	return AuditEntry{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: e.ActorRole, Action: e.Action,
		EntityType: e.EntityType, EntityID: e.EntityID, RoundID: e.RoundID, Note: e.Note}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilReasons(r []explain.Reason) []explain.Reason {
	if r == nil {
		return []explain.Reason{}
	}
	return r
}
