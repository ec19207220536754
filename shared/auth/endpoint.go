package auth

import (
	"reflect"

	"github.com/labstack/echo/v4"
)

// Endpoint is a route without its handler: the method, the path pattern
// (echo syntax, relative to /api/v1) and who may call it. A service's
// endpoints are declared once, in shared/api/<service>, where both the
// service's access table and the gateway's forwarding table read them.
type Endpoint struct {
	Method string
	Path   string
	Policy Policy
	// BodyLimit raises the platform's body limit for this route (file
	// uploads); zero keeps the default (web.Options.BodyLimit).
	BodyLimit int64
	// CSVBody lets the route take a text/csv body of up to
	// web.CSVBodyLimit (imports); its other bodies, and every other
	// route's, keep the server's small limit.
	CSVBody bool
}

// Serve is the access-table row that serves e with h, described by d.
func (e Endpoint) Serve(h echo.HandlerFunc, d *Doc) Route {
	return Route{Method: e.Method, Path: e.Path, Policy: e.Policy, BodyLimit: e.BodyLimit, Handler: h, Doc: d, CSVBody: e.CSVBody}
}

// Endpoints lists the Endpoint fields of the struct set, in the order they
// are declared. shared/api/<service> declares its routes as one struct
// value, so that each has a name for the service and the list comes with
// them.
func Endpoints(set any) []Endpoint {
	v := reflect.ValueOf(set)
	var out []Endpoint
	for i := range v.NumField() {
		if e, ok := v.Field(i).Interface().(Endpoint); ok {
			out = append(out, e)
		}
	}
	return out
}
