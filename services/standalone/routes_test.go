package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/shared/auth"
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
// standalone platform: an OpenAPI 3.1 document with an operation for every
// /api/v1 route the services register, the hand-written detail of the
// services that wrote it, and the security of routes that need a token.
func TestAPIDocumentDescribesEveryRoute(t *testing.T) {
	p := startInProcess(t)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	st, body, err := call(&http.Client{Timeout: 10 * time.Second}, "GET", p.URL+"/api/v1/openapi.json", "", nil)
	if err != nil || st != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d %v", st, err)
	}
	decode(t, body, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	param := regexp.MustCompile(`:([A-Za-z0-9_]+)`)
	n := 0
	for _, r := range auth.Routes() {
		method, path, _ := strings.Cut(r, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		n++
		pol, _ := auth.PolicyOf(method, path)
		path = param.ReplaceAllString(path, "{$1}")
		op, ok := doc.Paths[path][strings.ToLower(method)]
		if !ok {
			t.Errorf("the document has no %s %s", method, path)
			continue
		}
		if !pol.Public && op["security"] == nil {
			t.Errorf("%s %s needs a token but its operation has no security", method, path)
		}
	}
	if n < 40 {
		t.Fatalf("only %d routes checked", n)
	}
	// A hand-written operation (programs' search) keeps its detail.
	if op := doc.Paths["/api/v1/programs"]["get"]; op == nil || op["parameters"] == nil {
		t.Errorf("GET /programs lost the programs service's hand-written parameters: %v", op)
	}
}
