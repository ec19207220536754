package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/talentbridge/platform/services/placements/internal/domain"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/events"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Read returns a placement a may see; to anyone else it does not exist.
func (s *Service) Read(ctx context.Context, a domain.Actor, id string) (*domain.Placement, error) {
	p, err := s.o.Placements.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.MaySee(a) {
		return nil, domain.ErrNotFound
	}
	return p, nil
}

// Mine lists the applicant's placements, newest first.
func (s *Service) Mine(ctx context.Context, applicantID string) ([]*domain.Placement, error) {
	return s.o.Placements.Find(ctx, Filter{ApplicantID: applicantID})
}

// ListQuery is GET /placements: a host sees the placements of their own
// programs, coordinators all.
type ListQuery struct {
	ProgramID string
	Status    string
}

// Validate checks the query's values.
func (q ListQuery) Validate() error {
	if q.Status != "" && !slices.Contains(api.Statuses, q.Status) {
		return &domain.ValidationError{Fields: []domain.FieldError{fielderr.NewOneOf(api.FieldStatus, api.Statuses)}}
	}
	return nil
}

// List returns the placements a may see that match q.
func (s *Service) List(ctx context.Context, a domain.Actor, q ListQuery) ([]*domain.Placement, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	f := Filter{ProgramID: q.ProgramID}
	if !a.Coordinator {
		f.HostID = a.ID
	}
	ps, err := s.o.Placements.Find(ctx, f)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := ps[:0]
	for _, p := range ps {
		switch q.Status {
		case "":
		case api.StatusAtRisk:
			if !p.AtRisk(now) {
				continue
			}
		default:
			if p.Status(now) != q.Status {
				continue
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func finished(p *domain.Placement, typ string, a domain.Actor, now time.Time) placementsev.PlacementFinished {
	return placementsev.PlacementFinished{PlacementID: p.ID, MatchID: p.MatchID, ApplicantID: p.ApplicantID,
		ProgramID: p.ProgramID, HostID: p.HostID, Direction: p.Direction, Kind: p.Kind, Status: p.Finished,
		ActorID: a.ID, At: now}
}

// update applies change to a placement a may see.
func (s *Service) update(ctx context.Context, a domain.Actor, id string, change Change) (*domain.Placement, error) {
	return s.o.Placements.Update(ctx, id, func(p *domain.Placement) ([]events.Envelope, error) {
		if !p.MaySee(a) {
			return nil, domain.ErrNotFound
		}
		return change(p)
	})
}

func (s *Service) event(ctx context.Context, typ string, p *domain.Placement, data any) ([]events.Envelope, error) {
	ev, err := events.NewWithContext(ctx, placementsev.Source, typ, p.ID, p.Version, data)
	if err != nil {
		return nil, err
	}
	return []events.Envelope{ev}, nil
}

// MarkDone marks a task done (task.done).
func (s *Service) MarkDone(ctx context.Context, a domain.Actor, id, taskID, note string) (*domain.Task, error) {
	var done domain.Task
	now := s.now()
	_, err := s.update(ctx, a, id, func(p *domain.Placement) ([]events.Envelope, error) {
		t, err := p.MarkDone(a, taskID, note, now)
		if err != nil {
			return nil, err
		}
		done = *t
		return s.event(ctx, events.TaskDone, p, placementsev.TaskDone{PlacementID: p.ID, ApplicantID: p.ApplicantID,
			ProgramID: p.ProgramID, HostID: p.HostID, TaskID: t.ID, Party: t.Party, ActorID: a.ID, At: now})
	})
	if err != nil {
		return nil, err
	}
	return &done, nil
}

// Complete marks a placement completed (placement.completed).
func (s *Service) Complete(ctx context.Context, a domain.Actor, id string) (*domain.Placement, error) {
	now := s.now()
	return s.update(ctx, a, id, func(p *domain.Placement) ([]events.Envelope, error) {
		if err := p.Complete(a, now); err != nil {
			return nil, err
		}
		return s.event(ctx, events.PlacementCompleted, p, finished(p, events.PlacementCompleted, a, now))
	})
}

// End ends a placement early (placement.ended); the reason stays here.
func (s *Service) End(ctx context.Context, a domain.Actor, id, reason string) (*domain.Placement, error) {
	now := s.now()
	return s.update(ctx, a, id, func(p *domain.Placement) ([]events.Envelope, error) {
		if err := p.End(a, reason, now); err != nil {
			return nil, err
		}
		return s.event(ctx, events.PlacementEnded, p, finished(p, events.PlacementEnded, a, now))
	})
}

// Feedback records one side's feedback; it causes no event.
func (s *Service) Feedback(ctx context.Context, a domain.Actor, id string, rating int, comment string) (*domain.Placement, error) {
	now := s.now()
	return s.update(ctx, a, id, func(p *domain.Placement) ([]events.Envelope, error) {
		return nil, p.GiveFeedback(a, rating, comment, now)
	})
}

// AlertOverdue announces every open task past its due date once
// (task.overdue, to the task's party) and returns how many it announced.
func (s *Service) AlertOverdue(ctx context.Context) (int, error) {
	now := s.now()
	today := domain.Today(now)
	ps, err := s.o.Placements.Find(ctx, Filter{Unfinished: true, AlertBefore: today})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range ps {
		k := 0
		_, err := s.o.Placements.Update(ctx, p.ID, func(p *domain.Placement) ([]events.Envelope, error) {
			var evs []events.Envelope
			if p.Finished != "" {
				return nil, nil
			}
			for i := range p.Tasks {
				t := &p.Tasks[i]
				if t.Alerted || !t.Overdue(now) {
					continue
				}
				t.Alerted = true
				p.Version++
				recipient := map[string]string{placementsev.PartyApplicant: p.ApplicantID, placementsev.PartyHost: p.HostID}[t.Party]
				ev, err := events.NewWithContext(ctx, placementsev.Source, events.TaskOverdue, p.ID, p.Version, placementsev.TaskOverdue{
					PlacementID: p.ID, ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, HostID: p.HostID, TaskID: t.ID,
					Party: t.Party, RecipientID: recipient, DueDate: t.Due.Format("2006-01-02"), At: now})
				if err != nil {
					return nil, err
				}
				evs = append(evs, ev)
			}
			k = len(evs)
			return evs, nil
		})
		if err != nil {
			return n, fmt.Errorf("alert placement %s: %w", p.ID, err)
		}
		n += k
	}
	return n, nil
}

// Erase keeps of an erased participant's placements only ids, dates,
// status and counts, and forgets their profile. Running it again changes
// nothing more.
func (s *Service) Erase(ctx context.Context, personID string) error {
	ps, err := s.o.Placements.Find(ctx, Filter{ApplicantID: personID})
	if err != nil {
		return err
	}
	now := s.now()
	for _, p := range ps {
		if p.Erased {
			continue
		}
		if _, err := s.o.Placements.Update(ctx, p.ID, func(p *domain.Placement) ([]events.Envelope, error) {
			if !p.Erased {
				p.Erase(now)
			}
			return nil, nil
		}); err != nil {
			return fmt.Errorf("erase placement %s: %w", p.ID, err)
		}
	}
	return s.o.Models.EraseProfile(ctx, personID)
}
