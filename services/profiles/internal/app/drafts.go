package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
)

// A draft is a profile being written: the answers an applicant gave so far
// in the wizard or in one section of the profile page, kept so that a
// change of language, a reload or another device does not lose them. It
// is personal data: it is exported, erased with the profile and the
// account, deleted once the profile is created, and expires
// apiprofiles.DraftLifetime after its last change.

// Draft is one applicant's stored draft.
type Draft struct {
	OwnerID   string
	Form      string
	Profile   apiprofiles.ProfileRequest
	UpdatedAt time.Time
}

// DraftStore keeps at most one draft per applicant.
type DraftStore interface {
	// PutDraft stores d, replacing the owner's previous draft.
	PutDraft(ctx context.Context, d Draft) error
	// GetDraft returns the owner's draft or domain.ErrDraftNotFound.
	GetDraft(ctx context.Context, ownerID string) (*Draft, error)
	// DeleteDraft removes the owner's draft; none is not an error.
	DeleteDraft(ctx context.Context, ownerID string) error
	// DeleteDraftsBefore removes every draft last changed before t and
	// returns how many.
	DeleteDraftsBefore(ctx context.Context, t time.Time) (int64, error)
}

// DraftView is a draft as the API returns it.
func DraftView(d *Draft) apiprofiles.Draft {
	return apiprofiles.Draft{
		DraftRequest: apiprofiles.DraftRequest{Form: d.Form, Profile: d.Profile},
		UpdatedAt:    d.UpdatedAt, ExpiresAt: d.UpdatedAt.Add(apiprofiles.DraftLifetime),
	}
}

// SaveDraft stores the caller's draft.
func (s *Service) SaveDraft(ctx context.Context, ownerID string, r apiprofiles.DraftRequest) (*Draft, error) {
	if err := domain.CheckDraftForm(r.Form); err != nil {
		return nil, err
	}
	d := &Draft{OwnerID: ownerID, Form: r.Form, Profile: r.Profile, UpdatedAt: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.drafts.PutDraft(ctx, *d); err != nil {
		return nil, err
	}
	return d, nil
}

// Draft returns the caller's draft unless it expired (an expired one is
// deleted on the way).
func (s *Service) Draft(ctx context.Context, ownerID string) (*Draft, error) {
	d, err := s.drafts.GetDraft(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	if s.expired(d) {
		if err := s.drafts.DeleteDraft(ctx, ownerID); err != nil {
			return nil, err
		}
		return nil, domain.ErrDraftNotFound
	}
	return d, nil
}

// DeleteDraft removes the caller's draft.
func (s *Service) DeleteDraft(ctx context.Context, ownerID string) error {
	return s.drafts.DeleteDraft(ctx, ownerID)
}

// SweepDrafts deletes every expired draft.
func (s *Service) SweepDrafts(ctx context.Context) (int64, error) {
	return s.drafts.DeleteDraftsBefore(ctx, s.now().Add(-apiprofiles.DraftLifetime))
}

func (s *Service) expired(d *Draft) bool {
	return !d.UpdatedAt.Add(apiprofiles.DraftLifetime).After(s.now())
}

// ownDraft is the caller's live draft for the export, or nil.
func (s *Service) ownDraft(ctx context.Context, ownerID string) (*apiprofiles.Draft, error) {
	d, err := s.Draft(ctx, ownerID)
	switch {
	case errors.Is(err, domain.ErrDraftNotFound):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("load draft: %w", err)
	}
	v := DraftView(d)
	return &v, nil
}
