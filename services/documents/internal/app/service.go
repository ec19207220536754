package app

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/documents/internal/domain"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/events"
	docsev "github.com/talentbridge/platform/shared/events/documents"
)

// Options are the service's ports.
type Options struct {
	Files      Files
	Documents  DocumentStore
	References ReferenceStore
	Models     ReadModels
	// Mailer sends referee links; nil when SMTP is not configured.
	Mailer Mailer
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Mailer queues the e-mail that carries a referee's link, once per
// request event, and forgets an erased applicant's mails.
type Mailer interface {
	RefereeLink(ctx context.Context, eventID string, r *domain.Reference, link string) error
	Forget(ctx context.Context, applicantID string) error
}

// Service is the documents service's use cases.
type Service struct {
	o Options
}

// New returns the use cases over the given ports.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{o: o}
}

func (s *Service) now() time.Time { return s.o.Now().UTC().Truncate(time.Millisecond) }

// Stored is what Store read from a file.
type stored struct {
	contentType string
	size        int64
	sha256      string
}

// writeFile streams r into a new file with this id under the upload rules:
// the type decided from the first bytes (before anything is stored), at
// most MaxFileSize, a PDF's frame checked at the end. On any failure the
// file is aborted, so no chunk stays behind.
func (s *Service) writeFile(ctx context.Context, id string, r io.Reader) (stored, error) {
	br := bufio.NewReaderSize(r, domain.SniffLen)
	head, err := br.Peek(domain.SniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return stored{}, err
	}
	ct, err := domain.Sniff(head)
	if err != nil {
		return stored{}, err
	}
	head = slices.Clone(head)
	w, err := s.o.Files.Create(ctx, id)
	if err != nil {
		return stored{}, err
	}
	sum := sha256.New()
	tail := &tailBuffer{max: domain.TailLen}
	n, err := io.Copy(io.MultiWriter(w, sum, tail), io.LimitReader(br, apidocs.MaxFileSize+1))
	if err == nil && n > apidocs.MaxFileSize {
		err = domain.TooLarge()
	}
	if err == nil && ct == domain.TypePDF {
		err = domain.CheckPDF(head, tail.buf)
	}
	if err != nil {
		return stored{}, errors.Join(err, w.Abort())
	}
	if err := w.Commit(); err != nil {
		return stored{}, errors.Join(err, w.Abort())
	}
	return stored{contentType: ct, size: n, sha256: hexSum(sum)}, nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// CheckRoom refuses an upload when the owner keeps MaxPerApplicant
// documents already; the handler asks before it reads the file.
func (s *Service) CheckRoom(ctx context.Context, ownerID string) error {
	n, err := s.o.Documents.Count(ctx, ownerID)
	if err != nil {
		return err
	}
	if n >= apidocs.MaxPerApplicant {
		return domain.ErrLimitReached
	}
	return nil
}

// Upload stores an applicant's file with its metadata and the
// document.uploaded event. u must have been validated; file is read once.
func (s *Service) Upload(ctx context.Context, ownerID string, u domain.Upload, file io.Reader) (*domain.Document, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := s.CheckRoom(ctx, ownerID); err != nil {
		return nil, err
	}
	d, err := s.store(ctx, ownerID, u.Kind, u.Title, "", false, file)
	if err != nil {
		return nil, err
	}
	// Two uploads racing past CheckRoom: the later one gives way.
	if n, err := s.o.Documents.Count(ctx, ownerID); err == nil && n > apidocs.MaxPerApplicant {
		return nil, errors.Join(domain.ErrLimitReached, s.rollback(ctx, d.ID))
	}
	return d, nil
}

// store writes the bytes, then the metadata with its event. An owner
// erased before the write gets nothing stored; one erased while the bytes
// were arriving gets the write taken back: Erase marks the person before
// it sweeps, so either the sweep finds this document or this check finds
// the mark.
func (s *Service) store(ctx context.Context, ownerID, kind, title, refID string, waived bool, file io.Reader) (*domain.Document, error) {
	if err := s.ownerLive(ctx, ownerID); err != nil {
		return nil, err
	}
	id := uuid.Must(uuid.NewV7()).String()
	f, err := s.writeFile(ctx, id, file)
	if err != nil {
		return nil, err
	}
	d := &domain.Document{ID: id, OwnerID: ownerID, Kind: kind, Title: title, ContentType: f.contentType,
		Size: f.size, SHA256: f.sha256, UploadedAt: s.now(), ReferenceID: refID, Waived: waived}
	ev, err := events.NewWithContext(ctx, docsev.Source, events.DocumentUploaded, id, 1, docsev.DocumentUploaded{
		DocumentID: id, OwnerID: ownerID, Kind: kind, ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256,
		ReferenceID: refID, UploadedAt: d.UploadedAt})
	if err != nil {
		return nil, errors.Join(err, s.o.Files.Remove(ctx, id))
	}
	if err := s.o.Documents.Insert(ctx, d, []events.Envelope{ev}); err != nil {
		return nil, errors.Join(err, s.o.Files.Remove(ctx, id))
	}
	if err := s.ownerLive(ctx, ownerID); err != nil {
		return nil, errors.Join(err, s.rollback(context.WithoutCancel(ctx), id))
	}
	return d, nil
}

// ownerLive returns ErrOwnerErased for a person who was erased.
func (s *Service) ownerLive(ctx context.Context, ownerID string) error {
	gone, err := s.o.Documents.Erased(ctx, ownerID)
	if err != nil {
		return err
	}
	if gone {
		return domain.ErrOwnerErased
	}
	return nil
}

func (s *Service) rollback(ctx context.Context, id string) error {
	return errors.Join(s.o.Documents.Remove(ctx, id), s.o.Files.Remove(ctx, id))
}

// Mine lists the owner's documents, newest first.
func (s *Service) Mine(ctx context.Context, ownerID string) ([]*domain.Document, error) {
	return s.o.Documents.ForOwner(ctx, ownerID)
}

// Read returns a document's metadata if r may read it; otherwise
// ErrNotFound, so that guessing ids tells nothing.
func (s *Service) Read(ctx context.Context, r domain.Reader, id string) (*domain.Document, error) {
	d, err := s.o.Documents.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.mayRead(ctx, r, d)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.ErrNotFound
	}
	return d, nil
}

// mayRead: the owner, coordinators, and the host of a program whose live
// application by the owner lists the document.
func (s *Service) mayRead(ctx context.Context, r domain.Reader, d *domain.Document) (bool, error) {
	if r.Coordinator || r.ID == d.OwnerID {
		return true, nil
	}
	apps, err := s.o.Models.ApplicationsListing(ctx, d.OwnerID, d.ID)
	if err != nil || len(apps) == 0 {
		return false, err
	}
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.ProgramID
	}
	progs, err := s.o.Models.Programs(ctx, ids)
	if err != nil {
		return false, err
	}
	for _, p := range progs {
		if p.HostID == r.ID {
			return true, nil
		}
	}
	return false, nil
}

// Content opens a document's bytes for r. The owner of a waived letter
// gets ErrWaived.
func (s *Service) Content(ctx context.Context, r domain.Reader, id string) (*domain.Document, io.ReadCloser, error) {
	d, err := s.Read(ctx, r, id)
	if err != nil {
		return nil, nil, err
	}
	if d.Waived && r.ID == d.OwnerID {
		return nil, nil, domain.ErrWaived
	}
	rc, err := s.o.Files.Open(ctx, d.ID)
	if err != nil {
		return nil, nil, err
	}
	return d, rc, nil
}

// Delete removes the owner's document: its bytes, then the metadata,
// leaving a tombstone until document.deleted is out.
func (s *Service) Delete(ctx context.Context, ownerID, id string) error {
	d, err := s.o.Documents.Get(ctx, id)
	if err != nil {
		return err
	}
	if d.OwnerID != ownerID {
		return domain.ErrNotFound
	}
	if err := s.o.Files.Remove(ctx, id); err != nil {
		return err
	}
	ev, err := events.NewWithContext(ctx, docsev.Source, events.DocumentDeleted, id, 2,
		docsev.DocumentDeleted{DocumentID: id, OwnerID: ownerID, DeletedAt: s.now()})
	if err != nil {
		return err
	}
	return s.o.Documents.Delete(ctx, id, []events.Envelope{ev})
}

// Erase deletes everything the service holds about a person: documents
// and letters with every GridFS chunk, referee requests, and their entries
// in the applications read model. Running it again finds nothing.
func (s *Service) Erase(ctx context.Context, personID string) error {
	// The mark comes first: an upload still in flight sees it after its
	// write and takes the write back (see store).
	if err := s.o.Documents.MarkErased(ctx, personID, s.now()); err != nil {
		return fmt.Errorf("mark erased: %w", err)
	}
	errs := []error{s.o.References.EraseReferences(ctx, personID), s.o.Models.EraseApplicant(ctx, personID)}
	if s.o.Mailer != nil {
		errs = append(errs, s.o.Mailer.Forget(ctx, personID))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// The bytes go before the metadata, so that a document that answers
	// 404 has no chunk left either.
	live, err := s.o.Documents.ForOwner(ctx, personID)
	if err != nil {
		return fmt.Errorf("erase documents: %w", err)
	}
	if err := s.removeFiles(ctx, live); err != nil {
		return err
	}
	ids, err := s.o.Documents.EraseOwner(ctx, personID)
	if err != nil {
		return fmt.Errorf("erase documents: %w", err)
	}
	for _, id := range ids { // whatever arrived in between; removing twice is no error
		if err := s.o.Files.Remove(ctx, id); err != nil {
			return fmt.Errorf("erase file: %w", err)
		}
	}
	return nil
}

func (s *Service) removeFiles(ctx context.Context, docs []*domain.Document) error {
	for _, d := range docs {
		if err := s.o.Files.Remove(ctx, d.ID); err != nil {
			return fmt.Errorf("erase file: %w", err)
		}
	}
	return nil
}

// RecordProgram keeps who hosts a program.
func (s *Service) RecordProgram(ctx context.Context, p Program, version int64) error {
	return s.o.Models.RecordProgram(ctx, p, version)
}

// RecordApplication keeps which documents an application lists.
func (s *Service) RecordApplication(ctx context.Context, a Application, version int64) error {
	return s.o.Models.RecordApplication(ctx, a, version)
}

// newToken returns a 256-bit random token, base64url, and its SHA-256.
func newToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is how a link's token is stored and looked up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Clock returns the service's current time.
func (s *Service) Clock() time.Time { return s.now() }
