package app

import (
	"context"
	"errors"
	"io"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/documents/internal/domain"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/events"
	docsev "github.com/talentbridge/platform/shared/events/documents"
)

// RequestReference records a letter request and returns it with its
// one-time token, which is stored only as a hash. The link is e-mailed to
// the referee when a Mailer is configured (emailed reports it).
func (s *Service) RequestReference(ctx context.Context, applicantID string, req apidocs.ReferenceRequest) (r *domain.Reference, token string, emailed bool, err error) {
	if err := domain.ValidateRequest(&req); err != nil {
		return nil, "", false, err
	}
	have, err := s.o.References.ReferencesOf(ctx, applicantID)
	if err != nil {
		return nil, "", false, err
	}
	if len(have) >= domain.MaxReferences {
		return nil, "", false, domain.ErrTooManyReferences
	}
	token, hash := newToken()
	now := s.now()
	r = &domain.Reference{ID: uuid.Must(uuid.NewV7()).String(), ApplicantID: applicantID,
		RefereeName: req.RefereeName, RefereeEmail: req.RefereeEmail, Relation: req.Relation,
		Waived: req.Waived, Language: req.Language, TokenHash: hash, RequestedAt: now,
		ExpiresAt: now.Add(domain.LinkLifetime)}
	ev, err := events.NewWithContext(ctx, docsev.Source, events.ReferenceRequested, r.ID, 1, docsev.ReferenceRequested{
		ReferenceID: r.ID, ApplicantID: applicantID, Waived: r.Waived, Language: r.Language,
		ExpiresAt: r.ExpiresAt, RequestedAt: now})
	if err != nil {
		return nil, "", false, err
	}
	if err := s.o.References.InsertReference(ctx, r, []events.Envelope{ev}); err != nil {
		return nil, "", false, err
	}
	if s.o.Mailer != nil {
		// A mail that cannot be queued does not undo the request: the
		// applicant sees the link and can pass it on.
		emailed = s.o.Mailer.RefereeLink(ctx, ev.ID, r, apidocs.UploadLinkPath(token)) == nil
	}
	return r, token, emailed, nil
}

// References lists the applicant's requests.
func (s *Service) References(ctx context.Context, applicantID string) ([]*domain.Reference, error) {
	return s.o.References.ReferencesOf(ctx, applicantID)
}

// Invitation returns the request behind a link, whatever its state; the
// caller shows the status.
func (s *Service) Invitation(ctx context.Context, token string) (*domain.Reference, error) {
	if token == "" || len(token) > 100 {
		return nil, domain.ErrNotFound
	}
	return s.o.References.ReferenceByToken(ctx, HashToken(token))
}

// ReceiveLetter stores a referee's letter under the same rules as any
// document and marks the request received; the link works once.
func (s *Service) ReceiveLetter(ctx context.Context, token string, file io.Reader) (*domain.Reference, error) {
	r, err := s.Invitation(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := r.Usable(s.now()); err != nil {
		return nil, err
	}
	d, err := s.store(ctx, r.ApplicantID, apidocs.KindReference, "Letter from "+r.RefereeName, r.ID, r.Waived, file)
	if err != nil {
		return nil, err
	}
	now := s.now()
	ev, err := events.NewWithContext(ctx, docsev.Source, events.ReferenceReceived, r.ID, 2, docsev.ReferenceReceived{
		ReferenceID: r.ID, ApplicantID: r.ApplicantID, DocumentID: d.ID, Waived: r.Waived, ReceivedAt: now})
	if err == nil {
		err = s.o.References.MarkReceived(ctx, r.ID, d.ID, now, []events.Envelope{ev})
	}
	if err != nil {
		// A second use raced this one, or the write failed: the letter
		// is not kept.
		return nil, errors.Join(err, s.rollback(ctx, d.ID))
	}
	r.ReceivedAt, r.DocumentID = now, d.ID
	return r, nil
}
