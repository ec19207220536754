// Package profiles holds the request and response bodies of the profiles
// service's routes (DESIGN.md §3 "Profiles", §4).
package profiles

import (
	"encoding/json"
	"time"

	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// ProfileRequest is the body of POST /profiles and PUT /profiles/me: the
// whole profile as the applicant writes it. The server adds the id, times,
// version and consent records; a body naming any other field is refused.
type ProfileRequest struct {
	Kind          string              `json:"kind"`
	Name          string              `json:"name"`
	HomeCountry   string              `json:"homeCountry"`
	Institution   string              `json:"institution"`
	Region        string              `json:"region"`
	Fields        []string            `json:"fields"`
	Skills        []string            `json:"skills"`
	Languages     []taxonomy.Language `json:"languages"`
	DegreeLevel   string              `json:"degreeLevel"`
	BirthYear     int                 `json:"birthYear"`
	AvailableFrom string              `json:"availableFrom"`
	AvailableTo   string              `json:"availableTo"`
	Preferences   PreferencesRequest  `json:"preferences"`
	Statement     string              `json:"statement"`
	Gender        string              `json:"gender"`
	// Categories are optional, self-declared, from taxonomy.Categories,
	// and need consents.categories.
	Categories      []string         `json:"categories,omitempty"`
	Consents        ConsentsRequest  `json:"consents"`
	GuardianConsent *GuardianRequest `json:"guardianConsent,omitempty"`
}

// PreferencesRequest are the program kinds and host regions the applicant
// would like.
type PreferencesRequest struct {
	ProgramKinds []string `json:"programKinds"`
	HostRegions  []string `json:"hostRegions"`
}

// ConsentsRequest are the applicant's consents under the notice version
// they read (GET /profiles/consent-notice). Times are set by the server.
type ConsentsRequest struct {
	NoticeVersion       string `json:"noticeVersion"`
	DataProcessing      bool   `json:"dataProcessing"`
	CrossBorderTransfer bool   `json:"crossBorderTransfer"`
	VisibleToHosts      bool   `json:"visibleToHosts"`
	// Categories permits processing self-declared categories (used only
	// for seats reserved for them and aggregate reports).
	Categories bool `json:"categories"`
}

// GuardianRequest is the consenting parent or guardian of an applicant who
// may be under 18.
type GuardianRequest struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
}

// Profile is a profile as GET /profiles/me, GET /profiles/{id}, GET
// /profiles and the export return it: the snapshot the profile events carry
// plus the version and, for imported profiles, the e-mail address.
type Profile struct {
	profilesev.Profile
	Email   string `json:"email,omitempty"`
	Version int64  `json:"version"`
}

// ConsentNotice is the body of GET /profiles/consent-notice: the notice in
// force in Language, one of Languages (each says the same under Version).
type ConsentNotice struct {
	Version     string   `json:"version"`
	PublishedAt string   `json:"publishedAt"`
	Language    string   `json:"language"`
	Languages   []string `json:"languages,omitempty"`
	Text        string   `json:"text"`
}

// ImportResult is the answer of an accepted POST /profiles/import.
type ImportResult struct {
	// BatchID names the file (a hash of its bytes).
	BatchID string `json:"batchId"`
	// Rows is the number of profiles in the file.
	Rows int `json:"rows"`
	// Inserted is how many were stored by this request: fewer than Rows
	// when it finished an interrupted import of the same file, 0 when the
	// file had been imported completely before.
	Inserted int `json:"inserted"`
	// AlreadyImported is true when the same file had been imported before
	// and nothing was done.
	AlreadyImported bool          `json:"alreadyImported"`
	Items           []ImportedRow `json:"items"`
}

// ImportedRow links a line of the file to the profile made from it.
type ImportedRow struct {
	Line int    `json:"line"`
	ID   string `json:"id"`
}

// Export is the answer of GET /profiles/me/export: everything the platform
// holds about one person, one part per service.
type Export struct {
	UserID      string    `json:"userId"`
	GeneratedAt time.Time `json:"generatedAt"`
	// Services maps a service name ("profiles", "identity", "programs",
	// "matching") to that service's part.
	Services map[string]json.RawMessage `json:"services"`
	// Unavailable lists services that did not answer in time; their part
	// is missing and the export can be asked for again later.
	Unavailable []string `json:"unavailable"`
}

// ImportColumns are the columns a POST /profiles/import file may have, in
// the documented order (the profiles service reads files by them, the
// import page's template names them).
var ImportColumns = []string{
	"email", "name", "kind", "homeCountry", "institution", "region", "fields", "skills",
	"languages", "degreeLevel", "birthYear", "availableFrom", "availableTo", "programKinds",
	"hostRegions", "statement", "gender", "categories", "categoriesConsent", "noticeVersion", "dataProcessing",
	"crossBorderTransfer", "visibleToHosts", "guardianName", "guardianRelation",
}
