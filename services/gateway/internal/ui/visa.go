package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
)

// placementVisa asks the API for a placement's visa pathway as the signed-in
// user (who may read it exactly when they may read the placement). The
// page shows the rest of the placement without it when it cannot be had,
// so an error is logged and nil returned.
//
// The page's own query may carry the points-table facts profiles do not
// hold (years of experience, kinds of research achievement); they are
// passed on to refine the estimate. Facts the API refuses are dropped and
// reported in the returned VisaFacts, so the page still shows the plain
// estimate and says which fact was wrong.
func (u *UI) placementVisa(c echo.Context, id string) (*apiplacements.VisaResponse, VisaFacts) {
	f := VisaFacts{ExperienceYears: strings.TrimSpace(c.QueryParam(visaExperienceYears)),
		ResearchAchievements: strings.TrimSpace(c.QueryParam(visaResearchAchievements))}
	q := url.Values{}
	for k, v := range map[string]string{visaExperienceYears: f.ExperienceYears, visaResearchAchievements: f.ResearchAchievements} {
		if v != "" {
			q.Set(k, v)
		}
	}
	path := "/placements/" + url.PathEscape(id) + "/visa"
	var v apiplacements.VisaResponse
	err := u.call(c, http.MethodGet, path+"?"+q.Encode(), nil, &v)
	if err != nil && statusOf(err) == http.StatusBadRequest && len(q) > 0 {
		f.Invalid = true
		v = apiplacements.VisaResponse{}
		err = u.call(c, http.MethodGet, path, nil, &v)
	}
	if err != nil {
		u.log.WarnContext(c.Request().Context(), "visa pathway", "placement", id, "err", err)
		return nil, f
	}
	return &v, f
}

// The query names of the visa facts, as the placements API reads them.
const (
	visaExperienceYears      = "experienceYears"
	visaResearchAchievements = "researchAchievements"
)

// VisaFacts are the facts a reader gave to refine the points estimate, as
// typed; Invalid when the API refused them.
type VisaFacts struct {
	ExperienceYears, ResearchAchievements string
	Invalid                               bool
}
