package auth

import (
	"fmt"
	"net/http"
	"sort"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/web"
)

// Policy says who may call a route.
type Policy struct {
	// Public routes need no token.
	Public bool
	// Roles that may call; empty with Public false means any signed-in
	// user.
	Roles []string
}

// Common policies.
var (
	Anyone         = Policy{Public: true}
	SignedIn       = Policy{}
	Applicants     = Policy{Roles: []string{RoleApplicant}}
	Hosts          = Policy{Roles: []string{RoleHost}}
	Coordinators   = Policy{Roles: []string{RoleCoordinator, RoleAdmin}}
	Admins         = Policy{Roles: []string{RoleAdmin}}
	HostsAndCoords = Policy{Roles: []string{RoleHost, RoleCoordinator, RoleAdmin}}
)

// String describes the policy for docs and test failures.
func (p Policy) String() string {
	switch {
	case p.Public:
		return "public"
	case len(p.Roles) == 0:
		return "signed in"
	}
	return fmt.Sprintf("roles %v", p.Roles)
}

// Route is one row of a service's access table.
type Route struct {
	Method  string
	Path    string
	Policy  Policy
	Handler echo.HandlerFunc
	// BodyLimit, when not zero, replaces the platform's body limit on this
	// route (see web.AllowBody).
	BodyLimit int64
	// Doc describes the route in the OpenAPI document (package openapi).
	// It is nil only on routes that another process serves and describes,
	// such as the gateway's forwarding in split mode.
	Doc *Doc
	// CSVBody: see Endpoint.CSVBody.
	CSVBody bool
}

// Doc says what a route takes and answers, for the API document: the Go
// types named here become its request and response schemas.
type Doc struct {
	// Summary is a one-line description.
	Summary string
	// Request is a value of the JSON request body's type; nil when the
	// route takes no JSON body.
	Request any
	// RequestOptional says the body may be left out.
	RequestOptional bool
	// RequestMedia is the media type of a body that is not JSON, such as
	// "text/csv" for imports; Request is then nil.
	RequestMedia string
	// Status is the success status; 200 when zero.
	Status int
	// Response is a value of the success body's type; nil when the
	// success answer has no body (204).
	Response any
	// Errors are the 4XX statuses the route may answer besides those its
	// policy and path imply (401, 403, 404 on an {id}) and 400 for a body.
	Errors []int
}

// Register adds every route of the table to g with its policy enforced: no
// credentials on a non-public route → 401; a role not listed → 403. The
// policy is also recorded so tests can prove that no route lacks one.
//
// On a public route, credentials that do not pass (an expired token, a
// cookie-authenticated change without its CSRF token) are ignored rather
// than refused: the request goes on anonymously, so that a stale session
// cookie or token cannot lock anyone out of signing in or refreshing.
func Register(g *echo.Group, v *Verifier, routes []Route) {
	for _, r := range routes {
		p := r.Policy
		var mw []echo.MiddlewareFunc
		if p.Public {
			mw = append(mw, v.optional())
		} else {
			mw = append(mw, v.Middleware(), Require(p.Roles...))
		}
		rt := g.Add(r.Method, r.Path, r.Handler, mw...)
		if r.BodyLimit > 0 {
			web.AllowBody(rt.Method, rt.Path, r.BodyLimit)
		}
		if r.CSVBody {
			web.AllowCSVBody(rt.Method, rt.Path)
		}
		record(RouteInfo{Method: rt.Method, Path: rt.Path, Policy: p, Doc: r.Doc})
	}
}

var (
	policiesMu sync.Mutex
	policies   = map[string]RouteInfo{}
)

func record(r RouteInfo) {
	policiesMu.Lock()
	defer policiesMu.Unlock()
	policies[r.Method+" "+r.Path] = r
}

// RouteInfo is a registered route, its policy and its description.
type RouteInfo struct {
	Method, Path string
	Policy       Policy
	Doc          *Doc
}

// Registered lists every route registered through Register in this
// process with its policy, sorted by path and method.
func Registered() []RouteInfo {
	policiesMu.Lock()
	defer policiesMu.Unlock()
	out := make([]RouteInfo, 0, len(policies))
	for _, r := range policies {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// Routes lists every route registered through Register in this process,
// as "METHOD /path/pattern", sorted.
func Routes() []string {
	policiesMu.Lock()
	defer policiesMu.Unlock()
	out := make([]string, 0, len(policies))
	for k := range policies {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// PolicyOf returns the policy recorded for a route pattern.
func PolicyOf(method, path string) (Policy, bool) {
	policiesMu.Lock()
	defer policiesMu.Unlock()
	r, ok := policies[method+" "+path]
	return r.Policy, ok
}

// Require refuses requests without verified claims (401) or whose role is
// not among roles (403); no roles means any signed-in user.
func Require(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			cl, ok := FromContext(c)
			if !ok {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="talentbridge"`)
				return web.Unauthorized("sign in to do this")
			}
			if len(roles) > 0 && !cl.HasRole(roles...) {
				return &web.Error{Status: http.StatusForbidden, Code: "forbidden_role",
					Detail: fmt.Sprintf("your role (%s) may not do this", cl.Role)}
			}
			return next(c)
		}
	}
}
