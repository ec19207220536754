package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Review stages (DESIGN.md §3): submitted → reviewing → shortlisted |
// not_shortlisted; shortlisted → interview_scheduled (a booking; its
// cancellation goes back) → interviewed.
const (
	StageSubmitted      = matchingev.StageSubmitted
	StageReviewing      = matchingev.StageReviewing
	StageShortlisted    = matchingev.StageShortlisted
	StageNotShortlisted = matchingev.StageNotShortlisted
	StageScheduled      = matchingev.StageScheduled
	StageInterviewed    = matchingev.StageInterviewed
)

// Stages lists the review stages in order.
var Stages = []string{StageSubmitted, StageReviewing, StageShortlisted, StageNotShortlisted, StageScheduled, StageInterviewed}

// moves says from which stages each host action may move an application.
var moves = map[string][]string{
	StageReviewing:       {StageSubmitted},
	StageShortlisted:     {StageReviewing},
	StageNotShortlisted:  {StageReviewing},
	StageScheduled:       {StageShortlisted},
	StageInterviewed:     {StageScheduled},
	stageCancelInterview: {StageScheduled},
}

// stageCancelInterview is the move a cancelled booking makes (back to
// shortlisted), kept apart from shortlisting itself.
const stageCancelInterview = "cancel_interview"

// StageChange is one entry of an application's history. Note is the
// host's private note; Reason (and ReasonCode) what the applicant is told
// when passed over.
type StageChange struct {
	Stage      string
	At         time.Time
	By         string
	ByRole     string
	ReasonCode string
	Reason     string
	Note       string
}

// Booking is the interview slot an application holds.
type Booking struct {
	SlotID   string    `json:"slotId"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Mode     string    `json:"mode"`
	Location string    `json:"location,omitempty"`
}

// StageOf returns the application's stage; applications stored before
// stages existed are submitted.
func (a *Application) StageOf() string {
	if a.Stage == "" {
		return StageSubmitted
	}
	return a.Stage
}

// Move moves a live application to stage, recording who did it, and
// returns the stage it left. A move the stage machine does not allow is a
// conflict naming the current stage.
func (a *Application) Move(stage string, ch StageChange) (string, error) {
	if !a.Live() {
		return "", Conflict("application_withdrawn", "the application was withdrawn")
	}
	from := a.StageOf()
	if !slices.Contains(moves[stage], from) {
		return "", &ConflictError{Code: "invalid_stage",
			Detail: fmt.Sprintf("the application is %s; it cannot move to %s from there", from, stage)}
	}
	if stage == stageCancelInterview {
		stage = StageShortlisted
	}
	ch.Stage = stage
	a.Stage = stage
	a.History = append(a.History, ch)
	a.Version++
	return from, nil
}

// CancelInterview moves an application with a booked interview back to
// shortlisted, at least a day before the interview starts.
func (a *Application) CancelInterview(ch StageChange) (Booking, error) {
	return a.dropInterview(ch, true)
}

// WithdrawInterview takes back the interview of slotID when the host
// cancels the slot, at any time before or after the notice an applicant
// must give; an application that holds another slot, or none, is left
// alone (false).
func (a *Application) WithdrawInterview(slotID string, ch StageChange) (Booking, bool, error) {
	if a.Interview == nil || a.Interview.SlotID != slotID || a.StageOf() != StageScheduled {
		return Booking{}, false, nil
	}
	b, err := a.dropInterview(ch, false)
	return b, err == nil, err
}

func (a *Application) dropInterview(ch StageChange, notice bool) (Booking, error) {
	if a.Interview == nil || a.StageOf() != StageScheduled {
		return Booking{}, &ConflictError{Code: "no_interview", Detail: fmt.Sprintf("the application is %s and holds no interview", a.StageOf())}
	}
	b := *a.Interview
	if notice && b.Start.Sub(ch.At) < CancelNotice {
		return Booking{}, Conflict("too_late", "an interview can be cancelled until %s before it starts", CancelNotice)
	}
	if _, err := a.Move(stageCancelInterview, ch); err != nil {
		return Booking{}, err
	}
	a.Interview = nil
	return b, nil
}

// Book records a booked slot and moves the application to
// interview_scheduled.
func (a *Application) Book(b Booking, ch StageChange) error {
	if _, err := a.Move(StageScheduled, ch); err != nil {
		return err
	}
	a.Interview = &b
	return nil
}

// CancelNotice is how long before an interview its booking may still be
// cancelled.
const CancelNotice = 24 * time.Hour

// PassReason checks the reason of a pass: a known code, the host's words,
// or both.
func PassReason(code, reason, note string) (StageChange, error) {
	var errs fieldErrors
	code, reason, note = strings.TrimSpace(code), strings.TrimSpace(reason), strings.TrimSpace(note)
	switch {
	case code == "" && reason == "":
		errs.add(fielderr.NewRequired("reason").Because("is required: give a reasonCode, your own words, or both"))
	case code != "" && !slices.Contains(matchingev.PassReasonCodes, code):
		errs.add(fielderr.NewOneOf("reasonCode", matchingev.PassReasonCodes).Because("must be one of %s", strings.Join(matchingev.PassReasonCodes, ", ")))
	case code == matchingev.PassOther && reason == "":
		errs.add(fielderr.NewRequired("reason").Because("is required with reasonCode other"))
	}
	if utf8.RuneCountInString(reason) > MaxReasonLen {
		errs.add(fielderr.NewTooLong("reason", MaxReasonLen).Because("is longer than %d characters", MaxReasonLen))
	}
	if err := checkNote(&errs, note); err != nil {
		return StageChange{}, err
	}
	if err := errs.err(); err != nil {
		return StageChange{}, err
	}
	return StageChange{ReasonCode: code, Reason: reason, Note: note}, nil
}

// Note checks a private note.
func Note(note string) (string, error) {
	var errs fieldErrors
	note = strings.TrimSpace(note)
	if err := checkNote(&errs, note); err != nil {
		return "", err
	}
	return note, errs.err()
}

func checkNote(errs *fieldErrors, note string) error {
	if utf8.RuneCountInString(note) > MaxNoteLen {
		errs.add(fielderr.NewTooLong("note", MaxNoteLen).Because("is longer than %d characters", MaxNoteLen))
	}
	return nil
}

// SetDocuments replaces the documents attached to a live application.
// The ids are the documents service's: this service checks their shape
// only (the documents service decides who may read what from the event).
func (a *Application) SetDocuments(ids []string) error {
	if !a.Live() {
		return Conflict("application_withdrawn", "the application was withdrawn")
	}
	if err := ValidateDocumentIDs(ids); err != nil {
		return err
	}
	a.DocumentIDs = slices.Clone(ids)
	if a.DocumentIDs == nil {
		a.DocumentIDs = []string{}
	}
	a.Version++
	return nil
}

// Limits of the review's request bodies.
const (
	MaxIDLen           = 200
	MaxReasonLen       = 1000
	MaxNoteLen         = 2000
	MaxMessageLen      = 5000
	MaxSubjectLen      = 200
	MaxDocumentsPerApp = 20
	MaxSlotsPerRequest = 50
	MaxSlotsPerProgram = 500
	MaxLocationLen     = 300
)

// ValidateDocumentIDs checks a list of document ids: at most
// MaxDocumentsPerApp, none empty, overlong or repeated.
func ValidateDocumentIDs(ids []string) error {
	var errs fieldErrors
	if len(ids) > MaxDocumentsPerApp {
		errs.add(fielderr.NewTooMany("documentIds", MaxDocumentsPerApp).Because("has %d entries; at most %d are allowed", len(ids), MaxDocumentsPerApp))
		return errs.err()
	}
	seen := map[string]int{}
	for i, id := range ids {
		name := fmt.Sprintf("documentIds[%d]", i)
		switch j, dup := seen[id]; {
		case strings.TrimSpace(id) == "":
			errs.add(fielderr.NewRequired(name).Because("is empty"))
		case len(id) > MaxIDLen || !utf8.ValidString(id):
			errs.add(fielderr.NewFormat(name, "id").Because("is not a document id"))
		case dup:
			errs.add(fielderr.NewDuplicateOf(name, fmt.Sprintf("documentIds[%d]", j)))
		}
		seen[id] = i
	}
	return errs.err()
}
