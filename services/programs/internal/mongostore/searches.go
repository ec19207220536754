package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/outbox"
)

// searchDoc is a saved search with the programs it announced and its
// pending events.
type searchDoc struct {
	ID          string         `bson:"_id"`
	OwnerID     string         `bson:"ownerId"`
	Q           string         `bson:"q,omitempty"`
	Kind        string         `bson:"kind,omitempty"`
	HostCountry string         `bson:"hostCountry,omitempty"`
	Field       string         `bson:"field,omitempty"`
	Alert       bool           `bson:"alert"`
	CreatedAt   time.Time      `bson:"createdAt"`
	Matched     []string       `bson:"matched"`
	Outbox      []outbox.Event `bson:"outbox,omitempty"`
}

func (d searchDoc) search() *domain.SavedSearch {
	return &domain.SavedSearch{ID: d.ID, OwnerID: d.OwnerID, Q: d.Q, Kind: d.Kind, HostCountry: d.HostCountry,
		Field: d.Field, Alert: d.Alert, CreatedAt: d.CreatedAt.UTC(), Matched: d.Matched}
}

// InsertSearch implements app.SearchStore.
func (s *Store) InsertSearch(ctx context.Context, ss *domain.SavedSearch) error {
	d := searchDoc{ID: ss.ID, OwnerID: ss.OwnerID, Q: ss.Q, Kind: ss.Kind, HostCountry: ss.HostCountry, Field: ss.Field,
		Alert: ss.Alert, CreatedAt: ss.CreatedAt.UTC(), Matched: []string{}}
	if _, err := s.searches.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("insert saved search: %w", err)
	}
	return nil
}

// Search implements app.SearchStore.
func (s *Store) Search(ctx context.Context, id string) (*domain.SavedSearch, error) {
	var d searchDoc
	err := s.searches.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(withoutOutbox)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrSearchNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find saved search: %w", err)
	}
	return d.search(), nil
}

func (s *Store) findSearches(ctx context.Context, filter bson.D) ([]*domain.SavedSearch, error) {
	cur, err := s.searches.Find(ctx, filter, options.Find().SetProjection(withoutOutbox).
		SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list saved searches: %w", err)
	}
	var docs []searchDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list saved searches: %w", err)
	}
	out := make([]*domain.SavedSearch, len(docs))
	for i, d := range docs {
		out[i] = d.search()
	}
	return out, nil
}

// SearchesOf implements app.SearchStore.
func (s *Store) SearchesOf(ctx context.Context, ownerID string) ([]*domain.SavedSearch, error) {
	return s.findSearches(ctx, bson.D{{Key: "ownerId", Value: ownerID}})
}

// CountSearches implements app.SearchStore.
func (s *Store) CountSearches(ctx context.Context, ownerID string) (int, error) {
	n, err := s.searches.CountDocuments(ctx, bson.D{{Key: "ownerId", Value: ownerID}})
	if err != nil {
		return 0, fmt.Errorf("count saved searches: %w", err)
	}
	return int(n), nil
}

// AlertingSearches implements app.SearchStore.
func (s *Store) AlertingSearches(ctx context.Context) ([]*domain.SavedSearch, error) {
	return s.findSearches(ctx, bson.D{{Key: "alert", Value: true}})
}

// Matched implements app.SearchStore: one conditional update adds the
// program to the search's matches and the event to its outbox, only if the
// program is not among the matches yet.
func (s *Store) Matched(ctx context.Context, id, programID string, ev events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, ev)
	if err != nil {
		return false, err
	}
	res, err := s.searches.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "matched", Value: bson.D{{Key: "$ne", Value: programID}}}},
		bson.D{{Key: "$push", Value: bson.D{
			{Key: "matched", Value: programID},
			{Key: outbox.Field, Value: bson.D{{Key: "$each", Value: ob}}},
		}}})
	if err != nil {
		return false, fmt.Errorf("record search match: %w", err)
	}
	if res.ModifiedCount == 0 {
		return false, nil
	}
	s.relay.Kick()
	return true, nil
}

// DeleteSearch implements app.SearchStore. A search whose alert is still
// waiting in its outbox goes with it: its owner no longer wants it.
func (s *Store) DeleteSearch(ctx context.Context, id string) error {
	res, err := s.searches.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("delete saved search: %w", err)
	}
	if res.DeletedCount == 0 {
		return domain.ErrSearchNotFound
	}
	return nil
}

// DeleteSearchesOf implements app.SearchStore.
func (s *Store) DeleteSearchesOf(ctx context.Context, ownerID string) error {
	if _, err := s.searches.DeleteMany(ctx, bson.D{{Key: "ownerId", Value: ownerID}}); err != nil {
		return fmt.Errorf("delete saved searches: %w", err)
	}
	return nil
}
