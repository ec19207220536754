// Package app holds the profiles service's use cases: creating, reading,
// changing and erasing profiles, who may read which profile, the data
// export, the import of profiles from a file, and the read model of
// applications that decides what hosts may see.
package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// Service runs the use cases.
type Service struct {
	profiles ProfileStore
	apps     ApplicationStore
	imports  ImportLog
	drafts   DraftStore
	collect  Collector
	now      func() time.Time
}

// Options are the service's ports.
type Options struct {
	Profiles     ProfileStore
	Applications ApplicationStore
	Imports      ImportLog
	Drafts       DraftStore
	Collector    Collector
	// Now is the clock; time.Now by default.
	Now func() time.Time
}

// New returns the use cases over the given ports.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{profiles: o.Profiles, apps: o.Applications, imports: o.Imports,
		drafts: o.Drafts, collect: o.Collector, now: o.Now}
}

// Create stores the profile of the applicant ownerID; the profile's id is
// the owner's account id, so there is one profile per account.
func (s *Service) Create(ctx context.Context, ownerID string, d domain.Draft) (*domain.Profile, error) {
	p, err := domain.New(ownerID, d, s.now(), "")
	if err != nil {
		return nil, err
	}
	ev, err := createdEvent(p)
	if err != nil {
		return nil, err
	}
	if err := s.profiles.Insert(ctx, p, []events.Envelope{ev}); err != nil {
		return nil, err
	}
	// The draft has served its purpose. Should deleting it fail, it is
	// still erased with the profile, or expires.
	_ = s.drafts.DeleteDraft(ctx, ownerID)
	return p, nil
}

// Mine returns the caller's own profile.
func (s *Service) Mine(ctx context.Context, ownerID string) (*domain.Profile, error) {
	return s.profiles.Get(ctx, ownerID)
}

// Revise replaces the caller's profile with d. Nothing is written, and no
// event published, when d changes nothing.
func (s *Service) Revise(ctx context.Context, ownerID string, d domain.Draft) (*domain.Profile, error) {
	p, err := s.profiles.Update(ctx, ownerID, func(p *domain.Profile) ([]events.Envelope, error) {
		changed, err := p.Revise(d, s.now())
		if err != nil || !changed {
			return nil, err
		}
		ev, err := updatedEvent(p)
		if err != nil {
			return nil, err
		}
		return []events.Envelope{ev}, nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Erase erases the caller's profile, their draft and every entry about
// them in the applications read model, and publishes profile.erased. It returns
// domain.ErrProfileNotFound when there is no profile (the read model is
// cleaned anyway).
func (s *Service) Erase(ctx context.Context, ownerID string) error {
	err := s.profiles.Erase(ctx, ownerID, erasedEvent)
	if derr := s.drafts.DeleteDraft(ctx, ownerID); derr != nil {
		err = errors.Join(err, derr)
	}
	if rerr := s.apps.RemoveApplicant(ctx, ownerID); rerr != nil {
		return errors.Join(err, fmt.Errorf("remove applications: %w", rerr))
	}
	return err
}

// EraseAccount is Erase for a deleted account: a missing profile is not an
// error, so a repeated user.deleted event changes nothing.
func (s *Service) EraseAccount(ctx context.Context, userID string) error {
	err := s.Erase(ctx, userID)
	if errors.Is(err, domain.ErrProfileNotFound) {
		return nil
	}
	return err
}

// Role is the kind of caller reading a profile.
type Role int

// Roles of readers.
const (
	RoleApplicant Role = iota
	RoleHost
	RoleCoordinator
)

// Caller is who asks.
type Caller struct {
	ID   string
	Role Role
}

// Audience says how much of a profile a reader sees.
type Audience int

// Audiences.
const (
	// AudienceFull is the owner or a coordinator: everything.
	AudienceFull Audience = iota
	// AudienceHost is the host of a program the applicant applied to: the
	// profile without gender, categories, guardian or e-mail address.
	AudienceHost
)

// Read returns profile id if the caller may see it: its owner; a
// coordinator; a host while the applicant has a live application to one of
// the host's programs (applying shows the application to that host, the
// notice says so). An applicant who only lets eligible hosts find them is
// listed on the candidates lists of the matching service, never here. In
// every other case it returns domain.ErrProfileNotFound, so ids cannot be
// probed.
func (s *Service) Read(ctx context.Context, c Caller, id string) (*domain.Profile, Audience, error) {
	switch c.Role {
	case RoleCoordinator:
		p, err := s.profiles.Get(ctx, id)
		return p, AudienceFull, err
	case RoleApplicant:
		if c.ID != id {
			return nil, 0, domain.ErrProfileNotFound
		}
		p, err := s.profiles.Get(ctx, id)
		return p, AudienceFull, err
	case RoleHost:
		applied, err := s.apps.HasApplied(ctx, id, c.ID)
		if err != nil {
			return nil, 0, err
		}
		if !applied {
			return nil, 0, domain.ErrProfileNotFound
		}
		p, err := s.profiles.Get(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		return p, AudienceHost, nil
	}
	return nil, 0, domain.ErrProfileNotFound
}

// List returns a page of profiles for coordinators.
func (s *Service) List(ctx context.Context, q Query) ([]*domain.Profile, int64, error) {
	return s.profiles.Search(ctx, q)
}

// RecordApplication applies an application.submitted or .withdrawn event
// to the read model.
func (s *Service) RecordApplication(ctx context.Context, a Application, version int64) error {
	return s.apps.Record(ctx, a, version)
}

// RecordImported applies an applications.imported event: the applications
// a coordinator's rank import recorded for one applicant, each a
// submission at version 1.
func (s *Service) RecordImported(ctx context.Context, as []Application) error {
	if len(as) == 0 {
		return nil
	}
	return s.apps.RecordSubmitted(ctx, as)
}
