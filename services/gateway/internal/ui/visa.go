package ui

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
)

// placementVisa asks the API for a placement's visa pathway as the signed-in
// user (who may read it exactly when they may read the placement). The
// page shows the rest of the placement without it when it cannot be had,
// so an error is logged and nil returned.
func (u *UI) placementVisa(c echo.Context, id string) *apiplacements.VisaResponse {
	var v apiplacements.VisaResponse
	if err := u.call(c, http.MethodGet, "/placements/"+url.PathEscape(id)+"/visa", nil, &v); err != nil {
		u.log.WarnContext(c.Request().Context(), "visa pathway", "placement", id, "err", err)
		return nil
	}
	return &v
}
