package openapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/openapi"
	"github.com/talentbridge/platform/shared/openapi/openapitest"
)

type Program struct {
	ID    string    `json:"id"`
	Title string    `json:"title"`
	Start time.Time `json:"start"`
}

type ProgramRequest struct {
	Title string   `json:"title" minLength:"1"`
	Tags  []string `json:"tags,omitempty"`
}

type Page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// routes is a small access table with one route of each kind: public, a
// JSON body, a CSV body, no body, no response body.
func routes() []auth.RouteInfo {
	return []auth.RouteInfo{
		{Method: "GET", Path: "/api/v1/programs", Policy: auth.Anyone,
			Doc: &auth.Doc{Summary: "Search", Response: Page[Program]{}}},
		{Method: "GET", Path: "/api/v1/programs/:id", Policy: auth.Anyone, Doc: &auth.Doc{Response: Program{}}},
		{Method: "POST", Path: "/api/v1/programs", Policy: auth.Hosts,
			Doc: &auth.Doc{Request: ProgramRequest{}, Status: http.StatusCreated, Response: Program{}, Errors: []int{422}}},
		{Method: "PUT", Path: "/api/v1/programs/:id", Policy: auth.Hosts,
			Doc: &auth.Doc{Request: ProgramRequest{}, Response: Program{}, Errors: []int{409}}},
		{Method: "POST", Path: "/api/v1/programs/import", Policy: auth.Hosts,
			Doc: &auth.Doc{RequestMedia: "text/csv", Status: http.StatusCreated, Response: map[string]int{}}},
		{Method: "POST", Path: "/api/v1/rounds/:id/run", Policy: auth.Coordinators,
			Doc: &auth.Doc{Status: http.StatusAccepted, Response: Program{}}},
		{Method: "DELETE", Path: "/api/v1/me", Policy: auth.SignedIn, Doc: &auth.Doc{Status: http.StatusNoContent}},
		// Described by the process that serves it.
		{Method: "GET", Path: "/api/v1/elsewhere", Policy: auth.Anyone},
	}
}

func generate(t *testing.T) openapi.Doc {
	t.Helper()
	doc, err := openapi.Generate("x", routes())
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func op(d openapi.Doc, path, method string) openapi.Doc {
	return d["paths"].(openapi.Doc)[path].(openapi.Doc)[method].(openapi.Doc)
}

func TestGenerate(t *testing.T) {
	gen := generate(t)
	if s := gen["servers"].([]any); len(s) != 1 || s[0].(openapi.Doc)["url"] != "/api/v1" {
		t.Errorf("servers = %v, want /api/v1", s)
	}
	if sec, ok := op(gen, "/programs/{id}", "get")["security"].([]any); !ok || len(sec) != 0 {
		t.Errorf("public GET has security %v, want []", sec)
	}
	run := op(gen, "/rounds/{id}/run", "post")
	if run["security"] == nil || run["operationId"] != "postRoundsIdRun" {
		t.Errorf("POST run = %v, want bearer security and operationId postRoundsIdRun", run)
	}
	if ps := run["parameters"].([]any); len(ps) != 1 || ps[0].(openapi.Doc)["name"] != "id" {
		t.Errorf("parameters = %v, want the id", ps)
	}
	if run["requestBody"] != nil {
		t.Errorf("POST run has a request body: %v", run["requestBody"])
	}
	rs := run["responses"].(openapi.Doc)
	for _, st := range []string{"202", "401", "403", "404", "default"} {
		if rs[st] == nil {
			t.Errorf("POST run has no %s response: %v", st, rs)
		}
	}
	create := op(gen, "/programs", "post")
	body := create["requestBody"].(openapi.Doc)["content"].(openapi.Doc)["application/json"].(openapi.Doc)["schema"]
	if got := body.(openapi.Doc)["$ref"]; got != "#/components/schemas/ProgramRequest" {
		t.Errorf("POST /programs body schema = %v, want a reference to ProgramRequest", body)
	}
	cr := create["responses"].(openapi.Doc)
	for _, st := range []string{"201", "400", "401", "403", "422"} {
		if cr[st] == nil {
			t.Errorf("POST /programs has no %s response: %v", st, cr)
		}
	}
	if cr["404"] != nil {
		t.Errorf("POST /programs answers 404 though it has no id: %v", cr)
	}
	csv := op(gen, "/programs/import", "post")["requestBody"].(openapi.Doc)["content"].(openapi.Doc)
	if csv["text/csv"] == nil {
		t.Errorf("import body = %v, want text/csv", csv)
	}
	schemas := gen["components"].(openapi.Doc)["schemas"].(openapi.Doc)
	for _, name := range []string{"Problem", "FieldError", "Program", "ProgramRequest", "PageProgram"} {
		if schemas[name] == nil {
			t.Errorf("no schema %s among %v", name, keys(schemas))
		}
	}
	title := schemas["ProgramRequest"].(openapi.Doc)["properties"].(openapi.Doc)["title"].(openapi.Doc)
	if title["type"] != "string" || title["minLength"] != 1.0 {
		t.Errorf("ProgramRequest.title = %v, want a non-empty string", title)
	}
	problem := schemas["Problem"].(openapi.Doc)["properties"].(openapi.Doc)
	for _, f := range []string{"type", "title", "status", "detail", "code", "errors"} {
		if problem[f] == nil {
			t.Errorf("Problem has no %s: %v", f, keys(problem))
		}
	}
	fe := schemas["FieldError"].(openapi.Doc)
	feProps := fe["properties"].(openapi.Doc)
	code, _ := feProps["code"].(openapi.Doc)
	if ref, ok := code["$ref"].(string); ok {
		code, _ = schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(openapi.Doc)
	}
	if enum, _ := code["enum"].([]any); !slices.Contains(enum, any("required")) || !slices.Contains(enum, any("date_order")) {
		t.Errorf("FieldError.code = %v, want an enum of the field error codes", code)
	}
	if feProps["params"] == nil || feProps["reason"] == nil {
		t.Errorf("FieldError has no params or reason: %v", keys(feProps))
	}
	if req, _ := fe["required"].([]any); !slices.Contains(req, any("code")) {
		t.Errorf("FieldError.required = %v, want code among them", fe["required"])
	}
	if gen["paths"].(openapi.Doc)["/elsewhere"] != nil {
		t.Error("a route without a Doc was described")
	}
}

func TestMergeKeepsGeneratedSchemasUnderHandWrittenText(t *testing.T) {
	hand := openapi.Doc{"paths": openapi.Doc{"/programs/{id}": openapi.Doc{"get": openapi.Doc{"summary": "Read one program"}}},
		"components": openapi.Doc{"schemas": openapi.Doc{"Extra": openapi.Doc{"type": "object"}}}}
	m := openapi.Merge("all", generate(t), hand)
	get := op(m, "/programs/{id}", "get")
	if get["summary"] != "Read one program" {
		t.Errorf("merged summary = %v, want the hand-written one", get["summary"])
	}
	if get["responses"].(openapi.Doc)["200"] == nil {
		t.Errorf("merge lost the generated responses: %v", get)
	}
	if m["paths"].(openapi.Doc)["/rounds/{id}/run"] == nil {
		t.Error("merge lost a generated path")
	}
	schemas := m["components"].(openapi.Doc)["schemas"].(openapi.Doc)
	if schemas["Extra"] == nil || schemas["Problem"] == nil {
		t.Errorf("merged schemas = %v, want Extra and Problem", keys(schemas))
	}
	if m["servers"] == nil {
		t.Error("the merged document has no servers")
	}
}

// TestGeneratedDocumentPassesTheChecks runs the real validator and the
// walk over a generated document, and shows that each check bites: a
// document with one part taken away is reported.
func TestGeneratedDocumentPassesTheChecks(t *testing.T) {
	raw := func(d openapi.Doc) []byte {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if ps := openapitest.Problems(raw(openapi.Merge("all", generate(t))), routes()[:7]); len(ps) > 0 {
		t.Fatalf("the generated document has problems:\n%s", strings.Join(ps, "\n"))
	}
	for _, tc := range []struct {
		name  string
		spoil func(openapi.Doc)
		want  string
	}{
		{"request body schema removed", func(d openapi.Doc) {
			delete(op(d, "/programs", "post")["requestBody"].(openapi.Doc)["content"].(openapi.Doc)["application/json"].(openapi.Doc), "schema")
		}, "POST /programs: requestBody without a schema"},
		{"request body removed", func(d openapi.Doc) {
			delete(op(d, "/programs", "post"), "requestBody")
		}, "POST /programs: takes a body but has no requestBody"},
		{"response schema removed", func(d openapi.Doc) {
			delete(op(d, "/programs/{id}", "get")["responses"].(openapi.Doc)["200"].(openapi.Doc), "content")
		}, "GET /programs/{id}: response 200 has no schema"},
		{"4XX removed", func(d openapi.Doc) {
			rs := op(d, "/programs/{id}", "get")["responses"].(openapi.Doc)
			delete(rs, "404")
		}, "GET /programs/{id}: no 4XX response"},
		{"security removed", func(d openapi.Doc) {
			delete(op(d, "/programs", "get"), "security")
		}, "GET /programs: no security"},
		{"public made private", func(d openapi.Doc) {
			op(d, "/programs", "get")["security"] = []any{openapi.Doc{"bearer": []any{}}}
		}, "GET /programs: security"},
		{"servers removed", func(d openapi.Doc) { delete(d, "servers") }, "no servers"},
		{"not OpenAPI", func(d openapi.Doc) {
			op(d, "/programs", "get")["responses"] = "none"
		}, "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := openapi.Merge("all", generate(t))
			tc.spoil(d)
			ps := openapitest.Problems(raw(d), routes()[:7])
			for _, p := range ps {
				if strings.HasPrefix(p, tc.want) {
					return
				}
			}
			t.Errorf("problems = %q, want one starting %q", ps, tc.want)
		})
	}
}

func keys(d openapi.Doc) []string {
	var out []string
	for k := range d {
		out = append(out, k)
	}
	return out
}
