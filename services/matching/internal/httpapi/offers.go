package httpapi

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// GET /rounds/{id}/demand: coordinators, and applicants with a live
// application in the round (anyone else: 404).
func (h *Handlers) demand(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	ds, err := h.App.Demand(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	out := apimatching.DemandList{Items: make([]apimatching.Demand, len(ds))}
	for i, d := range ds {
		out.Items[i] = apimatching.Demand{ProgramID: d.ProgramID, Seats: d.Seats, Ranked: d.Ranked, RankedFirst: d.RankedFirst}
	}
	return private(c, http.StatusOK, out)
}

// POST /rounds/{id}/vacancy {name, offerDays?}: a vacancy round over the
// published round's leftovers.
func (h *Handlers) vacancy(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	var req apimatching.VacancyRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	r, err := h.App.CreateVacancy(c.Request().Context(), caller(c), id, req.Name, req.OfferDays)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, platform.APIPrefix+"/rounds/"+url.PathEscape(r.ID))
	return private(c, http.StatusCreated, roundOf(r))
}
