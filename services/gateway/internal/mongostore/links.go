package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/mongodb"
)

// UserSessions implements app.SessionStore.
func (s *Store) UserSessions(ctx context.Context, userID string, now time.Time) ([]*domain.Session, error) {
	cur, err := s.sessions.Find(ctx, bson.D{{Key: "userId", Value: userID},
		{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: now.UTC()}}}})
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	var docs []sessionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	out := make([]*domain.Session, 0, len(docs))
	for _, d := range docs {
		sess, err := s.Session(ctx, d.ID)
		if err != nil {
			if errors.Is(err, domain.ErrSessionInvalid) {
				continue // swept meanwhile
			}
			return nil, err
		}
		out = append(out, sess)
	}
	return out, nil
}

// SaveLinkToken implements app.LinkTokenStore.
func (s *Store) SaveLinkToken(ctx context.Context, t *domain.LinkToken) error {
	d := linkDoc{ID: t.Hash, UserID: t.UserID, Purpose: string(t.Purpose), CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC()}
	if _, err := s.links.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("insert link token: %w", err)
	}
	return nil
}

// LinkToken implements app.LinkTokenStore.
func (s *Store) LinkToken(ctx context.Context, hash string) (*domain.LinkToken, error) {
	var d linkDoc
	err := s.links.FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrTokenInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("find link token: %w", err)
	}
	return &domain.LinkToken{Hash: d.ID, UserID: d.UserID, Purpose: domain.Purpose(d.Purpose),
		CreatedAt: d.CreatedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC()}, nil
}

// UseLinkToken implements app.LinkTokenStore: the mark's _id is derived
// from the token's hash, so of concurrent uses one insert succeeds.
func (s *Store) UseLinkToken(ctx context.Context, t *domain.LinkToken, now time.Time) (bool, error) {
	_, err := s.links.InsertOne(ctx, linkDoc{ID: "used:" + t.Hash, UserID: t.UserID, Purpose: string(t.Purpose),
		CreatedAt: now.UTC(), ExpiresAt: t.ExpiresAt.UTC()})
	if mongodb.IsDuplicate(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mark link token used: %w", err)
	}
	return true, nil
}

// DropLinkTokens implements app.LinkTokenStore. Marks of used tokens go
// too: the tokens they mark are gone, so they guard nothing.
func (s *Store) DropLinkTokens(ctx context.Context, userID string, p domain.Purpose) error {
	filter := bson.D{{Key: "userId", Value: userID}}
	if p != "" {
		filter = append(filter, bson.E{Key: "purpose", Value: string(p)})
	}
	if _, err := s.links.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("drop link tokens: %w", err)
	}
	return nil
}

// AddAudit implements app.AuditStore.
func (s *Store) AddAudit(ctx context.Context, e app.AuditEntry) error {
	_, err := s.audit.InsertOne(ctx, auditDoc{ID: e.ID, Actor: e.Actor, Target: e.Target, Action: e.Action, Reason: e.Reason, At: e.At.UTC()})
	if err != nil {
		return fmt.Errorf("insert audit entry: %w", err)
	}
	return nil
}

// Audit implements app.AuditStore.
func (s *Store) Audit(ctx context.Context, target string, page, size int) ([]app.AuditEntry, int64, error) {
	filter := bson.D{}
	if target != "" {
		filter = append(filter, bson.E{Key: "target", Value: target})
	}
	total, err := s.audit.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	cur, err := s.audit.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64((page-1)*size)).SetLimit(int64(size)))
	if err != nil {
		return nil, 0, fmt.Errorf("list audit: %w", err)
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, fmt.Errorf("list audit: %w", err)
	}
	out := make([]app.AuditEntry, len(docs))
	for i, d := range docs {
		out[i] = app.AuditEntry{ID: d.ID, Actor: d.Actor, Target: d.Target, Action: d.Action, Reason: d.Reason, At: d.At.UTC()}
	}
	return out, total, nil
}
