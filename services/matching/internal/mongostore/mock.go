package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/explain"
)

// Mock runs live apart from matches: one summary per round and one
// document per would-be match, so erasing an applicant is a plain delete.
const (
	MockRunsCollection    = "mock_runs"
	MockMatchesCollection = "mock_matches"
)

type mockRunDoc struct {
	ID            string           `bson:"_id"` // the round's id
	RanBy         string           `bson:"ranBy"`
	RanAt         time.Time        `bson:"ranAt"`
	BlockingPairs int              `bson:"blockingPairs"`
	Programs      []programFillDoc `bson:"programs"`
	Regions       []regionUseDoc   `bson:"regions,omitempty"`
	Categories    []categoryUseDoc `bson:"categories,omitempty"`
}

type programFillDoc struct {
	ProgramID string `bson:"programId"`
	Title     string `bson:"title"`
	Seats     int    `bson:"seats"`
	Filled    int    `bson:"filled"`
}

type categoryUseDoc struct {
	Category   string `bson:"category"`
	Reserved   int    `bson:"reserved"`
	ToCategory int    `bson:"toCategory"`
	Reverted   int    `bson:"reverted"`
}

type mockMatchDoc struct {
	ID          string           `bson:"_id"`
	RoundID     string           `bson:"roundId"`
	ApplicantID string           `bson:"applicantId"`
	ProgramID   string           `bson:"programId"`
	Reasons     []explain.Reason `bson:"reasons,omitempty"`
}

// SaveMock replaces the round's mock run with m.
func (s *Store) SaveMock(ctx context.Context, m *domain.MockRun) error {
	items := s.db.Collection(MockMatchesCollection)
	if err := deleteInChunks(ctx, items, bson.D{{Key: "roundId", Value: m.RoundID}}); err != nil {
		return fmt.Errorf("clear mock matches: %w", err)
	}
	if len(m.Items) > 0 {
		docs := make([]any, len(m.Items))
		for i, x := range m.Items {
			docs[i] = mockMatchDoc{ID: m.RoundID + "/" + x.ApplicantID, RoundID: m.RoundID, ApplicantID: x.ApplicantID,
				ProgramID: x.ProgramID, Reasons: x.Reasons}
		}
		if _, err := items.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
			return fmt.Errorf("save mock matches: %w", err)
		}
	}
	d := mockRunDoc{ID: m.RoundID, RanBy: m.RanBy, RanAt: m.RanAt, BlockingPairs: m.BlockingPairs}
	for _, p := range m.Fill.Programs {
		d.Programs = append(d.Programs, programFillDoc(p))
	}
	for _, r := range m.Fill.Regions {
		d.Regions = append(d.Regions, regionUseDoc(r))
	}
	for _, c := range m.Fill.Categories {
		d.Categories = append(d.Categories, categoryUseDoc(c))
	}
	_, err := s.db.Collection(MockRunsCollection).ReplaceOne(ctx, id(m.RoundID), d, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save mock run: %w", err)
	}
	return nil
}

// Mock returns the round's last mock run.
func (s *Store) Mock(ctx context.Context, roundID string) (*domain.MockRun, error) {
	var d mockRunDoc
	if err := s.db.Collection(MockRunsCollection).FindOne(ctx, id(roundID)).Decode(&d); err != nil {
		return nil, notFound(err, "mock run")
	}
	docs, err := all[mockMatchDoc](ctx, s.db.Collection(MockMatchesCollection), bson.D{{Key: "roundId", Value: roundID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	m := &domain.MockRun{RoundID: d.ID, RanBy: d.RanBy, RanAt: d.RanAt.UTC(), BlockingPairs: d.BlockingPairs}
	for _, x := range docs {
		m.Items = append(m.Items, domain.MockItem{ApplicantID: x.ApplicantID, ProgramID: x.ProgramID, Reasons: x.Reasons})
	}
	for _, p := range d.Programs {
		m.Fill.Programs = append(m.Fill.Programs, domain.ProgramFill(p))
	}
	for _, r := range d.Regions {
		m.Fill.Regions = append(m.Fill.Regions, domain.RegionUse(r))
	}
	for _, c := range d.Categories {
		m.Fill.Categories = append(m.Fill.Categories, domain.CategoryUse(c))
	}
	return m, nil
}

// MockMatchesOf returns an applicant's would-be matches, one mock run per
// round holding only theirs.
func (s *Store) MockMatchesOf(ctx context.Context, applicantID string) ([]domain.MockRun, error) {
	docs, err := all[mockMatchDoc](ctx, s.db.Collection(MockMatchesCollection), bson.D{{Key: "applicantId", Value: applicantID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := make([]domain.MockRun, 0, len(docs))
	for _, x := range docs {
		m := domain.MockRun{RoundID: x.RoundID, Items: []domain.MockItem{{ApplicantID: x.ApplicantID, ProgramID: x.ProgramID, Reasons: x.Reasons}}}
		var run mockRunDoc
		if err := s.db.Collection(MockRunsCollection).FindOne(ctx, id(x.RoundID)).Decode(&run); err == nil {
			m.RanAt = run.RanAt.UTC()
		}
		out = append(out, m)
	}
	return out, nil
}

// eraseMock deletes an applicant's would-be matches of mock runs.
func (s *Store) eraseMock(ctx context.Context, applicantID string) error {
	if _, err := s.db.Collection(MockMatchesCollection).DeleteMany(ctx, bson.D{{Key: "applicantId", Value: applicantID}}); err != nil {
		return fmt.Errorf("erase mock matches: %w", err)
	}
	return nil
}
