// Package matching holds the payloads of the events the matching service
// publishes on tb.matching.v1.*.
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
type RoundCompleted struct {
	RoundID       string    `json:"roundId"`
	Name          string    `json:"name"`
	ProgramIDs    []string  `json:"programIds"`
	Seed          int64     `json:"seed"`
	Proposed      int       `json:"proposed"`
	Unmatched     int       `json:"unmatched"`
	BlockingPairs int       `json:"blockingPairs"`
	CompletedAt   time.Time `json:"completedAt"`
}

// MatchChanged is the payload of every match.* and offer.* event: the match
// as it is after the change. Subject is the match id.
type MatchChanged struct {
	MatchID     string           `json:"matchId"`
	RoundID     string           `json:"roundId"`
	ApplicantID string           `json:"applicantId"`
	ProgramID   string           `json:"programId"`
	HostID      string           `json:"hostId"`
	Status      string           `json:"status"`
	ActorID     string           `json:"actorId,omitempty"`
	Note        string           `json:"note,omitempty"`
	Reasons     []explain.Reason `json:"reasons,omitempty"`
	At          time.Time        `json:"at"`
}
