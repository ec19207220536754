package app

import (
	"context"
	"errors"

	"github.com/talentbridge/platform/services/placements/internal/domain"
	"github.com/talentbridge/platform/services/placements/internal/visa"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/placementrules"
)

// Visa answers GET /placements/{id}/visa for whoever may read the
// placement: the likely visa and, for a paid placement in Japan, the
// points estimate, from the program's and the participant's read models.
// A participant who erased their profile gets the pathway without the
// profile's facts (the estimate then says what is missing). Facts holds
// what profiles do not record and the reader may give to refine the
// estimate.
func (s *Service) Visa(ctx context.Context, a domain.Actor, id string, facts VisaFacts) (api.VisaResponse, error) {
	p, err := s.Read(ctx, a, id)
	if err != nil {
		return api.VisaResponse{}, err
	}
	in := visa.Input{Direction: p.Direction, Kind: p.Kind,
		Start: p.StartDate.Format(placementrules.DateLayout), End: p.EndDate.Format(placementrules.DateLayout),
		ExperienceYears: facts.ExperienceYears, ResearchAchievements: facts.ResearchAchievements}
	prog, err := s.o.Models.Program(ctx, p.ProgramID)
	switch {
	case err == nil:
		if prog.Stipend != nil {
			in.Stipend = &visa.Stipend{Amount: prog.Stipend.Amount, Currency: prog.Stipend.Currency, Period: prog.Stipend.Period}
		}
	case !errors.Is(err, domain.ErrNotFound):
		return api.VisaResponse{}, err
	}
	prof, err := s.o.Models.Profile(ctx, p.ApplicantID)
	switch {
	case err == nil:
		in.DegreeLevel, in.BirthYear, in.Languages = prof.DegreeLevel, prof.BirthYear, prof.Languages
	case !errors.Is(err, domain.ErrNotFound):
		return api.VisaResponse{}, err
	}
	return visa.Pathway(placementrules.Visa(), placementrules.HSP(), in), nil
}

// VisaFacts are the points-table facts a profile does not hold; nil means
// not given. They refine one answer and are never stored.
type VisaFacts struct {
	// ExperienceYears is the years of professional experience.
	ExperienceYears *int
	// ResearchAchievements is how many kinds of research achievement
	// (patents, competitive grants, papers, other recognised work).
	ResearchAchievements *int
}
