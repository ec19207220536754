package domain

import (
	"time"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Offer deadlines (DESIGN.md §3 "Rounds, policies and offers").
const (
	DefaultOfferDays = 7
	MinOfferDays     = 1
	MaxOfferDays     = 60
	// MaxRespondBy bounds how far ahead a deadline given at publish may
	// lie.
	MaxRespondBy = 365 * 24 * time.Hour
)

// OfferDays checks the offer days a round is created with; nil is the
// default.
func OfferDays(days *int) (int, error) {
	if days == nil {
		return DefaultOfferDays, nil
	}
	var errs fieldErrors
	if *days < MinOfferDays || *days > MaxOfferDays {
		errs.add(fielderr.NewRange("offerDays", MinOfferDays, MaxOfferDays).Because("must be a whole number of days from %d to %d", MinOfferDays, MaxOfferDays))
	}
	return *days, errs.err()
}

// Days is how long the round's offers stay open.
func (r *Round) Days() int {
	if r.OfferDays <= 0 {
		return DefaultOfferDays
	}
	return r.OfferDays
}

// RespondBy is the deadline of offers published now: the one given, which
// must lie in the future (and within MaxRespondBy), or now plus the round's
// offer days.
func (r *Round) RespondBy(now time.Time, given *time.Time) (time.Time, error) {
	if given == nil {
		return now.Add(time.Duration(r.Days()) * 24 * time.Hour).UTC().Truncate(time.Second), nil
	}
	var errs fieldErrors
	switch {
	case !given.After(now):
		errs.add(fielderr.NewDateFuture("respondBy"))
	case given.Sub(now) > MaxRespondBy:
		errs.add(fielderr.NewDateTooFar("respondBy", 365))
	}
	return given.UTC(), errs.err()
}

// IsVacancy reports whether the round offers another round's leftovers.
func (r *Round) IsVacancy() bool { return r.ParentID != "" }

// Admitted is the set of applicants who may take part in a vacancy round;
// nil for an ordinary round, which admits anyone.
func (r *Round) Admitted() map[string]bool {
	if !r.IsVacancy() {
		return nil
	}
	out := make(map[string]bool, len(r.Applicants))
	for _, a := range r.Applicants {
		out[a] = true
	}
	return out
}

// SeatsOf is a program's seats in the round: the round's own limit when it
// sets one, else the program's.
func (r *Round) SeatsOf(programID string, programSeats int) int {
	if n, ok := r.SeatLimits[programID]; ok {
		return n
	}
	return programSeats
}
