package httpapi

import (
	"io"

	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/services/programs/internal/search"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// ParseProgram decodes a program body strictly into content. Whether the
// content is valid is the domain's call (domain.Content.Validate); this only
// catches what cannot even be expressed as content, such as a stipend
// without an amount.
func ParseProgram(r io.Reader) (domain.Content, error) {
	var req apiprograms.ProgramRequest
	if err := web.Decode(r, &req); err != nil {
		return domain.Content{}, err
	}
	return contentOf(req)
}

// contentOf maps a program body to domain content.
func contentOf(r apiprograms.ProgramRequest) (domain.Content, error) {
	c := domain.Content{
		Title: r.Title, TitleJa: r.TitleJa, Description: r.Description, DescriptionJa: r.DescriptionJa,
		Kind: r.Kind, HostOrg: r.HostOrg, HostCountry: r.HostCountry, Region: r.Region,
		Fields: r.Fields, Skills: r.Skills, Seats: r.Seats,
		StartDate: r.StartDate, EndDate: r.EndDate, ApplicationDeadline: r.ApplicationDeadline,
		Eligibility: r.Eligibility, ReserveOrder: r.ReserveOrder,
	}
	for _, x := range r.Reserves {
		c.Reserves = append(c.Reserves, domain.Reserve{Category: x.Category, Seats: x.Seats})
	}
	if s := r.Stipend; s != nil {
		if s.Amount == nil {
			return domain.Content{}, web.Invalid(fielderr.NewRequired("stipend.amount"))
		}
		c.Stipend = &domain.Stipend{Amount: *s.Amount, Currency: s.Currency, Period: s.Period}
	}
	return c, nil
}

// RequestOf is the request that writes c, the inverse of contentOf.
func RequestOf(c domain.Content) apiprograms.ProgramRequest {
	r := apiprograms.ProgramRequest{
		Title: c.Title, TitleJa: c.TitleJa, Description: c.Description, DescriptionJa: c.DescriptionJa,
		Kind: c.Kind, HostOrg: c.HostOrg, HostCountry: c.HostCountry, Region: c.Region,
		Fields: c.Fields, Skills: c.Skills, Seats: c.Seats,
		StartDate: c.StartDate, EndDate: c.EndDate, ApplicationDeadline: c.ApplicationDeadline,
		Eligibility: c.Eligibility, ReserveOrder: c.ReserveOrder,
	}
	for _, x := range c.Reserves {
		r.Reserves = append(r.Reserves, programsev.Reserve{Category: x.Category, Seats: x.Seats})
	}
	if c.Stipend != nil {
		amount := c.Stipend.Amount
		r.Stipend = &apiprograms.StipendRequest{Amount: &amount, Currency: c.Stipend.Currency, Period: c.Stipend.Period}
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

func searchResponse(q search.Query, res search.Result, a domain.Actor) apiprograms.SearchResponse {
	out := apiprograms.SearchResponse{Items: make([]apiprograms.SearchItem, len(res.Hits)), Page: q.Page, PageSize: q.PageSize,
		Total: res.Total, AsOf: res.AsOf}
	for i, h := range res.Hits {
		out.Items[i] = apiprograms.SearchItem{Program: view(h.Program, a)}
		if len(q.Terms) > 0 {
			score := float64(int64(h.Score*1e4+0.5)) / 1e4
			out.Items[i].Score = &score
		}
	}
	return out
}
