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

// ApplicationsImported: a coordinator's rank import (POST
// /rounds/{id}/ranks/import) recorded applications on an applicant's
// behalf. Subject is the applicant id. It takes the place of an
// application.submitted per application: a national import records a
// million applications, and one event per applicant and file is twenty
// times fewer to relay, deliver and store. Each listed application is at
// version 1, as a submission; a later withdrawal is its version 2.
// Applications lists those the import recorded, and also any the import
// found already live when a crashed import is sent again.
type ApplicationsImported struct {
	ApplicantID  string                `json:"applicantId"`
	RoundID      string                `json:"roundId"`
	RoundName    string                `json:"roundName"`
	RecordedBy   string                `json:"recordedBy"`
	SubmittedAt  time.Time             `json:"submittedAt"`
	Applications []ImportedApplication `json:"applications"`
}

// ImportedApplication is one application of ApplicationsImported.
type ImportedApplication struct {
	ApplicationID string `json:"applicationId"`
	ProgramID     string `json:"programId"`
	HostID        string `json:"hostId"`
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
//
// The same subject announces the round's publication: then PublishedAt is
// set and UnmatchedApplicantIDs lists every applicant of the round who
// received no offer, so that each of them can be told the result (the
// matched ones hear of it through their match.published). Consumers that
// predate these fields see one more completed run of the same round.
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
	// PublishedAt is set only on the publication announcement.
	PublishedAt time.Time `json:"publishedAt,omitzero"`
	// UnmatchedApplicantIDs is set only on the publication announcement.
	UnmatchedApplicantIDs []string `json:"unmatchedApplicantIds,omitempty"`
}

// Published reports whether the event announces the round's publication.
func (r RoundCompleted) Published() bool { return !r.PublishedAt.IsZero() }

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
	// RespondBy is the offer's deadline, when it has one (match.published
	// and later); zero means none was set.
	RespondBy time.Time `json:"respondBy,omitzero"`
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

// ApplicationDocuments: the applicant's documents (and referee letters)
// attached to an application, as they are after the change; the documents
// service lets the host of ProgramID read exactly these. Subject is the
// application id; aggregateversion is the application's version, so an
// older list arriving late is dropped.
type ApplicationDocuments struct {
	ApplicationID string    `json:"applicationId"`
	ApplicantID   string    `json:"applicantId"`
	ProgramID     string    `json:"programId"`
	DocumentIDs   []string  `json:"documentIds"`
	At            time.Time `json:"at"`
}

// Review stages of an application (DESIGN.md §3 "Application review").
const (
	StageSubmitted      = "submitted"
	StageReviewing      = "reviewing"
	StageShortlisted    = "shortlisted"
	StageNotShortlisted = "not_shortlisted"
	StageScheduled      = "interview_scheduled"
	StageInterviewed    = "interviewed"
)

// Pass reason codes a host may choose when passing an application over;
// pages word them in the applicant's language. "other" goes with the
// host's own words.
const (
	PassFieldMismatch = "field_mismatch"
	PassLanguage      = "language_requirement"
	PassDocuments     = "documents_incomplete"
	PassCompetition   = "strong_competition"
	PassSeatsFilled   = "seats_filled"
	PassOther         = "other"
)

// PassReasonCodes lists the pass reason codes.
var PassReasonCodes = []string{PassFieldMismatch, PassLanguage, PassDocuments, PassCompetition, PassSeatsFilled, PassOther}

// ApplicationStaged: the host or a coordinator (or a booking or its
// cancellation) moved an application to another review stage. Subject is
// the application id; aggregateversion is the application's version.
// ReasonCode is set when the application was passed over (PassReasonCodes); the host's own words stay in the
// matching service, since stream messages outlive an erasure.
type ApplicationStaged struct {
	ApplicationID string    `json:"applicationId"`
	ApplicantID   string    `json:"applicantId"`
	ProgramID     string    `json:"programId"`
	HostID        string    `json:"hostId"`
	Stage         string    `json:"stage"`
	Previous      string    `json:"previous"`
	ReasonCode    string    `json:"reasonCode,omitempty"`
	ActorID       string    `json:"actorId"`
	ActorRole     string    `json:"actorRole"`
	At            time.Time `json:"at"`
}

// Interview is an interview slot as the interview events carry it. Start
// and End are UTC.
type Interview struct {
	SlotID   string    `json:"slotId"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Mode     string    `json:"mode"`
	Location string    `json:"location,omitempty"`
}

// InterviewScheduled: a shortlisted applicant booked an interview slot
// (interview.scheduled), or cancelled that booking (interview.cancelled).
// Subject is the application id; aggregateversion is the application's.
type InterviewScheduled struct {
	ApplicationID string    `json:"applicationId"`
	ApplicantID   string    `json:"applicantId"`
	ProgramID     string    `json:"programId"`
	HostID        string    `json:"hostId"`
	Interview     Interview `json:"interview"`
	ActorID       string    `json:"actorId"`
	At            time.Time `json:"at"`
}

// InterviewCancelled has the same shape as InterviewScheduled.
type InterviewCancelled = InterviewScheduled

// MessageSent: a message was written, once per message with every
// recipient (each person once). ApplicationID is set for a message in an
// application's thread; Bulk for a message to an audience (then Subject
// holds its subject line). The body is not carried: read it from the
// thread or GET /messages/me, so an erasure reaches it. Subject is the
// message id; aggregateversion is 1.
type MessageSent struct {
	MessageID     string    `json:"messageId"`
	ApplicationID string    `json:"applicationId,omitempty"`
	ProgramID     string    `json:"programId,omitempty"`
	SenderID      string    `json:"senderId"`
	SenderRole    string    `json:"senderRole"`
	RecipientIDs  []string  `json:"recipientIds"`
	Bulk          bool      `json:"bulk,omitempty"`
	Subject       string    `json:"subject,omitempty"`
	At            time.Time `json:"at"`
}
