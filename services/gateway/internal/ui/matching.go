package ui

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/explain"
)

// The matching service's resources as the UI reads them (DESIGN.md §3 and
// §4). Only the fields the pages show are decoded.

// Scored is a recommendation (a program for an applicant) or a candidate
// (an applicant for a program): an id, a score in [0, 1] and its reasons.
type Scored struct {
	ID          string           `json:"id"`
	ProgramID   string           `json:"programId"`
	ApplicantID string           `json:"applicantId"`
	Score       float64          `json:"score"`
	Reasons     []explain.Reason `json:"reasons"`
	// Program is filled in by the UI when the API gives only the id.
	Program *programsev.Program `json:"program,omitempty"`
	Applied bool                `json:"applied"`
	// What a candidate agreed to show hosts.
	Name        string   `json:"name"`
	Institution string   `json:"institution"`
	HomeCountry string   `json:"homeCountry"`
	Kind        string   `json:"kind"`
	DegreeLevel string   `json:"degreeLevel"`
	Fields      []string `json:"fields"`
	Skills      []string `json:"skills"`
	// Ranked is the candidate's place in the host's ranking, from 1; 0
	// when the host has not ranked them.
	Ranked int `json:"-"`
}

// ProgramRef returns the program's id.
func (s Scored) ProgramRef() string {
	if s.ProgramID != "" {
		return s.ProgramID
	}
	if s.Program != nil && s.Program.ID != "" {
		return s.Program.ID
	}
	return s.ID
}

// ApplicantRef returns the applicant's id.
func (s Scored) ApplicantRef() string {
	if s.ApplicantID != "" {
		return s.ApplicantID
	}
	return s.ID
}

// Application is an application to a program, with its place in the
// applicant's rank list and the program, which the UI fills in.
type Application struct {
	apimatching.Application
	// Rank is the program's place in the applicant's rank list, from 1;
	// 0 when it is not on the list.
	Rank int `json:"-"`
	// Program is filled in by the UI.
	Program *programsev.Program `json:"-"`
}

// Active reports whether the application stands.
func (a Application) Active() bool { return a.Status == "" || a.Status == "submitted" }

// Match is a proposed pairing and what became of it, with its program,
// which the UI fills in.
type Match struct {
	apimatching.Match
	// Program is filled in by the UI.
	Program *programsev.Program `json:"-"`
}

// Round is a match round.
type Round struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	ProgramIDs    []string       `json:"programIds"`
	Seed          int64          `json:"seed"`
	Status        string         `json:"status"`
	Phase         string         `json:"phase"`
	Progress      int            `json:"progress"`
	BlockingPairs int            `json:"blockingPairs"`
	Counts        map[string]int `json:"counts"`
	LastError     string         `json:"lastError"`
	CreatedAt     time.Time      `json:"createdAt"`
	CompletedAt   *time.Time     `json:"completedAt"`
	PublishedAt   *time.Time     `json:"publishedAt"`
}

// programs fetches programs by id (each once), for naming them; programs
// the caller may not see are left out.
func (u *UI) programs(c echo.Context, ids []string) map[string]*programsev.Program {
	out := map[string]*programsev.Program{}
	for _, id := range ids {
		if _, done := out[id]; done || id == "" {
			continue
		}
		var p programsev.Program
		if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(id), nil, &p); err != nil {
			out[id] = nil
			continue
		}
		out[id] = &p
	}
	return out
}

// myApplications lists the applicant's applications with their place in
// the rank list.
func (u *UI) myApplications(c echo.Context) ([]Application, error) {
	var res api.Page[Application]
	if err := u.call(c, http.MethodGet, "/applications/me", nil, &res); err != nil {
		return nil, err
	}
	var r apimatching.Ranking
	if err := u.call(c, http.MethodGet, "/applications/me/ranking", nil, &r); err != nil && statusOf(err) != http.StatusNotFound {
		return nil, err
	}
	for i := range res.Items {
		res.Items[i].Rank = slices.Index(r.ProgramIDs, res.Items[i].ProgramID) + 1
	}
	return res.Items, nil
}
