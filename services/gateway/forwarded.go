package gateway

import (
	"github.com/talentbridge/platform/services/gateway/internal/router"
	"github.com/talentbridge/platform/shared/platform"
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
