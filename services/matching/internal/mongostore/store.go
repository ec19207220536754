// Package mongostore is the matching service's MongoDB adapter. It writes
// only what FerretDB v1 and a standalone mongod both support: one document
// per write, conditional updates for optimistic concurrency and leases, no
// transactions, no partial or TTL indexes, $pullAll rather than $pull with
// a condition.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// Collection names.
const (
	ProfilesCollection        = "profiles"
	ProgramsCollection        = "programs"
	ApplicationsCollection    = "applications"
	RankingsCollection        = "rankings"
	ProgramRankingsCollection = "program_rankings"
	RoundsCollection          = "rounds"
	MatchesCollection         = "matches"
	RoundApplicantsCollection = "round_applicants"
	// RoundParticipantsCollection names each round's participants
	// (roundParticipantsDoc).
	RoundParticipantsCollection = "round_participants"
	LeasesCollection            = "leases"
	LeaseHoldersCollection      = "lease_holders"
	RunsCollection              = "runs"
	AuditCollection             = "audit"
	SlotsCollection             = "interview_slots"
	SlotLocksCollection         = "interview_slot_locks"
	MessagesCollection          = "messages"
)

// Store is the adapter. It owns the outbox relay of the collections whose
// documents carry events and wakes it after each write that stored some.
type Store struct {
	db              *mongo.Database
	profiles        *mongo.Collection
	programs        *mongo.Collection
	apps            *mongo.Collection
	rankings        *mongo.Collection
	programRankings *mongo.Collection
	// programApplicants is the read model of programapplicants.go.
	programApplicants *mongo.Collection
	// applicantView is the view of applicantview.go.
	applicantView     *mongo.Collection
	rounds            *mongo.Collection
	matches           *mongo.Collection
	roundApplicants   *mongo.Collection
	roundParticipants *mongo.Collection
	leases            *mongo.Collection
	leaseHolders      *mongo.Collection
	runs              *mongo.Collection
	audit             *mongo.Collection
	slots             *mongo.Collection
	slotLocks         *mongo.Collection
	messages          *mongo.Collection
	now               func() time.Time
	relay             *outbox.Relay
}

var _ app.Store = (*Store)(nil)

// New returns a store over db; now stamps read-model writes, and the
// store's relay publishes as ob says.
func New(db *mongo.Database, now func() time.Time, ob outbox.Config) *Store {
	if now == nil {
		now = time.Now
	}
	s := &Store{
		db: db, now: now,
		profiles: db.Collection(ProfilesCollection), programs: db.Collection(ProgramsCollection),
		apps: db.Collection(ApplicationsCollection), rankings: db.Collection(RankingsCollection),
		programRankings: db.Collection(ProgramRankingsCollection), rounds: db.Collection(RoundsCollection),
		matches: db.Collection(MatchesCollection), roundApplicants: db.Collection(RoundApplicantsCollection),
		roundParticipants: db.Collection(RoundParticipantsCollection),
		leases:            db.Collection(LeasesCollection), leaseHolders: db.Collection(LeaseHoldersCollection), runs: db.Collection(RunsCollection),
		audit: db.Collection(AuditCollection), slots: db.Collection(SlotsCollection), messages: db.Collection(MessagesCollection),
		slotLocks: db.Collection(SlotLocksCollection), programApplicants: db.Collection(ProgramApplicantsCollection),
		applicantView: db.Collection(ApplicantApplicationsCollection),
	}
	// Rank lists carry the events of imported applications, one per
	// applicant and import (their _id is the applicant's).
	s.relay = outbox.NewRelay(ob, s.apps, s.matches, s.rounds, s.messages, s.rankings)
	return s
}

// Relay is the store's outbox relay, for the service to run.
func (s *Store) Relay() *outbox.Relay { return s.relay }

// Indexes are the indexes the store needs.
var Indexes = []mongodb.Index{
	{Collection: ApplicationsCollection, Keys: bson.D{{Key: "liveKey", Value: 1}}, Unique: true},
	{Collection: ApplicationsCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: ProfilesCollection, Keys: bson.D{{Key: "email", Value: 1}}},
	{Collection: ApplicationsCollection, Keys: bson.D{{Key: "programId", Value: 1}, {Key: "status", Value: 1}}},
	{Collection: RoundsCollection, Keys: bson.D{{Key: "createdAt", Value: -1}}},
	{Collection: MatchesCollection, Keys: bson.D{{Key: "roundId", Value: 1}}},
	{Collection: MatchesCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: MatchesCollection, Keys: bson.D{{Key: "status", Value: 1}, {Key: "createdAt", Value: 1}}},
	{Collection: MatchesCollection, Keys: bson.D{{Key: "status", Value: 1}, {Key: "respondBy", Value: 1}}},
	{Collection: RoundApplicantsCollection, Keys: bson.D{{Key: "roundId", Value: 1}}},
	{Collection: RoundApplicantsCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: MockMatchesCollection, Keys: bson.D{{Key: "roundId", Value: 1}}},
	{Collection: MockMatchesCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: RunsCollection, Keys: bson.D{{Key: "roundId", Value: 1}}},
	{Collection: AuditCollection, Keys: bson.D{{Key: "entityId", Value: 1}, {Key: "at", Value: -1}}},
	{Collection: AuditCollection, Keys: bson.D{{Key: "at", Value: -1}}},
	{Collection: SlotsCollection, Keys: bson.D{{Key: "programId", Value: 1}, {Key: "start", Value: 1}}},
	{Collection: SlotsCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: MessagesCollection, Keys: bson.D{{Key: "applicationId", Value: 1}, {Key: "sentAt", Value: 1}}},
	{Collection: MessagesCollection, Keys: bson.D{{Key: "recipientIds", Value: 1}}},
	{Collection: MessagesCollection, Keys: bson.D{{Key: "authorId", Value: 1}}},
	{Collection: MessagesCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
}

// EnsureIndexes creates the indexes.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	return mongodb.EnsureIndexes(ctx, s.db, Indexes)
}

func id(v string) bson.D { return bson.D{{Key: "_id", Value: v}} }

func in(ids []string) bson.D { return bson.D{{Key: "$in", Value: ids}} }

func notFound(err error, what string) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.NotFound(what)
	}
	return err
}

func all[T any](ctx context.Context, c *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", c.Name(), err)
	}
	defer closeCursor(ctx, cur)
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	return out, nil
}

// closeCursor closes cur even when ctx has ended (a request cancelled or
// timed out half-way through a long read): the server is told to drop the
// cursor, which otherwise keeps one of the embedded store's database
// connections until its own timeout, and enough of those stop the
// database. Closing a cursor already read to the end sends nothing.
func closeCursor(ctx context.Context, cur *mongo.Cursor) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = cur.Close(ctx)
}

// manyValues is the longest list of values a filter names with $in. The
// embedded store (FerretDB v1) checks an $in against every document it
// reads, value by value, so a national round's lists (thousands of
// programs, tens of thousands of applicants) would cost documents × values
// comparisons; longer lists are matched here, in a set, on the documents
// the rest of the filter selects.
const manyValues = 256

// findIn reads the documents of c that match filter and whose field
// (read by key) is among values, in the order opts gives.
func findIn[D any](ctx context.Context, c *mongo.Collection, filter bson.D, field string, values []string,
	key func(D) string, opts ...options.Lister[options.FindOptions]) ([]D, error) {
	if len(values) <= manyValues {
		return all[D](ctx, c, append(bson.D{{Key: field, Value: in(values)}}, filter...), opts...)
	}
	want := make(map[string]bool, len(values))
	for _, v := range values {
		want[v] = true
	}
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", c.Name(), err)
	}
	defer closeCursor(ctx, cur)
	var out []D
	for cur.Next(ctx) {
		var d D
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("read %s: %w", c.Name(), err)
		}
		if want[key(d)] {
			out = append(out, d)
		}
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	return out, nil
}

// everyByID reads every document of c into a map, each as value turns it;
// a document value rejects (ok false) is left out.
func everyByID[D, T any](ctx context.Context, c *mongo.Collection, value func(D) (string, T, bool)) (map[string]T, error) {
	docs, err := all[D](ctx, c, bson.D{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]T, len(docs))
	for _, d := range docs {
		if k, v, ok := value(d); ok {
			out[k] = v
		}
	}
	return out, nil
}

// byID reads the documents of c whose ids are among ids into a map, each
// as value turns it; a document value rejects (ok false) is left out. No
// ids is an empty map without a query.
func byID[D, T any](ctx context.Context, c *mongo.Collection, ids []string, value func(D) (string, T, bool)) (map[string]T, error) {
	out := map[string]T{}
	if len(ids) == 0 {
		return out, nil
	}
	docs, err := findIn(ctx, c, bson.D{}, "_id", ids, func(d D) string { k, _, _ := value(d); return k })
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if k, v, ok := value(d); ok {
			out[k] = v
		}
	}
	return out, nil
}

// --- erasure ---

// EraseApplicant deletes everything about an applicant but audit entries.
func (s *Store) EraseApplicant(ctx context.Context, applicantID string) error {
	who := bson.D{{Key: "applicantId", Value: applicantID}}
	if err := s.eraseReview(ctx, applicantID); err != nil {
		return err
	}
	if err := s.eraseMock(ctx, applicantID); err != nil {
		return err
	}
	if err := s.eraseProgramApplicant(ctx, applicantID); err != nil {
		return err
	}
	if err := s.eraseApplicantView(ctx, applicantID); err != nil {
		return err
	}
	if _, err := s.apps.DeleteMany(ctx, who); err != nil {
		return fmt.Errorf("erase applications: %w", err)
	}
	if _, err := s.rankings.DeleteOne(ctx, id(applicantID)); err != nil {
		return fmt.Errorf("erase rank list: %w", err)
	}
	if _, err := s.programRankings.UpdateMany(ctx, bson.D{{Key: "applicantIds", Value: applicantID}},
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "applicantIds", Value: bson.A{applicantID}}}}}); err != nil {
		return fmt.Errorf("erase from host rankings: %w", err)
	}
	if _, err := s.matches.DeleteMany(ctx, who); err != nil {
		return fmt.Errorf("erase matches: %w", err)
	}
	if _, err := s.roundApplicants.DeleteMany(ctx, who); err != nil {
		return fmt.Errorf("erase round participation: %w", err)
	}
	if _, err := s.roundParticipants.UpdateMany(ctx, bson.D{{Key: "ids", Value: applicantID}},
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "ids", Value: bson.A{applicantID}}}}}); err != nil {
		return fmt.Errorf("erase from round participants: %w", err)
	}
	return nil
}

// wrote reports whether a conditional update that stored events matched,
// and wakes the relay when it did.
func (s *Store) wrote(res *mongo.UpdateResult) bool {
	if res.MatchedCount != 1 {
		return false
	}
	s.relay.Kick()
	return true
}
