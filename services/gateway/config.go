package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/keys"
	"github.com/talentbridge/platform/services/gateway/internal/password"
	"github.com/talentbridge/platform/services/gateway/internal/router"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Config is the gateway's own configuration, read from the environment.
type Config struct {
	// KeysDir holds the generated signing keys (files 0600) when
	// TB_SIGNING_KEY is not set.
	KeysDir string `env:"TB_KEYS_DIR" envDefault:"./data/keys"`
	// SigningKey is the base64 32-byte Ed25519 seed of the signing key, for
	// Kubernetes Secrets and for several replicas, which must share it.
	SigningKey string `env:"TB_SIGNING_KEY"`
	// VerifyKeys are base64 seeds of keys published in the JWKS that never
	// sign: the next key before a rotation, the previous one after it.
	VerifyKeys []string `env:"TB_VERIFY_KEYS" envSeparator:","`
	// KeyRotateAfter rotates a generated key once it is this old (0: never).
	KeyRotateAfter time.Duration `env:"TB_KEY_ROTATE_AFTER"`

	// AdminEmail and AdminPassword make the first admin at start-up.
	AdminEmail    string `env:"TB_ADMIN_EMAIL"`
	AdminPassword string `env:"TB_ADMIN_PASSWORD"`

	// CookieSecure marks session cookies Secure even without TLS at the
	// gateway (TLS ends at a proxy in front of it).
	CookieSecure bool `env:"TB_COOKIE_SECURE"`

	// The services' URLs in split mode; all empty in standalone mode.
	ProfilesURL string `env:"TB_PROFILES_URL"`
	ProgramsURL string `env:"TB_PROGRAMS_URL"`
	MatchingURL string `env:"TB_MATCHING_URL"`
	// DocumentsURL is the documents service's.
	DocumentsURL string `env:"TB_DOCUMENTS_URL"`
	// PlacementsURL is the placements service's.
	PlacementsURL string `env:"TB_PLACEMENTS_URL"`

	// Failed sign-ins allowed in each LoginWindow: LoginLimit per account
	// from one client address, LoginAccountLimit per account from
	// addresses it has not signed in from before, LoginAddressLimit per
	// client address over accounts it has not signed in to before.
	// Successful sign-ins are not counted (docs/SECURITY.md).
	LoginLimit        int           `env:"TB_LOGIN_LIMIT" envDefault:"5"`
	LoginAccountLimit int           `env:"TB_LOGIN_ACCOUNT_LIMIT" envDefault:"10"`
	LoginAddressLimit int           `env:"TB_LOGIN_ADDRESS_LIMIT" envDefault:"100"`
	LoginWindow       time.Duration `env:"TB_LOGIN_WINDOW" envDefault:"15m"`
	// SignupLimit sign-ups per client address in each SignupWindow.
	SignupLimit  int           `env:"TB_SIGNUP_LIMIT" envDefault:"100"`
	SignupWindow time.Duration `env:"TB_SIGNUP_WINDOW" envDefault:"10m"`
	// RefreshIdle is how long an unused refresh token lasts; SessionMax how
	// long a sign-in lasts at most.
	RefreshIdle time.Duration `env:"TB_REFRESH_TOKEN_TTL" envDefault:"336h"`
	SessionMax  time.Duration `env:"TB_SESSION_MAX_AGE" envDefault:"720h"`
	// HashConcurrency bounds simultaneous password hashes (each takes
	// 19 MiB); 0 means twice the CPUs.
	HashConcurrency int `env:"TB_PASSWORD_HASH_CONCURRENCY"`

	// SMTP is where notification e-mails go (TB_SMTP_*); with TB_SMTP_ADDR
	// empty they stay in the in-app inbox only.
	SMTP config.SMTP
	// PublicURL is the site's address as users reach it, for links in
	// e-mails.
	PublicURL string `env:"TB_PUBLIC_URL" envDefault:"http://localhost:8080"`
}

// Validate checks the configuration at start-up.
func (c Config) Validate() error {
	var errs []error
	if c.SigningKey == "" && c.KeysDir == "" {
		errs = append(errs, errors.New("set TB_SIGNING_KEY or TB_KEYS_DIR"))
	}
	if c.SigningKey != "" {
		if _, err := keys.ParseSeed(c.SigningKey); err != nil {
			errs = append(errs, fmt.Errorf("TB_SIGNING_KEY: %w", err))
		}
	}
	for i, k := range c.VerifyKeys {
		if _, err := keys.ParseSeed(k); err != nil {
			errs = append(errs, fmt.Errorf("TB_VERIFY_KEYS entry %d: %w", i+1, err))
		}
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		errs = append(errs, errors.New("set both TB_ADMIN_EMAIL and TB_ADMIN_PASSWORD, or neither"))
	}
	if c.AdminEmail != "" {
		email, err := domain.NormalizeEmail(c.AdminEmail)
		if err != nil {
			errs = append(errs, fmt.Errorf("TB_ADMIN_EMAIL: %w", err))
		} else if err := password.Check(c.AdminPassword, email); err != nil {
			errs = append(errs, adminPasswordError(email, err))
		}
	}
	if _, err := router.ParseUpstreams(c.ProfilesURL, c.ProgramsURL, c.MatchingURL, c.DocumentsURL, c.PlacementsURL); err != nil {
		errs = append(errs, err)
	}
	if c.LoginLimit < 1 || c.LoginWindow < time.Second {
		errs = append(errs, errors.New("TB_LOGIN_LIMIT must be at least 1 and TB_LOGIN_WINDOW at least 1s"))
	}
	if c.LoginAccountLimit < 0 || c.LoginAddressLimit < 0 {
		errs = append(errs, errors.New("TB_LOGIN_ACCOUNT_LIMIT and TB_LOGIN_ADDRESS_LIMIT must not be negative (0: the default)"))
	}
	if c.SignupLimit < 0 || c.SignupWindow < 0 {
		errs = append(errs, errors.New("TB_SIGNUP_LIMIT and TB_SIGNUP_WINDOW must not be negative (0: the default)"))
	}
	if c.RefreshIdle <= 0 || c.SessionMax <= 0 {
		errs = append(errs, errors.New("TB_REFRESH_TOKEN_TTL and TB_SESSION_MAX_AGE must be positive"))
	}
	if c.KeyRotateAfter < 0 {
		errs = append(errs, errors.New("TB_KEY_ROTATE_AFTER must not be negative"))
	}
	if err := c.SMTP.Validate(); err != nil {
		errs = append(errs, err)
	}
	if u, err := url.Parse(c.PublicURL); c.PublicURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("TB_PUBLIC_URL %q must be an http(s) URL such as https://talentbridge.example.org", c.PublicURL))
	}
	return errors.Join(errs...)
}

// adminPasswordError turns a password rule the first admin's password
// breaks into what the operator has to change. The rule about the e-mail
// address names the part of TB_ADMIN_EMAIL that the password contains,
// which is otherwise hard to guess ("Admin…" for admin@…, compared without
// regard to case). The password itself is never in the message. The rule
// stays: an admin password built from the admin's address is the first
// thing a guesser tries.
func adminPasswordError(email string, err error) error {
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("TB_ADMIN_PASSWORD: %w", err)
	}
	if ve.Code == fielderr.PasswordEmail {
		local, _, _ := strings.Cut(email, "@")
		return fmt.Errorf("TB_ADMIN_PASSWORD must not contain %q, the part of TB_ADMIN_EMAIL (%s) before the @, in any mix "+
			"of upper and lower case: remove it from TB_ADMIN_PASSWORD, or set TB_ADMIN_EMAIL to another address; "+
			"the gateway did not start and no admin was created", local, email)
	}
	return fmt.Errorf("TB_ADMIN_PASSWORD %s: choose another (12 to 128 characters, for example four unrelated words); "+
		"the gateway did not start and no admin was created", ve.Problem)
}

// LogValue shows the configuration without its secrets.
func (c Config) LogValue() slog.Value {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "[set]"
	}
	keys := "dir " + c.KeysDir
	if c.SigningKey != "" {
		keys = "TB_SIGNING_KEY"
	}
	return slog.GroupValue(
		slog.String("keys", keys),
		slog.Int("verify_keys", len(c.VerifyKeys)),
		slog.Duration("key_rotate_after", c.KeyRotateAfter),
		slog.String("admin_email", c.AdminEmail),
		slog.String("admin_password", mask(c.AdminPassword)),
		slog.Bool("cookie_secure", c.CookieSecure),
		slog.Bool("split_mode", c.ProfilesURL != ""),
		slog.Int("login_limit", c.LoginLimit),
		slog.Int("login_account_limit", c.LoginAccountLimit),
		slog.Int("login_address_limit", c.LoginAddressLimit),
		slog.Duration("login_window", c.LoginWindow),
		slog.Int("signup_limit", c.SignupLimit),
		slog.Duration("signup_window", c.SignupWindow),
		slog.String("smtp", c.SMTP.String()),
		slog.String("public_url", c.PublicURL),
	)
}
