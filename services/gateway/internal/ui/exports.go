package ui

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/csvexport"
)

// download passes a CSV file of the API on to the browser as an
// attachment named name. The API decides who may have it (a program that
// is not the caller's is a 404 page, as everywhere).
func (u *UI) download(c echo.Context, apiPath, name string) error {
	res, err := u.send(c, http.MethodGet, apiPath, nil)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	h.Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, csvexport.ContentType, res.Body)
}

// candidatesCSV downloads a program's candidates (its host, coordinators).
func (u *UI) candidatesCSV(c echo.Context) error {
	id := c.Param("id")
	return u.download(c, "/programs/"+url.PathEscape(id)+"/candidates.csv", "candidates.csv")
}

// reportCSV downloads a round's outcome report (coordinators).
func (u *UI) reportCSV(c echo.Context) error {
	id := c.Param("id")
	return u.download(c, "/rounds/"+url.PathEscape(id)+"/report.csv", "round-report.csv")
}
