package app

import (
	"context"
	"fmt"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/fielderr"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// Import stores one profile per row, all or nothing.
//
// How "all or nothing" holds without transactions:
//
//  1. Every row is validated first (by the caller's parser and by
//     domain.New here), and every row is checked against what is stored:
//     an e-mail address already imported by another file is a row error.
//     Any problem refuses the whole file with every problem listed, and
//     nothing is written.
//  2. The batch is recorded in the import log under its id (a hash of the
//     file). The profile ids are derived from the e-mail addresses, so the
//     same file always yields the same ids.
//  3. The profiles are inserted, each with its profile.created event in its
//     own document (the outbox), then the batch is marked complete.
//
// If the process dies during step 3, some profiles exist and the batch is
// still "inserting". Sending the same file again passes step 1 (its rows
// belong to this batch), finds the batch in the log and inserts only the
// missing profiles: the existing ones are kept with the events they already
// carry, so no event is published twice. Once the batch is complete,
// sending the file again changes nothing.
func (s *Service) Import(ctx context.Context, by, batchID string, rows []domain.ImportRow, problems []domain.RowProblem) (apiprofiles.ImportResult, error) {
	now := s.now().UTC()
	if len(problems) == 0 {
		// A file imported completely before is not looked at again.
		done, err := s.imports.Lookup(ctx, batchID)
		if err != nil {
			return apiprofiles.ImportResult{}, fmt.Errorf("look up import batch: %w", err)
		}
		if done != nil && done.Status == ImportComplete {
			res := apiprofiles.ImportResult{BatchID: batchID, Rows: len(rows), AlreadyImported: true, Items: make([]apiprofiles.ImportedRow, len(rows))}
			for i, r := range rows {
				res.Items[i] = apiprofiles.ImportedRow{Line: r.Line, ID: domain.ImportedID(r.Email)}
			}
			return res, nil
		}
	}
	ids := make([]string, len(rows))
	profiles := make([]*domain.Profile, 0, len(rows))
	for i, r := range rows {
		ids[i] = domain.ImportedID(r.Email)
		p, err := domain.New(ids[i], r.Draft, now, by)
		if err != nil {
			problems = append(problems, rowProblems(r.Line, err)...)
			continue
		}
		p.Email, p.ImportBatch, p.ImportedBy = r.Email, batchID, by
		profiles = append(profiles, p)
	}
	stored, err := s.profiles.ImportBatches(ctx, ids)
	if err != nil {
		return apiprofiles.ImportResult{}, fmt.Errorf("check stored profiles: %w", err)
	}
	for i, r := range rows {
		switch b, ok := stored[ids[i]]; {
		case !ok || b == batchID:
		case b == TombstoneBatch:
			problems = append(problems, fielderr.New("email", fielderr.NotAvailable, nil,
				"the profile imported for this e-mail address is being erased; import it again in a minute").At(r.Line))
		default:
			problems = append(problems, fielderr.New("email", fielderr.Duplicate, nil,
				"a profile for this e-mail address was already imported from another file").At(r.Line))
		}
	}
	if len(problems) > 0 {
		domain.SortProblems(problems)
		return apiprofiles.ImportResult{}, &domain.ImportError{Problems: problems}
	}

	res := apiprofiles.ImportResult{BatchID: batchID, Rows: len(rows), Items: make([]apiprofiles.ImportedRow, len(rows))}
	for i, r := range rows {
		res.Items[i] = apiprofiles.ImportedRow{Line: r.Line, ID: ids[i]}
	}
	prev, err := s.imports.Begin(ctx, ImportBatch{ID: batchID, By: by, Rows: len(rows),
		Status: ImportInserting, StartedAt: now})
	if err != nil {
		return apiprofiles.ImportResult{}, fmt.Errorf("record import batch: %w", err)
	}
	if prev != nil && prev.Status == ImportComplete {
		res.AlreadyImported = true
		return res, nil
	}
	evs := make([][]events.Envelope, len(profiles))
	for i, p := range profiles {
		ev, err := createdEvent(p)
		if err != nil {
			return apiprofiles.ImportResult{}, err
		}
		evs[i] = []events.Envelope{ev}
	}
	n, err := s.profiles.InsertImported(ctx, profiles, evs)
	if err != nil {
		return apiprofiles.ImportResult{}, fmt.Errorf("insert imported profiles (send the same file again to finish): %w", err)
	}
	res.Inserted = n
	if err := s.imports.Complete(ctx, batchID, s.now().UTC()); err != nil {
		return apiprofiles.ImportResult{}, fmt.Errorf("complete import batch: %w", err)
	}
	return res, nil
}

func rowProblems(line int, err error) []domain.RowProblem {
	ve, ok := err.(*domain.ValidationError)
	if !ok {
		return []domain.RowProblem{fielderr.New("", fielderr.Format, nil, err.Error()).At(line)}
	}
	out := make([]domain.RowProblem, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.At(line)
	}
	return out
}
