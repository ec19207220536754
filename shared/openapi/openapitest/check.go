// Package openapitest checks an OpenAPI document the way the platform
// wants every part of it: valid OpenAPI 3.1 by a real validator
// (pb33f/libopenapi-validator), and every operation described in full —
// its security, its request body where it takes one, a schema for what it
// answers and its problem responses.
package openapitest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/openapi"
)

var param = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// Problems lists everything wrong with the document raw, or nothing. Each
// route of routes under openapi.Server must have an operation that agrees
// with it: a request body when its Doc names one, security as its policy
// says.
func Problems(raw []byte, routes []auth.RouteInfo) []string {
	var out []string
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		return []string{"not an OpenAPI document: " + err.Error()}
	}
	v, errs := validator.NewValidator(doc)
	for _, err := range errs {
		out = append(out, "model: "+err.Error())
	}
	if v != nil {
		if ok, verrs := v.ValidateDocument(); !ok {
			for _, e := range verrs {
				msg := e.Message
				if e.Reason != "" {
					msg += ": " + e.Reason
				}
				for _, se := range e.SchemaValidationErrors {
					msg += fmt.Sprintf(" [%s: %s]", se.FieldPath, se.Reason)
				}
				out = append(out, "invalid: "+msg)
			}
		}
	}
	var d openapi.Doc
	if err := json.Unmarshal(raw, &d); err != nil {
		return append(out, err.Error())
	}
	out = append(out, walk(d)...)
	paths, _ := d["paths"].(openapi.Doc)
	for _, r := range routes {
		if !strings.HasPrefix(r.Path, openapi.Server+"/") {
			continue
		}
		path := param.ReplaceAllString(strings.TrimPrefix(r.Path, openapi.Server), "{$1}")
		where := r.Method + " " + path
		item, _ := paths[path].(openapi.Doc)
		op, _ := item[strings.ToLower(r.Method)].(openapi.Doc)
		switch {
		case r.Doc == nil:
			out = append(out, where+": the route has no Doc")
			continue
		case op == nil:
			out = append(out, where+": no operation")
			continue
		}
		if (r.Doc.Request != nil || r.Doc.RequestMedia != "") && op["requestBody"] == nil {
			out = append(out, where+": takes a body but has no requestBody")
		}
		sec, _ := op["security"].([]any)
		if r.Policy.Public != (len(sec) == 0) {
			out = append(out, fmt.Sprintf("%s: security %v for a %s route", where, op["security"], r.Policy))
		}
	}
	return out
}

// walk checks every operation of d on its own.
func walk(d openapi.Doc) []string {
	var out []string
	if s, _ := d["servers"].([]any); len(s) == 0 {
		out = append(out, "no servers")
	}
	comps, _ := d["components"].(openapi.Doc)
	shared, _ := comps["responses"].(openapi.Doc)
	paths, _ := d["paths"].(openapi.Doc)
	for _, path := range sorted(paths) {
		item, _ := paths[path].(openapi.Doc)
		for _, method := range sorted(item) {
			op, ok := item[method].(openapi.Doc)
			if !ok {
				continue
			}
			where := strings.ToUpper(method) + " " + path
			bad := func(format string, args ...any) {
				out = append(out, where+": "+fmt.Sprintf(format, args...))
			}
			if _, ok := op["security"].([]any); !ok {
				bad("no security (public operations say security: [])")
			}
			if rb, ok := op["requestBody"].(openapi.Doc); ok {
				if !hasSchemas(rb) {
					bad("requestBody without a schema")
				}
			} else if method == "put" || method == "patch" {
				bad("no requestBody")
			}
			responses, _ := op["responses"].(openapi.Doc)
			var success, failure int
			for _, status := range sorted(responses) {
				resp, _ := responses[status].(openapi.Doc)
				if ref, ok := resp["$ref"].(string); ok {
					resp, _ = shared[strings.TrimPrefix(ref, "#/components/responses/")].(openapi.Doc)
				}
				switch {
				case strings.HasPrefix(status, "2"):
					success++
					if status != "204" && !hasSchemas(resp) {
						bad("response %s has no schema", status)
					}
				case strings.HasPrefix(status, "4"):
					failure++
					c, _ := resp["content"].(openapi.Doc)
					if c["application/problem+json"] == nil || !hasSchemas(resp) {
						bad("response %s is not an application/problem+json with a schema", status)
					}
				}
			}
			if success == 0 {
				bad("no 2XX response")
			}
			// An operation that takes nothing — public, no parameters, no
			// body — has nothing to refuse.
			sec, _ := op["security"].([]any)
			ps, _ := op["parameters"].([]any)
			takes := len(sec) > 0 || len(ps) > 0 || op["requestBody"] != nil
			if failure == 0 && takes {
				bad("no 4XX response")
			}
		}
	}
	return out
}

// hasSchemas reports whether x (a request body or response) has content,
// each media type with a schema.
func hasSchemas(x openapi.Doc) bool {
	c, _ := x["content"].(openapi.Doc)
	if len(c) == 0 {
		return false
	}
	for _, m := range c {
		mt, _ := m.(openapi.Doc)
		if s, _ := mt["schema"].(openapi.Doc); len(s) == 0 {
			return false
		}
	}
	return true
}

func sorted(d openapi.Doc) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
