package domain

import (
	"fmt"
	"time"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Application statuses.
const (
	ApplicationSubmitted = "submitted"
	ApplicationWithdrawn = "withdrawn"
)

// Application is an applicant's application to one program. An applicant
// has at most one live (submitted) application per program; after a
// withdrawal they may apply again, which makes a new application.
type Application struct {
	ID          string
	ApplicantID string
	ProgramID   string
	HostID      string
	Status      string
	SubmittedAt time.Time
	WithdrawnAt time.Time
	Version     int64
	// Stage is the review stage ("" before the first move: submitted),
	// History every move, DocumentIDs the attached documents and
	// Interview the booked slot (see review.go).
	Stage       string
	History     []StageChange
	DocumentIDs []string
	Interview   *Booking
	// RecordedBy is the coordinator who recorded the application on the
	// applicant's behalf (a rank-list import); empty when they applied.
	RecordedBy string
}

// NewApplication returns a submitted application.
func NewApplication(id, applicantID string, p Program, now time.Time) *Application {
	return &Application{ID: id, ApplicantID: applicantID, ProgramID: p.ID, HostID: p.HostID,
		Status: ApplicationSubmitted, SubmittedAt: now, Version: 1, Stage: StageSubmitted}
}

// Live reports whether the application stands.
func (a *Application) Live() bool { return a.Status == ApplicationSubmitted }

// Withdraw ends the application.
func (a *Application) Withdraw(now time.Time) error {
	if !a.Live() {
		return Conflict("already_withdrawn", "the application was already withdrawn")
	}
	a.Status = ApplicationWithdrawn
	a.WithdrawnAt = now
	a.Version++
	return nil
}

// MaxRanked is how many programs an applicant's rank list may hold.
const MaxRanked = 20

// MaxHostRanked is how many applicants a host ranking may hold.
const MaxHostRanked = 5000

// ValidateRanking checks an applicant's rank list: at most MaxRanked
// programs, each one the applicant has a live application to, none twice.
// live holds the program ids of the applicant's live applications. The
// error names the index of the first offending entry.
func ValidateRanking(programIDs []string, live map[string]bool) error {
	if len(programIDs) > MaxRanked {
		return &RuleError{Code: "invalid_ranking", Detail: fmt.Sprintf("rank at most %d programs", MaxRanked),
			Fields: []FieldError{fielderr.NewTooMany("programIds", MaxRanked).Because("has %d entries; at most %d are allowed", len(programIDs), MaxRanked)}}
	}
	return validateList("programIds", programIDs, live, "is not a program you have a live application to")
}

// ValidateProgramRanking checks a host's ranking of a program's applicants:
// each one applied to the program (applied holds their ids), none twice.
func ValidateProgramRanking(applicantIDs []string, applied map[string]bool) error {
	if len(applicantIDs) > MaxHostRanked {
		return &RuleError{Code: "invalid_ranking", Detail: fmt.Sprintf("rank at most %d applicants", MaxHostRanked),
			Fields: []FieldError{fielderr.NewTooMany("applicantIds", MaxHostRanked).Because("has %d entries; at most %d are allowed", len(applicantIDs), MaxHostRanked)}}
	}
	return validateList("applicantIds", applicantIDs, applied, "is not an applicant with a live application to this program")
}

func validateList(field string, ids []string, allowed map[string]bool, notAllowed string) error {
	seen := make(map[string]int, len(ids))
	var errs []FieldError
	for i, id := range ids {
		name := fmt.Sprintf("%s[%d]", field, i)
		if j, dup := seen[id]; dup {
			errs = append(errs, fielderr.NewDuplicateOf(name, fmt.Sprintf("%s[%d]", field, j)))
			continue
		}
		seen[id] = i
		if !allowed[id] {
			errs = append(errs, fielderr.NewNotAvailable(name).Because("%s", notAllowed))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &RuleError{Code: "invalid_ranking", Detail: errs[0].Field + " " + errs[0].Reason, Fields: errs}
}
