package mongostore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

// nestedParticipantDoc is a participant as stored before its choices and
// reasons were packed: every choice and reason a field of its own.
type nestedParticipantDoc struct {
	ID          string           `bson:"_id"`
	RoundID     string           `bson:"roundId"`
	ApplicantID string           `bson:"applicantId"`
	HomeCountry string           `bson:"homeCountry"`
	Kind        string           `bson:"kind"`
	DegreeLevel string           `bson:"degreeLevel"`
	Choices     []string         `bson:"choices"`
	ProgramID   string           `bson:"programId,omitempty"`
	Outcome     string           `bson:"outcome"`
	Reasons     []explain.Reason `bson:"reasons"`
	Run         int              `bson:"run"`
	UpdatedAt   time.Time        `bson:"updatedAt"`
}

// BenchmarkPackedParticipants inserts 2,000 participants of a national
// round (lists of 20, six reasons with parameters each) into a fresh
// collection, in bulk writes of 1,000, stored field by field as before and
// packed (roundApplicantDocOf).
//
//	go test -run '^$' -bench PackedParticipants -benchtime 5x ./services/matching/internal/mongostore
func BenchmarkPackedParticipants(b *testing.B) {
	const n = 2000
	ctx := context.Background()
	s := New(mongotest.DB(b), nil, outbox.Config{})
	entries := make([]domain.RoundApplicant, n)
	for i := range entries {
		var choices []string
		for k := range 20 {
			choices = append(choices, fmt.Sprintf("0199aaaa-bbbb-7ccc-8ddd-%012d", i*20+k))
		}
		var reasons []explain.Reason
		for k := range 6 {
			reasons = append(reasons, explain.New("allocation.rejected.full",
				"The program filled its seats with applicants it ranked higher.", "program", choices[k], "rank", "12"))
		}
		entries[i] = domain.RoundApplicant{RoundID: "r", ApplicantID: fmt.Sprintf("0199aaaa-cccc-7ccc-8ddd-%012d", i),
			HomeCountry: "IN", Kind: "student", DegreeLevel: "master", Choices: choices, ProgramID: choices[6],
			Outcome: domain.OutcomeMatched, Reasons: reasons, Run: 1, UpdatedAt: time.Now().UTC()}
	}
	shapes := map[string]func(e domain.RoundApplicant) any{
		"nested": func(e domain.RoundApplicant) any {
			return nestedParticipantDoc{ID: e.RoundID + ":" + e.ApplicantID, RoundID: e.RoundID, ApplicantID: e.ApplicantID,
				HomeCountry: e.HomeCountry, Kind: e.Kind, DegreeLevel: e.DegreeLevel, Choices: e.Choices,
				ProgramID: e.ProgramID, Outcome: e.Outcome, Reasons: e.Reasons, Run: e.Run, UpdatedAt: e.UpdatedAt}
		},
		"packed": func(e domain.RoundApplicant) any { return roundApplicantDocOf(e) },
	}
	coll := 0
	for _, name := range []string{"nested", "packed"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				coll++
				c := s.db.Collection(fmt.Sprintf("bench_participants_%d", coll))
				docs := make([]any, n)
				for i, e := range entries {
					docs[i] = shapes[name](e)
				}
				for from := 0; from < n; from += 1000 {
					if _, err := c.InsertMany(ctx, docs[from:from+1000]); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
