package app

import (
	"context"
	"math/rand/v2"
	"slices"

	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// DefaultVacancyOfferDays is how long a vacancy round's offers stay open
// unless the coordinator says otherwise: a vacancy round is the short
// second chance after the main one (as the NRMP's SOAP).
const DefaultVacancyOfferDays = 2

// CreateVacancy records a vacancy round over what a published round left:
// each program's seats (as at the round's last run) less its live matches
// (proposed, approved, published or accepted), so seats never filled,
// declined, expired or rejected; programs with nothing left are not in it.
// Its applicants are the round's participants who hold no live match
// there: nobody who accepted, or still holds an offer, is placed again.
// They rank again among the vacancy programs: their rank list is the one
// they keep for every round, so it starts as their previous order filtered
// to those programs, and they may apply to and rank more of them before
// the vacancy round runs. The round's policy carries over as
// domain.VacancyPolicy says: regions' caps lowered by the seats already
// held in them, targets clipped to match; programs keep their reserves.
func (s *Service) CreateVacancy(ctx context.Context, c Caller, parentID, name string, offerDays *int) (*RoundView, error) {
	parent, err := s.store.Round(ctx, parentID)
	if err != nil {
		return nil, err
	}
	if parent.Status != domain.RoundPublished {
		return nil, domain.Conflict("round_not_published", "only a published round's leftovers can be offered again; this round is %s", parent.Status)
	}
	days := DefaultVacancyOfferDays
	if offerDays != nil {
		if days, err = domain.OfferDays(offerDays); err != nil {
			return nil, err
		}
	}
	matches, err := s.store.MatchesOfRound(ctx, parent.ID)
	if err != nil {
		return nil, err
	}
	progs, err := s.store.Programs(ctx, parent.ProgramIDs)
	if err != nil {
		return nil, err
	}
	held := map[string]int{}
	placed := map[string]bool{}
	for _, m := range matches {
		if m.Live() {
			held[m.ProgramID]++
			placed[m.ApplicantID] = true
		}
	}
	var programIDs []string
	limits := map[string]int{}
	for _, id := range parent.ProgramIDs {
		p, ok := progs[id]
		if !ok || !p.Allocatable() {
			continue
		}
		seats, ran := parent.Seats[id]
		if !ran {
			seats = parent.SeatsOf(id, p.Seats)
		}
		if left := seats - held[id]; left > 0 {
			programIDs = append(programIDs, id)
			limits[id] = left
		}
	}
	if len(programIDs) == 0 {
		return nil, domain.Conflict("no_vacancies", "every seat of the round is taken or offered; there is nothing to offer again")
	}
	entries, err := s.store.RoundApplicants(ctx, parent.ID)
	if err != nil {
		return nil, err
	}
	applicants := []string{}
	for _, e := range entries {
		if !placed[e.ApplicantID] {
			applicants = append(applicants, e.ApplicantID)
		}
	}
	slices.Sort(applicants)
	applicants = slices.Compact(applicants)
	now := s.now()
	r, err := domain.NewRound(newID(), name, programIDs, rand.Int64N(domain.MaxSeed+1), c.ID, now)
	if err != nil {
		return nil, err
	}
	r.OfferDays, r.ParentID, r.SeatLimits, r.Applicants = days, parent.ID, limits, applicants
	r.Policy = domain.VacancyPolicy(parent.Policy, held, limits)
	if err := s.store.InsertRound(ctx, r); err != nil {
		return nil, err
	}
	s.audit(ctx, domain.AuditEntry{At: now, ActorID: c.ID, ActorRole: c.Role, Action: "round.vacancy.created",
		EntityType: domain.EntityRound, EntityID: r.ID, RoundID: r.ID, Note: "vacancy round of " + parent.ID})
	return s.view(ctx, r)
}

// vacancyAdmitted is, for a vacancy round, who may take part in its run:
// its listed applicants less anyone who since holds a live match in the
// round it came from. It excludes (through exclude) the pairs that round
// rejected, or whose offer was declined or expired there. For an ordinary
// round it is nil: anyone.
func (s *Service) vacancyAdmitted(ctx context.Context, r *domain.Round, exclude func(a, p, why string)) (map[string]bool, error) {
	if !r.IsVacancy() {
		return nil, nil
	}
	admitted := r.Admitted()
	ms, err := s.store.MatchesOfRound(ctx, r.ParentID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		switch {
		case m.Live():
			delete(admitted, m.ApplicantID)
		case m.Status == domain.MatchRejected:
			exclude(m.ApplicantID, m.ProgramID, domain.OutcomeRejected)
		case m.Status == domain.MatchDeclined:
			exclude(m.ApplicantID, m.ProgramID, domain.OutcomeDeclined)
		case m.Status == domain.MatchExpired:
			exclude(m.ApplicantID, m.ProgramID, domain.OutcomeExpired)
		}
	}
	return admitted, nil
}
