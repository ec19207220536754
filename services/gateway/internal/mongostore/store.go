package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// Indexes the store needs; created at start-up. Only plain and unique
// indexes: FerretDB v1 has no partial or TTL indexes, so expired sessions
// and counters are deleted by Sweep.
var Indexes = []mongodb.Index{
	{Collection: UsersCollection, Keys: bson.D{{Key: "email", Value: 1}}, Unique: true},
	{Collection: UsersCollection, Keys: bson.D{{Key: "role", Value: 1}, {Key: "status", Value: 1}, {Key: "createdAt", Value: 1}}},
	{Collection: SessionsCollection, Keys: bson.D{{Key: "userId", Value: 1}}},
	{Collection: SessionsCollection, Keys: bson.D{{Key: "expiresAt", Value: 1}}},
	{Collection: TokensCollection, Keys: bson.D{{Key: "userId", Value: 1}}},
	{Collection: TokensCollection, Keys: bson.D{{Key: "expiresAt", Value: 1}}},
	{Collection: MarksCollection, Keys: bson.D{{Key: "userId", Value: 1}}},
	{Collection: MarksCollection, Keys: bson.D{{Key: "expiresAt", Value: 1}}},
	{Collection: AttemptsCollection, Keys: bson.D{{Key: "key", Value: 1}, {Key: "window", Value: 1}}},
	{Collection: AttemptsCollection, Keys: bson.D{{Key: "expiresAt", Value: 1}}},
	{Collection: LinksCollection, Keys: bson.D{{Key: "userId", Value: 1}}},
	{Collection: LinksCollection, Keys: bson.D{{Key: "expiresAt", Value: 1}}},
	{Collection: AuditCollection, Keys: bson.D{{Key: "target", Value: 1}, {Key: "at", Value: -1}}},
	{Collection: AuditCollection, Keys: bson.D{{Key: "at", Value: -1}}},
}

// Store is the identity database. It owns the outbox relay of the accounts
// collection and wakes it after each write that stored events.
type Store struct {
	users    *mongo.Collection
	sessions *mongo.Collection
	tokens   *mongo.Collection
	marks    *mongo.Collection
	attempts *mongo.Collection
	links    *mongo.Collection
	audit    *mongo.Collection
	relay    *outbox.Relay
}

var (
	_ app.UserStore      = (*Store)(nil)
	_ app.SessionStore   = (*Store)(nil)
	_ app.Limiter        = (*Store)(nil)
	_ app.LinkTokenStore = (*Store)(nil)
	_ app.AuditStore     = (*Store)(nil)
)

// New returns the store of db whose relay publishes as ob says.
func New(db *mongo.Database, ob outbox.Config) *Store {
	s := &Store{
		users:    db.Collection(UsersCollection),
		sessions: db.Collection(SessionsCollection),
		tokens:   db.Collection(TokensCollection),
		marks:    db.Collection(MarksCollection),
		attempts: db.Collection(AttemptsCollection),
		links:    db.Collection(LinksCollection),
		audit:    db.Collection(AuditCollection),
	}
	s.relay = outbox.NewRelay(ob, s.users)
	return s
}

// Relay is the store's outbox relay, for the service to run.
func (s *Store) Relay() *outbox.Relay { return s.relay }

// live matches accounts, not tombstones.
var live = bson.E{Key: "tombstone", Value: bson.D{{Key: "$ne", Value: true}}}

// Create implements app.UserStore.
func (s *Store) Create(ctx context.Context, u *domain.User, evs []events.Envelope) error {
	doc := toUserDoc(u)
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	doc.Outbox = ob
	if _, err := s.users.InsertOne(ctx, doc); err != nil {
		if mongodb.IsDuplicate(err) {
			return domain.ErrEmailTaken
		}
		return fmt.Errorf("insert user: %w", err)
	}
	if len(ob) > 0 {
		s.relay.Kick()
	}
	return nil
}

func (s *Store) findUser(ctx context.Context, filter bson.D) (*domain.User, error) {
	var d userDoc
	err := s.users.FindOne(ctx, append(filter, live)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrUserNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return d.user(), nil
}

// Get implements app.UserStore.
func (s *Store) Get(ctx context.Context, id string) (*domain.User, error) {
	return s.findUser(ctx, bson.D{{Key: "_id", Value: id}})
}

// GetByEmail implements app.UserStore.
func (s *Store) GetByEmail(ctx context.Context, email string) (*domain.User, error) {
	return s.findUser(ctx, bson.D{{Key: "email", Value: email}})
}

// Update implements app.UserStore with optimistic concurrency: the write
// only matches if the account is still the one read. (The filter is atomic
// on MongoDB and on the embedded FerretDB, whose writes shared/embedded
// serialises; FerretDB v1 on its own reads and rewrites a document to
// update it.)
func (s *Store) Update(ctx context.Context, id string, change func(*domain.User) ([]events.Envelope, error)) (*domain.User, error) {
	for range 3 {
		u, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		before, beforeHash, beforeStatus := u.Version, u.PasswordHash, string(u.Status)
		evs, err := change(u)
		if errors.Is(err, domain.ErrUnchanged) {
			return u, nil
		}
		if err != nil {
			return nil, err
		}
		d := toUserDoc(u)
		set := bson.D{
			{Key: "name", Value: d.Name}, {Key: "organization", Value: d.Organization},
			{Key: "role", Value: d.Role}, {Key: "status", Value: d.Status},
			{Key: "passwordHash", Value: d.PasswordHash}, {Key: "version", Value: d.Version},
			{Key: "updatedAt", Value: d.UpdatedAt}, {Key: "verifiedBy", Value: d.VerifiedBy},
			{Key: "emailVerifiedAt", Value: d.EmailVerifiedAt}, {Key: "disabledAt", Value: d.DisabledAt},
			{Key: "disabledBy", Value: d.DisabledBy}, {Key: "declinedAt", Value: d.DeclinedAt},
			{Key: "declinedBy", Value: d.DeclinedBy}, {Key: "declineReason", Value: d.DeclineReason},
		}
		if d.VerifiedAt != nil {
			set = append(set, bson.E{Key: "verifiedAt", Value: *d.VerifiedAt})
		}
		upd := bson.D{{Key: "$set", Value: set}}
		ob, err := s.relay.Encode(ctx, evs...)
		if err != nil {
			return nil, err
		}
		if len(ob) > 0 {
			upd = append(upd, outbox.Push(ob))
		}
		// The version moves with every published change, the hash with a
		// rehash: the write only lands on the account as it was read.
		// The status too: disabling and enabling change no version.
		filter := bson.D{{Key: "_id", Value: id}, {Key: "version", Value: before}, {Key: "passwordHash", Value: beforeHash},
			{Key: "status", Value: beforeStatus}, live}
		res, err := s.users.UpdateOne(ctx, filter, upd)
		if err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
		if res.MatchedCount == 1 {
			if len(ob) > 0 {
				s.relay.Kick()
			}
			return u, nil
		}
	}
	return nil, domain.ErrConflict
}

// Erase implements app.UserStore: the account is replaced, in one write,
// by a tombstone carrying the erasure event.
func (s *Store) Erase(ctx context.Context, id string, version int64, ev events.Envelope) error {
	ob, err := s.relay.Encode(ctx, ev)
	if err != nil {
		return err
	}
	tomb := tombstoneDoc{ID: id, Tombstone: true, Email: "erased:" + id, Version: ev.AggregateVersion, Outbox: ob}
	res, err := s.users.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: version}, live}, tomb)
	if err != nil {
		return fmt.Errorf("erase user: %w", err)
	}
	if res.MatchedCount == 0 {
		if _, err := s.Get(ctx, id); err != nil {
			return err
		}
		return domain.ErrConflict
	}
	s.relay.Kick()
	return nil
}

// Announce implements app.UserStore: evs are pushed onto the account's
// outbox, nothing else changes.
func (s *Store) Announce(ctx context.Context, id string, evs []events.Envelope) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil || len(ob) == 0 {
		return err
	}
	res, err := s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, live}, bson.D{outbox.Push(ob)})
	if err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	if res.MatchedCount == 1 {
		s.relay.Kick()
	}
	return nil
}

// List implements app.UserStore, oldest accounts first.
func (s *Store) List(ctx context.Context, f app.UserFilter) ([]*domain.User, int64, error) {
	filter := bson.D{live}
	if f.Role != "" {
		filter = append(filter, bson.E{Key: "role", Value: string(f.Role)})
	}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	}
	total, err := s.users.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).
		SetSkip(int64((f.Page - 1) * f.PageSize)).
		SetLimit(int64(f.PageSize)).
		SetProjection(bson.D{{Key: "outbox", Value: 0}})
	cur, err := s.users.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	var docs []userDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	out := make([]*domain.User, len(docs))
	for i, d := range docs {
		out[i] = d.user()
	}
	return out, total, nil
}

// CreateSession implements app.SessionStore.
func (s *Store) CreateSession(ctx context.Context, sess *domain.Session, first *domain.RefreshToken) error {
	d := sessionDoc{ID: sess.ID, UserID: sess.UserID, CreatedAt: sess.CreatedAt.UTC(), ExpiresAt: sess.ExpiresAt.UTC()}
	if _, err := s.sessions.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return s.AddToken(ctx, first)
}

// AddToken implements app.SessionStore.
func (s *Store) AddToken(ctx context.Context, t *domain.RefreshToken) error {
	d := tokenDoc{ID: t.Hash, SessionID: t.SessionID, UserID: t.UserID, IssuedAt: t.IssuedAt.UTC(),
		UsableUntil: t.UsableUntil.UTC(), ExpiresAt: t.SessionEnd.UTC()}
	if _, err := s.tokens.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("insert refresh token: %w", err)
	}
	return nil
}

// Token implements app.SessionStore.
func (s *Store) Token(ctx context.Context, hash string) (*domain.RefreshToken, error) {
	var d tokenDoc
	err := s.tokens.FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrSessionInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("find refresh token: %w", err)
	}
	return d.token(), nil
}

// Session implements app.SessionStore.
func (s *Store) Session(ctx context.Context, id string) (*domain.Session, error) {
	var d sessionDoc
	err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrSessionInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	n, err := s.marks.CountDocuments(ctx, bson.D{{Key: "_id", Value: "revoked:" + id}})
	if err != nil {
		return nil, fmt.Errorf("find session revocation: %w", err)
	}
	return &domain.Session{ID: d.ID, UserID: d.UserID, CreatedAt: d.CreatedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC(), Revoked: n > 0}, nil
}

// mark inserts a mark; it reports false when the mark exists already.
func (s *Store) mark(ctx context.Context, d markDoc) (bool, error) {
	_, err := s.marks.InsertOne(ctx, d)
	if mongodb.IsDuplicate(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("insert %s: %w", d.ID, err)
	}
	return true, nil
}

// MarkUsed implements app.SessionStore. The mark's _id is the token hash,
// so of concurrent uses exactly one insert succeeds.
func (s *Store) MarkUsed(ctx context.Context, t *domain.RefreshToken, now time.Time) (bool, error) {
	return s.mark(ctx, markDoc{ID: "used:" + t.Hash, SessionID: t.SessionID, UserID: t.UserID, At: now.UTC(), ExpiresAt: t.SessionEnd.UTC()})
}

// Revoke implements app.SessionStore.
func (s *Store) Revoke(ctx context.Context, sess *domain.Session, now time.Time) error {
	_, err := s.mark(ctx, markDoc{ID: "revoked:" + sess.ID, SessionID: sess.ID, UserID: sess.UserID, At: now.UTC(), ExpiresAt: sess.ExpiresAt.UTC()})
	return err
}

// DeleteUser implements app.SessionStore.
func (s *Store) DeleteUser(ctx context.Context, userID string) error {
	for _, c := range []*mongo.Collection{s.tokens, s.marks, s.sessions, s.links} {
		if _, err := c.DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}}); err != nil {
			return fmt.Errorf("delete %s of user: %w", c.Name(), err)
		}
	}
	return nil
}

// Hit implements app.Limiter. Each attempt is a document of its own and the
// count is taken after inserting it: the k-th attempt of a window always
// counts at least k, however many arrive at once, and without relying on
// atomic read-modify-write updates (which FerretDB v1 on its own lacks).
// Every replica of the gateway counts in the same collection, so the limit
// is shared.
func (s *Store) Hit(ctx context.Context, key string, start time.Time, window time.Duration) (int, error) {
	d := attemptDoc{ID: uuid.NewString(), Key: key, Window: start.Unix(), ExpiresAt: start.Add(2 * window).UTC()}
	if _, err := s.attempts.InsertOne(ctx, d); err != nil {
		return 0, fmt.Errorf("count attempt: %w", err)
	}
	n, err := s.attempts.CountDocuments(ctx, bson.D{{Key: "key", Value: key}, {Key: "window", Value: d.Window}})
	if err != nil {
		return 0, fmt.Errorf("count attempts: %w", err)
	}
	return int(n), nil
}

// Count implements app.Limiter.
func (s *Store) Count(ctx context.Context, key string, start time.Time) (int, error) {
	n, err := s.attempts.CountDocuments(ctx, bson.D{{Key: "key", Value: key}, {Key: "window", Value: start.Unix()}})
	if err != nil {
		return 0, fmt.Errorf("count attempts: %w", err)
	}
	return int(n), nil
}

// Forget implements app.Limiter. Any one attempt of the window will do:
// only their number matters.
func (s *Store) Forget(ctx context.Context, key string, start time.Time) error {
	if _, err := s.attempts.DeleteOne(ctx, bson.D{{Key: "key", Value: key}, {Key: "window", Value: start.Unix()}}); err != nil {
		return fmt.Errorf("forget attempt: %w", err)
	}
	return nil
}

// Sweep deletes sessions, tokens and marks whose session has ended, and
// attempts of past windows. There are no TTL indexes on FerretDB v1, so the
// service runs this periodically.
func (s *Store) Sweep(ctx context.Context, now time.Time) error {
	before := bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now.UTC()}}}}
	for _, c := range []*mongo.Collection{s.tokens, s.marks, s.sessions, s.attempts, s.links} {
		if _, err := c.DeleteMany(ctx, before); err != nil {
			return fmt.Errorf("sweep %s: %w", c.Name(), err)
		}
	}
	return nil
}
