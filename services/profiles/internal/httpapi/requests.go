package httpapi

import (
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// ProfileRequest is the body of POST /profiles and PUT /profiles/me: the
// whole profile as the applicant writes it (DESIGN.md §4). The server adds
// the id, times, version and consent records; a body naming any other field
// is refused.
type ProfileRequest struct {
	Kind            string              `json:"kind"`
	Name            string              `json:"name"`
	HomeCountry     string              `json:"homeCountry"`
	Institution     string              `json:"institution"`
	Region          string              `json:"region"`
	Fields          []string            `json:"fields"`
	Skills          []string            `json:"skills"`
	Languages       []taxonomy.Language `json:"languages"`
	DegreeLevel     string              `json:"degreeLevel"`
	BirthYear       int                 `json:"birthYear"`
	AvailableFrom   string              `json:"availableFrom"`
	AvailableTo     string              `json:"availableTo"`
	Preferences     PreferencesRequest  `json:"preferences"`
	Statement       string              `json:"statement"`
	Gender          string              `json:"gender"`
	Consents        ConsentsRequest     `json:"consents"`
	GuardianConsent *GuardianRequest    `json:"guardianConsent"`
}

// PreferencesRequest are the applicant's preferences.
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
}

// GuardianRequest is the consenting parent or guardian of an applicant who
// may be under 18.
type GuardianRequest struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
}

// Draft converts the request for the domain.
func (r ProfileRequest) Draft() domain.Draft {
	d := domain.Draft{
		Details: domain.Details{
			Kind:          r.Kind,
			Name:          r.Name,
			HomeCountry:   r.HomeCountry,
			Institution:   r.Institution,
			Region:        r.Region,
			Fields:        r.Fields,
			Skills:        r.Skills,
			Languages:     r.Languages,
			DegreeLevel:   r.DegreeLevel,
			BirthYear:     r.BirthYear,
			AvailableFrom: r.AvailableFrom,
			AvailableTo:   r.AvailableTo,
			Preferences: domain.Preferences{
				ProgramKinds: r.Preferences.ProgramKinds,
				HostRegions:  r.Preferences.HostRegions,
			},
			Statement: r.Statement,
			Gender:    r.Gender,
		},
		Consents: domain.ConsentChoice{
			NoticeVersion:       r.Consents.NoticeVersion,
			DataProcessing:      r.Consents.DataProcessing,
			CrossBorderTransfer: r.Consents.CrossBorderTransfer,
			VisibleToHosts:      r.Consents.VisibleToHosts,
		},
	}
	if g := r.GuardianConsent; g != nil {
		d.Guardian = &domain.GuardianChoice{Name: g.Name, Relation: g.Relation}
	}
	return d
}

// ConsentNotice is the body of GET /profiles/consent-notice.
type ConsentNotice struct {
	Version     string `json:"version"`
	PublishedAt string `json:"publishedAt"`
	Language    string `json:"language"`
	Text        string `json:"text"`
}

// Page is a page of a list.
type Page[T any] struct {
	Items    []T   `json:"items"`
	Page     int   `json:"page"`
	PageSize int   `json:"pageSize"`
	Total    int64 `json:"total"`
}

// RowError is one problem of one row of an import file.
type RowError struct {
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ImportProblem is the problem+json body of a refused import: every bad
// row, with its line (the header is line 1), column and reason.
type ImportProblem struct {
	Type     string     `json:"type"`
	Title    string     `json:"title"`
	Status   int        `json:"status"`
	Code     string     `json:"code"`
	Detail   string     `json:"detail"`
	Instance string     `json:"instance,omitempty"`
	Errors   []RowError `json:"errors"`
}
