// Package matching holds the request and response bodies of the matching
// service's routes (DESIGN.md §3 "Matching", §4): applications, rank
// lists, recommendations and candidates, rounds, matches, explanations,
// reports and the audit trail.
package matching

import (
	"time"

	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/taxonomy"
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
	// OfferDays is how long the round's offers stay open: 1 to 60 days,
	// 7 when left out.
	OfferDays *int `json:"offerDays,omitempty"`
	// Policy caps regions of the round's programs (DESIGN.md §5
	// "Allocation policies"); category reserves belong to the programs.
	Policy *Policy `json:"policy,omitempty"`
}

// Policy is a round's allocation policy.
type Policy struct {
	Regions []Region `json:"regions"`
}

// Region caps how many applicants its programs admit together. ProgramIDs
// are in the order the region's round-robin visits them; Targets gives a
// program the seats it fills from its own proposers first (default: its
// seats). Targets may not add up to more than Cap.
type Region struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Cap        int            `json:"cap"`
	ProgramIDs []string       `json:"programIds"`
	Targets    map[string]int `json:"targets,omitempty"`
}

// ApproveRequest is the optional body of POST /matches/{id}/approve.
type ApproveRequest struct {
	Note string `json:"note,omitempty"`
}

// ApproveRoundRequest is the body of POST /rounds/{id}/approve, which
// approves every proposed match of the round in one coordinator action.
// Proposed is required: the number of proposed matches the coordinator
// reviewed (the round's counts.proposed); when the round holds another
// number (a run since), nothing is approved and the answer is 409.
type ApproveRoundRequest struct {
	Proposed *int   `json:"proposed"`
	Note     string `json:"note,omitempty"`
}

// RejectRequest is the body of POST /matches/{id}/reject.
type RejectRequest struct {
	Reason string `json:"reason"`
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
	// Stage is the review stage and History how it got there, without
	// the host's private notes.
	Stage       string        `json:"stage"`
	History     []StageChange `json:"history"`
	DocumentIDs []string      `json:"documentIds"`
	Interview   *Booking      `json:"interview,omitempty"`
	// RecordedByCoordinator is true when a coordinator recorded the
	// application on the applicant's behalf (a rank-list import).
	RecordedByCoordinator bool `json:"recordedByCoordinator,omitempty"`
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

// Candidate is an applicant shown to a host (docs/PRIVACY.md). For an
// applicant who applied to the program the host sees Name, the statement
// and the documents attached (ApplicationID names that application). For an
// applicant who did not apply but let eligible hosts find them the host
// sees only Initials, institution, home country, kind, degree level,
// fields, skills, languages, score and reasons: Name, ApplicationID, Stage,
// Statement and DocumentIDs are left out. Coordinators see Name for
// everyone. Gender, categories, birth year and contact details are never
// part of a candidate.
type Candidate struct {
	ApplicantID   string              `json:"applicantId"`
	Name          string              `json:"name,omitempty"`
	Initials      string              `json:"initials,omitempty"`
	Institution   string              `json:"institution,omitempty"`
	HomeCountry   string              `json:"homeCountry"`
	Kind          string              `json:"kind"`
	DegreeLevel   string              `json:"degreeLevel"`
	Fields        []string            `json:"fields"`
	Skills        []string            `json:"skills"`
	Languages     []taxonomy.Language `json:"languages"`
	Score         float64             `json:"score"`
	Reasons       []explain.Reason    `json:"reasons"`
	Applied       bool                `json:"applied"`
	ApplicationID string              `json:"applicationId,omitempty"`
	Stage         string              `json:"stage,omitempty"`
	Statement     string              `json:"statement,omitempty"`
	DocumentIDs   []string            `json:"documentIds,omitempty"`
}

// Counts are a round's counts. While a run is in progress (status
// "running") the match counts are zero: the run is rewriting the
// proposals, and they are counted again once it has finished.
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
	Expired    int `json:"expired"`
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
	OfferDays     int        `json:"offerDays"`
	// VacancyOf names the round a vacancy round offers the leftovers of;
	// Seats then holds each program's seats left there.
	VacancyOf string         `json:"vacancyOf,omitempty"`
	Seats     map[string]int `json:"seats,omitempty"`
	Policy    *Policy        `json:"policy,omitempty"`
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
	// RespondBy is when a published offer expires unanswered.
	RespondBy *time.Time `json:"respondBy,omitempty"`
	DecidedBy string     `json:"decidedBy,omitempty"`
	DecidedAt *time.Time `json:"decidedAt,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
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

// Ranking is an applicant's rank list as GET and PUT
// /applications/me/ranking return it. ProgramIDs is never null; UpdatedAt
// is null until the list is first saved.
type Ranking struct {
	ProgramIDs []string   `json:"programIds"`
	UpdatedAt  *time.Time `json:"updatedAt"`
}

// ProgramRanking is a host's ranking of a program's applicants as GET and
// PUT /programs/{id}/ranking return it. ApplicantIDs is never null;
// UpdatedAt is null until the ranking is first saved.
type ProgramRanking struct {
	ApplicantIDs []string   `json:"applicantIds"`
	UpdatedAt    *time.Time `json:"updatedAt"`
}

// RankImportResult is the answer of an accepted POST
// /rounds/{id}/ranks/import.
type RankImportResult struct {
	// Applicants is how many rank lists the file set.
	Applicants int `json:"applicants"`
	// Applications is how many applications were recorded on the
	// applicants' behalf (those they had not made themselves).
	Applications int `json:"applications"`
}

// Report is a round's outcome report (GET /rounds/{id}/report). Every
// breakdown adds up to the totals.
type Report struct {
	RoundID       string          `json:"roundId"`
	Status        string          `json:"status"`
	Runs          int             `json:"runs"`
	GeneratedAt   time.Time       `json:"generatedAt"`
	Totals        ReportTotals    `json:"totals"`
	Programs      []ProgramResult `json:"programs"`
	ByHomeCountry []GroupRate     `json:"byHomeCountry"`
	ByKind        []GroupRate     `json:"byKind"`
	ByDegreeLevel []GroupRate     `json:"byDegreeLevel"`
	ByGender      []GroupRate     `json:"byGender"`
	Choices       []ChoiceCount   `json:"choices"`
	Unmatched     []ReasonCount   `json:"unmatched"`
	// ByCategory and ByRegion report the last run's category reserves and
	// regions; counts of fewer than 10 people are suppressed.
	ByCategory []CategoryReport `json:"byCategory"`
	ByRegion   []RegionReport   `json:"byRegion"`
}

// Count is a number of people in a report. A group of fewer than 10 is
// not shown: N is left out, Suppressed is true and Display is "<10".
type Count struct {
	N          *int   `json:"n,omitempty"`
	Suppressed bool   `json:"suppressed,omitempty"`
	Display    string `json:"display"`
}

// CategoryReport is what became of the seats reserved for one category
// across the round's programs: seats reserved, those filled by applicants
// in the category and those that, finding none, reverted to others.
type CategoryReport struct {
	Category   string `json:"category"`
	Reserved   int    `json:"reserved"`
	ToCategory Count  `json:"toCategory"`
	Reverted   Count  `json:"reverted"`
}

// RegionReport is how many applicants a region's programs admitted
// against its cap.
type RegionReport struct {
	RegionID string `json:"regionId"`
	Name     string `json:"name"`
	Cap      int    `json:"cap"`
	Filled   Count  `json:"filled"`
}

// MockRun is the body of POST and GET /rounds/{id}/mock: what a run would
// give now, saved apart from matches and told to no one.
type MockRun struct {
	RoundID       string     `json:"roundId"`
	RanAt         time.Time  `json:"ranAt"`
	RanBy         string     `json:"ranBy"`
	BlockingPairs int        `json:"blockingPairs"`
	Items         []MockItem `json:"items"`
	Fill          MockFill   `json:"fill"`
}

// MockItem is one would-be match.
type MockItem struct {
	ApplicantID string           `json:"applicantId"`
	ProgramID   string           `json:"programId"`
	Reasons     []explain.Reason `json:"reasons"`
}

// MockFill are a mock run's fill rates per program, region and category.
type MockFill struct {
	Programs   []ProgramFill  `json:"programs"`
	Regions    []RegionFill   `json:"regions"`
	Categories []CategoryFill `json:"categories"`
}

// ProgramFill is one program's seats and how many the mock run filled.
type ProgramFill struct {
	ProgramID string  `json:"programId"`
	Title     string  `json:"title"`
	Seats     int     `json:"seats"`
	Filled    int     `json:"filled"`
	Rate      float64 `json:"rate"`
}

// RegionFill is one region's cap and how many its programs took.
type RegionFill struct {
	RegionID string  `json:"regionId"`
	Name     string  `json:"name"`
	Cap      int     `json:"cap"`
	Filled   int     `json:"filled"`
	Rate     float64 `json:"rate"`
}

// CategoryFill is one category's reserved seats: filled by the category,
// reverted to others, and the share that went to the category.
type CategoryFill struct {
	Category   string  `json:"category"`
	Reserved   int     `json:"reserved"`
	ToCategory int     `json:"toCategory"`
	Reverted   int     `json:"reverted"`
	Rate       float64 `json:"rate"`
}

// ReportTotals are a round's headline counts: applicants, those holding a
// live match, seats, offers made and seats filled by an accepted offer.
type ReportTotals struct {
	Applicants int     `json:"applicants"`
	Matched    int     `json:"matched"`
	Unmatched  int     `json:"unmatched"`
	MatchRate  float64 `json:"matchRate"`
	Seats      int     `json:"seats"`
	Offered    int     `json:"offered"`
	Filled     int     `json:"filled"`
	// Completed and EndedEarly count the filled seats whose placement
	// was completed or ended early (from the placements service).
	Completed  int `json:"completed"`
	EndedEarly int `json:"endedEarly"`
}

// ProgramResult is one program's seats and what became of them.
type ProgramResult struct {
	ProgramID string `json:"programId"`
	Title     string `json:"title"`
	Seats     int    `json:"seats"`
	Matched   int    `json:"matched"`
	Proposed  int    `json:"proposed"`
	Approved  int    `json:"approved"`
	Rejected  int    `json:"rejected"`
	Offered   int    `json:"offered"`
	Filled    int    `json:"filled"`
	Declined  int    `json:"declined"`
}

// GroupRate is the match rate of one group of applicants. A group of
// fewer than 10 applicants is suppressed: Applicants, Matched and Rate are
// 0 and mean nothing, Suppressed is set and Display is "<10". When that
// would hide a single group of a breakdown (which the totals would give
// back), the smallest other group is suppressed too, with Display
// "hidden".
type GroupRate struct {
	Value      string  `json:"value"`
	Applicants int     `json:"applicants"`
	Matched    int     `json:"matched"`
	Rate       float64 `json:"rate"`
	Suppressed bool    `json:"suppressed,omitempty"`
	Display    string  `json:"display,omitempty"`
}

// ChoiceCount says how many matched applicants got their n-th choice.
type ChoiceCount struct {
	Choice int `json:"choice"`
	Count  int `json:"count"`
}

// ReasonCount says how many unmatched applicants had no seat for a reason.
type ReasonCount struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
}

// PublishRequest is the optional body of POST /rounds/{id}/publish.
// RespondBy (RFC 3339, in the future) is the offers' deadline; without it,
// publish time plus the round's offerDays.
type PublishRequest struct {
	RespondBy string `json:"respondBy,omitempty"`
}

// VacancyRequest is the body of POST /rounds/{id}/vacancy. OfferDays is
// 1 to 60, 2 when left out.
type VacancyRequest struct {
	Name      string `json:"name"`
	OfferDays *int   `json:"offerDays,omitempty"`
}

// Demand is how contested one program of a round is: counts only.
type Demand struct {
	ProgramID   string `json:"programId"`
	Seats       int    `json:"seats"`
	Ranked      int    `json:"ranked"`
	RankedFirst int    `json:"rankedFirst"`
}

// DemandList is the body of GET /rounds/{id}/demand.
type DemandList struct {
	Items []Demand `json:"items"`
}

// MatchPage is a page of GET /matches: DESIGN.md's list shape and Next,
// the id to pass as after for the matches that follow; empty on the last
// page.
type MatchPage struct {
	Items    []Match `json:"items"`
	Page     int     `json:"page"`
	PageSize int     `json:"pageSize"`
	Total    int64   `json:"total"`
	Next     string  `json:"next,omitempty"`
}
