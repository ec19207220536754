// Package mongostore is the MongoDB adapter of the documents service:
// document metadata, referee requests, the read models of programs and
// applications, and the files' bytes in GridFS (files.go). It writes only
// what FerretDB v1 and a standalone mongod both support.
package mongostore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/documents/internal/app"
	"github.com/talentbridge/platform/services/documents/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// Collection names.
const (
	DocumentsCollection    = "documents"
	ReferencesCollection   = "references"
	ProgramsCollection     = "programs"
	ApplicationsCollection = "applications"
	// ErasedCollection marks erased people by a hash of their id (so
	// that not even the id stays behind) with the time.
	ErasedCollection = "erased"
)

// Store keeps the service's collections and owns the outbox relay of the
// documents and references collections.
type Store struct {
	docs   *mongo.Collection
	refs   *mongo.Collection
	progs  *mongo.Collection
	apps   *mongo.Collection
	erased *mongo.Collection
	relay  *outbox.Relay
}

var (
	_ app.DocumentStore  = (*Store)(nil)
	_ app.ReferenceStore = (*Store)(nil)
	_ app.ReadModels     = (*Store)(nil)
)

// New returns a store over db whose relay publishes as ob says.
func New(db *mongo.Database, ob outbox.Config) *Store {
	s := &Store{
		docs:   db.Collection(DocumentsCollection),
		refs:   db.Collection(ReferencesCollection),
		progs:  db.Collection(ProgramsCollection),
		apps:   db.Collection(ApplicationsCollection),
		erased: db.Collection(ErasedCollection),
	}
	s.relay = outbox.NewRelay(ob, s.docs, s.refs)
	return s
}

// Relay is the store's outbox relay, for the service to run.
func (s *Store) Relay() *outbox.Relay { return s.relay }

// Indexes are the indexes the store needs. GridFS's own are created by
// the driver on the first upload.
var Indexes = []mongodb.Index{
	{Collection: DocumentsCollection, Keys: bson.D{{Key: "ownerId", Value: 1}, {Key: "uploadedAt", Value: -1}}},
	{Collection: ReferencesCollection, Keys: bson.D{{Key: "tokenHash", Value: 1}}, Unique: true},
	{Collection: ReferencesCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: ApplicationsCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
}

// EnsureIndexes creates the indexes.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	return mongodb.EnsureIndexes(ctx, s.docs.Database(), Indexes)
}

var live = bson.E{Key: outbox.TombstoneField, Value: bson.D{{Key: "$ne", Value: true}}}

type documentDoc struct {
	ID          string         `bson:"_id"`
	OwnerID     string         `bson:"ownerId"`
	Kind        string         `bson:"kind"`
	Title       string         `bson:"title"`
	ContentType string         `bson:"contentType"`
	Size        int64          `bson:"size"`
	SHA256      string         `bson:"sha256"`
	UploadedAt  time.Time      `bson:"uploadedAt"`
	FileID      string         `bson:"fileId"`
	ReferenceID string         `bson:"referenceId,omitempty"`
	Waived      bool           `bson:"waived,omitempty"`
	Outbox      []outbox.Event `bson:"outbox,omitempty"`
}

func (d documentDoc) document() *domain.Document {
	return &domain.Document{ID: d.ID, OwnerID: d.OwnerID, Kind: d.Kind, Title: d.Title, ContentType: d.ContentType,
		Size: d.Size, SHA256: d.SHA256, UploadedAt: d.UploadedAt.UTC(), ReferenceID: d.ReferenceID, Waived: d.Waived}
}

// tombstoneDoc stands for a deleted document until document.deleted is
// out. It keeps the owner's id so that an erasure finds it too.
type tombstoneDoc struct {
	ID        string         `bson:"_id"`
	OwnerID   string         `bson:"ownerId"`
	Tombstone bool           `bson:"tombstone"`
	Outbox    []outbox.Event `bson:"outbox"`
}

// Insert implements app.DocumentStore.
func (s *Store) Insert(ctx context.Context, d *domain.Document, evs []events.Envelope) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	_, err = s.docs.InsertOne(ctx, documentDoc{ID: d.ID, OwnerID: d.OwnerID, Kind: d.Kind, Title: d.Title,
		ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256, UploadedAt: d.UploadedAt, FileID: d.ID,
		ReferenceID: d.ReferenceID, Waived: d.Waived, Outbox: ob})
	if err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	s.relay.Kick()
	return nil
}

var noOutbox = bson.D{{Key: outbox.Field, Value: 0}}

// Get implements app.DocumentStore.
func (s *Store) Get(ctx context.Context, id string) (*domain.Document, error) {
	var d documentDoc
	err := s.docs.FindOne(ctx, bson.D{{Key: "_id", Value: id}, live}, options.FindOne().SetProjection(noOutbox)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load document: %w", err)
	}
	return d.document(), nil
}

// ForOwner implements app.DocumentStore.
func (s *Store) ForOwner(ctx context.Context, ownerID string) ([]*domain.Document, error) {
	return findNewestFirst(ctx, s.docs, bson.D{{Key: "ownerId", Value: ownerID}, live}, "uploadedAt", "documents", documentDoc.document)
}

// findNewestFirst finds what filter picks in c, newest by field first,
// without the outbox, and maps each stored form with conv.
func findNewestFirst[D, T any](ctx context.Context, c *mongo.Collection, filter bson.D, field, what string, conv func(D) T) ([]T, error) {
	cur, err := c.Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: field, Value: -1}, {Key: "_id", Value: -1}}).SetProjection(noOutbox))
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", what, err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	out := make([]T, len(docs))
	for i, d := range docs {
		out[i] = conv(d)
	}
	return out, nil
}

// Count implements app.DocumentStore; letters count too.
func (s *Store) Count(ctx context.Context, ownerID string) (int, error) {
	n, err := s.docs.CountDocuments(ctx, bson.D{{Key: "ownerId", Value: ownerID}, live})
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	return int(n), nil
}

// Delete implements app.DocumentStore.
func (s *Store) Delete(ctx context.Context, id string, evs []events.Envelope) error {
	d, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	return s.writeWithEvents(ctx, evs, "delete document", domain.ErrNotFound, func(ob []outbox.Event) (*mongo.UpdateResult, error) {
		return s.docs.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, live},
			tombstoneDoc{ID: id, OwnerID: d.OwnerID, Tombstone: true, Outbox: ob})
	})
}

// writeWithEvents makes one conditional write that carries evs in the
// document's outbox: write gets them encoded; when it matches nothing the
// answer is missing; otherwise the relay is woken.
func (s *Store) writeWithEvents(ctx context.Context, evs []events.Envelope, what string, missing error,
	write func([]outbox.Event) (*mongo.UpdateResult, error)) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	res, err := write(ob)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if res.MatchedCount == 0 {
		return missing
	}
	s.relay.Kick()
	return nil
}

// Remove implements app.DocumentStore.
func (s *Store) Remove(ctx context.Context, id string) error {
	if _, err := s.docs.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("remove document: %w", err)
	}
	return nil
}

// EraseOwner implements app.DocumentStore.
func (s *Store) EraseOwner(ctx context.Context, ownerID string) ([]string, error) {
	filter := bson.D{{Key: "ownerId", Value: ownerID}}
	cur, err := s.docs.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find documents: %w", err)
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	if _, err := s.docs.DeleteMany(ctx, filter); err != nil {
		return nil, fmt.Errorf("delete documents: %w", err)
	}
	out := make([]string, len(ids))
	for i, d := range ids {
		out[i] = d.ID
	}
	return out, nil
}

// MarkErased implements app.DocumentStore; marking twice keeps the first
// time.
func (s *Store) MarkErased(ctx context.Context, personID string, at time.Time) error {
	_, err := s.erased.UpdateOne(ctx, bson.D{{Key: "_id", Value: erasedKey(personID)}},
		bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "at", Value: at}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mark erased: %w", err)
	}
	return nil
}

// Erased implements app.DocumentStore.
func (s *Store) Erased(ctx context.Context, personID string) (bool, error) {
	n, err := s.erased.CountDocuments(ctx, bson.D{{Key: "_id", Value: erasedKey(personID)}}, options.Count().SetLimit(1))
	if err != nil {
		return false, fmt.Errorf("look up erasure: %w", err)
	}
	return n > 0, nil
}

// erasedKey is how an erased person is marked: the SHA-256 of their id.
func erasedKey(personID string) string {
	sum := sha256.Sum256([]byte("erased:" + personID))
	return hex.EncodeToString(sum[:])
}

type referenceDoc struct {
	ID           string         `bson:"_id"`
	ApplicantID  string         `bson:"applicantId"`
	RefereeName  string         `bson:"refereeName"`
	RefereeEmail string         `bson:"refereeEmail"`
	Relation     string         `bson:"relation"`
	Waived       bool           `bson:"waived"`
	Language     string         `bson:"language"`
	TokenHash    string         `bson:"tokenHash"`
	RequestedAt  time.Time      `bson:"requestedAt"`
	ExpiresAt    time.Time      `bson:"expiresAt"`
	ReceivedAt   *time.Time     `bson:"receivedAt,omitempty"`
	DocumentID   string         `bson:"documentId,omitempty"`
	Outbox       []outbox.Event `bson:"outbox,omitempty"`
}

func (d referenceDoc) reference() *domain.Reference {
	r := &domain.Reference{ID: d.ID, ApplicantID: d.ApplicantID, RefereeName: d.RefereeName, RefereeEmail: d.RefereeEmail,
		Relation: d.Relation, Waived: d.Waived, Language: d.Language, TokenHash: d.TokenHash,
		RequestedAt: d.RequestedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC(), DocumentID: d.DocumentID}
	if d.ReceivedAt != nil {
		r.ReceivedAt = d.ReceivedAt.UTC()
	}
	return r
}

// InsertReference implements app.ReferenceStore.
func (s *Store) InsertReference(ctx context.Context, r *domain.Reference, evs []events.Envelope) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	_, err = s.refs.InsertOne(ctx, referenceDoc{ID: r.ID, ApplicantID: r.ApplicantID, RefereeName: r.RefereeName,
		RefereeEmail: r.RefereeEmail, Relation: r.Relation, Waived: r.Waived, Language: r.Language,
		TokenHash: r.TokenHash, RequestedAt: r.RequestedAt, ExpiresAt: r.ExpiresAt, Outbox: ob})
	if err != nil {
		return fmt.Errorf("insert reference: %w", err)
	}
	s.relay.Kick()
	return nil
}

// ReferenceByToken implements app.ReferenceStore.
func (s *Store) ReferenceByToken(ctx context.Context, tokenHash string) (*domain.Reference, error) {
	var d referenceDoc
	err := s.refs.FindOne(ctx, bson.D{{Key: "tokenHash", Value: tokenHash}}, options.FindOne().SetProjection(noOutbox)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load reference: %w", err)
	}
	return d.reference(), nil
}

// ReferencesOf implements app.ReferenceStore.
func (s *Store) ReferencesOf(ctx context.Context, applicantID string) ([]*domain.Reference, error) {
	return findNewestFirst(ctx, s.refs, bson.D{{Key: "applicantId", Value: applicantID}}, "requestedAt", "references", referenceDoc.reference)
}

// MarkReceived implements app.ReferenceStore: one conditional update, so
// of two uploads racing on one link only one lands.
func (s *Store) MarkReceived(ctx context.Context, id, documentID string, at time.Time, evs []events.Envelope) error {
	return s.writeWithEvents(ctx, evs, "mark reference received", domain.ErrLinkUsed, func(ob []outbox.Event) (*mongo.UpdateResult, error) {
		return s.refs.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "receivedAt", Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "receivedAt", Value: at}, {Key: "documentId", Value: documentID}}}, outbox.Push(ob)})
	})
}

// EraseReferences implements app.ReferenceStore.
func (s *Store) EraseReferences(ctx context.Context, applicantID string) error {
	if _, err := s.refs.DeleteMany(ctx, bson.D{{Key: "applicantId", Value: applicantID}}); err != nil {
		return fmt.Errorf("delete references: %w", err)
	}
	return nil
}
