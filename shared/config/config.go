// Package config loads configuration from the environment. Each service
// composes its own Config from the sub-structs here, so one variable means
// the same thing everywhere.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Mongo says where the databases are.
type Mongo struct {
	// URI of MongoDB or FerretDB. Empty in standalone mode means "start the
	// embedded store".
	URI string `env:"MONGODB_URI"`
	// DBPrefix is put before every database name (tests use it to keep
	// runs apart on one server).
	DBPrefix string `env:"TB_DB_PREFIX"`
}

// NATS says where the message bus is.
type NATS struct {
	URL string `env:"NATS_URL"`
	// StreamReplicas is the replica count of the streams the services
	// create: 1 on one server, 3 on a production cluster.
	StreamReplicas int `env:"TB_STREAM_REPLICAS" envDefault:"1"`
}

// HTTP configures the HTTP server.
type HTTP struct {
	Addr            string        `env:"TB_HTTP_ADDR" envDefault:":8080"`
	RequestTimeout  time.Duration `env:"TB_HTTP_REQUEST_TIMEOUT" envDefault:"15s"`
	ShutdownTimeout time.Duration `env:"TB_HTTP_SHUTDOWN_TIMEOUT" envDefault:"8s"`
	// CORSOrigins is the allow-list of browser origins for cross-site calls.
	CORSOrigins []string `env:"TB_CORS_ORIGINS" envSeparator:","`
	// TrustedProxies are CIDRs whose X-Forwarded-For is believed.
	TrustedProxies []string `env:"TB_TRUSTED_PROXIES" envSeparator:","`
}

// Log configures logging.
type Log struct {
	Level string `env:"TB_LOG_LEVEL" envDefault:"info"`
}

// Load fills a T from the environment (with defaults) and validates it when
// T has a Validate() error method.
func Load[T any]() (T, error) {
	return load[T]()
}

// LoadOr returns given when it is set (tests and standalone pass a
// configuration), else the one read from the environment (Load).
func LoadOr[T any](given *T) (*T, error) {
	if given != nil {
		return given, nil
	}
	c, err := load[T]()
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func load[T any]() (T, error) {
	var c T
	if err := env.Parse(&c); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	if v, ok := any(&c).(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return c, fmt.Errorf("config: %w", err)
		}
	}
	return c, nil
}

// Validate checks the HTTP settings.
func (h HTTP) Validate() error {
	if _, _, err := net.SplitHostPort(h.Addr); err != nil {
		return fmt.Errorf("TB_HTTP_ADDR %q: %w", h.Addr, err)
	}
	if h.RequestTimeout <= 0 {
		return errors.New("TB_HTTP_REQUEST_TIMEOUT must be positive")
	}
	for _, c := range h.TrustedProxies {
		if _, _, err := net.ParseCIDR(c); err != nil {
			return fmt.Errorf("TB_TRUSTED_PROXIES: %q is not a CIDR", c)
		}
	}
	return nil
}

// Validate checks that the URI, when given, is a MongoDB URI.
func (m Mongo) Validate() error {
	if m.URI != "" && !strings.HasPrefix(m.URI, "mongodb://") && !strings.HasPrefix(m.URI, "mongodb+srv://") {
		return fmt.Errorf("MONGODB_URI must start with mongodb:// or mongodb+srv://, got %s", MaskURL(m.URI))
	}
	return nil
}

// Validate checks that the URL, when given, parses.
func (n NATS) Validate() error {
	if n.StreamReplicas < 1 || n.StreamReplicas > 5 {
		return fmt.Errorf("TB_STREAM_REPLICAS must be 1 to 5, got %d", n.StreamReplicas)
	}
	if n.URL == "" {
		return nil
	}
	for _, u := range strings.Split(n.URL, ",") {
		if _, err := url.Parse(strings.TrimSpace(u)); err != nil {
			return fmt.Errorf("NATS_URL: %w", err)
		}
	}
	return nil
}

// Service is what every service process reads.
type Service struct {
	HTTP  HTTP
	Mongo Mongo
	NATS  NATS
	Log   Log
}

// Validate checks every part.
func (s Service) Validate() error {
	return errors.Join(s.HTTP.Validate(), s.Mongo.Validate(), s.NATS.Validate())
}

// MaskURL hides the password in a URL so it can be logged.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		// A MongoDB socket URI (mongodb://%2Fpath%2Fm.sock/) is no URL Go
		// parses, and holds no password unless it has user info.
		if !strings.Contains(raw, "@") {
			return raw
		}
		return "[unparseable url]"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return u.String()
}

// SMTP says where e-mail goes. An empty Addr turns e-mail off: nothing is
// queued or sent, and nothing else depends on a mail server.
type SMTP struct {
	// Addr is the mail server's host:port.
	Addr string `env:"TB_SMTP_ADDR"`
	// From is the sender, "name <address>" or a bare address.
	From     string `env:"TB_SMTP_FROM" envDefault:"TalentBridge <no-reply@talentbridge.localhost>"`
	Username string `env:"TB_SMTP_USERNAME"`
	Password string `env:"TB_SMTP_PASSWORD"`
	// TLS is none (plain text), starttls (upgrade on the submission port,
	// refused when the server does not offer it) or tls (TLS from the first
	// byte, as on port 465).
	TLS string `env:"TB_SMTP_TLS" envDefault:"starttls"`
	// Timeout bounds one connection's dial and conversation.
	Timeout time.Duration `env:"TB_SMTP_TIMEOUT" envDefault:"20s"`
}

// SMTP TLS modes.
const (
	SMTPTLSNone     = "none"
	SMTPTLSStartTLS = "starttls"
	SMTPTLSImplicit = "tls"
)

// Enabled reports whether e-mail is configured.
func (s SMTP) Enabled() bool { return s.Addr != "" }

// String shows the settings with the password hidden, for logs.
func (s SMTP) String() string {
	if !s.Enabled() {
		return "smtp off"
	}
	pw := ""
	if s.Password != "" {
		pw = " password=xxxxx"
	}
	return fmt.Sprintf("smtp %s tls=%s from=%q user=%q%s", s.Addr, s.TLS, s.From, s.Username, pw)
}

// Validate checks the SMTP settings. With TB_SMTP_ADDR empty only settings
// that make no sense without a server are refused (credentials), so a
// forgotten address is noticed instead of silently sending nothing.
func (s SMTP) Validate() error {
	if !s.Enabled() {
		if s.Username != "" || s.Password != "" {
			return errors.New("TB_SMTP_USERNAME or TB_SMTP_PASSWORD is set but TB_SMTP_ADDR is empty: set the mail server's host:port")
		}
		return nil
	}
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("TB_SMTP_ADDR %q must be host:port, e.g. mail.example.org:587", s.Addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("TB_SMTP_ADDR %q: port must be a number from 1 to 65535", s.Addr)
	}
	switch s.TLS {
	case SMTPTLSNone, SMTPTLSStartTLS, SMTPTLSImplicit:
	default:
		return fmt.Errorf("TB_SMTP_TLS must be one of none|starttls|tls, got %q", s.TLS)
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		return fmt.Errorf("TB_SMTP_FROM %q is not an e-mail address: %v", s.From, err)
	}
	if (s.Username == "") != (s.Password == "") {
		return errors.New("TB_SMTP_USERNAME and TB_SMTP_PASSWORD go together: set both or neither")
	}
	if s.Username != "" && s.TLS == SMTPTLSNone && !isLoopback(host) {
		return fmt.Errorf("TB_SMTP_TLS=none would send the password in clear text to %s: use starttls or tls", host)
	}
	if s.Timeout <= 0 {
		return errors.New("TB_SMTP_TIMEOUT must be positive")
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
