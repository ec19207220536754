// Package openapi assembles the platform's OpenAPI 3.1 document. Each
// process describes the routes it serves — generated from the access tables
// (path, method, who may call) and overlaid with the detailed operations a
// service writes by hand — and answers requests for its part over NATS; the
// gateway merges every part into the one document at /api/v1/openapi.json.
package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/shared/auth"
)

// Subject is the NATS subject on which every process answers with its part.
// It is not in a queue group: each process answers, and the asker merges.
const Subject = "tb.rpc.openapi"

// Doc is a document as generic JSON.
type Doc = map[string]any

var param = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// Generate describes routes: each operation says who may call it (the
// bearer token requirement and the roles) and has the platform's standard
// error responses.
func Generate(title string, routes []auth.RouteInfo) Doc {
	paths := Doc{}
	for _, r := range routes {
		path := param.ReplaceAllString(r.Path, "{$1}")
		item, _ := paths[path].(Doc)
		if item == nil {
			item = Doc{}
			paths[path] = item
		}
		op := Doc{
			"operationId": operationID(r.Method, path),
			"summary":     r.Method + " " + path,
			"responses": Doc{
				"default": Doc{"$ref": "#/components/responses/Problem"},
				"2XX":     Doc{"description": "success"},
			},
		}
		if names := param.FindAllStringSubmatch(r.Path, -1); len(names) > 0 {
			var ps []any
			for _, n := range names {
				ps = append(ps, Doc{"name": n[1], "in": "path", "required": true, "schema": Doc{"type": "string"}})
			}
			op["parameters"] = ps
		}
		if !r.Policy.Public {
			op["security"] = []any{Doc{"bearer": []any{}}}
			if len(r.Policy.Roles) > 0 {
				op["x-roles"] = r.Policy.Roles
				op["description"] = "Allowed to: " + strings.Join(r.Policy.Roles, ", ") + "."
			} else {
				op["description"] = "Allowed to any signed-in user."
			}
		}
		item[strings.ToLower(r.Method)] = op
	}
	return Doc{
		"openapi": "3.1.0",
		"info":    Doc{"title": title, "version": "1"},
		"paths":   paths,
		"components": Doc{
			"securitySchemes": Doc{"bearer": Doc{"type": "http", "scheme": "bearer", "bearerFormat": "JWT (EdDSA)"}},
			"responses": Doc{"Problem": Doc{
				"description": "An RFC 9457 problem: status, a stable code, and the fields at fault.",
				"content":     Doc{"application/problem+json": Doc{"schema": Doc{"$ref": "#/components/schemas/Problem"}}},
			}},
			"schemas": Doc{"Problem": Doc{
				"type": "object",
				"properties": Doc{
					"type": Doc{"type": "string"}, "title": Doc{"type": "string"}, "status": Doc{"type": "integer"},
					"code": Doc{"type": "string"}, "detail": Doc{"type": "string"}, "instance": Doc{"type": "string"},
					"errors": Doc{"type": "array", "items": Doc{"type": "object", "properties": Doc{
						"field": Doc{"type": "string"}, "reason": Doc{"type": "string"}, "line": Doc{"type": "integer"}}}},
				},
			}},
		},
	}
}

func operationID(method, path string) string {
	id := strings.ToLower(method)
	// The version prefix is the same everywhere; ids read better without it.
	path = strings.TrimPrefix(path, "/api/v1")
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		seg = strings.Trim(seg, "{}")
		if seg == "" {
			continue
		}
		id += strings.ToUpper(seg[:1]) + seg[1:]
	}
	return id
}

// Parse reads a hand-written part.
func Parse(raw []byte) (Doc, error) {
	var d Doc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("openapi part: %w", err)
	}
	return d, nil
}

// Merge puts parts together: paths and their operations, and components,
// with a later part's entry replacing an earlier one's (so a hand-written
// operation wins over a generated one for the same path and method).
func Merge(title string, parts ...Doc) Doc {
	out := Doc{"openapi": "3.1.0", "info": Doc{"title": title, "version": "1"}, "paths": Doc{}, "components": Doc{}}
	paths := out["paths"].(Doc)
	comps := out["components"].(Doc)
	for _, p := range parts {
		if pp, ok := p["paths"].(Doc); ok {
			for path, item := range pp {
				dst, _ := paths[path].(Doc)
				if dst == nil {
					dst = Doc{}
					paths[path] = dst
				}
				if ops, ok := item.(Doc); ok {
					for k, v := range ops {
						dst[k] = v
					}
				}
			}
		}
		if pc, ok := p["components"].(Doc); ok {
			for kind, entries := range pc {
				dst, _ := comps[kind].(Doc)
				if dst == nil {
					dst = Doc{}
					comps[kind] = dst
				}
				if es, ok := entries.(Doc); ok {
					for k, v := range es {
						dst[k] = v
					}
				}
			}
		}
	}
	return out
}

// Gather asks every process for its part and merges the answers that
// arrive within wait.
func Gather(ctx context.Context, nc *nats.Conn, wait time.Duration) (Doc, error) {
	inbox := nc.NewRespInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		return nil, err
	}
	defer sub.Unsubscribe()
	if err := nc.PublishRequest(Subject, inbox, nil); err != nil {
		return nil, err
	}
	var parts []Doc
	deadline := time.Now().Add(wait)
	for {
		left := time.Until(deadline)
		if left <= 0 || ctx.Err() != nil {
			break
		}
		m, err := sub.NextMsg(left)
		if err != nil {
			break
		}
		if d, err := Parse(m.Data); err == nil {
			parts = append(parts, d)
		}
	}
	if len(parts) == 0 {
		return nil, errors.New("no service described its API in time")
	}
	return Merge("TalentBridge API", parts...), nil
}
