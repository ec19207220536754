package main

import (
	"strings"
	"testing"

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
		own := strings.HasPrefix(path, "/api/v1/auth/") || strings.HasPrefix(path, "/api/v1/notifications/")
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
