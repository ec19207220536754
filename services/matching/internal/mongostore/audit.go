package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// AddAudit stores an entry unless one with its id exists.
func (s *Store) AddAudit(ctx context.Context, e domain.AuditEntry) error {
	_, err := s.audit.InsertOne(ctx, auditDoc{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: e.ActorRole,
		Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, RoundID: e.RoundID, Note: e.Note})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("add audit entry: %w", err)
	}
	return nil
}

// Audit returns a page of the entries f selects, newest first.
func (s *Store) Audit(ctx context.Context, f domain.AuditFilter, page, size int) ([]domain.AuditEntry, int64, error) {
	filter := bson.D{}
	for _, kv := range []struct{ key, value string }{
		{"entityType", f.EntityType}, {"entityId", f.EntityID}, {"action", f.Action}, {"actorId", f.ActorID},
	} {
		if kv.value != "" {
			filter = append(filter, bson.E{Key: kv.key, Value: kv.value})
		}
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		at := bson.D{}
		if !f.From.IsZero() {
			at = append(at, bson.E{Key: "$gte", Value: f.From.UTC()})
		}
		if !f.To.IsZero() {
			at = append(at, bson.E{Key: "$lt", Value: f.To.UTC()})
		}
		filter = append(filter, bson.E{Key: "at", Value: at})
	}
	total, err := s.audit.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	docs, err := all[auditDoc](ctx, s.audit, filter, options.Find().
		SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64((page-1)*size)).SetLimit(int64(size)))
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.AuditEntry, len(docs))
	for i, d := range docs {
		out[i] = domain.AuditEntry{ID: d.ID, At: d.At.UTC(), ActorID: d.ActorID, ActorRole: d.ActorRole, Action: d.Action,
			EntityType: d.EntityType, EntityID: d.EntityID, RoundID: d.RoundID, Note: d.Note}
	}
	return out, total, nil
}
