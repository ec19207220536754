// Package mongostore is the MongoDB adapter of the placements service:
// placements (each carrying its own outbox) and the read models of
// programs and profiles. It writes only what FerretDB v1 and a standalone
// mongod both support; lists are filtered by indexed fields and the rest
// is decided in Go.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/placements/internal/app"
	"github.com/talentbridge/platform/services/placements/internal/domain"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// Collection names.
const (
	PlacementsCollection = "placements"
	ProgramsCollection   = "programs"
	ProfilesCollection   = "profiles"
)

const updateAttempts = 5

// Store keeps the service's collections and owns the outbox relay of the
// placements collection.
type Store struct {
	placements *mongo.Collection
	progs      *mongo.Collection
	profiles   *mongo.Collection
	relay      *outbox.Relay
}

var (
	_ app.PlacementStore = (*Store)(nil)
	_ app.ReadModels     = (*Store)(nil)
)

// New returns a store over db whose relay publishes as ob says.
func New(db *mongo.Database, ob outbox.Config) *Store {
	s := &Store{
		placements: db.Collection(PlacementsCollection),
		progs:      db.Collection(ProgramsCollection),
		profiles:   db.Collection(ProfilesCollection),
	}
	s.relay = outbox.NewRelay(ob, s.placements)
	return s
}

// Relay is the store's outbox relay, for the service to run.
func (s *Store) Relay() *outbox.Relay { return s.relay }

// Indexes are the indexes the store needs. The unique one on matchId makes
// a placement per accepted offer, however often the offer is delivered.
var Indexes = []mongodb.Index{
	{Collection: PlacementsCollection, Keys: bson.D{{Key: "matchId", Value: 1}}, Unique: true},
	{Collection: PlacementsCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: PlacementsCollection, Keys: bson.D{{Key: "hostId", Value: 1}}},
	{Collection: PlacementsCollection, Keys: bson.D{{Key: "programId", Value: 1}}},
	{Collection: PlacementsCollection, Keys: bson.D{{Key: "nextAlert", Value: 1}}},
}

// EnsureIndexes creates the indexes.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	return mongodb.EnsureIndexes(ctx, s.placements.Database(), Indexes)
}

type taskDoc struct {
	ID      string            `bson:"id"`
	Party   string            `bson:"party"`
	Titles  map[string]string `bson:"titles"`
	Due     time.Time         `bson:"due"`
	Source  api.Source        `bson:"source"`
	DoneAt  *time.Time        `bson:"doneAt,omitempty"`
	DoneBy  string            `bson:"doneBy,omitempty"`
	Note    string            `bson:"note,omitempty"`
	Alerted bool              `bson:"alerted"`
}

type feedbackDoc struct {
	Party   string    `bson:"party"`
	Rating  int       `bson:"rating"`
	Comment string    `bson:"comment,omitempty"`
	At      time.Time `bson:"at"`
}

type auditDoc struct {
	Action  string    `bson:"action"`
	ActorID string    `bson:"actorId,omitempty"`
	Role    string    `bson:"role,omitempty"`
	Note    string    `bson:"note,omitempty"`
	At      time.Time `bson:"at"`
}

type placementDoc struct {
	ID               string        `bson:"_id"`
	MatchID          string        `bson:"matchId"`
	ApplicantID      string        `bson:"applicantId"`
	ProgramID        string        `bson:"programId"`
	HostID           string        `bson:"hostId"`
	Direction        string        `bson:"direction"`
	Kind             string        `bson:"kind"`
	Start            time.Time     `bson:"start"`
	End              time.Time     `bson:"end"`
	Finished         string        `bson:"finished"`
	FinishedAt       *time.Time    `bson:"finishedAt"`
	EndReason        string        `bson:"endReason"`
	ChecklistVersion string        `bson:"checklistVersion"`
	Tasks            []taskDoc     `bson:"tasks"`
	Feedback         []feedbackDoc `bson:"feedback"`
	History          []auditDoc    `bson:"history"`
	CreatedAt        time.Time     `bson:"createdAt"`
	Erased           bool          `bson:"erased"`
	Version          int64         `bson:"version"`
	// NextAlert is the earliest due date of an open task not yet
	// announced, so that the overdue sweep reads only what it must.
	NextAlert *time.Time     `bson:"nextAlert"`
	Outbox    []outbox.Event `bson:"outbox,omitempty"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func valTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func docOf(p *domain.Placement) placementDoc {
	d := placementDoc{ID: p.ID, MatchID: p.MatchID, ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, HostID: p.HostID,
		Direction: p.Direction, Kind: p.Kind, Start: p.StartDate, End: p.EndDate, Finished: p.Finished,
		FinishedAt: optTime(p.FinishedAt), EndReason: p.EndReason, ChecklistVersion: p.ChecklistVersion,
		Tasks: make([]taskDoc, len(p.Tasks)), Feedback: make([]feedbackDoc, len(p.Feedback)),
		History: make([]auditDoc, len(p.History)), CreatedAt: p.CreatedAt, Erased: p.Erased, Version: p.Version,
		NextAlert: optTime(p.NextAlert())}
	for i, t := range p.Tasks {
		d.Tasks[i] = taskDoc{ID: t.ID, Party: t.Party, Titles: t.Titles, Due: t.Due, Source: t.Source,
			DoneAt: optTime(t.DoneAt), DoneBy: t.DoneBy, Note: t.Note, Alerted: t.Alerted}
	}
	for i, f := range p.Feedback {
		d.Feedback[i] = feedbackDoc(f)
	}
	for i, h := range p.History {
		d.History[i] = auditDoc{Action: h.Action, ActorID: h.ActorID, Role: h.Role, Note: h.Note, At: h.At}
	}
	return d
}

func (d placementDoc) placement() *domain.Placement {
	p := &domain.Placement{ID: d.ID, MatchID: d.MatchID, ApplicantID: d.ApplicantID, ProgramID: d.ProgramID, HostID: d.HostID,
		Direction: d.Direction, Kind: d.Kind, StartDate: d.Start.UTC(), EndDate: d.End.UTC(), Finished: d.Finished,
		FinishedAt: valTime(d.FinishedAt), EndReason: d.EndReason, ChecklistVersion: d.ChecklistVersion,
		Tasks: make([]domain.Task, len(d.Tasks)), Feedback: make([]domain.Feedback, len(d.Feedback)),
		History: make([]domain.Audit, len(d.History)), CreatedAt: d.CreatedAt.UTC(), Erased: d.Erased, Version: d.Version}
	for i, t := range d.Tasks {
		p.Tasks[i] = domain.Task{ID: t.ID, Party: t.Party, Titles: t.Titles, Due: t.Due.UTC(), Source: t.Source,
			DoneAt: valTime(t.DoneAt), DoneBy: t.DoneBy, Note: t.Note, Alerted: t.Alerted}
	}
	for i, f := range d.Feedback {
		p.Feedback[i] = domain.Feedback{Party: f.Party, Rating: f.Rating, Comment: f.Comment, At: f.At.UTC()}
	}
	for i, h := range d.History {
		p.History[i] = domain.Audit{Action: h.Action, ActorID: h.ActorID, Role: h.Role, Note: h.Note, At: h.At.UTC()}
	}
	return p
}

// Create implements app.PlacementStore.
func (s *Store) Create(ctx context.Context, p *domain.Placement, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	d := docOf(p)
	d.Outbox = ob
	if _, err := s.placements.InsertOne(ctx, d); err != nil {
		if mongodb.IsDuplicate(err) {
			return false, nil
		}
		return false, fmt.Errorf("insert placement: %w", err)
	}
	s.relay.Kick()
	return true, nil
}

var noOutbox = bson.D{{Key: outbox.Field, Value: 0}}

// Get implements app.PlacementStore.
func (s *Store) Get(ctx context.Context, id string) (*domain.Placement, error) {
	var d placementDoc
	err := s.placements.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(noOutbox)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load placement: %w", err)
	}
	return d.placement(), nil
}

// fieldsOf is the $set of a placement: every field but _id and the
// outbox, which only grows through Push. Top-level fields of placementDoc
// carry no omitempty, so a field cleared (an erased reason) is written
// empty rather than left as it was.
func fieldsOf(p *domain.Placement) (bson.D, error) {
	raw, err := bson.Marshal(docOf(p))
	if err != nil {
		return nil, err
	}
	var all bson.D
	if err := bson.Unmarshal(raw, &all); err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if e.Key != "_id" && e.Key != outbox.Field {
			out = append(out, e)
		}
	}
	return out, nil
}

// Update implements app.PlacementStore: the write is conditional on the
// version read, so a concurrent change makes it retry rather than be lost.
// A change that leaves the version as it was writes nothing.
func (s *Store) Update(ctx context.Context, id string, change app.Change) (*domain.Placement, error) {
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
		if p.Version == read && len(evs) == 0 {
			return p, nil
		}
		set, err := fieldsOf(p)
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
		res, err := s.placements.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: read}}, upd)
		if err != nil {
			return nil, fmt.Errorf("update placement: %w", err)
		}
		if res.MatchedCount == 1 {
			if len(evs) > 0 {
				s.relay.Kick()
			}
			return p, nil
		}
	}
	return nil, domain.ErrConflict
}

// Find implements app.PlacementStore, newest first.
func (s *Store) Find(ctx context.Context, f app.Filter) ([]*domain.Placement, error) {
	q := bson.D{}
	if f.ApplicantID != "" {
		q = append(q, bson.E{Key: "applicantId", Value: f.ApplicantID})
	}
	if f.HostID != "" {
		q = append(q, bson.E{Key: "hostId", Value: f.HostID})
	}
	if f.ProgramID != "" {
		q = append(q, bson.E{Key: "programId", Value: f.ProgramID})
	}
	if f.Unfinished {
		q = append(q, bson.E{Key: "finished", Value: ""})
	}
	if !f.AlertBefore.IsZero() {
		q = append(q, bson.E{Key: "nextAlert", Value: bson.D{{Key: "$lt", Value: f.AlertBefore}}})
	}
	cur, err := s.placements.Find(ctx, q,
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}).SetProjection(noOutbox))
	if err != nil {
		return nil, fmt.Errorf("find placements: %w", err)
	}
	var docs []placementDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read placements: %w", err)
	}
	out := make([]*domain.Placement, len(docs))
	for i, d := range docs {
		out[i] = d.placement()
	}
	return out, nil
}
