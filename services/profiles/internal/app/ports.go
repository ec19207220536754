package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// ProfileStore keeps profiles and, in the same single-document writes, the
// events their changes cause (the outbox).
type ProfileStore interface {
	// Insert stores a new profile with its events. It returns
	// domain.ErrAlreadyExists when the id is taken, or
	// domain.ErrErasureInProgress when it belongs to an erased profile
	// whose last event has not left yet.
	Insert(ctx context.Context, p *domain.Profile, evs []events.Envelope) error
	// Get returns a live profile or domain.ErrProfileNotFound.
	Get(ctx context.Context, id string) (*domain.Profile, error)
	// Update loads the profile, lets change modify it and return the events
	// the change causes, and writes both at once. When change returns no
	// events nothing is written. It retries when the profile changed in
	// between.
	Update(ctx context.Context, id string, change func(p *domain.Profile) ([]events.Envelope, error)) (*domain.Profile, error)
	// Erase replaces the profile by a tombstone holding only its id and the
	// event erase returns; the outbox relay publishes the event and deletes
	// the tombstone. It returns domain.ErrProfileNotFound when there is no
	// live profile.
	Erase(ctx context.Context, id string, erase func(p *domain.Profile) (events.Envelope, error)) error
	// Search returns one page of live profiles in a stable order and the
	// number of all matches.
	Search(ctx context.Context, q Query) ([]*domain.Profile, int64, error)
	// ImportBatches returns, for each id among ids that is stored, the
	// import batch it came from ("" for profiles that were not imported,
	// TombstoneBatch for one being erased).
	ImportBatches(ctx context.Context, ids []string) (map[string]string, error)
	// InsertImported stores imported profiles with their events. Profiles
	// already stored (by an interrupted run of the same batch) are left as
	// they are. It returns how many it inserted.
	InsertImported(ctx context.Context, ps []*domain.Profile, evs [][]events.Envelope) (int, error)
}

// TombstoneBatch is what ImportBatches reports for an id being erased.
const TombstoneBatch = "\x00tombstone"

// Query filters the coordinators' list of profiles. Empty fields do not
// filter.
type Query struct {
	HomeCountry string
	Kind        string
	Field       string
	DegreeLevel string
	// Terms must all occur (case-insensitively) in the name, the
	// institution or a skill.
	Terms    []string
	Page     int
	PageSize int
}

// Application is one entry of the read model of applications, built from
// the matching service's events: who applied to which host's program.
type Application struct {
	ID          string `json:"applicationId"`
	ApplicantID string `json:"applicantId"`
	ProgramID   string `json:"programId"`
	HostID      string `json:"hostId"`
	// Status is "submitted" or "withdrawn".
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

// Application statuses.
const (
	ApplicationSubmitted = "submitted"
	ApplicationWithdrawn = "withdrawn"
)

// ApplicationStore keeps the applications read model.
type ApplicationStore interface {
	// Record stores a as of the event version. A repeated or older event
	// changes nothing; a withdrawal wins over a submission of the same
	// version.
	Record(ctx context.Context, a Application, version int64) error
	// RecordSubmitted applies submissions at version 1 together, as
	// Record would one by one.
	RecordSubmitted(ctx context.Context, as []Application) error
	// HasApplied reports whether the applicant has a submitted (not
	// withdrawn) application to a program of the host.
	HasApplied(ctx context.Context, applicantID, hostID string) (bool, error)
	// ForApplicant lists the applicant's entries.
	ForApplicant(ctx context.Context, applicantID string) ([]Application, error)
	// RemoveApplicant deletes every entry of the applicant.
	RemoveApplicant(ctx context.Context, applicantID string) error
}

// ImportLog records import batches, so an interrupted import can be
// finished by sending the same file again, and a finished one is not
// repeated.
type ImportLog interface {
	// Lookup returns the record of batch id, or nil when there is none.
	Lookup(ctx context.Context, id string) (*ImportBatch, error)
	// Begin records that batch b is being imported and returns the stored
	// record when the batch is already known.
	Begin(ctx context.Context, b ImportBatch) (stored *ImportBatch, err error)
	// Complete marks the batch imported.
	Complete(ctx context.Context, id string, at time.Time) error
}

// ImportBatch is the record of one import: the file's hash, who imported
// it, counts and times. It names no person, so it outlives erasures.
type ImportBatch struct {
	ID          string
	By          string
	Rows        int
	Status      string
	StartedAt   time.Time
	CompletedAt time.Time
}

// Import batch statuses.
const (
	ImportInserting = "inserting"
	ImportComplete  = "complete"
)

// Collector asks the other services for their part of a data export.
type Collector interface {
	// Collect returns the parts that arrived, by service, and the services
	// that did not answer in time or answered with an error.
	Collect(ctx context.Context, userID string) (parts map[string]json.RawMessage, unavailable []string)
}
