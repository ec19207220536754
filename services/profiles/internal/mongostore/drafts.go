package mongostore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/services/profiles/internal/domain"
)

// DraftsCollection holds one draft per applicant, keyed by the owner's id.
const DraftsCollection = "drafts"

var _ app.DraftStore = (*Store)(nil)

// draftDoc is a stored draft. The answers are kept as the JSON the API
// took, so the document's shape does not follow every profile field.
type draftDoc struct {
	ID        string    `bson:"_id"`
	Form      string    `bson:"form"`
	Profile   string    `bson:"profile"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

func (s *Store) drafts() *mongo.Collection { return s.profiles.Database().Collection(DraftsCollection) }

// PutDraft stores d, replacing the owner's previous draft.
func (s *Store) PutDraft(ctx context.Context, d app.Draft) error {
	raw, err := json.Marshal(d.Profile)
	if err != nil {
		return fmt.Errorf("encode draft: %w", err)
	}
	doc := draftDoc{ID: d.OwnerID, Form: d.Form, Profile: string(raw), UpdatedAt: d.UpdatedAt}
	_, err = s.drafts().ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.OwnerID}}, doc, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("store draft: %w", err)
	}
	return nil
}

// GetDraft returns the owner's draft or domain.ErrDraftNotFound.
func (s *Store) GetDraft(ctx context.Context, ownerID string) (*app.Draft, error) {
	var doc draftDoc
	err := s.drafts().FindOne(ctx, bson.D{{Key: "_id", Value: ownerID}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrDraftNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load draft: %w", err)
	}
	d := &app.Draft{OwnerID: doc.ID, Form: doc.Form, UpdatedAt: doc.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(doc.Profile), &d.Profile); err != nil {
		return nil, fmt.Errorf("decode draft: %w", err)
	}
	return d, nil
}

// DeleteDraft removes the owner's draft.
func (s *Store) DeleteDraft(ctx context.Context, ownerID string) error {
	if _, err := s.drafts().DeleteOne(ctx, bson.D{{Key: "_id", Value: ownerID}}); err != nil {
		return fmt.Errorf("delete draft: %w", err)
	}
	return nil
}

// DeleteDraftsBefore removes every draft last changed before t.
func (s *Store) DeleteDraftsBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.drafts().DeleteMany(ctx, bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$lt", Value: t}}}})
	if err != nil {
		return 0, fmt.Errorf("sweep drafts: %w", err)
	}
	return res.DeletedCount, nil
}
