package tracing_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/web"
)

// TestOneTraceFromRequestToConsumer follows a write from an HTTP request,
// through the outbox and NATS, into a consumer, and finds the server,
// producer and consumer spans in one trace.
func TestOneTraceFromRequestToConsumer(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	bus := natstest.Bus(t, natstest.Start(t), "profiles")
	coll := mongotest.DB(t).Collection("profiles")
	relay := outbox.NewRelay(outbox.Config{Publisher: bus, Log: quiet, Interval: time.Second}, coll)

	handled := make(chan trace.SpanContext, 1)
	_, err := bus.Consume(context.Background(), natsbus.Consumer{
		Service: "matching", Name: "profiles", Stream: "PROFILES",
		Handle: func(ctx context.Context, ev events.Envelope) error {
			handled <- trace.SpanContextFromContext(ctx)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	e := web.New(web.Options{Log: quiet})
	e.POST("/profiles", func(c echo.Context) error {
		ctx := c.Request().Context()
		ev, err := events.NewWithContext(ctx, "profiles", events.ProfileCreated, "u1", 1, map[string]string{"name": "Asha"})
		if err != nil {
			return err
		}
		ob, _ := relay.Encode(ctx, ev)
		if _, err := coll.InsertOne(ctx, map[string]any{"_id": "u1", "outbox": ob}); err != nil {
			return err
		}
		return c.NoContent(http.StatusCreated)
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/profiles", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /profiles = %d", resp.StatusCode)
	}
	if _, err := relay.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	var consumer trace.SpanContext
	select {
	case consumer = <-handled:
	case <-time.After(10 * time.Second):
		t.Fatal("consumer not called")
	}

	byKind := map[trace.SpanKind]tracetest.SpanStub{}
	for _, s := range exp.GetSpans() {
		byKind[s.SpanKind] = s
	}
	server, producer := byKind[trace.SpanKindServer], byKind[trace.SpanKindProducer]
	if !server.SpanContext.IsValid() || !producer.SpanContext.IsValid() {
		t.Fatalf("missing spans: server %v producer %v", server.SpanContext, producer.SpanContext)
	}
	traceID := server.SpanContext.TraceID()
	if producer.SpanContext.TraceID() != traceID || consumer.TraceID() != traceID {
		t.Errorf("trace ids: server %s, producer %s, consumer %s; want one trace",
			traceID, producer.SpanContext.TraceID(), consumer.TraceID())
	}
	if producer.Parent.SpanID() != server.SpanContext.SpanID() {
		t.Errorf("producer span's parent = %s, want the server span %s", producer.Parent.SpanID(), server.SpanContext.SpanID())
	}
}
