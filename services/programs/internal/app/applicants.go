package app

import (
	"context"
	"errors"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/services/programs/internal/search"
	"github.com/talentbridge/platform/shared/eligibility"
)

// ErrNoProfile means the caller asked for the programs they may apply to
// but the service holds no profile of theirs (none yet, or its event has
// not arrived).
var ErrNoProfile = errors.New("no profile")

// ApplicantStore is the read model of applicants' eligibility facts, built
// from profile events: only what eligibility.Check reads, kept so that a
// search can filter by it without asking the profiles service. Writes are
// ordered by the profile's version: an older event never replaces a newer
// one, and an erased profile stays erased (its record keeps the id and
// version only).
type ApplicantStore interface {
	PutApplicant(ctx context.Context, id string, version int64, a eligibility.Applicant) error
	EraseApplicant(ctx context.Context, id string, version int64) error
	// Applicant returns the facts, or ok false when there are none.
	Applicant(ctx context.Context, id string) (a eligibility.Applicant, ok bool, err error)
}

// UseApplicants connects the eligibility filter of search to its read model.
func (s *Service) UseApplicants(st ApplicantStore) { s.applicants = st }

// ProfileChanged records the eligibility facts of a profile at version.
func (s *Service) ProfileChanged(ctx context.Context, id string, version int64, a eligibility.Applicant) error {
	if s.applicants == nil {
		return nil
	}
	return s.applicants.PutApplicant(ctx, id, version, a)
}

// ProfileErased forgets a profile's facts for good.
func (s *Service) ProfileErased(ctx context.Context, id string, version int64) error {
	if s.applicants == nil {
		return nil
	}
	return s.applicants.EraseApplicant(ctx, id, version)
}

// ExportApplicant returns the facts held about a user, for their export.
func (s *Service) ExportApplicant(ctx context.Context, id string) (*eligibility.Applicant, error) {
	if s.applicants == nil {
		return nil, nil
	}
	a, ok, err := s.applicants.Applicant(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	return &a, nil
}

// SearchFor answers q for a. With q.Eligible only an applicant may ask,
// and only the programs their profile may apply to are kept, decided by
// eligibility.Check as matching decides it.
func (s *Service) SearchFor(ctx context.Context, a domain.Actor, q search.Query) (search.Result, error) {
	if q.Eligible {
		if a.Role != domain.RoleApplicant || a.ID == "" || s.applicants == nil {
			return search.Result{}, domain.ErrNotApplicant
		}
		facts, ok, err := s.applicants.Applicant(ctx, a.ID)
		if err != nil {
			return search.Result{}, err
		}
		if !ok {
			return search.Result{}, ErrNoProfile
		}
		q.Applicant = &facts
	}
	return s.index.Search(q, a), nil
}
