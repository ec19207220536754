package matching

import "time"

// The bodies of application review, interviews and messages (DESIGN.md §3
// "Application review, interviews and messages").

// StageRequest is the optional body of POST /applications/{id}/review,
// /shortlist and /interviewed: a private note for the host and
// coordinators, never shown to the applicant.
type StageRequest struct {
	Note string `json:"note,omitempty"`
}

// Modes of interview slots.
const (
	ModeOnline = "online"
	ModeOnsite = "onsite"
)

// PassRequest is the body of POST /applications/{id}/pass: the reason the
// applicant is shown, as a code (PassReasonCodes of shared/events/matching,
// which pages word in the applicant's language), the host's own words, or
// both (at least one). Note is private, as in StageRequest.
type PassRequest struct {
	ReasonCode string `json:"reasonCode,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Note       string `json:"note,omitempty"`
}

// StageChange is one entry of an application's history. Note is the
// host's private note: only hosts and coordinators see it.
type StageChange struct {
	Stage      string    `json:"stage"`
	At         time.Time `json:"at"`
	By         string    `json:"by,omitempty"`
	ByRole     string    `json:"byRole,omitempty"`
	ReasonCode string    `json:"reasonCode,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// DocumentsRequest is the body of PUT /applications/{id}/documents: the
// ids of the caller's documents and received letters (from the documents
// service) the host of the program may read, at most 20.
type DocumentsRequest struct {
	DocumentIDs []string `json:"documentIds"`
}

// Review is an application as the host of its program and coordinators
// see it (GET /programs/{id}/applications): the applicant's statement and
// attached document ids, the stage with its history and private notes.
type Review struct {
	ID           string        `json:"id"`
	ProgramID    string        `json:"programId"`
	ApplicantID  string        `json:"applicantId"`
	Name         string        `json:"name,omitempty"`
	Institution  string        `json:"institution,omitempty"`
	HomeCountry  string        `json:"homeCountry,omitempty"`
	Statement    string        `json:"statement,omitempty"`
	DocumentIDs  []string      `json:"documentIds"`
	Stage        string        `json:"stage"`
	History      []StageChange `json:"history"`
	Interview    *Booking      `json:"interview,omitempty"`
	SubmittedAt  time.Time     `json:"submittedAt"`
	ProfileGone  bool          `json:"profileErased,omitempty"`
	ProgramTitle string        `json:"programTitle,omitempty"`
}

// SlotInput is one slot of POST /programs/{id}/interview-slots. Start and
// End are RFC 3339; Mode is online or onsite.
type SlotInput struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Mode     string    `json:"mode"`
	Location string    `json:"location,omitempty"`
}

// SlotsRequest is the body of POST /programs/{id}/interview-slots.
type SlotsRequest struct {
	Slots []SlotInput `json:"slots"`
}

// Slot is an interview slot. ApplicationID and ApplicantID are shown to
// the host and coordinators only, on a booked slot; applicants see free
// slots and their own.
type Slot struct {
	ID            string     `json:"id"`
	ProgramID     string     `json:"programId"`
	Start         time.Time  `json:"start"`
	End           time.Time  `json:"end"`
	Mode          string     `json:"mode"`
	Location      string     `json:"location,omitempty"`
	Booked        bool       `json:"booked"`
	ApplicationID string     `json:"applicationId,omitempty"`
	ApplicantID   string     `json:"applicantId,omitempty"`
	BookedAt      *time.Time `json:"bookedAt,omitempty"`
}

// BookRequest is the body of POST /applications/{id}/interview.
type BookRequest struct {
	SlotID string `json:"slotId"`
}

// Booking is the interview an application holds.
type Booking struct {
	SlotID   string    `json:"slotId"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Mode     string    `json:"mode"`
	Location string    `json:"location,omitempty"`
}

// MessageRequest is the body of POST /applications/{id}/messages.
type MessageRequest struct {
	Body string `json:"body"`
}

// Message is a message of a thread, or a bulk message to its recipient.
// An erased author's message keeps its id and time, with Erased set and
// no body.
type Message struct {
	ID            string    `json:"id"`
	ApplicationID string    `json:"applicationId,omitempty"`
	ProgramID     string    `json:"programId,omitempty"`
	AuthorID      string    `json:"authorId"`
	AuthorRole    string    `json:"authorRole"`
	Subject       string    `json:"subject,omitempty"`
	Body          string    `json:"body"`
	Erased        bool      `json:"erased,omitempty"`
	SentAt        time.Time `json:"sentAt"`
}

// Audience picks the people a bulk message reaches; every field given
// narrows it, at least one is required. MatchStatus is a match status of
// DESIGN.md §4; Stage a review stage.
type Audience struct {
	RoundID     string `json:"roundId,omitempty"`
	ProgramID   string `json:"programId,omitempty"`
	Stage       string `json:"stage,omitempty"`
	MatchStatus string `json:"matchStatus,omitempty"`
}

// BulkRequest is the body of POST /messages/bulk.
type BulkRequest struct {
	Audience Audience `json:"audience"`
	Subject  string   `json:"subject"`
	Body     string   `json:"body"`
}

// BulkResult answers POST /messages/bulk: the message and how many people
// it reached (each once).
type BulkResult struct {
	MessageID  string `json:"messageId"`
	Recipients int    `json:"recipients"`
}
