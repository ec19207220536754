package app

import (
	"context"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
)

// Application review (DESIGN.md §3 "Application review, interviews and
// messages"): stages moved by the host of the program and coordinators,
// documents attached by the applicant.

// writeAttempts bounds the retries of a conditional write that lost to a
// concurrent change.
const writeAttempts = 3

// reviewable loads an application the caller may review: one to a program
// the caller hosts, or any for a coordinator. Anyone else's is not found.
func (s *Service) reviewable(ctx context.Context, c Caller, id string) (*domain.Application, *domain.Program, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if isNotFound(err) {
		return nil, nil, domain.NotFound("application")
	}
	if err != nil {
		return nil, nil, err
	}
	if !c.Coordinator() && p.HostID != c.ID {
		return nil, nil, domain.NotFound("application")
	}
	return a, p, nil
}

// partyApplication loads an application whose thread and interview the
// caller takes part in: their own, one to a program they host, or any for
// a coordinator.
func (s *Service) partyApplication(ctx context.Context, c Caller, id string) (*domain.Application, *domain.Program, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if a.ApplicantID == c.ID {
		p, err := s.store.Program(ctx, a.ProgramID)
		if isNotFound(err) {
			p, err = &domain.Program{ID: a.ProgramID, HostID: a.HostID}, nil
		}
		return a, p, err
	}
	return s.reviewable(ctx, c, id)
}

// MoveStage moves an application to stage (reviewing, shortlisted,
// not_shortlisted or interviewed) for the host of its program or a
// coordinator; ch carries the pass reason and the private note.
func (s *Service) MoveStage(ctx context.Context, c Caller, id, stage string, ch domain.StageChange) (*domain.Application, error) {
	for range writeAttempts {
		a, _, err := s.reviewable(ctx, c, id)
		if err != nil {
			return nil, err
		}
		ch.At, ch.By, ch.ByRole = s.now(), c.ID, c.Role
		from, err := a.Move(stage, ch)
		if err != nil {
			return nil, err
		}
		ev, err := s.stagedEvent(ctx, a, from, c)
		if err != nil {
			return nil, err
		}
		ok, err := s.store.ReviewApplication(ctx, a, []events.Envelope{ev})
		if err != nil {
			return nil, err
		}
		if ok {
			s.audit(ctx, domain.AuditEntry{At: ch.At, ActorID: c.ID, ActorRole: c.Role, Action: "application." + stage,
				EntityType: domain.EntityApplication, EntityID: a.ID, Note: ch.ReasonCode})
			return a, nil
		}
	}
	return nil, errConflictRetry
}

// stagedEvent is the application.staged event of a's last move.
func (s *Service) stagedEvent(ctx context.Context, a *domain.Application, from string, c Caller) (events.Envelope, error) {
	last := a.History[len(a.History)-1]
	return s.event(ctx, events.ApplicationStaged, a.ID, a.Version, matchingev.ApplicationStaged{
		ApplicationID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, HostID: a.HostID,
		Stage: a.Stage, Previous: from, ReasonCode: last.ReasonCode, ActorID: c.ID, ActorRole: c.Role, At: last.At})
}

// SetDocuments replaces the documents attached to one of the caller's
// applications. The ids belong to the documents service, which decides
// from the application.documents event what the host may read; this
// service checks their shape only.
func (s *Service) SetDocuments(ctx context.Context, c Caller, id string, documentIDs []string) (*domain.Application, error) {
	if err := domain.ValidateDocumentIDs(documentIDs); err != nil {
		return nil, err
	}
	for range writeAttempts {
		a, err := s.ownApplication(ctx, c, id)
		if err != nil {
			return nil, err
		}
		if err := a.SetDocuments(documentIDs); err != nil {
			return nil, err
		}
		ev, err := s.event(ctx, events.ApplicationDocuments, a.ID, a.Version, matchingev.ApplicationDocuments{
			ApplicationID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, DocumentIDs: a.DocumentIDs, At: s.now()})
		if err != nil {
			return nil, err
		}
		ok, err := s.store.ReviewApplication(ctx, a, []events.Envelope{ev})
		if err != nil {
			return nil, err
		}
		if ok {
			return a, nil
		}
	}
	return nil, errConflictRetry
}

// ReviewView is an application as the host of its program sees it: with
// the applicant's profile (nil once erased) — they applied, so the host
// sees their statement.
type ReviewView struct {
	Application  domain.Application
	Profile      *domain.Profile
	ProgramTitle string
}

// ProgramApplications returns the live applications to a program the
// caller hosts (any for a coordinator), oldest first.
func (s *Service) ProgramApplications(ctx context.Context, c Caller, programID string) ([]ReviewView, error) {
	p, err := s.hostedProgram(ctx, c, programID)
	if err != nil {
		return nil, err
	}
	apps, err := s.store.LiveApplicationsTo(ctx, []string{p.ID})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.ApplicantID
	}
	profs, err := s.store.Profiles(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]ReviewView, len(apps))
	for i, a := range apps {
		out[i] = ReviewView{Application: a, ProgramTitle: p.Title}
		if pr, ok := profs[a.ApplicantID]; ok {
			out[i].Profile = &pr
		}
	}
	return out, nil
}
