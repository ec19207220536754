package httpapi

import (
	"io"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/services/programs/internal/search"
	"github.com/talentbridge/platform/shared/eligibility"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/web"
)

// ProgramRequest is the body of POST /programs and PUT /programs/{id}: what
// a host writes. It has no id, owner, status or version; strict decoding
// refuses a body that tries to set them.
type ProgramRequest struct {
	Title               string            `json:"title"`
	TitleJa             string            `json:"titleJa,omitempty"`
	Description         string            `json:"description"`
	DescriptionJa       string            `json:"descriptionJa,omitempty"`
	Kind                string            `json:"kind"`
	HostOrg             string            `json:"hostOrg"`
	HostCountry         string            `json:"hostCountry"`
	Region              string            `json:"region"`
	Fields              []string          `json:"fields"`
	Skills              []string          `json:"skills,omitempty"`
	Seats               *int              `json:"seats"`
	StartDate           string            `json:"startDate"`
	EndDate             string            `json:"endDate"`
	ApplicationDeadline string            `json:"applicationDeadline"`
	Stipend             *StipendRequest   `json:"stipend,omitempty"`
	Eligibility         eligibility.Rules `json:"eligibility"`
}

// StipendRequest is a stipend as written.
type StipendRequest struct {
	Amount   *int64 `json:"amount"`
	Currency string `json:"currency"`
	Period   string `json:"period"`
}

// ParseProgram decodes a program body strictly into content. Whether the
// content is valid is the domain's call (domain.Content.Validate); this only
// catches what cannot even be expressed as content, such as a stipend
// without an amount.
func ParseProgram(r io.Reader) (domain.Content, error) {
	var req ProgramRequest
	if err := web.Decode(r, &req); err != nil {
		return domain.Content{}, err
	}
	return req.Content()
}

// Content maps the request to domain content.
func (r ProgramRequest) Content() (domain.Content, error) {
	c := domain.Content{
		Title: r.Title, TitleJa: r.TitleJa, Description: r.Description, DescriptionJa: r.DescriptionJa,
		Kind: r.Kind, HostOrg: r.HostOrg, HostCountry: r.HostCountry, Region: r.Region,
		Fields: r.Fields, Skills: r.Skills, Seats: r.Seats,
		StartDate: r.StartDate, EndDate: r.EndDate, ApplicationDeadline: r.ApplicationDeadline,
		Eligibility: r.Eligibility,
	}
	if s := r.Stipend; s != nil {
		if s.Amount == nil {
			return domain.Content{}, web.Invalid(web.FieldError{Field: "stipend.amount", Reason: "is required"})
		}
		c.Stipend = &domain.Stipend{Amount: *s.Amount, Currency: s.Currency, Period: s.Period}
	}
	return c, nil
}

// RequestOf is the request that writes c, the inverse of Content.
func RequestOf(c domain.Content) ProgramRequest {
	r := ProgramRequest{
		Title: c.Title, TitleJa: c.TitleJa, Description: c.Description, DescriptionJa: c.DescriptionJa,
		Kind: c.Kind, HostOrg: c.HostOrg, HostCountry: c.HostCountry, Region: c.Region,
		Fields: c.Fields, Skills: c.Skills, Seats: c.Seats,
		StartDate: c.StartDate, EndDate: c.EndDate, ApplicationDeadline: c.ApplicationDeadline,
		Eligibility: c.Eligibility,
	}
	if c.Stipend != nil {
		amount := c.Stipend.Amount
		r.Stipend = &StipendRequest{Amount: &amount, Currency: c.Stipend.Currency, Period: c.Stipend.Period}
	}
	return r
}

// view is a program as the caller may see it: the owner's account id is
// shown only to the owner and to coordinators.
func view(p *domain.Program, a domain.Actor) programsev.Program {
	v := app.Snapshot(p)
	if !p.OwnedBy(a) && !a.IsCoordinator() {
		v.HostID = ""
	}
	return v
}

// SearchItem is one program in a search answer.
type SearchItem struct {
	programsev.Program
	// Score is the relevance to q, present when q was given.
	Score *float64 `json:"score,omitempty"`
}

// SearchResponse is the answer of GET /programs. AsOf names the snapshot:
// pass it back with the next page so that the pages of one search share
// one catalogue (see package search).
type SearchResponse struct {
	Items    []SearchItem `json:"items"`
	Page     int          `json:"page"`
	PageSize int          `json:"pageSize"`
	Total    int          `json:"total"`
	AsOf     time.Time    `json:"asOf"`
}

func searchResponse(q search.Query, res search.Result, a domain.Actor) SearchResponse {
	out := SearchResponse{Items: make([]SearchItem, len(res.Hits)), Page: q.Page, PageSize: q.PageSize,
		Total: res.Total, AsOf: res.AsOf}
	for i, h := range res.Hits {
		out.Items[i] = SearchItem{Program: view(h.Program, a)}
		if len(q.Terms) > 0 {
			score := float64(int64(h.Score*1e4+0.5)) / 1e4
			out.Items[i].Score = &score
		}
	}
	return out
}

// ImportResponse is the answer of a successful import.
type ImportResponse struct {
	Imported int                  `json:"imported"`
	Items    []programsev.Program `json:"items"`
}
