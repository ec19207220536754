// Package app holds the placements service's use cases: a placement made
// once from each accepted offer, its checklist kept in step with the
// program's dates, tasks marked done, overdue tasks announced once,
// completion, early end and feedback, lists for hosts and coordinators,
// export and erasure. It declares the ports it needs; mongostore
// implements them.
package app

import (
	"context"
	"time"

	"github.com/talentbridge/platform/services/placements/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// Change is what an update does to a placement: the events it causes, or
// an error that leaves the placement as it was.
type Change func(p *domain.Placement) ([]events.Envelope, error)

// Filter picks placements; empty fields match any.
type Filter struct {
	ApplicantID, HostID, ProgramID string
	// Unfinished keeps placements neither completed nor ended.
	Unfinished bool
	// AlertBefore keeps placements with an open task not yet announced
	// whose due date is before this day; zero means no such condition.
	AlertBefore time.Time
}

// PlacementStore keeps placements. Writes carry their events into the
// placement's own outbox in the same write.
type PlacementStore interface {
	// Create stores a new placement unless one exists for its match; it
	// reports whether it stored it.
	Create(ctx context.Context, p *domain.Placement, evs []events.Envelope) (bool, error)
	Get(ctx context.Context, id string) (*domain.Placement, error)
	// Update loads the placement, applies change and stores the result
	// only if nobody changed it meanwhile (retrying otherwise).
	Update(ctx context.Context, id string, change Change) (*domain.Placement, error)
	Find(ctx context.Context, f Filter) ([]*domain.Placement, error)
}

// Program is the read-model entry of a program, from PROGRAMS events.
type Program struct {
	ID, HostID, Title, Kind, HostCountry, Region string
	Fields                                       []string
	StartDate, EndDate                           string
	// Stipend is what the program pays (nil: nothing), for the visa
	// pathway.
	Stipend *Stipend
}

// Stipend is a program's pay: Amount in Currency per Period.
type Stipend struct {
	Amount   int64
	Currency string
	Period   string
}

// Profile is the read-model entry of an applicant, from PROFILES events:
// where they come from, and what the visa pathway's points estimate reads
// (degree level, birth year, languages).
type Profile struct {
	ID, HomeCountry, Region string
	DegreeLevel             string
	BirthYear               int
	Languages               []taxonomy.Language
}

// ReadModels keep what other services' events say, versioned so that a
// repeated or older event changes nothing.
type ReadModels interface {
	// RecordProgram stores p unless a newer version is there; it reports
	// whether it stored it.
	RecordProgram(ctx context.Context, p Program, version int64) (bool, error)
	Program(ctx context.Context, id string) (*Program, error)
	RecordProfile(ctx context.Context, p Profile, version int64) (bool, error)
	Profile(ctx context.Context, id string) (*Profile, error)
	EraseProfile(ctx context.Context, id string) error
}
