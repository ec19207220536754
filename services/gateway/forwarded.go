package gateway

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/gateway/internal/router"
	"github.com/talentbridge/platform/shared/openapi"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Forwarded lists the routes the gateway forwards to the other services when
// they run apart, as "METHOD /api/v1/path/pattern". Tests compare it with the
// routes the services register.
func Forwarded() []string {
	out := make([]string, 0, len(router.Table))
	for _, r := range router.Table {
		out = append(out, r.Method+" "+platform.APIPrefix+r.Path)
	}
	return out
}

// apiDocument answers GET /api/v1/openapi.json: every running process's
// part of the OpenAPI document, gathered over NATS and merged, so the
// document is whole in standalone and in split mode alike.
func (s *Service) apiDocument(c echo.Context) error {
	doc, err := openapi.Gather(c.Request().Context(), s.deps.Bus.NC, 300*time.Millisecond)
	if err != nil {
		return web.Unavailable(err.Error())
	}
	return c.JSON(http.StatusOK, doc)
}
