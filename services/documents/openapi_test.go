package documents_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/documents"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/openapi"
	"github.com/talentbridge/platform/shared/openapi/openapitest"
)

// The service's part of the API document, as the platform builds it (the
// access table's generated part under the hand-written one), is valid
// OpenAPI 3.1 and describes every route in full, the download's media
// types included.
func TestOpenAPIPartDescribesEveryRoute(t *testing.T) {
	start(t)
	var routes []auth.RouteInfo
	for _, r := range auth.Registered() {
		if strings.HasPrefix(r.Path, "/api/v1/documents") || strings.HasPrefix(r.Path, "/api/v1/references") {
			routes = append(routes, r)
		}
	}
	if len(routes) != 9 {
		t.Fatalf("%d documents routes registered, want 9", len(routes))
	}
	gen, err := openapi.Generate("documents", routes)
	if err != nil {
		t.Fatal(err)
	}
	hand, err := openapi.Parse(documents.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(openapi.Merge("TalentBridge documents", gen, hand))
	if err != nil {
		t.Fatal(err)
	}
	if ps := openapitest.Problems(raw, routes); len(ps) > 0 {
		t.Fatalf("the documents part has %d problems:\n%s", len(ps), strings.Join(ps, "\n"))
	}
	for _, media := range []string{`"application/pdf"`, `"image/png"`, `"image/jpeg"`, `"multipart/form-data"`} {
		if !strings.Contains(string(raw), media) {
			t.Errorf("the documents part never names %s", media)
		}
	}
}
