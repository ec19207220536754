package placements_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/placements"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/openapi"
	"github.com/talentbridge/platform/shared/openapi/openapitest"
)

// The visa and statistics routes, as the platform documents them (the
// access table's generated part under the hand-written one), are valid
// OpenAPI 3.1 and say what a cell may hold and what the CSV is.
func TestOpenAPIDescribesVisaAndStatistics(t *testing.T) {
	start(t, time.Now())
	var routes []auth.RouteInfo
	for _, r := range auth.Registered() {
		if strings.HasPrefix(r.Path, "/api/v1/stats/") || strings.HasSuffix(r.Path, "/visa") {
			routes = append(routes, r)
		}
	}
	if len(routes) != 3 {
		t.Fatalf("%d visa and statistics routes registered, want 3", len(routes))
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
	for _, want := range []string{`"text/csv"`, `"\u003c10"`, `"suppressed"`, `"groupBy"`, `"oneOf"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the placements part never names %s", want)
		}
	}
}
