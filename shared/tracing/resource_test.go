package tracing_test

import (
	"testing"

	"go.opentelemetry.io/otel/attribute"

	"github.com/talentbridge/platform/shared/tracing"
)

func attrs(t *testing.T, service string) map[attribute.Key]string {
	t.Helper()
	res, err := tracing.Resource(service)
	if err != nil {
		t.Fatalf("Resource(%q) error = %v", service, err)
	}
	m := map[attribute.Key]string{}
	for _, kv := range res.Attributes() {
		m[kv.Key] = kv.Value.Emit()
	}
	return m
}

// TestResourceHonoursEnvironment checks that the attributes an operator
// sets in OTEL_RESOURCE_ATTRIBUTES reach the resource next to the
// service's name and the SDK's own attributes.
func TestResourceHonoursEnvironment(t *testing.T) {
	t.Setenv("OTEL_SERVICE_NAME", "")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,service.namespace=talentbridge")
	got := attrs(t, "profiles")
	want := map[attribute.Key]string{
		"deployment.environment": "test",
		"service.namespace":      "talentbridge",
		"service.name":           "profiles",
		"telemetry.sdk.language": "go",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("resource %s = %q, want %q (resource: %v)", k, got[k], v, got)
		}
	}
}

// TestResourceServiceNameFromEnvironmentWins checks that OTEL_SERVICE_NAME
// renames the service, as the OpenTelemetry specification asks.
func TestResourceServiceNameFromEnvironmentWins(t *testing.T) {
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "")
	t.Setenv("OTEL_SERVICE_NAME", "profiles-canary")
	if got := attrs(t, "profiles")["service.name"]; got != "profiles-canary" {
		t.Errorf("service.name = %q, want profiles-canary from OTEL_SERVICE_NAME", got)
	}
	t.Setenv("OTEL_SERVICE_NAME", "")
	if got := attrs(t, "profiles")["service.name"]; got != "profiles" {
		t.Errorf("service.name = %q without OTEL_SERVICE_NAME, want profiles", got)
	}
}
