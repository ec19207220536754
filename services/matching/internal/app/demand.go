package app

import (
	"context"

	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// Demand is how contested one program of a round is: its seats, how many
// of the round's applicants rank it, and how many rank it first.
type Demand struct {
	ProgramID   string
	Seats       int
	Ranked      int
	RankedFirst int
}

// Demand counts, for each program of a round, the rank lists naming it
// (DESIGN.md §5 "Round lifecycle"). The lists counted are those of the
// applicants with a live application to one of the round's programs (in
// a vacancy round, only its admitted applicants), each list cut to the
// round's programs the applicant applied to, as a run reads it; "first"
// is the first program left after that cut. Applicants without a rank
// list are not counted. Three reads (applications, rank lists, programs)
// and one pass in memory, whatever the number of programs.
//
// Coordinators may read any round's demand; an applicant only that of a
// round they have a live application in, and anyone else gets not found.
func (s *Service) Demand(ctx context.Context, c Caller, roundID string) ([]Demand, error) {
	r, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	apps, err := s.store.LiveApplicationsTo(ctx, r.ProgramIDs)
	if err != nil {
		return nil, err
	}
	admitted := r.Admitted()
	applied := map[string]map[string]bool{}
	var ids []string
	for _, a := range apps {
		if admitted != nil && !admitted[a.ApplicantID] {
			continue
		}
		if applied[a.ApplicantID] == nil {
			applied[a.ApplicantID] = map[string]bool{}
			ids = append(ids, a.ApplicantID)
		}
		applied[a.ApplicantID][a.ProgramID] = true
	}
	if !c.Coordinator() && applied[c.ID] == nil {
		return nil, domain.NotFound("round")
	}
	lists, err := s.store.Rankings(ctx, ids)
	if err != nil {
		return nil, err
	}
	progs, err := s.store.Programs(ctx, r.ProgramIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Demand, len(r.ProgramIDs))
	at := make(map[string]int, len(r.ProgramIDs))
	for i, id := range r.ProgramIDs {
		seats := 0
		if p, ok := progs[id]; ok && p.Allocatable() {
			seats = r.SeatsOf(id, p.Seats)
		}
		out[i] = Demand{ProgramID: id, Seats: seats}
		at[id] = i
	}
	for _, a := range ids {
		first := true
		seen := map[string]bool{}
		for _, p := range lists[a] {
			i, inRound := at[p]
			if !inRound || !applied[a][p] || seen[p] {
				continue
			}
			seen[p] = true
			out[i].Ranked++
			if first {
				out[i].RankedFirst++
				first = false
			}
		}
	}
	return out, nil
}
