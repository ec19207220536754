package logging

import (
	"bytes"
	"strings"
	"testing"
)

func TestNewRedactsSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "profiles", "info")
	log.Info("login", "password", "hunter2hunter2", "refreshToken", "abc.def", "statement", "I love robots", "email", "a@example.org")
	out := buf.String()
	for _, secret := range []string{"hunter2hunter2", "abc.def", "I love robots"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line %q contains %q", out, secret)
		}
	}
	for _, want := range []string{`"service":"profiles"`, `"email":"a@example.org"`, `"password":"[redacted]"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log line %q lacks %s", out, want)
		}
	}
}

func TestNewLevel(t *testing.T) {
	var buf bytes.Buffer
	New(&buf, "x", "warn").Info("hidden")
	if buf.Len() != 0 {
		t.Errorf("info logged at warn level: %q", buf.String())
	}
}
