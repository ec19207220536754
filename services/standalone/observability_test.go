package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/talentbridge/platform/shared/events"
)

// signupApplicant makes an applicant through the gateway and returns an
// access token.
func signupApplicant(t *testing.T, client *http.Client, base, email string) string {
	t.Helper()
	const pw = "violet kettle drums at noon"
	st, body, err := call(client, "POST", base+"/api/v1/auth/signup", "", map[string]any{
		"email": email, "password": pw, "role": "applicant", "name": "Asha Rao"})
	if err != nil || st != http.StatusCreated {
		t.Fatalf("signup: %d %s %v", st, body, err)
	}
	st, body, err = call(client, "POST", base+"/api/v1/auth/login", "", map[string]any{"email": email, "password": pw})
	if err != nil || st != http.StatusOK {
		t.Fatalf("login: %d %s %v", st, body, err)
	}
	var tok struct{ AccessToken string }
	decode(t, body, &tok)
	return tok.AccessToken
}

// metricValue sums the samples of a metric whose labels match the pattern.
func metricValue(t *testing.T, client *http.Client, base, name, labels string) float64 {
	t.Helper()
	_, body, err := call(client, "GET", base+"/metrics", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^` + name + `\{([^}]*)\} ([0-9.e+]+)$`)
	lre := regexp.MustCompile(labels)
	sum := 0.0
	for _, m := range re.FindAllStringSubmatch(string(body), -1) {
		if lre.MatchString(m[1]) {
			v, _ := strconv.ParseFloat(m[2], 64)
			sum += v
		}
	}
	return sum
}

// TestTraceAndMetricsFollowAProfile follows one POST /profiles on the
// standalone platform: the HTTP server span, the outbox's producer span and
// the matching service's consumer span share one trace id, and the event
// counters on /metrics move.
func TestTraceAndMetricsFollowAProfile(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })

	p := startInProcess(t)
	client := &http.Client{Timeout: 15 * time.Second}
	tok := signupApplicant(t, client, p.URL, fmt.Sprintf("trace-%d@example.in", time.Now().UnixNano()))

	created := `subject="` + events.ProfileCreated + `"`
	publishedBefore := metricValue(t, client, p.URL, "tb_events_published_total", created)
	consumedBefore := metricValue(t, client, p.URL, "tb_events_consumed_total", `consumer="matching-[^"]*".*outcome="ok".*`+created+`|consumer="matching-[^"]*",outcome="ok",`+created)

	st, body, err := call(client, "POST", p.URL+"/api/v1/profiles", tok, profileBody(0))
	if err != nil || st != http.StatusCreated {
		t.Fatalf("POST /profiles: %d %s %v", st, body, err)
	}

	// The matching service's consumer span for profile.created.
	var server, consumer tracetest.SpanStub
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && !consumer.SpanContext.IsValid() {
		for _, s := range exp.GetSpans() {
			switch {
			case s.SpanKind == trace.SpanKindServer && s.Name == "POST /api/v1/profiles":
				server = s
			case s.SpanKind == trace.SpanKindConsumer && s.Name == "process "+events.ProfileCreated && hasAttr(s, "messaging.consumer.group.name", "matching-"):
				if server.SpanContext.IsValid() && s.SpanContext.TraceID() == server.SpanContext.TraceID() {
					consumer = s
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !server.SpanContext.IsValid() {
		t.Fatal("no server span for POST /api/v1/profiles")
	}
	if !consumer.SpanContext.IsValid() {
		t.Fatalf("no matching consumer span in trace %s", server.SpanContext.TraceID())
	}
	var producer bool
	for _, s := range exp.GetSpans() {
		producer = producer || (s.SpanKind == trace.SpanKindProducer && s.SpanContext.TraceID() == server.SpanContext.TraceID())
	}
	if !producer {
		t.Error("no producer span in the request's trace")
	}

	if after := metricValue(t, client, p.URL, "tb_events_published_total", created); after <= publishedBefore {
		t.Errorf("tb_events_published_total for profile.created: %v → %v, want it to grow", publishedBefore, after)
	}
	deadline = time.Now().Add(15 * time.Second)
	for {
		after := metricValue(t, client, p.URL, "tb_events_consumed_total", `consumer="matching-[^"]*".*outcome="ok".*`+created+`|consumer="matching-[^"]*",outcome="ok",`+created)
		if after > consumedBefore {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tb_events_consumed_total for matching and profile.created stayed at %v", after)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func hasAttr(s tracetest.SpanStub, key, prefix string) bool {
	for _, a := range s.Attributes {
		if string(a.Key) == key && len(a.Value.AsString()) >= len(prefix) && a.Value.AsString()[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}
