package app

import (
	"context"
	"errors"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// ErrUnchanged is returned by an update function to say that nothing
// changed: the store then writes nothing and returns the program as it is.
var ErrUnchanged = errors.New("unchanged")

// ErrConflict means an update lost every race for the program to other
// writers; the caller may try again.
var ErrConflict = errors.New("program changed concurrently too many times")

// ProgramStore keeps programs and the events their changes cause. Every
// write stores a program and its events in one single-document write.
type ProgramStore interface {
	// Insert stores a new program with its events.
	Insert(ctx context.Context, p *domain.Program, evs []events.Envelope) error
	// Get returns a program or domain.ErrNotFound.
	Get(ctx context.Context, id string) (*domain.Program, error)
	// Update reads the program, lets fn change it and say which events the
	// change causes, and stores both only if nobody changed the program
	// meanwhile; otherwise it reads again and calls fn again. fn returning
	// ErrUnchanged writes nothing; any other error is returned as is.
	Update(ctx context.Context, id string, fn func(p *domain.Program) ([]events.Envelope, error)) (*domain.Program, error)
	// ListByHost returns a host's programs, oldest first.
	ListByHost(ctx context.Context, hostID string) ([]*domain.Program, error)
	// ChangedSince returns the programs changed at or after since (all of
	// them for the zero time).
	ChangedSince(ctx context.Context, since time.Time) ([]*domain.Program, error)

	// SaveImport stores a whole import as one document: from then on it
	// happens completely, even if the process dies before FinishImport.
	SaveImport(ctx context.Context, imp Import) error
	// FinishImport stores the programs of a saved import (skipping any that
	// already are), marks it finished and returns its programs as saved.
	// Running it again is harmless and returns none.
	FinishImport(ctx context.Context, id string) ([]*domain.Program, error)
	// PendingImports returns the ids of imports saved before but not
	// finished.
	PendingImports(ctx context.Context, before time.Time) ([]string, error)
	// DeleteImports removes the import records of a host.
	DeleteImports(ctx context.Context, hostID string) error
}

// Import is a batch of new programs that are stored all together or not at
// all.
type Import struct {
	ID        string
	HostID    string
	CreatedAt time.Time
	Programs  []Pending
}

// Pending is one program of an import with the events it causes.
type Pending struct {
	Program *domain.Program
	Events  []events.Envelope
}

// HostStore keeps what identity events say about host accounts. Every
// method is idempotent and order-independent: a host once verified stays
// verified, once deleted stays deleted.
type HostStore interface {
	// HostCreated records a new host account (which may then keep
	// drafts); verified when it was created already active.
	HostCreated(ctx context.Context, id string, verified bool) error
	HostVerified(ctx context.Context, id string) error
	HostDeleted(ctx context.Context, id string) error
	// Host returns what is known; an unknown account is a Host with only
	// its id (not verified).
	Host(ctx context.Context, id string) (domain.Host, error)
}
