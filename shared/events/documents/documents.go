// Package documents holds the payloads of the events the documents service
// publishes on tb.documents.v1.* (DESIGN.md §2). The envelope's subject is
// the document or reference id.
//
// Payloads carry ids and file facts only: never a title, a referee's name
// or address, or an upload token, so the stream holds nothing an erasure
// would have to scrub beyond ids.
package documents

import "time"

// Source is the envelope source of these events.
const Source = "documents"

// Service is the documents service's name on tb.rpc.<service>.export.
const Service = "documents"

// DocumentUploaded: an applicant uploaded a document, or a referee a
// letter (then ReferenceID is set). Version 1.
type DocumentUploaded struct {
	DocumentID  string    `json:"documentId"`
	OwnerID     string    `json:"ownerId"`
	Kind        string    `json:"kind"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	ReferenceID string    `json:"referenceId,omitempty"`
	UploadedAt  time.Time `json:"uploadedAt"`
}

// DocumentDeleted: the owner deleted a document. Version 2.
type DocumentDeleted struct {
	DocumentID string    `json:"documentId"`
	OwnerID    string    `json:"ownerId"`
	DeletedAt  time.Time `json:"deletedAt"`
}

// ReferenceRequested: an applicant asked a referee for a letter. Version 1.
// Language is the referee's chosen language (en, ja or hi).
type ReferenceRequested struct {
	ReferenceID string    `json:"referenceId"`
	ApplicantID string    `json:"applicantId"`
	Waived      bool      `json:"waived"`
	Language    string    `json:"language"`
	ExpiresAt   time.Time `json:"expiresAt"`
	RequestedAt time.Time `json:"requestedAt"`
}

// ReferenceReceived: the referee uploaded the letter, stored as document
// DocumentID. Version 2.
type ReferenceReceived struct {
	ReferenceID string    `json:"referenceId"`
	ApplicantID string    `json:"applicantId"`
	DocumentID  string    `json:"documentId"`
	Waived      bool      `json:"waived"`
	ReceivedAt  time.Time `json:"receivedAt"`
}
