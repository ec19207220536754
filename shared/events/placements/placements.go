// Package placements holds the payloads of the events the placements
// service publishes on tb.placements.v1.* (DESIGN.md §2, §8). The
// envelope's subject is the placement id and aggregateversion the
// placement's version.
//
// Payloads carry ids, codes, dates and counts only — never a note, a
// comment or a reason typed by a person — so the stream holds nothing an
// erasure would have to scrub beyond ids.
package placements

import "time"

// Source is the envelope source of these events.
const Source = "placements"

// Service is the placements service's name on tb.rpc.<service>.export.
const Service = "placements"

// Directions of an exchange.
const (
	// DirectionINJP: a participant from India placed in Japan.
	DirectionINJP = "IN_JP"
	// DirectionJPIN: a participant from Japan placed in India.
	DirectionJPIN = "JP_IN"
)

// Parties a checklist task belongs to.
const (
	PartyApplicant   = "applicant"
	PartyHost        = "host"
	PartyCoordinator = "coordinator"
)

// PlacementCreated: an accepted offer became a placement. Version 1.
// StartDate and EndDate are "YYYY-MM-DD".
type PlacementCreated struct {
	PlacementID string    `json:"placementId"`
	MatchID     string    `json:"matchId"`
	ApplicantID string    `json:"applicantId"`
	ProgramID   string    `json:"programId"`
	HostID      string    `json:"hostId"`
	Direction   string    `json:"direction"`
	Kind        string    `json:"kind"`
	StartDate   string    `json:"startDate"`
	EndDate     string    `json:"endDate"`
	Tasks       int       `json:"tasks"`
	CreatedAt   time.Time `json:"createdAt"`
}

// TaskDone: a checklist task was marked done.
type TaskDone struct {
	PlacementID string    `json:"placementId"`
	ApplicantID string    `json:"applicantId"`
	ProgramID   string    `json:"programId"`
	HostID      string    `json:"hostId"`
	TaskID      string    `json:"taskId"`
	Party       string    `json:"party"`
	ActorID     string    `json:"actorId"`
	At          time.Time `json:"at"`
}

// TaskOverdue: an open task passed its due date; sent once per task.
// RecipientID is the person the task belongs to (the applicant or the
// host); empty for a coordinators' task, which shows on their at-risk list.
type TaskOverdue struct {
	PlacementID string `json:"placementId"`
	ApplicantID string `json:"applicantId"`
	ProgramID   string `json:"programId"`
	HostID      string `json:"hostId"`
	TaskID      string `json:"taskId"`
	Party       string `json:"party"`
	RecipientID string `json:"recipientId,omitempty"`
	// DueDate is "YYYY-MM-DD".
	DueDate string    `json:"dueDate"`
	At      time.Time `json:"at"`
}

// PlacementFinished is the payload of placement.completed and
// placement.ended: how the placement finished and who said so. The reason
// of an early end stays in the service (it is free text).
type PlacementFinished struct {
	PlacementID string    `json:"placementId"`
	MatchID     string    `json:"matchId"`
	ApplicantID string    `json:"applicantId"`
	ProgramID   string    `json:"programId"`
	HostID      string    `json:"hostId"`
	Direction   string    `json:"direction"`
	Kind        string    `json:"kind"`
	Status      string    `json:"status"`
	ActorID     string    `json:"actorId"`
	At          time.Time `json:"at"`
}
