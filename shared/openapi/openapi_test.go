package openapi

import (
	"testing"

	"github.com/talentbridge/platform/shared/auth"
)

func TestGenerateAndMerge(t *testing.T) {
	gen := Generate("x", []auth.RouteInfo{
		{Method: "GET", Path: "/api/v1/programs/:id", Policy: auth.Anyone},
		{Method: "POST", Path: "/api/v1/rounds/:id/run", Policy: auth.Coordinators},
	})
	paths := gen["paths"].(Doc)
	get := paths["/api/v1/programs/{id}"].(Doc)["get"].(Doc)
	if get["security"] != nil {
		t.Errorf("public GET has security %v", get["security"])
	}
	run := paths["/api/v1/rounds/{id}/run"].(Doc)["post"].(Doc)
	if run["security"] == nil || run["operationId"] != "postRoundsIdRun" {
		t.Errorf("POST run = %v, want bearer security and operationId postRoundsIdRun", run)
	}
	if ps := run["parameters"].([]any); len(ps) != 1 || ps[0].(Doc)["name"] != "id" {
		t.Errorf("parameters = %v, want the id", ps)
	}
	hand := Doc{"paths": Doc{"/api/v1/programs/{id}": Doc{"get": Doc{"summary": "Read one program"}}},
		"components": Doc{"schemas": Doc{"Program": Doc{"type": "object"}}}}
	m := Merge("all", gen, hand)
	mp := m["paths"].(Doc)
	if got := mp["/api/v1/programs/{id}"].(Doc)["get"].(Doc)["summary"]; got != "Read one program" {
		t.Errorf("merged summary = %v, want the hand-written one", got)
	}
	if mp["/api/v1/rounds/{id}/run"] == nil {
		t.Error("merge lost a generated path")
	}
	schemas := m["components"].(Doc)["schemas"].(Doc)
	if schemas["Program"] == nil || schemas["Problem"] == nil {
		t.Errorf("merged schemas = %v, want Program and Problem", schemas)
	}
}
