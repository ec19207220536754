package matching_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/openapi"
	"github.com/talentbridge/platform/shared/platform"
)

// documented returns the API routes registered with a Doc.
func documented() []auth.RouteInfo {
	var out []auth.RouteInfo
	for _, r := range auth.Registered() {
		if strings.HasPrefix(r.Path, platform.APIPrefix+"/") && r.Doc != nil {
			out = append(out, r)
		}
	}
	return out
}

// pathParam is an Echo path parameter (:id, :slotId), which OpenAPI
// writes {id}.
var pathParam = regexp.MustCompile(`:([A-Za-z]+)`)

func mustParse(t *testing.T, raw []byte) openapi.Doc {
	t.Helper()
	d, err := openapi.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestOpenAPIDescribesEveryRoute keeps the OpenAPI part in step with the
// routes: every route is documented — by its access-table Doc or the
// hand-written part laid over it — and nothing else is.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(matching.OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}

	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	env := start(t, fast)
	svc, err := matching.New(context.Background(), env.Deps)
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	svc.Routes(e, e.Group(platform.APIPrefix))
	gen, err := openapi.Generate("matching", documented())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(openapi.Merge("matching", gen, mustParse(t, matching.OpenAPI)))
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, r := range e.Routes() {
		path := pathParam.ReplaceAllString(strings.TrimPrefix(r.Path, platform.APIPrefix), "{$1}")
		method := strings.ToLower(r.Method)
		routes[method+" "+path] = true
		if _, ok := doc.Paths[path][method]; !ok {
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
