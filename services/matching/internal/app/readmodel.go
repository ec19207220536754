package app

import (
	"context"
	"fmt"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// ApplyProfile stores a profile snapshot (profile.created or .updated) at
// the event's version. A repeated or older version, or any version after
// the profile was erased, changes nothing.
func (s *Service) ApplyProfile(ctx context.Context, p profilesev.Profile, version int64) error {
	if p.ID == "" {
		return fmt.Errorf("%w: profile without id", events.ErrMalformed)
	}
	wrote, err := s.store.PutProfile(ctx, domain.ProfileFromEvent(p, version))
	if err != nil {
		return err
	}
	if wrote && s.dir != nil {
		s.dir.Kick()
	}
	return nil
}

// EraseApplicant carries out profile.erased: the profile becomes an id-only
// tombstone (so a late profile.updated cannot bring it back), and the
// applicant's applications, rank list, places in hosts' rankings, matches
// and round participation are deleted; the recommender forgets them at its
// next sync. Audit entries, which hold ids only, stay. Repeating it changes
// nothing.
//
// An erasure that arrives after the applicant made a new profile (a later
// incarnation) concerns data already gone and changes nothing.
func (s *Service) EraseApplicant(ctx context.Context, id string, version int64, at time.Time) error {
	if id == "" {
		return fmt.Errorf("%w: profile.erased without id", events.ErrMalformed)
	}
	erased, err := s.store.EraseProfile(ctx, id, version, at)
	if err != nil || !erased {
		return err
	}
	if err := s.store.EraseApplicant(ctx, id); err != nil {
		return err
	}
	if s.dir != nil {
		s.dir.Kick()
	}
	return nil
}

// ApplyProgram stores a program snapshot (program.published, .updated or
// .closed) at the event's version; a repeated or older one changes
// nothing.
func (s *Service) ApplyProgram(ctx context.Context, p programsev.Program, version int64) error {
	if p.ID == "" {
		return fmt.Errorf("%w: program without id", events.ErrMalformed)
	}
	wrote, err := s.store.PutProgram(ctx, domain.ProgramFromEvent(p, version))
	if err != nil {
		return err
	}
	if wrote && s.dir != nil {
		s.dir.Kick()
	}
	return nil
}
