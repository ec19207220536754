package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/placements/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
	"github.com/talentbridge/platform/shared/placementrules"
)

// ErrNotYetKnown: an accepted offer arrived before the program or the
// profile it needs; the consumer tries again later.
var ErrNotYetKnown = errors.New("the program or the profile has not arrived yet")

// Options are the service's ports.
type Options struct {
	Placements PlacementStore
	Models     ReadModels
	// Rules is the checklist; the embedded one when nil.
	Rules *placementrules.Checklist
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Service is the placements service's use cases.
type Service struct {
	o Options
}

// New returns the use cases over the given ports.
func New(o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rules == nil {
		r, err := placementrules.DefaultChecklist()
		if err != nil {
			return nil, err
		}
		o.Rules = r
	}
	return &Service{o: o}, nil
}

func (s *Service) now() time.Time { return s.o.Now().UTC().Truncate(time.Millisecond) }

// Clock returns the service's current time.
func (s *Service) Clock() time.Time { return s.now() }

// AcceptedOffer is what offer.accepted says.
type AcceptedOffer struct {
	MatchID, ApplicantID, ProgramID, HostID string
}

// CreateFromOffer makes the placement of an accepted offer, once: a
// repeated offer.accepted finds the placement of its match and adds
// nothing. It reports whether it made one.
func (s *Service) CreateFromOffer(ctx context.Context, o AcceptedOffer) (bool, error) {
	prog, err := s.o.Models.Program(ctx, o.ProgramID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, fmt.Errorf("%w: program %s", ErrNotYetKnown, o.ProgramID)
	}
	if err != nil {
		return false, err
	}
	prof, err := s.o.Models.Profile(ctx, o.ApplicantID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, fmt.Errorf("%w: profile %s", ErrNotYetKnown, o.ApplicantID)
	}
	if err != nil {
		return false, err
	}
	host := o.HostID
	if host == "" {
		host = prog.HostID
	}
	now := s.now()
	p, err := domain.New(uuid.Must(uuid.NewV7()).String(), domain.Offer{MatchID: o.MatchID, ApplicantID: o.ApplicantID,
		ProgramID: o.ProgramID, HostID: host, HostCountry: prog.HostCountry, HomeCountry: prof.HomeCountry,
		Kind: prog.Kind, StartDate: prog.StartDate, EndDate: prog.EndDate}, s.o.Rules, now)
	if err != nil {
		return false, err
	}
	ev, err := events.NewWithContext(ctx, placementsev.Source, events.PlacementCreated, p.ID, p.Version, placementsev.PlacementCreated{
		PlacementID: p.ID, MatchID: p.MatchID, ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, HostID: p.HostID,
		Direction: p.Direction, Kind: p.Kind, StartDate: prog.StartDate, EndDate: prog.EndDate, Tasks: len(p.Tasks), CreatedAt: now})
	if err != nil {
		return false, err
	}
	return s.o.Placements.Create(ctx, p, []events.Envelope{ev})
}

// RecordProgram keeps a program's facts and, when its dates changed,
// reschedules the checklists of its unfinished placements.
func (s *Service) RecordProgram(ctx context.Context, p Program, version int64) error {
	before, err := s.o.Models.Program(ctx, p.ID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	stored, err := s.o.Models.RecordProgram(ctx, p, version)
	if err != nil || !stored || before == nil {
		return err
	}
	if before.StartDate == p.StartDate && before.EndDate == p.EndDate {
		return nil
	}
	return s.reschedule(ctx, p)
}

// reschedule moves the due dates of the program's unfinished placements.
// Running it twice gives the same dates.
func (s *Service) reschedule(ctx context.Context, prog Program) error {
	ps, err := s.o.Placements.Find(ctx, Filter{ProgramID: prog.ID, Unfinished: true})
	if err != nil {
		return err
	}
	now := s.now()
	for _, p := range ps {
		_, err := s.o.Placements.Update(ctx, p.ID, func(p *domain.Placement) ([]events.Envelope, error) {
			if p.Finished != "" {
				return nil, nil
			}
			if err := p.Reschedule(prog.StartDate, prog.EndDate, s.o.Rules); err != nil {
				return nil, err
			}
			p.History = append(p.History, domain.Audit{Action: domain.ActionResched, Role: "system",
				Note: prog.StartDate + "/" + prog.EndDate, At: now})
			p.Version++
			return nil, nil
		})
		if err != nil {
			return fmt.Errorf("reschedule placement %s: %w", p.ID, err)
		}
	}
	return nil
}

// RecordProfile keeps where an applicant comes from.
func (s *Service) RecordProfile(ctx context.Context, p Profile, version int64) error {
	_, err := s.o.Models.RecordProfile(ctx, p, version)
	return err
}
