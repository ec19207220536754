// Package tracing wires OpenTelemetry through the platform: a span per HTTP
// request, the W3C traceparent carried from the request into the events it
// causes (in the envelope and in the NATS headers), a producer span when the
// outbox relay publishes, and a consumer span when a handler runs — so one
// trace follows a change from the browser to every service it touches.
//
// Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set
// (the exporter reads the standard OTEL_* variables); otherwise the global
// tracer provider stays a no-op and tracing costs next to nothing.
package tracing

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	// The semconv version must be the one the SDK's resource.Default() is
	// built with (sdk/resource/builtin.go): resource.Merge refuses two
	// different schema URLs.
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// Name is the instrumentation name of the platform's spans.
const Name = "github.com/talentbridge/platform"

func init() {
	// Propagation is on even without an exporter, so a trace started by a
	// caller (or another service) is never broken by a hop that does not
	// export.
	otel.SetTextMapPropagator(propagation.TraceContext{})
}

// Setup installs an OTLP exporter for service when OTEL_EXPORTER_OTLP_ENDPOINT
// is set. The returned function flushes and stops it.
func Setup(ctx context.Context, service string) (func(context.Context) error, error) {
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return func(context.Context) error { return nil }, nil
	}
	res, err := Resource(service)
	if err != nil {
		return nil, err
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("otlp exporter: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}

// Resource describes the process that emits the spans: the SDK's defaults
// (telemetry.sdk.*), the service's name, and what the operator sets in
// OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, which win over the name
// given here.
func Resource(service string) (*resource.Resource, error) {
	own := resource.NewWithAttributes(semconv.SchemaURL, semconv.ServiceName(service))
	res, err := resource.Merge(resource.Default(), own)
	if err != nil {
		return nil, fmt.Errorf("tracing resource: %w", err)
	}
	// resource.Default() read the environment once, before any service
	// name was known, and own has just overridden its service.name; the
	// environment, read again, has the last word.
	if res, err = resource.Merge(res, resource.Environment()); err != nil {
		return nil, fmt.Errorf("tracing resource: %w", err)
	}
	return res, nil
}

// Tracer returns the platform's tracer from the global provider.
func Tracer() trace.Tracer { return otel.Tracer(Name) }

// TraceParent returns the W3C traceparent of the span in ctx, or "".
func TraceParent(ctx context.Context) string {
	c := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, c)
	return c["traceparent"]
}

// WithParent returns ctx carrying the remote span named by traceparent, so a
// span started from it joins that trace.
func WithParent(ctx context.Context, traceparent string) context.Context {
	if traceparent == "" {
		return ctx
	}
	return otel.GetTextMapPropagator().Extract(ctx, propagation.MapCarrier{"traceparent": traceparent})
}
