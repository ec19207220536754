package app

import (
	"context"
	"time"

	"github.com/talentbridge/platform/services/documents/internal/domain"
)

// Export is the documents service's part of a person's data export.
//
// Files are listed with their SHA-256 and a link to their bytes, not
// embedded: a part travels as one NATS reply (1 MiB by default) while an
// applicant may keep 50 files of 10 MiB, so base64 in the JSON cannot fit.
// The link is the owner's own download route, so the export gives access
// to every byte and the hash proves it is the same file. A letter the
// applicant waived the right to read is listed without a link.
type Export struct {
	Documents  []ExportedDocument  `json:"documents"`
	References []ExportedReference `json:"references"`
}

// ExportedDocument is one stored file.
type ExportedDocument struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedAt  time.Time `json:"uploadedAt"`
	ReferenceID string    `json:"referenceId,omitempty"`
	// Content is the path of the bytes (GET, signed in as the owner);
	// empty for a waived letter.
	Content string `json:"content,omitempty"`
	Waived  bool   `json:"waived,omitempty"`
}

// ExportedReference is one letter request.
type ExportedReference struct {
	ID           string    `json:"id"`
	RefereeName  string    `json:"refereeName"`
	RefereeEmail string    `json:"refereeEmail"`
	Relation     string    `json:"relation"`
	Waived       bool      `json:"waived"`
	Language     string    `json:"language"`
	Status       string    `json:"status"`
	RequestedAt  time.Time `json:"requestedAt"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

// ContentPath is where a document's bytes are served.
func ContentPath(id string) string { return "/api/v1/documents/" + id + "/content" }

// Export gathers what the service holds about personID.
func (s *Service) Export(ctx context.Context, personID string) (Export, error) {
	docs, err := s.o.Documents.ForOwner(ctx, personID)
	if err != nil {
		return Export{}, err
	}
	refs, err := s.o.References.ReferencesOf(ctx, personID)
	if err != nil {
		return Export{}, err
	}
	x := Export{Documents: []ExportedDocument{}, References: []ExportedReference{}}
	for _, d := range docs {
		e := ExportedDocument{ID: d.ID, Kind: d.Kind, Title: d.Title, ContentType: d.ContentType, Size: d.Size,
			SHA256: d.SHA256, UploadedAt: d.UploadedAt, ReferenceID: d.ReferenceID, Waived: d.Waived}
		if !d.Waived {
			e.Content = ContentPath(d.ID)
		}
		x.Documents = append(x.Documents, e)
	}
	now := s.now()
	for _, r := range refs {
		x.References = append(x.References, exportedRef(r, now))
	}
	return x, nil
}

func exportedRef(r *domain.Reference, now time.Time) ExportedReference {
	return ExportedReference{ID: r.ID, RefereeName: r.RefereeName, RefereeEmail: r.RefereeEmail,
		Relation: r.Relation, Waived: r.Waived, Language: r.Language, Status: r.Status(now),
		RequestedAt: r.RequestedAt, ExpiresAt: r.ExpiresAt}
}
