// Package mongostore keeps programs, host accounts and imports in the
// service's MongoDB database.
//
// # One writer per revision
//
// A program and the events its change causes are stored in one
// single-document write, conditional on the revision that was read: of two
// replicas closing the same program, only one write matches, and only its
// outbox carries program.closed. The loser reads again and decides again.
// (The embedded FerretDB is made to apply such updates atomically by
// shared/embedded, as MongoDB does.)
//
// Facts about host accounts are insert-only documents, and an import is
// saved whole in one document before its programs are inserted.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// Collections.
const (
	ProgramsCollection = "programs"
	HostsCollection    = "hosts"
	ImportsCollection  = "imports"
	SearchesCollection = "searches"
	// ApplicantsCollection is the read model of applicants' eligibility
	// facts (the eligible=true search filter).
	ApplicantsCollection = "applicants"
)

// maxAttempts bounds the retries of an update that keeps losing races.
const maxAttempts = 40

// Store is the MongoDB adapter. It owns the outbox relay of the programs
// collection and wakes it after each write that stored events.
type Store struct {
	programs   *mongo.Collection
	hosts      *mongo.Collection
	imports    *mongo.Collection
	searches   *mongo.Collection
	applicants *mongo.Collection
	relay      *outbox.Relay
}

var (
	_ app.ProgramStore = (*Store)(nil)
	_ app.HostStore    = (*Store)(nil)
	_ app.SearchStore  = (*Store)(nil)
)

// New returns a store on db whose relay publishes as ob says.
func New(db *mongo.Database, ob outbox.Config) *Store {
	s := &Store{
		programs:   db.Collection(ProgramsCollection),
		hosts:      db.Collection(HostsCollection),
		imports:    db.Collection(ImportsCollection),
		searches:   db.Collection(SearchesCollection),
		applicants: db.Collection(ApplicantsCollection),
	}
	// Saved searches carry their search.matched events in their own
	// outbox, relayed with the programs'.
	s.relay = outbox.NewRelay(ob, s.programs, s.searches)
	return s
}

// Relay is the store's outbox relay, for the service to run.
func (s *Store) Relay() *outbox.Relay { return s.relay }

// Indexes are the indexes the store relies on.
func Indexes() []mongodb.Index {
	return []mongodb.Index{
		{Collection: ProgramsCollection, Keys: bson.D{{Key: "updatedAt", Value: 1}}},
		{Collection: ProgramsCollection, Keys: bson.D{{Key: "hostId", Value: 1}, {Key: "createdAt", Value: 1}}},
		{Collection: ImportsCollection, Keys: bson.D{{Key: "state", Value: 1}, {Key: "createdAt", Value: 1}}},
		{Collection: ImportsCollection, Keys: bson.D{{Key: "hostId", Value: 1}}},
		{Collection: HostsCollection, Keys: bson.D{{Key: "host", Value: 1}}},
		{Collection: SearchesCollection, Keys: bson.D{{Key: "ownerId", Value: 1}, {Key: "createdAt", Value: -1}}},
		{Collection: SearchesCollection, Keys: bson.D{{Key: "alert", Value: 1}}},
	}
}

// withoutOutbox leaves the pending events out of reads.
var withoutOutbox = bson.D{{Key: outbox.Field, Value: 0}}

// Insert implements app.ProgramStore.
func (s *Store) Insert(ctx context.Context, p *domain.Program, evs []events.Envelope) error {
	d := toDoc(p)
	d.Rev = 1
	if len(evs) > 0 {
		ob, err := s.relay.Encode(ctx, evs...)
		if err != nil {
			return err
		}
		d.Outbox = ob
	}
	if _, err := s.programs.InsertOne(ctx, d); err != nil {
		return mongodb.Translate(err)
	}
	if len(evs) > 0 {
		s.relay.Kick()
	}
	return nil
}

func (s *Store) get(ctx context.Context, id string, withOutbox bool) (programDoc, error) {
	opts := options.FindOne()
	if !withOutbox {
		opts.SetProjection(withoutOutbox)
	}
	var d programDoc
	err := s.programs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, opts).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return d, domain.ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("get program: %w", err)
	}
	return d, nil
}

// Get implements app.ProgramStore.
func (s *Store) Get(ctx context.Context, id string) (*domain.Program, error) {
	d, err := s.get(ctx, id, false)
	if err != nil {
		return nil, err
	}
	return fromDoc(d), nil
}

// Update implements app.ProgramStore: read, decide, write conditionally on
// the revision read; a writer that loses the race reads again.
func (s *Store) Update(ctx context.Context, id string, fn func(p *domain.Program) ([]events.Envelope, error)) (*domain.Program, error) {
	for attempt := range maxAttempts {
		d, err := s.get(ctx, id, false)
		if err != nil {
			return nil, err
		}
		p := fromDoc(d)
		evs, err := fn(p)
		if errors.Is(err, app.ErrUnchanged) {
			return p, nil
		}
		if err != nil {
			return nil, err
		}
		set, err := setOf(toDoc(p))
		if err != nil {
			return nil, err
		}
		upd := bson.D{{Key: "$set", Value: set}}
		if len(evs) > 0 {
			ob, err := s.relay.Encode(ctx, evs...)
			if err != nil {
				return nil, err
			}
			upd = append(upd, outbox.Push(ob))
		}
		ok, err := s.write(ctx, id, d.Rev, upd)
		if err != nil {
			return nil, err
		}
		if ok {
			if len(evs) > 0 {
				s.relay.Kick()
			}
			return p, nil
		}
		if err := backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
	return nil, app.ErrConflict
}

// write stores revision rev+1 of a program with upd if the document is
// still at rev. It reports whether it wrote.
func (s *Store) write(ctx context.Context, id string, rev int64, upd bson.D) (bool, error) {
	upd = withRev(upd, rev+1)
	res, err := s.programs.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "rev", Value: rev}}, upd)
	if err != nil {
		return false, fmt.Errorf("update program: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// withRev adds rev to the $set of an update.
func withRev(upd bson.D, rev int64) bson.D {
	out := make(bson.D, 0, len(upd)+1)
	found := false
	for _, op := range upd {
		if op.Key == "$set" {
			set, _ := op.Value.(bson.D)
			op.Value = append(append(bson.D{}, set...), bson.E{Key: "rev", Value: rev})
			found = true
		}
		out = append(out, op)
	}
	if !found {
		out = append(out, bson.E{Key: "$set", Value: bson.D{{Key: "rev", Value: rev}}})
	}
	return out
}

// backoff waits a little longer after each lost race.
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(min(attempt+1, 10)) * 5 * time.Millisecond
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// setOf turns a document into the fields of a $set: everything but the id,
// the revision and the outbox, which only grows through $push.
func setOf(d programDoc) (bson.D, error) {
	raw, err := bson.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encode program: %w", err)
	}
	var all bson.D
	if err := bson.Unmarshal(raw, &all); err != nil {
		return nil, fmt.Errorf("encode program: %w", err)
	}
	out := all[:0]
	for _, e := range all {
		if e.Key != "_id" && e.Key != "rev" && e.Key != outbox.Field {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *Store) find(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]*domain.Program, error) {
	cur, err := s.programs.Find(ctx, filter, opts.SetProjection(withoutOutbox))
	if err != nil {
		return nil, fmt.Errorf("find programs: %w", err)
	}
	var docs []programDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read programs: %w", err)
	}
	out := make([]*domain.Program, len(docs))
	for i, d := range docs {
		out[i] = fromDoc(d)
	}
	return out, nil
}

// ListByHost implements app.ProgramStore.
func (s *Store) ListByHost(ctx context.Context, hostID string) ([]*domain.Program, error) {
	return s.find(ctx, bson.D{{Key: "hostId", Value: hostID}},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
}

// ChangedSince implements app.ProgramStore.
func (s *Store) ChangedSince(ctx context.Context, since time.Time) ([]*domain.Program, error) {
	filter := bson.D{}
	if !since.IsZero() {
		filter = bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: since}}}}
	}
	return s.find(ctx, filter, options.Find())
}

// ids returns the ids of the documents of c that match filter.
func (s *Store) ids(ctx context.Context, c *mongo.Collection, filter bson.D) ([]string, error) {
	cur, err := c.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.Name(), err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}

// SaveImport implements app.ProgramStore.
func (s *Store) SaveImport(ctx context.Context, imp app.Import) error {
	d := importDoc{ID: imp.ID, HostID: imp.HostID, CreatedAt: imp.CreatedAt, State: importPending}
	for _, pd := range imp.Programs {
		doc := toDoc(pd.Program)
		doc.Rev = 1
		if len(pd.Events) > 0 {
			// Awaited from now on; FinishImport's kick finds them in
			// the programs collection.
			ob, err := s.relay.Encode(ctx, pd.Events...)
			if err != nil {
				return err
			}
			doc.Outbox = ob
		}
		d.Programs = append(d.Programs, doc)
		d.ProgramIDs = append(d.ProgramIDs, pd.Program.ID)
	}
	_, err := s.imports.InsertOne(ctx, d)
	return mongodb.Translate(err)
}

// FinishImport implements app.ProgramStore. Programs already stored (by an
// earlier, interrupted run) are skipped by their unique id; their events
// were stored with them. Marking the import finished twice is harmless.
func (s *Store) FinishImport(ctx context.Context, id string) ([]*domain.Program, error) {
	var d importDoc
	err := s.imports.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read import: %w", err)
	}
	if d.State == importDone {
		return nil, nil
	}
	progs := make([]*domain.Program, 0, len(d.Programs))
	// Some programs may land even when a later one fails.
	defer s.relay.Kick()
	for _, pd := range d.Programs {
		if _, err := s.programs.InsertOne(ctx, pd); err != nil && !mongo.IsDuplicateKeyError(err) {
			return nil, fmt.Errorf("store imported program: %w", err)
		}
		progs = append(progs, fromDoc(pd))
	}
	_, err = s.imports.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{
		{Key: "$set", Value: bson.D{{Key: "state", Value: importDone}}},
		{Key: "$unset", Value: bson.D{{Key: "programs", Value: ""}}},
	})
	if err != nil {
		return nil, fmt.Errorf("finish import: %w", err)
	}
	return progs, nil
}

// PendingImports implements app.ProgramStore.
func (s *Store) PendingImports(ctx context.Context, before time.Time) ([]string, error) {
	return s.ids(ctx, s.imports, bson.D{
		{Key: "state", Value: importPending},
		{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: before}}},
	})
}

// DeleteImports implements app.ProgramStore.
func (s *Store) DeleteImports(ctx context.Context, hostID string) error {
	_, err := s.imports.DeleteMany(ctx, bson.D{{Key: "hostId", Value: hostID}})
	if err != nil {
		return fmt.Errorf("delete imports: %w", err)
	}
	return nil
}

// HostCreated implements app.HostStore: every host account is known to
// exist (it may keep drafts); one created already active is verified too.
func (s *Store) HostCreated(ctx context.Context, id string, verified bool) error {
	if err := s.addFact(ctx, id, factSignedUp); err != nil || !verified {
		return err
	}
	return s.addFact(ctx, id, factVerified)
}

// HostVerified implements app.HostStore.
func (s *Store) HostVerified(ctx context.Context, id string) error {
	return s.addFact(ctx, id, factVerified)
}

// HostDeleted implements app.HostStore.
func (s *Store) HostDeleted(ctx context.Context, id string) error {
	return s.addFact(ctx, id, factDeleted)
}

func (s *Store) addFact(ctx context.Context, id, fact string) error {
	_, err := s.hosts.InsertOne(ctx, hostFact{ID: id + "#" + fact, Host: id, Fact: fact, At: time.Now().UTC()})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("record host %s: %w", fact, err)
	}
	return nil
}

// Host implements app.HostStore.
func (s *Store) Host(ctx context.Context, id string) (domain.Host, error) {
	facts, err := s.ids(ctx, s.hosts, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{
		id + "#" + factVerified, id + "#" + factDeleted, id + "#" + factSignedUp,
	}}}}})
	if err != nil {
		return domain.Host{}, fmt.Errorf("get host: %w", err)
	}
	h := domain.Host{ID: id}
	for _, f := range facts {
		switch f {
		case id + "#" + factVerified:
			h.Verified = true
		case id + "#" + factDeleted:
			h.Deleted = true
		case id + "#" + factSignedUp:
			h.SignedUp = true
		}
	}
	return h, nil
}
