// Package programs holds the request and response bodies of the programs
// service's routes (DESIGN.md §3 "Programs", §4). A program as the API
// returns it is the snapshot the program events carry
// (shared/events/programs.Program).
package programs

import (
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// ProgramRequest is the body of POST /programs and PUT /programs/{id}: what
// a host writes. It has no id, owner, status or version; the service
// decodes it strictly, so a body that tries to set them is refused. Seats
// and the stipend's amount are pointers so that a missing number can be
// told from zero.
type ProgramRequest struct {
	Title         string   `json:"title"`
	TitleJa       string   `json:"titleJa,omitempty"`
	Description   string   `json:"description"`
	DescriptionJa string   `json:"descriptionJa,omitempty"`
	Kind          string   `json:"kind"`
	HostOrg       string   `json:"hostOrg"`
	HostCountry   string   `json:"hostCountry"`
	Region        string   `json:"region"`
	Fields        []string `json:"fields"`
	Skills        []string `json:"skills,omitempty"`
	Seats         *int     `json:"seats"`
	// Reserves hold seats for categories of applicants (known categories,
	// seats ≥ 1 each, each category once, sum at most seats).
	Reserves []programsev.Reserve `json:"reserves,omitempty"`
	// ReserveOrder is "last" (the default) or "first".
	ReserveOrder        string            `json:"reserveOrder,omitempty"`
	StartDate           string            `json:"startDate"`
	EndDate             string            `json:"endDate"`
	ApplicationDeadline string            `json:"applicationDeadline"`
	Stipend             *StipendRequest   `json:"stipend,omitempty"`
	Eligibility         eligibility.Rules `json:"eligibility"`
}

// StipendRequest is a stipend as written: an amount in Currency per Period.
type StipendRequest struct {
	Amount   *int64 `json:"amount"`
	Currency string `json:"currency"`
	Period   string `json:"period"`
}

// SearchItem is one program in a search answer.
type SearchItem struct {
	programsev.Program
	// Score is the relevance to q, present when q was given.
	Score *float64 `json:"score,omitempty"`
}

// SearchResponse is the answer of GET /programs. AsOf names the snapshot
// the pages of one search share: a client passes it back with the next
// page.
type SearchResponse struct {
	Items    []SearchItem `json:"items"`
	Page     int          `json:"page"`
	PageSize int          `json:"pageSize"`
	Total    int          `json:"total"`
	AsOf     time.Time    `json:"asOf"`
}

// ImportResponse is the answer of a successful POST /programs/import.
type ImportResponse struct {
	Imported int                  `json:"imported"`
	Items    []programsev.Program `json:"items"`
}

// SavedSearchRequest is the body of POST /searches: the filters of a
// program search (as GET /programs takes them) and whether a newly
// published program the search finds should notify its owner.
type SavedSearchRequest struct {
	Q           string `json:"q,omitempty"`
	Kind        string `json:"kind,omitempty"`
	HostCountry string `json:"hostCountry,omitempty"`
	Field       string `json:"field,omitempty"`
	Alert       bool   `json:"alert"`
}

// SavedSearch is a saved search as its owner sees it.
type SavedSearch struct {
	ID          string    `json:"id"`
	Q           string    `json:"q,omitempty"`
	Kind        string    `json:"kind,omitempty"`
	HostCountry string    `json:"hostCountry,omitempty"`
	Field       string    `json:"field,omitempty"`
	Alert       bool      `json:"alert"`
	CreatedAt   time.Time `json:"createdAt"`
	// Matched counts the programs the search alerted its owner to.
	Matched int `json:"matched"`
}

// SavedSearchList is the answer of GET /searches/me, newest first.
type SavedSearchList struct {
	Items []SavedSearch `json:"items"`
}

// ImportColumns are the columns a POST /programs/import file may have, in
// the documented order (the programs service reads files by them, the
// import page's template names them); ImportRequired those it must have.
var (
	ImportColumns = []string{"title", "titleJa", "description", "descriptionJa", "kind", "hostOrg",
		"hostCountry", "region", "fields", "skills", "seats", "startDate", "endDate",
		"applicationDeadline", "stipendAmount", "stipendCurrency", "stipendPeriod",
		"applicantKinds", "homeCountries", "degreeLevels", "languages", "minAge", "maxAge"}
	ImportRequired = []string{"title", "description", "kind", "hostOrg", "hostCountry", "region",
		"fields", "seats", "startDate", "endDate", "applicationDeadline"}
)
