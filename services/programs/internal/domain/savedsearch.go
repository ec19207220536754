package domain

import (
	"errors"
	"time"
)

// MaxSavedSearches is how many searches one applicant may save.
const MaxSavedSearches = 20

// Errors of saved searches.
var (
	// ErrSearchNotFound: no such saved search, or another user's.
	ErrSearchNotFound = errors.New("saved search not found")
	// ErrTooManySearches: the applicant has saved MaxSavedSearches.
	ErrTooManySearches = errors.New("too many saved searches")
	// ErrNotApplicant: only applicants save searches.
	ErrNotApplicant = errors.New("only applicants save searches")
)

// SavedSearch is an applicant's program search kept to run again and,
// with Alert, to be told of newly published programs it finds. Its filters
// are those of the public search (checked there, not here).
type SavedSearch struct {
	ID          string
	OwnerID     string
	Q           string
	Kind        string
	HostCountry string
	Field       string
	Alert       bool
	CreatedAt   time.Time
	// Matched lists the programs the search has alerted its owner to, so
	// each is announced once.
	Matched []string
}

// MayRead reports whether a is the owner; everyone else is told the
// search does not exist.
func (s *SavedSearch) MayRead(a Actor) bool { return a.ID != "" && a.ID == s.OwnerID }
