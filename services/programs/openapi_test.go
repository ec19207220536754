package programs_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/shared/auth/authtest"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/platform"
)

// TestOpenAPIDescribesEveryRoute keeps the OpenAPI part in step with the
// routes: every route is documented, and nothing else is.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(programs.OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	d := platform.Deps{
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mongo: mongotest.Client(t), DBPrefix: mongotest.Prefix(t),
		Bus: natstest.Bus(t, natstest.Start(t), "test"), Auth: authtest.New(t).Verifier(),
	}
	svc, err := programs.NewWith(programs.Options{Config: fast})(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	svc.Routes(e, e.Group(platform.APIPrefix))
	routes := map[string]bool{}
	for _, r := range e.Routes() {
		// Echo's :id is OpenAPI's {id}; the paths are relative to the server, /api/v1.
		path := strings.ReplaceAll(strings.TrimPrefix(r.Path, platform.APIPrefix), ":id", "{id}")
		key := strings.ToLower(r.Method) + " " + path
		routes[key] = true
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !routes[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not a route", method, path)
			}
		}
	}
}
