// Package matching holds the payloads of the events the matching service
// publishes on tb.matching.v1.*.
//
// Versions: an application's aggregateversion is 1 when submitted and 2 when
// withdrawn; a match's is 1 when proposed and grows by one with each
// decision (approved or rejected, published, accepted or declined); a
// round's grows with every run and publication.
package matching

import (
	"time"

	"github.com/talentbridge/platform/shared/explain"
)

// Source is the envelope source of these events.
const Source = "matching"

// ApplicationSubmitted: an applicant applied to a program. Subject is the
// application id.
type ApplicationSubmitted struct {
	ApplicationID string    `json:"applicationId"`
	ApplicantID   string    `json:"applicantId"`
	ProgramID     string    `json:"programId"`
	HostID        string    `json:"hostId"`
	SubmittedAt   time.Time `json:"submittedAt"`
}

// ApplicationWithdrawn: the applicant withdrew. Subject is the application
// id.
type ApplicationWithdrawn struct {
	ApplicationID string    `json:"applicationId"`
	ApplicantID   string    `json:"applicantId"`
	ProgramID     string    `json:"programId"`
	HostID        string    `json:"hostId"`
	WithdrawnAt   time.Time `json:"withdrawnAt"`
}

// RoundCompleted: a round finished running. Subject is the round id.
// Proposed counts the matches this run proposed; Fixed the matches kept from
// earlier runs of the round (approved, published or accepted); Unmatched the
// applicants of the run left without a seat.
type RoundCompleted struct {
	RoundID       string    `json:"roundId"`
	Name          string    `json:"name"`
	ProgramIDs    []string  `json:"programIds"`
	Seed          int64     `json:"seed"`
	Proposed      int       `json:"proposed"`
	Fixed         int       `json:"fixed"`
	Unmatched     int       `json:"unmatched"`
	BlockingPairs int       `json:"blockingPairs"`
	Run           int       `json:"run"`
	ActorID       string    `json:"actorId,omitempty"`
	CompletedAt   time.Time `json:"completedAt"`
}

// MatchChanged is the payload of every match.* and offer.* event: the match
// as it is after the change. Subject is the match id.
type MatchChanged struct {
	MatchID     string `json:"matchId"`
	RoundID     string `json:"roundId"`
	ApplicantID string `json:"applicantId"`
	ProgramID   string `json:"programId"`
	HostID      string `json:"hostId"`
	Status      string `json:"status"`
	ActorID     string `json:"actorId,omitempty"`
	// ActorRole is the role of ActorID when the change was made.
	ActorRole string `json:"actorRole,omitempty"`
	// Choice is the program's place in the applicant's rank list, from 1.
	Choice int    `json:"choice,omitempty"`
	Note   string `json:"note,omitempty"`
	// Reasons is left empty by the matching service: reasons quote the
	// applicant's profile, and stream messages outlive an erasure. Read
	// them from GET /rounds/{id}/matches.
	Reasons []explain.Reason `json:"reasons,omitempty"`
	At      time.Time        `json:"at"`
	// RespondBy is when an offer (match.published and after) expires
	// unanswered.
	RespondBy *time.Time `json:"respondBy,omitempty"`
}

// Match statuses, as in MatchChanged.Status and the API (DESIGN.md §4).
const (
	StatusProposed  = "proposed"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusPublished = "published"
	StatusAccepted  = "accepted"
	StatusDeclined  = "declined"
	// StatusExpired is an offer nobody answered by its respondBy.
	StatusExpired = "expired"
)
