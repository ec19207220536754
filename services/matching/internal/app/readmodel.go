package app

import (
	"context"
	"fmt"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// The read models are written here, by the durable consumers that one
// replica or another runs. Every replica's recommendations follow the same
// events on their own (Directory), not these writes.

// ApplyProfile stores a profile snapshot (profile.created or .updated,
// domain.ProfileFromEvent). A repeated or older version, or any version
// after the profile was erased, changes nothing.
func (s *Service) ApplyProfile(ctx context.Context, p domain.Profile) error {
	if p.ID == "" {
		return fmt.Errorf("%w: profile without id", events.ErrMalformed)
	}
	_, err := s.store.PutProfile(ctx, p)
	return err
}

// EraseApplicant carries out profile.erased: the profile becomes an id-only
// tombstone (so a late profile.updated cannot bring it back), and the
// applicant's applications, rank list, places in hosts' rankings, matches
// and round participation are deleted. Audit entries, which hold ids only,
// stay. Repeating it changes nothing. (Every replica's recommendations
// forget the applicant when their directory reads the same event.)
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
	return s.store.EraseApplicant(ctx, id)
}

// ApplyProgram stores a program snapshot (program.published, .updated or
// .closed, domain.ProgramFromEvent); a repeated or older version changes
// nothing.
func (s *Service) ApplyProgram(ctx context.Context, p domain.Program) error {
	if p.ID == "" {
		return fmt.Errorf("%w: program without id", events.ErrMalformed)
	}
	_, err := s.store.PutProgram(ctx, p)
	return err
}

// EraseAuthor carries out user.deleted for what the person wrote: each
// message they wrote keeps its place, id, time and role in its thread, so
// the applicant's side of the conversation still reads in order, but
// loses its subject and body (DESIGN.md §6: nothing identifying remains
// but ids). Applicants' own data goes with profile.erased (EraseApplicant).
func (s *Service) EraseAuthor(ctx context.Context, id string) error {
	return s.store.EraseAuthor(ctx, id)
}
