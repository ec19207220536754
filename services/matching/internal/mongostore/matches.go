package mongostore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/outbox"
)

func (s *Store) findMatches(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]domain.Match, error) {
	docs, err := all[matchDoc](ctx, s.matches, filter, opts.SetProjection(bson.D{{Key: outbox.Field, Value: 0}}))
	if err != nil {
		return nil, err
	}
	out := make([]domain.Match, len(docs))
	for i, d := range docs {
		if out[i], err = d.match(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MatchesOfRound returns a round's matches by program and applicant,
// sorted here rather than by the server (see findApplicationsIn).
func (s *Store) MatchesOfRound(ctx context.Context, roundID string) ([]domain.Match, error) {
	ms, err := s.findMatches(ctx, bson.D{{Key: "roundId", Value: roundID}}, options.Find())
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ms, func(a, b domain.Match) int {
		return cmp.Or(strings.Compare(a.ProgramID, b.ProgramID), strings.Compare(a.ApplicantID, b.ApplicantID))
	})
	return ms, nil
}

// DeleteProposed deletes the matches among ids that are still proposed.
func (s *Store) DeleteProposed(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	// In chunks: FerretDB v1 deletes what one statement matched in one
	// SQL statement, which fails beyond SQLite's 32,766 variables (a
	// national round's re-run may drop more proposals than that).
	return chunks(len(ids), func(from, to int) error {
		_, err := s.matches.DeleteMany(ctx, bson.D{{Key: "_id", Value: in(ids[from:to])}, {Key: "status", Value: domain.MatchProposed}})
		if err != nil {
			return fmt.Errorf("delete proposals: %w", err)
		}
		return nil
	})
}

// Match returns a match.
func (s *Store) Match(ctx context.Context, mid string) (*domain.Match, error) {
	var d matchDoc
	if err := s.matches.FindOne(ctx, id(mid), options.FindOne().SetProjection(bson.D{{Key: outbox.Field, Value: 0}})).Decode(&d); err != nil {
		return nil, notFound(err, "match")
	}
	m, err := d.match()
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// UpdateMatch writes m if the stored version is m.Version-1.
func (s *Store) UpdateMatch(ctx context.Context, m *domain.Match, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	res, err := s.matches.UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "version", Value: m.Version - 1}},
		bson.D{{Key: "$set", Value: matchChanges(m)}, outbox.Push(ob)})
	if err != nil {
		return false, fmt.Errorf("update match: %w", err)
	}
	return s.wrote(res), nil
}

// matchChanges are the fields a decision, an offer or an answer changes.
func matchChanges(m *domain.Match) bson.D {
	d := matchDocOf(m)
	set := bson.D{{Key: "status", Value: d.Status}, {Key: "note", Value: d.Note}, {Key: "decidedBy", Value: d.DecidedBy},
		{Key: "decidedAt", Value: d.DecidedAt}, {Key: "updatedAt", Value: d.UpdatedAt}, {Key: "version", Value: d.Version}}
	if d.RespondBy != nil {
		set = append(set, bson.E{Key: "respondBy", Value: *d.RespondBy})
	}
	return set
}

// ListMatches returns up to size matches in id order, which is oldest
// first (match ids are time-ordered UUIDv7s): with f.After, those whose id
// comes after it; without, page page. total counts every match the status
// and round select.
func (s *Store) ListMatches(ctx context.Context, f app.MatchFilter, page, size int) ([]domain.Match, int64, error) {
	filter := bson.D{}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: f.Status})
	}
	if f.RoundID != "" {
		filter = append(filter, bson.E{Key: "roundId", Value: f.RoundID})
	}
	total, err := s.matches.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count matches: %w", err)
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(size))
	if f.After != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: f.After}}})
	} else if page > 1 {
		opts.SetSkip(int64((page - 1) * size))
	}
	ms, err := s.findMatches(ctx, filter, opts)
	return ms, total, err
}

// MatchesOf returns an applicant's matches, most recently changed first.
func (s *Store) MatchesOf(ctx context.Context, applicantID string) ([]domain.Match, error) {
	return s.findMatches(ctx, bson.D{{Key: "applicantId", Value: applicantID}},
		options.Find().SetSort(bson.D{{Key: "updatedAt", Value: -1}, {Key: "_id", Value: 1}}))
}

// --- round participants ---

// RoundApplicantIDs returns the applicants the round has entries for,
// from its round_participants document; a round whose participants were
// saved before that document existed has its entries read instead.
func (s *Store) RoundApplicantIDs(ctx context.Context, roundID string) ([]string, error) {
	var d roundParticipantsDoc
	err := s.roundParticipants.FindOne(ctx, id(roundID)).Decode(&d)
	if err == nil {
		return d.IDs, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("read round participants: %w", err)
	}
	docs, err := all[roundApplicantDoc](ctx, s.roundApplicants, bson.D{{Key: "roundId", Value: roundID}},
		options.Find().SetProjection(bson.D{{Key: "applicantId", Value: 1}}))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ApplicantID
	}
	return ids, nil
}

// setRoundParticipants records which applicants the round has entries for.
func (s *Store) setRoundParticipants(ctx context.Context, roundID string, ids []string) error {
	if ids == nil {
		ids = []string{}
	}
	_, err := s.roundParticipants.ReplaceOne(ctx, id(roundID), roundParticipantsDoc{ID: roundID, IDs: ids},
		options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("record round participants: %w", err)
	}
	return nil
}

func (s *Store) findRoundApplicants(ctx context.Context, filter bson.D) ([]domain.RoundApplicant, error) {
	docs, err := all[roundApplicantDoc](ctx, s.roundApplicants, filter) // sorted here (see findApplicationsIn)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(docs, func(a, b roundApplicantDoc) int { return strings.Compare(a.ID, b.ID) })
	out := make([]domain.RoundApplicant, len(docs))
	for i, d := range docs {
		if out[i], err = d.entry(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RoundApplicants returns a round's participants.
func (s *Store) RoundApplicants(ctx context.Context, roundID string) ([]domain.RoundApplicant, error) {
	return s.findRoundApplicants(ctx, bson.D{{Key: "roundId", Value: roundID}})
}

// RoundApplicantsOf returns an applicant's participation in rounds.
func (s *Store) RoundApplicantsOf(ctx context.Context, applicantID string) ([]domain.RoundApplicant, error) {
	return s.findRoundApplicants(ctx, bson.D{{Key: "applicantId", Value: applicantID}})
}

// AnyRoundPublished implements app.OfferStore: one look at the rounds,
// which are few.
func (s *Store) AnyRoundPublished(ctx context.Context) (bool, error) {
	n, err := s.rounds.CountDocuments(ctx, bson.D{{Key: "publishedAt", Value: bson.D{{Key: "$exists", Value: true}}}},
		options.Count().SetLimit(1))
	if err != nil {
		return false, fmt.Errorf("count published rounds: %w", err)
	}
	return n > 0, nil
}

// LapsedOffers returns up to limit published offers whose respondBy is at
// or before now, earliest deadline first.
func (s *Store) LapsedOffers(ctx context.Context, now time.Time, limit int) ([]domain.Match, error) {
	return s.findMatches(ctx, bson.D{{Key: "status", Value: domain.MatchPublished},
		{Key: "respondBy", Value: bson.D{{Key: "$lte", Value: now}}}},
		options.Find().SetSort(bson.D{{Key: "respondBy", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// ExpireOffer expires m in one conditional write: it matches only while
// the stored match is published at version m.Version-1 with its respondBy
// at or before now, so of several replicas racing for an offer one writes
// its offer.expired event and the others nothing.
func (s *Store) ExpireOffer(ctx context.Context, m *domain.Match, now time.Time, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	filter := bson.D{{Key: "_id", Value: m.ID}, {Key: "status", Value: domain.MatchPublished},
		{Key: "respondBy", Value: bson.D{{Key: "$lte", Value: now}}}, {Key: "version", Value: m.Version - 1}}
	set := bson.D{{Key: "status", Value: domain.MatchExpired}, {Key: "updatedAt", Value: m.UpdatedAt}, {Key: "version", Value: m.Version}}
	res, err := s.matches.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: set}, outbox.Push(ob)})
	if err != nil {
		return false, fmt.Errorf("expire offer: %w", err)
	}
	return s.wrote(res), nil
}

// DueReminders returns up to limit published offers not yet reminded of
// whose respondBy is at or before by.
func (s *Store) DueReminders(ctx context.Context, by time.Time, limit int) ([]domain.Match, error) {
	return s.findMatches(ctx, bson.D{{Key: "status", Value: domain.MatchPublished},
		{Key: "respondBy", Value: bson.D{{Key: "$lte", Value: by}}}, {Key: "remindedAt", Value: bson.D{{Key: "$exists", Value: false}}}},
		options.Find().SetSort(bson.D{{Key: "respondBy", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// MarkReminded records the reminder of m with its events, once: only
// while the offer is published and not yet reminded of. The version is
// left alone, so a reminder never makes an answer sent at the same time
// fail.
func (s *Store) MarkReminded(ctx context.Context, m *domain.Match, at time.Time, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	filter := bson.D{{Key: "_id", Value: m.ID}, {Key: "status", Value: domain.MatchPublished},
		{Key: "remindedAt", Value: bson.D{{Key: "$exists", Value: false}}}}
	res, err := s.matches.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "remindedAt", Value: at}}}, outbox.Push(ob)})
	if err != nil {
		return false, fmt.Errorf("remind offer: %w", err)
	}
	return s.wrote(res), nil
}
