// Package web builds the platform's HTTP server: a configured Echo with
// request ids, access logs, panic recovery, a body limit, security headers,
// per-request timeouts, Prometheus metrics and RFC 9457 errors; health and
// readiness endpoints; strict JSON binding; graceful serving.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/talentbridge/platform/shared/tracing"
)

// Options configures New.
type Options struct {
	Log *slog.Logger
	// RequestTimeout bounds the context of every request. Default 15s.
	RequestTimeout time.Duration
	// BodyLimit in bytes. Default 1 MiB.
	BodyLimit int64
	// CORSOrigins allowed for cross-origin calls; empty allows none.
	CORSOrigins []string
	// TrustedProxies are CIDRs whose X-Forwarded-For names the client.
	// Empty means the peer address is the client, whatever headers say.
	TrustedProxies []string
	// Mappers translate domain errors to HTTP errors.
	Mappers []Mapper
}

var (
	metricRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tb_http_requests_total",
		Help: "HTTP requests by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	metricLatency = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tb_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route", "method"})
)

// New returns an Echo with the platform's middleware. Routes are added by
// the caller.
func New(o Options) *echo.Echo {
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 15 * time.Second
	}
	if o.BodyLimit <= 0 {
		o.BodyLimit = 1 << 20
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = ErrorHandler(o.Log, o.Mappers...)
	e.IPExtractor = ipExtractor(o.TrustedProxies)

	e.Use(middleware.RequestID())
	e.Use(accessLog(o.Log))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisablePrintStack: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			o.Log.Error("panic in handler", "err", err, "path", c.Path(), "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            31536000,
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
		ReferrerPolicy:        "same-origin",
	}))
	if len(o.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:     o.CORSOrigins,
			AllowMethods:     []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete},
			AllowHeaders:     []string{echo.HeaderAuthorization, echo.HeaderContentType},
			AllowCredentials: true,
			MaxAge:           600,
		}))
	}
	e.Use(bodyLimit(o.BodyLimit))
	e.Use(middleware.ContextTimeout(o.RequestTimeout))
	e.Use(metrics)
	e.Use(traceRequests)
	e.GET("/metrics", echo.WrapHandler(promhttp.Handler()))
	return e
}

// routeLimits holds the body limits of routes that take more than the
// default (file uploads), by "METHOD /path/pattern".
var routeLimits sync.Map

// AllowBody sets the body limit of one route, given by method and the full
// path pattern as registered (c.Path()). The route's handler is expected to
// enforce its own, finer rules within it; auth.Register calls this for
// routes that declare a BodyLimit.
func AllowBody(method, path string, n int64) { routeLimits.Store(method+" "+path, n) }

// CSVBodyLimit is the most a text/csv body may hold on a route that
// takes one (the imports): 50 MiB. Handlers read such bodies as a stream.
const CSVBodyLimit = 50 << 20

// csvRoutes are the routes ("METHOD /path/pattern") that take large CSV
// bodies. Route patterns mean the same route in every service (DESIGN.md
// §3), so one set serves every server in the process.
var csvRoutes sync.Map

// AllowCSVBody lets the route with this method and Echo path pattern take
// a text/csv body of up to CSVBodyLimit. auth.Register calls it for
// endpoints marked CSVBody.
func AllowCSVBody(method, path string) {
	csvRoutes.Store(method+" "+path, true)
}

// IsCSV reports whether a Content-Type header names a CSV body.
func IsCSV(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "text/csv" || mt == "application/csv")
}

// bodyLimit rejects bodies over n bytes (or the route's own limit, see
// AllowBody) with 413, reading at most n+1 of them whether or not
// Content-Length is honest. A text/csv body on a route allowed by
// AllowCSVBody may hold up to CSVBodyLimit instead. It runs after routing,
// so the route's pattern is known.
func bodyLimit(def int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			n := def
			route := req.Method + " " + c.Path()
			if v, ok := routeLimits.Load(route); ok {
				n = v.(int64)
			}
			if _, ok := csvRoutes.Load(route); ok && IsCSV(req.Header.Get(echo.HeaderContentType)) {
				n = max(n, CSVBodyLimit)
			}
			if req.ContentLength > n {
				return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
					Detail: fmt.Sprintf("the request body may be at most %d bytes", n)}
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, n)
			return next(c)
		}
	}
}

func ipExtractor(trusted []string) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, c := range trusted {
		if _, n, err := net.ParseCIDR(c); err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func accessLog(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true,
		LogRequestID: true, LogRemoteIP: true, LogRoutePath: true,
		// Render errors here, so the logged status is the one sent.
		HandleError: true,
		Skipper: func(c echo.Context) bool {
			p := c.Path()
			return p == "/healthz" || p == "/readyz" || p == "/metrics"
		},
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			// The path, not the full URI: query strings can hold personal data.
			log.Info("request", "method", v.Method, "path", loggedPath(c, v.URIPath), "route", v.RoutePath,
				"status", v.Status, "latency_ms", v.Latency.Milliseconds(),
				"request_id", v.RequestID, "remote_ip", v.RemoteIP)
			return nil
		},
	})
}

// loggedPath is the request path with the value of a ":token" path
// parameter (a referee's one-time upload link) left out: logs never hold
// tokens.
func loggedPath(c echo.Context, path string) string {
	for i, n := range c.ParamNames() {
		if n == "token" && i < len(c.ParamValues()) && c.ParamValues()[i] != "" {
			return strings.Replace(path, c.ParamValues()[i], "[token]", 1)
		}
	}
	return path
}

func metrics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		if err != nil {
			var we *Error
			var he *echo.HTTPError
			switch {
			case errors.As(err, &we):
				status = we.Status
			case errors.As(err, &he):
				status = he.Code
			default:
				status = http.StatusInternalServerError
			}
		}
		metricRequests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		metricLatency.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return err
	}
}

// Check is one dependency that /readyz asks.
type Check struct {
	Name string
	Fn   func(context.Context) error
}

// Health adds GET /healthz (the process answers) and GET /readyz (every
// check passes; otherwise 503 naming what failed).
func Health(e *echo.Echo, checks ...Check) {
	e.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	})
	e.GET("/readyz", func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
		defer cancel()
		res := map[string]string{}
		ok := true
		for _, ch := range checks {
			if err := ch.Fn(ctx); err != nil {
				res[ch.Name] = "unreachable: " + err.Error()
				ok = false
			} else {
				res[ch.Name] = "ok"
			}
		}
		status, code := "ready", http.StatusOK
		if !ok {
			status, code = "not ready", http.StatusServiceUnavailable
		}
		return c.JSON(code, map[string]any{"status": status, "checks": res})
	})
}

// Serve listens on addr and serves e until ctx ends, then shuts down
// gracefully within grace. ready, when not nil, is called with the bound
// address once the listener is open.
func Serve(ctx context.Context, e *echo.Echo, addr string, grace time.Duration, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		// Large enough that an oversized token reaches the verifier and gets a
		// 401 problem rather than a bare 431 from net/http.
		MaxHeaderBytes: 2 << 20,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// traceRequests starts a server span per request, joining the caller's
// trace when the request carries a traceparent header.
func traceRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		ctx := otel.GetTextMapPropagator().Extract(req.Context(), propagation.HeaderCarrier(req.Header))
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		ctx, span := tracing.Tracer().Start(ctx, req.Method+" "+route,
			trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", req.Method), attribute.String("http.route", route)))
		defer span.End()
		c.SetRequest(req.WithContext(ctx))
		err := next(c)
		status := c.Response().Status
		if err != nil {
			span.RecordError(err)
			var we *Error
			if errors.As(err, &we) {
				status = we.Status
			} else {
				status = http.StatusInternalServerError
			}
		}
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(status))
		}
		return err
	}
}
