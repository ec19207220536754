package gateway

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func validConfig() Config {
	return Config{KeysDir: "/tmp/keys", LoginLimit: 5, LoginWindow: time.Minute, RefreshIdle: time.Hour, SessionMax: 2 * time.Hour}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	seed := base64.StdEncoding.EncodeToString(make([]byte, 32))
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want string // "" means valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"signing key", func(c *Config) { c.SigningKey = seed; c.VerifyKeys = []string{seed} }, ""},
		{"short signing key", func(c *Config) { c.SigningKey = "c2hvcnQ=" }, "TB_SIGNING_KEY"},
		{"bad verify key", func(c *Config) { c.VerifyKeys = []string{"??"} }, "TB_VERIFY_KEYS"},
		{"admin email without password", func(c *Config) { c.AdminEmail = "root@example.org" }, "TB_ADMIN_PASSWORD"},
		{"weak admin password", func(c *Config) { c.AdminEmail, c.AdminPassword = "root@example.org", "password1234" }, "TB_ADMIN_PASSWORD"},
		// The message names what to change: the address's local part, in
		// whatever case the password has it.
		{"admin password with the local part", func(c *Config) {
			c.AdminEmail, c.AdminPassword = "admin@campus.example", "Admin violet kettle drums"
		}, `TB_ADMIN_PASSWORD must not contain "admin", the part of TB_ADMIN_EMAIL (admin@campus.example) before the @`},
		{"short admin password", func(c *Config) { c.AdminEmail, c.AdminPassword = "root@example.org", "short" },
			"TB_ADMIN_PASSWORD must be at least 12 characters: choose another"},
		{"bad admin email", func(c *Config) { c.AdminEmail, c.AdminPassword = "root", "violet kettle drums at noon" }, "TB_ADMIN_EMAIL"},
		{"half split mode", func(c *Config) { c.ProfilesURL = "http://profiles:8080" }, "TB_MATCHING_URL"},
		{"no keys at all", func(c *Config) { c.KeysDir = "" }, "TB_KEYS_DIR"},
		{"zero login limit", func(c *Config) { c.LoginLimit = 0 }, "TB_LOGIN_LIMIT"},
	} {
		c := validConfig()
		tc.mod(&c)
		err := c.Validate()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: Validate() = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestConfigLogsNoSecrets(t *testing.T) {
	t.Parallel()
	c := validConfig()
	c.SigningKey = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	c.AdminEmail, c.AdminPassword = "root@example.org", "violet kettle drums at noon"
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "config", c)
	for _, secret := range []string{c.SigningKey, c.AdminPassword} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("logged configuration %s holds a secret", buf.String())
		}
	}
	if !strings.Contains(buf.String(), "root@example.org") {
		t.Errorf("logged configuration %s lacks the admin address", buf.String())
	}
}
