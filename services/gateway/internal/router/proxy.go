package router

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/web"
)

// Upstreams are the base URLs of the services, e.g. http://profiles:8080.
type Upstreams map[string]*url.URL

// ParseUpstreams checks the services' URLs: all set (split mode) or none
// (standalone mode, nil result).
func ParseUpstreams(profiles, programs, matching, documents, placements string) (Upstreams, error) {
	raw := map[string]string{Profiles: profiles, Programs: programs, Matching: matching, Documents: documents, Placements: placements}
	set := 0
	for _, v := range raw {
		if v != "" {
			set++
		}
	}
	switch set {
	case 0:
		return nil, nil
	case len(raw):
	default:
		return nil, errors.New("set all of TB_PROFILES_URL, TB_PROGRAMS_URL, TB_MATCHING_URL, TB_DOCUMENTS_URL and TB_PLACEMENTS_URL (split mode) or none (standalone)")
	}
	up := Upstreams{}
	for name, v := range raw {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("the %s service URL %q must be http(s)://host[:port]", name, v)
		}
		if u.Path == "/" {
			u.Path = ""
		}
		up[name] = u
	}
	return up, nil
}

// Options tunes the proxies.
type Options struct {
	// DialTimeout bounds connecting to a service. Default 2s.
	DialTimeout time.Duration
	// ResponseTimeout bounds the wait for a service's response headers.
	// Default 30s; the request's own deadline also applies.
	ResponseTimeout time.Duration
	Log             *slog.Logger
}

// Proxy forwards requests to the services.
type Proxy struct {
	proxies map[string]*httputil.ReverseProxy
	log     *slog.Logger
}

// New builds one reverse proxy per service.
func New(up Upstreams, o Options) *Proxy {
	if o.DialTimeout <= 0 {
		o.DialTimeout = 2 * time.Second
	}
	if o.ResponseTimeout <= 0 {
		o.ResponseTimeout = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	tr := &http.Transport{
		Proxy:                 nil, // never through an environment proxy
		DialContext:           (&net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: o.ResponseTimeout,
		ExpectContinueTimeout: time.Second,
	}
	p := &Proxy{proxies: map[string]*httputil.ReverseProxy{}, log: o.Log}
	for name, target := range up {
		p.proxies[name] = &httputil.ReverseProxy{
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(target)
				// Rewrite has already dropped any X-Forwarded-* the client
				// sent; the client address is the one the gateway
				// determined (which honours TB_TRUSTED_PROXIES only).
				if ip, ok := pr.In.Context().Value(clientIPKey{}).(string); ok && ip != "" {
					pr.Out.Header.Set("X-Forwarded-For", ip)
				}
				pr.Out.Header.Set("X-Forwarded-Host", pr.In.Host)
				proto := "http"
				if pr.In.TLS != nil {
					proto = "https"
				}
				pr.Out.Header.Set("X-Forwarded-Proto", proto)
			},
			Transport:      tr,
			ModifyResponse: dropEdgeHeaders,
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
				if slot, ok := r.Context().Value(errSlotKey{}).(*error); ok {
					*slot = err
				}
			},
		}
	}
	return p
}

type clientIPKey struct{}
type errSlotKey struct{}

// dropEdgeHeaders removes headers the gateway's own middleware has already
// set on the response, so that they are not sent twice.
func dropEdgeHeaders(resp *http.Response) error {
	for _, h := range []string{
		echo.HeaderXRequestID, echo.HeaderXFrameOptions, echo.HeaderXContentTypeOptions,
		echo.HeaderXXSSProtection, echo.HeaderContentSecurityPolicy, echo.HeaderReferrerPolicy,
		echo.HeaderStrictTransportSecurity, echo.HeaderAccessControlAllowOrigin,
		echo.HeaderAccessControlAllowCredentials, echo.HeaderAccessControlExposeHeaders,
	} {
		resp.Header.Del(h)
	}
	return nil
}

// Handler forwards to service. A service that cannot be reached, or does
// not answer in time, gets the caller a 503 problem.
func (p *Proxy) Handler(service string) echo.HandlerFunc {
	rp := p.proxies[service]
	return func(c echo.Context) error {
		if rp == nil {
			return web.Unavailable("the " + service + " service is not configured")
		}
		// Echo's router, when it backtracks from a static branch (as from
		// /profiles/me/export), lets a parameter swallow slashes: it routes
		// /profiles/me/secrets to /profiles/:id with id "me/secrets". No
		// route of the table means that.
		for _, v := range c.ParamValues() {
			if strings.Contains(v, "/") {
				return web.NotFound("route")
			}
		}
		req := c.Request()
		if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
			req.Header.Set(echo.HeaderXRequestID, id)
		}
		var proxyErr error
		ctx := context.WithValue(req.Context(), errSlotKey{}, &proxyErr)
		ctx = context.WithValue(ctx, clientIPKey{}, c.RealIP())
		rp.ServeHTTP(c.Response(), req.WithContext(ctx))
		if proxyErr == nil {
			return nil
		}
		var mbe *http.MaxBytesError
		switch {
		case errors.As(proxyErr, &mbe):
			return &web.Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
				Detail: fmt.Sprintf("the request body may be at most %d bytes", mbe.Limit)}
		case errors.Is(proxyErr, context.Canceled) && req.Context().Err() != nil:
			return nil // the client went away
		}
		p.log.Warn("forward failed", "service", service, "path", req.URL.Path, "err", proxyErr)
		if c.Response().Committed {
			return nil
		}
		return web.Unavailable("the " + service + " service is not reachable right now; try again")
	}
}

// Register adds every route of the table to api. The routes are public at
// the gateway: the owning service applies its own access table to the
// forwarded request, token and CSRF check included, so that one table, the
// service's, decides who may call a route in both modes.
func (p *Proxy) Register(api *echo.Group, v *auth.Verifier) {
	routes := make([]auth.Route, 0, len(Table))
	for _, r := range Table {
		routes = append(routes, auth.Route{Method: r.Method, Path: r.Path, Policy: auth.Anyone, Handler: p.Handler(r.Service),
			BodyLimit: r.BodyLimit, CSVBody: r.CSVBody})
	}
	auth.Register(api, v, routes)
}
