package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/openapi"
	"github.com/talentbridge/platform/shared/openapi/openapitest"
)

// TestEveryRouteIsReachableWhenSplit checks the gateway's forwarding table
// against the routes the services really register: every /api/v1 route of
// the standalone platform is either the gateway's own or forwarded in split
// mode, and the table names no route that no service serves.
func TestEveryRouteIsReachableWhenSplit(t *testing.T) {
	startInProcess(t)
	forwarded := map[string]bool{}
	for _, r := range gateway.Forwarded() {
		forwarded[r] = true
	}
	served := map[string]bool{}
	for _, r := range auth.Routes() {
		method, path, _ := strings.Cut(r, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		served[r] = true
		own := strings.HasPrefix(path, "/api/v1/auth/") || strings.HasPrefix(path, "/api/v1/notifications/") ||
			path == "/api/v1/openapi.json"
		if !own && !forwarded[r] {
			t.Errorf("%s %s is served in standalone mode but not forwarded by the gateway in split mode", method, path)
		}
	}
	if len(served) < 40 {
		t.Fatalf("only %d /api/v1 routes registered; the check would prove little", len(served))
	}
	for r := range forwarded {
		if !served[r] {
			t.Errorf("the gateway forwards %s, which no service serves", r)
		}
	}
}

// TestAPIDocumentDescribesEveryRoute checks GET /api/v1/openapi.json on the
// standalone platform: a valid OpenAPI 3.1 document (by a real validator)
// with an operation for every /api/v1 route the services register, each
// with its security, request body, response schema and problem responses,
// and the hand-written detail of the services that wrote some. A sub-test
// takes one request body schema away and expects the check to say so.
func TestAPIDocumentDescribesEveryRoute(t *testing.T) {
	p := startInProcess(t)
	st, body, err := call(&http.Client{Timeout: 10 * time.Second}, "GET", p.URL+"/api/v1/openapi.json", "", nil)
	if err != nil || st != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d %v", st, err)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	decode(t, body, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	var routes []auth.RouteInfo
	for _, r := range auth.Registered() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			routes = append(routes, r)
		}
	}
	if len(routes) < 40 {
		t.Fatalf("only %d routes registered; the check would prove little", len(routes))
	}
	param := regexp.MustCompile(`:([A-Za-z0-9_]+)`)
	for _, r := range routes {
		path := strings.TrimPrefix(param.ReplaceAllString(r.Path, "{$1}"), "/api/v1")
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("the document has no %s %s", r.Method, path)
		}
	}
	if ps := openapitest.Problems(body, routes); len(ps) > 0 {
		t.Errorf("the document has %d problems:\n%s", len(ps), strings.Join(ps, "\n"))
	}
	// A hand-written operation (programs' search) keeps its detail.
	if op := doc.Paths["/programs"]["get"]; op == nil || op["parameters"] == nil {
		t.Errorf("GET /programs lost the programs service's hand-written parameters: %v", op)
	}

	t.Run("a missing request body schema is reported", func(t *testing.T) {
		var d openapi.Doc
		decode(t, body, &d)
		create := d["paths"].(openapi.Doc)["/rounds"].(openapi.Doc)["post"].(openapi.Doc)
		delete(create["requestBody"].(openapi.Doc)["content"].(openapi.Doc)["application/json"].(openapi.Doc), "schema")
		spoilt, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		ps := openapitest.Problems(spoilt, routes)
		if !slices.Contains(ps, "POST /rounds: requestBody without a schema") {
			t.Errorf("problems = %q, want POST /rounds reported", ps)
		}
	})
}
