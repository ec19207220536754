package httpapi

import (
	"maps"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
)

// policyIn is the domain form of a round's policy from a request.
func policyIn(p *apimatching.Policy) *domain.Policy {
	if p == nil {
		return nil
	}
	out := &domain.Policy{Regions: make([]domain.Region, len(p.Regions))}
	for i, r := range p.Regions {
		out.Regions[i] = domain.Region{ID: r.ID, Name: r.Name, Cap: r.Cap, ProgramIDs: r.ProgramIDs, Targets: maps.Clone(r.Targets)}
	}
	return out
}

// policyOf is a round's policy as the API shows it.
func policyOf(p *domain.Policy) *apimatching.Policy {
	if p.Empty() {
		return nil
	}
	out := &apimatching.Policy{Regions: make([]apimatching.Region, len(p.Regions))}
	for i, r := range p.Regions {
		out.Regions[i] = apimatching.Region{ID: r.ID, Name: r.Name, Cap: r.Cap, ProgramIDs: nonNil(r.ProgramIDs),
			Targets: maps.Clone(r.Targets)}
	}
	return out
}

func (h *Handlers) mockRun(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	m, err := h.App.MockRun(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, mockOf(m))
}

func (h *Handlers) mock(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	m, err := h.App.Mock(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, mockOf(m))
}

func mockOf(m *domain.MockRun) apimatching.MockRun {
	out := apimatching.MockRun{RoundID: m.RoundID, RanAt: m.RanAt, RanBy: m.RanBy, BlockingPairs: m.BlockingPairs,
		Items: make([]apimatching.MockItem, len(m.Items)), Fill: apimatching.MockFill{
			Programs: make([]apimatching.ProgramFill, len(m.Fill.Programs)), Regions: make([]apimatching.RegionFill, len(m.Fill.Regions)),
			Categories: make([]apimatching.CategoryFill, len(m.Fill.Categories))}}
	for i, x := range m.Items {
		out.Items[i] = apimatching.MockItem{ApplicantID: x.ApplicantID, ProgramID: x.ProgramID, Reasons: nonNilReasons(x.Reasons)}
	}
	for i, p := range m.Fill.Programs {
		out.Fill.Programs[i] = apimatching.ProgramFill{ProgramID: p.ProgramID, Title: p.Title, Seats: p.Seats, Filled: p.Filled, Rate: p.Rate()}
	}
	for i, r := range m.Fill.Regions {
		out.Fill.Regions[i] = apimatching.RegionFill{RegionID: r.RegionID, Name: r.Name, Cap: r.Cap, Filled: r.Filled, Rate: r.Rate()}
	}
	for i, u := range m.Fill.Categories {
		out.Fill.Categories[i] = apimatching.CategoryFill{Category: u.Category, Reserved: u.Reserved, ToCategory: u.ToCategory,
			Reverted: u.Reverted, Rate: u.Rate()}
	}
	return out
}
