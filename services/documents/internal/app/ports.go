// Package app holds the documents service's use cases: storing a file
// under the upload rules, deciding who may read it, referee requests and
// their one-time links, the read models of programs and applications, and
// export and erasure. It declares the ports it needs; mongostore
// implements them.
package app

import (
	"context"
	"io"
	"time"

	"github.com/talentbridge/platform/services/documents/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// Files keeps file bytes (GridFS).
type Files interface {
	// Create opens a new file with this id; the caller writes the bytes
	// and then commits or aborts it (aborting removes every chunk).
	Create(ctx context.Context, id string) (FileWriter, error)
	// Open streams a stored file.
	Open(ctx context.Context, id string) (io.ReadCloser, error)
	// Remove deletes a file and its chunks; a missing file is no error.
	Remove(ctx context.Context, id string) error
}

// FileWriter receives the bytes of a file being stored.
type FileWriter interface {
	io.Writer
	Commit() error
	Abort() error
}

// DocumentStore keeps document metadata. Writes that carry events append
// them to the document's outbox in the same write.
type DocumentStore interface {
	Insert(ctx context.Context, d *domain.Document, evs []events.Envelope) error
	Get(ctx context.Context, id string) (*domain.Document, error)
	ForOwner(ctx context.Context, ownerID string) ([]*domain.Document, error)
	Count(ctx context.Context, ownerID string) (int, error)
	// Delete replaces the document by a tombstone carrying evs.
	Delete(ctx context.Context, id string, evs []events.Envelope) error
	// Remove deletes a document outright, without events (a failed
	// upload's rollback).
	Remove(ctx context.Context, id string) error
	// EraseOwner deletes every document of the owner, tombstones
	// included, and returns the ids of their files.
	EraseOwner(ctx context.Context, ownerID string) ([]string, error)
	// MarkErased records, by id alone, that a person was erased; Erased
	// tells whether they were. An upload checks it after its write, so
	// one that raced with the erasure is taken back.
	MarkErased(ctx context.Context, personID string, at time.Time) error
	Erased(ctx context.Context, personID string) (bool, error)
}

// ReferenceStore keeps referee requests.
type ReferenceStore interface {
	InsertReference(ctx context.Context, r *domain.Reference, evs []events.Envelope) error
	ReferenceByToken(ctx context.Context, tokenHash string) (*domain.Reference, error)
	ReferencesOf(ctx context.Context, applicantID string) ([]*domain.Reference, error)
	// MarkReceived records the letter unless the reference was already
	// used (domain.ErrLinkUsed).
	MarkReceived(ctx context.Context, id, documentID string, at time.Time, evs []events.Envelope) error
	EraseReferences(ctx context.Context, applicantID string) error
}

// Program is the read-model entry of a program: who hosts it.
type Program struct {
	ID, HostID string
}

// Application is the read-model entry of an application: its program and
// the documents attached to it.
type Application struct {
	ID, ApplicantID, ProgramID string
	DocumentIDs                []string
	Withdrawn                  bool
}

// ReadModels keep what other services' events say, versioned so that a
// repeated or older event changes nothing.
type ReadModels interface {
	RecordProgram(ctx context.Context, p Program, version int64) error
	RecordApplication(ctx context.Context, a Application, version int64) error
	// ApplicationsListing returns the live applications of applicantID
	// whose documents include documentID.
	ApplicationsListing(ctx context.Context, applicantID, documentID string) ([]Application, error)
	Programs(ctx context.Context, ids []string) ([]Program, error)
	EraseApplicant(ctx context.Context, applicantID string) error
}
