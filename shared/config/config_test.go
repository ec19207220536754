package config

import (
	"strings"
	"testing"
)

func TestMaskURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mongodb://tb:s3cret@db:27017/?replicaSet=rs0", "mongodb://tb:xxxxx@db:27017/?replicaSet=rs0"},
		{"nats://127.0.0.1:4222", "nats://127.0.0.1:4222"},
		{"nats://profiles:pw@127.0.0.1:4222", "nats://profiles:xxxxx@127.0.0.1:4222"},
		{"mongodb://%2Ftmp%2Ftb%2Fm.sock/", "mongodb://%2Ftmp%2Ftb%2Fm.sock/"},
		{"mongodb://u:p@%2Ftmp%2Fm.sock/", "[unparseable url]"},
	}
	for _, tc := range tests {
		if got := MaskURL(tc.in); got != tc.want {
			t.Errorf("MaskURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLoadValidates(t *testing.T) {
	tests := []struct {
		name, key, value, wantErr string
	}{
		{"bad addr", "TB_HTTP_ADDR", "8080", "TB_HTTP_ADDR"},
		{"bad mongo", "MONGODB_URI", "postgres://x", "MONGODB_URI"},
		{"bad proxy", "TB_TRUSTED_PROXIES", "10.0.0.1", "TB_TRUSTED_PROXIES"},
		{"bad duration", "TB_HTTP_REQUEST_TIMEOUT", "soon", `invalid duration "soon"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(tc.key, tc.value)
			_, err := Load[Service]()
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Load() error = %v, want one naming %s", err, tc.wantErr)
			}
		})
	}
	t.Run("defaults", func(t *testing.T) {
		c, err := Load[Service]()
		if err != nil {
			t.Fatalf("Load() error = %v", err)
		}
		if c.HTTP.Addr != ":8080" {
			t.Errorf("Addr = %q, want :8080", c.HTTP.Addr)
		}
	})
}
