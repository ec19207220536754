// Package openapi assembles the platform's OpenAPI 3.1 document. Each
// process describes the routes it serves — generated from the access tables
// (path, method, who may call, the Go types of request and response bodies)
// and overlaid with what a service writes by hand (descriptions, query
// parameters) — and answers requests for its part over NATS; the gateway
// merges every part into the one document at /api/v1/openapi.json.
package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/swaggest/jsonschema-go"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/web"
)

// Subject is the NATS subject on which every process answers with its part.
// It is not in a queue group: each process answers, and the asker merges.
const Subject = "tb.rpc.openapi"

// Doc is a document as generic JSON.
type Doc = map[string]any

// Server is where the paths of the document are rooted.
const Server = "/api/v1"

var param = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// Generate describes routes from their access-table rows: who may call
// each (public operations say so with an empty security list, the others
// need the bearer token), the request and response bodies from the Go
// types the row names (JSON Schemas reflected by swaggest/jsonschema-go),
// and the problem responses it may answer. Routes without a Doc are left
// to the process that serves them.
func Generate(title string, routes []auth.RouteInfo) (Doc, error) {
	g := generator{schemas: Doc{}}
	problem, err := g.schema(web.Problem{})
	if err != nil {
		return nil, err
	}
	g.problem = problem
	paths := Doc{}
	for _, r := range routes {
		if r.Doc == nil {
			continue
		}
		path := param.ReplaceAllString(strings.TrimPrefix(r.Path, Server), "{$1}")
		op, err := g.operation(r, path)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.Method, r.Path, err)
		}
		item, _ := paths[path].(Doc)
		if item == nil {
			item = Doc{}
			paths[path] = item
		}
		item[strings.ToLower(r.Method)] = op
	}
	doc := skeleton(title)
	doc["paths"] = paths
	doc["components"] = Doc{
		"securitySchemes": Doc{"bearer": Doc{"type": "http", "scheme": "bearer", "bearerFormat": "JWT (EdDSA)"}},
		"responses": Doc{"Problem": Doc{
			"description": "An RFC 9457 problem: status, a stable code, and the fields at fault.",
			"content":     Doc{problemMedia: Doc{"schema": problem}},
		}},
		"schemas": g.schemas,
	}
	return doc, nil
}

const problemMedia = "application/problem+json"

func skeleton(title string) Doc {
	return Doc{
		"openapi": "3.1.0",
		"info":    Doc{"title": title, "version": "1"},
		"servers": []any{Doc{"url": Server, "description": "the gateway (or, in split mode, one service)"}},
	}
}

type generator struct {
	schemas Doc
	problem Doc
}

func (g *generator) operation(r auth.RouteInfo, path string) (Doc, error) {
	d := r.Doc
	summary := d.Summary
	if summary == "" {
		summary = r.Method + " " + path
	}
	op := Doc{"operationId": operationID(r.Method, path), "summary": summary}
	names := param.FindAllStringSubmatch(r.Path, -1)
	if len(names) > 0 {
		var ps []any
		for _, n := range names {
			ps = append(ps, Doc{"name": n[1], "in": "path", "required": true, "schema": Doc{"type": "string"}})
		}
		op["parameters"] = ps
	}
	if r.Policy.Public {
		op["security"] = []any{}
	} else {
		op["security"] = []any{Doc{"bearer": []any{}}}
		if len(r.Policy.Roles) > 0 {
			op["x-roles"] = r.Policy.Roles
			op["description"] = "Allowed to: " + strings.Join(r.Policy.Roles, ", ") + "."
		} else {
			op["description"] = "Allowed to any signed-in user."
		}
	}
	failures := map[int]bool{}
	for _, st := range d.Errors {
		if st < 400 || st > 499 {
			return nil, fmt.Errorf("error status %d is not a 4XX", st)
		}
		failures[st] = true
	}
	switch {
	case d.Request != nil:
		s, err := g.schema(d.Request)
		if err != nil {
			return nil, err
		}
		op["requestBody"] = Doc{"required": !d.RequestOptional, "content": Doc{"application/json": Doc{"schema": s}}}
		failures[http.StatusBadRequest] = true
	case d.RequestMedia != "":
		op["requestBody"] = Doc{"required": true, "content": Doc{d.RequestMedia: Doc{"schema": Doc{"type": "string"}}}}
		failures[http.StatusBadRequest] = true
	}
	if !r.Policy.Public {
		failures[http.StatusUnauthorized] = true
		if len(r.Policy.Roles) > 0 {
			failures[http.StatusForbidden] = true
		}
	}
	if len(names) > 0 {
		failures[http.StatusNotFound] = true
	}
	status := d.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := Doc{"description": http.StatusText(status)}
	if d.Response != nil {
		s, err := g.schema(d.Response)
		if err != nil {
			return nil, err
		}
		ok["content"] = Doc{"application/json": Doc{"schema": s}}
	}
	responses := Doc{strconv.Itoa(status): ok, "default": Doc{"$ref": "#/components/responses/Problem"}}
	for st := range failures {
		responses[strconv.Itoa(st)] = Doc{
			"description": http.StatusText(st),
			"content":     Doc{problemMedia: Doc{"schema": g.problem}},
		}
	}
	op["responses"] = responses
	return op, nil
}

// schema reflects v's type; named types go to components/schemas and are
// referred to.
func (g *generator) schema(v any) (Doc, error) {
	var refl jsonschema.Reflector
	s, err := refl.Reflect(v,
		jsonschema.RootRef,
		jsonschema.DefinitionsPrefix("#/components/schemas/"),
		jsonschema.InterceptDefName(defName),
		jsonschema.CollectDefinitions(func(name string, s jsonschema.Schema) {
			if d, err := asDoc(s); err == nil {
				g.schemas[name] = d
			}
		}))
	if err != nil {
		return nil, err
	}
	return asDoc(s)
}

func asDoc(v any) (Doc, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var d Doc
	return d, json.Unmarshal(raw, &d)
}

// defName names a type's schema: the type's name, after the name of the
// service (or shared/api package) that declares it, so that two services'
// types of the same name stay apart in the merged document; type
// arguments are appended without their packages ("PageProfileView").
func defName(t reflect.Type, def string) string {
	name := t.Name()
	if name == "" {
		return def
	}
	if base, args, generic := strings.Cut(name, "["); generic {
		name = base
		for _, a := range strings.Split(strings.TrimSuffix(args, "]"), ",") {
			name += a[strings.LastIndex(a, ".")+1:]
		}
	}
	name = strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return r
		}
		return -1
	}, name)
	pkg := t.PkgPath()
	for _, root := range []string{"/services/", "/shared/api/"} {
		if i := strings.Index(pkg, root); i >= 0 {
			owner, _, _ := strings.Cut(pkg[i+len(root):], "/")
			if owner != "" {
				return strings.ToUpper(owner[:1]) + owner[1:] + name
			}
		}
	}
	return name
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

// Merge puts parts together: paths, their operations and components,
// merged key by key, with a later part's value replacing an earlier one's
// (so a hand-written summary or parameter list wins over a generated one,
// while the generated request and response schemas stay).
func Merge(title string, parts ...Doc) Doc {
	out := skeleton(title)
	out["paths"] = Doc{}
	out["components"] = Doc{}
	for _, p := range parts {
		for _, k := range []string{"paths", "components"} {
			if src, ok := p[k].(Doc); ok {
				mergeInto(out[k].(Doc), src)
			}
		}
	}
	return out
}

func mergeInto(dst, src Doc) {
	for k, v := range src {
		sv, sok := v.(Doc)
		dv, dok := dst[k].(Doc)
		if sok && dok {
			mergeInto(dv, sv)
			continue
		}
		if sok {
			// Copy, so that later merges never write into a part.
			c := Doc{}
			mergeInto(c, sv)
			v = c
		}
		dst[k] = v
	}
}

// FirstPartWait bounds how long Gather waits for the first part.
const FirstPartWait = 5 * time.Second

// Gather asks every process for its part and merges the answers that
// arrive within wait of the first one. The first may take longer — up to
// FirstPartWait, since a busy machine builds a part slowly — so that a
// slow start gives a document rather than "no part in time".
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
	deadline := time.Now().Add(max(wait, FirstPartWait))
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
			if len(parts) == 0 {
				deadline = time.Now().Add(wait)
			}
			parts = append(parts, d)
		}
	}
	if len(parts) == 0 {
		return nil, errors.New("no service described its API in time")
	}
	return Merge("TalentBridge API", parts...), nil
}
