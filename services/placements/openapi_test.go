package placements_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/placements"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/openapi"
	"github.com/talentbridge/platform/shared/openapi/openapitest"
)

// The service's part of the API document, as the platform builds it, is
// valid OpenAPI 3.1 and describes every route in full, the list's status
// filter included.
func TestOpenAPIPartDescribesEveryRoute(t *testing.T) {
	start(t, jan2027)
	var routes []auth.RouteInfo
	for _, r := range auth.Registered() {
		if strings.HasPrefix(r.Path, "/api/v1/placements") || strings.HasPrefix(r.Path, "/api/v1/stats/") {
			routes = append(routes, r)
		}
	}
	if want := len(auth.Endpoints(api.Routes)); len(routes) != want {
		t.Fatalf("%d placements routes registered, want %d", len(routes), want)
	}
	gen, err := openapi.Generate("placements", routes)
	if err != nil {
		t.Fatal(err)
	}
	hand, err := openapi.Parse(placements.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(openapi.Merge("TalentBridge placements", gen, hand))
	if err != nil {
		t.Fatal(err)
	}
	if ps := openapitest.Problems(raw, routes); len(ps) > 0 {
		t.Fatalf("the placements part has %d problems:\n%s", len(ps), strings.Join(ps, "\n"))
	}
	// The visa pathway and the statistics: the CSV's media type, the cell
	// markers and the grouping parameter.
	for _, want := range []string{`"at-risk"`, `"dueDate"`, `"checklistVersion"`, `"text/csv"`, `"\u003c10"`, `"suppressed"`, `"groupBy"`, `"oneOf"`, `"/placements/{id}/visa"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the placements part never names %s", want)
		}
	}
}
