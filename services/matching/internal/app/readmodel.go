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
	prof := domain.ProfileFromEvent(p, version)
	wrote, err := s.store.PutProfile(ctx, prof)
	if err != nil {
		return err
	}
	if wrote {
		s.stored([]domain.Profile{prof}, nil)
	}
	return nil
}

// stored hands read-model entries this replica wrote to the directory. A
// failure there is the directory's to catch up on at its next sync; the
// entries themselves are stored.
func (s *Service) stored(profiles []domain.Profile, programs []domain.Program) {
	if s.dir == nil {
		return
	}
	if err := s.dir.Stored(profiles, programs); err != nil {
		s.log.Warn("update recommendations", "err", err)
		s.dir.Kick()
	}
}

// EraseApplicant carries out profile.erased: the profile becomes an id-only
// tombstone (so a late profile.updated cannot bring it back), and the
// applicant's applications, rank list, places in hosts' rankings, matches
// and round participation are deleted; the recommender forgets them at
// once, on every replica. Audit entries, which hold ids only, stay. Repeating it changes
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
	tomb, ok, err := s.store.StoredProfile(ctx, id)
	if err != nil {
		return err
	}
	if ok {
		s.stored([]domain.Profile{tomb}, nil)
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
	prog := domain.ProgramFromEvent(p, version)
	wrote, err := s.store.PutProgram(ctx, prog)
	if err != nil {
		return err
	}
	if wrote {
		s.stored(nil, []domain.Program{prog})
	}
	return nil
}
