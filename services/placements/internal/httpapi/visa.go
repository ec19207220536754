package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/placements/internal/app"
	"github.com/talentbridge/platform/services/placements/internal/stats"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/csvexport"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// visaAndStats are the routes of the visa pathway and the public
// statistics.
func (h *Handlers) visaAndStats() []auth.Route {
	r := api.Routes
	return []auth.Route{
		r.Visa.Serve(h.visa, &auth.Doc{Summary: "The likely visa or status of residence, what it needs and why, and for a paid placement in Japan an estimate of Highly Skilled Professional points item by item (the participant, the host, coordinators). Optional query experienceYears (0–60) and researchAchievements (0–4 kinds) refine the estimate with facts profiles do not hold; they are not stored",
			Response: api.VisaResponse{}, Errors: []int{400}}),
		r.Stats.Serve(h.stats, &auth.Doc{Summary: "Public exchange statistics: offers accepted, placements started, completed and ended early, by groupBy over whole months from–to; counts under 10 are \"<10\"",
			Response: api.ExchangeStats{}, Errors: []int{400}}),
		r.StatsCSV.Serve(h.statsCSV, &auth.Doc{Summary: "The same statistics as CSV (cells escaped against formula injection)", Errors: []int{400}}),
	}
}

func (h *Handlers) visa(c echo.Context) error {
	facts, errs := visaFacts(c)
	if len(errs) > 0 {
		return web.Invalid(errs...)
	}
	v, err := h.App.Visa(c.Request().Context(), Actor(c), c.Param("id"), facts)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, v)
}

// The points-table facts a reader may add to GET /placements/{id}/visa,
// and their bounds: a working life, and the four kinds of research
// achievement the table counts.
const (
	queryExperienceYears      = "experienceYears"
	queryResearchAchievements = "researchAchievements"
	maxExperienceYears        = 60
	maxResearchAchievements   = 4
)

// visaFacts reads the optional facts of the visa query.
func visaFacts(c echo.Context) (app.VisaFacts, []fielderr.FieldError) {
	var f app.VisaFacts
	var errs []fielderr.FieldError
	for _, q := range []struct {
		name string
		max  int
		to   **int
	}{
		{queryExperienceYears, maxExperienceYears, &f.ExperienceYears},
		{queryResearchAchievements, maxResearchAchievements, &f.ResearchAchievements},
	} {
		raw := c.QueryParam(q.name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > q.max {
			errs = append(errs, fielderr.NewRange(q.name, 0, q.max))
			continue
		}
		*q.to = &n
	}
	return f, errs
}

// exchangeStats reads and validates the query, then counts.
func (h *Handlers) exchangeStats(c echo.Context) (api.ExchangeStats, error) {
	q, errs := stats.ParseQuery(c.QueryParam("groupBy"), c.QueryParam("from"), c.QueryParam("to"), h.App.Clock())
	if len(errs) > 0 {
		return api.ExchangeStats{}, web.Invalid(errs...)
	}
	return h.App.ExchangeStats(c.Request().Context(), q)
}

// statsCache: the figures are public and change slowly.
const statsCache = "public, max-age=60"

func (h *Handlers) stats(c echo.Context) error {
	t, err := h.exchangeStats(c)
	if err != nil {
		return err
	}
	// "<10" is written as it is, not as \u003c10.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(t); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, statsCache)
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, buf.Bytes())
}

func (h *Handlers) statsCSV(c echo.Context) error {
	t, err := h.exchangeStats(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := stats.WriteCSV(&buf, t); err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderCacheControl, statsCache)
	hd.Set(echo.HeaderContentDisposition, `attachment; filename="exchanges-`+t.GroupBy+`.csv"`)
	return c.Blob(http.StatusOK, csvexport.ContentType, buf.Bytes())
}
