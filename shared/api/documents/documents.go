// Package documents is the public API of the documents service (DESIGN.md
// §3 "Documents and referee letters"): applicants' documents and the
// letters their referees upload.
package documents

import "time"

// Upload limits fixed by DESIGN.md §3.
const (
	// MaxFileSize is the largest document, in bytes (10 MiB).
	MaxFileSize = 10 << 20
	// MaxPerApplicant is how many documents one applicant may keep.
	MaxPerApplicant = 50
	// UploadBodyLimit bounds a whole multipart upload at the HTTP layer:
	// the file plus room for the form's other fields. The handler
	// enforces MaxFileSize itself, with a problem that names the rule.
	UploadBodyLimit = MaxFileSize + 4<<20
)

// Kinds of document.
const (
	KindTranscript          = "transcript"
	KindDegreeCertificate   = "degree_certificate"
	KindLanguageCertificate = "language_certificate"
	KindCV                  = "cv"
	KindStatement           = "statement"
	KindPassport            = "passport"
	KindOther               = "other"
	// KindReference is the kind of a referee's letter; applicants cannot
	// upload it themselves.
	KindReference = "reference"
)

// Kinds an applicant may upload, in the order forms list them.
var Kinds = []string{KindTranscript, KindDegreeCertificate, KindLanguageCertificate, KindCV,
	KindStatement, KindPassport, KindOther}

// Form fields of an upload (multipart/form-data).
const (
	FieldFile  = "file"
	FieldKind  = "kind"
	FieldTitle = "title"
)

// Document is a stored document's metadata: POST /documents (201),
// GET /documents/{id}, and the items of GET /documents/me.
type Document struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedAt  time.Time `json:"uploadedAt"`
	// ReferenceID is set on a referee's letter.
	ReferenceID string `json:"referenceId,omitempty"`
}

// Documents is the answer of GET /documents/me.
type Documents struct {
	Items []Document `json:"items"`
	// Limit is how many documents an applicant may keep.
	Limit int `json:"limit"`
}

// Reference statuses.
const (
	StatusRequested = "requested"
	StatusReceived  = "received"
	StatusExpired   = "expired"
)

// ReferenceRequest is the body of POST /references. Language is the
// referee's (en, ja or hi; en when left out): the e-mail and the upload
// page speak it.
type ReferenceRequest struct {
	RefereeName  string `json:"refereeName"`
	RefereeEmail string `json:"refereeEmail"`
	Relation     string `json:"relation"`
	Waived       bool   `json:"waived"`
	Language     string `json:"language,omitempty"`
}

// Reference is a letter request as its applicant sees it. DocumentID is
// set once the letter is received and only when the applicant did not
// waive the right to read it.
type Reference struct {
	ID           string     `json:"id"`
	RefereeName  string     `json:"refereeName"`
	RefereeEmail string     `json:"refereeEmail"`
	Relation     string     `json:"relation"`
	Waived       bool       `json:"waived"`
	Language     string     `json:"language"`
	Status       string     `json:"status"`
	RequestedAt  time.Time  `json:"requestedAt"`
	ExpiresAt    time.Time  `json:"expiresAt"`
	ReceivedAt   *time.Time `json:"receivedAt,omitempty"`
	DocumentID   string     `json:"documentId,omitempty"`
}

// ReferenceCreated is the answer of POST /references: the request and its
// one-time upload link (a path on the platform's web UI). The link is
// shown this once; only its hash is stored.
type ReferenceCreated struct {
	Reference
	UploadLink string `json:"uploadLink"`
	// Emailed says whether the link was queued for e-mail to the referee.
	Emailed bool `json:"emailed"`
}

// References is the answer of GET /references/me.
type References struct {
	Items []Reference `json:"items"`
}

// UploadInvitation is what a referee's link shows before the upload
// (GET /references/upload/{token}): who asked, in which language, until
// when. It names the referee, not the applicant's details.
type UploadInvitation struct {
	RefereeName string    `json:"refereeName"`
	Relation    string    `json:"relation"`
	Language    string    `json:"language"`
	Status      string    `json:"status"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

// UploadLinkPath is the web page of a referee's upload link.
func UploadLinkPath(token string) string { return "/references/upload/" + token }
