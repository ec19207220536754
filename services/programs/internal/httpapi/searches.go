package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

func (h *Handlers) saveSearch(c echo.Context) error {
	if err := jsonBody(c); err != nil {
		return err
	}
	var req apiprograms.SavedSearchRequest
	if err := web.Decode(c.Request().Body, &req); err != nil {
		return err
	}
	s, err := h.app.SaveSearch(c.Request().Context(), actor(c), domain.SavedSearch{
		Q: req.Q, Kind: req.Kind, HostCountry: req.HostCountry, Field: req.Field, Alert: req.Alert,
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, platform.APIPrefix+"/searches/me")
	return c.JSON(http.StatusCreated, app.SavedSearchOf(s))
}

func (h *Handlers) mySearches(c echo.Context) error {
	ss, err := h.app.MySearches(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	out := apiprograms.SavedSearchList{Items: make([]apiprograms.SavedSearch, len(ss))}
	for i, s := range ss {
		out.Items[i] = app.SavedSearchOf(s)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, out)
}

func (h *Handlers) deleteSearch(c echo.Context) error {
	id := c.Param("id")
	if id == "" || len(id) > maxIDLength {
		return web.NotFound("saved search")
	}
	if err := h.app.DeleteSearch(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
