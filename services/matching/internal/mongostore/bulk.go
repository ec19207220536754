package mongostore

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// A national round writes tens of thousands of matches, participants and
// audit entries at once. They go in bulk writes of at most bulkChunk
// documents (a few MiB each), unordered, so one round trip carries many
// documents and the store may apply them in any order.
const bulkChunk = 1000

// updateChunk is the size of a bulk write of updates and upserts, which
// cost the embedded store a look-up and a write each: 1,000 of them in one
// command outlast the client's 10 s operation timeout on a busy machine
// (a national run failed on "save round participants" so).
const updateChunk = 200

// chunks calls f with each run of at most bulkChunk indexes of n items.
func chunks(n int, f func(from, to int) error) error {
	return chunksOf(n, bulkChunk, f)
}

// updateChunks calls f with each run of at most updateChunk indexes.
func updateChunks(n int, f func(from, to int) error) error {
	return chunksOf(n, updateChunk, f)
}

func chunksOf(n, size int, f func(from, to int) error) error {
	for from := 0; from < n; from += size {
		if err := f(from, min(n, from+size)); err != nil {
			return err
		}
	}
	return nil
}

// deleteInChunks deletes the documents of c that filter selects, by _id,
// bulkChunk at a time: FerretDB v1 deletes what one statement matched in
// one SQL statement, which fails beyond SQLite's 32,766 variables ("too
// many SQL variables"): a DeleteMany of the 36,200 matches of a round by
// its roundId failed so on the national data.
func deleteInChunks(ctx context.Context, c *mongo.Collection, filter bson.D) error {
	docs, err := all[struct {
		ID string `bson:"_id"`
	}](ctx, c, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	return chunks(len(docs), func(from, to int) error {
		ids := make([]string, 0, to-from)
		for _, d := range docs[from:to] {
			ids = append(ids, d.ID)
		}
		_, err := c.DeleteMany(ctx, bson.D{{Key: "_id", Value: in(ids)}})
		return err
	})
}

// SaveProposed inserts proposed matches, each with its events (evs[i]
// belongs to ms[i]), or, for a match already proposed (a re-run), refreshes
// its choice, score and reasons and adds no event: each match.proposed
// event is stored once, in the document it announces.
func (s *Store) SaveProposed(ctx context.Context, ms []domain.Match, evs [][]events.Envelope) error {
	// The relay publishes what is written here once it is all written,
	// rather than sharing the database's one writer with these inserts by
	// marking a national round's proposals sent as they land.
	resume := s.relay.Pause()
	defer resume()
	// A match with its reasons and events is a few KiB: 1,000 in one insert
	// outlasted the operation timeout on a busy embedded store.
	err := updateChunks(len(ms), func(from, to int) error {
		docs := make([]any, 0, to-from)
		for i := from; i < to; i++ {
			ob, err := s.relay.Encode(ctx, evs[i]...)
			if err != nil {
				return err
			}
			d := matchDocOf(&ms[i])
			d.Outbox = ob
			docs = append(docs, d)
		}
		_, err := s.matches.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		if err == nil {
			return nil
		}
		dup, ok := mongodb.BulkDuplicates(err)
		if !ok {
			return fmt.Errorf("insert matches: %w", err)
		}
		refresh := make([]mongo.WriteModel, 0, len(dup))
		for k := range dup {
			d := docs[k].(matchDoc)
			refresh = append(refresh, mongo.NewUpdateOneModel().
				SetFilter(bson.D{{Key: "_id", Value: d.ID}, {Key: "status", Value: domain.MatchProposed}}).
				SetUpdate(bson.D{{Key: "$set", Value: bson.D{{Key: "choice", Value: d.Choice}, {Key: "score", Value: d.Score},
					{Key: "detail", Value: d.Detail}, {Key: "updatedAt", Value: d.UpdatedAt}}},
					{Key: "$unset", Value: bson.D{{Key: "reasons", Value: ""}}}}))
		}
		if _, err := s.matches.BulkWrite(ctx, refresh, options.BulkWrite().SetOrdered(false)); err != nil {
			return fmt.Errorf("refresh matches: %w", err)
		}
		return nil
	})
	if len(ms) > 0 {
		s.relay.Kick()
	}
	return err
}

// UpdateMatches writes each of ms that is stored at version Version-1,
// with its events (evs[i] belongs to ms[i]), in bulk, and returns how many
// it wrote: fewer than len(ms) when some moved on meanwhile.
func (s *Store) UpdateMatches(ctx context.Context, ms []domain.Match, evs [][]events.Envelope) (int, error) {
	if len(ms) > updateChunk {
		// As SaveProposed: approving or publishing a national round.
		resume := s.relay.Pause()
		defer resume()
	}
	written := 0
	err := updateChunks(len(ms), func(from, to int) error {
		models := make([]mongo.WriteModel, 0, to-from)
		for i := from; i < to; i++ {
			m := &ms[i]
			ob, err := s.relay.Encode(ctx, evs[i]...)
			if err != nil {
				return err
			}
			models = append(models, mongo.NewUpdateOneModel().
				SetFilter(bson.D{{Key: "_id", Value: m.ID}, {Key: "version", Value: m.Version - 1}}).
				SetUpdate(bson.D{{Key: "$set", Value: matchChanges(m)}, outbox.Push(ob)}))
		}
		res, err := s.matches.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
		if res != nil {
			written += int(res.ModifiedCount)
		}
		if err != nil {
			return fmt.Errorf("update matches: %w", err)
		}
		return nil
	})
	if written > 0 {
		s.relay.Kick()
	}
	return written, err
}

// AddAudits stores entries, skipping those whose id is stored already.
func (s *Store) AddAudits(ctx context.Context, es []domain.AuditEntry) error {
	return chunks(len(es), func(from, to int) error {
		docs := make([]any, 0, to-from)
		for _, e := range es[from:to] {
			docs = append(docs, auditDoc{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: e.ActorRole,
				Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, RoundID: e.RoundID, Note: e.Note})
		}
		_, err := s.audit.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		if _, dup := mongodb.BulkDuplicates(err); err != nil && !dup {
			return fmt.Errorf("add audit entries: %w", err)
		}
		return nil
	})
}

// SaveRoundApplicants stores a run's participants: entries replace those
// of an earlier run, and the entries of applicants in prior (the
// round's, RoundApplicantIDs) but not in keep are deleted. The round's
// list of participants is widened to both before any entry is written and
// narrowed to keep once the stale ones are gone, so whatever a run that
// stopped halfway left is found by the next.
func (s *Store) SaveRoundApplicants(ctx context.Context, roundID string, entries []domain.RoundApplicant, prior, keep []string) error {
	kept := make(map[string]bool, len(keep))
	for _, a := range keep {
		kept[a] = true
	}
	var stale []string
	for _, a := range prior {
		if !kept[a] {
			stale = append(stale, a)
		}
	}
	if len(keep) > len(prior)-len(stale) { // someone joined
		if err := s.setRoundParticipants(ctx, roundID, append(slices.Clone(keep), stale...)); err != nil {
			return err
		}
	}
	if err := s.insertRoundApplicants(ctx, entries); err != nil {
		return err
	}
	if err := chunks(len(stale), func(from, to int) error {
		ids := make([]string, 0, to-from)
		for _, a := range stale[from:to] {
			ids = append(ids, roundID+":"+a)
		}
		if _, err := s.roundApplicants.DeleteMany(ctx, bson.D{{Key: "_id", Value: in(ids)}}); err != nil {
			return fmt.Errorf("delete round participants: %w", err)
		}
		return nil
	}); err != nil {
		return err
	}
	if len(stale) == 0 && len(keep) == len(prior) {
		return nil // the list names them already
	}
	return s.setRoundParticipants(ctx, roundID, keep)
}

// insertRoundApplicants writes the entries, replacing earlier ones, in
// bulk. Each chunk is inserted first, which costs the embedded store a
// fraction of an upsert (4,000 participants took 116 s as upserts in a
// national run); the entries already stored (a run again) come back as
// duplicate keys and only those are replaced.
func (s *Store) insertRoundApplicants(ctx context.Context, entries []domain.RoundApplicant) error {
	return chunks(len(entries), func(from, to int) error {
		docs := make([]roundApplicantDoc, 0, to-from)
		batch := make([]any, 0, to-from)
		for _, e := range entries[from:to] {
			d := roundApplicantDocOf(e)
			docs = append(docs, d)
			batch = append(batch, d)
		}
		_, err := s.roundApplicants.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false))
		if err == nil {
			return nil
		}
		dup, ok := mongodb.BulkDuplicates(err)
		if !ok {
			return fmt.Errorf("save round participants: %w", err)
		}
		stored := slices.Sorted(maps.Keys(dup))
		return updateChunks(len(stored), func(a, b int) error {
			models := make([]mongo.WriteModel, 0, b-a)
			for _, i := range stored[a:b] {
				models = append(models, mongo.NewReplaceOneModel().SetFilter(id(docs[i].ID)).SetReplacement(docs[i]).SetUpsert(true))
			}
			if _, err := s.roundApplicants.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
				return fmt.Errorf("save round participants: %w", err)
			}
			return nil
		})
	})
}

// MatchStatesOfRound returns a round's matches with only their id,
// applicant, program and status: what counting them needs, without the
// reasons that make up most of a match document.
func (s *Store) MatchStatesOfRound(ctx context.Context, roundID string) ([]domain.Match, error) {
	docs, err := all[matchDoc](ctx, s.matches, bson.D{{Key: "roundId", Value: roundID}},
		options.Find().SetProjection(bson.D{{Key: "applicantId", Value: 1}, {Key: "programId", Value: 1}, {Key: "status", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := make([]domain.Match, len(docs))
	for i, d := range docs {
		out[i] = domain.Match{ID: d.ID, RoundID: roundID, ApplicantID: d.ApplicantID, ProgramID: d.ProgramID, Status: d.Status}
	}
	return out, nil
}

// LiveApplicantsTo returns the ids of the applicants with a live
// application to a program: only the ids are read and nothing is sorted, as
// a ranking import checks each line against them (the embedded store reads
// the whole collection for this filter all the same).
func (s *Store) LiveApplicantsTo(ctx context.Context, programID string) ([]string, error) {
	type idDoc struct {
		ApplicantID string `bson:"applicantId"`
	}
	docs, err := all[idDoc](ctx, s.apps, bson.D{{Key: "programId", Value: programID}, {Key: "status", Value: domain.ApplicationSubmitted}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 0}, {Key: "applicantId", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ApplicantID
	}
	return out, nil
}
