// Package mongostore is the MongoDB adapter of the profiles service. It
// writes only what FerretDB v1 and a standalone mongod both support: one
// document per write, no transactions, no text or partial indexes.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// Collection names.
const (
	ProfilesCollection     = "profiles"
	ApplicationsCollection = "applications"
	ImportsCollection      = "imports"
)

// updateAttempts bounds the optimistic-concurrency retries of one change.
const updateAttempts = 5

// Store keeps profiles, the applications read model and the import log in
// the service's database. It owns the outbox relay of the profiles
// collection and wakes it after each write that stored events.
type Store struct {
	profiles *mongo.Collection
	apps     *mongo.Collection
	imports  *mongo.Collection
	relay    *outbox.Relay
}

var (
	_ app.ProfileStore     = (*Store)(nil)
	_ app.ApplicationStore = (*Store)(nil)
	_ app.ImportLog        = (*Store)(nil)
)

// New returns a store over db whose relay publishes as ob says.
func New(db *mongo.Database, ob outbox.Config) *Store {
	s := &Store{
		profiles: db.Collection(ProfilesCollection),
		apps:     db.Collection(ApplicationsCollection),
		imports:  db.Collection(ImportsCollection),
	}
	s.relay = outbox.NewRelay(ob, s.profiles)
	return s
}

// Relay is the store's outbox relay, for the service to run.
func (s *Store) Relay() *outbox.Relay { return s.relay }

// Indexes are the indexes the store needs.
var Indexes = []mongodb.Index{
	{Collection: ProfilesCollection, Keys: bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}},
	{Collection: ApplicationsCollection, Keys: bson.D{{Key: "applicantId", Value: 1}, {Key: "hostId", Value: 1}}},
	{Collection: DraftsCollection, Keys: bson.D{{Key: "updatedAt", Value: 1}}},
}

// EnsureIndexes creates the indexes.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	return mongodb.EnsureIndexes(ctx, s.profiles.Database(), Indexes)
}

var live = bson.E{Key: outbox.TombstoneField, Value: bson.D{{Key: "$ne", Value: true}}}

// Insert stores a new profile with its events.
func (s *Store) Insert(ctx context.Context, p *domain.Profile, evs []events.Envelope) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	_, err = s.profiles.InsertOne(ctx, profileDoc{ID: p.ID, ProfileFields: fieldsOf(p), Outbox: ob})
	if mongo.IsDuplicateKeyError(err) {
		var t struct {
			Tombstone bool `bson:"tombstone"`
		}
		ferr := s.profiles.FindOne(ctx, bson.D{{Key: "_id", Value: p.ID}},
			options.FindOne().SetProjection(bson.D{{Key: "tombstone", Value: 1}})).Decode(&t)
		if ferr == nil && t.Tombstone {
			return domain.ErrErasureInProgress
		}
		return domain.ErrAlreadyExists
	}
	if err != nil {
		return fmt.Errorf("insert profile: %w", err)
	}
	s.relay.Kick()
	return nil
}

// Get returns a live profile.
func (s *Store) Get(ctx context.Context, id string) (*domain.Profile, error) {
	var d profileDoc
	err := s.profiles.FindOne(ctx, bson.D{{Key: "_id", Value: id}, live},
		options.FindOne().SetProjection(bson.D{{Key: outbox.Field, Value: 0}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrProfileNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load profile: %w", err)
	}
	return d.profile(), nil
}

// Update applies change and appends its events to the outbox in the same
// update. The write is conditional on the version read (optimistic
// concurrency), so a concurrent change makes it retry rather than be lost.
func (s *Store) Update(ctx context.Context, id string, change func(p *domain.Profile) ([]events.Envelope, error)) (*domain.Profile, error) {
	for range updateAttempts {
		p, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		read := p.Version
		evs, err := change(p)
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			return p, nil
		}
		ob, err := s.relay.Encode(ctx, evs...)
		if err != nil {
			return nil, err
		}
		res, err := s.profiles.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "version", Value: read}, live},
			bson.D{{Key: "$set", Value: fieldsOf(p)}, outbox.Push(ob)})
		if err != nil {
			return nil, fmt.Errorf("update profile: %w", err)
		}
		if res.MatchedCount == 1 {
			s.relay.Kick()
			return p, nil
		}
	}
	return nil, domain.ErrConflict
}

// Erase replaces the profile by a tombstone. Pending events of earlier
// changes are dropped with the rest of the document: they hold personal
// data, and profile.erased supersedes them for every consumer.
func (s *Store) Erase(ctx context.Context, id string, erase func(p *domain.Profile) (events.Envelope, error)) error {
	for range updateAttempts {
		p, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		ev, err := erase(p)
		if err != nil {
			return err
		}
		ob, err := s.relay.Encode(ctx, ev)
		if err != nil {
			return err
		}
		res, err := s.profiles.ReplaceOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "version", Value: p.Version}, live},
			tombstoneDoc{ID: id, Tombstone: true, Outbox: ob})
		if err != nil {
			return fmt.Errorf("erase profile: %w", err)
		}
		if res.MatchedCount == 1 {
			s.relay.Kick()
			return nil
		}
	}
	return domain.ErrConflict
}

// Search returns a page of live profiles ordered by creation time and id.
func (s *Store) Search(ctx context.Context, q app.Query) ([]*domain.Profile, int64, error) {
	filter := bson.D{live}
	for _, f := range []struct{ key, v string }{
		{"homeCountry", q.HomeCountry}, {"kind", q.Kind}, {"fields", q.Field}, {"degreeLevel", q.DegreeLevel},
	} {
		if f.v != "" {
			filter = append(filter, bson.E{Key: f.key, Value: f.v})
		}
	}
	if len(q.Terms) > 0 {
		and := bson.A{}
		for _, t := range q.Terms {
			and = append(and, bson.D{{Key: "search", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(t)}}}})
		}
		filter = append(filter, bson.E{Key: "$and", Value: and})
	}
	total, err := s.profiles.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count profiles: %w", err)
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).
		SetSkip(int64((q.Page - 1) * q.PageSize)).
		SetLimit(int64(q.PageSize)).
		SetProjection(bson.D{{Key: outbox.Field, Value: 0}})
	cur, err := s.profiles.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, fmt.Errorf("find profiles: %w", err)
	}
	var docs []profileDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, fmt.Errorf("read profiles: %w", err)
	}
	out := make([]*domain.Profile, len(docs))
	for i := range docs {
		out[i] = docs[i].profile()
	}
	return out, total, nil
}

// ImportBatches reports the import batch of each stored id.
func (s *Store) ImportBatches(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	cur, err := s.profiles.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		options.Find().SetProjection(bson.D{{Key: "importBatch", Value: 1}, {Key: "tombstone", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find profiles: %w", err)
	}
	var docs []struct {
		ID          string `bson:"_id"`
		ImportBatch string `bson:"importBatch"`
		Tombstone   bool   `bson:"tombstone"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}
	for _, d := range docs {
		if d.Tombstone {
			out[d.ID] = app.TombstoneBatch
		} else {
			out[d.ID] = d.ImportBatch
		}
	}
	return out, nil
}

// InsertImported inserts the profiles that are not stored yet.
func (s *Store) InsertImported(ctx context.Context, ps []*domain.Profile, evs [][]events.Envelope) (int, error) {
	if len(ps) == 0 {
		return 0, nil
	}
	docs := make([]any, len(ps))
	for i, p := range ps {
		ob, err := s.relay.Encode(ctx, evs[i]...)
		if err != nil {
			return 0, err
		}
		docs[i] = profileDoc{ID: p.ID, ProfileFields: fieldsOf(p), Outbox: ob}
	}
	_, err := s.profiles.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	// Some documents may have landed even when others failed.
	s.relay.Kick()
	if err == nil {
		return len(docs), nil
	}
	dup, ok := mongodb.BulkDuplicates(err)
	if !ok {
		return 0, fmt.Errorf("insert profiles: %w", err)
	}
	return len(docs) - len(dup), nil
}

// Begin records an import batch, or returns the stored record.
func (s *Store) Begin(ctx context.Context, b app.ImportBatch) (*app.ImportBatch, error) {
	_, err := s.imports.InsertOne(ctx, importDoc{ID: b.ID, By: b.By, Rows: b.Rows,
		Status: b.Status, StartedAt: b.StartedAt})
	if err == nil {
		return nil, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return nil, fmt.Errorf("record import: %w", err)
	}
	stored, err := s.Lookup(ctx, b.ID)
	if err == nil && stored == nil {
		err = fmt.Errorf("import %s vanished", b.ID)
	}
	return stored, err
}

// Lookup returns the record of an import batch, or nil.
func (s *Store) Lookup(ctx context.Context, id string) (*app.ImportBatch, error) {
	var d importDoc
	err := s.imports.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load import: %w", err)
	}
	return d.batch(), nil
}

// Complete marks an import batch complete.
func (s *Store) Complete(ctx context.Context, id string, at time.Time) error {
	_, err := s.imports.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: app.ImportComplete}, {Key: "completedAt", Value: at}}}})
	if err != nil {
		return fmt.Errorf("complete import: %w", err)
	}
	return nil
}

// Record applies an application event to the read model. A submission
// replaces only an older version; a withdrawal also replaces a submission
// of the same version, so that access is never kept by a tie.
func (s *Store) Record(ctx context.Context, a app.Application, version int64) error {
	op := "$lt"
	if a.Status == app.ApplicationWithdrawn {
		op = "$lte"
	}
	doc := applicationDoc{ID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, HostID: a.HostID,
		Status: a.Status, At: a.At, Version: version}
	// Most events are a new application's first: an insert, which the
	// embedded store answers from the _id index alone, where a filter on
	// _id and version costs it about twice as much. A national rank import
	// sends a million of them.
	_, err := s.apps.InsertOne(ctx, doc)
	if err == nil {
		return nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("record application %s: %w", a.ID, err)
	}
	return s.replaceOlder(ctx, doc, op)
}

// RecordSubmitted applies the submissions of one event (a rank import's
// applications of one applicant) at version 1: one unordered insert, and
// the versioned replace of Record for those already there.
func (s *Store) RecordSubmitted(ctx context.Context, as []app.Application) error {
	docs := make([]any, len(as))
	for i, a := range as {
		docs[i] = applicationDoc{ID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, HostID: a.HostID,
			Status: app.ApplicationSubmitted, At: a.At, Version: 1}
	}
	_, err := s.apps.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return nil
	}
	dup, ok := mongodb.BulkDuplicates(err)
	if !ok {
		return fmt.Errorf("record applications: %w", err)
	}
	for i := range dup {
		if err := s.replaceOlder(ctx, docs[i].(applicationDoc), "$lt"); err != nil {
			return err
		}
	}
	return nil
}

// replaceOlder writes doc over a stored entry whose version compares to
// doc's by op ($lt or $lte), and over none otherwise.
func (s *Store) replaceOlder(ctx context.Context, doc applicationDoc, op string) error {
	filter := bson.D{{Key: "_id", Value: doc.ID}, {Key: "version", Value: bson.D{{Key: op, Value: doc.Version}}}}
	_, err := s.apps.ReplaceOne(ctx, filter, doc, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return nil // a newer version is stored
	}
	if err != nil {
		return fmt.Errorf("record application %s: %w", doc.ID, err)
	}
	return nil
}

// HasApplied reports whether a submitted application of the applicant to
// one of the host's programs exists.
func (s *Store) HasApplied(ctx context.Context, applicantID, hostID string) (bool, error) {
	n, err := s.apps.CountDocuments(ctx, bson.D{
		{Key: "applicantId", Value: applicantID}, {Key: "hostId", Value: hostID}, {Key: "status", Value: app.ApplicationSubmitted},
	}, options.Count().SetLimit(1))
	if err != nil {
		return false, fmt.Errorf("count applications: %w", err)
	}
	return n > 0, nil
}

// ForApplicant lists the applicant's entries.
func (s *Store) ForApplicant(ctx context.Context, applicantID string) ([]app.Application, error) {
	cur, err := s.apps.Find(ctx, bson.D{{Key: "applicantId", Value: applicantID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find applications: %w", err)
	}
	var docs []applicationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read applications: %w", err)
	}
	out := make([]app.Application, len(docs))
	for i, d := range docs {
		out[i] = app.Application{ID: d.ID, ApplicantID: d.ApplicantID, ProgramID: d.ProgramID, HostID: d.HostID,
			Status: d.Status, At: d.At.UTC()}
	}
	return out, nil
}

// RemoveApplicant deletes every entry of the applicant.
func (s *Store) RemoveApplicant(ctx context.Context, applicantID string) error {
	if _, err := s.apps.DeleteMany(ctx, bson.D{{Key: "applicantId", Value: applicantID}}); err != nil {
		return fmt.Errorf("delete applications: %w", err)
	}
	return nil
}
